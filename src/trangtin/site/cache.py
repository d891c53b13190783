"""Nothing done twice: rendered Markdown and whole pages are reused by content hash.

MkDocs renders every page on every build. This module keeps, per site, in
``<root>/.cache/trangtin/<unit>/`` (safe to delete at any time):

* ``markdown.pickle`` — each page's rendered Markdown (HTML, table of contents, title,
  anchors, and the warnings the rendering logged, replayed on reuse so strict mode still
  fails on a broken link). Key: the Markdown text after every plugin, the page's place,
  every file's URL (link targets), the Markdown configuration, the tool versions and
  :data:`VERSION`.
* ``pages.json`` — for each output page, the key it was rendered from and the hash of the
  bytes written. A page is reused (copied from the previous output instead of rendered by
  Jinja) only when its key is the same *and* the previous output file still has exactly
  those bytes. The page key covers the site-wide inputs (configuration, theme files,
  network file, tool and code versions, the day, navigation, every file's URL, the stat of
  every non-post file of the site, and every post's metadata and derived properties — what
  listings, related posts and the home page show of other posts) plus the page's own
  HTML, table of contents, metadata, title and URL.

No MkDocs import here: the plugin hands plain values in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
VERSION = 4  # bump when what is cached, or how keys are made, changes (4: Markdown kept by its links)
CACHE_DIR = ".cache/trangtin"
# A page's attribute: its links as written and as MkDocs made them (set by markdown_pages).
RELATIVE_LINKS = "trangtin_relative_links"
TOOLS = ("trangtin", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


def digest(*parts: object) -> str:
    """A short stable hash of strings, bytes and anything with a stable ``repr``."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@cache
def tools_digest() -> str:
    """Versions of the tools that shape the output, and the hash of trangtin's own code."""
    versions = []
    for name in TOOLS:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return digest(VERSION, *versions, tree_digest(Path(__file__).parents[1], contents=True))


def tree_digest(folder: Path, contents: bool, skip: Iterable[Path] = (),
                skip_suffix: str | None = None) -> str:
    """Hash of every file under ``folder``: its content, or its size and modification time."""
    h = hashlib.blake2b(digest_size=20)
    for relative, path, stat in sorted(_files(folder, {p.resolve() for p in skip})):
        if skip_suffix and relative.endswith(skip_suffix):
            continue
        if contents:
            h.update(digest(relative, Path(path).read_bytes()).encode())
        else:
            h.update(digest(relative, stat.st_size, stat.st_mtime_ns).encode())
    return h.hexdigest()


def _files(folder: Path, skipped: set[Path]) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path relative to ``folder`` in POSIX form, path, stat) of every file below it; hidden
    folders, ``__pycache__`` and the ``skipped`` folders are left out."""
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if skipped and Path(entry.path).resolve() in skipped:
                    continue
                pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.is_file():
                yield f"{prefix}{entry.name}", entry.path, entry.stat()


def plain(value: Any, _seen: tuple[int, ...] = ()) -> Any:
    """A JSON-able, address-free picture of a value, for hashing.

    Something without a stable picture (a ``repr`` with a memory address) becomes a value
    that never matches again: the cache then misses, it is never stale.
    """
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if id(value) in _seen:
        return "<cycle>"
    seen = (*_seen, id(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v, seen) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v, seen) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, Path | dt.date | dt.datetime | dt.tzinfo):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__qualname__,
                **{f.name: plain(getattr(value, f.name), seen) for f in dataclasses.fields(value)}}
    inner = getattr(value, "config", None)  # a plugin: its own settings
    if isinstance(inner, Mapping):
        return {"plugin": type(value).__qualname__, "config": plain(inner, seen)}
    text = repr(value)
    return f"<unstable {next(_UNSTABLE)} {os.getpid()}>" if " at 0x" in text else text


_UNSTABLE = itertools.count()


def object_digest(obj: Any, skip: Iterable[str] = ()) -> str:
    """Hash of a dataclass's fields (minus ``skip``) and of all its properties' values."""
    skip = set(skip)
    values = [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in skip]
    cls: type = type(obj)
    values += [(name, getattr(obj, name)) for name in _properties(cls) if name not in skip]
    text = repr(values)
    if " at 0x" in text:  # something without a stable repr: picture it field by field
        text = json.dumps(plain(dict(values)), sort_keys=True, ensure_ascii=False)
    return digest(text)


@cache
def _properties(cls: type) -> tuple[str, ...]:
    return tuple(name for name in dir(cls) if isinstance(getattr(cls, name, None), property))


@dataclass
class RenderedMarkdown:
    """What MkDocs' Markdown rendering of one page produced."""

    html: str
    toc: list[dict[str, Any]]
    title: str | None
    anchors: list[str]
    links_to_anchors: dict[str, dict[str, str]]  # target src_uri -> {anchor: link}
    log: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, message
    # What the HTML depends on among the site's files: each link as written and as MkDocs made
    # it relative (markdown_pages records them); or, for a page converted otherwise, the digest
    # of every file's place.
    relative_links: list[tuple[str, str]] | None = None
    files_digest: str | None = None


@dataclass
class CacheStats:
    site_reused: int = 0  # 1 when nothing changed and the last output was kept as it was
    markdown_reused: int = 0
    markdown_rendered: int = 0
    pages_reused: int = 0
    pages_rendered: int = 0


class LogCapture(logging.Handler):
    """Keeps what MkDocs logs while one page renders, to replay it when the page is reused."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    def start(self, logger: str = "mkdocs") -> None:
        self.records = []
        logging.getLogger(logger).addHandler(self)

    def stop(self, logger: str = "mkdocs") -> list[tuple[str, int, str]]:
        logging.getLogger(logger).removeHandler(self)
        return list(self.records)


def replay(records: list[tuple[str, int, str]]) -> None:
    """Log again what a page's rendering logged. Each record passed its logger's level when it
    was captured, so it is handed on as it was: a content warning that the plugin lowered to
    INFO (mkdocs_log) must reach that filter again to become a diagnostic again."""
    for name, level, message in records:
        logger = logging.getLogger(name)
        logger.handle(logger.makeRecord(name, level, "(cache)", 0, message, (), None))


class RenderCache:
    """The render cache of one site."""

    def __init__(self, folder: Path, previous_output: Path | None = None) -> None:
        self.folder = folder
        self.previous_output = previous_output
        self.stats = CacheStats()
        stored = _load_pickle(folder / "markdown.pickle")
        self._markdown_old = stored.get("markdown", {})
        self._markdown_new: dict[str, RenderedMarkdown] = {}
        self._memo_old: dict[str, Any] = stored.get("memo", {})
        self._memo_new: dict[str, Any] = {}
        self._pages_old: dict[str, list[str]] = _load_json(folder / "pages.json")
        self._pages_new: dict[str, list[str]] = {}
        self._page_keys: dict[str, str] = {}
        self._markdown_ahead: dict[str, RenderedMarkdown] = {}  # converted by workers (parallel.py)
        self._inherited: tuple[set[str], set[str]] = (set(), set())

    # --- rendered Markdown ----------------------------------------------------------------

    def markdown(self, key: str, holds: Callable[[RenderedMarkdown], bool] = lambda _: True
                 ) -> RenderedMarkdown | None:
        """The conversion kept under ``key`` if it ``holds`` for this build, or one converted
        in this build by a worker."""
        found = self._markdown_old.get(key)
        if isinstance(found, RenderedMarkdown) and holds(found):
            self._markdown_new[key] = found
            self.stats.markdown_reused += 1
            return found
        ahead = self._markdown_ahead.pop(key, None)
        if ahead is not None:  # converted in this build, by a worker
            self.keep_markdown(key, ahead)
        return ahead

    def keep_markdown(self, key: str, rendered: RenderedMarkdown) -> None:
        self._markdown_new[key] = rendered
        self.stats.markdown_rendered += 1

    def memo(self, function: Callable[..., T], *args: str) -> T:
        """``function(*args)`` for a pure function of strings, computed once per input."""
        key = digest(tools_digest(), function.__module__, function.__qualname__, *args)
        if key in self._memo_new:  # this build's (or, in serve, the last build's) result
            found: T = self._memo_new[key]
        elif key in self._memo_old:
            found = self._memo_old[key]
        else:
            found = function(*args)
        self._memo_new[key] = found
        return found

    # --- work done by forked workers (parallel.py) ------------------------------------------

    def made_since_fork(self) -> tuple[dict[str, RenderedMarkdown], dict[str, Any]]:
        """In a worker: the conversions and results it computed (not those it inherited)."""
        inherited = self._inherited
        return ({k: v for k, v in self._markdown_new.items()
                 if k not in inherited[0] and k not in self._markdown_old},
                {k: v for k, v in self._memo_new.items() if k not in inherited[1] and k not in self._memo_old})

    def before_fork(self) -> None:
        self._inherited = (set(self._markdown_new), set(self._memo_new))

    def take_ahead(self, markdown: dict[str, RenderedMarkdown], memo: dict[str, Any]) -> None:
        """In the parent: a worker's conversions, found by ``markdown`` as this build's own."""
        self._markdown_ahead.update(markdown)
        self._memo_old.update(memo)

    def page_digest(self, dest_uri: str) -> str | None:
        entry = self._pages_new.get(dest_uri)
        return entry[1] if entry else None

    # --- whole output pages ---------------------------------------------------------------

    def reusable_page(self, dest_uri: str, key: str) -> bool:
        """True when ``dest_uri`` was written from ``key`` and the previous file is intact."""
        self._page_keys[dest_uri] = key
        entry = self._pages_old.get(dest_uri)
        if self.previous_output is None or not entry or entry[0] != key:
            return False
        try:
            data = (self.previous_output / dest_uri).read_bytes()
        except OSError:
            return False
        return digest(data) == entry[1]

    def previous_page(self, dest_uri: str) -> str:
        assert self.previous_output is not None
        return (self.previous_output / dest_uri).read_bytes().decode("utf-8")

    def page_written(self, dest_uri: str, data: bytes, reused: bool) -> None:
        self.page_recorded(dest_uri, digest(data), reused)

    def page_recorded(self, dest_uri: str, data_digest: str | None, reused: bool) -> None:
        """A page written (here or by a worker, parallel.py) whose data has ``data_digest``."""
        key = self._page_keys.get(dest_uri)
        if key is not None and data_digest is not None:
            self._pages_new[dest_uri] = [key, data_digest]
        if reused:
            self.stats.pages_reused += 1
        else:
            self.stats.pages_rendered += 1

    # --- storage --------------------------------------------------------------------------

    def save(self) -> None:
        """Write what this build used (entries no longer used are dropped)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _dump_atomic(self.folder / "markdown.pickle", {"markdown": self._markdown_new, "memo": self._memo_new})
        _write_atomic(self.folder / "pages.json", json.dumps(self._pages_new).encode())
        _write_atomic(self.folder / "last-build.json",
                      json.dumps(dataclasses.asdict(self.stats), indent=1).encode())


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _load_pickle(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _load_json(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _dump_atomic(path: Path, value: Any) -> None:
    """``value`` pickled into ``path`` as it is written (tens of MB for a large school: never
    held whole in memory)."""
    with _replacing(path) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _write_atomic(path: Path, data: bytes) -> None:
    with _replacing(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file written beside ``path`` that takes its place once complete."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        yield handle
    temporary.replace(path)


REUSED_TEMPLATE = "trangtin/_reused.html"
REUSED_VARIABLE = "tt_reused_output"


class PageCache:
    """The plugin's side of the render cache: called from a handful of MkDocs hooks.

    ``before_render`` (end of ``on_page_markdown``): the Markdown key; a page whose rendering
    is cached is handed an empty text so MkDocs' conversion costs nothing, and
    ``after_render`` (start of ``on_page_content``) puts the cached HTML, table of contents,
    title and anchors back and replays the warnings. ``plan`` (``on_env``, when every page
    is rendered) decides which output pages can be reused; those get a template that
    prints the previous output, handed in by ``context``; ``written`` (``on_post_page``)
    records what was written; ``save`` (``on_post_build``) stores it all.
    """

    def __init__(self, root: Path, unit_id: str, previous_output: Path | None,
                 make_toc: Any, links_hold: Callable[[Any, Any, Any, list[tuple[str, str]]], bool]) -> None:
        """``links_hold(page, files, config, links)``: whether each (link as written, as MkDocs
        made it) is still made the same for ``page`` (markdown_pages.relative_links_hold)."""
        self.root = root
        self.links_hold = links_hold
        self._config_key: str | None = None
        self.store = RenderCache(root / CACHE_DIR / unit_id, previous_output)
        self.make_toc = make_toc
        self._capture = LogCapture()
        self._keys: dict[str, str] = {}
        self._reused_markdown: dict[str, RenderedMarkdown] = {}
        self._reused_pages: set[str] = set()
        self._files_digest: str | None = None

    @property
    def stats(self) -> CacheStats:
        return self.store.stats

    def memo(self, function: Callable[..., T], *args: str) -> T:
        """A pure function of strings (text of a page for the search index, cleaned HTML for
        the feeds) computed once per input across builds."""
        return self.store.memo(function, *args)

    def before_render(self, markdown: str, page: Any, config: Mapping[str, Any],
                      files: Iterable[Any]) -> str:
        """A page's converted Markdown is kept by its text, its place and the configuration;
        it is reused while every link in it leads where it led (a post added elsewhere does
        not convert every page again)."""
        if self._config_key is None:
            self._config_key = digest(tools_digest(), config_digest(config, self.root))
        key = digest(self._config_key, page.file.src_uri, page.file.url, markdown)
        self._keys[page.file.src_uri] = key
        found = self.store.markdown(key, lambda kept: self._links_hold(kept, page, files, config))
        if found is not None:
            self._reused_markdown[page.file.src_uri] = found
            return ""
        self._reused_markdown.pop(page.file.src_uri, None)  # serve renders a page again
        page.__dict__.pop(RELATIVE_LINKS, None)
        self._capture.start()
        return markdown

    def _links_hold(self, kept: RenderedMarkdown, page: Any, files: Iterable[Any],
                    config: Mapping[str, Any]) -> bool:
        if kept.relative_links is not None:
            return self.links_hold(page, files, config, kept.relative_links)
        return kept.files_digest == self._files(files)

    def _files(self, files: Iterable[Any]) -> str:
        if self._files_digest is None:
            self._files_digest = digest(*sorted(f"{f.src_uri}\0{f.url}" for f in files))
        return self._files_digest

    def after_render(self, html: str, page: Any, files: Any) -> str:
        src_uri = page.file.src_uri
        found = self._reused_markdown.get(src_uri)
        if found is None:
            logged = self._capture.stop()
            key = self._keys.get(src_uri)
            if key is not None:
                rendered = _rendered(html, page, logged)
                if rendered.relative_links is None:
                    rendered.files_digest = self._files(files)
                self.store.keep_markdown(key, rendered)
            return html
        page.toc = self.make_toc(found.toc)
        if hasattr(page, "_title_from_render"):
            page._title_from_render = found.title
        page.present_anchor_ids = set(found.anchors)
        page.links_to_anchors = {files.get_file_from_path(uri): links
                                 for uri, links in found.links_to_anchors.items()
                                 if files.get_file_from_path(uri) is not None}
        replay(found.log)
        return found.html

    def plan(self, env: Any, config: Mapping[str, Any], files: Iterable[Any],
             site_inputs: Iterable[str]) -> None:
        """Choose the pages whose previous output is still right; must run after rendering."""
        import jinja2

        # Compiled templates are kept too (keyed by each template's source checksum).
        # Compiled with autoescape for our templates: a folder of its own, so that templates
        # compiled before autoescape (same source, same key) are never loaded.
        compiled = _mkdir(self.store.folder.parent / "jinja-autoescape")
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled))
        env.loader = jinja2.ChoiceLoader([
            jinja2.DictLoader({REUSED_TEMPLATE: f"{{{{ {REUSED_VARIABLE} }}}}"}), env.loader])
        if self.store.previous_output is None:
            return
        files = list(files)
        pages = [f.page for f in files if getattr(f, "page", None) is not None]
        site_key = digest(
            tools_digest(), config_digest(config, self.root), theme_digest(config),
            *sorted(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion}" for f in files),
            *sorted(f"{p.file.src_uri}\0{p.title}" for p in pages), *site_inputs)
        for page in pages:
            key = digest(site_key, page.file.src_uri, page.url, page.content,
                         json.dumps(toc_tokens(page.toc), ensure_ascii=False),
                         json.dumps(plain(page.meta), sort_keys=True, ensure_ascii=False))
            if self.store.reusable_page(page.file.dest_uri, key):
                page.meta["template"] = REUSED_TEMPLATE
                self._reused_pages.add(page.file.dest_uri)

    def context(self, context: Any, page: Any) -> None:
        if page.file.dest_uri in self._reused_pages:
            context[REUSED_VARIABLE] = self.store.previous_page(page.file.dest_uri)

    def written(self, output: str, page: Any) -> str:
        data = output.encode("utf-8", errors="xmlcharrefreplace")
        self.store.page_written(page.file.dest_uri, data,
                                reused=page.file.dest_uri in self._reused_pages)
        return output

    def written_elsewhere(self, page: Any, data_digest: str | None) -> None:
        """A page a worker wrote (parallel.py), recorded as ``written`` records it."""
        dest_uri = page.file.dest_uri
        self.store.page_recorded(dest_uri, data_digest, dest_uri in self._reused_pages)

    def save(self) -> None:
        self.store.save()


def config_digest(config: Mapping[str, Any], root: Path) -> str:
    """Every setting of the site except where it is written (a staging folder); paths count
    relative to the network's folder, so a moved or copied network keeps its cache."""
    settings = {k: v for k, v in config.items() if k not in {"site_dir"}}
    text = json.dumps(plain(settings), sort_keys=True, ensure_ascii=False, default=str)
    return digest(text.replace(str(root.resolve()), "<root>").replace(str(root), "<root>"))


def theme_digest(config: Mapping[str, Any]) -> str:
    """The theme's own files (custom_dir); installed themes count by their version."""
    theme = config.get("theme")
    dirs = [Path(d) for d in getattr(theme, "dirs", [])]
    return digest(*(tree_digest(d, contents=True) for d in dirs if not _installed(d)))


def _installed(folder: Path) -> bool:
    return any(part in {"site-packages", "dist-packages"} for part in folder.resolve().parts)


def site_inputs(network_file: Path, docs_dir: Path, posts_dir: str, posts: Iterable[Any],
                day: dt.date, template_globals: Mapping[str, Any]) -> list[str]:
    """What a page may show besides its own text: the network, other files, other posts,
    and the data the plugin hands the templates (``tt_*`` globals that are not functions)."""
    skip = docs_dir / posts_dir
    others = tree_digest(docs_dir, contents=False, skip=[skip])
    post_files = tree_digest(skip, contents=False, skip_suffix=".md")
    data = {k: v for k, v in template_globals.items()
            if k.startswith("tt_") and not callable(v)}
    return [digest(network_file.read_bytes()), others, post_files, day.isoformat(),
            digest(json.dumps(plain(data), sort_keys=True, ensure_ascii=False)),
            *(object_digest(p, skip={"body", "source_path"}) for p in posts)]


def toc_tokens(toc: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": toc_tokens(a.children)}
            for a in toc]


def _rendered(html: str, page: Any, logged: list[tuple[str, int, str]]) -> RenderedMarkdown:
    links = getattr(page, "links_to_anchors", None) or {}
    return RenderedMarkdown(
        html=html, toc=toc_tokens(page.toc), title=getattr(page, "_title_from_render", None),
        anchors=sorted(getattr(page, "present_anchor_ids", None) or ()),
        links_to_anchors={f.src_uri: dict(v) for f, v in links.items()}, log=logged,
        relative_links=page.__dict__.get(RELATIVE_LINKS))


# --- whole sites ---------------------------------------------------------------------------
#
# A site whose inputs did not change at all is not built again: its last good output stays.
# The inputs are every file a build of a school reads: the network file, the sites' and the
# shared theme's files, every unit's content (a school shows its ancestors' notices) and the
# aggregation state — small files by content, large ones (photos, documents) by size and
# modification time — plus the tool and code versions, strictness and the unit. The record
# is only valid until the next local midnight or the first scheduled post's time, whichever
# comes first, and only while the output folder is exactly as the build left it. Portals
# (which read other sites' output and remote feeds) are always built.

SITE_INPUTS = ("network.yml", "mkdocs.yml", "sites", "shared_theme", "content", ".trangtin")
SITE_RECORD = "site.pickle"
_SMALL = 256 * 1024


@dataclass
class SiteRecord:
    fingerprint: str
    output: str  # size and modification time of every output file, as the build left them
    valid_until: float  # POSIX time
    pages: int
    diagnostics: list[Any]


def site_fingerprint(root: Path, unit_id: str, strict: bool) -> str:
    h = hashlib.blake2b(digest_size=20)
    uses_environment = False
    for name in SITE_INPUTS:
        path = root / name
        one = [("", str(path), path.stat())] if path.is_file() else None
        files = one if one is not None else sorted(_files(path, set()))
        for relative, file, stat in files:
            where = f"{name}/{relative}"
            if stat.st_size <= _SMALL:
                data = Path(file).read_bytes()
                h.update(digest(where, data).encode())
                uses_environment = uses_environment or (where.endswith(".yml") and b"!ENV" in data)
            else:
                h.update(digest(where, stat.st_size, stat.st_mtime_ns).encode())
    if uses_environment:  # a setting read from the environment (MkDocs' !ENV): all of it counts
        h.update(digest(*sorted(f"{k}={v}" for k, v in os.environ.items())).encode())
    return digest(tools_digest(), unit_id, strict, h.hexdigest())


def reusable_site(root: Path, unit_id: str, output: Path, fingerprint: str) -> SiteRecord | None:
    """The record of the last build when nothing it depends on has changed since."""
    path = root / CACHE_DIR / unit_id / SITE_RECORD
    record = _load_pickle(path).get("record")
    if not isinstance(record, SiteRecord) or record.fingerprint != fingerprint:
        return None
    if dt.datetime.now(dt.UTC).timestamp() >= record.valid_until or not output.is_dir():
        return None
    return record if tree_digest(output, contents=False) == record.output else None


def remember_site(root: Path, unit_id: str, output: Path, record: SiteRecord) -> None:
    record.output = tree_digest(output, contents=False)
    folder = _mkdir(root / CACHE_DIR / unit_id)
    _write_atomic(folder / SITE_RECORD, pickle.dumps({"record": record}))


def valid_until(now: dt.datetime, scheduled: Iterable[dt.datetime]) -> float:
    """The next local midnight, or the first scheduled post's time if that comes first."""
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    later = [moment for moment in scheduled if moment > now]
    return min([midnight, *later]).timestamp()


def note_site_reused(root: Path, unit_id: str) -> None:
    folder = _mkdir(root / CACHE_DIR / unit_id)
    _write_atomic(folder / "last-build.json",
                  json.dumps(dataclasses.asdict(CacheStats(site_reused=1)), indent=1).encode())
