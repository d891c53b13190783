"""Vietnamese text helpers: slugs (đ → d), Unicode normalisation, plain-text excerpts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

_VIETNAMESE_D = str.maketrans({"đ": "d", "Đ": "D"})
# Names Windows keeps for devices, with any extension: a school server or a teacher's copy
# of the site cannot hold a folder or file so named (https://learn.microsoft.com/en-us/
# windows/win32/fileio/naming-a-file).
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
                             *(f"{port}{n}" for port in ("com", "lpt")
                               for n in (*"0123456789", "¹", "²", "³"))})
_RESERVED_CHARACTERS = frozenset('<>:"\\|?*')
_MARKDOWN_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`#>|~]|\[([^\]]*)\]\([^)]*\)")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=8192)
def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug of a Vietnamese title: ``Lễ khai giảng 2025–2026`` → ``le-khai-giang-2025-2026``.

    A slug that Windows would take for a device (``con``, ``lpt1``…) gets ``-1``: slugs
    become folder and file names."""
    slug = _slugify(nfc(text).translate(_VIETNAMESE_D), max_length=max_length, word_boundary=True)
    return f"{slug}-1" if is_windows_device(slug) else slug


def is_windows_device(name: str) -> bool:
    """``nul``, ``Con.txt``, ``aux.tar.gz``, ``COM1 ``: names Windows reserves for devices."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in WINDOWS_DEVICES


def unsafe_name(name: str) -> str | None:
    """Why one file or folder name cannot be written everywhere a site is copied, or None."""
    if is_windows_device(name):
        return f"'{name}' là tên thiết bị dành riêng của Windows"
    if name.endswith((".", " ")):
        return f"'{name}' kết thúc bằng dấu chấm hoặc khoảng trắng"
    if any(c in _RESERVED_CHARACTERS or ord(c) < 32 for c in name):
        return f"'{name}' có ký tự không được dùng trong tên tệp (< > : \" \\ | ? * hoặc ký tự điều khiển)"
    return None


def unsafe_path(path: str) -> str | None:
    """Why a ``/``-separated output path cannot be written everywhere, or None."""
    for part in path.split("/"):
        if part and (reason := unsafe_name(part)):
            return reason
    return None


# What a link that a person wrote may lead to from a page: http(s), an email, a phone call, or a
# relative path. Never javascript:, data:, vbscript:, file:…
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def link_scheme(link: str) -> str | None:
    """The scheme a browser reads in ``link``, lower-case, or None for a relative link.
    Browsers drop tabs, line ends and leading controls: ``java\tscript:`` is ``javascript``."""
    match = _SCHEME.match("".join(c for c in link if c > " "))
    return match.group(1).lower() if match else None


def is_safe_link(link: str) -> bool:
    scheme = link_scheme(link)
    return scheme is None or scheme in LINK_SCHEMES


@lru_cache(maxsize=65536)  # names, categories and words: a few hundred, folded thousands of times
def fold(text: str) -> str:
    """Lower-case text without diacritics, for matching what people type (``Đại hội`` → ``dai hoi``)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_VIETNAMESE_D))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text, without rendering it (cheap, for excerpts and word counts)."""
    return " ".join(_MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", markdown).split())


def excerpt(markdown: str, limit: int = 220) -> str:
    """The first paragraph of a post as plain text, cut at a word boundary."""
    paragraphs = [p for p in re.split(r"\n\s*\n", markdown) if p.strip() and not _is_heading(p)]
    first = plain_text(paragraphs[0]) if paragraphs else ""
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _is_heading(paragraph: str) -> bool:
    stripped = paragraph.strip()
    return stripped.startswith("#") or stripped.startswith("!") or stripped.startswith("<")


def word_count(markdown: str) -> int:
    return len(plain_text(markdown).split())


def reading_minutes(markdown: str, words_per_minute: int = 200) -> int:
    return max(1, round(word_count(markdown) / words_per_minute))


# Characters no page or feed may carry: C0 controls but tab and line ends, DEL, C1 controls,
# lone surrogates, and U+FFFE/U+FFFF, which XML forbids. They come with text copied from Word
# or a PDF, or from a terminal; in a page they are invisible, in a feed they break the XML.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# In a document in a one-byte code page, the C0 bytes and DEL are control characters.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def is_control_character(character: str) -> bool:
    return _CONTROL_CHARACTERS.fullmatch(character) is not None


def without_control_characters(text: str) -> str:
    """``text`` without the characters that must never reach a page or a feed."""
    return _CONTROL_CHARACTERS.sub("", text)


def control_characters_by_line(text: str) -> dict[int, list[str]]:
    """The control characters of ``text`` as ``U+0007`` codes, by 1-based line, in order."""
    found: dict[int, list[str]] = {}
    line, counted = 1, 0
    for match in _CONTROL_CHARACTERS.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        codes = found.setdefault(line, [])
        if (code := f"U+{ord(match.group()):04X}") not in codes:
            codes.append(code)
    return found


def join_surrogate_pairs(text: str) -> str:
    """Pairs of surrogates (UTF-8 written by Java or old Windows tools) as the one character
    they stand for; lone surrogates stay, to be removed as control characters."""
    return _SURROGATE_PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def without_control_bytes(document: bytes) -> bytes:
    """An XML or JSON document without control characters, written raw or as ``&#...;``,
    so that a parser can read the rest of it. UTF-8 documents are cleaned as text; others
    of their C0 bytes and DEL, which no one-byte code page uses for a letter. UTF-16 and
    UTF-32 documents (NUL bytes in their first characters) are returned unchanged."""
    if b"\x00" in document[:4] or document.startswith((b"\xff\xfe", b"\xfe\xff")):
        return document
    try:
        cleaned = without_control_characters(document.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        cleaned = _CONTROL_BYTES.sub(b"", document)
    return _CHARACTER_REFERENCE.sub(_keep_usable_reference, cleaned)


def _keep_usable_reference(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code > 0x10FFFF or is_control_character(chr(code)):
        return b""
    return match.group()
