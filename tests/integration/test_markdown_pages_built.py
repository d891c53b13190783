"""A school built with one Markdown converter per build is byte for byte the school built with
MkDocs' own converter per page (site/markdown_pages.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from trangtin.site import markdown_pages
from trangtin.site.build import build_site

SCHOOL = "thcs-an-binh"


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold_build(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], int]:
    """Every output file of a cold build of the school, and how many converters it created."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    created = []
    original = markdown.Markdown.__init__

    def counted(self: markdown.Markdown, *args: object, **kwargs: object) -> None:
        created.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(markdown.Markdown, "__init__", counted)
        outcome = build_site(root, SCHOOL, out)
    assert outcome.ok, outcome.reason
    return _every_file(out / SCHOOL), len(created)


def test_one_converter_per_build_gives_the_same_site_byte_for_byte(network_copy: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:  # MkDocs' own render: a converter per page
        patch.setattr(markdown_pages.PageConverter, "take_over", lambda self, page: None)
        own, own_converters = _cold_build(network_copy, tmp_path / "own", monkeypatch)
    reused, reused_converters = _cold_build(network_copy, tmp_path / "reused", monkeypatch)

    pages = [name for name in own if name.endswith(".html")]
    assert len(pages) > 40 and own_converters > len(pages) // 2
    assert reused_converters <= 10  # the pages' one, the link reader's, a few for small texts
    assert reused.keys() == own.keys()
    assert [name for name in own if own[name] != reused[name]] == []
