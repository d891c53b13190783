"""``trangtin new --date`` takes the date as teachers write it (day first), in local time, and
refuses a date that is ambiguous or does not exist, in Vietnamese, without writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_content import make_network
from trangtin.cli.main import main
from trangtin.content.sources import read_source

TITLE = "Hội thi giáo viên dạy giỏi"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def new_with_date(root: Path, capsys: pytest.CaptureFixture[str], typed: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "new", "thcs-a", TITLE, "--date", typed])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("typed", "written"), [
    ("25/12/2026", "2026-12-25 00:00"),
    ("25/12/2026 14:30", "2026-12-25 14:30"),
    ("25-12-2026", "2026-12-25 00:00"),
    ("5.1.2027 7h05", "2027-01-05 07:05"),
    ("2026-12-25 14:30", "2026-12-25 14:30"),
])
def test_new_accepts_the_date_as_teachers_write_it(root, capsys, typed, written):
    code, out, err = new_with_date(root, capsys, typed)
    assert code == 0, err
    year, month = written[:4], written[5:7]
    assert out.strip() == f"content/thcs-a/posts/{year}/{month}/hoi-thi-giao-vien-day-gioi.md"
    source = read_source(root / out.strip(), out.strip())
    assert source.diagnostics == []
    assert source.meta["date"] == written  # local time, as typed: no shift to UTC
    assert f"date: {written}" in (root / out.strip()).read_text(encoding="utf-8")


@pytest.mark.parametrize(("typed", "message"), [
    ("12/25/2026", "ngày '12/25/2026' không có thật (không có tháng 25) — viết ngày trước, "
                   "tháng sau: 25/12/2026"),
    ("25/12/26", "năm trong ngày '25/12/26' chỉ có hai chữ số — viết đủ bốn chữ số của năm, "
                 "ví dụ 25/12/2026"),
    ("30/02/2026", "ngày '30/02/2026' không có thật (tháng 2 không có ngày 30)"),
    ("29/02/2026", "ngày '29/02/2026' không có thật (năm 2026 không nhuận"),
    ("25/13/2026", "ngày '25/13/2026' không có thật (không có tháng 13)"),
    ("25/12/2026 24:10", "giờ trong '25/12/2026 24:10' không có thật"),
    ("ngày mai", "ngày 'ngày mai' không đọc được — viết ngày theo dạng 25/12/2026"),
])
def test_new_refuses_an_ambiguous_or_impossible_date(root, capsys, typed, message):
    code, out, err = new_with_date(root, capsys, typed)
    assert (code, out) == (1, "")
    assert err.startswith(f"(dòng lệnh): lỗi: {message}"), err
    assert "Traceback" not in err
    assert not (root / "content" / "thcs-a" / "posts").exists()
