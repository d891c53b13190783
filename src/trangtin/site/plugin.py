"""The MkDocs adapter: each hook a few lines that hand work to the plain modules.

Material's blog plugin is not used: its per-page scans grow quadratically with the number
of posts. Posts stay ordinary MkDocs pages; listings are generated files.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta as mkdocs_meta
from mkdocs.utils.templates import TemplateContext

from trangtin.aggregate import crosspost, pictures
from trangtin.aggregate.collect import site_url_of
from trangtin.common import dates, text
from trangtin.common.diagnostics import Diagnostic, TrangtinError, warning
from trangtin.common.sanitize import PagePolicy, clean_html
from trangtin.content import sources
from trangtin.content.attachments import Judged, Kind
from trangtin.content.checks import is_published_file, judge_unit_files, page_problems, usable_registers
from trangtin.content.items import item_from_post
from trangtin.content.links import LinkReader, MarkdownSetup, ParsedBody, TreeReading
from trangtin.content.posts import POSTS_DIR, Post, ReadPost, display_path, link_reader, load_unit_posts
from trangtin.content.unsafe_html import page_policy, unlisted_removals
from trangtin.feeds import writer
from trangtin.network.model import Network, find_network_file, load_network
from trangtin.network.sections import REPORT_SRC, nav_for
from trangtin.photos import markup, pipeline
from trangtin.site import cache, cms, escaping, first_paint, fragments, markdown_pages, parallel, registers, search
from trangtin.site.listing import Listing, tag_url
from trangtin.site.mkdocs_log import ContentWarnings, Place
from trangtin.site.photos import PhotoPlan, initials, plan_photos, plan_remote_pictures
from trangtin.site.view import SiteModel

if TYPE_CHECKING:
    from trangtin.report import export

# Not under the "mkdocs" logger on purpose: a teacher's mistake drops one post with a
# message, it must not turn into a strict-mode warning that fails the whole site.
log = logging.getLogger("trangtin")

DEFAULT_FAVICON = "assets/images/favicon.png"  # Material's
ORIGINALS = "material-original"  # the theme's templates under their own names, under this prefix
TITLE_SLOT = "<!--tt-page-title-->"  # where the shared header takes each page's title
PLACEHOLDER = (
    "Nội dung của mục này đang được cập nhật. "
    "Mời quý vị quay lại sau hoặc liên hệ nhà trường để biết thêm thông tin.\n"
)


class TrangtinConfig(base.Config):
    unit = opt.Optional(opt.Type(str))
    network = opt.Optional(opt.Type(str))
    per_page = opt.Type(int, default=10)
    image_cache = opt.Optional(opt.Type(str))  # default .cache/images of the network


class TrangtinPlugin(BasePlugin[TrangtinConfig]):
    def __init__(self) -> None:
        self.network: Network | None = None
        self.site: SiteModel | None = None
        self.posts_by_src: dict[str, Post] = {}
        self.listings: dict[str, Listing] = {}
        self.search_docs: list[search.SearchDoc] = []
        self.photo_plan = PhotoPlan()
        self.photo_index: dict[str, markup.Photo | None] = {}
        # The last good output of this site (set by build.py): unchanged pages are reused.
        self.previous_output: Path | None = None
        self.render_cache: cache.PageCache | None = None
        self.html_by_src: dict[str, str] = {}  # rendered posts, for the feeds
        self.portal: crosspost.PortalView | None = None
        self.network_pages: dict[str, crosspost.CrossPost | crosspost.UnitPage] = {}
        self.remote_photos: dict[str, markup.Photo | None] = {}  # other units' pictures, by URL
        self.report_pages: list[export.Page] | None = None  # "Thống kê tin bài" of a portal
        self.announcements: list[Any] = []
        self.announcements_waiting: list[Any] = []  # dates of future ones, for the site cache
        self.page_policy = PagePolicy()  # the allow-list of what authors write
        self.fragments = fragments.Fragments()
        self.content_warnings: ContentWarnings | None = None
        self.stylesheets: first_paint.Bundle | None = None  # the theme's own, as one file
        self.split_tag: str | None = None  # names the two parts of Material's stylesheet
        self.page_classes: set[str] = set()  # class names the built pages carry
        self.page_converter = markdown_pages.PageConverter()
        # Forked workers that convert and render the pages (parallel.py); set by build.py.
        self.page_workers = 1
        self.built_elsewhere: set[str] = set()  # pages a worker wrote
        self._skipped_pages: parallel.SkippedPages | None = None
        self._nav: Navigation | None = None
        self._workers = 1  # for this build's pages (on_nav)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.network = self._load_network(config)
        unit_id = self.config.unit or self.network.portal
        if unit_id not in self.network.units:
            raise PluginError(f"trangtin: đơn vị '{unit_id}' không có trong network.yml")
        unit = self.network.units[unit_id]
        config.site_name = escaping.text(unit.name)  # Material prints it raw
        # Every page needs a description (search engines, link previews); posts set their own.
        config.site_description = escaping.text(  # Material prints it raw (on 404.html too)
            config.site_description or f"Trang thông tin điện tử – {unit.name}")
        if config.nav is None:
            config.nav = nav_for(unit, self.network)
        self._unit_id = unit_id
        self.page_policy = page_policy(self.network)
        self.stylesheets = first_paint.bundle(config.extra_css, config.theme.dirs)
        self.split_tag = cache.digest(cache.tools_digest(), cache.theme_digest(config))[:10]
        self.page_classes = set()
        if self.stylesheets is not None:
            config.extra_css = self.stylesheets.extra_css(config.extra_css)
        self.page_converter = markdown_pages.PageConverter()  # one per configuration
        self.render_cache = cache.PageCache(self.network.root, unit_id, self.previous_output,
                                            get_toc, markdown_pages.relative_links_hold)
        self.content_warnings = ContentWarnings(unit_id, self._place)
        self.content_warnings.install()
        return config

    def _place(self, src_uri: str) -> Place | None:
        """A file of this site by its ``src_uri``, for MkDocs' warnings about it (mkdocs_log)."""
        assert self.network is not None
        post = self.posts_by_src.get(src_uri)
        root = self.network.content_dir(self._unit_id)
        path = post.source_path if post is not None else root / src_uri
        if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
            return None
        return Place(display_path(root, path), path.read_text(encoding="utf-8", errors="replace"))

    def _link_reader(self, config: MkDocsConfig) -> LinkReader:
        """Links read with the Markdown extensions MkDocs loaded for this site, kept across builds."""
        assert self.network is not None
        setup = MarkdownSetup.from_settings(config.markdown_extensions, config.mdx_configs)
        return link_reader(self.network, self.network.units[self._unit_id], setup)

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
        links = self._link_reader(config)
        content = load_unit_posts(self.network, unit, now, links,
                                  partial(self._read_posts, config, links) if self.page_workers > 1 else None)
        content.diagnostics.extend(page_problems(self.network, unit, links))
        links.save()
        assert self.content_warnings is not None
        self.content_warnings.already_reported = list(content.diagnostics)
        self.site = SiteModel.build(self.network, content, now, self.config.per_page)
        self.report_pages = None
        self.search_docs = []
        for diagnostic in content.diagnostics:
            log.log(logging.ERROR if diagnostic.is_error else logging.INFO, diagnostic.render())
        self._place_posts(files, config)
        self._publish_files(files, config)
        self._add_generated_pages(files, config)
        self._add_network_pages(files, config)
        self._drop_unsafe_names(files)
        self._add_editor(files, config)
        if self.stylesheets is not None:
            files.append(File.generated(config, self.stylesheets.uri, content=self.stylesheets.content))
        return files

    def _read_posts(self, config: MkDocsConfig, links: LinkReader, read: ReadPost,
                    paths: list[Path]) -> list[Any]:
        """Every post read (front matter, links, checks) by forked workers (parallel.py), each
        body converted there as its page will be (markdown_pages.PageConverter.pre_convert)."""
        workers = self._workers_for(len(paths))
        if workers <= 1:
            return [read(path) for path in paths]
        links.memo.before_fork()
        converter = self.page_converter

        def made_in_worker() -> tuple[dict[str, Any], dict[str, Any]]:
            return links.memo.made_since_fork(), converter.pre_converted
        links.converting = partial(_read_by_converting, converter, config)
        try:
            done = parallel.map_in_forks(partial(_read_with_card_texts, read), paths, workers, made_in_worker)
        finally:
            links.converting = None
        if done is None:
            return [read(path) for path in paths]
        for parsed, converted in done[1]:
            links.memo.take(parsed)
            converter.pre_converted.update(converted)
        return done[0]

    def _add_editor(self, files: Files, config: MkDocsConfig) -> None:
        """``admin/``: a school's browser editor (site/cms.py), its configuration generated from
        network.yml. A page of its own: no reader's page loads the CMS."""
        assert self.site is not None and self.network is not None
        unit = self.site.unit
        if not cms.has_editor(unit) or not cms.is_available(self.network):
            return
        generated = {f"{cms.ADMIN_DIR}/config.yml": cms.config_yaml(self.network, unit),
                     f"{cms.ADMIN_DIR}/index.html": cms.admin_page(unit)}
        for file in list(files):  # the editor's paths are the build's, whatever the folder holds
            if file.src_uri.startswith(cms.ADMIN_DIR + "/"):
                files.remove(file)
        for uri, path in cms.vendored_files(self.network):
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        for uri, content in generated.items():
            files.append(File.generated(config, uri, content=content))

    def _drop_unsafe_names(self, files: Files) -> None:
        """A file whose output name Windows cannot hold (``aux.pdf``, ``a.``) is not written, with
        a warning: the site must copy to any school server. Links to it still resolve (strict
        mode must not fail the site), like links to a broken photo."""
        assert self.site is not None
        for file in files:
            reason = text.unsafe_path(file.dest_uri)
            if reason is None or file.inclusion.is_excluded():
                continue
            file.inclusion = InclusionLevel.EXCLUDED
            problem = warning(f"content/{self.site.unit.id}/{file.src_uri}", None,
                              f"tệp không được đăng vì tên {reason}", "đổi tên tệp và các liên kết tới nó")
            log.warning(problem.render())
            self.site.diagnostics.append(problem)

    def _place_posts(self, files: Files, config: MkDocsConfig) -> None:
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
            elif file.src_uri != text.nfc(file.src_uri):
                _rename_to_nfc(files, file, config)

    def _publish_files(self, files: Files, config: MkDocsConfig) -> None:
        """Files beside pages, judged by their content: photos processed, listed documents
        published as they are, anything else (SVG, HTML, scripts, unknown types) left out."""
        assert self.site is not None
        judged = judge_unit_files(Path(config.docs_dir), self.site.posts, _loose_files(files, config))
        problems = [dataclasses.replace(d, unit=self.site.unit.id) for d in judged.diagnostics]
        for diagnostic in problems:  # printed by the CLI; logged for `mkdocs serve -v`
            log.info(diagnostic.render())
        self.site.diagnostics.extend(problems)
        self._leave_out(files, config, judged)
        self._publish_photos(files, config, judged.of_kind(Kind.PHOTO))
        self._publish_logo(files, config)
        self._publish_favicon_ico(files, config)

    def _publish_logo(self, files: Files, config: MkDocsConfig) -> None:
        """``identity.logo`` through the photo pipeline (decoded, resized, no metadata): the
        header's logo and the favicon. Without one, or when it is unusable, the default look."""
        assert self.site is not None and self.network is not None
        unit = self.site.unit
        if not unit.identity.logo or config.theme.get("logo"):  # a site's own theme.logo wins
            return
        source = self.network.content_dir(unit.id) / unit.identity.logo
        display = f"content/{unit.id}/{unit.identity.logo}"
        if not source.is_file():
            outcome: pipeline.Outcome = warning(
                self.network.path.name, unit.line,
                f"không thấy tệp logo {display} của {unit.name}; trang dùng biểu tượng mặc định",
                "đặt tệp ảnh logo vào thư mục nội dung của đơn vị hoặc sửa 'logo:' trong identity")
        else:
            cache = pipeline.ImageCache(pipeline.cache_dir(self.network.root, self.config.image_cache))
            outcome = pipeline.process(pipeline.Job(source, display, pipeline.LOGO), cache)
        if not isinstance(outcome, pipeline.Processed):
            log.warning(outcome.render())
            self.site.diagnostics.append(dataclasses.replace(outcome, unit=unit.id))
            return
        urls = []
        for variant in outcome.of_format("png"):
            url = markup.public_url(outcome.key, "logo", variant.width, variant.extension)
            files.append(_generated_copy(config, url, url, variant.path))
            urls.append(url)
        config.theme["logo"] = urls[0]
        if config.theme.get("favicon") in (None, DEFAULT_FAVICON):
            config.theme["favicon"] = urls[-1]


    def _publish_favicon_ico(self, files: Files, config: MkDocsConfig) -> None:
        """``favicon.ico`` at the site's root, from the page's favicon (the unit's logo or the
        theme's), unless the site has its own: hosts otherwise log a 404 for every visitor."""
        if files.get_file_from_path("favicon.ico") is not None:
            return
        favicon = str(config.theme.get("favicon") or DEFAULT_FAVICON)
        source = files.get_file_from_path(favicon)
        if source is not None and source.abs_src_path:
            png: Path | None = Path(source.abs_src_path)
        else:
            png = next((Path(d) / favicon for d in config.theme.dirs if (Path(d) / favicon).is_file()), None)
        if png is None or png.suffix.lower() != ".png":
            return
        files.append(File.generated(config, "favicon.ico", content=pipeline.favicon_ico(png)))

    def _leave_out(self, files: Files, config: MkDocsConfig, judged: Judged) -> None:
        """Refused files and settings (YAML) are not copied; links to a refused file still resolve
        (an empty excluded file), and an image of it shows its alt text, like a broken photo."""
        refused = judged.of_kind(Kind.REFUSED)
        for file in list(files):
            uri = text.nfc(file.src_uri)
            if uri in refused:
                files.remove(file)
                placeholder = File.generated(config, uri, content=b"", inclusion=InclusionLevel.EXCLUDED)
                files.append(placeholder)
                self.photo_index[unquote(placeholder.url)] = None
            elif file.src_dir == config.docs_dir and _is_setting(file):
                files.remove(file)

    def _publish_photos(self, files: Files, config: MkDocsConfig, photos: set[str]) -> None:
        """Photos are served processed and stripped of metadata; originals are never copied."""
        assert self.site is not None and self.network is not None
        cache = pipeline.ImageCache(pipeline.cache_dir(self.network.root, self.config.image_cache))
        self.photo_plan = plan = plan_photos(self.site.posts, self.site.unit.id,
                                             Path(config.docs_dir), cache,
                                             page_images=_page_images(photos, config), photos=photos)
        for diagnostic in plan.diagnostics:  # printed by the CLI; logged for `mkdocs serve -v`
            log.info(diagnostic.render())
        self.site.diagnostics.extend(plan.diagnostics)
        for file in list(files):
            uri = text.nfc(file.src_uri)
            if uri not in plan.originals:
                continue
            published = plan.originals[uri]
            files.remove(file)  # replaced under its NFC name: posts link to it so (macOS writes NFD)
            if published is None:  # broken: links still resolve, nothing is copied
                broken = File.generated(config, uri, content=b"", inclusion=InclusionLevel.EXCLUDED)
                files.append(broken)
                self.photo_index[unquote(broken.url)] = None
                continue
            files.append(_generated_copy(config, uri, *published.main))
            self.photo_index[published.main[0]] = published.photo
            for url, path in published.extra:
                files.append(_generated_copy(config, url, url, path))
        for url, path in plan.og_files:
            files.append(_generated_copy(config, url, url, path))

    def _add_generated_pages(self, files: Files, config: MkDocsConfig) -> None:
        assert self.site is not None
        self.listings = self.site.archive.by_src_uri()
        for src_uri, listing in self.listings.items():
            if files.get_file_from_path(src_uri) is None:
                files.append(_generated(config, src_uri, f"# {escaping.text(listing.title)}\n",
                                        listed=listing.number == 1))
        for section in self.site.sections:
            if files.get_file_from_path(section.src_uri) is None:
                body = "" if not section.required else PLACEHOLDER
                files.append(_generated(config, section.src_uri, f"# {section.title}\n\n{body}",
                                        listed=True))
        if files.get_file_from_path(search.PAGE_SRC) is None:
            files.append(_generated(config, search.PAGE_SRC, f"# {search.PAGE_TITLE}\n", listed=False))

    def _add_network_pages(self, files: Files, config: MkDocsConfig) -> None:
        """Cross-posts and unit pages on a portal; announcements from above on a school."""
        assert self.site is not None and self.network is not None
        unit, public = self.site.unit, Path(config.site_dir).parent
        if not unit.aggregates:
            self.announcements = crosspost.announcements_for(self.network, unit, public)
            self.announcements_waiting = crosspost.waiting_announcements(self.network, unit,
                                                                         public)
            return
        self.portal = crosspost.portal_view(self.network, unit, Path(config.docs_dir))
        for diagnostic in self.portal.diagnostics:
            log.error(diagnostic.render())
        self.site.diagnostics.extend(self.portal.diagnostics)
        if (picks := files.get_file_from_path(crosspost.PICKS_FILE)) is not None:
            files.remove(picks)
        for src_uri, page in self.portal.pages().items():
            if files.get_file_from_path(src_uri) is None:  # a page an editor wrote wins
                self.network_pages[src_uri] = page
                files.append(_generated(config, src_uri, "", listed=False))
        self._publish_remote_pictures(files, config)

    def _publish_remote_pictures(self, files: Files, config: MkDocsConfig) -> None:
        """The pictures of other units' items, fetched when aggregating (aggregate/pictures.py),
        processed like the site's own photos and served from this site: never hotlinked."""
        assert self.portal is not None and self.network is not None and self.site is not None
        index = pictures.load_index(self.network)
        stored = {url: pictures.stored_file(self.network, url, index)
                  for url in _portal_picture_urls(self.portal)}
        cache = pipeline.ImageCache(pipeline.cache_dir(self.network.root, self.config.image_cache))
        published, problems = plan_remote_pictures(stored, cache)
        for diagnostic in problems:
            log.info(diagnostic.render())
            self.site.diagnostics.append(dataclasses.replace(diagnostic, unit=self.site.unit.id))
        self.remote_photos = {}
        for url, shown in published.items():
            self.remote_photos[url] = shown.photo if shown is not None else None
            for uri, path in (shown.main, *shown.extra) if shown is not None else ():
                if files.get_file_from_path(uri) is None:
                    files.append(_generated_copy(config, uri, uri, path))

    def _item_picture(self, context: Any, item: Any, cover: bool = False) -> Markup:
        """An item's picture as this site serves it (``tt_item_picture(item)``); for a
        cross-post whose picture could not be fetched, a placeholder; else nothing."""
        url = pictures.picture_url(item)
        if url is None or self.network is None:
            return Markup("")
        page = context.get("page")
        prefix = markup.root_prefix(page.url) if page is not None else ""
        photo = self.remote_photos.get(url)
        if photo is not None:
            return Markup(markup.picture(photo, prefix, "", markup.BODY_SIZES) if cover
                          else markup.thumbnail(photo, prefix))
        if self.portal is None or not self.portal.is_local(item):
            return Markup("")
        unit = self.network.units.get(item.unit)
        name = (unit.short_name or unit.name) if unit is not None else item.unit
        return Markup(markup.placeholder(initials(name), "tt-picture-placeholder--cover"
                                         if cover else ""))

    def _remote_body(self, context: Any, shown: crosspost.CrossPost) -> Markup:
        """A full repost's text with its pictures served by this site (``tt_remote_body``)."""
        page = context.get("page")
        prefix = markup.root_prefix(page.url) if page is not None else ""
        return Markup(markup.rewrite_remote(str(shown.body), prefix, self.remote_photos))

    @event_priority(-100)  # last: the workers fork with the navigation as every plugin left it
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        self._workers = self._workers_for(len(parallel.pages_of(files)))
        if self._workers > 1:
            self._convert_ahead(config, files)
        return nav

    def _workers_for(self, tasks: int) -> int:
        """How many forked workers share ``tasks`` out (1: this process does them)."""
        wanted = min(self.page_workers, tasks)
        return wanted if wanted > 1 and parallel.can_fork() else 1

    def _convert_ahead(self, config: MkDocsConfig, files: Files) -> None:
        """The pages' Markdown converted by forked workers into the render cache: MkDocs' own
        loop that follows finds each page converted (parallel.py)."""
        assert self.render_cache is not None
        store = self.render_cache.store
        store.before_fork()
        parts = parallel.convert_ahead(config, files, self._workers, partial(self._converted_in_worker, config))
        for markdown, memo in parts or []:
            store.take_ahead(markdown, memo)

    def _converted_in_worker(self, config: MkDocsConfig) -> Any:
        """In a worker, once its pages are converted: what ``on_post_build`` asks of its posts
        (the feeds' copies, the search words) computed there too, then everything it
        computed, for the parent's render cache."""
        assert self.site is not None and self.render_cache is not None
        site_url = self._feed_site_url(config)
        for post in self.site.posts:
            if post.src_uri in self.html_by_src:
                self._feed_body(post, site_url)
        for doc in self.search_docs:
            self._words(doc.title)
            self._words(doc.body)
        return self.render_cache.store.made_since_fork()

    def _render_ahead(self, config: MkDocsConfig, files: Files, env: Any) -> None:
        """Every page rendered and written by forked workers; their search documents, cache
        records and messages taken in page order, as the serial loop gives them (parallel.py)."""
        assert self.render_cache is not None and self._nav is not None
        pages = [f.page for f in parallel.pages_of(files) if f.page is not None]
        parallel.load_templates(env, {"main.html", "404.html", *(str(p.meta.get("template", "main.html"))
                                                                 for p in pages)})
        parts = parallel.render_ahead(config, files, self._nav, env, self._workers,
                                      lambda: len(self.search_docs), self._rendered_in_worker,
                                      lambda: self.page_classes)
        if parts is None:
            return
        rendered = {r.src_uri: r for done, _ in parts for r in done}
        for page in pages:
            found = rendered[page.file.src_uri]
            cache.replay(found.logged)
            docs, digest = found.kept
            self.search_docs.extend(docs)
            self.render_cache.written_elsewhere(page, digest)
        for _, classes in parts:
            self.page_classes |= classes
        self.built_elsewhere = set(rendered)
        parallel.skip_in_parent(env, pages)
        self._skipped_pages = parallel.SkippedPages(self.built_elsewhere)
        self._skipped_pages.install()

    def _rendered_in_worker(self, page: Page, first_doc: int) -> Any:
        """In a worker, once ``page`` is written: the search documents it added (from number
        ``first_doc`` on) and the digest of what it wrote."""
        assert self.render_cache is not None
        return self.search_docs[first_doc:], self.render_cache.store.page_digest(page.file.dest_uri)

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Pages are converted by one Markdown converter per build (markdown_pages), not one each."""
        self.page_converter.take_over(page)
        return page

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        post = self.posts_by_src.get(page.file.src_uri)
        if post is not None:
            return post.body
        if page.file.generated_by or page.file.abs_src_path is None:
            return None
        # Undecodable or broken front matter: reported by page_problems, never fatal for the site.
        return sources.page_text(Path(page.file.abs_src_path).read_bytes(), page.file.src_uri, PLACEHOLDER)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.site is not None
        post = self.posts_by_src.get(page.file.src_uri)
        if post is not None:
            # Escaped once here: Material writes the description into an attribute unescaped.
            page.meta.update(title=post.title, template="trangtin/post.html",
                             description=Markup.escape(post.excerpt))
        elif page.file.src_uri in self.listings:
            page.meta.setdefault("template", "trangtin/listing.html")
            page.meta.setdefault("hide", ["navigation", "toc"])  # the archive is in the page
        elif (section := self.site.section_by_src.get(page.file.src_uri)) is not None:
            page.meta.setdefault("template", section.template or "trangtin/section.html")
            page.meta.setdefault("title", section.title)
            page.meta.update(usable_registers(page.meta))
            if section.key == "home" or section.listing:  # no empty sidebars on a news page
                page.meta.setdefault("hide", ["navigation", "toc"])
        elif page.file.src_uri == search.PAGE_SRC:
            page.meta.setdefault("template", "trangtin/search.html")
        elif (shown := self.network_pages.get(page.file.src_uri)) is not None:
            page.meta.update(crosspost.page_meta(shown))
        if page.file.src_uri == REPORT_SRC and self.site.unit.aggregates:
            # The numbers come from other units' posts: they must be part of the page's key.
            from trangtin.report import export  # openpyxl and the report: for a portal only

            page.meta["tt_report"] = export.fingerprint(self._report_pages())
            page.meta.setdefault("hide", ["navigation", "toc"])  # wide tables need the room
        assert self.render_cache is not None
        return self.render_cache.before_render(markdown, page, config, files)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Posts go into the search index here, section pages once rendered (on_post_page)."""
        assert self.site is not None and self.render_cache is not None
        html = self._allow_listed(self.render_cache.after_render(html, page, files), page)
        post = self.posts_by_src.get(page.file.src_uri)
        html = markup.rewrite(html, page.url, self.photo_index, gallery=bool(post and post.gallery))
        if post is not None:
            self.html_by_src[post.src_uri] = html
            self.search_docs.append(search.SearchDoc(post.title, post.url, self._text(html),
                                                     post.excerpt, post.date.date().isoformat()))
        escaping.texts_for_templates(page, config.site_description or "")
        return html

    def _allow_listed(self, html: str, page: Page) -> str:
        """What the author wrote through the allow-list (the photos' own markup comes after).

        ``check`` and ``on_files`` already named each removal found in the Markdown; what
        cleaning removed beyond those is named here, so nothing disappears in silence.
        """
        assert self.render_cache is not None
        embeds = "\n".join(self.page_policy.embeds)
        cleaned = self.render_cache.memo(clean_page, html, embeds)
        source = self._source_of(page) if cleaned != html else None
        if source is not None:
            assert self.site is not None
            display, body, first_line = source
            for diagnostic in self.render_cache.memo(removals_unnamed, display, body, str(first_line), embeds,
                                                     html, cleaned):
                log.info(diagnostic.render())
                self.site.diagnostics.append(dataclasses.replace(diagnostic, unit=self.site.unit.id))
        return cleaned

    def _source_of(self, page: Page) -> tuple[str, str, int] | None:
        """(file as messages name it, Markdown body, line of its first line) of a page an author wrote."""
        assert self.network is not None and self.site is not None
        root = self.network.content_dir(self.site.unit.id)
        post = self.posts_by_src.get(page.file.src_uri)
        if post is not None:
            return display_path(root, post.source_path), post.body, post.body_line
        if page.file.generated_by or page.file.abs_src_path is None:
            return None
        path = Path(page.file.abs_src_path)
        source = sources.read_source(path, display_path(root, path))
        return source.display, source.body, source.body_line

    def _text(self, html: str) -> str:
        """A page's text for the search index, computed once per rendered HTML (cache.py)."""
        assert self.render_cache is not None
        return self.render_cache.memo(search.html_text, html)

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None and self.render_cache is not None
        self._forget_workers()
        self._take_content_warnings()
        if self._workers > 1:  # the feeds in a worker, the rest here (parallel.py)
            parallel.alongside(partial(self._write_feeds, config), partial(self._write_the_rest, config))
        else:
            self._write_feeds(config)
            self._write_the_rest(config)

    def _write_the_rest(self, config: MkDocsConfig) -> None:
        """The search index, the split stylesheet, a portal's downloads and the render cache."""
        assert self.site is not None and self.render_cache is not None
        unit = self.site.unit
        index = search.build_index(unit.id, unit.name, config.site_url or "", self.search_docs, self._words)
        # A portal is built after its units, into sibling folders: it searches them too.
        siblings = Path(config.site_dir).parent
        children = (search.read_index(siblings / c.id / search.INDEX_FILE) for c in self.site.children)
        search.write_index(Path(config.site_dir) / search.INDEX_FILE,
                           search.merge(index, (c for c in children if c is not None)))
        self._write_split_stylesheet(config)
        if unit.aggregates:
            from trangtin.report import export

            export.write_downloads(self._report_pages(), Path(config.site_dir) / "thong-ke")
        self.render_cache.save()

    def _take_content_warnings(self) -> None:
        """What MkDocs said about the content, as our diagnostics (mkdocs_log); its filter goes."""
        assert self.site is not None
        if self.content_warnings is None:
            return
        self.content_warnings.remove()
        for diagnostic in self.content_warnings.diagnostics:
            log.info(diagnostic.render())
            self.site.diagnostics.append(diagnostic)
        self.content_warnings = None

    def _forget_workers(self) -> None:
        self.built_elsewhere = set()
        if self._skipped_pages is not None:
            self._skipped_pages.remove()
            self._skipped_pages = None

    def on_build_error(self, error: Exception) -> None:
        self._forget_workers()
        if self.content_warnings is not None:
            self.content_warnings.remove()
            self.content_warnings = None

    def _write_feeds(self, config: MkDocsConfig) -> None:
        """feed.xml and feed.json (with their archives): the site's posts and cross-posts."""
        assert self.site is not None and self.network is not None
        assert self.render_cache is not None
        unit = self.site.unit
        site_url = self._feed_site_url(config)
        entries = []
        for post in self.site.posts:
            image = self._og_image(post, site_url)
            body = self._feed_body(post, site_url)
            item = item_from_post(post, unit, site_url, body, image.url if image else None)
            entries.append(writer.Entry(item, item.url))
        if self.portal is not None:
            entries += crosspost.feed_entries(self.portal, self.network_pages, site_url)
        info = writer.FeedInfo(unit.id, unit.name, site_url, escaping.plain(config.site_description))
        writer.write(Path(config.site_dir), writer.render_feeds(entries, info))

    def _feed_site_url(self, config: MkDocsConfig) -> str:
        assert self.site is not None and self.network is not None
        return config.site_url or site_url_of(self.network, self.site.unit)

    def _feed_body(self, post: Post, site_url: str) -> str:
        """A post's text as the feeds carry it (their own allow-list, absolute links)."""
        assert self.render_cache is not None
        return self.render_cache.memo(clean_html, self.html_by_src.get(post.src_uri, ""),
                                      urljoin(site_url, post.url))

    def _words(self, value: str) -> list[str]:
        """The folded words of a text, for the search index, computed once per text (cache.py)."""
        assert self.render_cache is not None
        return self.render_cache.memo(search.words_line, value).split()

    @event_priority(-100)  # last: the workers fork with the environment every plugin made
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        self.page_converter.pre_converted.clear()  # every page is converted by now
        # Our templates escape every value that is not Markup; Material's print values raw.
        env.autoescape = escaping.autoescape_for(escaping.own_templates(config.theme.custom_dir))
        # One environment per build (serve makes a new one when a template changes): Jinja would
        # otherwise look at each template file's time at every include, ~20 times a page.
        env.auto_reload = False
        env.globals["tt"] = self.site
        env.filters["tt_date"] = dates.vietnamese_date
        env.filters["tt_short_date"] = dates.short_date
        env.filters["tt_slug"] = text.slugify
        env.filters["tt_link"] = escaping.safe_link
        env.filters["tt_tag_url"] = tag_url
        env.filters["tt_document_type"] = registers.document_type
        env.filters["tt_file"] = pass_context(
            lambda context, link: self._file_info(context, link, Path(config.docs_dir)))
        env.globals["tt_cover"] = pass_context(lambda context, post: self._cover_html(context, post))
        env.globals["tt_banner"] = pass_context(lambda context: self._banner_html(context))
        env.globals["tt_featured"] = pass_context(
            lambda context, post: self._cover_html(context, post, markup.featured))
        self._share_fragments(env, config)
        env.globals["tt_og_image"] = lambda post: self._og_image(post, config.site_url)
        env.globals["tt_portal"] = self.portal
        env.globals["tt_item_picture"] = pass_context(
            lambda context, item, cover=False: self._item_picture(context, item, cover))
        env.globals["tt_remote_body"] = pass_context(
            lambda context, shown: self._remote_body(context, shown))
        # Data, not a function: the pages' cache keys change when a picture arrives or goes.
        env.globals["tt_remote_pictures"] = {url: photo.large.url if photo else None
                                             for url, photo in sorted(self.remote_photos.items())}
        env.globals["tt_announcements"] = self.announcements
        assert self.render_cache is not None and self.site is not None and self.network
        self.render_cache.plan(env, config, files, cache.site_inputs(
            self.network.path, Path(config.docs_dir), POSTS_DIR,
            [*self.site.posts, *self.site.hidden], self.site.now.date(), env.globals))
        if self._workers > 1:
            self._render_ahead(config, files, env)
        return env

    def _share_fragments(self, env: Any, config: MkDocsConfig) -> None:
        """What the templates render once per build and reuse (fragments.py): post cards,
        the archive sidebar, and parts of Material's page (``tt_shared``)."""
        # Post cards and the archive sidebar: rendered once, reused on every listing page.
        self.fragments = fragments.Fragments()
        env.globals["tt_card"] = pass_context(
            lambda context, macro, post, heading: self._card(context, macro, post, heading))
        env.globals["tt_archive_nav"] = pass_context(
            lambda context, macro: self._archive_nav(context, macro))
        # Parts of Material's page rendered once per shape (partials/nav.html, tabs.html,
        # header.html; the config and footer blocks of main.html).
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader(
            {ORIGINALS: jinja2.FileSystemLoader(_theme_dirs_without_overrides(config))})])
        env.globals["tt_shared"] = pass_context(
            lambda context, part, render: self._shared(context, part, render))
        env.globals["tt_title_slot"] = Markup(TITLE_SLOT)
        env.globals["tt_with_title"] = lambda html, title: Markup(str(html).replace(TITLE_SLOT,
                                                                                    Markup.escape(title)))

    def _file_info(self, context: Any, link: object, docs_dir: Path) -> registers.FileInfo | None:
        """A register's file (``tep | tt_file``): its type and size, read beside the page."""
        page = context.get("page")
        source = page.file.abs_src_path if page is not None else None
        if source is None:
            return None
        return registers.file_info(Path(source).parent, docs_dir, escaping.safe_link(link))

    def _cover_html(self, context: Any, post: Post,
                    shape: Callable[[markup.Photo, str], str] = markup.thumbnail) -> Markup:
        """A post card's thumbnail (``tt_cover(post)`` in templates), or nothing."""
        photo = self.photo_plan.cover_of(post)
        page = context.get("page")
        prefix = markup.root_prefix(page.url) if page is not None else ""
        return Markup(shape(photo, prefix)) if photo else Markup("")

    def _banner_html(self, context: Any) -> Markup:
        """``identity.banner`` as the photo pipeline published it (``tt_banner()``), or nothing."""
        assert self.site is not None
        published = self.photo_plan.originals.get(text.nfc(self.site.identity.banner))
        if not self.site.identity.banner or published is None:
            return Markup("")
        page = context.get("page")
        prefix = markup.root_prefix(page.url) if page is not None else ""
        return Markup(markup.picture(published.photo, prefix, "", "100vw", ' class="tt-banner__image"',
                                     lazy=False))

    def _card(self, context: Any, macro: Any, post: Post, heading: str) -> Any:
        """``macro(post, heading)`` (a post card), rendered once per post and link shape."""
        page = context.get("page")
        if page is None:
            return macro(post, heading)
        # Every link of the card (the post, its tags) must come out the same on the pages
        # that share it, whichever of them renders it first.
        links = self.fragments.link_key(("card", id(post)), page.url, lambda: [
            post.url, *filter(None, (tag_url(tag) for tag in post.tags))])
        key = ("card", post, heading, links, markup.root_prefix(page.url))
        return self.fragments.once(key, macro, post, heading)

    def _archive_nav(self, context: Any, macro: Any) -> Any:
        """``macro()`` (the archive sidebar), rendered once per shape of the page's URL."""
        page = context.get("page")
        archive = context["tt"].archive
        if page is None:
            return macro()
        key = self.fragments.link_key(("archive", id(archive)), page.url, lambda: [
            url for group in (archive.categories, archive.teams, archive.months)
            for _, url, _ in group])
        return self.fragments.once(key, macro)

    def _shared(self, context: Any, part: str, render: Callable[[], Any]) -> Markup:
        """``render()`` (a part of Material's page), once per build for each shape it takes."""
        key = self._shape_of(context, part)
        found = self.fragments.get(key)
        return found if found is not None else self.fragments.keep(key, Markup(render()))

    def _shape_of(self, context: Any, part: str) -> Any:
        """What a shared part depends on of the page (None: render it for this page alone).

        The settings script (``config``) and the footer depend on the page's depth alone, unless
        the footer links the previous and next pages (``navigation.footer``); the navigation,
        tabs and header on which entries are active (the page's own entry holds its table of
        contents) and where their links point from the page (the header's title is put in
        afterwards, ``tt_with_title``)."""
        page, nav, config = context.get("page"), context.get("nav"), context.get("config")
        if page is None or config is None:
            return None
        if part in ("config", "footer"):
            follows_pages = "navigation.footer" in (config.theme.get("features") or [])
            return None if part == "footer" and follows_pages else (part, context.get("base_url"))
        if nav is None:
            return None
        items = _nav_items(nav.items)
        active = tuple(n for n, item in enumerate(items) if getattr(item, "active", False))
        links = self.fragments.link_key(("nav", id(nav)), page.url, lambda: [
            url for url in (*(str(getattr(item, "url", None) or "") for item in items),
                            nav.homepage.url if nav.homepage else "", str(config.theme.get("logo") or ""),
                            search.PAGE_URL)
            if _relative_to_the_page(url)])
        return (part, id(nav), active, links)

    def _og_image(self, post: Post | None, site_url: str | None) -> markup.Source | None:
        """The post's Open Graph image with an absolute URL, when the site has an address."""
        source = self.photo_plan.og_image_of(post) if post is not None else None
        if source is None or not site_url:
            return None
        return markup.Source(urljoin(site_url, source.url), source.width, source.height, "jpeg")

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if page.file.src_uri in self.built_elsewhere:
            return context
        context["tt_post"] = self.posts_by_src.get(page.file.src_uri)  # type: ignore[typeddict-unknown-key]
        context["tt_listing"] = self.listings.get(page.file.src_uri)  # type: ignore[typeddict-unknown-key]
        context["tt_shown"] = self.network_pages.get(page.file.src_uri)  # type: ignore[typeddict-unknown-key]
        if page.file.src_uri == REPORT_SRC:
            context["tt_report"] = self.report_pages  # type: ignore[typeddict-unknown-key]
        escaping.body_for_templates(page)
        assert self.render_cache is not None
        self.render_cache.context(context, page)
        return context

    def _report_pages(self) -> list[export.Page]:
        """The portal's report, counted once per build from every unit below it."""
        assert self.site is not None and self.network is not None
        if self.report_pages is None:
            from trangtin.report import export

            self.report_pages = export.portal_pages(self.network, self.site.unit.id,
                                                     self.site.now)
        return self.report_pages

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        assert self.render_cache is not None and self.site is not None
        if page.file.src_uri in self.built_elsewhere:
            return ""  # a worker wrote it (parallel.py); MkDocs writes no empty page
        section = self.site.section_by_src.get(page.file.src_uri)
        if section is not None and not section.listing and section.key != "home":
            # Section pages are indexed whole: their registers and tables come from templates.
            self.search_docs.append(search.SearchDoc(escaping.plain(page.title) or section.title,
                                                     section.url,
                                                     search.article_text(output)))
        return self.render_cache.written(self._first_paint(output), page)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return self._first_paint(output_content)  # 404.html

    def _first_paint(self, html: str) -> str:
        self.page_classes |= first_paint.class_names(html)
        return first_paint.load_after_the_page(html, self.split_tag)

    def _write_split_stylesheet(self, config: MkDocsConfig) -> None:
        """Material's stylesheet in the two parts the pages name (first_paint), split by the
        class names every page of this build carries; the whole file stays for anything else."""
        assert self.split_tag is not None
        folder = Path(config.site_dir) / first_paint.FOLDER
        for whole in folder.glob("main.*.min.css"):
            if not first_paint.MATERIAL_FILE.fullmatch(whole.name):
                continue
            parts = first_paint.split_once(whole.read_text(encoding="utf-8"), frozenset(self.page_classes))
            names = first_paint.split_names(whole.name.removesuffix(".css"), self.split_tag)
            for name, part in zip(names, parts, strict=True):
                target = folder / name
                if not target.is_file() or target.read_text(encoding="utf-8") != part:
                    target.write_text(part, encoding="utf-8")


def _read_by_converting(converter: markdown_pages.PageConverter, config: MkDocsConfig,
                        body: str) -> ParsedBody | None:
    """A body's links, read from its conversion into the HTML of its page (kept by ``converter``):
    the Markdown MkDocs will hand the page's converter (``Page.read_source``) is converted."""
    markdown = mkdocs_meta.get_data(body)[0]
    if markdown != body.lstrip("\n"):  # MkDocs took lines for metadata: the reader reads them all
        return None
    reading: list[TreeReading] = []
    md = converter.pre_convert(config, markdown, lambda root: reading.append(TreeReading(root)))
    return reading[0].parsed(md, body) if md is not None and reading else None


def _read_with_card_texts(read: ReadPost, path: Path) -> tuple[Post | None, list[Any]]:
    """A post read, its excerpt and reading time computed (they travel with it from a worker)."""
    post, found = read(path)
    if post is not None:
        _ = post.excerpt, post.reading_minutes
    return post, found


def _theme_dirs_without_overrides(config: MkDocsConfig) -> list[str]:
    custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    return [d for d in config.theme.dirs if Path(d).resolve() != custom]


def _relative_to_the_page(url: str) -> bool:
    """Whether MkDocs' ``url`` filter makes ``url`` relative to the page. The site's root
    ("") comes out by the page's depth alone, which every fragment key holds; an address
    with a scheme, a leading "/" or "#" comes out as it is."""
    return bool(url) and not url.startswith(("/", "#")) and not urlsplit(url).scheme


def _nav_items(items: list[Any]) -> list[Any]:
    """Every entry of the navigation, sections' children included, in order."""
    found = []
    for item in items:
        found.append(item)
        found += _nav_items(getattr(item, "children", None) or [])
    return found


def _portal_picture_urls(portal: crosspost.PortalView) -> list[str]:
    """Every picture a portal's pages may show: each cross-post's (all of a full repost's)
    and the items of the units' pages."""
    found: dict[str | None, None] = {}
    for shown in portal.crossposts:
        found.update(dict.fromkeys(pictures.body_images(shown.item) if shown.full else []))
        found[pictures.picture_url(shown.item)] = None
    for page in portal.unit_pages:
        found.update(dict.fromkeys(pictures.picture_url(i) for i in page.items))
    return [url for url in found if url]


def clean_page(html: str, embeds: str) -> str:
    """:meth:`PagePolicy.clean` as a function of strings, so the render cache keeps its result."""
    cleaned = _policy_of(embeds).clean(html)
    return html if cleaned == html else cleaned  # one string kept, not two equal ones


def removals_unnamed(display: str, body: str, first_line: str, embeds: str, rendered: str,
                     cleaned: str) -> list[Diagnostic]:
    """:func:`unlisted_removals` as a function of strings: computed once per page, by the
    worker that converted it (two passes of an HTML parser over the page)."""
    return unlisted_removals(display, body, int(first_line), _policy_of(embeds), rendered, cleaned)


def _policy_of(embeds: str) -> PagePolicy:
    """The page allow-list whose embeds are ``embeds``, one per line (memo keys are strings)."""
    return PagePolicy(tuple(embeds.split("\n")) if embeds else ())


def _page_images(photos: set[str], config: MkDocsConfig) -> list[str]:
    """Photos of the site's folder outside posts/ (the theme's logo and favicon stay as they are)."""
    kept = {config.theme.get("logo"), config.theme.get("favicon")}
    return sorted(uri for uri in photos if not uri.startswith(POSTS_DIR + "/") and uri not in kept)


def _loose_files(files: Files, config: MkDocsConfig) -> list[str]:
    """Files of the site's folder outside posts/ that MkDocs would copy as they are."""
    return [text.nfc(f.src_uri) for f in files
            if f.src_dir == config.docs_dir and not f.src_uri.startswith(POSTS_DIR + "/")
            and not f.is_documentation_page() and not f.inclusion.is_excluded()
            and is_published_file(PurePosixPath(f.src_uri))]


def _is_setting(file: File) -> bool:
    """A YAML file of the content folder (``highlights.yml``): read by the build, never published."""
    return PurePosixPath(file.src_uri).suffix.lower() in (".yml", ".yaml")


def _rename_to_nfc(files: Files, file: File, config: MkDocsConfig) -> None:
    """An attachment saved with an NFD name (macOS) is published under the NFC name posts use."""
    files.remove(file)
    files.append(File.generated(config, text.nfc(file.src_uri), abs_src_path=str(file.abs_src_path)))


def _generated_copy(config: MkDocsConfig, src_uri: str, dest_uri: str, path: Path) -> File:
    """A file served from the image cache (``dest_uri`` may differ from ``src_uri``)."""
    file = File.generated(config, src_uri, abs_src_path=str(path))
    file.dest_uri = dest_uri
    return file


def _generated(config: MkDocsConfig, src_uri: str, content: str, listed: bool) -> File:
    inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
    return File.generated(config, src_uri, content=content, inclusion=inclusion)
