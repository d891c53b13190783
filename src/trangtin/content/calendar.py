"""The disclosure calendar judged: per unit, rule and period, on time, late by N days or missing.

A rule of ``network.yml`` (``disclosure:``, see ``network.declared``) asks a unit to publish
an item of some categories for every week or month before a deadline. An item covers the
period its ``ap_dung`` names; without it, the period after the one it was published in (a
menu posted on Friday is for next week). Only published items count, each by its local date
(the network's zone): posted at 23:30 on the deadline's day is on time, at 00:30 the next
day it is one day late. Remote schools are judged the same way from their feeds' items.

``trangtin check`` warns a school of what it is missing (``check_warnings``); the report's
view ``cong-khai`` lists every verdict (``judge``); reminders list what is ``outstanding``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from trangtin.common import text, weeks
from trangtin.common.diagnostics import Diagnostic, Severity
from trangtin.content.items import Item
from trangtin.network.declared import DisclosureRule
from trangtin.network.model import Network

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
STATUS_WORDS = {ON_TIME: "Đúng hạn", LATE: "Chậm", MISSING: "Chưa đăng", PENDING: "Chưa đến hạn"}


@dataclass(frozen=True)
class Verdict:
    unit: str
    rule: str
    kind: str                 # week | month
    first_day: dt.date
    deadline: dt.date         # the last local day an item is on time
    status: str               # ON_TIME | LATE | MISSING | PENDING
    published: dt.date | None = None  # local day of the first item covering the period
    title: str = ""
    url: str = ""

    @property
    def last_day(self) -> dt.date:
        return weeks.period_end(self.kind, self.first_day)

    @property
    def label(self) -> str:
        return weeks.period_label(self.kind, self.first_day)

    @property
    def days_late(self) -> int:
        return (self.published - self.deadline).days if self.status == LATE and self.published else 0

    @property
    def status_text(self) -> str:
        if self.status == LATE:
            return f"Chậm {self.days_late} ngày"
        return STATUS_WORDS[self.status]

    def to_json(self) -> dict[str, object]:
        return {"unit": self.unit, "rule": self.rule, "period": self.kind,
                "from": self.first_day.isoformat(), "to": self.last_day.isoformat(),
                "deadline": self.deadline.isoformat(), "status": self.status,
                "days_late": self.days_late,
                "published": self.published.isoformat() if self.published else None,
                "title": self.title, "url": self.url}


def covered_period(rule: DisclosureRule, item: Item, zone: dt.tzinfo) -> dt.date | None:
    """The first day of the period ``item`` covers under ``rule``."""
    if item.applies_to is not None:
        return weeks.period_start(rule.period, item.applies_to)
    if item.published is None:
        return None
    return weeks.next_period_start(rule.period, item.published.astimezone(zone).date())


def _matches(rule: DisclosureRule, item: Item) -> bool:
    wanted = {text.fold(c) for c in rule.categories}
    return any(text.fold(c) in wanted for c in item.categories)


def _first_by_period(rule: DisclosureRule, items: Iterable[Item], zone: dt.tzinfo,
                     as_of: dt.date) -> dict[dt.date, Item]:
    """For each period, the earliest item covering it published on or before ``as_of``."""
    found: dict[dt.date, Item] = {}
    for item in items:
        if item.published is None or not _matches(rule, item):
            continue
        if item.published.astimezone(zone).date() > as_of:
            continue
        period = covered_period(rule, item, zone)
        if period is not None and (period not in found or item.published < found[period].published):  # type: ignore[operator]
            found[period] = item
    return found


def periods_of(rule: DisclosureRule, first: dt.date, last: dt.date, as_of: dt.date) -> list[dt.date]:
    """The periods starting within ``first``–``last`` (and not before the rule's ``from``)
    whose deadline has come by ``as_of``, then the next one still open."""
    start = weeks.period_start(rule.period, max(first, rule.since or first))
    if start < max(first, rule.since or first):
        start = weeks.next_period_start(rule.period, start)
    found = []
    while start <= last and (rule.until is None or start <= rule.until):
        found.append(start)
        if rule.deadline.for_period(start) >= as_of:
            break
        start = weeks.next_period_start(rule.period, start)
    return found


def judge_rule(unit_id: str, rule: DisclosureRule, items: Iterable[Item], zone: dt.tzinfo,
               first: dt.date, last: dt.date, as_of: dt.date) -> list[Verdict]:
    covering = _first_by_period(rule, items, zone, as_of)
    verdicts = []
    for start in periods_of(rule, first, last, as_of):
        deadline = rule.deadline.for_period(start)
        item = covering.get(start)
        if item is None or item.published is None:
            status = MISSING if deadline < as_of else PENDING
            verdicts.append(Verdict(unit_id, rule.name, rule.period, start, deadline, status))
            continue
        day = item.published.astimezone(zone).date()
        verdicts.append(Verdict(unit_id, rule.name, rule.period, start, deadline,
                                ON_TIME if day <= deadline else LATE, day, item.title, item.url))
    return verdicts


def judge(network: Network, items: Iterable[Item], unit_ids: Iterable[str], first: dt.date,
          last: dt.date, as_of: dt.date) -> list[Verdict]:
    """Every verdict of the units named, for the periods starting from ``first`` to ``last``,
    judged as of the end of the local day ``as_of``; each item once by its id."""
    if not network.disclosure:
        return []
    by_unit: dict[str, dict[str, Item]] = {}
    for item in items:
        by_unit.setdefault(item.unit, {}).setdefault(item.id, item)
    verdicts = []
    for unit_id in unit_ids:
        own = list(by_unit.get(unit_id, {}).values())
        for rule in network.disclosure_rules(unit_id):
            verdicts += judge_rule(unit_id, rule, own, network.timezone, first, last, as_of)
    return verdicts


def outstanding(network: Network, items: Iterable[Item], unit_id: str, as_of: dt.date,
                since: dt.date) -> list[Verdict]:
    """What a unit still owes as of ``as_of``: periods since ``since`` whose deadline passed
    with nothing published, and the next deadline when its item is not published yet
    (for reminders and ``trangtin check``)."""
    last = as_of + dt.timedelta(days=62)  # far enough to reach the next monthly period
    return [v for v in judge(network, items, [unit_id], since, last, as_of)
            if v.status in (MISSING, PENDING)]


def check_warnings(network: Network, unit_id: str, items: Iterable[Item], today: dt.date,
                   looking_back: int = 35) -> list[Diagnostic]:
    """``trangtin check``: the next deadline of each rule not met yet, and the periods of the
    last weeks (``looking_back`` days) with nothing published, on the rule's line."""
    found = []
    for verdict in outstanding(network, items, unit_id, today, today - dt.timedelta(days=looking_back)):
        rule = next(r for r in network.disclosure_rules(unit_id) if r.name == verdict.rule)
        hint = (f"đăng bài chuyên mục '{rule.categories[0]}' với 'ap_dung: "
                f"{weeks.applies_to_text(rule.period, verdict.first_day)}'")
        due = f"hạn {verdict.deadline:%d/%m/%Y}, {rule.deadline.describe(rule.period)}"
        if verdict.status == MISSING:
            message = f"{verdict.rule} {verdict.label} chưa được đăng ({due})"
        else:
            message = f"sắp đến hạn: {verdict.rule} {verdict.label} chưa được đăng ({due})"
        found.append(Diagnostic(network.path.name, rule.line, Severity.WARNING, message, hint, unit_id))
    return found
