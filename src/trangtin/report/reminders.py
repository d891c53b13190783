"""Reminders (nhắc việc): one short message per unit that is behind, ready to paste into Zalo
or an email: "Tổ Toán – Tin (Trường THCS An Bình): còn thiếu 1 bài tháng 11/2025, hạn trước
ngày 20/11/2025".

A reminder is made of ``Missing`` facts: what a unit still owes and the first day it is late.
Quotas give them (``quota_facts``: the quota period holding the report's as-of day), and so
does the disclosure calendar (``disclosure_facts``: the next item not published yet, and the
periods of the last month whose item never was); any other check that finds something
missing passes its own facts to ``reminders`` with them, and the messages and the workbook's
sheet list them all.

A unit is behind a monthly quota when the month's count is short; behind a longer one (40
per school year) when it has fewer items than the quota pro rata of the days gone by, so a
school is not reminded in September of the whole year's quota. The due day of a month is the
network's reporting day (``report_day: 20`` in ``network.yml``: "trước ngày 20 hằng tháng")
while it is still ahead; otherwise, and for longer periods, the day after the period ends.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from trangtin.content.calendar import MISSING, PENDING
from trangtin.network.model import Network
from trangtin.report.counting import QuotaPeriod, Report, UnitRow

VIEW_KEY = "nhac-viec"
VIEW_TITLE = "Nhắc việc"
HEADERS = ("Mã đơn vị", "Đơn vị", "Còn thiếu", "Hạn trước ngày", "Tin nhắn")


@dataclass(frozen=True)
class Missing:
    """One thing a unit still owes: ``what`` ("1 bài tháng 11/2025"), due before ``due``."""

    unit: str
    what: str
    due: dt.date


@dataclass(frozen=True)
class Reminder:
    unit: str
    label: str                 # "Tổ Toán – Tin (Trường THCS An Bình)"
    facts: tuple[Missing, ...]

    @property
    def message(self) -> str:
        owed = "; ".join(f"còn thiếu {f.what}, hạn trước ngày {f.due:%d/%m/%Y}"
                         for f in self.facts)
        return f"{self.label}: {owed}"


def due_day(period: QuotaPeriod, as_of: dt.date, report_day: int | None) -> dt.date:
    """The first late day of a quota period: the month's reporting day while still ahead,
    else the day after the period."""
    after = period.last + dt.timedelta(days=1)
    if report_day is None or not _is_month(period):
        return after
    due = period.first.replace(day=report_day)
    return due if as_of < due else after


def _is_month(period: QuotaPeriod) -> bool:
    return period.first.day == 1 and (period.last + dt.timedelta(days=1)).day == 1 \
        and period.last - period.first < dt.timedelta(days=31)


def _behind(period: QuotaPeriod, as_of: dt.date) -> bool:
    """Short of the quota, pro rata of the days gone by for a period longer than a month."""
    if not (period.missing or period.media_missing):
        return False
    if _is_month(period) or as_of >= period.last:
        return True
    days = (period.last - period.first).days + 1
    gone = (as_of - period.first).days + 1
    count = period.published + period.missing
    return period.published < math.ceil(count * gone / days)


def _owed(period: QuotaPeriod) -> str:
    """``1 bài tháng 11/2025`` or ``1 bài và 1 bài có ảnh/video năm học 2025-2026``."""
    parts = []
    if period.missing:
        parts.append(f"{period.missing} bài")
    if period.media_missing:
        parts.append(f"{period.media_missing} bài có ảnh/video")
    label = period.label[:1].lower() + period.label[1:]
    return f"{' và '.join(parts)} {label}"


def quota_facts(report: Report, report_day: int | None) -> list[Missing]:
    """Per unit behind its quota in the quota period that holds the as-of day."""
    found = []
    for row in report.units:
        current = _current_period(row, report.as_of)
        if current and _behind(current, report.as_of):
            found.append(Missing(row.unit.id, _owed(current),
                                 due_day(current, report.as_of, report_day)))
    return found


def disclosure_facts(report: Report, looking_back: int = 31) -> list[Missing]:
    """The disclosure items a unit owes: the next one not published yet, and those of the
    last ``looking_back`` days whose deadline passed with nothing published."""
    since = report.as_of - dt.timedelta(days=looking_back)
    return [Missing(v.unit, _period_of(v.rule, v.label), v.deadline + dt.timedelta(days=1))
            for v in report.disclosure
            if v.status == PENDING or (v.status == MISSING and v.deadline >= since)]


def _period_of(rule: str, label: str) -> str:
    """``thực đơn tuần 48/2025 (24/11–30/11/2025)``: the rule's name and its period, the
    period's word ("tuần", "tháng") once."""
    name, period = _lower_first(rule), _lower_first(label)
    word = period.split(" ", 1)[0]
    if name.endswith(f" {word}"):
        name = name[: -len(word) - 1]
    return f"{name} {period}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _current_period(row: UnitRow, day: dt.date) -> QuotaPeriod | None:
    periods = row.quota.periods if row.quota else ()
    return next((p for p in periods if p.first <= day <= p.last), None)


def unit_label(network: Network, unit_id: str) -> str:
    """A tổ is named with its school: a message is read far from the report."""
    unit = network.units.get(unit_id)
    if unit is None:
        return unit_id
    if unit.type == "to" and unit.parent in network.units:
        return f"{unit.name} ({network.units[unit.parent].name})"
    return unit.name


def reminders(network: Network, facts: Iterable[Missing]) -> list[Reminder]:
    """One reminder per unit, in the order the facts first name the units."""
    grouped: dict[str, list[Missing]] = {}
    for fact in facts:
        grouped.setdefault(fact.unit, []).append(fact)
    return [Reminder(unit, unit_label(network, unit),
                     tuple(sorted(owed, key=lambda f: f.due)))
            for unit, owed in grouped.items()]


def for_report(network: Network, report: Report,
               other_facts: Iterable[Missing] = ()) -> list[Reminder]:
    """The reminders of a report: its quotas, and whatever other checks found missing."""
    return reminders(network, [*quota_facts(report, network.report_day),
                               *disclosure_facts(report), *other_facts])


def to_text(found: list[Reminder]) -> str:
    """The messages, one per line, or a line saying nobody is behind."""
    if not found:
        return "Không có đơn vị nào còn thiếu trong kỳ hiện tại.\n"
    return "".join(f"{r.message}\n" for r in found)


def rows(found: list[Reminder]) -> list[tuple[str, str, str, dt.date, str]]:
    """The rows of the workbook's "Nhắc việc" sheet: one per unit, its earliest due day."""
    return [(r.unit, r.label, "; ".join(f.what for f in r.facts), r.facts[0].due, r.message)
            for r in found]
