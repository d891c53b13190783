"""Pages converted by one Markdown converter per build, reset between pages.

MkDocs' ``Page.render`` creates a ``markdown.Markdown`` for every page and loads every
extension into it again (pymdownx.highlight alone deep-copies its settings each time): for a
school of 1,000 posts, about 1,600 converters per build. :class:`PageConverter` does what
``Page.render`` of MkDocs 1.6.1 does, line for line, with one converter reset before each page,
so the HTML, table of contents, title and anchors are the same as MkDocs' own.

This relies on MkDocs' internals (its four per-page processors and ``Page.render``'s steps).
MkDocs 1.6.1 no longer changes, so the risk is pinned: a page is taken over only when its
``render`` is exactly the one this module copies (checked by a hash of its source); anything
else — another MkDocs, ProperDocs' own pages — renders as before, only slower.
``tests/unit/test_markdown_pages.py`` fails loudly when that check no longer holds.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
from typing import Any

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc

# sha256 of the source of MkDocs 1.6.1's Page.render, the steps copied in PageConverter.render.
KNOWN_RENDER = "320529348f7a8af152073d0a3ab02960ccce91f9204716144e51b20931983cc6"


@functools.cache
def render_is_known() -> bool:
    """Whether MkDocs' ``Page.render`` is still the code :meth:`PageConverter.render` copies."""
    try:
        source = inspect.getsource(mkdocs_pages.Page.render)
    except (OSError, TypeError):
        return False
    return hashlib.sha256(source.encode()).hexdigest() == KNOWN_RENDER


def can_take_over(page: Any) -> bool:
    """A page of MkDocs itself whose ``render`` is the known one."""
    return type(page).render is mkdocs_pages.Page.render and render_is_known()


class PageConverter:
    """One converter for the pages of one build (one configuration)."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._footnotes: list[tuple[FootnoteExtension, int]] = []

    def take_over(self, page: mkdocs_pages.Page) -> None:
        """Let ``page`` be rendered by this converter, if it can be (see the module's doc)."""
        if can_take_over(page):
            page.render = functools.partial(self.render, page)  # type: ignore[method-assign]

    def converter(self, config: MkDocsConfig) -> markdown.Markdown:
        """The converter, reset as a new one would be."""
        if self._md is None:
            self._md = markdown.Markdown(extensions=config["markdown_extensions"],
                                         extension_configs=config["mdx_configs"] or {})
            # Footnotes count their resets into their ids (with UNIQUE_IDS): kept as when new.
            self._footnotes = [(e, e.unique_prefix) for e in self._md.registeredExtensions
                               if isinstance(e, FootnoteExtension)]
            return self._md
        self._md.reset()
        for extension, prefix in self._footnotes:
            extension.unique_prefix = prefix
        return self._md

    def render(self, page: mkdocs_pages.Page, config: MkDocsConfig, files: Files) -> None:
        """``Page.render`` of MkDocs 1.6.1 with the converter reused: its per-page processors are
        made for this page and registered under their names, replacing the previous page's."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.converter(config)

        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors
