"""A unit's feeds: Atom 1.0 (``feed.xml``) and JSON Feed 1.1 (``feed.json``) from its items.

The newest items go in the main documents; the whole archive stays reachable, because the
counting needs every item and not the last twenty:

* Atom follows RFC 5005 (archived feeds): ``feed.xml`` links ``prev-archive`` to
  ``feed-archive-<k>.xml``; archive 1 holds the oldest items, each archive links to its
  neighbours and to the current feed.
* JSON Feed follows its own pagination: ``feed.json`` → ``next_url`` ``feed-2.json`` → …

Each entry carries what the network needs beyond the standards, in the ``_trangtin``
extension (JSON Feed) or elements of the ``urn:trangtin:feed:1`` namespace (Atom): the unit
that wrote it, its tổ, the highlight flag, the categories, the units that passed it on and,
for a menu or a plan, a day of the week or month it is for (``applies_to``, ISO date).
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin

from trangtin.common.text import without_control_characters
from trangtin.content.items import Item

ATOM_NS = "http://www.w3.org/2005/Atom"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
TT_NS = "urn:trangtin:feed:1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
CATEGORY_SCHEME = "urn:trangtin:category"
TAG_SCHEME = "urn:trangtin:tag"
ATOM_FILE, JSON_FILE = "feed.xml", "feed.json"
PER_PAGE = 20
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))

ET.register_namespace("", ATOM_NS)
ET.register_namespace("fh", HISTORY_NS)
ET.register_namespace("tt", TT_NS)


@dataclass(frozen=True)
class Entry:
    """An item as this site publishes it: ``link`` is where it is read here."""

    item: Item
    link: str

    @property
    def external(self) -> str | None:
        """The original, when this site shows a copy (a cross-post)."""
        return self.item.url if self.item.url != self.link else None


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about the site publishing it."""

    unit: str
    title: str
    site_url: str          # absolute, ends with "/"
    description: str = ""
    per_page: int = PER_PAGE
    language: str = "vi"

    def url(self, name: str) -> str:
        return urljoin(self.site_url, name)


def uri(value: str) -> str:
    """A URL safe for feeds: non-ASCII characters percent-encoded, reserved ones kept."""
    return quote(without_control_characters(value), safe=":/?#[]@!$&'()*+,;=%~")


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (_when(e.item), e.item.id), reverse=True)


def _when(item: Item) -> dt.datetime:
    return item.published or item.updated or _EPOCH


def _updated(item: Item) -> dt.datetime:
    return item.updated or item.published or _EPOCH


def render_feeds(entries: Iterable[Entry], info: FeedInfo) -> dict[str, bytes]:
    """Every feed document of a site, by file name (deterministic: same items, same bytes)."""
    ordered = newest_first(entries)
    return {**atom_documents(ordered, info), **json_documents(ordered, info)}


# --- Atom ----------------------------------------------------------------------------------

def atom_documents(ordered: list[Entry], info: FeedInfo) -> dict[str, bytes]:
    """``feed.xml`` with the newest items, and RFC 5005 archives of the older ones."""
    current, older = ordered[:info.per_page], list(reversed(ordered[info.per_page:]))
    archives = [list(reversed(older[i:i + info.per_page]))
                for i in range(0, len(older), info.per_page)]
    names = [f"feed-archive-{n}.xml" for n in range(1, len(archives) + 1)]
    documents = {ATOM_FILE: _atom(current, info, ATOM_FILE,
                                  {"prev-archive": names[-1]} if names else {}, archive=False)}
    for index, chunk in enumerate(archives):
        links = {"current": ATOM_FILE}
        if index > 0:
            links["prev-archive"] = names[index - 1]
        if index + 1 < len(names):
            links["next-archive"] = names[index + 1]
        documents[names[index]] = _atom(chunk, info, names[index], links, archive=True)
    return documents


def _atom(entries: list[Entry], info: FeedInfo, name: str, links: dict[str, str],
          archive: bool) -> bytes:
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": info.language})
    _text(feed, "id", f"urn:trangtin:{info.unit}:feed" + ("" if name == ATOM_FILE else f":{name}"))
    _text(feed, "title", info.title)
    if info.description:
        _text(feed, "subtitle", info.description)
    newest = max((_updated(e.item) for e in entries), default=_EPOCH)
    _text(feed, "updated", newest.isoformat())
    _text(ET.SubElement(feed, f"{{{ATOM_NS}}}author"), "name", info.title)
    _link(feed, "self", info.url(name), "application/atom+xml")
    _link(feed, "alternate", info.site_url, "text/html")
    for rel, target in links.items():
        _link(feed, rel, info.url(target), "application/atom+xml")
    if archive:
        ET.SubElement(feed, f"{{{HISTORY_NS}}}archive")
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator", {"uri": "https://pypi.org/project/trangtin/"}
                  ).text = "trangtin"
    for entry in entries:
        feed.append(_atom_entry(entry))
    ET.indent(feed)
    # ElementTree writes control characters as they are, making the document not XML; they
    # can only be inside values, so removing them from the whole text removes them from each.
    document = without_control_characters(ET.tostring(feed, encoding="unicode"))
    return f'<?xml version="1.0" encoding="utf-8"?>\n{document}\n'.encode()


def _atom_entry(entry: Entry) -> ET.Element:
    item = entry.item
    element = ET.Element(f"{{{ATOM_NS}}}entry")
    _text(element, "id", item.id)
    _text(element, "title", item.title)
    _text(element, "updated", _updated(item).isoformat())
    if item.published:
        _text(element, "published", item.published.isoformat())
    for name in item.authors:
        _text(ET.SubElement(element, f"{{{ATOM_NS}}}author"), "name", name)
    _link(element, "alternate", entry.link, "text/html")
    if entry.external:
        _link(element, "via", entry.external, "text/html")
    if item.image:
        _link(element, "enclosure", item.image, _image_type(item.image))
    for term, scheme in [*((c, CATEGORY_SCHEME) for c in item.categories),
                         *((t, TAG_SCHEME) for t in item.tags)]:
        ET.SubElement(element, f"{{{ATOM_NS}}}category", {"term": term, "scheme": scheme})
    if item.summary:
        _text(element, "summary", item.summary)
    if item.content_html:
        _text(element, "content", item.content_html).set("type", "html")
    _extension(element, item)
    return element


def _extension(element: ET.Element, item: Item) -> None:
    ET.SubElement(element, f"{{{TT_NS}}}unit").text = item.unit
    if item.team:
        ET.SubElement(element, f"{{{TT_NS}}}team").text = item.team
    if item.highlight:
        ET.SubElement(element, f"{{{TT_NS}}}highlight").text = "true"
    if item.has_media:
        ET.SubElement(element, f"{{{TT_NS}}}media").text = "true"
    if item.applies_to:
        ET.SubElement(element, f"{{{TT_NS}}}applies_to").text = item.applies_to.isoformat()
    if item.via:
        # one element, space-separated: readers keep only the last of repeated elements
        ET.SubElement(element, f"{{{TT_NS}}}via").text = " ".join(item.via)


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}")
    child.text = value
    return child


def _link(parent: ET.Element, rel: str, href: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM_NS}}}link", {"rel": rel, "href": uri(href), "type": kind})


def _image_type(url: str) -> str:
    suffix = url.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp", "avif": "image/avif",
            "gif": "image/gif"}.get(suffix, "image/jpeg")


# --- JSON Feed -----------------------------------------------------------------------------

def json_documents(ordered: list[Entry], info: FeedInfo) -> dict[str, bytes]:
    """``feed.json`` with the newest items, ``next_url`` to ``feed-2.json`` and so on."""
    pages = [ordered[i:i + info.per_page] for i in range(0, len(ordered), info.per_page)] or [[]]
    names = [JSON_FILE] + [f"feed-{n}.json" for n in range(2, len(pages) + 1)]
    documents = {}
    for index, page in enumerate(pages):
        feed: dict[str, object] = {
            "version": JSON_FEED_VERSION,
            "title": info.title,
            "home_page_url": uri(info.site_url),
            "feed_url": uri(info.url(names[index])),
            "language": info.language,
            "authors": [{"name": info.title, "url": uri(info.site_url)}],
        }
        if info.description:
            feed["description"] = info.description
        if index + 1 < len(names):
            feed["next_url"] = uri(info.url(names[index + 1]))
        feed["_trangtin"] = {"about": "urn:trangtin:feed:1", "unit": info.unit}
        feed["items"] = [json_item(entry) for entry in page]
        text = json.dumps(_without_control_characters(feed), ensure_ascii=False, indent=1)
        documents[names[index]] = (text + "\n").encode()
    return documents


def _without_control_characters(value: object) -> object:
    """Every string of a JSON value without control characters (a lone surrogate could not
    even be encoded)."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list):
        return [_without_control_characters(v) for v in value]
    if isinstance(value, dict):
        return {without_control_characters(k): _without_control_characters(v) for k, v in value.items()}
    return value


def json_item(entry: Entry) -> dict[str, object]:
    item = entry.item
    data: dict[str, object] = {"id": item.id, "url": uri(entry.link)}
    if entry.external:
        data["external_url"] = uri(entry.external)
    data["title"] = item.title
    if item.content_html:
        data["content_html"] = item.content_html
    else:
        data["content_text"] = item.summary
    if item.summary:
        data["summary"] = item.summary
    if item.image:
        data["image"] = uri(item.image)
    if item.published:
        data["date_published"] = item.published.isoformat()
    if item.updated:
        data["date_modified"] = item.updated.isoformat()
    if item.authors:
        data["authors"] = [{"name": name} for name in item.authors]
    if item.categories or item.tags:
        data["tags"] = list(dict.fromkeys([*item.categories, *item.tags]))
    data["_trangtin"] = {
        "unit": item.unit, "team": item.team, "highlight": item.highlight,
        "categories": list(item.categories), "tags": list(item.tags),
        "has_media": item.has_media, "via": list(item.via),
        **({"applies_to": item.applies_to.isoformat()} if item.applies_to else {}),
    }
    return data


def write(folder: Path, documents: dict[str, bytes]) -> None:
    """Write the feed documents into a built site's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, payload in documents.items():
        (folder / name).write_bytes(payload)
