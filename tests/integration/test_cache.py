"""The build caches: unchanged input is not built again; any change gives fresh output.

Real builds of a copy of the sample school (in this process, without a worker process);
the counts come from the cache's own record of the last build. A site whose inputs did
not change at all is kept whole; deleting that record (``site.pickle``) makes MkDocs run,
and then the page-level cache must reuse every page.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from trangtin.site.build import SiteOutcome, build_site
from trangtin.site.cache import CACHE_DIR, SITE_RECORD

from ..conftest import copy_network

UNIT = "mn-hoa-sen"
POST = "content/mn-hoa-sen/posts/2025/10/dem-hoi-trang-ram.md"


def build(root: Path, keep_site: bool = True) -> dict[str, int]:
    if not keep_site:
        (root / CACHE_DIR / UNIT / SITE_RECORD).unlink(missing_ok=True)
    outcome = build_site(root, UNIT, root / "public")
    assert outcome.ok, outcome.reason
    stats = json.loads((root / CACHE_DIR / UNIT / "last-build.json").read_text(encoding="utf-8"))
    return {k: int(v) for k, v in stats.items()}


def pages(root: Path) -> dict[str, str]:
    """Every HTML page of the built site and the hash of its bytes."""
    site = root / "public" / UNIT
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in site.rglob("*.html")}


def post_page(root: Path) -> Path:
    return root / "public" / UNIT / "tin-tuc" / "2025" / "10" / "dem-hoi-trang-ram" / "index.html"


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], dict[str, str]]:
    """The school built twice without any change in between, MkDocs running both times."""
    root = copy_network(tmp_path_factory.mktemp("cache") / "network")
    first = build(root)
    assert first["markdown_reused"] == 0 and first["pages_reused"] == 0
    before = pages(root)
    return root, build(root, keep_site=False), before


@pytest.fixture()
def copy_of_warm(warm: tuple[Path, dict[str, int], dict[str, str]], tmp_path: Path) -> Path:
    """A writable copy of the warm network, its output and its cache (times preserved)."""
    target = tmp_path / "network"
    shutil.copytree(warm[0], target, symlinks=True)
    return target


def test_unchanged_input_is_not_rendered_again(
        warm: tuple[Path, dict[str, int], dict[str, str]]) -> None:
    root, second, before = warm
    assert second["markdown_rendered"] == 0 and second["markdown_reused"] > 10
    assert second["pages_rendered"] == 0 and second["pages_reused"] == second["markdown_reused"]
    assert pages(root) == before, "a reused page must be byte for byte what was built before"


def test_an_unchanged_site_is_kept_whole(copy_of_warm: Path) -> None:
    before = pages(copy_of_warm)
    outcome: SiteOutcome = build_site(copy_of_warm, UNIT, copy_of_warm / "public")
    assert outcome.ok and outcome.reused and outcome.pages > 10
    stats = json.loads((copy_of_warm / CACHE_DIR / UNIT / "last-build.json").read_text("utf-8"))
    assert stats["site_reused"] == 1 and stats["markdown_rendered"] == stats["pages_rendered"] == 0
    assert pages(copy_of_warm) == before
    warnings = [d.message for d in outcome.diagnostics]
    assert warnings == [d.message for d in build_site(
        copy_of_warm, UNIT, copy_of_warm / "public").diagnostics], "messages are kept too"


def test_a_changed_photo_is_processed_again(copy_of_warm: Path) -> None:
    from PIL import Image

    photo = next((copy_of_warm / "content" / UNIT / "posts").rglob("*.jpg"))
    with Image.open(photo) as image:
        size = image.size
    Image.new("RGB", size, (200, 30, 30)).save(photo, "JPEG")
    stats = build(copy_of_warm)
    assert stats["site_reused"] == 0 and stats["pages_reused"] == 0
    served = [p for p in (copy_of_warm / "public" / UNIT).rglob(f"{photo.stem}*")
              if p.suffix in {".jpg", ".jpeg", ".webp"}]
    assert served
    with Image.open(max(served, key=lambda p: p.stat().st_size)) as image:
        red, green, blue = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert red > 150 and green < 90 and blue < 90, "the new photo must be served"


def test_a_changed_post_is_rendered_alone_and_fresh(copy_of_warm: Path) -> None:
    path = copy_of_warm / POST
    path.write_text(path.read_text(encoding="utf-8") + "\nCâu mới thêm để kiểm tra bộ đệm.\n",
                    encoding="utf-8")
    before = pages(copy_of_warm)
    stats = build(copy_of_warm)
    assert stats["markdown_rendered"] == 1 and stats["pages_rendered"] == 1
    body = lxml_html.fromstring(post_page(copy_of_warm).read_bytes()).text_content()
    assert "Câu mới thêm để kiểm tra bộ đệm." in body
    changed = {k for k, v in pages(copy_of_warm).items() if before.get(k) != v}
    assert changed == {"tin-tuc/2025/10/dem-hoi-trang-ram/index.html"}


def test_a_changed_title_renews_every_page_that_may_show_it(copy_of_warm: Path) -> None:
    path = copy_of_warm / POST
    text = path.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(old_title, "title: Tiêu đề đã sửa cho bộ đệm", 1),
                    encoding="utf-8")
    stats = build(copy_of_warm)
    assert stats["markdown_rendered"] == 0, "the text did not change, only its title"
    assert stats["pages_reused"] == 0
    news = copy_of_warm / "public" / UNIT / "tin-tuc" / "index.html"
    assert "Tiêu đề đã sửa cho bộ đệm" in lxml_html.fromstring(news.read_bytes()).text_content()


def test_a_changed_theme_renders_every_page_again(copy_of_warm: Path) -> None:
    main = copy_of_warm / "shared_theme" / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}", '{% block extrahead %}\n  <meta name="tt-cache-test" content="1">',
        1), encoding="utf-8")
    stats = build(copy_of_warm)
    assert stats["pages_reused"] == 0 and stats["markdown_rendered"] == 0
    tree = lxml_html.fromstring(post_page(copy_of_warm).read_bytes())
    assert tree.xpath('//meta[@name="tt-cache-test"]')


def test_a_changed_config_renders_everything_again(copy_of_warm: Path) -> None:
    config = copy_of_warm / "sites" / UNIT / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "copyright: Bản quyền thuộc trường – kiểm tra bộ đệm\n", encoding="utf-8")
    stats = build(copy_of_warm)
    assert stats["pages_reused"] == 0 and stats["markdown_reused"] == 0
    text = lxml_html.fromstring(post_page(copy_of_warm).read_bytes()).text_content()
    assert "kiểm tra bộ đệm" in text


def test_a_tampered_output_page_is_built_again(copy_of_warm: Path) -> None:
    page = post_page(copy_of_warm)
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<p>sua tay</p></body>"))
    stats = build(copy_of_warm)
    assert stats["pages_rendered"] == 1
    assert post_page(copy_of_warm).read_bytes() == good


def test_the_cache_is_safe_to_delete(copy_of_warm: Path) -> None:
    before = pages(copy_of_warm)
    shutil.rmtree(copy_of_warm / ".cache")
    stats = build(copy_of_warm)
    assert stats["markdown_reused"] == 0 and stats["pages_reused"] == 0
    assert pages(copy_of_warm) == before


def _post(root: Path, name: str, title: str, body: str) -> None:
    (root / "content" / UNIT / "posts" / "2025" / "10" / name).write_text(
        f"---\ntitle: {title}\ndate: 2025-10-20 08:00\ncategories: [Thông báo]\n---\n\n{body}\n",
        encoding="utf-8")


def test_a_post_added_converts_its_own_text_and_the_links_it_brings_to_life(copy_of_warm: Path) -> None:
    """A converted page is kept while every link in it leads where it led: a new post converts
    its own Markdown, not every page's (the file list changed); a page whose link was broken
    until the new post came is converted again, and the site is the one built from nothing."""
    about = copy_of_warm / "content" / UNIT / "gioi-thieu" / "index.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nXem [lịch họp](../posts/2025/10/lich-hop.md).\n",
                     encoding="utf-8")
    first = build(copy_of_warm)
    assert first["markdown_rendered"] == 1 and first["markdown_reused"] > 10  # the page that changed
    page = copy_of_warm / "public" / UNIT / "gioi-thieu" / "index.html"
    assert 'href="../posts/2025/10/lich-hop.md"' in page.read_text(encoding="utf-8")  # not found yet

    _post(copy_of_warm, "lich-hop.md", "Lịch họp phụ huynh", "Họp lúc 7 giờ 30 tại hội trường.")
    second = build(copy_of_warm)
    assert second["markdown_rendered"] == 2 and second["markdown_reused"] > 10  # the new post, the linking page
    assert 'href="../tin-tuc/2025/10/lich-hop/"' in page.read_text(encoding="utf-8")
    kept = pages(copy_of_warm)

    shutil.rmtree(copy_of_warm / ".cache")
    shutil.rmtree(copy_of_warm / "public")
    assert build(copy_of_warm)["markdown_reused"] == 0
    assert pages(copy_of_warm) == kept
