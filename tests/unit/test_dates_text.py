"""Dates are local (Asia/Ho_Chi_Minh) and Vietnamese; slugs fold đ to d."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from trangtin.common import dates, text

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def test_naive_date_is_local_not_utc():
    value = dates.parse_date(dt.datetime(2025, 8, 31, 23, 30))  # noqa: DTZ001 - YAML gives naive
    assert value.utcoffset() == dt.timedelta(hours=7)
    assert dates.school_year_of(value).label == "2024-2025"
    assert dates.month_key(value) == "2025-08"


def test_offset_date_is_converted_to_local():
    value = dates.parse_date(dt.datetime(2025, 8, 31, 17, 30, tzinfo=dt.UTC))
    assert (value.day, value.hour) == (1, 0)
    assert dates.school_year_of(value).label == "2025-2026"


def test_text_dates_and_the_habits_teachers_have():
    assert dates.parse_date("2025-09-05 07:30") == dt.datetime(2025, 9, 5, 7, 30, tzinfo=LOCAL)
    assert dates.parse_date(dt.date(2025, 9, 5)) == dt.datetime(2025, 9, 5, tzinfo=LOCAL)
    with pytest.raises(dates.DateProblem) as caught:
        dates.parse_date("05/09/2025")
    assert "ngày/tháng/năm" in caught.value.message and "2025-09-05" in caught.value.hint
    with pytest.raises(dates.DateProblem) as caught:
        dates.parse_date("2026-02-30")
    assert "không có thật" in caught.value.message


def test_vietnamese_weekday_format():
    assert dates.vietnamese_date(dt.date(2026, 11, 23)) == "Thứ Hai, 23/11/2026"
    assert dates.vietnamese_date(dt.datetime(2025, 9, 5, 7, 30, tzinfo=LOCAL)) == "Thứ Sáu, 05/09/2025"


def test_school_year_bounds_are_half_open_local():
    begin, end = dates.SchoolYear(2025).bounds()
    assert begin == dt.datetime(2025, 9, 1, tzinfo=LOCAL)
    assert end == dt.datetime(2026, 9, 1, tzinfo=LOCAL)


def test_slug_and_fold():
    assert text.slugify("Lễ khai giảng năm học 2025–2026") == "le-khai-giang-nam-hoc-2025-2026"
    assert text.slugify("Đại hội Đoàn trường") == "dai-hoi-doan-truong"
    assert text.fold("Đại hội TRƯỜNG") == "dai hoi truong"
    assert text.nfc("Tiếng Việt".encode().decode()) == "Tiếng Việt"


@pytest.mark.parametrize(("markdown", "expected"), [
    ("## Lễ khai giảng\n\nHọc sinh **vui** đến _trường_", "Lễ khai giảng Học sinh vui đến trường"),
    ("Xem [kế hoạch](ke-hoach.pdf) và ![ảnh](anh.jpg) nhé.", "Xem kế hoạch và nhé."),
    ("| Lớp | Sĩ số |\n|---|---|\n| 6A | 40 |", "Lớp Sĩ số --- --- 6A 40"),
    ("a<br>b\u00a0\u00a0c\u3000d\n\n\t e", "a b c d e"),  # Unicode spaces are spaces too
    ("`mã` ~~bỏ~~ > trích", "mã bỏ trích"),
    ("  \n**\n\n", ""),
])
def test_plain_text_of_markdown(markdown: str, expected: str):
    assert text.plain_text(markdown) == expected
