"""Gathering what a report counts: local units from their content, remote units from feeds.

Local posts are read as the site builds them (``content.load_unit_posts``): published ones
become Items, drafts and unapproved posts are kept aside (``Held``) to be shown as not
counted, scheduled posts and files with errors are listed (``Unplaceable``). Remote units'
items come from the aggregation's last good copy of their feeds (``trangtin aggregate``),
or from saved feed files; the entries of those feeds that were not used (no readable date,
no id and no link, wrong types, a duplicate id) are listed too, with the page they are on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from trangtin.content.items import Item, item_from_post, stable_id
from trangtin.content.posts import load_unit_posts
from trangtin.feeds import reader
from trangtin.network.model import Network, Unit
from trangtin.report import periods

_INSTANT = dt.timedelta(microseconds=1)

REASONS = {
    **reader.SKIP_REASONS,
    "no_date": "không có ngày đăng hoặc ngày đăng không đọc được",
    "future": "ngày đăng ở tương lai (sau thời điểm lập báo cáo)",
    "invalid": "bài viết có lỗi nên không được đăng",
    "unknown_unit": "đơn vị không có trong network.yml",
}


@dataclass(frozen=True)
class Unplaceable:
    """An item the report cannot place in a period: shown with its unit and source."""

    unit: str
    source: str
    reason: str  # a key of REASONS
    detail: str = ""
    title: str = ""
    id: str = ""


RemoteResult: TypeAlias = Iterable[Item] | tuple[list[Item], list[Unplaceable]]
RemoteReader: TypeAlias = Callable[[Network, Unit], RemoteResult | None]


@dataclass(frozen=True)
class Held:
    """A local post not (yet) published: a draft or waiting for approval."""

    unit: str
    status: str  # "draft" | "unapproved"
    date: dt.datetime
    source: str


@dataclass
class Collected:
    items: list[Item] = field(default_factory=list)
    unplaceable: list[Unplaceable] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # unit id → content | feed | none


def scope_units(network: Network, unit_id: str | None = None) -> list[Unit]:
    """The units of a report in tree order: ``unit_id`` and its subtree, or the network."""
    children: dict[str | None, list[Unit]] = defaultdict(list)
    for unit in network.units.values():
        parent = unit.parent if unit.parent in network.units else None
        children[parent].append(unit)
    roots = [network.units[unit_id]] if unit_id else children[None]
    ordered: list[Unit] = []
    stack = list(reversed(roots))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children[unit.id]))
    return ordered


def writing_units(network: Network, scope: list[Unit]) -> list[Unit]:
    """The units whose items a scope needs: a tổ's posts are written by its school."""
    ids = {u.id for u in scope}
    schools = {u.parent for u in scope if u.type == "to" and u.parent and u.parent not in ids}
    return scope + [network.units[s] for s in sorted(schools) if s in network.units]


def collect_items(network: Network, as_of: dt.date, unit_id: str | None = None,
                  remote: RemoteReader | None = None, now: dt.datetime | None = None) -> Collected:
    """Every item of the scope: local units from their content, remote units from feeds.

    Local posts are taken as they stand at ``now`` (default: the end of the as-of day).
    """
    moment = max(now, periods.end_of_day(as_of, network.timezone) - _INSTANT) if now else \
        periods.end_of_day(as_of, network.timezone) - _INSTANT
    scope = writing_units(network, scope_units(network, unit_id))
    read_remote = remote or gathered_reader()
    collected = Collected()
    local = {u.id for u in network.local_units()}
    for unit in scope:
        if unit.id in local:
            _collect_local(network, unit, moment, collected)
        elif unit.is_remote:
            _collect_remote(read_remote(network, unit), unit, collected)
    return collected


def _collect_remote(result: RemoteResult | None, unit: Unit, collected: Collected) -> None:
    collected.sources[unit.id] = "none" if result is None else "feed"
    if isinstance(result, tuple):
        collected.items.extend(result[0])
        collected.unplaceable.extend(result[1])
    elif result is not None:
        collected.items.extend(result)


def _collect_local(network: Network, unit: Unit, moment: dt.datetime,
                   collected: Collected) -> None:
    content = load_unit_posts(network, unit, now=moment)
    collected.sources[unit.id] = "content"
    for post in content.posts:
        status = post.status(moment, unit.requires_approval)
        source = f"content/{unit.id}/{post.src_uri}"
        if status == "published":
            collected.items.append(item_from_post(post, unit, unit.site_url or "/"))
        elif status == "scheduled":
            collected.unplaceable.append(Unplaceable(
                unit.id, source, "future", f"ngày đăng {post.date:%d/%m/%Y %H:%M} ở tương lai",
                post.title, stable_id(unit.id, post.src_uri)))
        else:
            collected.held.append(Held(unit.id, status, post.date, source))
    failed: dict[str, str] = {}
    for diagnostic in content.diagnostics:
        if diagnostic.is_error:
            failed.setdefault(diagnostic.path, f"dòng {diagnostic.line or '?'}: "
                                               f"{diagnostic.message}")
    collected.unplaceable.extend(Unplaceable(unit.id, path, "invalid", detail)
                                 for path, detail in failed.items())


def gathered_reader() -> RemoteReader:
    """Remote units' items as ``trangtin aggregate`` last gathered them (its last good copy
    of each feed, in the state folder) with the entries it did not use; None for a unit with
    nothing gathered yet."""
    from trangtin.aggregate.collect import RemoteCache

    def read(network: Network, unit: Unit) -> RemoteResult | None:
        if not unit.is_remote:  # a local unit is counted from its content (collect_items)
            return None
        pages = RemoteCache.load(network, unit).pages
        if not pages:
            return None
        return ([item for page in pages for item in page.items],
                [_not_used(unit, page.url, s) for page in pages for s in page.skipped])

    return read


def _not_used(unit: Unit, source: str, skipped: reader.Skipped) -> Unplaceable:
    return Unplaceable(unit.id, source, skipped.reason,
                       f"mục thứ {skipped.position}: {skipped.detail}", skipped.title, skipped.id)


def feed_file_reader(files: dict[str, Path]) -> RemoteReader:
    """Remote units' items read from saved feed files (unit id → path of a JSON Feed or Atom).

    Entries the feed reader skips (no readable date, no id) are listed, not dropped.
    """
    def read(network: Network, unit: Unit) -> RemoteResult | None:
        path = files.get(unit.id)
        if path is None or not path.is_file():
            return None
        origin = reader.Origin(network, unit.id, unit.feed or path.as_uri())
        try:
            parsed = reader.parse(path.read_bytes(), "", origin)
        except reader.FeedProblem as problem:
            return [], [Unplaceable(unit.id, str(path), "invalid", problem.message)]
        return parsed.items, [_not_used(unit, str(path), s) for s in parsed.skipped]
    return read
