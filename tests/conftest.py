"""Shared fixtures: a copy of the sample network in a temporary folder, built for real."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from trangtin.cli.main import main

REPO = Path(__file__).resolve().parent.parent
NETWORK_PARTS = ("network.yml", "mkdocs.yml", "sites", "content", "shared_theme")


def copy_network(target: Path) -> Path:
    """Copy the sample network (not its built output or caches) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in NETWORK_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@contextlib.contextmanager
def demo_remote(root: Path) -> Iterator[int]:
    """Serve the demo remote school (scripts/demo_remote) on a free port and point the copy's
    network.yml at it (the fixed demo port may be busy on a shared machine)."""
    spec = importlib.util.spec_from_file_location("demo_remote_serve",
                                                  REPO / "scripts" / "demo_remote" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with module.serving(0) as port:
        network_file = root / "network.yml"
        network_file.write_text(network_file.read_text(encoding="utf-8").replace(
            "127.0.0.1:8765", f"127.0.0.1:{port}"), encoding="utf-8")
        yield port


@pytest.fixture()
def network_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample network (for tests that change it)."""
    return copy_network(tmp_path / "network")


@pytest.fixture(scope="session")
def built_network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network built once per test session with ``trangtin build``."""
    root = copy_network(tmp_path_factory.mktemp("built") / "network")
    with demo_remote(root):
        code = main(["--root", str(root), "build", "--jobs", "2"])
    assert code == 0, "the sample network must build"
    return root


@contextlib.contextmanager
def loopback_server() -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 (a slow feed must not hold up the others)."""
    httpserver = HTTPServer(host="127.0.0.1", threaded=True)
    httpserver.start()
    try:
        yield httpserver
    finally:
        httpserver.clear()
        httpserver.stop()


@pytest.fixture()
def server() -> Iterator[HTTPServer]:
    with loopback_server() as httpserver:
        yield httpserver


LATE_LOADER = re.compile(r'addEventListener\("load",function\(\)\{var c=(null|"[^"<>]*"),s=(\[[^\]<>]*\]),i=0;')


def late_loaded(script_text: str) -> tuple[str | None, list[str]] | None:
    """What the inline late loader (site/first_paint.py) fetches once the page has loaded: the
    later stylesheet and the scripts, in order; None for any other script."""
    loader = LATE_LOADER.match(script_text.strip())
    return None if loader is None else (json.loads(loader.group(1)), json.loads(loader.group(2)))


def loaded_scripts(tree) -> list[str]:  # noqa: ANN001 - an lxml element
    """Every script a built page loads: its ``<script src>`` and those the late loader fetches."""
    found = [s.get("src") for s in tree.iter("script") if s.get("src")]
    for script in tree.iter("script"):
        if (loaded := late_loaded(script.text or "")) is not None:
            found += loaded[1]
    return found
