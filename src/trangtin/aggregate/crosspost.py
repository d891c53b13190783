"""Cross-posting: the highlights of the units below, shown on an aggregating unit's portal.

Highlights are the items their unit flagged ``highlight: true`` plus the ones an editor
picks in ``content/<portal>/highlights.yml`` (which can also exclude an item, and ask for a
full repost). Each becomes a page of the portal, generated at build time from the
aggregation state (nothing is written into ``content/``): re-running gives the same pages,
an item withdrawn at its source disappears, a page an editor wrote by hand is kept.

The other direction uses the same reader: a school's home page lists the announcements
(category Thông báo) of the units above it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup, escape

from trangtin.aggregate.collect import is_due, load_items, unit_items
from trangtin.common import dates, text
from trangtin.common.diagnostics import Diagnostic, error, warning
from trangtin.common.sanitize import clean_html
from trangtin.common.yamlsource import YamlProblem, load
from trangtin.content.items import Item
from trangtin.feeds.writer import Entry
from trangtin.network.model import Network, Unit
from trangtin.network.sections import NOTICES_CATEGORY

PICKS_FILE = "highlights.yml"
CROSSPOST_DIR = "tin-don-vi"
UNITS_DIR = "don-vi"
HOME_HIGHLIGHTS = 6
UNIT_PAGE_ITEMS = 20
ANNOUNCEMENTS = 5


@dataclass
class Picks:
    """What an editor asked for in ``highlights.yml``: ids or URLs to add or leave out."""

    include: dict[str, bool] = field(default_factory=dict)   # id or URL → full repost
    exclude: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def wanted(self, item: Item) -> bool | None:
        """True/False when the editor decided, None when the unit's flag decides."""
        if item.id in self.exclude or item.url in self.exclude:
            return False
        if item.id in self.include or item.url in self.include:
            return True
        return None

    def full(self, item: Item) -> bool:
        return self.include.get(item.id, False) or self.include.get(item.url, False)


def read_picks(path: Path, display: str) -> Picks:
    """Read ``highlights.yml``; a missing file means no picks, a wrong entry is explained."""
    picks = Picks()
    if not path.is_file():
        return picks
    try:
        located = load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlProblem) as exc:
        line = exc.line if isinstance(exc, YamlProblem) else None
        picks.diagnostics.append(error(display, line, f"không đọc được tệp ({exc})",
                                       "sửa cú pháp YAML; tệp lưu bằng UTF-8"))
        return picks
    data = located.data or {}
    if not isinstance(data, dict):
        picks.diagnostics.append(error(display, 1, "tệp phải có khóa 'include:' và/hoặc "
                                       "'exclude:'", "xem ví dụ ở đầu tệp highlights.yml"))
        return picks
    for key in data:
        if key not in ("include", "exclude"):
            picks.diagnostics.append(warning(display, located.line(key),
                                             f"khóa '{key}' không được hỗ trợ",
                                             "chỉ dùng 'include:' và 'exclude:'"))
    for index, entry in enumerate(_list(data.get("include"))):
        _read_entry(picks, entry, located.line("include", index), display, include=True)
    for index, entry in enumerate(_list(data.get("exclude"))):
        _read_entry(picks, entry, located.line("exclude", index), display, include=False)
    return picks


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _read_entry(picks: Picks, entry: object, line: int | None, display: str,
                include: bool) -> None:
    full = False
    if isinstance(entry, dict):
        full = entry.get("full") is True
        entry = entry.get("id") or entry.get("url")
    if not isinstance(entry, str) or not entry.strip():
        picks.diagnostics.append(error(
            display, line, "mỗi mục phải là id của tin (urn:trangtin:…) hoặc địa chỉ bài gốc",
            "ví dụ: '- https://truong.example.edu.vn/tin-tuc/2025/09/bai-viet/' "
            "hoặc '- {url: ..., full: true}'"))
        return
    if include:
        picks.include[entry.strip()] = full
    else:
        picks.exclude.add(entry.strip())


@dataclass(frozen=True)
class CrossPost:
    """One item shown on the portal: where its page is and how it credits its source."""

    item: Item
    source: Unit
    full: bool = False

    @property
    def slug(self) -> str:
        """Stable: from the id (not the title, which an edit can change)."""
        tail = self.item.id.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        digest = hashlib.sha256(self.item.id.encode()).hexdigest()[:8]
        return f"{text.slugify(tail, 60) or 'tin'}-{digest}"

    @property
    def url(self) -> str:
        return f"{CROSSPOST_DIR}/{self.item.unit}/{self.slug}/"

    @property
    def body(self) -> Markup:
        """The full text for a full repost, sanitized once more at the last moment (HTML:
        the templates print it as it is)."""
        return Markup(clean_html(self.item.content_html, self.item.url) if self.full else "")

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"


@dataclass(frozen=True)
class UnitPage:
    """A unit's page on the portal: its recent items."""

    unit: Unit
    items: list[Item]

    @property
    def url(self) -> str:
        return f"{UNITS_DIR}/{self.unit.id}/"

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"


@dataclass
class PortalView:
    """What an aggregating unit's site shows of the units below it (``tt_network``)."""

    unit: Unit
    crossposts: list[CrossPost]
    unit_pages: list[UnitPage]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    announcements: list[Item] = field(default_factory=list)

    @property
    def highlights(self) -> list[CrossPost]:
        return self.crossposts[:HOME_HIGHLIGHTS]

    @property
    def latest_by_unit(self) -> list[tuple[Unit, Item]]:
        return [(page.unit, page.items[0]) for page in self.unit_pages if page.items]

    def link(self, item: Item) -> str:
        """Where the portal sends a reader for ``item``: its cross-post, or the original."""
        found = self._by_id.get(item.id)
        return found.url if found else item.url

    def is_local(self, item: Item) -> bool:
        return item.id in self._by_id

    @property
    def _by_id(self) -> dict[str, CrossPost]:
        return {c.item.id: c for c in self.crossposts}

    def pages(self) -> dict[str, CrossPost | UnitPage]:
        found: dict[str, CrossPost | UnitPage] = {c.src_uri: c for c in self.crossposts}
        found.update({p.src_uri: p for p in self.unit_pages})
        return found


def portal_view(network: Network, unit: Unit, docs_dir: Path) -> PortalView:
    """The cross-posts and unit pages of an aggregating unit, from the aggregation state
    (without the items dated in the future: ``load_items`` leaves them out until their date)."""
    picks = read_picks(docs_dir / PICKS_FILE, f"content/{unit.id}/{PICKS_FILE}")
    items = [i for i in load_items(network, unit.id) if i.unit != unit.id]
    crossposts = [CrossPost(i, network.units[i.unit], picks.full(i))
                  for i in items if _chosen(i, picks) and i.unit in network.units]
    below = [u for u in network.descendants(unit.id) if u.type != "to"]
    pages = [UnitPage(u, [i for i in items if i.unit == u.id][:UNIT_PAGE_ITEMS]) for u in below]
    return PortalView(unit, crossposts, pages, picks.diagnostics)


def _chosen(item: Item, picks: Picks) -> bool:
    decided = picks.wanted(item)
    return item.highlight if decided is None else decided


def announcements_for(network: Network, unit: Unit, public: Path | None = None,
                      limit: int = ANNOUNCEMENTS) -> list[Item]:
    """The newest announcements (category Thông báo) of the units above ``unit``; one dated
    in the future waits for its date."""
    now = dates.now(network.timezone)
    found = [i for i in _announcements_above(network, unit, public) if is_due(i, now)]
    found.sort(key=lambda i: (i.published is not None, i.published, i.id), reverse=True)
    return found[:limit]


def waiting_announcements(network: Network, unit: Unit,
                          public: Path | None = None) -> list[dt.datetime]:
    """When the announcements from above dated in the future become due: a school's site
    kept from its last build is built again from the first of these moments."""
    now = dates.now(network.timezone)
    return sorted(i.published for i in _announcements_above(network, unit, public)
                  if i.published is not None and i.published > now)


def _announcements_above(network: Network, unit: Unit, public: Path | None) -> list[Item]:
    found: list[Item] = []
    for above in network.ancestors(unit.id):
        if above.aggregates and (above.is_remote or network.config_file(above.id)):
            found.extend(i for i in unit_items(network, above, public)
                         if i.unit == above.id and NOTICES_CATEGORY in i.categories)
    return found


def page_meta(shown: CrossPost | UnitPage) -> dict[str, object]:
    """Title (escaped: it came from another site and Material prints titles raw),
    template and description of a generated portal page."""
    if isinstance(shown, UnitPage):
        return {"title": escape(f"Tin bài của {shown.unit.name}"),
                "template": "trangtin/unit-items.html",
                "description": escape(f"Tin bài mới của {shown.unit.name}")}
    return {"title": escape(shown.item.title), "template": "trangtin/crosspost.html",
            "description": escape(shown.item.summary)}


def feed_entries(portal: PortalView, shown: dict[str, CrossPost | UnitPage],
                 site_url: str) -> list[Entry]:
    """The portal's cross-posts in its own feed: same id, origin unit kept, portal in ``via``
    (so a Sở reading this feed still knows each item's school)."""
    return [Entry(replace(c.item, via=(*c.item.via, portal.unit.id)), urljoin(site_url, c.url))
            for c in portal.crossposts if c.src_uri in shown]
