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
from collections.abc import Iterable
from dataclasses import dataclass
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
    pairs = []
    for path in sorted(changed):
        old = by_path.get(path)
        if old is None or not Path(path).is_file():
            return None
        new, problems = read_post_safely(Path(path), root, plugin.network, site.unit, site.now, links)
        if new is None or problems or not _shows_the_same(old, new):
            return None
        pairs.append((old, new))
    links.save()
    return pairs


def _same_day(last: LastBuild) -> bool:
    """No new day and no scheduled post or announcement due since the build (what it shows
    depends on them)."""
    plugin = last.plugin
    site = plugin.site
    now = dates.now(plugin.network.timezone)
    due = [p.date for p in site.hidden] + list(plugin.announcements_waiting)
    return now.timestamp() < cache.valid_until(site.now, due)


def _shows_the_same(old: Post, new: Post) -> bool:
    """Everything other pages, listings and feeds show of a post is unchanged (its text aside)."""
    skip = {"body", "source_path"}
    return cache.object_digest(old, skip=skip) == cache.object_digest(new, skip=skip)


def render_posts_again(last: LastBuild, pairs: list[tuple[Post, Post]]) -> None:
    """Each post's page rendered again with its new text; the search index and feeds rewritten."""
    config, plugin = last.config, last.plugin
    inclusion = InclusionLevel.is_in_serve
    doc_files = last.files.documentation_pages(inclusion=inclusion)
    for old, new in pairs:
        for name in (f.name for f in dataclasses.fields(Post)):
            setattr(old, name, getattr(new, name))  # listings and the model hold this object
        file = last.files.get_file_from_path(old.src_uri)
        assert file is not None and file.page is not None
        place = _search_doc_index(plugin, old.url)
        _populate_page(file.page, config, last.files)
        plugin.search_docs.insert(place, plugin.search_docs.pop())  # where a full build puts it
        _build_page(file.page, config, doc_files, last.nav, last.env)
        file.page.validate_anchor_links(files=last.files, log_level=config.validation.links.anchors)
    plugin.on_post_build(config)  # the search index and the feeds, from what the plugin holds


def _search_doc_index(plugin: Any, url: str) -> int:
    """Where the post's search document is, taken out for the new one."""
    for index, doc in enumerate(plugin.search_docs):
        if doc.url == url:
            del plugin.search_docs[index]
            return index
    return len(plugin.search_docs)


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
        except Exception:  # noqa: BLE001 - a full build then says what is wrong, as before
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
