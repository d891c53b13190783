"""``trangtin serve``: a saved post shown in about a second.

MkDocs' own ``serve`` builds the whole site again after every save. Here the last build's
MkDocs objects (configuration, files, navigation, Jinja environment, the plugin with its
site model, search documents and rendered posts) stay in memory, and a save that changes
nothing but the text of already published posts re-renders only those posts' pages, then
writes the search index and the feeds again from what the plugin holds. Anything else — a
new, moved or deleted file, a changed front matter or anything another page shows of the
post (title, date, categories, excerpt, reading time, its links and images), a page that is
not a post, ``mkdocs.yml``, ``network.yml``, the theme, a new day or a scheduled post
coming due — is a full build, as before.

This module is the one that relies on MkDocs' build steps (``_populate_page``,
``_build_page``) and on its live-reload server; ``tests/unit/test_live.py`` fails loudly if
MkDocs changes them.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from trangtin.common import dates
from trangtin.content.posts import Post, read_post_safely
from trangtin.site import cache
from trangtin.site.mkdocs_log import ContentWarnings

log = logging.getLogger("mkdocs.commands.serve")

Snapshot = dict[str, tuple[int, int]]  # path -> (size, modification time in ns)


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Size and modification time of every file under ``paths`` (files or folders)."""
    found: Snapshot = {}
    for path in paths:
        if path.is_file():
            stat = path.stat()
            found[str(path)] = (stat.st_size, stat.st_mtime_ns)
            continue
        for folder, _dirs, names in os.walk(path):
            for name in names:
                full = os.path.join(folder, name)
                try:
                    stat = os.stat(full)
                except OSError:
                    continue
                found[full] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed_paths(before: Snapshot, after: Snapshot) -> set[str]:
    """Files added, removed or modified between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class Recorder(BasePlugin):  # type: ignore[type-arg]
    """Keeps what a build hands its plugins last: the files, the navigation, the environment."""

    def __init__(self) -> None:
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Any = None

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.env, self.files = env, files
        return env


@dataclass
class LastBuild:
    """A full build's MkDocs objects, kept for the next save."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    plugin: Any  # the TrangtinPlugin instance of that build

    @property
    def posts_by_path(self) -> dict[str, Post]:
        return {str(p.source_path): p for p in self.plugin.posts_by_src.values()}


def full_build(config: MkDocsConfig, serve_url: str | None) -> LastBuild | None:
    """MkDocs' build, remembering its objects (None when the site has no trangtin plugin)."""
    recorder = Recorder()
    config.plugins["trangtin-live"] = recorder
    build(config, serve_url=serve_url)
    plugin = config.plugins.get("trangtin")
    if plugin is None or recorder.files is None or recorder.nav is None:
        return None
    return LastBuild(config, recorder.files, recorder.nav, recorder.env, plugin)


def only_post_texts(last: LastBuild, changed: set[str]) -> list[tuple[Post, Post]] | None:
    """(post as built, post as saved) for each changed file when every change is a published
    post's text that no other page shows; None when a full build is needed."""
    plugin = last.plugin
    site = plugin.site
    if not changed or site is None or site.unit.aggregates or not _same_day(last):
        return None
    by_path = last.posts_by_path
    root = plugin.network.content_dir(site.unit.id)
    links = plugin._link_reader(last.config)
    pairs, warnings = [], []
    for path in sorted(changed):
        old = by_path.get(path)
        if old is None or not Path(path).is_file():
            return None
        new, problems = read_post_safely(Path(path), root, plugin.network, site.unit, site.now, links)
        if new is None or any(p.is_error for p in problems) or not _shows_the_same(old, new):
            return None
        pairs.append((old, new))
        warnings += problems
    links.save()
    for warning in warnings:  # a post with a warning is published as written: named, as a build does
        logging.getLogger("trangtin").info(dataclasses.replace(warning, unit=site.unit.id).render())
    return pairs


def _same_day(last: LastBuild) -> bool:
    """No new day and no scheduled post or announcement due since the build (what it shows
    depends on them)."""
    plugin = last.plugin
    site = plugin.site
    now = dates.now(plugin.network.timezone)
    due = [p.date for p in site.hidden] + list(plugin.announcements_waiting)
    return now.timestamp() < cache.valid_until(site.now, due)


# What other pages show of a post besides its title, date, categories and the like: its card
# on the listings and the home page (excerpt, reading time). The lines of its links and images
# only place messages. Post pages show other posts by title and date only (related posts).
CARD = ("excerpt", "reading_minutes")
PLACES = ("body_line", "asset_lines", "post_links")


def _shows_the_same(old: Post, new: Post) -> bool:
    """What other pages and the feeds show of a post is unchanged, its text and card aside."""
    skip = {"body", "source_path", *CARD, *PLACES}
    return (cache.object_digest(old, skip=skip) == cache.object_digest(new, skip=skip)
            and _link_targets(old) == _link_targets(new) and old.assets == new.assets)


def _link_targets(post: Post) -> list[tuple[str, str]]:
    return [(target, src_uri) for _line, target, src_uri in post.post_links]


def _card_changed(old: Post, new: Post) -> bool:
    return any(getattr(old, name) != getattr(new, name) for name in CARD)


def render_posts_again(last: LastBuild, pairs: list[tuple[Post, Post]]) -> None:
    """Each post's page rendered again with its new text, and the pages that show its card
    when that changed; the search index and feeds rewritten."""
    config, plugin = last.config, last.plugin
    doc_files = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    _hear_content_warnings(plugin)
    cards = [old for old, new in pairs if _card_changed(old, new)]
    pages = []
    for old, new in pairs:
        for name in (f.name for f in dataclasses.fields(Post)):
            setattr(old, name, getattr(new, name))  # listings and the model hold this object
        file = last.files.get_file_from_path(old.src_uri)
        assert file is not None and file.page is not None
        _in_place(plugin.search_docs, partial(_populate_page, file.page, config, last.files))
        pages.append(file.page)
    if cards:
        for post in cards:
            plugin.fragments.forget(post)  # its cards, rendered with the old text
        pages += _pages_showing_cards(plugin, doc_files, cards)
    for page in pages:
        _in_place(plugin.search_docs,
                  partial(_build_page, page, config, doc_files, last.nav, last.env))
        page.validate_anchor_links(files=last.files, log_level=config.validation.links.anchors)
    plugin.on_post_build(config)  # the search index and the feeds, from what the plugin holds


def _hear_content_warnings(plugin: Any) -> None:
    """What MkDocs says about the pages rendered again becomes our diagnostics, as in a full
    build (``on_post_build`` names them and removes the filter; ``on_build_error`` removes it)."""
    warnings = ContentWarnings(plugin.site.unit.id, plugin._place)
    warnings.already_reported = list(plugin.site.diagnostics)
    plugin.content_warnings = warnings
    warnings.install()


def _pages_showing_cards(plugin: Any, doc_files: Iterable[Any], posts: list[Post]) -> list[Any]:
    """Every page but the post pages and the listings that hold none of ``posts``: the
    listings that hold them, the home page and the other section pages."""
    shown = {id(post) for post in posts}
    found = []
    for file in doc_files:
        if file.src_uri in plugin.posts_by_src or file.page is None:
            continue
        listing = plugin.listings.get(file.src_uri)
        if listing is None or any(id(post) in shown for post in listing.posts):
            found.append(file.page)
    return found


def _in_place(docs: list[Any], render: Callable[[], None]) -> None:
    """``render()``, with any search document it adds put where the page's previous one was
    (the order a full build gives)."""
    before = len(docs)
    render()
    added = docs[before:]
    del docs[before:]
    for doc in added:
        place = next((n for n, old in enumerate(docs) if old.url == doc.url), None)
        if place is None:
            docs.append(doc)
        else:
            docs[place] = doc


class LiveSite:
    """The builder ``serve`` calls after each save."""

    def __init__(self, config_file: str, site_dir: str, watched: list[Path]) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.watched = watched
        self.serve_url: str | None = None
        self.last: LastBuild | None = None
        self.seen: Snapshot = {}
        self.last_rebuild = ""  # "posts" (only changed posts' pages) or "site" (a full build)

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=self.config_file, site_dir=self.site_dir)
        if self.serve_url is not None:
            config.site_url = self.serve_url
        return config

    def __call__(self, config: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        now_seen = snapshot(self.watched)
        changed, self.seen = changed_paths(self.seen, now_seen), now_seen
        fast = self.last is not None and config is None
        if fast and self.posts_rendered_again(self.last, changed):
            self.last_rebuild = "posts"
            return
        self.last_rebuild = "site"
        self.last = None  # a failed build must not leave a half-updated model to build on
        self.last = full_build(config or self.config(), self.serve_url)

    def posts_rendered_again(self, last: LastBuild | None, changed: set[str]) -> bool:
        """True when the change was only posts' texts and their pages are written again."""
        assert last is not None
        try:
            pairs = only_post_texts(last, changed)
            if pairs is not None:
                render_posts_again(last, pairs)
        except Exception as error:  # noqa: BLE001 - a full build then says what is wrong, as before
            last.plugin.on_build_error(error)
            log.debug("Fast rebuild failed, building the whole site", exc_info=True)
            return False
        return pairs is not None


def serve(config_file: str, dev_addr: str, watch: list[str]) -> None:
    """MkDocs' ``serve`` (live reload, a temporary folder) with :class:`LiveSite` as builder."""
    site_dir = tempfile.mkdtemp(prefix="trangtin_")
    try:
        config = load_config(config_file=config_file, site_dir=site_dir, dev_addr=dev_addr)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        watched = [Path(config.docs_dir), Path(config.config_file_path),
                   *map(Path, [*watch, *config.watch])]
        builder = LiveSite(config_file, site_dir, watched)
        config.site_url = builder.serve_url = _serve_url(host, port, mount_path)
        server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir,
                                  mount_path=mount_path)
        server.error_handler = lambda code: _error_page(site_dir, code)
        builder(config)
        for path in watched:
            server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
