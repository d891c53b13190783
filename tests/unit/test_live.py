"""The serve fast path (site/live.py): what it needs of MkDocs' internals, and how it sees a save.

site/live.py calls MkDocs' private build steps and its live-reload server the way MkDocs'
own ``serve`` does; these checks fail loudly when an MkDocs release changes them.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.plugins import PluginCollection
from mkdocs.structure.pages import Page

from trangtin.site.live import Recorder, changed_paths, snapshot


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_mkdocs_build_steps_are_as_the_fast_path_calls_them() -> None:
    assert parameters(mkdocs_build._populate_page)[:4] == ["page", "config", "files", "dirty"]
    assert parameters(mkdocs_build._build_page)[:5] == ["page", "config", "doc_files", "nav", "env"]
    assert parameters(Page.validate_anchor_links) == ["self", "files", "log_level"]
    source = inspect.getsource(mkdocs_build.build)
    # A full build runs these after the pages, in this order; the fast path does the same for one.
    order = ["_populate_page(", "on_env(", "_build_page(", "validate_anchor_links(", "on_post_build("]
    places = [source.index(step) for step in order]
    assert places == sorted(places)


def test_mkdocs_live_reload_server_is_as_serve_uses_it() -> None:
    assert {"builder", "host", "port", "root", "mount_path"} <= set(parameters(LiveReloadServer))
    server_source = inspect.getsource(LiveReloadServer)
    assert "self.builder()" in server_source, "rebuilds call the builder without arguments"
    assert "error_handler" in server_source
    assert _serve_url("127.0.0.1", 8000, "/") == "http://127.0.0.1:8000/"


def test_a_recorder_added_to_the_plugins_hears_the_build() -> None:
    plugins = PluginCollection()
    recorder = Recorder()
    plugins["trangtin-live"] = recorder
    assert plugins.run_event("env", "environment", config=None, files="files") == "environment"
    assert recorder.env == "environment" and recorder.files == "files"
    plugins.run_event("nav", "navigation", config=None, files="files")
    assert recorder.nav == "navigation"


def test_a_save_is_seen_as_the_files_it_touched(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    kept, edited, removed = (tmp_path / "posts" / name for name in ("a.md", "b.md", "c.md"))
    for path in (kept, edited, removed):
        path.write_text("một", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x", encoding="utf-8")
    before = snapshot([tmp_path / "posts", config])
    edited.write_text("một hai", encoding="utf-8")
    removed.unlink()
    added = tmp_path / "posts" / "d.md"
    added.write_text("ba", encoding="utf-8")
    after = snapshot([tmp_path / "posts", config])
    assert changed_paths(before, after) == {str(edited), str(removed), str(added)}
    assert changed_paths(after, snapshot([tmp_path / "posts", config])) == set()
