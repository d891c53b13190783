"""Files beside posts in a real build, judged by their content: the output folder is read back.

Photos with any suffix (or none) come out processed without GPS; SVG, HTML and a page named
``.pdf`` are not published and both the build and ``trangtin check --format json`` name them on
the line that links them; a real PDF is published as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from trangtin.cli.main import main
from trangtin.photos import pipeline

from ..conftest import copy_network
from ..unit.test_images import MARKERS, grey_gradient_16bit, phone_jpeg

UNIT = "thcs-an-binh"
FOLDER = "posts/2025/10"
POST_FILE = f"content/{UNIT}/{FOLDER}/kiem-tra-tep-dinh-kem.md"
POST = """---
title: Kiểm tra tệp đính kèm
date: 2025-10-23 08:00
approved_by: Trần Thị Bích Ngọc
---

Ảnh chụp bằng điện thoại, lưu thành .jfif:

![Ảnh đuôi jfif](kt-chao-co.jfif)

![Ảnh đuôi viết hoa](kt-san-truong.JPG)

![Ảnh không có đuôi](kt-khong-duoi)

![Ảnh PNG đặt tên jpg](kt-tranh.jpg)

![Ảnh quét TIFF](kt-quet.tif)

![Sơ đồ BMP](kt-so-do.bmp)

![Ảnh quét 16 bit](kt-16bit.png)

![Logo của trường](kt-logo.svg)

[Trang giới thiệu cũ](kt-trang.html)

[Tải kế hoạch (PDF)](kt-ke-hoach.pdf)

[Tải biểu mẫu](kt-bieu-mau.pdf)

Đoạn cuối của bài viết.
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("kt-svg-chay")</script><circle r="4"/></svg>\n'
HTML = b'<!DOCTYPE html><html><body><script>alert("kt-html-chay")</script></body></html>\n'
FAKE_PDF = b'<html><body onload="alert(\'kt-pdf-gia\')">Bi\xe1\xbb\x83u m\xe1\xba\xabu</body></html>\n'
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] "
       b"/Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
REGISTER_ENTRY = """documents:
  - so_ky_hieu: "999/KH-GIA"
    ngay_ban_hanh: 2025-10-01
    trich_yeu: Văn bản đặt tên PDF nhưng là trang web
    tep: files/kt-van-ban-gia.pdf
"""
PHOTO_ALTS = ["Ảnh đuôi jfif", "Ảnh đuôi viết hoa", "Ảnh không có đuôi", "Ảnh PNG đặt tên jpg", "Ảnh quét TIFF",
              "Sơ đồ BMP", "Ảnh quét 16 bit"]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def with_gps(image: Image.Image) -> Image.Exif:
    exif = image.getexif()
    exif[0x010F] = "Canon"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 45.0, 30.0)
    gps[0x12] = "WGS-84"
    return exif


def add_attachments(root: Path) -> dict[str, Path]:
    """The post, its files, a loose web page outside posts/ and a register entry naming a fake PDF."""
    unit = root / "content" / UNIT
    folder = unit / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: phone_jpeg(folder / name, (1200, 800), orientation=1)
             for name in ("kt-chao-co.jfif", "kt-san-truong.JPG", "kt-khong-duoi")}
    for name, fmt in (("kt-tranh.jpg", "PNG"), ("kt-quet.tif", "TIFF"), ("kt-so-do.bmp", "BMP")):
        image = Image.new("RGB", (900, 600), (30, 140, 60))
        options = {} if fmt == "BMP" else {"exif": with_gps(image)}
        image.save(folder / name, fmt, **options)
        files[name] = folder / name
    files["kt-16bit.png"] = grey_gradient_16bit(folder / "kt-16bit.png")
    for name, data in (("kt-logo.svg", SVG), ("kt-trang.html", HTML), ("kt-ke-hoach.pdf", PDF),
                       ("kt-bieu-mau.pdf", FAKE_PDF)):
        (folder / name).write_bytes(data)
        files[name] = folder / name
    (folder / "kiem-tra-tep-dinh-kem.md").write_text(POST, encoding="utf-8")
    files["loose.html"] = unit / "gioi-thieu" / "kt-rieng.html"
    files["loose.html"].write_bytes(HTML)
    files["setting.yml"] = unit / "kt-cai-dat.yml"
    files["setting.yml"].write_text("ghi_chu: tệp cài đặt, không đăng\n", encoding="utf-8")
    files["register.pdf"] = unit / "van-ban" / "files" / "kt-van-ban-gia.pdf"
    files["register.pdf"].write_bytes(FAKE_PDF)
    page = unit / "van-ban" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("documents:\n", REGISTER_ENTRY, 1), encoding="utf-8")
    return files


def run(root: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue() + err.getvalue()


@dataclass
class Built:
    root: Path
    files: dict[str, Path]
    output: str

    @property
    def site(self) -> Path:
        return self.root / "public" / UNIT

    def published(self) -> list[Path]:
        return [p for p in self.site.rglob("*") if p.is_file()]

    def post(self) -> tuple[Path, lxml_html.HtmlElement]:
        path = self.site / "tin-tuc/2025/10/kiem-tra-tep-dinh-kem/index.html"
        return path, lxml_html.fromstring(path.read_bytes())

    def target(self, page: Path, url: str) -> Path:
        return Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), url)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = copy_network(tmp_path_factory.mktemp("attachments") / "network")
    files = add_attachments(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(pipeline.CACHE_ENV, str(root / ".cache" / "images"))
        code, output = run(root, "build", UNIT, "--jobs", "1")
        assert code == 0, output
        yield Built(root, files, output)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_photo_is_processed_whatever_its_suffix(built: Built):
    page, tree = built.post()
    pictures = {img.get("alt"): img for img in tree.xpath("//picture//img")}
    assert [alt for alt in PHOTO_ALTS if alt not in pictures] == []
    for alt in PHOTO_ALTS:
        with Image.open(built.target(page, pictures[alt].get("src"))) as image:
            assert image.format == "JPEG" and "/anh/" in pictures[alt].get("src")


def test_no_original_bytes_and_no_gps_in_any_published_image(built: Built):
    kept_as_is = {"kt-ke-hoach.pdf"}
    originals = {_sha(path.read_bytes()) for name, path in built.files.items() if name not in kept_as_is}
    published = built.published()
    assert not [p for p in published if _sha(p.read_bytes()) in originals]
    images = 0
    for path in published:
        try:
            image = Image.open(path)
        except (OSError, SyntaxError, ValueError):
            continue
        with image:
            images += 1
            exif = image.getexif()
            assert not exif.get_ifd(0x8825) and not exif, path
        data = path.read_bytes()
        assert not [marker for marker in MARKERS if marker in data], path
    assert images >= 7 * 2


def test_svg_html_and_fake_pdf_are_not_published_and_the_pdf_is(built: Built):
    published = built.published()
    names = {p.name for p in published}
    assert not names & {"kt-logo.svg", "kt-trang.html", "kt-rieng.html", "kt-bieu-mau.pdf", "kt-van-ban-gia.pdf"}
    for marker in (b"kt-svg-chay", b"kt-html-chay", b"kt-pdf-gia"):
        assert not [p for p in published if marker in p.read_bytes()], marker
    page, tree = built.post()
    link = next(a for a in tree.iter("a") if a.text == "Tải kế hoạch (PDF)")
    assert built.target(page, link.get("href")).read_bytes() == PDF
    missing = [span.text for span in tree.xpath("//*[contains(@class, 'tt-missing-photo')]")]
    assert missing == ["Logo của trường"]  # the SVG's place shows its description
    assert "Đoạn cuối của bài viết." in tree.text_content()


def test_a_16_bit_greyscale_scan_keeps_its_tones_on_the_site(built: Built):
    page, tree = built.post()
    img = next(i for i in tree.xpath("//picture//img") if i.get("alt") == "Ảnh quét 16 bit")
    with Image.open(built.target(page, img.get("src"))) as image:
        grey = image.convert("L")
        low, high = grey.getextrema()
        mean = sum(i * n for i, n in enumerate(grey.histogram())) / (grey.width * grey.height)
    assert int(low) <= 5 and int(high) >= 250 and 115 <= mean <= 140, (low, high, mean)


def expected_refusals() -> list[tuple[str, int | None, str]]:
    register_line = line_of("---\ntitle: Văn bản\n" + REGISTER_ENTRY, "tep: files/kt-van-ban-gia.pdf")
    return [
        (POST_FILE, line_of(POST, "kt-logo.svg"), f"tệp content/{UNIT}/{FOLDER}/kt-logo.svg là ảnh SVG"),
        (POST_FILE, line_of(POST, "kt-trang.html"), f"tệp content/{UNIT}/{FOLDER}/kt-trang.html là trang web"),
        (POST_FILE, line_of(POST, "kt-bieu-mau.pdf"),
         f"tệp content/{UNIT}/{FOLDER}/kt-bieu-mau.pdf có nội dung là HTML"),
        (f"content/{UNIT}/van-ban/index.md", register_line,
         f"tệp content/{UNIT}/van-ban/files/kt-van-ban-gia.pdf có nội dung là HTML"),
        (f"content/{UNIT}/gioi-thieu/kt-rieng.html", None,
         f"tệp content/{UNIT}/gioi-thieu/kt-rieng.html là trang web"),
    ]


def test_the_build_names_each_refusal_on_the_line_that_links_it(built: Built):
    lines = built.output.splitlines()
    for path, line, start in expected_refusals():
        where = f"{path}:{line}" if line else path
        assert [x for x in lines if x.startswith(f"{where}: cảnh báo: {start}") and " — " in x], (where, start)
    svg = next(x for x in lines if "kt-logo.svg là ảnh SVG" in x)
    assert "PNG" in svg.split(" — ", 1)[1]
    assert "Traceback" not in built.output
    assert "kt-cai-dat.yml" not in built.output  # a setting: not published, nothing to report
    assert not list(built.site.rglob("kt-cai-dat.yml"))


def test_check_json_lists_each_refusal_with_file_and_line(built: Built):
    code, output = run(built.root, "check", UNIT, "--format", "json")
    diagnostics = json.loads(output)["diagnostics"]
    for path, line, start in expected_refusals():
        found = [d for d in diagnostics if d["path"] == path and d["line"] == line and d["message"].startswith(start)]
        assert len(found) == 1, (path, line, start)
        assert found[0]["severity"] == "warning" and found[0]["hint"] and found[0]["unit"] == UNIT
    assert not [d for d in diagnostics if "kt-ke-hoach.pdf" in d["message"] or "kt-chao-co" in d["message"]]
