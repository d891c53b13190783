"""Reading a feed someone else published: bytes in, sanitized Items out, or a clear refusal.

JSON Feed is read by a strict reader of our own; Atom and RSS by feedparser, always given
the bytes we fetched (never a URL or a path, so it cannot fetch anything itself).

An XML document is decoded here first, strictly, in the encoding it declares (byte order
mark, XML declaration, HTTP charset): bytes that are not in that encoding are refused with a
clear message, never guessed (feedparser falls back to Windows-1252 and passes mojibake on).
The decoded text is what is checked, so a document declaring entities is refused in any
encoding (no entity expansion, no external entities); HTML named entities (``&hellip;``),
which browsers and feedparser accept, become character references the XML parser reads,
and feedparser is given that text in UTF-8. Every entry that is not used (no readable date,
no id and no link, wrong types, an id already seen) is listed as ``Skipped`` with its
position and reason, never dropped in silence. Remote text is NFC.

Dates are read from the raw strings with their offsets, as the publisher meant them, then
converted to the network's zone: feedparser's ``*_parsed`` values are UTC ``struct_time``\\s
that have lost the offset. Naive dates are local time.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import email.utils
import hashlib
import html.entities
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from trangtin.common import dates
from trangtin.common.sanitize import clean_html, plain_text, text_only, web_url_or_none
from trangtin.common.text import nfc, without_control_bytes, without_control_characters
from trangtin.content.items import Item
from trangtin.feeds.writer import TAG_SCHEME, TT_NS
from trangtin.network.model import Network

MAX_ITEMS_PER_DOCUMENT = 2000
_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be"))
_WIDE_STARTS = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
# Character data where '&' is literal (CDATA, comments, processing instructions), or a '&'.
_AMPERSAND = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>"
                        r"|&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?", re.DOTALL)
_UNIT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")


# Why an entry of a feed is not used (the report's list of items it could not place).
SKIP_REASONS = {
    "no_date": "không có ngày đăng hoặc ngày đăng không đọc được",
    "no_id": "không có id và đường dẫn (link)",
    "wrong_type": "dữ liệu của mục sai kiểu",
    "duplicate": "trùng id với một mục khác của nguồn tin",
    "too_many": "vượt quá số mục tối đa của một trang nguồn tin",
    "future": "ngày đăng ở tương lai",
}


class FeedProblem(ValueError):
    """A document that is not a readable feed; message and hint are Vietnamese."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


class _Unusable(Exception):
    """One entry that cannot be used: a key of SKIP_REASONS and a Vietnamese detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Skipped:
    """An entry of a feed that is not used: where it is, what it is called, and why."""

    position: int       # 1-based, in its document
    reason: str         # a key of SKIP_REASONS
    detail: str         # Vietnamese, about this entry ("ngày đăng 'hôm qua' không đọc được")
    title: str = ""
    id: str = ""

    def describe(self) -> str:
        name = f" «{self.title}»" if self.title else ""
        return f"mục thứ {self.position}{name}: {self.detail}"


@dataclass
class Parsed:
    """One feed document read: its items, the next page of older items, entries not used."""

    items: list[Item]
    next_url: str | None = None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [s.describe() for s in self.skipped]


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
    parsed = _as_written(raw)
    try:
        return dates.localize(parsed, zone) if parsed is not None else None
    except OverflowError:  # 9999-12-31T23:00:00-05:00 is past the last representable moment
        return None


def _as_written(raw: object) -> dt.datetime | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    value = raw.strip()
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            return email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None


def _published_at(published: object, updated: object, zone: dt.tzinfo) -> dt.datetime:
    """The entry's date (its update date when it has no other); _Unusable without one."""
    given = [raw for raw in (published, updated) if isinstance(raw, str) and raw.strip()]
    for raw in given:
        if (moment := read_date(raw, zone)) is not None:
            return moment
    if not given:
        raise _Unusable("no_date", "không có ngày đăng")
    shown = text_only(str(given[0]), 60)
    written = _as_written(given[0])
    if written is not None and written.year > dt.MAXYEAR // 2:
        raise _Unusable("future", f"ngày đăng '{shown}' quá xa trong tương lai")
    raise _Unusable("no_date", f"ngày đăng '{shown}' không đọc được")


# --- every entry named: used, or skipped with its reason --------------------------------------

def _read_entries(entries: list[Any], read: Callable[[Any], Item],
                  title_of: Callable[[Any], str]) -> Parsed:
    """Each entry as an Item, or as Skipped; the first of two entries with one id is kept."""
    parsed = Parsed([])
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries[:MAX_ITEMS_PER_DOCUMENT], start=1):
        try:
            item = read(entry)
        except _Unusable as unusable:
            parsed.skipped.append(Skipped(position, unusable.reason, unusable.detail,
                                          title_of(entry)))
            continue
        if item.id in seen:
            parsed.skipped.append(Skipped(position, "duplicate",
                                          f"trùng id với mục thứ {seen[item.id]}", item.title,
                                          item.id))
            continue
        seen[item.id] = position
        parsed.items.append(item)
    if len(entries) > MAX_ITEMS_PER_DOCUMENT:
        parsed.skipped.append(Skipped(
            MAX_ITEMS_PER_DOCUMENT + 1, "too_many",
            f"{len(entries) - MAX_ITEMS_PER_DOCUMENT} mục từ mục thứ "
            f"{MAX_ITEMS_PER_DOCUMENT + 1} trở đi không được đọc (mỗi trang tối đa "
            f"{MAX_ITEMS_PER_DOCUMENT} mục)"))
    return parsed


# --- JSON Feed -----------------------------------------------------------------------------

def parse_json_feed(body: bytes, origin: Origin) -> Parsed:
    """The strict reader: the document must be a JSON Feed 1.x; bad items are skipped."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_in_encoding("UTF-8", exc) from None
    try:
        data = json.loads(text, object_pairs_hook=_object_without_control_characters)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FeedProblem(f"tệp JSON bị lỗi ({exc})",
                          "kiểm tra nguồn tin của đơn vị bằng một trình kiểm tra JSON") from None
    if not isinstance(data, dict) or data.get("version") not in JSON_FEED_VERSIONS:
        raise FeedProblem("tài liệu không phải JSON Feed (thiếu 'version' của jsonfeed.org)",
                          "địa chỉ 'feed:' phải trỏ tới feed.json hoặc feed.xml của đơn vị")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedProblem("JSON Feed thiếu danh sách 'items'", "kiểm tra nguồn tin của đơn vị")
    parsed = _read_entries(items, lambda raw: _json_item(raw, origin), _json_title)
    parsed.next_url = web_url_or_none(data.get("next_url"), origin.url)
    return parsed


_JSON_STRINGS = ("title", "content_html", "content_text", "summary", "url", "external_url",
                 "image", "date_published", "date_modified")


def _json_item(raw: object, origin: Origin) -> Item:
    if not isinstance(raw, dict):
        raise _Unusable("wrong_type", f"mục là {_json_kind(raw)}, không phải một đối tượng JSON")
    for key in _JSON_STRINGS:
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise _Unusable("wrong_type", f"'{key}' phải là chuỗi, không phải "
                                          f"{_json_kind(raw[key])}")
    raw_id = _json_id(raw.get("id")) or _filled(raw.get("url")) or _filled(raw.get("external_url"))
    if not raw_id:
        raise _Unusable("no_id", "không có 'id' và 'url'")
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
        authors=[a.get("name") for a in _list(raw.get("authors")) if isinstance(a, dict)],
        extension=extension,
    )


def _json_id(value: object) -> str:
    """JSON Feed 1.1: an id given as a number is read as a string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if value is not None and not isinstance(value, str):
        raise _Unusable("wrong_type", f"'id' phải là chuỗi, không phải {_json_kind(value)}")
    return _filled(value)


def _filled(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _json_title(raw: object) -> str:
    title = raw.get("title") if isinstance(raw, dict) else None
    return nfc(text_only(title, 120)) if isinstance(title, str) else ""


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    kinds = ((bool, "đúng/sai"), (int, "số"), (float, "số"), (str, "chuỗi"),
             (list, "danh sách"), (dict, "đối tượng"))
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [plain_text(v, 120) for v in value if isinstance(v, str) and v.strip()]


# --- Atom and RSS --------------------------------------------------------------------------

def parse_xml_feed(body: bytes, content_type: str, origin: Origin) -> Parsed:
    """Atom or RSS through feedparser, given the document decoded, checked and in UTF-8."""
    import feedparser  # imported by what reads a feed, not by every build

    text = decode_xml(body, content_type)
    if _ENTITY_DECLARATION.search(text):
        raise FeedProblem("tài liệu XML khai báo ENTITY (không an toàn nên không đọc)",
                          "nguồn tin không được chứa khai báo <!ENTITY>")
    text = _XML_DECLARATION.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    media_type = (content_type.split(";")[0].strip() or "application/xml")
    document = feedparser.parse(_AMPERSAND.sub(_as_browsers_read, text).encode(
        "utf-8", "replace"), response_headers={
        "content-type": f"{media_type}; charset=utf-8", "content-location": origin.url})
    if not document.get("version"):
        raise FeedProblem("tài liệu không phải nguồn tin Atom/RSS/JSON Feed "
                          "(có thể là một trang web)",
                          "địa chỉ 'feed:' phải trỏ tới feed.xml hoặc feed.json của đơn vị")
    if document.get("bozo") and _is_fatal(document.get("bozo_exception")):
        raise FeedProblem(f"XML bị lỗi ({document.get('bozo_exception')})",
                          "đơn vị cần sửa lỗi cú pháp trong nguồn tin")
    parsed = _read_entries(document.entries, lambda entry: _xml_item(entry, origin),
                           lambda entry: nfc(text_only(str(entry.get("title") or ""), 120)))
    parsed.next_url = _link(document.feed.get("links", []), "prev-archive", origin.url)
    return parsed


def decode_xml(body: bytes, content_type: str) -> str:
    """The document as text in the encoding it declares: its byte order mark, else its XML
    declaration or HTTP charset (UTF-8 first when either says so), else UTF-8.

    Raises FeedProblem when the bytes are not in that encoding: guessing another one is how
    a Windows-1258 feed declared UTF-8 became mojibake on the portal.
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if body.startswith(mark):
            return _decode(body[len(mark):], [codec])
    for start, codec in _WIDE_STARTS:
        if body.startswith(start):
            return _decode(body, [codec])
    declared = [m.group(1).decode("ascii") for m in (_XML_ENCODING.match(body),) if m]
    declared += [m.group(1) for m in (_HTTP_CHARSET.search(content_type or ""),) if m]
    declared.sort(key=lambda label: _codec(label) != "utf-8")
    return _decode(body, declared or ["UTF-8"])


def _decode(body: bytes, labels: list[str]) -> str:
    first: UnicodeDecodeError | None = None
    for label in labels:
        try:
            return body.decode(_codec(label))
        except UnicodeDecodeError as exc:
            first = first or exc
    assert first is not None
    raise _not_in_encoding(labels[0].upper(), first)


def _codec(label: str) -> str:
    try:
        codec = codecs.lookup(label).name
        b"".decode(codec)  # base64, rot13…: codecs, not text encodings
    except LookupError:
        raise FeedProblem(f"nguồn tin khai báo bảng mã '{label}' không được hỗ trợ",
                          "đơn vị nên lưu nguồn tin bằng UTF-8") from None
    return codec


def _not_in_encoding(label: str, exc: UnicodeDecodeError) -> FeedProblem:
    return FeedProblem(f"nguồn tin khai báo {label} nhưng không phải {label} (byte thứ "
                       f"{exc.start + 1} không đọc được theo {label})",
                       f"đơn vị cần lưu nguồn tin bằng đúng bảng mã đã khai báo ({label}), "
                       "hoặc khai báo đúng bảng mã đang dùng")


def _as_browsers_read(match: re.Match[str]) -> str:
    """A '&' as a browser reads it, written so that an XML parser reads the same thing:
    an HTML named entity XML does not define becomes character references, an unknown
    name or a bare '&' is literal text. CDATA, comments and instructions are left as is."""
    whole, reference = match.group(), match.group(1)
    if not whole.startswith("&"):
        return whole
    if reference is None:
        return "&amp;"
    if reference.startswith("#") or reference[:-1] in _XML_ENTITIES:
        return whole
    characters = html.entities.html5.get(reference)
    if characters is None:
        return "&amp;" + reference
    return "".join(f"&#{ord(c)};" for c in characters)


def _is_fatal(exception: object) -> bool:
    import feedparser

    harmless = (feedparser.CharacterEncodingOverride,)
    return exception is not None and not isinstance(exception, harmless)


def _xml_item(entry: Any, origin: Origin) -> Item:
    raw_id = entry.get("id") or entry.get("link")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise _Unusable("no_id", "không có id (guid) và đường dẫn (link)")
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
        "applies_to": entry.get(f"{prefix}_applies_to"),
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
    published_at = _published_at(published, updated, zone)
    unit = origin.attribute(claimed)
    content_html = _nfc_html(clean_html(html, base) if html else clean_html(_paragraphs(text)))
    clean_title = nfc(str(title)) or plain_text(content_html, 80)
    team = extension.get("team")
    return Item(
        id=origin.own_id(raw_id.strip(), unit), unit=unit, title=clean_title or "(không tiêu đề)",
        url=url, published=published_at, updated=read_date(updated, zone),
        categories=tuple(dict.fromkeys(nfc(c) for c in categories if c)),
        tags=tuple(nfc(t) for t in tags),
        team=team if isinstance(team, str) and team.startswith(unit + "-") else None,
        authors=tuple(nfc(plain_text(str(a), 80)) for a in authors if a),
        summary=nfc(str(summary)) or plain_text(content_html, 240),
        content_html=content_html, image=web_url_or_none(image, base),
        highlight=extension.get("highlight") is True,
        has_media=bool(extension.get("has_media")) or "<img" in content_html,
        source=origin.url, via=_via(extension.get("via"), unit, origin.unit),
        applies_to=_applies_to(extension.get("applies_to")),
    )


def _applies_to(value: object) -> dt.date | None:
    """The day a menu or plan is for, an ISO date; anything else is not kept (the item's
    date decides then)."""
    if not isinstance(value, str) or len(value.strip()) != 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _via(claimed: object, unit: str, fetched: str) -> tuple[str, ...]:
    """The units that passed the item on; the unit we fetched from is always among them."""
    chain = [v for v in claimed if isinstance(v, str) and _UNIT_ID.match(v)] \
        if isinstance(claimed, list) else []
    if unit != fetched and fetched not in chain:
        chain.append(fetched)
    return tuple(dict.fromkeys(chain))


def _nfc_html(markup: str) -> str:
    """NFC within each text run and tag, never across a '<' or '>': a combining mark
    after '>' would otherwise compose with it (U+0338 turns '>' into '≯')."""
    return _TAG_OR_TEXT.sub(lambda m: nfc(m.group()), markup)


_TAG_OR_TEXT = re.compile(r"[^<>]+")


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
