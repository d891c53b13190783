"""Helpers for tests that read built sites: parse pages, follow links like a browser would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

SKIPPED_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:")


def parse(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def page_for(site: Path, url: str) -> Path:
    """The file a site-relative URL such as ``tin-tuc/`` is served from."""
    target = site / url
    return target / "index.html" if url.endswith("/") or url == "" else target


def resolve(page: Path, href: str) -> Path | None:
    """The file a link on ``page`` points to, or None for external and in-page links."""
    if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
        return None
    path = unquote(urlsplit(href).path)
    if not path:
        return None
    target = (page.parent / path).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def internal_links(page: Path) -> Iterator[tuple[str, Path]]:
    tree = parse(page)
    for element in tree.iter("a", "link", "img", "script", "source"):
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value and (target := resolve(page, value)) is not None:
                yield value, target
        for candidate in (element.get("srcset") or "").split(","):
            url = candidate.strip().split(" ")[0]
            if url and (target := resolve(page, url)) is not None:
                yield url, target
