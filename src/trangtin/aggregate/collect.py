"""Aggregation: every aggregating unit gathers the items of the units below it.

Where a unit's items come from is one rule, the same for ``trangtin build`` and
``trangtin aggregate`` and for every aggregating unit, whether it has a site here or not
(a Sở known only to aggregate its communes), so the same inputs always give the same state:

* a remote unit (``feed:`` in network.yml): its feed, over HTTP;
* a local unit that aggregates (a portal built here): its content, i.e. its own posts. Its
  built feed would also carry what it re-posts, and it is built after the aggregation, so
  it would always be one run behind;
* any other local unit (a school built here): its built ``feed.json`` in the output folder
  (``--out``, default ``public/``), every page of it, the rendered HTML with absolute
  image URLs that a reader elsewhere gets too. When that file is missing (the school was
  never built there, or the sites were built into another folder) it is never replaced by
  the content: the unit and the folder are named and the unit's items gathered last time
  are kept, as for a remote feed that fails.

A feed that fails is reported with its unit and URL and its last good items are kept;
the other units are aggregated regardless. Every entry of a feed that is not used (no
readable date, no id and no link, wrong types, a duplicate id) is named with its unit, the
feed's URL, its title or position and why; so is every item dated in the future, which is
kept (it is shown from its date) but never handed to a portal before then. The results live in the state folder
``<root>/.trangtin/`` (outside ``content/``):

* ``remote/<unit>.json`` — the last good pages of a remote feed, with ETag/Last-Modified
  and the entries of each page that were not used (``skipped``, read by the report);
* ``aggregated/<unit>.json`` — everything gathered for an aggregating unit.

Both are written deterministically: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from trangtin.common import dates
from trangtin.common.diagnostics import Diagnostic, Severity
from trangtin.content.items import Item, item_from_post
from trangtin.content.posts import load_unit_posts
from trangtin.feeds.fetch import (
    FetchFailed,
    FetchPolicy,
    Validators,
    deadline_in,
    fetch,
    make_client,
)
from trangtin.feeds.reader import FeedProblem, Origin, Skipped, parse
from trangtin.feeds.writer import JSON_FILE
from trangtin.network.model import Network, Unit

STATE_DIR = ".trangtin"
DEFAULT_OUT = "public"  # where ``trangtin build`` writes the sites unless told ``--out``
FORMAT = 1


# --- the contract with the counting and the templates -------------------------------------

def load_items(network: Network, unit_id: str, now: dt.datetime | None = None) -> list[Item]:
    """Every item gathered for ``unit_id`` by the last ``trangtin aggregate``, newest first.

    ``unit_id`` is an aggregating unit (Sở, Phòng, xã…). The list holds the items of the
    unit itself and of every unit below it (schools; communes and their schools under a Sở),
    local or remote; for a remote unit whose feed failed, the last good items fetched are
    included. Items are de-duplicated by ``Item.id`` (an updated item replaced its older
    version) and each keeps its origin: ``Item.unit`` is the unit that wrote it,
    ``Item.via`` the units that passed it on. Dates are aware, in the network's zone.
    Drafts, unapproved and scheduled posts are never included, nor items dated after ``now``
    (default: this moment; they are included from their date on). Returns ``[]`` when the
    unit was never aggregated. Reads one JSON file; makes no network request.
    """
    path = state_dir(network) / "aggregated" / f"{unit_id}.json"
    moment = now or dates.now(network.timezone)
    return [item for item in _read_items_file(path) if is_due(item, moment)]


def is_due(item: Item, now: dt.datetime) -> bool:
    """Whether an item may be shown at ``now``: one dated in the future waits for its date."""
    return item.published is None or item.published <= now


def unit_items(network: Network, unit: Unit, public: Path | None = None) -> list[Item]:
    """The items of one unit by the rule of this module, without any network request.

    A remote unit is read from the last good copy of its feed in the state folder, a local
    unit that aggregates from its content, any other local unit from its built ``feed.json``
    under ``public`` (default ``<root>/public``). Raises ``NotBuilt`` when that file is
    missing: it is never replaced by another source.
    """
    if unit.is_remote:
        return [item for page in RemoteCache.load(network, unit).pages for item in page.items]
    if unit.aggregates:
        return content_items(network, unit)
    feed = built_feed(network, unit, public)
    if not feed.is_file():
        raise NotBuilt(feed)
    return read_built_feed(network, unit, feed)


class NotBuilt(Exception):
    """A school's built feed is not in the output folder the aggregation reads."""

    def __init__(self, feed: Path) -> None:
        super().__init__(str(feed))
        self.feed = feed


def built_feed(network: Network, unit: Unit, public: Path | None = None) -> Path:
    """Where a local school's built ``feed.json`` is: ``<public>/<unit>/feed.json``."""
    return (public or network.root / DEFAULT_OUT) / unit.id / JSON_FILE


def state_dir(network: Network) -> Path:
    return network.root / STATE_DIR


# --- one aggregation run --------------------------------------------------------------------

@dataclass
class UnitResult:
    """What happened to one source unit in a run; never an exception."""

    unit: str
    url: str | None
    ok: bool
    items: list[Item] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    not_modified: bool = False
    requests: int = 0
    skipped: list[tuple[str, Skipped]] = field(default_factory=list)  # (page URL, entry)


@dataclass
class Aggregate:
    """One aggregating unit's gathered items and the problems met on the way."""

    unit: str
    items: list[Item]
    sources: list[UnitResult]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for source in self.sources for d in source.diagnostics]


def aggregate(network: Network, unit_ids: Iterable[str] | None = None,
              public: Path | None = None, policy: FetchPolicy | None = None) -> list[Aggregate]:
    """Gather and store items for the given aggregating units (default: all of them)."""
    policy = policy or FetchPolicy()
    wanted = list(unit_ids) if unit_ids else [u.id for u in network.units.values()
                                                if u.aggregates]
    targets = [network.units[u] for u in wanted if network.units[u].aggregates]
    sources = {s.id: s for t in targets for s in _sources(network, t)}
    # remote units above local schools: their announcements are shown on the schools' sites
    above = {a.id: a for u in network.local_units() for a in network.ancestors(u.id)
             if a.is_remote and a.aggregates and unit_ids is None}
    remote = fetch_remote(network, [u for u in {**above, **sources}.values() if u.is_remote],
                          policy)
    results = {**remote, **{s.id: _local(network, s, public)
                            for s in sources.values() if not s.is_remote}}
    aggregates = []
    for target in targets:
        chosen = [results[s.id] for s in _sources(network, target)]
        items = dedupe(i for r in chosen for i in r.items if target.id not in i.via)
        aggregates.append(Aggregate(target.id, items, chosen))
        _write_json(state_dir(network) / "aggregated" / f"{target.id}.json",
                    {"format": FORMAT, "unit": target.id,
                     "items": [item_to_dict(i) for i in items]})
    return aggregates


def _sources(network: Network, target: Unit) -> list[Unit]:
    """The unit itself and everything below it that publishes (not the tổ: posts of a tổ
    are in its school's content)."""
    below = [u for u in network.descendants(target.id) if u.type != "to"]
    return [u for u in [target, *below]
            if u.is_remote or network.config_file(u.id) is not None]


def dedupe(items: Iterable[Item]) -> list[Item]:
    """One item per id: the most recently updated wins, then the most direct copy."""
    best: dict[str, Item] = {}
    for item in items:
        kept = best.get(item.id)
        if kept is None or _rank(item) > _rank(kept):
            best[item.id] = item
    return sorted(best.values(), key=_newest, reverse=True)


def _rank(item: Item) -> tuple[dt.datetime, int, str]:
    stamp = item.updated or item.published or dt.datetime.min.replace(tzinfo=dates.LOCAL)
    return stamp, -len(item.via), item.url


def _newest(item: Item) -> tuple[dt.datetime, str]:
    return item.published or dt.datetime.min.replace(tzinfo=dates.LOCAL), item.id


# --- local units ---------------------------------------------------------------------------

def content_items(network: Network, unit: Unit) -> list[Item]:
    """The published posts of a local unit read from its content (no HTML body)."""
    content = load_unit_posts(network, unit)
    site_url = site_url_of(network, unit)
    return [item_from_post(post, unit, site_url) for post in content.published(dates.now(
        network.timezone))]


def site_url_of(network: Network, unit: Unit) -> str:
    url = unit.site_url or unit.identity.website or f"https://{unit.id}.invalid/"
    return url if url.endswith("/") else url + "/"


def read_built_feed(network: Network, unit: Unit, first: Path) -> list[Item]:
    """Every page of a unit's built JSON Feed, read from disk with the remote reader."""
    items: list[Item] = []
    path: Path | None = first
    base = site_url_of(network, unit)
    seen: set[Path] = set()
    while path is not None and path.is_file() and path not in seen:
        seen.add(path)
        parsed = parse(path.read_bytes(), "application/feed+json",
                       Origin(network, unit.id, urljoin(base, path.name)))
        items.extend(parsed.items)
        path = _local_page(first.parent, base, parsed.next_url)
    return items


def _local_page(folder: Path, base: str, url: str | None) -> Path | None:
    if not url or not url.startswith(base):
        return None
    name = url[len(base):]
    return folder / name if "/" not in name else None


def _local(network: Network, unit: Unit, public: Path | None) -> UnitResult:
    try:
        items = unit_items(network, unit, public)
    except NotBuilt as missing:
        folder = _shown(network, missing.feed.parent.parent)
        return _not_read(network, unit, (
            f"không thấy trang đã xây dựng của {unit.name} trong thư mục {folder} "
            f"(thiếu {_shown(network, missing.feed)})"),
            f"xây dựng trang vào thư mục này (trangtin build {unit.id} --out {folder}); nếu "
            "các trang đã được xây dựng ở thư mục khác: trangtin aggregate --out THƯ_MỤC_ĐÓ")
    except (OSError, FeedProblem) as exc:
        message = exc.message if isinstance(exc, FeedProblem) else str(exc)
        return _not_read(network, unit, f"không đọc được tin bài của {unit.name}: {message}",
                         f"xây dựng lại trang của đơn vị (trangtin build {unit.id})")
    return UnitResult(unit.id, None, True, items)


def _not_read(network: Network, unit: Unit, message: str, hint: str) -> UnitResult:
    """A local unit whose items could not be read: named, its last gathered items kept."""
    kept = last_gathered(network, unit)
    note = (f"; giữ {len(kept)} tin đã tổng hợp lần trước" if kept
            else "; chưa có tin nào tổng hợp được trước đây")
    return UnitResult(unit.id, None, False, kept, [Diagnostic(
        "network.yml", unit.line, Severity.WARNING if kept else Severity.ERROR,
        message + note, hint, unit.id)])


def last_gathered(network: Network, unit: Unit) -> list[Item]:
    """The items a unit wrote, as the last aggregation of the nearest unit above it that has
    any of them stored (taken directly from the unit, not relayed by another portal)."""
    for above in network.ancestors(unit.id):
        path = state_dir(network) / "aggregated" / f"{above.id}.json"
        kept = [i for i in _read_items_file(path) if i.unit == unit.id and not i.via]
        if kept:
            return kept
    return []


def _shown(network: Network, path: Path) -> str:
    """A path as the user knows it: relative to the network's folder when inside it."""
    try:
        return path.resolve().relative_to(network.root.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- remote units --------------------------------------------------------------------------

@dataclass
class CachedPage:
    url: str
    validators: Validators
    next_url: str | None
    items: list[Item]
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class RemoteCache:
    """The last good copy of a remote unit's feed (every page), kept between runs."""

    unit: str
    url: str
    pages: list[CachedPage]

    @classmethod
    def path(cls, network: Network, unit_id: str) -> Path:
        return state_dir(network) / "remote" / f"{unit_id}.json"

    @classmethod
    def load(cls, network: Network, unit: Unit) -> RemoteCache:
        data = _read_json(cls.path(network, unit.id))
        if not data or data.get("url") != unit.feed:
            return cls(unit.id, unit.feed or "", [])
        pages = [CachedPage(p["url"], Validators(p.get("etag"), p.get("last_modified")),
                            p.get("next_url"), [item_from_dict(i) for i in p["items"]],
                            [Skipped(**s) for s in p.get("skipped", [])])
                 for p in data.get("pages", [])]
        return cls(unit.id, unit.feed or "", pages)

    def save(self, network: Network) -> None:
        _write_json(self.path(network, self.unit), {
            "format": FORMAT, "unit": self.unit, "url": self.url,
            "pages": [{"url": p.url, "etag": p.validators.etag,
                       "last_modified": p.validators.last_modified, "next_url": p.next_url,
                       "items": [item_to_dict(i) for i in p.items],
                       "skipped": [asdict(s) for s in p.skipped]} for p in self.pages]})

    def page(self, url: str) -> CachedPage | None:
        return next((p for p in self.pages if p.url == url), None)


def fetch_remote(network: Network, units: list[Unit],
                 policy: FetchPolicy) -> dict[str, UnitResult]:
    """Fetch every remote unit's feed, a few at a time; one result per unit, never raises."""
    if not units:
        return {}
    with make_client(policy) as client, ThreadPoolExecutor(policy.concurrency) as pool:
        futures = {u.id: pool.submit(_remote, network, u, client, policy) for u in units}
        return {unit_id: future.result() for unit_id, future in futures.items()}


def _remote(network: Network, unit: Unit, client: Any, policy: FetchPolicy) -> UnitResult:
    cache = RemoteCache.load(network, unit)
    url = unit.feed or ""
    try:
        with deadline_in(policy.total_timeout):
            pages, not_modified, requests = _walk(network, unit, client, policy, cache)
    except (FetchFailed, FeedProblem) as problem:
        return _failed(network, unit, url, cache, problem.message, problem.hint)
    except Exception as exc:  # noqa: BLE001 - one unit's surprise must not stop the others
        return _failed(network, unit, url, cache,
                       f"lỗi không lường trước ({type(exc).__name__}: {exc})",
                       "xin báo lỗi này cho nhóm phát triển")
    if not not_modified:  # a 304 on the first page: the kept copy is already on disk
        RemoteCache(unit.id, url, pages).save(network)
    items = [i for p in pages for i in p.items]
    skipped = [(p.url, s) for p in pages for s in p.skipped]
    return UnitResult(unit.id, url, True, items, _entry_notes(network, unit, pages),
                      not_modified, requests, skipped)


def _walk(network: Network, unit: Unit, client: Any, policy: FetchPolicy,
          cache: RemoteCache) -> tuple[list[CachedPage], bool, int]:
    """The feed's first page, then its older pages; a 304 on the first page reuses all."""
    pages: list[CachedPage] = []
    url: str | None = unit.feed
    requests = 0
    while url and len(pages) < policy.max_pages and not any(p.url == url for p in pages):
        known = cache.page(url)
        response = fetch(client, url, known.validators if known else Validators(), policy)
        requests += response.attempts
        if response.status == 304 and known is not None:
            if not pages:
                return cache.pages, True, requests
            pages.append(known)
        else:
            parsed = parse(response.body, response.content_type,
                           Origin(network, unit.id, response.url))
            pages.append(CachedPage(url, response.validators, parsed.next_url, parsed.items,
                                    parsed.skipped))
        url = _same_site(unit.feed or "", pages[-1].next_url)
    return pages, False, requests


def _same_site(feed: str, url: str | None) -> str | None:
    """Older pages are followed only on the feed's own host."""
    if url and urlsplit(url).netloc == urlsplit(feed).netloc:
        return url
    return None


def _failed(network: Network, unit: Unit, url: str, cache: RemoteCache, message: str,
            hint: str) -> UnitResult:
    kept = [i for p in cache.pages for i in p.items]
    note = (f"; giữ {len(kept)} tin lấy được lần trước" if kept
            else "; chưa có bản nào lấy được trước đây")
    diagnostic = Diagnostic("network.yml", unit.line, Severity.WARNING if kept else Severity.ERROR,
                            f"nguồn tin của {unit.name} ({url}): {message}{note}", hint, unit.id)
    skipped = [(p.url, s) for p in cache.pages for s in p.skipped]
    return UnitResult(unit.id, url, False, kept,
                      [diagnostic, *_entry_notes(network, unit, cache.pages)], skipped=skipped)


_SKIP_HINTS = {
    "no_date": "đơn vị cần ghi ngày đăng của mục (date_published, published hoặc pubDate)",
    "no_id": "đơn vị cần ghi id (guid) hoặc đường dẫn (link) của mục",
    "wrong_type": "đơn vị cần sửa mục theo đúng đặc tả JSON Feed (jsonfeed.org)",
    "duplicate": "mỗi mục của nguồn tin cần một id riêng",
    "too_many": "đơn vị nên chia nguồn tin thành nhiều trang (next_url / prev-archive)",
    "future": "đơn vị cần sửa ngày đăng của mục",
}


def _entry_notes(network: Network, unit: Unit, pages: list[CachedPage]) -> list[Diagnostic]:
    """One line per entry not used, and per item waiting for its date, in the feed's order."""
    now = dates.now(network.timezone)
    notes = []
    for page in pages:
        where = f"nguồn tin của {unit.name} ({page.url})"
        notes += [Diagnostic("network.yml", unit.line, Severity.WARNING,
                             f"{where}: bỏ qua {s.describe()}", _SKIP_HINTS.get(s.reason, ""),
                             unit.id) for s in page.skipped]
        notes += [Diagnostic("network.yml", unit.line, Severity.INFO,
                             f"{where}: tin «{i.title}» có ngày đăng {i.published:%d/%m/%Y %H:%M}"
                             " ở tương lai nên chưa hiển thị trước ngày đó",
                             "tin tự hiện ở lần xây dựng đầu tiên từ ngày đăng; nếu ngày sai, "
                             "đơn vị cần sửa lại", unit.id)
                  for i in page.items if i.published is not None and i.published > now]
    return notes


# --- storage -------------------------------------------------------------------------------

_DATES = {"published", "updated"}
_DAYS = {"applies_to"}
_TUPLES = {"categories", "tags", "authors", "via"}
_FIELDS = tuple(f.name for f in fields(Item))  # once: fields() is slow per item at scale


def item_to_dict(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(item, name)
        if name in _DATES or name in _DAYS:
            value = value.isoformat() if value else None
        elif name in _TUPLES:
            value = list(value)
        data[name] = value
    return data


def item_from_dict(data: dict[str, Any]) -> Item:
    values = {k: v for k, v in data.items() if k in _FIELDS}
    for key in _DATES:
        values[key] = dt.datetime.fromisoformat(values[key]) if values.get(key) else None
    for key in _DAYS:
        values[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
    for key in _TUPLES:
        values[key] = tuple(values.get(key) or ())
    return Item(**values)


def _read_items_file(path: Path) -> list[Item]:
    data = _read_json(path)
    return [item_from_dict(i) for i in data.get("items", [])] if data else []


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write only when the bytes change, atomically (a reader never sees half a file).

    Compact (no ``indent``): only then does ``json`` use its C encoder, which a portal
    gathering hundreds of feeds needs (tens of thousands of items, every run).
    """
    payload = (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
               + "\n").encode()
    if path.is_file() and path.read_bytes() == payload:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(payload)
    temporary.replace(path)


def summary_notes(results: list[Aggregate]) -> list[str]:
    """One line per aggregating unit: how many items, from how many sources, how many
    entries were not used, how many items wait for their date."""
    lines = []
    now = dates.now()
    for result in results:
        failed = sum(1 for s in result.sources if not s.ok)
        skipped = sum(len(s.skipped) for s in result.sources)
        waiting = sum(1 for i in result.items if not is_due(i, now))
        note = (f", {failed} nguồn lỗi" if failed else "") + (
            f", {skipped} mục không dùng được" if skipped else "") + (
            f", {waiting} tin chờ đến ngày đăng" if waiting else "")
        lines.append(f"{result.unit}: {len(result.items)} tin từ {len(result.sources)} đơn vị"
                     f"{note}")
    return lines
