"""Text that people and other sites wrote, escaped exactly once where it meets the templates.

MkDocs' Jinja environment does not autoescape, and Material's templates print the page's
title, its description and the site's name as they are: they assume a trusted author. Here:

- trangtin's own templates (the theme's ``custom_dir``) are compiled with autoescape on, so
  every value they print is text unless it is ``Markup`` (rendered pages, fragments, covers);
- the values Material prints raw are handed over as ``Markup`` holding the escaped text, so
  Material prints them escaped and our templates print them unchanged (never ``&amp;lt;``).

Plain Python on duck-typed pages (title, meta, toc, content): no MkDocs import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trangtin.common.text import is_safe_link

# Front-matter values Material prints unescaped in every page's <head> or header.
MATERIAL_RAW_META = ("title", "description", "author", "subtitle")


def own_templates(custom_dir: str | Path | None) -> frozenset[str]:
    """Names of the templates of the theme's ``custom_dir`` (``trangtin/post.html``…)."""
    if not custom_dir or not Path(custom_dir).is_dir():
        return frozenset()
    folder = Path(custom_dir)
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def autoescape_for(names: Iterable[str]) -> Callable[[str | None], bool]:
    """Jinja's ``autoescape`` setting: on for ``names``, off for Material's own templates
    (they print HTML from strings, e.g. ``page.content``, and would show it as text)."""
    ours = frozenset(names)
    return lambda name: name in ours


def text(value: object) -> Markup:
    """Text as HTML, escaped once (a value that is already ``Markup`` stays as it is)."""
    return Markup.escape("" if value is None else value)


def heading_text(value: object) -> Markup:
    """A title that Markdown rendered (entities kept, maybe tags) as escaped text."""
    return text(Markup(str(value or "")).striptags())


def plain(value: object) -> str:
    """The text a ``Markup`` value shows (for the search index and feeds), or the text itself."""
    if isinstance(value, Markup):
        return value.unescape()
    return "" if value is None else str(value)


def safe_link(value: object) -> str:
    """A link a person wrote (a register's ``tep``, a unit's website), if a page may carry it:
    relative, or http(s), mailto or tel; "" for ``javascript:``, ``data:``, ``file:``… (``check``
    and the build name the register entries so written)."""
    link = "" if value is None else str(value).strip()
    return link if is_safe_link(link) else ""


def texts_for_templates(page: Any, site_description: str) -> None:
    """Make one page's texts safe for Material's templates and ours: title, description,
    author and subtitle as escaped ``Markup``, the table of contents' titles too.

    Called once the page is rendered (its title may come from its first heading) and before
    any template runs: the navigation of every page prints the other pages' titles too."""
    meta = page.meta
    from_meta = "title" in meta and page.title == meta["title"]  # not the nav's or a heading's
    page.title = text(page.title) if from_meta else heading_text(page.title)
    # Material prints meta.title raw in <title>, and page.title through striptags otherwise
    # (which turns escaped text back into tags): so every page has a meta title.
    meta["title"] = _meta_text(meta["title"]) if "title" in meta else page.title
    meta.setdefault("description", site_description)
    for key in MATERIAL_RAW_META:
        if meta.get(key) is not None:
            meta[key] = _meta_text(meta[key])
    for item in _toc_items(page.toc or []):
        item.title = heading_text(item.title)


def body_for_templates(page: Any) -> None:
    """The rendered body is HTML: our templates print it as it is."""
    page.content = Markup(page.content or "")


def _meta_text(value: object) -> Markup:
    """A front-matter value as text: a list (``author: [A, B]``) reads "A, B"."""
    if isinstance(value, list | tuple):
        return text(", ".join(str(v) for v in value))
    return text(value)


def _toc_items(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _toc_items(item.children)
