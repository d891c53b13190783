"""Fragments rendered once and reused (site/fragments.py: post cards, the archive sidebar,
Material's navigation, tabs, header, settings script and footer) give byte for byte the pages that
render each in place."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from trangtin.site import fragments
from trangtin.site.build import build_site

SCHOOL = "thcs-an-binh"


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold(root: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    outcome = build_site(root, SCHOOL, out)
    assert outcome.ok, outcome.reason
    return _every_file(out / SCHOOL)


def test_reused_fragments_give_the_pages_rendered_in_place(network_copy: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    asked: list[Any] = []
    with monkeypatch.context() as patch:  # nothing kept: every fragment rendered where it is
        patch.setattr(fragments.Fragments, "once", lambda self, key, render, *args: render(*args))
        patch.setattr(fragments.Fragments, "get", lambda self, key: asked.append(key))
        in_place = _cold(network_copy, tmp_path / "in-place")
    reused = _cold(network_copy, tmp_path / "reused")

    pages = [name for name in in_place if name.endswith(".html")]
    assert len(pages) > 40
    # The navigation, tabs, header, settings and footer were asked for on every page, with fewer
    # shapes than pages.
    assert {key[0] for key in asked if key} == {"nav", "tabs", "header", "config", "footer"}
    assert len({key for key in asked if key and key[0] == "footer"}) <= 6
    assert len({key for key in asked if key and key[0] == "nav"}) < len(pages) // 2
    assert reused.keys() == in_place.keys()
    assert [name for name in in_place if in_place[name] != reused[name]] == []
    # The page's own entry is marked active in the reused navigation.
    tree = lxml_html.fromstring(reused["gioi-thieu/index.html"])
    assert tree.xpath("//nav[contains(@class,'md-nav--primary')]"
                      "//a[contains(@class,'md-nav__link--active')]/@href")
