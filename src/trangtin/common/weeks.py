"""Weeks and months as a teacher writes them: the period a menu or a plan is for (``ap_dung``).

A week is Monday to Sunday (ISO 8601, the Vietnamese school week). What a post says is
kept as one day inside its period: the Monday of a week, the first day of a month, or the
day written, so one value serves a weekly and a monthly rule alike.
"""

from __future__ import annotations

import datetime as dt
import re

from trangtin.common.text import fold

_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$")
_WEEK = re.compile(r"^tuan\s*(\d{1,2})\s*[/-]\s*(\d{4})$")
_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
EXAMPLES = "2025-11-17 (ngày bất kỳ trong kỳ), 'tuần 47/2025', '2025-W47' hoặc 'tháng 12/2025'"


class PeriodTextProblem(ValueError):
    pass


def parse_applies_to(value: object) -> dt.date:
    """The day that stands for the period ``value`` names; PeriodTextProblem when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = fold(str(value)).strip().replace("tuan le", "tuan")
    try:
        return _from_text(text)
    except ValueError:
        raise PeriodTextProblem(str(value)) from None


def _from_text(text: str) -> dt.date:
    if match := _DAY.match(text):
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _ISO_WEEK.match(text) or _WEEK.match(text):
        first, second = int(match.group(1)), int(match.group(2))
        year, week = (first, second) if first > 999 else (second, first)
        return dt.date.fromisocalendar(year, week, 1)
    if match := _MONTH.match(text):
        return dt.date(int(match.group(2)), int(match.group(1)), 1)
    if match := _ISO_MONTH.match(text):
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    return dt.date.fromisoformat(text)


def period_start(kind: str, day: dt.date) -> dt.date:
    """The first day of the week (Monday) or month holding ``day``."""
    if kind == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period_start(kind: str, day: dt.date) -> dt.date:
    """The first day of the week or month after the one holding ``day``."""
    if kind == "week":
        return period_start(kind, day) + dt.timedelta(days=7)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_end(kind: str, first_day: dt.date) -> dt.date:
    """The last day of the week or month starting ``first_day``."""
    return next_period_start(kind, first_day) - dt.timedelta(days=1)


def period_label(kind: str, first_day: dt.date) -> str:
    """``Tuần 47/2025 (17/11–23/11/2025)`` or ``Tháng 12/2025``."""
    if kind == "week":
        year, week, _ = first_day.isocalendar()
        last = period_end(kind, first_day)
        return f"Tuần {week}/{year} ({first_day:%d/%m}–{last:%d/%m/%Y})"
    return f"Tháng {first_day.month:02d}/{first_day.year}"


def applies_to_text(kind: str, first_day: dt.date) -> str:
    """What ``trangtin new`` writes in ``ap_dung``: ``tuần 47/2025`` or ``tháng 12/2025``."""
    if kind == "week":
        year, week, _ = first_day.isocalendar()
        return f"tuần {week}/{year}"
    return f"tháng {first_day.month}/{first_day.year}"
