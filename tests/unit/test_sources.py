"""Encodings teachers' files arrive in: accepted when unambiguous, explained when not."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.unit.test_content import POST, front, make_network, read, rendered, write
from trangtin.content.sources import page_text, read_source

TEXT = front("title: Lễ khai giảng năm học mới", "date: 2025-09-05",
             body="Học sinh đến trường, thầy cô đón chào. Đội nghi lễ ổn định hàng ngũ.\n")
SAVE_AS = "mở tệp bằng Notepad, chọn Lưu thành… (Save As), ở ô Mã hóa (Encoding) chọn UTF-8 rồi lưu lại"
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters precomposed, tone marks as separate bytes."""
    out = []
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.DOTALL):
        marks = cluster[1:]
        base = unicodedata.normalize("NFC", cluster[0] + "".join(m for m in marks if m not in TONE_MARKS))
        out.append(base + "".join(m for m in marks if m in TONE_MARKS))
    return "".join(out).encode("cp1258")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def test_windows_1258_is_named_and_explained(root: Path):
    data = windows_1258(TEXT)
    assert data.decode("cp1258") != TEXT and unicodedata.normalize("NFC", data.decode("cp1258")) == TEXT
    write(root, POST, data)
    result = read(root)
    assert rendered(result) == [
        f"{POST}:2: lỗi: tệp được lưu bằng bảng mã cũ Windows-1258, không phải UTF-8 — {SAVE_AS}"]
    assert result.posts == []


def test_tcvn3_or_vni_is_explained_with_the_converter(root: Path):
    # "Lễ khai giảng năm học" as TCVN3 (ABC) bytes: precomposed letters in the 0xA0–0xFF range.
    write(root, POST, b"---\ntitle: L\xd6 khai gi\xb6ng n\xa8m h\xe4c\ndate: 2025-09-05\n---\n")
    assert rendered(read(root)) == [
        f"{POST}:2: lỗi: tệp không phải UTF-8 (có vẻ là bảng mã cũ TCVN3 hoặc VNI) — mở Unikey, chọn Công cụ "
        "(Ctrl+Shift+F6), bảng mã nguồn TCVN3 (ABC) hoặc VNI Windows, bảng mã đích Unicode, chuyển mã rồi lưu "
        "tệp bằng bảng mã UTF-8"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_is_explained(root: Path, encoding: str):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    write(root, POST, data)
    assert rendered(read(root)) == [
        f"{POST}:1: lỗi: tệp được lưu bằng bảng mã UTF-16 (Unicode của Notepad cũ), không đọc được — {SAVE_AS}"]


def test_utf16_without_bom_is_recognised(root: Path):
    write(root, POST, TEXT.encode("utf-16-le"))
    assert "bảng mã UTF-16" in rendered(read(root))[0]


def test_a_word_document_saved_as_md(root: Path):
    write(root, POST, b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    assert rendered(read(root)) == [
        f"{POST}: lỗi: tệp này là tệp Word/nén (.docx, .zip), không phải văn bản Markdown — "
        "mở tệp bằng Word, chép nội dung rồi dán vào một tệp .md soạn bằng Notepad"]


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.replace("\n", "\r").encode("utf-8"),
], ids=["utf8", "bom", "crlf", "bom-crlf", "cr"])
def test_utf8_in_every_windows_shape_is_accepted(tmp_path: Path, data: bytes):
    path = write(tmp_path, "bai.md", data)
    source = read_source(path, "bai.md")
    assert source.diagnostics == []
    assert source.meta["title"] == "Lễ khai giảng năm học mới"
    assert source.line("date") == 3 and source.body_line == 5
    assert source.body.startswith("\nHọc sinh đến trường") and "\r" not in source.body


def test_nfd_text_is_normalised_and_noted(tmp_path: Path):
    path = write(tmp_path, "bai.md", unicodedata.normalize("NFD", TEXT).encode("utf-8"))
    source = read_source(path, "bai.md")
    assert [d.render() for d in source.diagnostics] == [
        "bai.md:1: lưu ý: văn bản ở dạng Unicode tổ hợp (NFD), đã tự chuyển sang NFC — "
        "không cần làm gì; nếu soạn trên máy Mac, có thể bỏ qua thông báo này"]
    assert source.meta["title"] == unicodedata.normalize("NFC", "Lễ khai giảng năm học mới")


def test_unreadable_file_is_explained(tmp_path: Path):
    folder = tmp_path / "bai.md"
    folder.mkdir()  # reading a folder fails like an unreadable file does
    source = read_source(folder, "bai.md")
    assert len(source.diagnostics) == 1
    assert source.diagnostics[0].render().startswith("bai.md: lỗi: không đọc được tệp (")
    assert not source.readable


def test_page_text_for_mkdocs_never_fails():
    placeholder = "Đang cập nhật.\n"
    good = "---\ntitle: Giới thiệu\n---\n\nNội dung.\n"
    assert page_text(good.encode("utf-8"), "a.md", placeholder) == good
    broken = "---\ntitle: Giới thiệu: lịch sử\n---\n\nNội dung.\n"
    assert page_text(broken.encode("utf-8"), "a.md", placeholder) == "\nNội dung.\n"
    assert page_text(windows_1258(good), "a.md", placeholder) == placeholder
    assert page_text(good.replace("\n", "\r\n").encode("utf-16"), "a.md", placeholder) == placeholder
