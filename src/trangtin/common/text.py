"""Vietnamese text helpers: slugs (đ → d), Unicode normalisation, plain-text excerpts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

_VIETNAMESE_D = str.maketrans({"đ": "d", "Đ": "D"})
_MARKDOWN_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`#>|~]|\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=8192)
def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug of a Vietnamese title: ``Lễ khai giảng 2025–2026`` → ``le-khai-giang-2025-2026``."""
    return _slugify(nfc(text).translate(_VIETNAMESE_D), max_length=max_length, word_boundary=True)


def fold(text: str) -> str:
    """Lower-case text without diacritics, for matching what people type (``Đại hội`` → ``dai hoi``)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_VIETNAMESE_D))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text, without rendering it (cheap, for excerpts and word counts)."""
    return _SPACES.sub(" ", _MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", markdown)).strip()


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
