"""The MkDocs adapter: each hook a few lines that hand work to the plain modules.

Material's blog plugin is not used: its per-page scans grow quadratically with the number
of posts. Posts stay ordinary MkDocs pages; listings are generated files.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import dates, search, sources, text
from .content import POSTS_DIR, Post, load_unit_posts
from .diagnostics import TrangtinError
from .listing import Listing
from .network import Network, find_network_file, load_network
from .sections import nav_for, section_by_src
from .site import SiteModel

# Not under the "mkdocs" logger on purpose: a teacher's mistake drops one post with a
# message, it must not turn into a strict-mode warning that fails the whole site.
log = logging.getLogger("trangtin")

PLACEHOLDER = (
    "Nội dung của mục này đang được cập nhật. "
    "Mời quý vị quay lại sau hoặc liên hệ nhà trường để biết thêm thông tin.\n"
)


class TrangtinConfig(base.Config):
    unit = opt.Optional(opt.Type(str))
    network = opt.Optional(opt.Type(str))
    per_page = opt.Type(int, default=10)


class TrangtinPlugin(BasePlugin[TrangtinConfig]):
    def __init__(self) -> None:
        self.network: Network | None = None
        self.site: SiteModel | None = None
        self.posts_by_src: dict[str, Post] = {}
        self.listings: dict[str, Listing] = {}
        self.search_docs: list[search.SearchDoc] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.network = self._load_network(config)
        unit_id = self.config.unit or self.network.portal
        if unit_id not in self.network.units:
            raise PluginError(f"trangtin: đơn vị '{unit_id}' không có trong network.yml")
        unit = self.network.units[unit_id]
        config.site_name = unit.name
        # Every page needs a description (search engines, link previews); posts set their own.
        config.site_description = config.site_description or f"Trang thông tin điện tử – {unit.name}"
        if config.nav is None:
            config.nav = nav_for(unit)
        self._unit_id = unit_id
        return config

    def _load_network(self, config: MkDocsConfig) -> Network:
        start = Path(config.config_file_path).parent
        path = Path(self.config.network) if self.config.network else find_network_file(start)
        try:
            return load_network(start / path if not path.is_absolute() else path)
        except TrangtinError as problem:
            raise PluginError(str(problem)) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.network is not None
        unit = self.network.units[self._unit_id]
        now = dates.now(self.network.timezone)
        content = load_unit_posts(self.network, unit, now)
        self.site = SiteModel.build(self.network, content, now, self.config.per_page)
        self.search_docs = []
        for diagnostic in content.diagnostics:
            log.log(logging.ERROR if diagnostic.is_error else logging.INFO, diagnostic.render())
        self._place_posts(files)
        self._add_generated_pages(files, config)
        return files

    def _place_posts(self, files: Files) -> None:
        """Published posts move to tin-tuc/yyyy/mm/slug/; everything else under posts/ goes."""
        assert self.site is not None
        self.posts_by_src = {p.src_uri: p for p in self.site.posts}
        # Photos of unpublished posts (drafts, not yet approved) must not be published.
        published_assets = {a for p in self.site.posts for a in p.assets}
        for file in list(files):
            if not file.src_uri.startswith(POSTS_DIR + "/"):
                continue
            post = self.posts_by_src.get(text.nfc(file.src_uri))
            if post is not None:
                file.dest_uri, file.url = post.dest_uri, post.url
                self.posts_by_src[file.src_uri] = post
            elif file.is_documentation_page() or text.nfc(file.src_uri) not in published_assets:
                files.remove(file)

    def _add_generated_pages(self, files: Files, config: MkDocsConfig) -> None:
        assert self.site is not None
        self.listings = self.site.archive.by_src_uri()
        for src_uri, listing in self.listings.items():
            if files.get_file_from_path(src_uri) is None:
                files.append(_generated(config, src_uri, f"# {listing.title}\n",
                                        listed=listing.number == 1))
        for section in self.site.sections:
            if files.get_file_from_path(section.src_uri) is None:
                body = "" if not section.required else PLACEHOLDER
                files.append(_generated(config, section.src_uri, f"# {section.title}\n\n{body}",
                                        listed=True))
        if files.get_file_from_path(search.PAGE_SRC) is None:
            files.append(_generated(config, search.PAGE_SRC, f"# {search.PAGE_TITLE}\n", listed=False))

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        post = self.posts_by_src.get(page.file.src_uri)
        if post is not None:
            return post.body
        if page.file.generated_by or page.file.abs_src_path is None:
            return None
        text_, _ = sources.decode(Path(page.file.abs_src_path).read_bytes(), page.file.src_uri)
        return text_

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.site is not None
        post = self.posts_by_src.get(page.file.src_uri)
        if post is not None:
            page.meta.update(title=post.title, template="trangtin/post.html",
                             description=post.excerpt)
        elif page.file.src_uri in self.listings:
            page.meta.setdefault("template", "trangtin/listing.html")
        elif (section := section_by_src(self.site.unit).get(page.file.src_uri)) is not None:
            page.meta.setdefault("template", section.template or "trangtin/section.html")
            page.meta.setdefault("title", section.title)
        elif page.file.src_uri == search.PAGE_SRC:
            page.meta.setdefault("template", "trangtin/search.html")
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Posts and section pages go into the search index (listings only repeat posts)."""
        assert self.site is not None
        post = self.posts_by_src.get(page.file.src_uri)
        section = section_by_src(self.site.unit).get(page.file.src_uri)
        if post is not None:
            self.search_docs.append(search.SearchDoc(post.title, post.url, search.html_text(html),
                                                     post.excerpt, post.date.date().isoformat()))
        elif section is not None and not section.listing and section.key != "home":
            self.search_docs.append(search.SearchDoc(page.title or section.title, section.url,
                                                     search.html_text(html)))
        return html

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        unit = self.site.unit
        index = search.build_index(unit.id, unit.name, config.site_url or "", self.search_docs)
        # A portal is built after its units, into sibling folders: it searches them too.
        siblings = Path(config.site_dir).parent
        children = (search.read_index(siblings / c.id / search.INDEX_FILE) for c in self.site.children)
        search.write_index(Path(config.site_dir) / search.INDEX_FILE,
                           search.merge(index, (c for c in children if c is not None)))

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        env.globals["tt"] = self.site
        env.filters["tt_date"] = dates.vietnamese_date
        env.filters["tt_short_date"] = dates.short_date
        env.filters["tt_slug"] = text.slugify
        return env

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        context["tt_post"] = self.posts_by_src.get(page.file.src_uri)  # type: ignore[typeddict-unknown-key]
        context["tt_listing"] = self.listings.get(page.file.src_uri)  # type: ignore[typeddict-unknown-key]
        return context


def _generated(config: MkDocsConfig, src_uri: str, content: str, listed: bool) -> File:
    inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
    return File.generated(config, src_uri, content=content, inclusion=inclusion)
