"""Pages converted by one Markdown converter per build, reset between pages.

MkDocs' ``Page.render`` creates a ``markdown.Markdown`` for every page and loads every
extension into it again (pymdownx.highlight alone deep-copies its settings each time): for a
school of 1,000 posts, about 1,600 converters per build. :class:`PageConverter` does what
``Page.render`` of MkDocs 1.6.1 does, step for step, with one converter reset before each page,
so the HTML, table of contents, title and anchors are the same as MkDocs' own.

A post's body can also be converted ahead, while the posts are read (:meth:`PageConverter.
pre_convert`): its links are read from that conversion's tree (content/links.py) instead of a
parse of their own, and its page later only needs MkDocs' links made relative to it. The
one step that depends on where the page and its targets are published, MkDocs'
``_RelativePathTreeprocessor``, is taken out: at its place each link's URL is recorded and a
mark left in its attribute; :meth:`PageConverter.render` then calls the same processor's
``path_to_url`` on each URL, in the same order (its warnings are the same), and puts each
result where its mark is, escaped as Markdown's serializer escapes attributes. Anything the
marks could not carry (Markdown's own ``&`` placeholder in a URL, a mark character in the
text) leaves the page to be converted as before.

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
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.serializers import _escape_attrib_html
from markdown.util import AMP_SUBSTITUTE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc

from trangtin.site.cache import RELATIVE_LINKS

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


MARK = "\x1a"  # SUB: removed from every text people write (common/text.py), never in a body
_MARKED = re.compile(MARK + r"(\d+)" + MARK)


@dataclass
class PreConverted:
    """What a conversion gives a page; for a body converted ahead, the HTML has a mark for each
    link and ``urls`` the links' URLs in the order MkDocs' processor meets them."""

    html: str
    urls: list[str]
    toc_tokens: list[Any]
    title: str | None
    anchor_ids: set[str]


class _MarkLinks(markdown.treeprocessors.Treeprocessor):
    """In the place of MkDocs' ``_RelativePathTreeprocessor`` (same name and priority): the
    complete tree handed to ``read_tree``, then each link's URL recorded and marked."""

    def __init__(self, read_tree: Callable[[ElementTree.Element], None]) -> None:
        super().__init__()
        self.read_tree = read_tree
        self.urls: list[str] = []

    def run(self, root: ElementTree.Element) -> None:
        self.read_tree(root)
        for element in root.iter():  # as MkDocs' processor walks it
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if key is not None:
                self.urls.append(element.get(key) or "")
                element.set(key, f"{MARK}{len(self.urls) - 1}{MARK}")


class PageConverter:
    """One converter for the pages of one build (one configuration)."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._footnotes: list[tuple[FootnoteExtension, int]] = []
        self.pre_converted: dict[str, PreConverted] = {}  # by the Markdown converted

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

    def pre_convert(self, config: MkDocsConfig, body: str,
                    read_tree: Callable[[ElementTree.Element], None]) -> markdown.Markdown | None:
        """``body`` converted as :meth:`render` would, its relative links left to be made
        (see the module's doc), kept for its page; the converter (for what it stashed), or None
        when this body cannot be converted so."""
        if not render_is_known() or MARK in body or not body.strip():
            return None
        marks = _MarkLinks(read_tree)
        md, converted = self._convert(config, body, marks)
        if (any(AMP_SUBSTITUTE in url for url in marks.urls)  # Markdown's own '&': its postprocessor's
                or converted.html.count(MARK) != 2 * len(marks.urls)):
            return md
        converted.urls = marks.urls
        self.pre_converted[body] = converted
        return md

    def render(self, page: mkdocs_pages.Page, config: MkDocsConfig, files: Files) -> None:
        """``Page.render`` of MkDocs 1.6.1 with the converter reused: its per-page processors are
        made for this page and registered under their names, replacing the previous page's; a
        body converted ahead only has its links made relative to this page."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        relative = _RecordingRelativePaths(page.file, files, config)
        if (ahead := self.pre_converted.get(page.markdown)) is not None:
            # MkDocs' own processor makes each recorded link relative, in the order it would have.
            urls = [_escape_attrib_html(relative.path_to_url(url)) for url in ahead.urls]
            _apply(page, _MARKED.sub(lambda found: urls[int(found.group(1))], ahead.html), ahead, relative)
            return
        _, converted = self._convert(config, page.markdown, relative)
        _apply(page, converted.html, converted, relative)

    def _convert(self, config: MkDocsConfig, text: str,
                 relative: markdown.treeprocessors.Treeprocessor) -> tuple[markdown.Markdown, PreConverted]:
        """``text`` converted with MkDocs' per-page processors, ``relative`` in the place of its
        relative links' (its name and priority)."""
        md = self.converter(config)
        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(None, None, config)  # type: ignore[arg-type]
        extract_anchors_ext._register(md)
        md.treeprocessors.register(relative, "relpath", 0)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        html = md.convert(text)
        return md, PreConverted(html, [], getattr(md, "toc_tokens", []), extract_title_ext.title,
                                extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids)


class _RecordingRelativePaths(mkdocs_pages._RelativePathTreeprocessor):
    """MkDocs' relative links, each one kept as written and as made (what a page's converted
    HTML depends on among the site's files: cache.py)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.made: list[tuple[str, str]] = []

    def path_to_url(self, url: str) -> str:
        result: str = super().path_to_url(url)
        self.made.append((url, result))
        return result


def _apply(page: mkdocs_pages.Page, html: str, converted: PreConverted, relative: _RecordingRelativePaths) -> None:
    """What ``Page.render`` leaves on a page."""
    page.content = html
    setattr(page, RELATIVE_LINKS, relative.made)
    page.toc = get_toc(converted.toc_tokens)
    page._title_from_render = converted.title
    page.present_anchor_ids = set(converted.anchor_ids)
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def relative_links_hold(page: mkdocs_pages.Page, files: Files, config: MkDocsConfig,
                        links: list[tuple[str, str]]) -> bool:
    """Whether MkDocs still makes each link of ``links`` what it made of it for ``page`` (its
    warnings, already kept with the page's conversion, are not logged again)."""
    processor = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
    logger = mkdocs_pages.log
    was_disabled, logger.disabled = logger.disabled, True
    try:
        return all(processor.path_to_url(url) == made for url, made in links)
    finally:
        logger.disabled = was_disabled
