"""Search that understands Vietnamese typed without diacritics.

Each site gets a compact ``search.json``: per page its title, excerpt, date and URL, and an
inverted index of the *folded* words of the pages (``Đại hội`` → ``dai hoi``, đ → d), so a
reader typing ``khai giang`` on a phone keyboard finds "Lễ khai giảng". The index is fetched only by the
search page (``tim-kiem/``), never by the other pages, so it costs them nothing. A portal's
index also carries the indexes of its units, built before it into sibling folders.

``search`` below is the reference of the matching rules; the browser client
(``assets/javascripts/search.js``) implements the same rules and is tested against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from trangtin.common import text

INDEX_FILE = "search.json"
PAGE_SRC = "tim-kiem/index.md"
PAGE_URL = "tim-kiem/"  # the header's search form sends its words there
PAGE_TITLE = "Tìm kiếm"
VERSION = 2

_WORD = re.compile(r"[0-9a-z]+")
_TITLE_WEIGHT, _WORD_WEIGHT, _PHRASE_BONUS, _EXACT_BONUS = 4, 1, 10, 1


@dataclass(frozen=True)
class SearchDoc:
    """One page as the search sees it; ``url`` is relative to its site's root."""

    title: str
    url: str
    body: str
    excerpt: str = ""
    date: str = ""


def words(value: str) -> list[str]:
    """Folded words in order of first appearance, each once: ``Lễ khai giảng`` → le, khai, giang."""
    # Folding works character by character and never joins across white space, so each
    # white-space-separated token is folded on its own, once (Vietnamese has few syllables).
    return list(dict.fromkeys(w for token in value.split() for w in _token_words(token)))


def words_line(value: str) -> str:
    """:func:`words` as one line, separated by spaces: what the build keeps of each page (a
    list of short strings costs several times the memory and the cache file of one line)."""
    return " ".join(words(value))


@lru_cache(maxsize=65536)
def _token_words(token: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.fold(token)))


def html_text(html: str) -> str:
    """The readable text of a page's converted Markdown (scripts and styles left out, an
    image's ``alt`` kept), as :class:`_TextParser` reads it, four times faster: that HTML
    is serialised by Python-Markdown and cleaned by nh3, so every '<' of its text is escaped
    and its tags are found by pattern."""
    return " ".join(unescape(_MARKUP.sub(_as_text, html)).split())


_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_MARKUP = re.compile(rf"<!--.*?-->|<(script|style|template)\b{_ATTRIBUTES}>.*?</\1\s*>|<img\b({_ATTRIBUTES})>"
                     rf"|</?[a-zA-Z]{_ATTRIBUTES}>|<![^>]*>", re.DOTALL | re.IGNORECASE)
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _as_text(found: re.Match[str]) -> str:
    """A tag as a word break, an image as its ``alt`` (unescaped with the text around it)."""
    alt = _ALT.search(found.group(2) or "")
    return f" {next(v for v in alt.groups() if v is not None)} " if alt else " "


def article_text(page_html: str) -> str:
    """The readable text of a whole built page's main article (``md-content__inner``): what
    its template added (a register of documents, a table of leaders) included."""
    parser = _TextParser(article_class="md-content__inner")
    parser.feed(page_html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


class _TextParser(HTMLParser):
    _SKIP = frozenset({"script", "style", "template"})

    def __init__(self, article_class: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        # With article_class, only the text inside the first <article> of that class counts.
        self._article_class = article_class
        self._articles = 0 if article_class else 1
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" and self._article_class and not self._done:
            classes = (dict(attrs).get("class") or "").split()
            if self._articles or self._article_class in classes:
                self._articles += 1
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "img" and self._inside():
            self.parts.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "article" and self._article_class and self._articles:
            self._articles -= 1
            self._done = self._articles == 0

    def handle_data(self, data: str) -> None:
        if not self._skipping and self._inside():
            self.parts.append(data)

    def _inside(self) -> bool:
        return self._articles > 0 and not self._done


def entry(doc: SearchDoc, site: int = 0) -> dict[str, Any]:
    """What a result shows, with keys of one letter (the words are in the index's map)."""
    item: dict[str, Any] = {"t": doc.title, "u": doc.url}
    if doc.excerpt:
        item["e"] = doc.excerpt
    if doc.date:
        item["d"] = doc.date
    if site:
        item["s"] = site
    return item


def encode(numbers: Iterable[int]) -> str:
    """Increasing document numbers as gaps: ``[3, 4, 10]`` → ``"3,1,6"`` (compresses well)."""
    previous, gaps = 0, []
    for number in numbers:
        gaps.append(str(number - previous))
        previous = number
    return ",".join(gaps)


def decode(postings: str) -> list[int]:
    numbers, total = [], 0
    for gap in postings.split(","):
        total += int(gap)
        numbers.append(total)
    return numbers


def build_index(unit_id: str, name: str, site_url: str, docs: Iterable[SearchDoc],
                words_of: Callable[[str], list[str]] = words) -> dict[str, Any]:
    """A site's own index (site 0 is the site itself), newest pages first.

    ``words`` maps each folded word to the numbers of the documents that contain it: an
    inverted index is about a third of a list of words per document once gzipped, because
    Vietnamese has few distinct syllables and each is written once. ``words_of`` is
    ``words`` or a function giving the same (the build keeps each page's words)."""
    ordered = sorted(docs, key=lambda d: (d.date, d.url), reverse=True)
    postings: dict[str, list[int]] = {}
    for number, doc in enumerate(ordered):
        for word in dict.fromkeys(words_of(doc.title) + words_of(doc.body)):
            postings.setdefault(word, []).append(number)
    return {"v": VERSION, "sites": [{"id": unit_id, "name": name, "url": site_url}],
            "docs": [entry(d) for d in ordered],
            "words": {w: encode(n) for w, n in sorted(postings.items())}}


def merge(index: dict[str, Any], others: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``index`` followed by the own pages of other sites' indexes (a portal and its units)."""
    sites, docs = list(index["sites"]), list(index["docs"])
    postings = {w: decode(p) for w, p in index["words"].items()}
    for other in others:
        if other.get("v") != VERSION or not other.get("sites"):
            continue
        sites.append(other["sites"][0])
        site, offset = len(sites) - 1, len(docs)
        own = [n for n, d in enumerate(other["docs"]) if not d.get("s")]
        renumber = {old: offset + new for new, old in enumerate(own)}
        docs.extend({**other["docs"][n], "s": site} for n in own)
        for word, encoded in other["words"].items():
            found = [renumber[n] for n in decode(encoded) if n in renumber]
            if found:
                postings.setdefault(word, []).extend(found)
    return {"v": VERSION, "sites": sites, "docs": docs,
            "words": {w: encode(n) for w, n in sorted(postings.items())}}


def read_index(path: Path) -> dict[str, Any] | None:
    """A previously written index, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_index(path: Path, index: dict[str, Any]) -> int:
    """Write ``index`` as compact UTF-8 JSON; returns its size in bytes."""
    payload = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return len(payload)


def search(index: dict[str, Any], query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Pages with a word starting with every word of ``query``, best first (then newest)."""
    terms = words(query)
    if not terms:
        return []
    vocabulary = index["words"]
    exact = [set(decode(vocabulary[t])) if t in vocabulary else set() for t in terms]
    prefixed = [set().union(*(decode(p) for w, p in vocabulary.items() if w.startswith(t)))
                for t in terms]
    candidates = set.intersection(*prefixed)
    phrase = " ".join(terms)
    scored = []
    for number in candidates:
        doc = index["docs"][number]
        score = _score(words(doc["t"]), terms, [number in e for e in exact], phrase)
        scored.append((score, doc.get("d", ""), -number, doc))
    scored.sort(key=lambda s: s[:3], reverse=True)
    return [doc for *_, doc in scored[:limit]]


def _score(title_words: list[str], terms: list[str], exact: list[bool], phrase: str) -> int:
    """Title matches weigh more than text matches; whole words more than beginnings."""
    score = 0
    for term, whole in zip(terms, exact, strict=True):
        if any(w.startswith(term) for w in title_words):
            score += _TITLE_WEIGHT + (_EXACT_BONUS if term in title_words else 0)
        else:
            score += _WORD_WEIGHT + (_EXACT_BONUS if whole else 0)
    if len(terms) > 1 and phrase in " ".join(title_words):
        score += _PHRASE_BONUS
    return score
