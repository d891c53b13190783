"""Report periods in local time: month, quarter, semester (học kỳ), school year, year, range.

Every period is half-open ``[start, end)`` between local midnights of the network's zone, so
a post at 23:30 on 31/08 stays in the old school year and one at 00:30 on 01/09 opens the
new one, whatever zone its feed wrote the date in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from trangtin.common.diagnostics import TrangtinError, error
from trangtin.network.model import Network, Semester

KINDS = ("month", "quarter", "semester", "school_year", "year", "range")
CLI_KINDS = {"month": "month", "quarter": "quarter", "semester": "semester",
             "school-year": "school_year", "school_year": "school_year", "year": "year",
             "range": "range"}


@dataclass(frozen=True)
class Period:
    kind: str
    label: str
    start: dt.datetime  # aware, local midnight, included
    end: dt.datetime    # aware, local midnight, excluded

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return self.end.date() - dt.timedelta(days=1)

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def end_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first instant after ``day`` in local time: items before it are 'on or before'."""
    return midnight(day + dt.timedelta(days=1), zone)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _span(kind: str, label: str, first: dt.date, after: dt.date, zone: dt.tzinfo) -> Period:
    return Period(kind, label, midnight(first, zone), midnight(after, zone))


def month(year: int, month_: int, zone: dt.tzinfo) -> Period:
    after = _add_months(year, month_, 1)
    return _span("month", f"Tháng {month_:02d}/{year}", dt.date(year, month_, 1),
                 dt.date(*after, 1), zone)


def quarter(year: int, number: int, zone: dt.tzinfo) -> Period:
    first = 3 * (number - 1) + 1
    after = _add_months(year, first, 3)
    return _span("quarter", f"Quý {('I', 'II', 'III', 'IV')[number - 1]}/{year}",
                 dt.date(year, first, 1), dt.date(*after, 1), zone)


def year(year_: int, zone: dt.tzinfo) -> Period:
    return _span("year", f"Năm {year_}", dt.date(year_, 1, 1), dt.date(year_ + 1, 1, 1), zone)


def school_year(start_year: int, start_month: int, zone: dt.tzinfo) -> Period:
    return _span("school_year", f"Năm học {start_year}-{start_year + 1}",
                 dt.date(start_year, start_month, 1), dt.date(start_year + 1, start_month, 1), zone)


def date_range(first: dt.date, last: dt.date, zone: dt.tzinfo) -> Period:
    label = f"Từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"
    return _span("range", label, first, last + dt.timedelta(days=1), zone)


def school_year_start(day: dt.date, start_month: int) -> int:
    return day.year if day.month >= start_month else day.year - 1


def _day_in_school_year(start_year: int, start_month: int, month_day: tuple[int, int]) -> dt.date:
    month_, day = month_day
    year_ = start_year if month_ >= start_month else start_year + 1
    return dt.date(year_, month_, min(day, calendar.monthrange(year_, month_)[1]))


def semesters_of(start_year: int, network: Network) -> list[Period]:
    """The học kỳ of one school year, from the dates set in ``network.yml``."""
    zone, start_month = network.timezone, network.school_year_start_month
    found = []
    for semester in network.semesters:
        first = _day_in_school_year(start_year, start_month, semester.start)
        last = _day_in_school_year(start_year, start_month, semester.end)
        found.append(_span("semester", _semester_label(semester, start_year), first,
                           last + dt.timedelta(days=1), zone))
    return found


def _semester_label(semester: Semester, start_year: int) -> str:
    return f"{semester.name}, năm học {start_year}-{start_year + 1}"


def containing(kind: str, day: dt.date, network: Network) -> Period:
    """The period of ``kind`` that holds ``day`` (for a semester: the last one begun)."""
    zone, start_month = network.timezone, network.school_year_start_month
    if kind == "month":
        return month(day.year, day.month, zone)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1, zone)
    if kind == "year":
        return year(day.year, zone)
    if kind == "school_year":
        return school_year(school_year_start(day, start_month), start_month, zone)
    if kind == "semester":
        return _semester_at(day, network)
    raise ValueError(f"unknown period kind {kind!r}")


def _semester_at(day: dt.date, network: Network) -> Period:
    moment = midnight(day, network.timezone)
    current = school_year_start(day, network.school_year_start_month)
    begun = [p for y in (current - 1, current) for p in semesters_of(y, network)
             if p.start <= moment]
    inside = [p for p in begun if p.contains(moment)]
    return (inside or sorted(begun, key=lambda p: p.start))[-1]


def covering(kind: str, start: dt.datetime, end: dt.datetime,
             network: Network) -> Iterator[Period]:
    """Every period of ``kind`` that overlaps ``[start, end)``, in order."""
    if start >= end:
        return
    if kind == "semester":
        first = school_year_start(start.date(), network.school_year_start_month)
        last = school_year_start(end.date(), network.school_year_start_month)
        for start_year in range(first - 1, last + 1):
            yield from (p for p in semesters_of(start_year, network)
                        if p.start < end and p.end > start)
        return
    period = containing(kind, start.date(), network)
    while period.start < end:
        yield period
        period = containing(kind, period.end.date(), network)


def resolve(kind: str, as_of: dt.date, network: Network, first: dt.date | None = None,
            last: dt.date | None = None) -> Period:
    """The report period asked for on the command line."""
    if kind == "range":
        if first is None or last is None:
            raise ValueError("range needs both ends")
        return date_range(first, last, network.timezone)
    if kind == "month" and network.report_day:
        return reporting_month(as_of, network.report_day, network.timezone)
    return containing(kind, as_of, network)


def reporting_month(day: dt.date, report_day: int, zone: dt.tzinfo) -> Period:
    """The monthly report due before ``report_day`` that counts ``day``: its figures run from
    ``report_day`` of the month before to the day before ``report_day`` (figures closed before
    the due day, as Nghị định 09/2019/NĐ-CP Điều 12 closes monthly reports).

    With ``report_day: 20``, "Tháng 11/2025" is 20/10/2025–19/11/2025, and 20/11/2025 already
    counts for "Tháng 12/2025".
    """
    due = _add_months(day.year, day.month, 1) if day.day >= report_day else (day.year, day.month)
    first = dt.date(*_add_months(*due, -1), report_day)
    after = dt.date(*due, report_day)
    last = after - dt.timedelta(days=1)
    label = f"Tháng {due[1]:02d}/{due[0]} (từ {first:%d/%m/%Y} đến {last:%d/%m/%Y})"
    return _span("month", label, first, after, zone)


def month_keys(start: dt.datetime, end: dt.datetime) -> list[str]:
    """``YYYY-MM`` of every local month overlapping ``[start, end)`` (local midnights)."""
    keys, (y, m) = [], (start.year, start.month)
    while start < end and dt.date(y, m, 1) < end.date():
        keys.append(f"{y:04d}-{m:02d}")
        y, m = _add_months(y, m, 1)
    return keys


def parse_day(text: str, option: str) -> dt.date:
    """A day given on the command line (``2025-08-31``), or a Vietnamese explanation."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise TrangtinError([error("dòng lệnh", None, f"{option}: ngày '{text}' không đọc được",
                                   "viết ngày theo dạng năm-tháng-ngày, ví dụ 2025-08-31")]) from None
