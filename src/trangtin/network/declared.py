"""What ``network.yml`` declares beyond the units: extra sections and the disclosure calendar.

``sections:`` adds sections to the Thông tư 37 set (which stays the default) for some unit
types or units, each a listing of posts of one or more categories or a page, placed in the
menu after a named section::

    sections:
      - title: Thực đơn
        category: Thực đơn          # a listing of posts; without it, a page <path>/index.md
        units: [mn-hoa-sen]         # or types: [truong]; neither: every unit
        after: cong-khai            # the path (or key) of the section it follows in the menu
        path: thuc-don              # default: the title as a slug

``disclosure:`` lists the items a unit must publish for every week or month, before a
deadline relative to that period (Thông tư 09/2024/TT-BGDĐT); ``preset:`` starts from one
of :data:`PRESETS` and any key overrides it::

    disclosure:
      - {preset: thuc-don, units: [mn-hoa-sen], from: 2025-11-01}   # until: a last day too
      - name: Lịch công tác tuần
        category: Lịch công tác
        period: week                # week (Monday–Sunday) | month
        deadline: {days_before: 1}  # or {day_of_previous_month: 25}
        types: [phong]

A deadline is the whole local day it names: an item posted at 23:30 that day is on time.
The categories these name join the network's list of categories.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from trangtin.common.text import slugify

Where = tuple[str | int, ...]
Fail = Callable[[Where, str, str], None]

PERIODS = {"week": "tuần", "month": "tháng"}
_PATH = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
SECTION_KEYS = {"title", "path", "category", "types", "units", "after"}
RULE_KEYS = {"preset", "name", "category", "period", "deadline", "types", "units", "from", "until"}


@dataclass(frozen=True)
class DeclaredSection:
    title: str
    path: str                       # without slashes at the ends: ``thuc-don``
    categories: tuple[str, ...] = ()  # a listing of these; none: a page
    types: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    after: str = ""
    line: int | None = None

    def applies_to(self, unit_id: str, unit_type: str) -> bool:
        return _applies(self.types, self.units, unit_id, unit_type)


@dataclass(frozen=True)
class Deadline:
    """The last local day an item is on time: ``days_before`` the period's first day, or the
    ``day_of_previous_month`` of the month before it (the last day of a shorter month)."""

    days_before: int | None = None
    day_of_previous_month: int | None = None

    def for_period(self, first_day: dt.date) -> dt.date:
        if self.day_of_previous_month is not None:
            last_of_previous = first_day.replace(day=1) - dt.timedelta(days=1)
            return last_of_previous.replace(day=min(self.day_of_previous_month, last_of_previous.day))
        return first_day - dt.timedelta(days=self.days_before or 0)

    def describe(self, period: str) -> str:
        if self.day_of_previous_month is not None:
            return f"hết ngày {self.day_of_previous_month} của tháng trước"
        if period == "week" and self.days_before == 2:
            return "hết thứ Bảy của tuần trước"
        return f"hết ngày thứ {self.days_before} trước khi {PERIODS[period]} bắt đầu"


@dataclass(frozen=True)
class DisclosureRule:
    name: str
    categories: tuple[str, ...]
    period: str                     # week | month
    deadline: Deadline
    types: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    since: dt.date | None = None    # periods starting before it are not judged
    until: dt.date | None = None    # nor those starting after it
    line: int | None = None

    def applies_to(self, unit_id: str, unit_type: str) -> bool:
        return _applies(self.types, self.units, unit_id, unit_type)


# Thông tư 09/2024/TT-BGDĐT: the weekly menu where meals are served, and for preschools the
# monthly education plan (before the 25th of the month before) and the weekly plan.
PRESETS: dict[str, dict[str, object]] = {
    "thuc-don": {"name": "Thực đơn tuần", "category": "Thực đơn", "period": "week",
                 "deadline": {"days_before": 2}},
    "ke-hoach-thang": {"name": "Kế hoạch giáo dục tháng", "category": "Kế hoạch giáo dục tháng",
                       "period": "month", "deadline": {"day_of_previous_month": 25}},
    "ke-hoach-tuan": {"name": "Kế hoạch giáo dục tuần", "category": "Kế hoạch giáo dục tuần",
                      "period": "week", "deadline": {"days_before": 2}},
}


def _applies(types: tuple[str, ...], units: tuple[str, ...], unit_id: str, unit_type: str) -> bool:
    if not types and not units:
        return True
    return unit_id in units or unit_type in types


def _names(value: object) -> tuple[str, ...] | None:
    """A name or a list of names; None when it is neither."""
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


class DeclarationReader:
    """Reads ``sections:`` and ``disclosure:``, naming each mistake through ``fail``."""

    def __init__(self, fail: Fail, line: Callable[..., int | None], unit_types: set[str]):
        self.fail, self.line, self.unit_types = fail, line, unit_types

    def scope(self, where: Where, entry: dict[str, object]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        types, units = self.names(where, entry, "types"), self.names(where, entry, "units")
        for kind in types:
            if kind not in self.unit_types:
                self.fail((*where, "types"), f"loại đơn vị '{kind}' không hợp lệ",
                          "chọn trong: " + " | ".join(sorted(self.unit_types)))
        return types, units

    def names(self, where: Where, entry: dict[str, object], key: str) -> tuple[str, ...]:
        if entry.get(key) is None:
            return ()
        names = _names(entry[key])
        if names is None:
            self.fail((*where, key), f"'{key}' phải là danh sách", f"ví dụ: {key}: [mn-hoa-sen]")
        return names or ()

    def unknown_keys(self, where: Where, entry: dict[str, object], known: set[str]) -> None:
        for key in entry:
            if key not in known:
                self.fail((*where, str(key)), f"khóa '{key}' không được hỗ trợ",
                          "các khóa hợp lệ: " + ", ".join(sorted(known)))

    def sections(self, value: object) -> tuple[DeclaredSection, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(("sections",), "'sections' phải là danh sách chuyên trang",
                      "ví dụ: sections: [{title: Thực đơn, category: Thực đơn, types: [truong]}]")
            return ()
        found = [self.section(index, entry) for index, entry in enumerate(value)]
        return tuple(s for s in found if s is not None)

    def section(self, index: int, entry: object) -> DeclaredSection | None:
        where: Where = ("sections", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) \
                or not entry["title"].strip():
            self.fail(where, "mỗi chuyên trang cần 'title' (tên hiện trên menu)",
                      "ví dụ: - {title: Thực đơn, category: Thực đơn}")
            return None
        self.unknown_keys(where, entry, SECTION_KEYS)
        path = str(entry.get("path") or slugify(entry["title"])).strip("/")
        if not _PATH.match(path):
            self.fail((*where, "path"), f"đường dẫn '{path}' không hợp lệ",
                      "chỉ dùng chữ thường không dấu, số, '-' và '/', ví dụ: thuc-don")
            return None
        categories = self.categories(where, entry) if "category" in entry else ()
        types, units = self.scope(where, entry)
        return DeclaredSection(entry["title"].strip(), path, categories, types, units,
                               str(entry.get("after") or "").strip("/"), self.line(*where))

    def categories(self, where: Where, entry: dict[str, object]) -> tuple[str, ...]:
        names = _names(entry.get("category"))
        if names is None:
            self.fail((*where, "category"), "'category' phải là tên một chuyên mục hoặc danh sách tên",
                      "ví dụ: category: Thực đơn")
            return ()
        return names

    def rules(self, value: object) -> tuple[DisclosureRule, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(("disclosure",), "'disclosure' phải là danh sách quy định công khai",
                      "ví dụ: disclosure: [{preset: thuc-don, units: [mn-hoa-sen]}]")
            return ()
        found = [self.rule(index, entry) for index, entry in enumerate(value)]
        return tuple(r for r in found if r is not None)

    def rule(self, index: int, entry: object) -> DisclosureRule | None:
        where: Where = ("disclosure", index)
        if not isinstance(entry, dict):
            self.fail(where, "mỗi quy định công khai phải là một nhóm khóa",
                      "ví dụ: - {preset: thuc-don, units: [mn-hoa-sen]}")
            return None
        self.unknown_keys(where, entry, RULE_KEYS)
        preset = entry.get("preset")
        if preset is not None and preset not in PRESETS:
            self.fail((*where, "preset"), f"mẫu quy định '{preset}' không có",
                      "chọn một trong: " + ", ".join(PRESETS))
            return None
        merged = {**PRESETS.get(str(preset), {}), **entry}
        categories = self.categories(where, merged)
        period, deadline = merged.get("period"), self.deadline(where, merged.get("deadline"))
        if period not in PERIODS:
            self.fail((*where, "period"), f"kỳ '{period}' không hợp lệ",
                      "viết period: week (tuần, thứ Hai–Chủ nhật) hoặc period: month")
            return None
        since, until = self.day(where, merged, "from"), self.day(where, merged, "until")
        types, units = self.scope(where, merged)
        if not categories or deadline is None:
            return None
        name = str(merged.get("name") or categories[0])
        return DisclosureRule(name, categories, str(period), deadline, types, units, since, until,
                              self.line(*where))

    def day(self, where: Where, entry: dict[str, object], key: str) -> dt.date | None:
        value = entry.get(key)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        self.fail((*where, key), f"ngày '{value}' không đọc được",
                  f"viết dạng năm-tháng-ngày, ví dụ: {key}: 2025-09-01")
        return None

    def deadline(self, where: Where, value: object) -> Deadline | None:
        if isinstance(value, dict) and len(value) == 1:
            days = value.get("days_before")
            month_day = value.get("day_of_previous_month")
            if isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 366:
                return Deadline(days_before=days)
            if isinstance(month_day, int) and not isinstance(month_day, bool) and 1 <= month_day <= 31:
                return Deadline(day_of_previous_month=month_day)
        self.fail((*where, "deadline"), f"hạn công khai '{value}' không đọc được",
                  "viết deadline: {days_before: 2} (số ngày trước khi kỳ bắt đầu) hoặc "
                  "deadline: {day_of_previous_month: 25}")
        return None
