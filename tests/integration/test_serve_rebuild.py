"""``trangtin serve`` after a save (site/live.py): an edited post, a new post and a changed
category give the same output as a fresh full build of the same files, on a generated
200-post school (the benchmark's own posts, scripts/bench/corpus.py)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from trangtin.common.text import slugify
from trangtin.site.live import LiveSite

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from bench import corpus, writers  # noqa: E402

SCHOOL = "truong-001"
SERVE_URL = "http://127.0.0.1:8000/"
END = corpus.dt.datetime(2026, 5, 31, 8, 0)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[corpus.BenchPost]]:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = tmp_path_factory.mktemp("serve") / "network"
    posts = corpus.make_posts(200, seed=200, end=END)
    writers.write_network(root, {SCHOOL: posts})
    return root, posts


def live_site(root: Path, site_dir: Path) -> LiveSite:
    config_file = root / "sites" / SCHOOL / "mkdocs.yml"
    site = LiveSite(str(config_file), str(site_dir),
                    [root / "content" / SCHOOL, config_file, root / "network.yml", root / "shared_theme"])
    site.serve_url = SERVE_URL
    return site


def fresh_build(root: Path, site_dir: Path) -> dict[str, bytes]:
    site = live_site(root, site_dir)
    site(site.config())
    return output(site_dir)


def output(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes()
            for p in sorted(site_dir.rglob("*")) if p.is_file()}


def differences(served: dict[str, bytes], fresh: dict[str, bytes]) -> list[str]:
    return sorted(name for name in served.keys() | fresh.keys() if served.get(name) != fresh.get(name))


def page_text(site_dir: Path, url: str) -> str:
    return str(lxml_html.fromstring((site_dir / url / "index.html").read_bytes()).text_content())


def feed_titles(site_dir: Path) -> list[str]:
    tree = etree.fromstring((site_dir / "feed.xml").read_bytes())
    return [str(t) for t in tree.xpath(
        "//*[local-name()='entry' or local-name()='item']/*[local-name()='title']/text()")]


def test_saved_posts_give_what_a_full_build_gives(
        school: tuple[Path, list[corpus.BenchPost]], tmp_path: Path) -> None:
    root, posts = school
    served_dir = tmp_path / "served"
    site = live_site(root, served_dir)
    site(site.config())
    posts_dir = root / "content" / SCHOOL / "posts"

    edited = posts[-2]  # recent enough to be in the feeds
    with (posts_dir / edited.rel_path).open("a", encoding="utf-8") as handle:
        handle.write("\nĐoạn bổ sung mới: học sinh trồng cây xanh quanh sân trường Quercusia.\n")
    site()
    assert site.last_rebuild == "posts", "a post's text alone re-renders that post only"
    post_url = f"tin-tuc/{edited.date:%Y}/{edited.date:%m}/{edited.slug}/"
    assert "học sinh trồng cây xanh" in page_text(served_dir, post_url)
    assert "học sinh trồng cây xanh" in (served_dir / "feed.xml").read_text(encoding="utf-8")
    assert "quercusia" in (served_dir / "search.json").read_text(encoding="utf-8").lower()
    assert differences(output(served_dir), fresh_build(root, tmp_path / "fresh-1")) == []

    new = posts_dir / "2026" / "06" / "tin-moi.md"
    new.parent.mkdir(parents=True)
    new.write_text("---\ntitle: Hội thi rung chuông vàng\ndate: 2026-06-02 08:00\n"
                   "categories: [Tin tức – Sự kiện]\n---\n\nMột tin mới của nhà trường.\n",
                   encoding="utf-8")
    site()
    assert site.last_rebuild == "site"
    assert "Hội thi rung chuông vàng" in page_text(served_dir, "tin-tuc")
    assert "Hội thi rung chuông vàng" in feed_titles(served_dir)
    assert differences(output(served_dir), fresh_build(root, tmp_path / "fresh-2")) == []

    moved = posts[-1]
    category = next(c for c in corpus.CATEGORIES if c not in moved.categories)
    path = posts_dir / moved.rel_path
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("categories:"))
    path.write_text(text.replace(old, f"categories: [{category}]"), encoding="utf-8")
    site()
    assert site.last_rebuild == "site", "what listings show of a post changed: a full build"
    assert moved.title in page_text(served_dir, f"tin-tuc/chuyen-muc/{slugify(category)}")
    for former in moved.categories:
        assert moved.title not in page_text(served_dir, f"tin-tuc/chuyen-muc/{slugify(former)}")
    assert differences(output(served_dir), fresh_build(root, tmp_path / "fresh-3")) == []


def test_an_edit_of_the_opening_renews_the_post_card_everywhere(
        school: tuple[Path, list[corpus.BenchPost]], tmp_path: Path) -> None:
    root, posts = school
    fresh_build(root, tmp_path / "before")  # serve then starts with every page's Markdown cached
    served_dir = tmp_path / "served"
    site = live_site(root, served_dir)
    site(site.config())
    edited = posts[len(posts) // 2]
    path = root / "content" / SCHOOL / "posts" / edited.rel_path
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(f"{head}\n---\n\nMở đầu mới của bài viết về vườn rau.\n{body}", encoding="utf-8")
    site()
    assert site.last_rebuild == "posts", "only the post and the pages showing its card"
    month = f"tin-tuc/{edited.date:%Y}/{edited.date:%m}"
    assert "Mở đầu mới của bài viết về vườn rau" in page_text(served_dir, month), "the card's excerpt"
    assert "Mở đầu mới của bài viết về vườn rau" in page_text(served_dir, f"{month}/{edited.slug}")
    assert differences(output(served_dir), fresh_build(root, tmp_path / "fresh")) == []


def test_a_post_saved_with_a_warning_is_named_and_shown(
        school: tuple[Path, list[corpus.BenchPost]], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    root, posts = school
    served_dir = tmp_path / "served"
    site = live_site(root, served_dir)
    site(site.config())
    edited = posts[len(posts) // 3]
    with (root / "content" / SCHOOL / "posts" / edited.rel_path).open("a", encoding="utf-8") as handle:
        handle.write("\nXem thêm [mục lịch thi](#lich-thi-khong-co).\n")
    with caplog.at_level(logging.INFO, logger="trangtin"):
        site()
    assert site.last_rebuild == "posts"
    said = [r.getMessage() for r in caplog.records if "#lich-thi-khong-co" in r.getMessage()]
    assert said and said[0].startswith(f"content/{SCHOOL}/posts/{edited.rel_path}:")
    assert "cảnh báo" in said[0] and " — " in said[0]
    page = f"tin-tuc/{edited.date:%Y}/{edited.date:%m}/{edited.slug}"
    assert "mục lịch thi" in page_text(served_dir, page)
    assert differences(output(served_dir), fresh_build(root, tmp_path / "fresh")) == []
