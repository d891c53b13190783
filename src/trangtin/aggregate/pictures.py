"""The pictures of cross-posted items, downloaded once so the portal serves them itself.

A portal that hotlinks its schools' photos breaks whenever a school's host is slow or down.
When aggregating, the cover (or first image) of every item a portal cross-posts, and every
image of a full repost, is fetched like a feed is: only http(s), bounded in size and time,
its content type an image and its bytes decoded by Pillow. The bytes are kept in the state
folder by URL with their ETag/Last-Modified, so the next run costs a 304 and changes no
byte; the build runs them through the photo pipeline (no metadata reaches the portal).

A picture that cannot be fetched is named with its unit, URL and reason; the last good copy
is kept, and without one the portal shows a placeholder. A picture no portal aggregated in
this run still wants (its item left the feed, or is no longer picked) is forgotten and its
file deleted, so the folder does not grow for years; pictures wanted by portals not
aggregated in this run are kept.

* ``pictures/index.json`` — URL → validators, the stored file and the portals that want it;
* ``pictures/<sha256>`` — the bytes as fetched (the build never publishes them as they are).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from trangtin.aggregate.collect import (
    DEFAULT_OUT,
    FORMAT,
    Aggregate,
    _read_json,
    _write_json,
    site_url_of,
    state_dir,
)
from trangtin.aggregate.crosspost import PICKS_FILE, read_picks
from trangtin.common.diagnostics import Diagnostic, Severity
from trangtin.common.sanitize import web_url_or_none
from trangtin.content.items import Item
from trangtin.feeds.fetch import (
    FetchFailed,
    FetchPolicy,
    Validators,
    deadline_in,
    fetch,
    make_client,
)
from trangtin.network.model import Network
from trangtin.photos import pipeline

PICTURES_DIR = "pictures"
INDEX_FILE = "index.json"
MAX_BYTES = 8_000_000          # a phone photo is 2–6 MB; more is refused
MAX_SECONDS = 20.0             # for one picture, retries included
MAX_BODY_IMAGES = 30           # images of one full repost
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def picture_url(item: Item) -> str | None:
    """The picture that stands for an item: its cover, else the first image of its text."""
    return web_url_or_none(item.image or "") or next(iter(body_images(item, 1)), None)


def body_images(item: Item, limit: int = MAX_BODY_IMAGES) -> list[str]:
    """The http(s) images of an item's text, in order, each once (``content_html`` is
    sanitized and its URLs absolute)."""
    found: list[str] = []
    for match in _IMG_SRC.finditer(item.content_html):
        url = web_url_or_none(html.unescape(match.group(1) or match.group(2) or ""), item.url)
        if url and url not in found:
            found.append(url)
        if len(found) >= limit:
            break
    return found


# --- what is stored ---------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    """A picture as last fetched: its validators, the file holding its bytes, and the
    portals that show it (empty for an index written before portals were noted)."""

    validators: Validators
    file: str
    portals: tuple[str, ...] = ()


def pictures_dir(network: Network) -> Path:
    return state_dir(network) / PICTURES_DIR


def load_index(network: Network) -> dict[str, Stored]:
    data = _read_json(pictures_dir(network) / INDEX_FILE) or {}
    entries = data.get("pictures", {})
    return {url: Stored(Validators(e.get("etag"), e.get("last_modified")), e["file"],
                        tuple(p for p in e.get("portals") or () if isinstance(p, str)))
            for url, e in entries.items() if isinstance(e, dict) and isinstance(e.get("file"), str)}


def stored_file(network: Network, url: str, index: dict[str, Stored] | None = None) -> Path | None:
    """The bytes kept for a picture's URL, or None when it was never fetched."""
    entry = (index if index is not None else load_index(network)).get(url)
    if entry is None:
        return None
    path = pictures_dir(network) / entry.file
    return path if path.is_file() else None


def _save_index(network: Network, index: dict[str, Stored]) -> None:
    _write_json(pictures_dir(network) / INDEX_FILE, {"format": FORMAT, "pictures": {
        url: {"etag": s.validators.etag, "last_modified": s.validators.last_modified,
              "file": s.file, "portals": list(s.portals)} for url, s in sorted(index.items())}})


# --- which pictures a run fetches ---------------------------------------------------------

@dataclass(frozen=True)
class Wanted:
    """One picture to fetch, with the item and unit that name it in messages."""

    url: str
    item: Item
    portals: frozenset[str] = frozenset()


def wanted_pictures(network: Network, results: Iterable[Aggregate]) -> list[Wanted]:
    """The pictures of the items each portal built here cross-posts (highlights and picks)."""
    found: dict[str, Wanted] = {}
    portals: dict[str, set[str]] = {}
    for result in results:
        if network.config_file(result.unit) is None:
            continue  # no site here (a Sở that only aggregates): nothing to show
        content = network.content_dir(result.unit)
        picks = read_picks(content / PICKS_FILE, f"content/{result.unit}/{PICKS_FILE}")
        for item in result.items:
            if item.unit == result.unit or item.unit not in network.units:
                continue
            decided = picks.wanted(item)
            if not (item.highlight if decided is None else decided):
                continue
            urls = [picture_url(item), *(body_images(item) if picks.full(item) else [])]
            for url in urls:
                if url and url not in found:
                    found[url] = Wanted(url, item)
                if url:
                    portals.setdefault(url, set()).add(result.unit)
    return [dataclasses.replace(w, portals=frozenset(portals[w.url])) for w in found.values()]


def aggregated_portals(network: Network, results: Iterable[Aggregate]) -> set[str]:
    """The portals with a site here whose cross-posts this run decided."""
    return {r.unit for r in results if network.config_file(r.unit) is not None}


# --- fetching -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    url: str
    stored: Stored | None          # None: failed
    problem: tuple[str, str] | None = None  # (message, hint)


def fetch_pictures(network: Network, results: Iterable[Aggregate], public: Path | None = None,
                   policy: FetchPolicy | None = None) -> list[Diagnostic]:
    """Fetch (or revalidate) the pictures of every cross-posted item; one message per failure.

    The picture of a school built here is read from its built site under ``public``
    (default ``<root>/public``), like its feed: its address may not be served yet."""
    results = list(results)
    wanted = wanted_pictures(network, results)
    index = load_index(network)
    outcomes: list[Outcome] = []
    if wanted:
        policy = _picture_policy(policy or FetchPolicy())
        folder = public or network.root / DEFAULT_OUT
        with make_client(policy) as client, ThreadPoolExecutor(policy.concurrency) as pool:
            outcomes = list(pool.map(lambda w: _local(network, w, folder) or _one(
                network, w, index, client, policy), wanted))
    updated = dict(index)
    for outcome in outcomes:
        if outcome.stored is not None:
            updated[outcome.url] = outcome.stored
    updated = _still_wanted(updated, wanted, aggregated_portals(network, results))
    if updated != index:
        _save_index(network, updated)
    _delete_unlisted(network, updated)
    return [_named(network, w, o, updated) for w, o in zip(wanted, outcomes, strict=True)
            if o.problem is not None]


def _still_wanted(index: dict[str, Stored], wanted: list[Wanted], aggregated: set[str]) -> dict[str, Stored]:
    """The pictures some portal still shows: wanted in this run, or wanted by a portal this
    run did not aggregate (an entry without portals belongs to those aggregated now)."""
    by_url = {w.url: w.portals for w in wanted}
    kept = {}
    for url, stored in index.items():
        portals = (set(stored.portals or aggregated) - aggregated) | by_url.get(url, set())
        if portals:
            kept[url] = dataclasses.replace(stored, portals=tuple(sorted(portals)))
    return kept


def _delete_unlisted(network: Network, index: dict[str, Stored]) -> None:
    """Files no entry names any more (never the index, nor a file being written)."""
    folder = pictures_dir(network)
    if not folder.is_dir():
        return
    listed = {stored.file for stored in index.values()}
    for path in folder.iterdir():
        if path.is_file() and path.name != INDEX_FILE and not path.name.startswith(".") \
                and path.name not in listed:
            path.unlink(missing_ok=True)


def _picture_policy(policy: FetchPolicy) -> FetchPolicy:
    return dataclasses.replace(policy, max_bytes=MAX_BYTES, retries=1,
                               total_timeout=min(policy.total_timeout, MAX_SECONDS))


def _one(network: Network, wanted: Wanted, index: dict[str, Stored], client: Any,
         policy: FetchPolicy) -> Outcome:
    known = index.get(wanted.url)
    has_copy = stored_file(network, wanted.url, index) is not None
    validators = known.validators if known is not None and has_copy else Validators()
    try:
        with deadline_in(policy.total_timeout):
            response = fetch(client, wanted.url, validators, policy)
    except FetchFailed as failed:
        return Outcome(wanted.url, None, (_as_picture(failed.message),
                                          "kiểm tra ảnh ở bài gốc và máy chủ của đơn vị"))
    except Exception as exc:  # noqa: BLE001 - one picture must not stop the others
        return Outcome(wanted.url, None, (f"lỗi không lường trước ({type(exc).__name__}: {exc})",
                                          "xin báo lỗi này cho nhóm phát triển"))
    if response.status == 304 and known is not None:
        return Outcome(wanted.url, known)
    refusal = _refusal(network, response.content_type, response.body, wanted.url)
    if refusal is not None:
        return Outcome(wanted.url, None, refusal)
    return Outcome(wanted.url, Stored(response.validators, _keep(network, response.body)))


def _local(network: Network, wanted: Wanted, public: Path) -> Outcome | None:
    """A picture of a school built here, read from its built site; None for any other."""
    unit = network.units[wanted.item.unit]
    base = site_url_of(network, unit)
    if unit.is_remote or not wanted.url.startswith(base):
        return None
    folder = (public / unit.id).resolve()
    path = (folder / unquote(wanted.url[len(base):].split("?", 1)[0].split("#", 1)[0])).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return Outcome(wanted.url, None, (
            f"không thấy tệp ảnh trong trang đã xây dựng của {unit.name}",
            f"xây dựng lại trang của đơn vị (trangtin build {unit.id})"))
    body = path.read_bytes()
    refusal = _refusal(network, "image/", body, wanted.url)
    if refusal is not None:
        return Outcome(wanted.url, None, refusal)
    return Outcome(wanted.url, Stored(Validators(), _keep(network, body)))


def _as_picture(message: str) -> str:
    """fetch() speaks of feeds; here the file is a picture."""
    return message.replace("nguồn tin", "tệp ảnh")


def _refusal(network: Network, content_type: str, body: bytes,
             url: str) -> tuple[str, str] | None:
    """Why fetched bytes are not a picture the pipeline can publish, or None."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if not kind.startswith("image/") or kind == "image/svg+xml":
        return (f"máy chủ trả về '{kind or 'không rõ kiểu'}', không phải ảnh",
                "bài gốc cần dẫn tới một tệp ảnh JPEG, PNG hoặc WebP")
    folder = pictures_dir(network)
    folder.mkdir(parents=True, exist_ok=True)
    trial = folder / f".check-{hashlib.sha256(url.encode()).hexdigest()[:16]}"
    try:
        trial.write_bytes(body)
        problem = pipeline.inspect(trial, url)
    finally:
        trial.unlink(missing_ok=True)
    if problem is not None:
        return problem.message, "bài gốc cần dẫn tới một tệp ảnh JPEG, PNG hoặc WebP đọc được"
    return None


def _keep(network: Network, body: bytes) -> str:
    """Store the bytes by their hash (atomically, once); returns the file's name."""
    name = hashlib.sha256(body).hexdigest()
    path = pictures_dir(network) / name
    if not path.is_file():
        temporary = path.with_name(f".{name}.tmp")
        temporary.write_bytes(body)
        temporary.replace(path)
    return name


def _named(network: Network, wanted: Wanted, outcome: Outcome,
           index: dict[str, Stored]) -> Diagnostic:
    unit = network.units[wanted.item.unit]
    kept = stored_file(network, wanted.url, index) is not None
    message, hint = outcome.problem or ("", "")
    note = ("; giữ ảnh lấy được lần trước" if kept
            else "; cổng hiển thị ô thay thế thay cho ảnh")
    return Diagnostic("network.yml", unit.line, Severity.WARNING,
                      f"ảnh của tin «{wanted.item.title}» từ {unit.name} ({wanted.url}): "
                      f"{message}{note}", hint, unit.id)
