"""Links and images in Markdown: read from the same parse the build makes, checked to stay inside the unit.

A teacher's ``![Ảnh](anh.jpg)`` must name a file that exists beside the post; a link such as
``../../../../etc/passwd`` must never reach outside the content folder of the unit; a photo
written as a path of the teacher's own computer (``C:\\Users\\…``, ``file:///…``) can never be
published. ``trangtin check`` and the build read links with :class:`LinkReader`: Python-Markdown
with the extensions of the site's ``mkdocs.yml``, so ``<anh chup.jpg>``, ``anh%20chup.jpg``,
reference-style links, link titles and ``<img src>`` in raw HTML are all seen as MkDocs sees them.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import markdown
import markdown.treeprocessors
import yaml
from markdown.util import AtomicString

from trangtin.common import text
from trangtin.common.diagnostics import Diagnostic, error, warning
from trangtin.content.sources import read_source
from trangtin.network.suggest import did_you_mean

_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# A path on the author's own computer: file:, a drive letter, a Windows share (``\\server``,
# one backslash once Markdown has read ``\\``), or a path written with backslashes.
_LOCAL_PATH = re.compile(r"^(?:file:|[a-z]:[\\/]|\\)", re.IGNORECASE)
# Attributes of raw HTML that make the browser fetch or open a file of the site.
_HTML_TARGETS = {"a": ("href",), "img": ("src",), "source": ("src",), "video": ("src", "poster"),
                 "audio": ("src",), "track": ("src",), "embed": ("src",)}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LINK_CACHE = ".cache/trangtin/links"  # beside the build caches of site/cache.py
# MkDocs' built-in extensions, always loaded before those of the configuration.
_MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
CASE_HINT = "(tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)"
LOCAL_IMAGE_HINT = "chép ảnh vào cùng thư mục với bài viết rồi chỉ viết tên tệp, ví dụ ![Ảnh](anh-khai-giang.jpg)"
LOCAL_FILE_HINT = "chép tệp vào cùng thư mục với bài viết rồi chỉ viết tên tệp, ví dụ [Tải về](ke-hoach.pdf)"


@dataclass(frozen=True)
class Reference:
    """A link or image target as the rendered page will hold it, on the line that wrote it."""

    line: int
    target: str
    is_image: bool

    @property
    def is_local(self) -> bool:
        """Written as a file of the author's computer: never published (an error)."""
        return bool(_LOCAL_PATH.match(self.target)) or _is_machine_path(self.target)

    @property
    def is_relative(self) -> bool:
        """A file of the site (not another site, not an anchor of this page)."""
        return (not self.is_local and not _EXTERNAL.match(self.target) and text.link_scheme(self.target) is None
                and not self.target.startswith("#"))


@dataclass(frozen=True)
class ParsedBody:
    """What a page's Markdown links to, and the anchors (``id``) it offers to links (None: not
    read, as none of its links names an anchor; ``LinkReader.read(..., anchors=True)`` reads them)."""

    references: tuple[Reference, ...]
    anchors: frozenset[str] | None


@dataclass(eq=False)
class MarkdownSetup:
    """The Markdown extensions of a site, as MkDocs loads them (its built-ins first)."""

    extensions: list[str] = field(default_factory=lambda: list(_MKDOCS_BUILTINS))
    configs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, extensions: object, configs: Mapping[str, Any] | None = None) -> MarkdownSetup:
        """From ``markdown_extensions`` as written in a configuration (list of names or of
        ``{name: options}``, or a mapping) or as MkDocs hands them to plugins."""
        names = list(_MKDOCS_BUILTINS)
        options: dict[str, Any] = dict(configs or {})
        items: list[Any] = (list(extensions.items()) if isinstance(extensions, Mapping)
                            else list(extensions) if isinstance(extensions, list | tuple) else [])
        for item in items:
            pairs = [item] if isinstance(item, tuple) else (
                list(item.items()) if isinstance(item, Mapping) else [(item, None)])
            for name, value in pairs:
                if str(name) not in names:
                    names.append(str(name))
                if isinstance(value, Mapping) and value:  # MkDocs keeps no entry for '{}' either
                    options[str(name)] = dict(value)
        return cls(names, options)

    @classmethod
    def for_config_file(cls, path: Path | None) -> MarkdownSetup:
        """The setup of the site built from ``path`` (its ``INHERIT`` chain followed)."""
        if path is None or not path.is_file():
            return cls()
        settings = _load_settings(path)
        return cls.from_settings(settings.get("markdown_extensions"))

    def fingerprint(self) -> str:
        return repr((self.extensions, sorted((k, repr(v)) for k, v in self.configs.items())))

    def markdown(self, anchors: bool = True) -> markdown.Markdown:
        """One Markdown instance per setup, reset before every page (creating one is costly),
        made for reading links: see :class:`_TextWithoutLinks`. Without ``anchors``, headings get
        no ``id`` (the table of contents, a quarter of a reading, is left out)."""
        name = "_markdown" if anchors else "_markdown_without_anchors"
        made = self.__dict__.get(name)
        if made is None:
            extensions, configs = self._without_colours()
            made = self.__dict__[name] = markdown.Markdown(extensions=extensions, extension_configs=configs)
            made.treeprocessors.register(_TextWithoutLinks(made), "trangtin-no-links", 20.5)
            # whitespace, <abbr>: never a link or an id; without anchors, the headings' ids
            for not_needed in ("prettify", "abbr", *(() if anchors else ("toc",))):
                if not_needed in made.treeprocessors:
                    made.treeprocessors.deregister(not_needed)
        return made

    def _without_colours(self) -> tuple[list[str], dict[str, Any]]:
        """The setup, code blocks left uncoloured: Pygments makes a formatter for every fenced
        block (half a millisecond each) and a block holds no link and, unless its lines are
        anchored, no id."""
        if "pymdownx.superfences" not in self.extensions:
            return self.extensions, self.configs
        highlight = dict(self.configs.get("pymdownx.highlight") or {})
        if highlight.get("anchor_linenums") or highlight.get("line_anchors"):
            return self.extensions, self.configs
        extensions = self.extensions if "pymdownx.highlight" in self.extensions else [*self.extensions,
                                                                                        "pymdownx.highlight"]
        return extensions, {**self.configs, "pymdownx.highlight": {**highlight, "use_pygments": False}}


class _TextWithoutLinks(markdown.treeprocessors.Treeprocessor):
    """Marks text that cannot hold a link, an image or raw HTML (no '[' and no '<') as done, so
    the inline patterns (most of a parse's time) run only where a link may be. Headings stay:
    their rendered text gives the anchors."""

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            text_of = element.text
            if (text_of and "[" not in text_of and "<" not in text_of
                    and element.tag not in _HEADINGS and not isinstance(text_of, AtomicString)):
                element.text = AtomicString(text_of)


class LinkMemo:
    """Bodies already read, kept on disk per unit (``.cache/trangtin/links/<unit>.pickle``, safe to
    delete): a build, ``check``, the aggregation and the report each read every post, and a
    parse costs about as much as MkDocs' own rendering. Only the entries used are written back."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._old = _load_memo(path) if path is not None else {}
        self._used: dict[str, ParsedBody] = {}
        self._inherited: set[str] = set()  # what a forked worker started with (before_fork)

    def get(self, key: str) -> ParsedBody | None:
        found = self._used.get(key) or self._old.get(key)
        if isinstance(found, ParsedBody):
            self._used[key] = found
            return found
        return None

    def put(self, key: str, parsed: ParsedBody) -> None:
        self._used[key] = parsed

    def before_fork(self) -> None:
        """Marks what a forked worker inherits: ``made_since_fork`` brings back only its own."""
        self._inherited = set(self._used)

    def made_since_fork(self) -> dict[str, ParsedBody]:
        return {k: v for k, v in self._used.items() if k not in self._inherited and k not in self._old}

    def take(self, parsed: dict[str, ParsedBody]) -> None:
        """Bodies a worker read for this run: used, so saved."""
        self._used.update(parsed)

    def save(self) -> None:
        if self.path is None or self._used.keys() == self._old.keys():
            return
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(self.path)
        except OSError:
            return  # a read-only checkout (check in CI): the cache is only a saving
        self._old = dict(self._used)


def _load_memo(path: Path) -> dict[str, ParsedBody]:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)  # noqa: S301 - our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


@functools.cache
def _code_key() -> str:
    """What a parse depends on besides the body and the setup: this module and Markdown's versions."""
    versions = []
    for name in ("markdown", "pymdown-extensions"):
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return hashlib.blake2b(Path(__file__).read_bytes() + repr(versions).encode(), digest_size=16).hexdigest()


class LinkReader:
    """Reads the links of Markdown bodies with one setup; ``memo`` keeps them across runs."""

    def __init__(self, setup: MarkdownSetup | None = None, memo: LinkMemo | None = None) -> None:
        self.setup = setup or MarkdownSetup()
        self.memo = memo or LinkMemo()
        self._key = _code_key() + self.setup.fingerprint()
        self._anchors: dict[Path, frozenset[str]] = {}
        # A build's reading of its posts can convert each body as its page will be (the site
        # package sets this): the links are then read from that conversion, not from a second parse.
        self.converting: Callable[[str], ParsedBody | None] | None = None

    def read(self, body: str, first_line: int = 1, anchors: bool = False) -> ParsedBody:
        """The links of ``body`` (lines from ``first_line``), and its anchors when asked for or
        when one of its links names an anchor (most bodies: links only, a quarter faster)."""
        parsed = self._parsed(body, anchors)
        if first_line == 1:
            return parsed
        moved = tuple(Reference(r.line + first_line - 1, r.target, r.is_image) for r in parsed.references)
        return ParsedBody(moved, parsed.anchors)

    def _parsed(self, body: str, anchors: bool) -> ParsedBody:
        whole = self._memo_key("anchors", body)
        if (found := self.memo.get(whole)) is not None:
            return found
        if self.converting is not None and (found := self.converting(body)) is not None:
            self.memo.put(whole, found)
            return found
        if not anchors:
            links_only = self._memo_key("links", body)
            if (found := self.memo.get(links_only)) is not None:
                return found
            found = ParsedBody(parse_body(self.setup.markdown(anchors=False), body).references, None)
            if not any("#" in reference.target for reference in found.references):
                self.memo.put(links_only, found)
                return found
        found = parse_body(self.setup.markdown(), body)
        self.memo.put(whole, found)
        return found

    def _memo_key(self, kind: str, body: str) -> str:
        return hashlib.blake2b(f"{self._key}\0{kind}\0{body}".encode("utf-8", "surrogatepass"),
                               digest_size=20).hexdigest()

    def save(self) -> None:
        self.memo.save()

    def anchors_of(self, page: Path) -> frozenset[str]:
        """The anchors of another Markdown page (read once per reader)."""
        if page not in self._anchors:
            source = read_source(page, page.name)
            read = self.read(source.body, anchors=True).anchors if source.readable else None
            self._anchors[page] = read or frozenset()
        return self._anchors[page]

    def judge(self, reference: Reference, parsed: ParsedBody, base: Path,
              root: Path) -> tuple[Path | None, Diagnostic | None]:
        """Where a reference of a page leads, or its problem (no path or line yet): the file
        exists inside ``root`` and the part after '#' names a heading or id of its page."""
        if reference.target.startswith("#"):
            return None, anchor_problem(reference.target, parsed.anchors or frozenset(), "trang này")
        resolved, problem = resolve_reference(reference.target, base, root, reference.is_image)
        if problem is None and resolved is not None and resolved.suffix.lower() == ".md" and "#" in reference.target:
            problem = anchor_problem(reference.target, self.anchors_of(resolved), f"trang '{resolved.name}'")
        return resolved, problem


def anchor_problem(target: str, anchors: frozenset[str], page: str) -> Diagnostic | None:
    """A link's '#…' that names no heading or id of its page (the reader lands on its top)."""
    anchor = unquote(target.partition("#")[2])
    if not anchor or anchor in anchors:
        return None
    guess = did_you_mean(anchor, sorted(anchors))
    hint = (f"có phải ý bạn là '#{guess}'?" if guess
            else "viết đúng tên mục (tiêu đề viết thường, thay khoảng trắng bằng '-') hoặc bỏ phần '#…'")
    return warning("", None, f"liên kết '{target}' trỏ tới mục không có trong {page}", hint)


def parse_body(md: markdown.Markdown, body: str) -> ParsedBody:
    """Every link and image target of ``body`` (lines from 1) and its anchors, as the build renders them."""
    md.reset()
    lines = body.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    for treeprocessor in md.treeprocessors:
        replaced = treeprocessor.run(root)
        if replaced is not None:
            root = replaced
    return TreeReading(root).parsed(md, body)


class TreeReading:
    """The targets and ids of a parsed body's tree (taken when the tree is complete), then of
    the raw HTML the Markdown stashed: what a page made from that tree links to."""

    def __init__(self, root: ElementTree.Element) -> None:
        self.found: list[tuple[str, bool]] = []
        self.anchors: set[str] = set()
        _collect_tree(root, self.found, self.anchors)

    def parsed(self, md: markdown.Markdown, body: str) -> ParsedBody:
        for block in md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str):
                _RawHtml(self.found, self.anchors).feed_all(block)
            else:
                _collect_tree(block, self.found, self.anchors)
        return ParsedBody(_locate(self.found, body), frozenset(self.anchors))


def _collect_tree(root: ElementTree.Element, found: list[tuple[str, bool]], anchors: set[str]) -> None:
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        _note(tag, element.attrib, found, anchors)


def _note(tag: str, attributes: Mapping[str, str | None], found: list[tuple[str, bool]],
          anchors: set[str]) -> None:
    if anchor := attributes.get("id"):
        anchors.add(anchor)
    if tag == "a" and (name := attributes.get("name")):
        anchors.add(name)
    for attribute in _HTML_TARGETS.get(tag, ()):
        if target := (attributes.get(attribute) or "").strip():
            found.append((target, tag != "a"))


class _RawHtml(HTMLParser):
    """Targets and ids in raw HTML the Markdown passes through as written."""

    def __init__(self, found: list[tuple[str, bool]], anchors: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.found, self.anchors = found, anchors

    def feed_all(self, html: str) -> None:
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _note(tag, dict(attrs), self.found, self.anchors)


def _locate(found: list[tuple[str, bool]], body: str) -> tuple[Reference, ...]:
    """The line of each target: the n-th line writing it for its n-th use (Markdown keeps no lines)."""
    lines = body.split("\n")
    seen: dict[str, int] = {}
    located = []
    for target, is_image in found:
        nth = seen[target] = seen.get(target, 0) + 1
        located.append(Reference(_line_of(target, nth, lines) or 1, target, is_image))
    return tuple(located)


def line_of_target(text_with_lines: str, target: str) -> int | None:
    """The first line of a file's text that writes ``target`` (as written or encoded), if any."""
    return _line_of(target, 1, text_with_lines.split("\n"))


def _line_of(target: str, nth: int, lines: list[str]) -> int | None:
    spellings = {target, unquote(target), quote(target, safe="/#?&=:%+"), escape(target),
                 target.replace("\\", "\\\\")}
    hits = [number for number, line in enumerate(lines, 1)
            if any(s in line and _written_whole(s, line) for s in spellings)]
    return hits[min(nth, len(hits)) - 1] if hits else None


def _written_whole(target: str, line: str) -> bool:
    """``target`` on ``line`` as a whole target: 'ke-hoach.pdf' is not on the line of
    'van-ban/ke-hoach.pdf' (what ``(?<![\\w./%-])target(?![\\w./%-])`` finds, without
    compiling a pattern for every target)."""
    start = line.find(target)
    while start >= 0:
        end = start + len(target)
        if (start == 0 or not _continues(line[start - 1])) and (end == len(line) or not _continues(line[end])):
            return True
        start = line.find(target, start + 1)
    return False


def _continues(character: str) -> bool:
    return character.isalnum() or character in "_./%-"


def _is_machine_path(target: str) -> bool:
    """``/home/…``, ``/Users/…``: an absolute path of a computer, not of the site."""
    return bool(re.match(r"^/(?:home|Users|tmp|mnt|media|var|root|private|Volumes|opt|srv)/", target))


def _load_settings(path: Path, depth: int = 0) -> dict[str, Any]:
    """A MkDocs configuration with its ``INHERIT`` parents merged in, as MkDocs merges them."""
    with path.open(encoding="utf-8") as handle:
        settings = yaml.load(handle, Loader=_SettingsLoader) or {}  # noqa: S506 - a safe loader subclass
    if not isinstance(settings, dict):
        return {}
    parent = settings.pop("INHERIT", None)
    if isinstance(parent, str) and depth < 10:
        return _merged(_load_settings((path.parent / parent).resolve(), depth + 1), settings)
    return settings


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


class _SettingsLoader(yaml.SafeLoader):
    """Reads MkDocs' tags (``!ENV``, ``!relative``, ``!!python/name:``) as plain values."""


def _plain(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_SettingsLoader.add_multi_constructor("!", _plain)
_SettingsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain)


# --- judging a target ------------------------------------------------------------------------

def resolve_reference(target: str, base: Path, root: Path,
                      is_image: bool) -> tuple[Path | None, Diagnostic | None]:
    """A relative link checked to exist inside ``root``; the problem has no path or line yet."""
    what = "ảnh" if is_image else "liên kết"
    reference = Reference(0, target, is_image)
    if reference.is_local:
        return None, _on_own_computer(target, is_image)
    if not reference.is_relative:
        return None, None
    path_part = text.nfc(unquote(target.split("#", 1)[0].split("?", 1)[0]))
    if not path_part:
        return None, None
    start = root if path_part.startswith("/") else base
    resolved = Path(os.path.normpath(start / path_part.lstrip("/")))
    if not _inside(resolved, root):
        return None, error("", None, f"{what} '{target}' trỏ ra ngoài thư mục nội dung",
                           "chỉ dùng tệp nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)")
    actual = resolved if resolved.exists() else _find_nfc(resolved)
    if actual is None:
        return None, _missing(target, path_part, resolved, root, is_image)
    if actual.is_dir():
        return None, _folder(target, actual)
    return actual, None


def _folder(target: str, folder: Path) -> Diagnostic:
    """A link to a folder: MkDocs leaves it as written, and it leads nowhere once built."""
    page = target.split("#", 1)[0].rstrip("/") + "/index.md"
    hint = (f"có phải ý bạn là '{page}'?" if (folder / "index.md").is_file()
            else "viết liên kết tới tệp .md của trang, ví dụ '../gioi-thieu/index.md'")
    return warning("", None, f"liên kết '{target}' trỏ tới một thư mục, không tới một trang hay tệp",
                   hint + " (liên kết được giữ nguyên, người đọc bấm vào sẽ gặp trang lỗi)")


def _missing(target: str, path_part: str, resolved: Path, root: Path, is_image: bool) -> Diagnostic:
    if path_part.startswith("/") and path_part.count("/") > 1 and not (root / path_part.split("/")[1]).exists():
        return _on_own_computer(target, is_image)
    message = f"không tìm thấy ảnh '{target}'" if is_image else f"không tìm thấy tệp của liên kết '{target}'"
    guess, same_but_case = _nearest_name(resolved, is_image)
    if guess is None:
        return error("", None, message, "kiểm tra vị trí tệp và viết đúng tên tệp " + CASE_HINT)
    written = path_part.rsplit("/", 1)[0] + "/" + guess if "/" in path_part else guess
    hint = f"có phải ý bạn là '{written}'?" + (f" {CASE_HINT}" if same_but_case else "")
    return error("", None, message, hint)


def _on_own_computer(target: str, is_image: bool) -> Diagnostic:
    what = "ảnh" if is_image else "liên kết"
    return error("", None, f"{what} '{target}' là đường dẫn trên máy tính của bạn, người đọc không mở được",
                 LOCAL_IMAGE_HINT if is_image else LOCAL_FILE_HINT)


def _nearest_name(path: Path, is_image: bool) -> tuple[str | None, bool]:
    """The sibling the author probably meant, and whether only letter case differs."""
    parent = path.parent
    if not parent.is_dir():
        return None, False
    names = [text.nfc(child.name) for child in parent.iterdir()
             if not child.name.startswith(".") and not (is_image and child.suffix.lower() == ".md")]
    wanted = text.nfc(path.name)
    same_case = [name for name in names if name.casefold() == wanted.casefold()]
    if same_case:
        return same_case[0], True
    folded = {text.fold(name): name for name in names}
    # Stricter than for unit names: many photos share '.jpg' and a date, which alone are no match.
    guess = difflib.get_close_matches(text.fold(wanted), list(folded), 1, 0.75)
    return (folded[guess[0]] if guess else None), False


def _inside(path: Path, root: Path) -> bool:
    if not path.is_relative_to(root):
        return False
    # A symbolic link inside the folder may still point elsewhere on the disk.
    return not path.exists() or path.resolve().is_relative_to(_real(root))


@functools.lru_cache(maxsize=64)
def _real(root: Path) -> Path:
    return root.resolve()


def _find_nfc(path: Path) -> Path | None:
    """The file whose name differs only by Unicode form (macOS writes NFD), if any."""
    parent = path.parent
    if not parent.is_dir():
        return None
    wanted = text.nfc(path.name)
    return next((child for child in parent.iterdir() if text.nfc(child.name) == wanted), None)
