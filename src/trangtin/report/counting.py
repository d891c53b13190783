"""Counting published items per unit: one counting function, one table model (thi đua).

What counts: a published item — not a draft, approved where the unit requires it, dated on
or before the as-of date — once by stable id, for the unit that wrote it (``Item.unit``),
never again for a portal that cross-posted it (``Item.via``). A local post and the same
post read from a feed are the same Item, so they give the same number. Items that cannot
be placed (no date, unreadable date, dated in the future, unknown unit, a post file with
errors, an entry of a remote feed not used: no id and no link, wrong types, a duplicate id)
are listed in the report, never dropped or guessed. "Future" is after the moment the
report is made (``now``, by default the end of the as-of day); an item dated between the
as-of date and ``now`` is simply after the report's cut-off.

``Report.to_json()`` is the machine contract::

    {"as_of": "YYYY-MM-DD", "timezone": "Asia/Ho_Chi_Minh",
     "period": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "kind": "school_year",
                "label": "Năm học 2025-2026"},           # both days included, local time
     "scope": "xa-an-binh" | null,                        # --unit, or the whole network
     "months": ["YYYY-MM", ...],                          # the period's months up to as_of
     "units": [{"id", "name", "type", "parent",
        "published": n,          # items the unit wrote itself (a tổ: its school's items
                                 # marked with that tổ) in the period, up to as_of
        "total": n,              # roll-up: published + totals of subordinate units (not tổ,
                                 # whose items are already their school's)
        "by_month": {"YYYY-MM": n}, "total_by_month": {"YYYY-MM": n},
        "by_category": {name: n},  # an item in two categories counts in each
        "by_to": {team id: n}, "by_author": {name: n}, "with_media": n,
        "source": "content" | "feed" | "none",  # none: no items gathered (a remote feed
                                 # not fetched yet, a unit not built here); "" from count()
        "not_counted": {"draft": n, "unapproved": n},   # local posts in the period
        "quota": {"per", "count", "media", "required", "missing", "media_missing",
                  "in_progress", "periods": [{"label", "from", "to", "published",
                  "with_media", "missing", "media_missing", "complete"}]} | null,
        "met": true | false | null,
        "rank": n, "rank_among": n,   # by published among the units of its type (1, 2, 2, 4);
                                      # units with no item share the last rank (rank_among)
        "tied": n}],                  # how many other units share that rank
     "ranking": {type: [{"rank", "published", "units": [ids]}]},  # ties named explicitly
     "unplaceable": [{"unit", "source", "id", "title", "reason", "detail"}],  # reason: no_date,
                         # future, invalid, unknown_unit, no_id, wrong_type, duplicate, too_many
     "duplicates": n,                                   # copies of an id counted once
     "disclosure": [{"unit", "rule", "period": "week" | "month", "from", "to", "deadline",
                     "status": "on_time" | "late" | "missing" | "pending", "days_late",
                     "published": "YYYY-MM-DD" | null, "title", "url"}]}
                         # the disclosure calendar (content.calendar), periods starting in
                         # the report's period whose deadline came by as_of, then the next

Quotas are measured on ``published``: each quota period (month, quarter, semester, school
year, year) overlapping the report period is counted whole, up to the as-of date, so a
monthly report shows how far a school is toward its school-year quota.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trangtin.common import dates
from trangtin.common.text import fold
from trangtin.content import calendar
from trangtin.content.items import Item
from trangtin.network.model import Network, Quota, Unit
from trangtin.report import periods
from trangtin.report.gathering import (
    REASONS,
    Collected,
    Held,
    RemoteReader,
    RemoteResult,
    Unplaceable,
    collect_items,
    feed_file_reader,
    gathered_reader,
    scope_units,
    writing_units,
)
from trangtin.report.periods import Period

__all__ = [  # the gathering side is re-exported: ``counting`` is the report's one entry point
    "REASONS", "Collected", "Held", "RemoteReader", "RemoteResult", "Report", "UnitRow",
    "Unplaceable", "collect_items", "count", "feed_file_reader", "gathered_reader", "report",
    "scope_units", "synthetic_items", "writing_units",
]

UNCATEGORIZED = "(chưa phân loại)"
_INSTANT = dt.timedelta(microseconds=1)
NO_AUTHOR = "(không ghi tác giả)"
@dataclass(frozen=True)
class QuotaPeriod:
    label: str
    first: dt.date
    last: dt.date
    published: int
    with_media: int
    missing: int
    media_missing: int
    complete: bool  # False while the period has not ended by the as-of date


@dataclass(frozen=True)
class QuotaStatus:
    quota: Quota
    periods: tuple[QuotaPeriod, ...]

    @property
    def required(self) -> int:
        return self.quota.count * len(self.periods)

    @property
    def missing(self) -> int:
        return sum(p.missing for p in self.periods)

    @property
    def media_missing(self) -> int:
        return sum(p.media_missing for p in self.periods)

    @property
    def in_progress(self) -> bool:
        return any(not p.complete for p in self.periods)

    @property
    def met(self) -> bool | None:
        if not self.periods:
            return None
        return self.missing == 0 and self.media_missing == 0


@dataclass
class UnitRow:
    unit: Unit
    published: int
    total: int
    by_month: dict[str, int]
    total_by_month: dict[str, int]
    by_category: dict[str, int]
    by_team: dict[str, int]
    by_author: dict[str, int]
    with_media: int
    source: str
    not_counted: dict[str, int]
    quota: QuotaStatus | None
    rank: int = 0
    rank_among: int = 0
    rank_group: list[str] = field(default_factory=list)  # ids sharing the rank (shared list)

    @property
    def met(self) -> bool | None:
        return self.quota.met if self.quota else None

    @property
    def tied_with(self) -> tuple[str, ...]:
        return tuple(u for u in self.rank_group if u != self.unit.id)


@dataclass
class Report:
    as_of: dt.date
    timezone: str
    period: Period
    scope: str | None
    months: list[str]
    units: list[UnitRow]
    unplaceable: list[Unplaceable]
    duplicates: int
    names: dict[str, str] = field(default_factory=dict)  # unit id → name, for the writers
    disclosure: list[calendar.Verdict] = field(default_factory=list)  # the disclosure calendar

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(), "timezone": self.timezone,
            "period": {"from": self.period.first_day.isoformat(),
                       "to": self.period.last_day.isoformat(),
                       "kind": self.period.kind, "label": self.period.label},
            "scope": self.scope, "months": self.months,
            "units": [_row_json(row) for row in self.units],
            "ranking": self.ranking(),
            "unplaceable": [_unplaceable_json(p) for p in self.unplaceable],
            "duplicates": self.duplicates,
            "disclosure": [v.to_json() for v in self.disclosure],
        }


    def ranking(self) -> dict[str, list[dict[str, Any]]]:
        """Per unit type, the ranks in order with the units that share each."""
        found: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        for row in self.units:
            found[row.unit.type].setdefault(row.rank, {
                "rank": row.rank, "published": row.published, "units": row.rank_group})
        return {kind: [ranks[r] for r in sorted(ranks)] for kind, ranks in found.items()}


def _row_json(row: UnitRow) -> dict[str, Any]:
    return {
        "id": row.unit.id, "name": row.unit.name, "type": row.unit.type,
        "parent": row.unit.parent, "published": row.published, "total": row.total,
        "by_month": row.by_month, "total_by_month": row.total_by_month,
        "by_category": row.by_category, "by_to": row.by_team, "by_author": row.by_author,
        "with_media": row.with_media, "source": row.source, "not_counted": row.not_counted,
        "quota": _quota_json(row.quota) if row.quota else None, "met": row.met,
        "rank": row.rank, "rank_among": row.rank_among, "tied": len(row.rank_group) - 1,
    }


def _quota_json(status: QuotaStatus) -> dict[str, Any]:
    return {
        "per": status.quota.per, "count": status.quota.count, "media": status.quota.media,
        "required": status.required, "missing": status.missing,
        "media_missing": status.media_missing, "in_progress": status.in_progress,
        "periods": [{"label": p.label, "from": p.first.isoformat(), "to": p.last.isoformat(),
                     "published": p.published, "with_media": p.with_media,
                     "missing": p.missing, "media_missing": p.media_missing,
                     "complete": p.complete} for p in status.periods],
    }


def _unplaceable_json(problem: Unplaceable) -> dict[str, str]:
    return {"unit": problem.unit, "source": problem.source, "id": problem.id,
            "title": problem.title, "reason": problem.reason,
            "detail": problem.detail or REASONS.get(problem.reason, "")}


# --- counting ----------------------------------------------------------------------------

@dataclass
class _Tally:
    published: int = 0
    with_media: int = 0
    by_month: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_team: Counter[str] = field(default_factory=Counter)
    by_author: Counter[str] = field(default_factory=Counter)
    moments: list[dt.datetime] = field(default_factory=list)  # up to as_of, for quotas
    media_moments: list[dt.datetime] = field(default_factory=list)

    def add(self, moment: dt.datetime, item: Item, categories: Iterable[str],
            team: str | None, in_window: bool) -> None:
        self.moments.append(moment)
        if item.has_media:
            self.media_moments.append(moment)
        if not in_window:
            return
        self.published += 1
        self.with_media += item.has_media
        self.by_month[f"{moment.year:04d}-{moment.month:02d}"] += 1
        for category in categories:  # plain loops: Counter.update is slower for one or two
            self.by_category[category] += 1
        if team:
            self.by_team[team] += 1
        for author in item.authors or (NO_AUTHOR,):
            self.by_author[author] += 1


class _Counter:
    """Places items into per-unit tallies; lookups of teams and categories are cached."""

    def __init__(self, network: Network, tallies: dict[str, _Tally], start: dt.datetime,
                 window_end: dt.datetime, cutoff: dt.datetime, now: dt.datetime):
        self.network, self.tallies = network, tallies
        self.start, self.window_end, self.cutoff, self.now = start, window_end, cutoff, now
        self.teams: dict[tuple[str, str], str] = {}
        self.team_names = _team_index(network, tallies)
        self.categories: dict[str, str] = {}

    def add(self, item: Item) -> Unplaceable | None:
        if item.published is None:
            return _problem(item, "no_date")
        moment = dates.localize(item.published, self.network.timezone)
        if moment > self.now:
            return _problem(item, "future", f"ngày đăng {moment:%d/%m/%Y %H:%M} ở tương lai")
        if moment >= self.cutoff:
            return None  # published after the as-of date: outside this report
        in_window = self.start <= moment < self.window_end
        team = self.team_of(item)
        categories = [self.category(c) for c in item.categories] or [UNCATEGORIZED]
        self.tallies[item.unit].add(moment, item, categories, team, in_window)
        if team in self.tallies:
            self.tallies[team].add(moment, item, categories, team, in_window)
        return None

    def team_of(self, item: Item) -> str | None:
        if not item.team:
            return None
        key = (item.unit, item.team)
        if key not in self.teams:
            wanted = fold(item.team.strip())
            self.teams[key] = self.team_names.get((item.unit, wanted), item.team)
        return self.teams[key]

    def category(self, name: str) -> str:
        if name not in self.categories:
            self.categories[name] = self.network.find_category(name) or name
        return self.categories[name]


def _team_index(network: Network, tallies: dict[str, _Tally]) -> dict[tuple[str, str], str]:
    """(school, id or folded name of a tổ) → the tổ's id, as ``Network.find_team`` matches."""
    index: dict[tuple[str, str], str] = {}
    for unit in network.units.values():
        if unit.type == "to" and unit.parent in tallies:
            for key in filter(None, (unit.id, fold(unit.name), fold(unit.short_name))):
                index.setdefault((unit.parent, key), unit.id)
    return index


def _problem(item: Item, reason: str, detail: str = "") -> Unplaceable:
    return Unplaceable(item.unit, item.source or item.url, reason, detail, item.title, item.id)


def _tally_items(items: Iterable[Item], network: Network, tallies: dict[str, _Tally],
                 counter: _Counter, problems: list[Unplaceable]) -> int:
    """Count each item once (by stable id) for the unit that wrote it; return the duplicates."""
    seen: set[str] = set()
    duplicates = 0
    for item in items:
        if item.unit not in tallies:
            if item.unit not in network.units:
                problems.append(_problem(item, "unknown_unit"))
            continue
        if item.id in seen:
            duplicates += 1
            continue
        seen.add(item.id)
        if (problem := counter.add(item)) is not None:
            problems.append(problem)
    return duplicates


def count(network: Network, items: Iterable[Item], period: Period, as_of: dt.date,
          unplaceable: Iterable[Unplaceable] = (), held: Iterable[Held] = (),
          unit_id: str | None = None, sources: dict[str, str] | None = None,
          now: dt.datetime | None = None) -> Report:
    """The report: every unit of the scope counted over ``period`` up to ``as_of``.

    Items dated after ``now`` (default: the end of the as-of day) are listed as future.
    """
    zone = network.timezone
    items = list(items)  # read twice: counted, then judged by the disclosure calendar
    cutoff = periods.end_of_day(as_of, zone)
    window_end = max(period.start, min(period.end, cutoff))
    scope = scope_units(network, unit_id)
    tallies = {u.id: _Tally() for u in writing_units(network, scope)}
    latest = max(now, cutoff - _INSTANT) if now else cutoff - _INSTANT
    counter = _Counter(network, tallies, period.start, window_end, cutoff, latest)
    in_scope = {u.id for u in scope}
    problems = [p for p in unplaceable if p.unit in in_scope or p.unit not in network.units]
    duplicates = _tally_items(items, network, tallies, counter, problems)
    months = periods.month_keys(period.start, window_end)
    rows = _rows(network, scope, tallies, months, _held_counts(held, period.start, window_end),
                 sources or {})
    buckets: dict[str, list[Period]] = {}  # the same quota periods for every unit
    for row in rows:
        quota = network.quota_of(row.unit.id)
        if quota is not None and quota.per not in buckets:
            buckets[quota.per] = list(periods.covering(quota.per, period.start, window_end,
                                                       network))
        row.quota = _quota_status(quota, buckets[quota.per], tallies[row.unit.id],
                                  cutoff) if quota else None
    _rank(rows)
    return Report(as_of, str(zone), period, unit_id, months, rows, problems, duplicates,
                  {u.id: u.name for u in network.units.values()},
                  calendar.judge(network, items, [r.unit.id for r in rows], period.first_day,
                                 period.last_day, as_of))


def _held_counts(held: Iterable[Held], start: dt.datetime,
                 end: dt.datetime) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for post in held:
        if start <= post.date < end:
            found[post.unit][post.status] += 1
    return found


def _rows(network: Network, scope: list[Unit], tallies: dict[str, _Tally], months: list[str],
          held: dict[str, Counter[str]], sources: dict[str, str]) -> list[UnitRow]:
    children: dict[str, list[str]] = defaultdict(list)
    teams: dict[str, dict[str, int]] = defaultdict(dict)
    for unit in scope:
        if unit.parent in tallies and unit.type != "to":
            children[unit.parent].append(unit.id)
        elif unit.parent in tallies:
            teams[unit.parent][unit.id] = 0
    totals: dict[str, Counter[str]] = {}

    def total_by_month(unit_id: str) -> Counter[str]:
        if unit_id not in totals:
            found = Counter(tallies[unit_id].by_month)
            for child in children[unit_id]:
                found.update(total_by_month(child))
            totals[unit_id] = found
        return totals[unit_id]

    rows = []
    for unit in scope:
        tally, rolled = tallies[unit.id], total_by_month(unit.id)
        by_team = {} if unit.type == "to" else teams[unit.id] | dict(tally.by_team)
        rows.append(UnitRow(
            unit=unit, published=tally.published, total=sum(rolled.values()),
            by_month={m: tally.by_month.get(m, 0) for m in months},
            total_by_month={m: rolled.get(m, 0) for m in months},
            by_category=_sorted(tally.by_category), by_team=by_team,
            by_author=_sorted(tally.by_author), with_media=tally.with_media,
            source=_source(unit, sources),
            not_counted={s: held.get(unit.id, Counter())[s] for s in ("draft", "unapproved")},
            quota=None,
        ))
    return rows


def _source(unit: Unit, sources: dict[str, str]) -> str:
    if not sources:
        return ""
    owner = unit.parent if unit.type == "to" and unit.parent else unit.id  # a tổ writes via its school
    return sources.get(owner, "none")


def _sorted(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _quota_status(quota: Quota, buckets: list[Period], tally: _Tally,
                  cutoff: dt.datetime) -> QuotaStatus:
    moments, media = sorted(tally.moments), sorted(tally.media_moments)
    found = []
    for bucket in buckets:
        end = min(bucket.end, cutoff)
        got = bisect.bisect_left(moments, end) - bisect.bisect_left(moments, bucket.start)
        with_media = bisect.bisect_left(media, end) - bisect.bisect_left(media, bucket.start)
        found.append(QuotaPeriod(
            bucket.label, bucket.first_day, bucket.last_day, got, with_media,
            max(0, quota.count - got), max(0, quota.media - with_media), bucket.end <= cutoff))
    return QuotaStatus(quota, tuple(found))


def _rank(rows: list[UnitRow]) -> None:
    """Competition ranking per unit type (1, 2, 2, 4): equal counts share a rank, named.

    Units that published nothing share the last rank (``rank == rank_among``): an office
    reads "4/4" as last, whereas competition ranking would put four silent schools 1st.
    """
    by_type: dict[str, dict[int, list[UnitRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_type[row.unit.type][row.published].append(row)
    for groups in by_type.values():
        among, ahead = sum(len(g) for g in groups.values()), 0
        for published in sorted(groups, reverse=True):
            same = groups[published]
            ids = [row.unit.id for row in same]
            rank = ahead + 1 if published else among
            for row in same:
                row.rank, row.rank_among, row.rank_group = rank, among, ids
            ahead += len(same)


def report(network: Network, kind: str, as_of: dt.date, unit_id: str | None = None,
           first: dt.date | None = None, last: dt.date | None = None,
           remote: RemoteReader | None = None, now: dt.datetime | None = None) -> Report:
    """Gather, then count: what ``trangtin report`` and the portal's page show."""
    period = periods.resolve(kind, as_of, network, first, last)
    collected = collect_items(network, as_of, unit_id, remote, now)
    return count(network, collected.items, period, as_of, collected.unplaceable,
                 collected.held, unit_id, collected.sources, now)


# --- benchmark ---------------------------------------------------------------------------

def synthetic_items(network: Network, n: int = 100_000, seed: int = 2025,
                    school_year_start: int = 2024) -> list[Item]:
    """``n`` deterministic items spread over the network's units and one school year,
    with duplicates, teams, categories, authors and a few undated ones (for the benchmark)."""
    rng = random.Random(seed)
    writers = [u for u in network.units.values() if u.type != "to"]
    teams_of: dict[str, list[Unit]] = defaultdict(list)
    for team in (u for u in network.units.values() if u.type == "to" and u.parent):
        teams_of[str(team.parent)].append(team)
    start = dt.datetime(school_year_start, 9, 1, tzinfo=network.timezone)
    found: list[Item] = []
    for index in range(n):
        unit = rng.choice(writers)
        teams = teams_of[unit.id] if unit.type == "truong" else []
        moment = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        serial = index if rng.random() > 0.02 else max(0, index - 1)  # ~2% duplicates
        found.append(Item(
            id=f"urn:trangtin:{unit.id}:posts/{serial}", unit=unit.id, title=f"Tin {serial}",
            url=f"https://example.invalid/{unit.id}/{serial}/",
            published=None if rng.random() < 0.001 else moment,
            categories=(rng.choice(network.categories),), authors=(f"Tác giả {index % 37}",),
            team=rng.choice(teams).id if teams and rng.random() < 0.5 else None,
            has_media=rng.random() < 0.6, source="synthetic"))
    return found


def count_synthetic(network: Network, n: int = 100_000) -> Report:
    """Count ``n`` synthetic items over a school year: the benchmark's report."""
    items = synthetic_items(network, n)
    period = periods.school_year(2024, network.school_year_start_month, network.timezone)
    return count(network, items, period, dt.date(2025, 8, 31))
