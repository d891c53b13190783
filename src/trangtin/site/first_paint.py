"""What a page's first paint waits for, on a phone over a slow link and a host that does
not compress (many school hosts): as little as possible.

Every stylesheet in the head blocks the first paint: the theme's own are served as one file,
one request instead of one per stylesheet, named by a hash of its content so a host may cache
it for good. Scripts (Material's bundle, ours) run once the page is parsed (``defer``): none of
them draws what is read first, and no inline script of a page calls them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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


def defer_scripts(html: str) -> str:
    """Every ``<script src>`` without other attributes (Material's bundle, extra_javascript) deferred."""
    return _PLAIN_SCRIPT.sub(r'<script src="\1" defer></script>', html)
