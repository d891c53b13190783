"""What the registers show beside each entry: the kind of document, the file's type and size."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.site.registers import FileInfo, document_type, file_info, vietnamese_size


@pytest.mark.parametrize(("number", "kind"), [
    ("123/KH-THCSAB", "Kế hoạch"), ("126/QĐ-THCSAB", "Quyết định"), ("45/TB-UBND", "Thông báo"),
    ("12/TTr-THCSAB", "Tờ trình"), ("7/qđ-thcsab", "Quyết định"), ("1845/UBND-VP", "Văn bản khác"),
    ("Công văn số 5", "Văn bản khác"), (None, "Văn bản khác"), (2025, "Văn bản khác"),
])
def test_the_kind_of_document_is_read_from_its_number(number, kind):
    assert document_type(number) == kind


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 B"), (820, "820 B"), (1024, "1 KB"), (1500, "1 KB"), (250_000, "244 KB"),
    (1024 * 1024, "1,0 MB"), (1_258_291, "1,2 MB"), (25 * 1024 * 1024, "25,0 MB"),
])
def test_sizes_are_written_with_the_vietnamese_decimal_comma(size, shown):
    assert vietnamese_size(size) == shown


def test_a_file_beside_the_page_has_its_type_and_size(tmp_path: Path):
    page_dir = tmp_path / "van-ban"
    (page_dir / "files").mkdir(parents=True)
    (page_dir / "files" / "ke-hoach.pdf").write_bytes(b"%PDF" + b"0" * 3000)
    (page_dir / "files" / "bieu-mau.DOCX").write_bytes(b"x" * 2_000_000)
    assert file_info(page_dir, tmp_path, "files/ke-hoach.pdf") == FileInfo("PDF", "3 KB")
    assert file_info(page_dir, tmp_path, "files/bieu-mau.DOCX").label == "Word, 1,9 MB"


def test_a_file_outside_the_site_or_missing_shows_its_type_only(tmp_path: Path):
    page_dir = tmp_path / "docs" / "van-ban"
    page_dir.mkdir(parents=True)
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    assert file_info(page_dir, tmp_path / "docs", "../../secret.pdf") == FileInfo("PDF", "")
    assert file_info(page_dir, tmp_path / "docs", "files/missing.xlsx") == FileInfo("Excel", "")
    assert file_info(page_dir, tmp_path / "docs", "https://example.gov.vn/a.pdf").label == "PDF"
    assert file_info(page_dir, tmp_path / "docs", "") is None
