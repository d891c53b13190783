"""What a page's first paint waits for, on a phone over a slow link and a host that does
not compress (many school hosts): as little as possible.

Every stylesheet in the head blocks the first paint: the theme's own are served as one file,
one request instead of one per stylesheet, named by a hash of its content so a host may cache
it for good. Material's 138 KB stylesheet is split in two by the class names the site's pages
really carry: the rules that can style a page as written block the first paint, the rest
(search results, tooltips, admonitions no post uses…: elements scripts create or no page has)
is loaded after the page, placed right after the first part so the cascade keeps its order.
Scripts (Material's bundle, ours) are fetched once the page has loaded: none of them draws what
is read first, and on a slow link their bytes would otherwise delay the largest picture.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tinycss2
import tinycss2.ast

FOLDER = "assets/stylesheets"
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_INDENT = re.compile(r"\n\s+")
_PLAIN_SCRIPT = re.compile(r'<script src="([^"<>]+)"></script>')


@dataclass(frozen=True)
class Bundle:
    uri: str
    content: str
    replaces: tuple[str, ...]

    def extra_css(self, listed: Sequence[str]) -> list[str]:
        """``listed`` with the bundled stylesheets replaced by the bundle, where the first was."""
        first = min(listed.index(uri) for uri in self.replaces)
        kept = [uri for uri in listed if uri not in self.replaces]
        return [*kept[:first], self.uri, *kept[first:]]


def bundle(listed: Sequence[str], theme_dirs: Iterable[str | Path]) -> Bundle | None:
    """One stylesheet for the theme's own stylesheets of ``FOLDER`` (``url()`` stays relative to
    the same folder), in their order; None when there are fewer than two."""
    dirs = [Path(d) for d in theme_dirs]
    found = {uri: path for uri in listed if uri.startswith(FOLDER + "/")
             and (path := _in_theme(uri, dirs)) is not None}
    if len(found) < 2:
        return None
    content = "\n".join(minified(path.read_text(encoding="utf-8")) for path in found.values())
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
    return Bundle(f"{FOLDER}/trangtin.{digest}.min.css", content, tuple(found))


def minified(css: str) -> str:
    """Comments and indentation removed (our stylesheets write no ``/*`` inside a string)."""
    return _INDENT.sub("\n", _COMMENT.sub("", css)).strip() + "\n"


def _in_theme(uri: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        if (folder / uri).is_file():
            return folder / uri
    return None


_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')  # after a space: checked in class_names
MATERIAL_MAIN = re.compile(
    r'<link rel="stylesheet" href="((?:[^"<>]*/)?)assets/stylesheets/(main\.[0-9a-f]+\.min)\.css">')
MATERIAL_FILE = re.compile(r"main\.[0-9a-f]+\.min\.css")
READY_ATTRIBUTE = "data-tt-scripts"  # set on <html> once every script has run (tests wait for it)


def class_names(html: str) -> set[str]:
    """The class names a page's elements carry as written (not those scripts add later)."""
    # The literal start lets the search jump from 'class="' to 'class="' (twice as fast as '\s' first).
    return {name for found in _CLASS_ATTRIBUTE.finditer(html) if html[found.start() - 1:found.start()].isspace()
            for name in found.group(1).split()}


def split_names(stem: str, tag: str) -> tuple[str, str]:
    """The two parts of Material's ``stem`` (``main.<hash>.min``), ``tag`` naming the theme and
    tools they were split for: a cached page and the files it names always match."""
    return f"{stem}.{tag}.first.css", f"{stem}.{tag}.later.css"


@lru_cache(maxsize=8)
def split_once(css: str, present: frozenset[str]) -> tuple[str, str]:
    """``split_stylesheet``, once per stylesheet and class set: ``serve`` rebuilds after every
    save, and a post's text rarely brings a class no page had."""
    return split_stylesheet(css, set(present))


def split_stylesheet(css: str, present: set[str]) -> tuple[str, str]:
    """Rules that may match an element carrying only ``present`` classes, and the others, each
    in the original order (``@media``/``@supports`` split the same way; other at-rules stay first).
    A selector counts as possible unless it names, outside any ``:not()``/``:is()``/``[…]``, a
    class no page carries: when unsure, a rule stays in the part that blocks the first paint."""
    first, later = _split_rules(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True),
                                present)
    return "".join(first), "".join(later)


def _split_rules(rules: list, present: set[str]) -> tuple[list[str], list[str]]:
    first: list[str] = []
    later: list[str] = []
    for rule in rules:
        if isinstance(rule, tinycss2.ast.QualifiedRule):
            possible = any(_may_match(selector, present) for selector in _selectors(rule.prelude))
            (first if possible else later).append(tinycss2.serialize([rule]))
        elif isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword in ("media", "supports") \
                and rule.content is not None:
            inner = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
            head = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
            for part, found in zip((first, later), _split_rules(inner, present), strict=True):
                if found:
                    part.append(head + "{" + "".join(found) + "}")
        elif not isinstance(rule, tinycss2.ast.ParseError):
            first.append(tinycss2.serialize([rule]))
    return first, later


def _selectors(prelude: list) -> list[list]:
    """A selector list split at its top-level commas (commas inside ``:is(…)`` stay)."""
    selectors: list[list] = [[]]
    for token in prelude:
        if isinstance(token, tinycss2.ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _may_match(selector: list, present: set[str]) -> bool:
    for before, token in zip([None, *selector], selector, strict=False):
        if (isinstance(before, tinycss2.ast.LiteralToken) and before.value == "."
                and isinstance(token, tinycss2.ast.IdentToken) and token.value not in present):
            return False
    return True


def load_after_the_page(html: str, tag: str | None = None) -> str:
    """The page's plain ``<script src>`` (Material's bundle, extra_javascript) fetched in order
    once the page has loaded, then told the document is ready (Material waits for
    ``DOMContentLoaded``); with ``tag``, Material's stylesheet replaced by its first part, the
    later part loaded with the scripts. A page already changed is left as it is."""
    scripts = _PLAIN_SCRIPT.findall(html)
    later: str | None = None
    if tag is not None and (found := MATERIAL_MAIN.search(html)) is not None:
        prefix, (first, second) = found.group(1), split_names(found.group(2), tag)
        first_href, later = f"{prefix}{FOLDER}/{first}", f"{prefix}{FOLDER}/{second}"
        html = html.replace(found.group(0), f'<link rel="stylesheet" href="{first_href}" id="tt-first-css">', 1)
    if not scripts and later is None:
        return html
    html = _PLAIN_SCRIPT.sub("", html)
    loader = _LOADER.replace("SCRIPTS", json.dumps(scripts)).replace("LATER", json.dumps(later))
    return html.replace("</body>", f"<script>{loader}</script>\n</body>", 1)


# Inline, so it needs no request; ``onerror`` goes on too, so one missing script stops nothing.
_LOADER = (
    'addEventListener("load",function(){var c=LATER,s=SCRIPTS,i=0;'
    'if(c){var l=document.createElement("link");l.rel="stylesheet";l.href=c;'
    'document.getElementById("tt-first-css").after(l)}'
    '(function n(){if(i===s.length){document.dispatchEvent(new Event("DOMContentLoaded"));'
    f'document.documentElement.setAttribute("{READY_ATTRIBUTE}","");return}}'
    'var e=document.createElement("script");e.src=s[i++];e.onload=e.onerror=n;document.body.appendChild(e)})()})'
)
