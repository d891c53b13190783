"""Shared fixtures: a copy of the sample network in a temporary folder, built for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trangtin.cli import main

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


@pytest.fixture()
def network_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample network (for tests that change it)."""
    return copy_network(tmp_path / "network")


@pytest.fixture(scope="session")
def built_network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network built once per test session with ``trangtin build``."""
    root = copy_network(tmp_path_factory.mktemp("built") / "network")
    code = main(["--root", str(root), "build", "--jobs", "2"])
    assert code == 0, "the sample network must build"
    return root
