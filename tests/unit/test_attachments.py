"""Files beside posts judged by their content: real files made here (Pillow, zipfile), whatever their name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from trangtin.content import checks
from trangtin.content.attachments import Kind, Use, judge, judge_files

from .test_images import phone_jpeg, png_bomb

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def zipped(entries: dict[str, bytes], mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:  # ODF: first, stored uncompressed
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def image_bytes(fmt: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 30), (20, 120, 200) if mode == "RGB" else 128).save(buffer, fmt)
    return buffer.getvalue()


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["anh.jfif", "anh.jpe", "ANH.JPG", "anh-khong-duoi", "anh.pdf", "anh.txt"])
def test_a_jpeg_is_a_photo_whatever_its_name(tmp_path: Path, name: str):
    assert judge(phone_jpeg(tmp_path / name)).kind is Kind.PHOTO


@pytest.mark.parametrize(("name", "fmt"), [("ve.jpg", "PNG"), ("quet.tif", "TIFF"), ("quet.tiff", "TIFF"),
                                           ("so-do.bmp", "BMP"), ("hinh.webp", "WEBP"), ("dong.gif", "GIF"),
                                           ("bieu-tuong.ico", "ICO")])
def test_every_raster_format_pillow_reads_is_a_photo(tmp_path: Path, name: str, fmt: str):
    assert judge(save(tmp_path, name, image_bytes(fmt))).kind is Kind.PHOTO


def test_an_iphone_heic_without_suffix_is_a_photo(tmp_path: Path):
    pillow_heif.register_heif_opener()
    source = tmp_path / "IMG_0001"
    Image.new("RGB", (64, 48), "green").save(source, format="HEIF")
    assert judge(source).kind is Kind.PHOTO


def test_svg_is_refused_with_how_to_export_a_png(tmp_path: Path):
    verdict = judge(save(tmp_path, "logo.svg", SVG))
    assert verdict.kind is Kind.REFUSED
    assert verdict.message.startswith("là ảnh SVG: không được đăng nguyên dạng")
    assert "PNG" in verdict.hint and "'logo.png'" in verdict.hint


@pytest.mark.parametrize("name", ["trang.html", "trang.HTM", "a.xhtml", "du-lieu.xml", "ma.js", "ma.mjs", "kieu.css",
                                  "cai-dat.exe", "chay.bat", "chay.cmd", "chay.sh", "chay.ps1", "ung-dung.jar",
                                  "ung-dung.apk", "cai-dat.msi", "trang.php"])
def test_web_pages_scripts_and_programs_are_refused_by_name(tmp_path: Path, name: str):
    # Even with a photo inside: a PNG served as .html could carry a script in a text chunk.
    assert judge(save(tmp_path, name, image_bytes("PNG"))).kind is Kind.REFUSED


@pytest.mark.parametrize(("name", "data"), [
    ("bao-cao.pdf", HTML), ("ghi-chu.txt", HTML), ("bang.csv", b"  <svg onload=alert(1)>"),
    ("ke-hoach.docx", SVG), ("khong-duoi", HTML), ("anh.jpg", HTML),
    ("utf16.txt", "\ufeff<html><script>x</script>".encode("utf-16-le")),
])
def test_markup_is_refused_whatever_the_name_says(tmp_path: Path, name: str, data: bytes):
    verdict = judge(save(tmp_path, name, data))
    assert verdict.kind is Kind.REFUSED
    assert verdict.message.startswith("có nội dung là")


@pytest.mark.parametrize(("name", "data"), [
    ("ke-hoach.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("mau-don.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ("bang-diem.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ("mau-don.docx", word()),
    ("bang-diem.xlsx", zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})),
    ("trinh-chieu.pptx", zipped({"[Content_Types].xml": b"<Types/>"})),
    ("van-ban.odt", zipped({"content.xml": b"<office/>"}, b"application/vnd.oasis.opendocument.text")),
    ("bang.ods", zipped({"content.xml": b"<office/>"}, b"application/vnd.oasis.opendocument.spreadsheet")),
    ("don.rtf", b"{\\rtf1\\ansi Don xin nghi hoc}"),
    ("danh-sach.csv", "Họ tên,Lớp\nNguyễn Văn An,6A\n".encode()),
    ("ghi-chu.txt", b"Th\xf4ng b\xe1o ho\xf2c sinh\n"),  # Windows-1258
    ("bai-hat.mp3", b"ID3\x04\0\0\0\0\0\0" + b"\0" * 100),
])
def test_listed_documents_whose_content_matches_are_published(tmp_path: Path, name: str, data: bytes):
    assert judge(save(tmp_path, name, data)).kind is Kind.DOCUMENT


@pytest.mark.parametrize(("name", "data", "label"), [
    ("ke-hoach.pdf", b"Day khong phai PDF", "PDF"),
    ("mau-don.docx", zipped({"word/document.xml": b"<w:document/>"}), "Word"),  # a zip, not a Word file
    ("mau-don.doc", b"Van ban thuong", "Word"),
    ("van-ban.odt", word(), "OpenDocument"),
    ("danh-sach.csv", b"\0\x01\x02binary", "CSV"),
])
def test_a_listed_suffix_with_other_content_is_refused(tmp_path: Path, name: str, data: bytes, label: str):
    verdict = judge(save(tmp_path, name, data))
    assert verdict.kind is Kind.REFUSED
    assert verdict.message.startswith(f"không phải tệp {label} thật")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("tai-lieu.zip", zipped({"a.pdf": b"%PDF-1.4"}), "là tệp nén"),
    ("phim.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 64, "có loại không được đăng (đuôi '.mp4')"),
    ("du-lieu.bin", b"\x00\x01\x02", "có loại không được đăng (đuôi '.bin')"),
    ("khong-duoi", b"\x00\x01\x02", "có loại không được đăng (không có đuôi tên tệp)"),
    ("chuong-trinh.pdf", b"MZ\x90\0" + b"\0" * 60, "là chương trình"),
])
def test_anything_else_is_refused_and_says_what_is_published(tmp_path: Path, name: str, data: bytes, words: str):
    verdict = judge(save(tmp_path, name, data))
    assert verdict.kind is Kind.REFUSED
    assert words in verdict.message
    assert verdict.hint


def test_a_broken_file_named_as_a_photo_goes_to_the_pipeline_to_be_explained(tmp_path: Path):
    assert judge(save(tmp_path, "cut.jpg", b"\xff\xd8\xff\xe0 hong")).kind is Kind.PHOTO
    assert judge(save(tmp_path, "ghi-chu.jpg", "đây là chữ".encode())).kind is Kind.PHOTO


def test_refusals_are_named_on_the_line_that_links_them(tmp_path: Path):
    root = tmp_path / "thcs-a"
    (root / "posts").mkdir(parents=True)
    save(root / "posts", "logo.svg", SVG)
    save(root / "posts", "bo-quen.html", HTML)
    save(root / "posts", "anh.jfif", image_bytes("JPEG"))
    used = {"posts/logo.svg": Use("content/thcs-a/posts/bai.md", 12)}
    judged = judge_files(root, ["posts/logo.svg", "posts/bo-quen.html", "posts/anh.jfif"], used)
    assert judged.of_kind(Kind.PHOTO) == {"posts/anh.jfif"}
    assert judged.of_kind(Kind.REFUSED) == {"posts/logo.svg", "posts/bo-quen.html"}
    rendered = sorted(d.render() for d in judged.diagnostics)
    assert rendered[0].startswith("content/thcs-a/posts/bai.md:12: cảnh báo: tệp content/thcs-a/posts/logo.svg "
                                  "là ảnh SVG")
    assert rendered[1].startswith("content/thcs-a/posts/bo-quen.html: cảnh báo: tệp content/thcs-a/posts/bo-quen.html "
                                  "là trang web")



def test_an_image_too_large_to_decode_is_still_a_photo_for_the_pipeline_to_explain(tmp_path: Path):
    assert judge(png_bomb(tmp_path / "bom.png", 100_000, 100_000)).kind is Kind.PHOTO


def test_check_names_loose_files_and_the_page_lines_that_link_them(tmp_path: Path):
    root = tmp_path / "content" / "thcs-a"
    (root / "gioi-thieu").mkdir(parents=True)
    save(root / "gioi-thieu", "ung-dung.exe", b"MZ\x90\0")
    (root / ".git").mkdir()
    save(root / ".git", "hook.sh", b"#!/bin/sh\n")  # hidden: never published, never judged
    save(root, "highlights.yml", b"include: []\n")  # a setting: never published, never judged
    (root / "van-ban" / "files").mkdir(parents=True)
    save(root / "van-ban" / "files", "trang.html", HTML)
    save(root / "van-ban", "index.md", "---\ntitle: Văn bản\n---\n\nXem [trang cũ](files/trang.html).\n".encode())
    rendered = sorted(d.render() for d in checks.file_problems(root, []))
    assert [line.split(": cảnh báo: ")[0] for line in rendered] == [
        "content/thcs-a/gioi-thieu/ung-dung.exe", "content/thcs-a/van-ban/index.md:5"]
    assert "là chương trình" in rendered[0] and "trang.html là trang web" in rendered[1]


def test_a_symbolic_link_out_of_the_folder_is_refused_whatever_it_points_to(tmp_path: Path):
    secret = save(tmp_path, "mat-khau.txt", b"matkhau=123\n")
    root = tmp_path / "content" / "thcs-a"
    (root / "van-ban").mkdir(parents=True)
    (root / "van-ban" / "ghi-chu.txt").symlink_to(secret)
    judged = judge_files(root, ["van-ban/ghi-chu.txt"], {})
    assert judged.of_kind(Kind.REFUSED) == {"van-ban/ghi-chu.txt"}
    assert "trỏ ra ngoài thư mục nội dung" in judged.diagnostics[0].message
