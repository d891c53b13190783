"""Dates as schools count them: Asia/Ho_Chi_Minh, naive means local, school years from 1 September.

Material for MkDocs and feedparser read naive dates as UTC, which moves a 23:30 post on
31/08 into the next school year; here a naive date is always local time.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
LOCAL = ZoneInfo(DEFAULT_TIMEZONE)

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*$")
_SHORT_YEAR = re.compile(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\s.*)?$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


class DateProblem(ValueError):
    """A date that cannot be read; the message and hint are Vietnamese."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def localize(value: dt.datetime, zone: dt.tzinfo = LOCAL) -> dt.datetime:
    """Naive → local; aware → converted to local."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def now(zone: dt.tzinfo = LOCAL) -> dt.datetime:
    return dt.datetime.now(zone)


def parse_date(value: object, zone: dt.tzinfo = LOCAL) -> dt.datetime:
    """Read a front-matter date (YAML datetime, date or string) as an aware local datetime."""
    if isinstance(value, dt.datetime):
        return localize(value, zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, str):
        return _parse_date_text(value, zone)
    raise DateProblem(
        f"ngày '{value}' không đọc được",
        "viết ngày theo dạng 2025-09-05 hoặc 2025-09-05 07:30",
    )


def parse_typed_date(text: str, zone: dt.tzinfo = LOCAL) -> dt.datetime:
    """A date typed on the command line: as in the front matter, or day first as teachers
    write it (25/12/2026, 25-12-2026, 25/12/2026 14:30), local time."""
    if _SHORT_YEAR.match(text):
        raise DateProblem(f"năm trong ngày '{text.strip()}' chỉ có hai chữ số",
                          "viết đủ bốn chữ số của năm, ví dụ 25/12/2026")
    if match := _DAY_FIRST.match(text):
        day, month, year, hour, minute = (int(g) if g else 0 for g in match.groups())
        if month > 12 and 1 <= day <= 12:  # 12/25/2026: written month first
            raise DateProblem(f"ngày '{text.strip()}' không có thật (không có tháng {month})",
                              f"viết ngày trước, tháng sau: {month:02d}/{day:02d}/{year}")
        return _build(text, year, month, day, hour, minute, 0, zone)
    if _ISO.match(text):
        return _parse_date_text(text, zone)
    raise DateProblem(f"ngày '{text.strip()}' không đọc được",
                      "viết ngày theo dạng 25/12/2026 hoặc 25/12/2026 14:30 (giờ Việt Nam)")


def _parse_date_text(text: str, zone: dt.tzinfo) -> dt.datetime:
    if match := _ISO.match(text):
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        return _build(text, year, month, day, hour, minute, second, zone)
    if match := _DAY_FIRST.match(text):
        day, month, year, hour, minute = (int(g) if g else 0 for g in match.groups())
        _build(text, year, month, day, hour, minute, 0, zone)  # 30/02/2025: say it does not exist
        iso = f"{year:04d}-{month:02d}-{day:02d}" + (f" {hour:02d}:{minute:02d}" if hour else "")
        raise DateProblem(
            f"ngày '{text.strip()}' viết theo kiểu ngày/tháng/năm",
            f"hãy viết theo dạng năm-tháng-ngày: {iso}",
        )
    try:
        return localize(dt.datetime.fromisoformat(text.strip()), zone)
    except ValueError:
        raise DateProblem(
            f"ngày '{text.strip()}' không đọc được",
            "viết ngày theo dạng 2025-09-05 hoặc 2025-09-05 07:30",
        ) from None


def _build(text: str, *parts: int | dt.tzinfo) -> dt.datetime:
    year, month, day, hour, minute, second, zone = parts
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)  # type: ignore[arg-type]
    except ValueError:
        raise _impossible(text.strip(), year, month, day) from None  # type: ignore[arg-type]


def _impossible(text: str, year: int, month: int, day: int) -> DateProblem:
    """Say which part of a date that does not exist is wrong: the month, the day or the time."""
    if not 1 <= month <= 12:
        return DateProblem(f"ngày '{text}' không có thật (không có tháng {month})", "kiểm tra lại ngày, tháng")
    try:
        dt.date(2000 if month == 2 and day == 29 else 2001, month, day)
    except ValueError:
        return DateProblem(f"ngày '{text}' không có thật (tháng {month} không có ngày {day})",
                           "kiểm tra lại ngày, tháng")
    if month == 2 and day == 29:
        return DateProblem(f"ngày '{text}' không có thật (năm {year} không nhuận, tháng 2 chỉ có 28 ngày)",
                           "kiểm tra lại năm, tháng")
    return DateProblem(f"giờ trong '{text}' không có thật", "giờ viết từ 00:00 đến 23:59, ví dụ 07:30")


def vietnamese_date(value: dt.datetime | dt.date) -> str:
    """``Thứ Hai, 23/11/2026``."""
    return _vietnamese_day(value.date() if isinstance(value, dt.datetime) else value)


@functools.lru_cache(maxsize=4096)
def _vietnamese_day(day: dt.date) -> str:
    return format_date(day, "EEEE, dd/MM/yyyy", locale="vi")  # Babel: ~50 µs a call, a date on every card


def short_date(value: dt.datetime | dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def month_name(year: int, month: int) -> str:
    return f"Tháng {month:02d}/{year}"


@dataclass(frozen=True)
class SchoolYear:
    """Năm học: 1 September to 31 August by default (the start month is configurable)."""

    start: int
    start_month: int = 9

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def bounds(self, zone: dt.tzinfo = LOCAL) -> tuple[dt.datetime, dt.datetime]:
        """Half-open [from, to) in local time."""
        begin = dt.datetime(self.start, self.start_month, 1, tzinfo=zone)
        end = dt.datetime(self.start + 1, self.start_month, 1, tzinfo=zone)
        return begin, end


def school_year_of(value: dt.datetime, start_month: int = 9, zone: dt.tzinfo = LOCAL) -> SchoolYear:
    local = localize(value, zone)
    start = local.year if local.month >= start_month else local.year - 1
    return SchoolYear(start, start_month)


def month_key(value: dt.datetime, zone: dt.tzinfo = LOCAL) -> str:
    return localize(value, zone).strftime("%Y-%m")
