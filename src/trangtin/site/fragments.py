"""Template fragments rendered once per build and reused by every page that shows them.

A post card appears on the news pages, its categories' pages, its month's and its tổ's
pages, and the archive sidebar appears on every listing page: ~480 listing pages of a
1,000-post school rendered the same few thousand fragments again and again. A fragment
here is rendered by the template's own macro the first time and reused afterwards under a
key that holds everything its HTML depends on, so the pages are byte for byte the same.

The only thing such a fragment takes from the page is where its links point relative to
that page. ``link_key`` gives, for a page and the site-root URLs its fragment links to,
a key that is equal for two pages exactly when every one of those links comes out the
same from both (the links are made relative the way MkDocs' ``url`` filter makes them).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import Any


class Fragments:
    """Rendered fragments of one build, by key (a new instance for every build)."""

    def __init__(self) -> None:
        self._rendered: dict[Any, Any] = {}
        self._prefixes: dict[Any, frozenset[tuple[str, ...]] | None] = {}

    def once(self, key: Any, render: Callable[..., Any], *args: Any) -> Any:
        """``render(*args)`` the first time ``key`` is asked for, the same result afterwards."""
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = render(*args)
        return found

    def get(self, key: Any) -> Any:
        """What ``keep`` kept under ``key`` (None: render it, then ``keep`` it)."""
        return None if key is None else self._rendered.get(key)

    def keep(self, key: Any, rendered: Any) -> Any:
        if key is not None:
            self._rendered[key] = rendered
        return rendered

    def forget(self, part: Any) -> None:
        """Drop every fragment whose key holds ``part`` (that very object): ``serve`` renders
        a changed post's card again, in the order a full build would."""
        self._rendered = {key: found for key, found in self._rendered.items()
                          if not (isinstance(key, tuple) and any(p is part for p in key))}

    def link_key(self, group: Any, page_url: str, targets: Callable[[], Iterable[str]]) -> Any:
        """A key for ``page_url`` under which links to ``targets`` (site-root URLs, the same
        for every page of ``group``) are the same relative links."""
        if group not in self._prefixes:
            self._prefixes[group] = _prefixes(targets())
        prefixes = self._prefixes[group]
        parts = _page_parts(page_url)
        if prefixes is None or parts is None:
            return (group, page_url)  # an unusual URL: nothing shared, always right
        shared = 0
        while shared < len(parts) and tuple(parts[:shared + 1]) in prefixes:
            shared += 1
        return (group, len(parts), tuple(parts[:shared]))


def _prefixes(urls: Iterable[str]) -> frozenset[tuple[str, ...]] | None:
    """Every leading run of path segments of ``urls``, or None when one is not a plain
    relative path (then the page's URL itself is the key)."""
    found: set[tuple[str, ...]] = set()
    for url in urls:
        parts = _plain_parts(url)
        if parts is None:
            return None
        found.update(tuple(parts[:n]) for n in range(1, len(parts) + 1))
    return frozenset(found)


def _page_parts(url: str) -> list[str] | None:
    folder, _, last = url.rpartition("/")
    return _plain_parts(folder if "." in last else url)


def _plain_parts(url: str) -> list[str] | None:
    if not url or url.startswith("/") or "\\" in url or ":" in url or "#" in url or "?" in url:
        return None
    parts = [p for p in url.split("/") if p]
    if any(p in {".", ".."} for p in parts):
        return None
    return parts if posixpath.normpath("/" + url)[1:].split("/") == parts else None
