"""Reading a feed someone else published: bytes in, sanitized Items out, or a clear refusal.

JSON Feed is read by a strict reader of our own; Atom and RSS by feedparser, always given
the bytes we fetched (never a URL or a path, so it cannot fetch anything itself). Documents
declaring XML entities are refused before parsing (no entity expansion, no external
entities). Dates are read from the raw strings with their offsets, as the publisher meant
them, then converted to the network's zone: feedparser's ``*_parsed`` values are UTC
``struct_time``\\s that have lost the offset. Naive dates are local time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import feedparser

from trangtin.common import dates
from trangtin.common.sanitize import clean_html, plain_text, text_only, web_url_or_none
from trangtin.common.text import without_control_bytes, without_control_characters
from trangtin.content.items import Item
from trangtin.feeds.writer import TAG_SCHEME, TT_NS
from trangtin.network.model import Network

MAX_ITEMS_PER_DOCUMENT = 2000
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_UNIT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")


class FeedProblem(ValueError):
    """A document that is not a readable feed; message and hint are Vietnamese."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class Parsed:
    """One feed document read: its items, the next page of older items, item-level notes."""

    items: list[Item]
    next_url: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Origin:
    """Who we believe published the document: a unit of the network and the document's URL."""

    network: Network
    unit: str
    url: str

    def attribute(self, claimed: object) -> str:
        """The unit an entry is credited to: its claim if that is this unit or one below it."""
        # Walking up from the claim costs the depth of the tree, not the size of the network.
        if (isinstance(claimed, str) and claimed != self.unit and claimed in self.network.units
                and any(a.id == self.unit for a in self.network.ancestors(claimed))):
            return claimed
        return self.unit

    def own_id(self, raw_id: str, unit: str) -> str:
        """The entry's id if it is in the unit's id space, else a stable id derived from it."""
        if raw_id.startswith(f"urn:trangtin:{unit}:"):
            return raw_id
        digest = hashlib.sha256(raw_id.encode()).hexdigest()[:20]
        return f"urn:trangtin:{unit}:ext:{digest}"


def parse(body: bytes, content_type: str, origin: Origin) -> Parsed:
    """Read a JSON Feed, Atom or RSS document; raise FeedProblem when it is not a feed.

    Control characters are removed silently, from the bytes first (a raw BEL or ``&#7;``
    makes XML not well-formed) and from every text of every item."""
    body = without_control_bytes(body)
    head = body[:512].lstrip()
    if "json" in content_type.lower() or head.startswith(b"{"):
        parsed = parse_json_feed(body, origin)
    else:
        parsed = parse_xml_feed(body, content_type, origin)
    parsed.items = [_without_control_characters(item) for item in parsed.items]
    return parsed


# --- dates ---------------------------------------------------------------------------------

def read_date(raw: object, zone: dt.tzinfo) -> dt.datetime | None:
    """An RFC 3339 or RFC 822 date string, in ``zone``; None when unreadable."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    value = raw.strip()
    parsed: dt.datetime | None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    return dates.localize(parsed, zone) if parsed is not None else None


# --- JSON Feed -----------------------------------------------------------------------------

def parse_json_feed(body: bytes, origin: Origin) -> Parsed:
    """The strict reader: the document must be a JSON Feed 1.x; bad items are skipped."""
    try:
        data = json.loads(body.decode("utf-8-sig"), object_pairs_hook=_object_without_control_characters)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedProblem(f"tệp JSON bị lỗi ({exc})",
                          "kiểm tra nguồn tin của đơn vị bằng một trình kiểm tra JSON") from None
    if not isinstance(data, dict) or data.get("version") not in JSON_FEED_VERSIONS:
        raise FeedProblem("tài liệu không phải JSON Feed (thiếu 'version' của jsonfeed.org)",
                          "địa chỉ 'feed:' phải trỏ tới feed.json hoặc feed.xml của đơn vị")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedProblem("JSON Feed thiếu danh sách 'items'", "kiểm tra nguồn tin của đơn vị")
    parsed = Parsed([])
    for index, raw in enumerate(items[:MAX_ITEMS_PER_DOCUMENT]):
        try:
            parsed.items.append(_json_item(raw, origin))
        except FeedProblem as problem:
            parsed.notes.append(f"mục thứ {index + 1}: {problem.message}")
    parsed.next_url = web_url_or_none(data.get("next_url"), origin.url)
    return parsed


def _json_item(raw: object, origin: Origin) -> Item:
    if not isinstance(raw, dict):
        raise FeedProblem("mục không phải một đối tượng JSON", "")
    raw_id = raw.get("id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise FeedProblem("mục thiếu 'id'", "")
    for key in ("title", "content_html", "content_text", "summary", "url", "external_url",
                "image", "date_published", "date_modified"):
        if key in raw and not isinstance(raw[key], str):
            raise FeedProblem(f"'{key}' phải là chuỗi", "")
    found = raw.get("_trangtin")
    extension: dict[str, Any] = found if isinstance(found, dict) else {}
    link = web_url_or_none(raw.get("url"), origin.url)
    original = web_url_or_none(raw.get("external_url"), origin.url) or link or origin.url
    tags = _strings(raw.get("tags"))
    return _make_item(
        origin, raw_id=raw_id, claimed=extension.get("unit"),
        title=text_only(raw.get("title") or "", 300), url=original, base=link or origin.url,
        html=raw.get("content_html") or "", text=raw.get("content_text") or "",
        summary=text_only(raw.get("summary") or "", 400),
        image=raw.get("image"), published=raw.get("date_published"),
        updated=raw.get("date_modified"),
        categories=_strings(extension.get("categories")) if "categories" in extension else tags,
        tags=_strings(extension.get("tags")),
        authors=[a.get("name") for a in raw.get("authors") or [] if isinstance(a, dict)],
        extension=extension,
    )


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [plain_text(v, 120) for v in value if isinstance(v, str) and v.strip()]


# --- Atom and RSS --------------------------------------------------------------------------

def parse_xml_feed(body: bytes, content_type: str, origin: Origin) -> Parsed:
    """Atom or RSS through feedparser, after refusing documents that declare entities."""
    if _ENTITY_DECLARATION.search(body):
        raise FeedProblem("tài liệu XML khai báo ENTITY (không an toàn nên không đọc)",
                          "nguồn tin không được chứa khai báo <!ENTITY>")
    document = feedparser.parse(body, response_headers={
        "content-type": content_type or "application/xml", "content-location": origin.url})
    if not document.get("version"):
        raise FeedProblem("tài liệu không phải nguồn tin Atom/RSS/JSON Feed "
                          "(có thể là một trang web)",
                          "địa chỉ 'feed:' phải trỏ tới feed.xml hoặc feed.json của đơn vị")
    if document.get("bozo") and _is_fatal(document.get("bozo_exception")):
        raise FeedProblem(f"XML bị lỗi ({document.get('bozo_exception')})",
                          "đơn vị cần sửa lỗi cú pháp trong nguồn tin")
    parsed = Parsed([])
    for index, entry in enumerate(document.entries[:MAX_ITEMS_PER_DOCUMENT]):
        try:
            parsed.items.append(_xml_item(entry, origin))
        except FeedProblem as problem:
            parsed.notes.append(f"mục thứ {index + 1}: {problem.message}")
    parsed.next_url = _link(document.feed.get("links", []), "prev-archive", origin.url)
    return parsed


def _is_fatal(exception: object) -> bool:
    harmless = (feedparser.CharacterEncodingOverride,)
    return exception is not None and not isinstance(exception, harmless)


def _xml_item(entry: Any, origin: Origin) -> Item:
    raw_id = entry.get("id") or entry.get("link")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise FeedProblem("mục thiếu 'id'", "")
    links = entry.get("links", [])
    link = _link(links, "alternate", origin.url) or web_url_or_none(entry.get("link"), origin.url)
    original = _link(links, "via", origin.url) or link or origin.url
    content = entry.get("content") or []
    terms = [(t.get("term") or "", t.get("scheme") or "") for t in entry.get("tags", [])]
    prefix = _prefix(entry)
    extension = {
        "unit": entry.get(f"{prefix}_unit"), "team": entry.get(f"{prefix}_team"),
        "highlight": entry.get(f"{prefix}_highlight") == "true",
        "has_media": entry.get(f"{prefix}_media") == "true",
        "via": str(entry.get(f"{prefix}_via") or "").split(),
    } if prefix else {}
    return _make_item(
        origin, raw_id=raw_id, claimed=extension.get("unit"),
        title=_text_construct(entry, "title", 300), url=original, base=link or origin.url,
        html=content[0].get("value", "") if content else _summary_html(entry),
        text="", summary=_text_construct(entry, "summary", 400), image=_image(entry, origin.url),
        # plain dict access: feedparser's own maps a missing 'updated' to 'published'
        published=dict.get(entry, "published"), updated=dict.get(entry, "updated"),
        categories=[t for t, s in terms if s != TAG_SCHEME and t],
        tags=[t for t, s in terms if s == TAG_SCHEME and t],
        authors=[a.get("name") for a in entry.get("authors", []) if isinstance(a, dict)],
        extension=extension,
    )


def _text_construct(entry: Any, key: str, limit: int) -> str:
    """An Atom/RSS text construct as plain text: HTML ones are reduced to their text."""
    detail = entry.get(f"{key}_detail") or {}
    value = str(entry.get(key) or "")
    if "html" in str(detail.get("type", "text/html")):
        return plain_text(value, limit)
    return text_only(value, limit)


def _summary_html(entry: Any) -> str:
    """RSS often has only a description: it is the item's HTML when it is HTML."""
    detail = entry.get("summary_detail") or {}
    return str(entry.get("summary") or "") if "html" in str(detail.get("type", "")) else ""


def _prefix(entry: Any) -> str | None:
    """feedparser names foreign elements ``<prefix>_<name>`` after the document's prefix."""
    namespaces = getattr(entry, "_namespaces", None) or {}
    for prefix, uri in namespaces.items():
        if uri == TT_NS:
            return str(prefix)
    return "tt" if "tt_unit" in entry else None


def _link(links: Iterable[Any], rel: str, base: str) -> str | None:
    for link in links:
        if link.get("rel") == rel:
            return web_url_or_none(link.get("href"), base)
    return None


def _image(entry: Any, base: str) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return web_url_or_none(link.get("href"), base)
    for key in ("media_thumbnail", "media_content"):
        for media in entry.get(key) or []:
            if url := web_url_or_none(media.get("url"), base):
                return url
    return None


# --- both ----------------------------------------------------------------------------------

def _make_item(origin: Origin, *, raw_id: str, claimed: object, title: str, url: str,
               base: str, html: str, text: str, summary: str, image: object,
               published: object, updated: object, categories: list[str], tags: list[str],
               authors: list[Any], extension: dict[str, Any]) -> Item:
    zone = origin.network.timezone
    published_at = read_date(published, zone) or read_date(updated, zone)
    if published_at is None:
        raise FeedProblem("mục không có ngày đăng đọc được nên bị bỏ qua", "")
    unit = origin.attribute(claimed)
    content_html = clean_html(html, base) if html else clean_html(_paragraphs(text))
    clean_title = str(title) or plain_text(content_html, 80)
    team = extension.get("team")
    return Item(
        id=origin.own_id(raw_id.strip(), unit), unit=unit, title=clean_title or "(không tiêu đề)",
        url=url, published=published_at, updated=read_date(updated, zone),
        categories=tuple(dict.fromkeys(c for c in categories if c)), tags=tuple(tags),
        team=team if isinstance(team, str) and team.startswith(unit + "-") else None,
        authors=tuple(plain_text(str(a), 80) for a in authors if a),
        summary=str(summary) or plain_text(content_html, 240),
        content_html=content_html, image=web_url_or_none(image, base),
        highlight=extension.get("highlight") is True,
        has_media=bool(extension.get("has_media")) or "<img" in content_html,
        source=origin.url, via=_via(extension.get("via"), unit, origin.unit),
    )


def _via(claimed: object, unit: str, fetched: str) -> tuple[str, ...]:
    """The units that passed the item on; the unit we fetched from is always among them."""
    chain = [v for v in claimed if isinstance(v, str) and _UNIT_ID.match(v)] \
        if isinstance(claimed, list) else []
    if unit != fetched and fetched not in chain:
        chain.append(fetched)
    return tuple(dict.fromkeys(chain))


def _object_without_control_characters(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object with no control character in its strings, lists of strings included:
    a lone surrogate (``\\ud800``) would stop the sanitizer, the others reach the pages."""
    return {without_control_characters(key): _json_without_control_characters(value)
            for key, value in pairs}


def _json_without_control_characters(value: Any) -> Any:
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list):
        return [_json_without_control_characters(v) for v in value]
    return value  # objects were cleaned by their own hook call


def _without_control_characters(item: Item) -> Item:
    """The item with control characters removed from its texts, URLs and lists of names."""
    changes: dict[str, Any] = {}
    for name in ("id", "title", "url", "summary", "content_html", "image", "team", "source"):
        if isinstance(value := getattr(item, name), str):
            changes[name] = without_control_characters(value)
    for name in ("categories", "tags", "authors", "via"):
        cleaned = (without_control_characters(v) for v in getattr(item, name))
        changes[name] = tuple(v for v in cleaned if v)
    return dataclasses.replace(item, **changes)


def _paragraphs(text: str) -> str:
    from html import escape

    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
