"""Photos in real builds: a school site with phone photos, an iPhone HEIC, broken files, a gallery.

Every assertion reads the built files: the HTML parsed with lxml, the images opened with Pillow.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
import pytest
from lxml import html as lxml_html
from PIL import Image

from trangtin.cli.main import main
from trangtin.photos import pipeline

from ..conftest import copy_network, loaded_scripts
from ..unit.test_images import MARKERS, phone_jpeg, png_bomb

UNIT = "thcs-an-binh"
SITE_URL = "https://thcs-anbinh.example.edu.vn/"
MONTH = "posts/2025/10"
POST = """---
title: Kiểm tra ảnh hoạt động
date: 2025-10-20 08:00
cover: kt-bia.jpg
approved_by: Trần Thị Bích Ngọc
---

Ảnh chụp bằng điện thoại, xoay dọc:

![Học sinh chào cờ sáng thứ Hai](kt-xoay.jpg)

Ảnh từ iPhone:

![Cô giáo hướng dẫn thí nghiệm](kt-iphone.heic)

![Tranh vẽ của học sinh lớp 6A](kt-tranh.png)

Ảnh hỏng: ![Lễ trao giải](kt-cut.jpg) còn lại vẫn đăng.

![](kt-bom.png)

![Ảnh đặt nhầm tên](kt-gia.jpg)

[Tải ảnh chào cờ](kt-xoay.jpg)

![Sân trường buổi sáng](kt-sân-trường.jpg)

Ảnh hỏng tên có dấu: ![Ảnh lớp học](kt-lớp-học.jpg)

Đoạn cuối của bài viết.
"""
GALLERY = """---
title: Thư viện ảnh trải nghiệm
date: 2025-10-21 08:00
gallery: true
approved_by: Trần Thị Bích Ngọc
---

Một số hình ảnh của buổi trải nghiệm.

![Đo độ ẩm của đất](kt-g1.jpg)
![Báo cáo kết quả](kt-g2.jpg)

![Vườn rau của lớp 7A](kt-g3.jpg)
"""
DRAFT = """---
title: Bài nháp có ảnh
date: 2025-10-22 08:00
draft: true
approved_by: Trần Thị Bích Ngọc
---

![Ảnh chưa được đăng](kt-nhap.jpg)
"""


def add_photo_posts(root: Path) -> Path:
    folder = root / "content" / UNIT / MONTH
    folder.mkdir(parents=True, exist_ok=True)
    phone_jpeg(folder / "kt-xoay.jpg")
    pillow_heif.register_heif_opener()
    Image.new("RGB", (1400, 1050), (30, 140, 60)).save(folder / "kt-iphone.heic", format="HEIF")
    Image.new("RGBA", (700, 500), (250, 200, 0, 255)).save(folder / "kt-tranh.png")
    whole = phone_jpeg(folder / "kt-tmp.jpg", (1600, 1200), orientation=1)
    (folder / "kt-cut.jpg").write_bytes(whole.read_bytes()[:6000])
    whole.unlink()
    png_bomb(folder / "kt-bom.png", 100_000, 100_000)
    (folder / "kt-gia.jpg").write_text("đây là ghi chú, không phải ảnh\n", encoding="utf-8")
    phone_jpeg(folder / "kt-bia.jpg", (2400, 1600), orientation=1)
    for index in (1, 2, 3):
        phone_jpeg(folder / f"kt-g{index}.jpg", (1800 + index, 1200), orientation=1)
    phone_jpeg(folder / "kt-nhap.jpg", (900, 600), orientation=1)
    # Names as macOS writes them (NFD); the post spells them in NFC.
    phone_jpeg(folder / unicodedata.normalize("NFD", "kt-sân-trường.jpg"), (920, 600), orientation=1)
    (folder / unicodedata.normalize("NFD", "kt-lớp-học.jpg")).write_bytes(b"\xff\xd8\xff\xe0 hong")
    (folder / "kiem-tra-anh.md").write_text(POST, encoding="utf-8")
    (folder / "kiem-tra-thu-vien.md").write_text(GALLERY, encoding="utf-8")
    (folder / "kiem-tra-nhap.md").write_text(DRAFT, encoding="utf-8")
    return folder


def add_page_photo_and_logo(root: Path) -> None:
    """A photo on a section page (not a post), and a school logo used by the theme."""
    unit = root / "content" / UNIT
    phone_jpeg(unit / "gioi-thieu" / "kt-truong.jpg", (2000, 1500), orientation=1)
    page = unit / "gioi-thieu" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Toàn cảnh trường](kt-truong.jpg)\n",
                    encoding="utf-8")
    Image.new("RGB", (96, 96), (11, 83, 148)).save(unit / "kt-logo.png")
    config = root / "sites" / UNIT / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme:\n", "theme:\n  logo: kt-logo.png\n", 1), encoding="utf-8")


def cls(name: str) -> str:
    """An XPath test for one class among several (lxml has no CSS selectors without cssselect)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def build(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "build", UNIT, "--jobs", "1"])
    return code, out.getvalue() + err.getvalue()


@dataclass
class Built:
    root: Path
    photos: Path
    output: str
    cache: Path

    @property
    def site(self) -> Path:
        return self.root / "public" / UNIT

    def page(self, url: str) -> tuple[Path, lxml_html.HtmlElement]:
        path = self.site / url / "index.html"
        return path, lxml_html.fromstring(path.read_bytes())

    def file_of(self, page: Path, url: str) -> Path:
        target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), url)))
        assert target.is_file(), url
        return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = copy_network(tmp_path_factory.mktemp("photos") / "network")
    photos = add_photo_posts(root)
    add_page_photo_and_logo(root)
    config = root / "sites" / UNIT / "mkdocs.yml"  # the plugin option (relative to the network)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  trangtin:\n", "  trangtin:\n    image_cache: anh-tam\n", 1), encoding="utf-8")
    cache = root / "anh-tam"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(pipeline.CACHE_ENV, raising=False)
        code, output = build(root)
        assert code == 0, output
        yield Built(root, photos, output, cache)


def test_failed_photos_are_explained_and_the_post_still_builds(built):
    post = f"content/{UNIT}/{MONTH}/kiem-tra-anh.md"
    where = f"content/{UNIT}/{MONTH}"
    lines = built.output.splitlines()
    assert (f"{where}/kt-cut.jpg: cảnh báo: ảnh bị cắt cụt (tải lên hoặc sao chép chưa xong), "
            f"không đọc được (ảnh trong bài {post}); ảnh đã bị bỏ qua — sao chép lại ảnh gốc từ "
            "điện thoại hoặc máy ảnh rồi xây dựng lại") in lines
    assert any(line.startswith(f"{where}/kt-bom.png: cảnh báo: ảnh quá lớn") and post in line
               and "— thu nhỏ ảnh" in line for line in lines)
    assert any(line.startswith(f"{where}/kt-gia.jpg: cảnh báo: tệp này không phải là ảnh JPEG")
               and "— mở ảnh bằng trình xem ảnh" in line for line in lines)
    assert any(line.startswith(f"{where}/kt-lớp-học.jpg: cảnh báo: ảnh bị") for line in lines)
    assert "Traceback" not in built.output
    assert f"✓ {UNIT}" in built.output

    _, tree = built.page("tin-tuc/2025/10/kiem-tra-anh")
    body = tree.xpath(f"//*[{cls('tt-post__body')}]")[0]
    missing = [span.text for span in body.xpath(f".//*[{cls('tt-missing-photo')}]")]
    assert missing == ["Lễ trao giải", "Ảnh đặt nhầm tên", "Ảnh lớp học"]
    assert "còn lại vẫn đăng" in body.text_content()
    assert "Đoạn cuối của bài viết." in body.text_content()
    srcs = [img.get("src") for img in body.iter("img")]
    assert not any(name in src for src in srcs for name in ("kt-cut", "kt-bom", "kt-gia"))
    for name in ("kt-cut.jpg", "kt-bom.png", "kt-gia.jpg"):
        assert not list(built.site.rglob(name)), f"{name} must not be published"


def test_pictures_carry_srcset_intrinsic_size_lazy_loading_and_the_authors_alt(built):
    page, tree = built.page("tin-tuc/2025/10/kiem-tra-anh")
    pictures = tree.xpath(f"//*[{cls('tt-post__body')}]//picture")
    alts = [p.xpath(".//img")[0].get("alt") for p in pictures]
    assert alts == ["Học sinh chào cờ sáng thứ Hai", "Cô giáo hướng dẫn thí nghiệm",
                    "Tranh vẽ của học sinh lớp 6A", "Sân trường buổi sáng"]
    for picture in pictures:
        (source,) = picture.xpath(".//source")
        img = picture.xpath(".//img")[0]
        assert source.get("type") == "image/webp"
        assert img.get("loading") == "lazy" and img.get("decoding") == "async"
        assert img.get("sizes") and source.get("sizes")
        candidates = _srcset(img.get("srcset")) + _srcset(source.get("srcset"))
        for url, width in candidates:
            with Image.open(built.file_of(page, url)) as image:
                assert image.width == width
        largest = max(_srcset(img.get("srcset")), key=lambda c: c[1])
        with Image.open(built.file_of(page, largest[0])) as image:
            assert (img.get("width"), img.get("height")) == (str(image.width), str(image.height))
            assert image.format == "JPEG"
        assert built.file_of(page, img.get("src")).suffix == ".jpg"
    widths = [sorted(w for _, w in _srcset(p.xpath(".//img")[0].get("srcset"))) for p in pictures]
    assert widths == [[480, 800], [480, 960, 1400], [480, 700], [480, 920]]


def _srcset(value: str) -> list[tuple[str, int]]:
    pairs = [candidate.rsplit(" ", 1) for candidate in value.split(", ")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def test_phone_photo_is_turned_upright_and_stripped(built):
    page, tree = built.page("tin-tuc/2025/10/kiem-tra-anh")
    img = tree.xpath(f"//*[{cls('tt-post__body')}]//picture//img")[0]
    for url, _ in _srcset(img.get("srcset")):
        with Image.open(built.file_of(page, url)) as image:
            assert image.height > image.width
            assert not image.getexif()
            rgb = image.convert("RGB")
            red = rgb.getpixel((rgb.width - 4, 4))
            assert isinstance(red, tuple) and red[0] > 180 and red[2] < 80, red
    link = next(a for a in tree.xpath(f"//*[{cls('tt-post__body')}]//a") if a.text == "Tải ảnh chào cờ")
    with Image.open(built.file_of(page, link.get("href"))) as large:
        assert (large.size, large.format) == ((800, 1200), "JPEG")


def test_no_original_and_no_metadata_reach_the_site(built):
    originals = {hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in (built.root / "content").rglob("*") if p.is_file() and pipeline.is_image(p.name)}
    published = [p for p in built.site.rglob("*") if p.is_file() and pipeline.is_image(p.name)]
    photos = [p for p in published if "/anh/" in p.as_posix()]
    assert len(photos) >= 20
    for path in published:
        data = path.read_bytes()
        if path.name != "kt-logo.png":  # the theme's logo is published as it is
            assert hashlib.sha256(data).hexdigest() not in originals, path
        for marker in MARKERS:
            assert marker not in data, (path, marker)
    for path in photos:
        with Image.open(path) as image:
            assert not image.getexif() and "icc_profile" not in image.info
    assert not [p for p in (built.site / "posts").rglob("*") if pipeline.is_image(p.name)]
    assert not list(built.site.rglob("kt-nhap*"))


def test_draft_photo_is_not_even_processed(built):
    draft_photo = built.photos / "kt-nhap.jpg"
    key = pipeline.cache_key(draft_photo, pipeline.PHOTO)
    assert not pipeline.ImageCache(built.cache).entry(key).exists()
    assert pipeline.ImageCache(built.cache).load(pipeline.cache_key(built.photos / "kt-xoay.jpg",
                                                                pipeline.PHOTO)) is not None


def test_gallery_is_a_grid_of_links_to_the_large_photos(built):
    page, tree = built.page("tin-tuc/2025/10/kiem-tra-thu-vien")
    (grid,) = tree.xpath(f"//ul[{cls('tt-gallery')}][@data-tt-gallery]")
    links = grid.xpath(f"./li/a[{cls('tt-gallery__link')}]")
    assert [a.get("data-caption") for a in links] == [
        "Đo độ ẩm của đất", "Báo cáo kết quả", "Vườn rau của lớp 7A"]
    for index, link in enumerate(links, start=1):
        with Image.open(built.file_of(page, link.get("href"))) as large:
            assert large.size == (1600, round(1200 * 1600 / (1800 + index)))
        img = link.xpath(".//picture//img")[0]
        assert img.get("loading") == "lazy"
        assert img.get("alt") == link.get("data-caption")
    scripts = loaded_scripts(tree)
    script = next(s for s in scripts if s.endswith("assets/javascripts/gallery.js"))
    code = built.file_of(page, script).read_text(encoding="utf-8")
    assert "Escape" in code and "ArrowRight" in code and "showModal" in code
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), "no third-party hosts"
    sheets = [link.get("href") for link in tree.iter("link") if link.get("rel") == "stylesheet"]
    # photos.css is served in the theme's one stylesheet (site/first_paint.py)
    assert any(".tt-lightbox" in built.file_of(page, css).read_text(encoding="utf-8") for css in sheets)


def test_cover_is_the_card_thumbnail_and_the_open_graph_image(built):
    home = built.site / "index.html"
    tree = lxml_html.fromstring(home.read_bytes())
    card = next(c for c in tree.xpath(f"//article[{cls('tt-card')}]")
                if c.xpath(f".//*[{cls('tt-card__title')}]//a")[0].text == "Kiểm tra ảnh hoạt động")
    assert "tt-card--cover" in card.get("class")
    thumb = card.xpath(f".//*[{cls('tt-card__thumb')}]//picture//img")[0]
    assert thumb.get("alt") == "" and thumb.get("loading") == "lazy"
    assert min(w for _, w in _srcset(thumb.get("srcset"))) == 480
    built.file_of(home, thumb.get("src"))
    uncovered = next(c for c in tree.xpath(f"//article[{cls('tt-card')}]")
                     if "Thư viện ảnh trải nghiệm" in c.text_content())  # no cover: no thumbnail
    assert not uncovered.xpath(f".//*[{cls('tt-card__thumb')}]")
    assert "tt-card--cover" not in uncovered.get("class")

    _, post = built.page("tin-tuc/2025/10/kiem-tra-anh")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in post.iter("meta")}
    assert meta["og:image"].startswith(SITE_URL + "anh/")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    og_file = built.site / meta["og:image"][len(SITE_URL):]
    with Image.open(og_file) as og:
        assert (og.size, og.format) == ((1200, 630), "JPEG")
        assert not og.getexif()
    _, gallery = built.page("tin-tuc/2025/10/kiem-tra-thu-vien")
    assert not [m for m in gallery.iter("meta") if m.get("property") == "og:image"]


def test_second_build_reprocesses_nothing_and_a_changed_photo_is_made_again(network_copy, monkeypatch):
    monkeypatch.delenv(pipeline.CACHE_ENV, raising=False)
    photos = add_photo_posts(network_copy)
    assert build(network_copy)[0] == 0
    cache = network_copy / ".cache" / "images"
    before = _stamps(cache)
    page = network_copy / "public" / UNIT / "tin-tuc/2025/10/kiem-tra-anh/index.html"
    first_html = page.read_text(encoding="utf-8")
    assert first_html.count("<picture") == 4
    for name, profile in [("kt-xoay.jpg", pipeline.PHOTO), ("kt-iphone.heic", pipeline.PHOTO),
                          ("kt-bia.jpg", pipeline.PHOTO), ("kt-bia.jpg", pipeline.OPEN_GRAPH)]:
        key = pipeline.cache_key(photos / name, profile)
        assert cache / key[:2] / key / "manifest.json" in before

    # The text changes, the photos do not: the site is built again (not kept as it was).
    post = photos / "kiem-tra-anh.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nCập nhật: thêm một câu.\n", encoding="utf-8")
    code, output = build(network_copy)

    assert code == 0, output
    assert "giữ nguyên bản đã xây dựng" not in output
    assert "Cập nhật: thêm một câu." in page.read_text(encoding="utf-8")
    assert _stamps(cache) == before, "an unchanged photo must not be processed again"
    assert _picture_urls(page.read_text(encoding="utf-8")) == _picture_urls(first_html)

    phone_jpeg(photos / "kt-xoay.jpg", (1000, 600), orientation=8)
    assert build(network_copy)[0] == 0
    after = _stamps(cache)
    new = {p for p in after if p not in before}
    assert {p.name for p in new} == {"manifest.json", "480.jpg", "480.webp", "600.jpg", "600.webp"}
    assert all(after[p] == stamp for p, stamp in before.items())
    key = next(iter(new)).parent.name
    assert f"anh/{key[:16]}/kt-xoay-600.jpg" in page.read_text(encoding="utf-8")


def _picture_urls(page_html: str) -> list[str]:
    tree = lxml_html.fromstring(page_html)
    return [element.get("srcset") for element in tree.iter("img", "source") if element.get("srcset")]


def _stamps(cache: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}


def test_photos_of_section_pages_are_processed_too(built):
    page, tree = built.page("gioi-thieu")
    img = next(i for i in tree.iter("img") if i.get("alt") == "Toàn cảnh trường")
    assert img.xpath("ancestor::picture")
    assert (img.get("width"), img.get("height")) == ("1600", "1200")
    for url, _ in _srcset(img.get("srcset")):
        assert_no_metadata(built.file_of(page, url))
    assert not list(built.site.rglob("kt-truong.jpg"))
    [logo] = tree.xpath("//header//a[contains(@class,'md-logo')]//img")
    assert built.file_of(page, logo.get("src")).read_bytes() == (
        built.root / "content" / UNIT / "kt-logo.png").read_bytes()


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    assert not any(marker in data for marker in MARKERS), path
    with Image.open(path) as image:
        assert not image.getexif()
