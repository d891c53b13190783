"""A site whose pages are shared out to forked workers (site/parallel.py) is byte for byte the
site built in one process without any cache: every file, the search index, the feeds and
the messages, on the sample network's school and on a generated 200-post school."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from trangtin.feeds import writer
from trangtin.site import parallel
from trangtin.site.build import SiteOutcome, build_site
from trangtin.site.plugin import TrangtinPlugin

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from bench import corpus, writers  # noqa: E402

from ..hostile_corpus import UNIT, plant_posts  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked (POSIX only)")


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold(root: Path, unit: str, out: Path, workers: int, monkeypatch: pytest.MonkeyPatch,
          converted_ahead: list[int] | None = None) -> tuple[SiteOutcome, list[bool]]:
    """A build with nothing cached; which of its phases the workers did (True) or gave back;
    in ``converted_ahead``, how many bodies the workers that read the posts converted."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shared_out: list[bool] = []
    original, read_posts = parallel.in_forks, TrangtinPlugin._read_posts

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = original(*args, **kwargs)
        shared_out.append(result is not None)
        return result

    def reading(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = read_posts(self, *args, **kwargs)
        if converted_ahead is not None:
            converted_ahead.append(len(self.page_converter.pre_converted))
        return result
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "in_forks", counted)
        patch.setattr(TrangtinPlugin, "_read_posts", reading)
        outcome = build_site(root, unit, out, workers=workers)
    assert outcome.ok, outcome.reason
    return outcome, shared_out


def _same_site(root: Path, unit: str, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], int]:
    """The site built both ways, compared; and how many post bodies the parallel build
    converted while reading them (their pages then only had their links made relative)."""
    ahead: list[int] = []
    one, none_shared = _cold(root, unit, tmp_path / "one", 1, monkeypatch, ahead)
    two, shared = _cold(root, unit, tmp_path / "two", 2, monkeypatch, ahead)
    assert none_shared == [] and len(ahead) == 1  # the serial build reads in one process, as before
    # Posts read, pages converted, pages rendered: each by the two workers; then the feeds by one
    # worker while the build writes the search index, the stylesheet and the cache.
    assert shared == [True, True, True, True]
    serial, forked = _every_file(tmp_path / "one" / unit), _every_file(tmp_path / "two" / unit)
    assert len([n for n in serial if n.endswith(".html")]) > 40
    assert forked.keys() == serial.keys()
    assert [name for name in serial if serial[name] != forked[name]] == []
    assert [d.render() for d in two.diagnostics] == [d.render() for d in one.diagnostics]
    assert two.pages == one.pages
    return forked, ahead[0]


def _links_of_cards(site: dict[str, bytes]) -> list[tuple[str, str]]:
    """(page, link) of every tag and title link of the post cards, as absolute site paths."""
    found = []
    for name, data in site.items():
        if not name.endswith("index.html"):
            continue
        page = "/" + name.removesuffix("index.html")
        tree = lxml_html.fromstring(data)
        for href in tree.xpath("//article[contains(@class,'tt-card')]//a/@href"):
            found.append((page, urlsplit(urljoin(page, href)).path))
    return found


def test_the_sample_school_built_by_two_workers_is_the_serial_build(network_copy: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    _, converted_ahead = _same_site(network_copy, "thcs-an-binh", tmp_path, monkeypatch)
    assert converted_ahead > 0


def test_the_hostile_corpus_built_by_two_workers_is_the_serial_build(network_copy: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch):
    """Raw HTML, iframes, scripts, odd links and files (tests/hostile_corpus.py): what the
    allow-list keeps must not depend on the process that cleaned it."""
    plant_posts(network_copy)
    _, converted_ahead = _same_site(network_copy, UNIT, tmp_path, monkeypatch)
    assert converted_ahead > 0


def test_a_200_post_school_built_by_two_workers_is_the_serial_build(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = tmp_path / "network"
    writers.write_network(root, {"truong-001": corpus.make_posts(200, seed=200,
                                                                 end=corpus.dt.datetime(2026, 5, 31, 8))})
    site, converted_ahead = _same_site(root, "truong-001", tmp_path, monkeypatch)
    assert converted_ahead == 200  # every post's body, parsed once

    # A card is rendered once and reused on every listing that shows it: its links must
    # lead to a built page from every one of them (the tag pages and the category pages
    # that share it sit at the same depth but in different folders).
    links = _links_of_cards(site)
    assert len({page for page, _ in links}) > 20
    assert [(page, target) for page, target in links
            if target.lstrip("/") + "index.html" not in site] == []


def test_a_worker_that_fails_leaves_its_work_to_the_parent(network_copy: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    """A worker killed or broken in the middle of rendering (some pages already written), and the
    one writing the feeds broken after its first file: the parent renders every page and writes
    the feeds itself, and the site is the serial build's."""
    serial, _ = _cold(network_copy, "thcs-an-binh", tmp_path / "one", 1, monkeypatch)
    parent, original, write_feeds = os.getpid(), parallel._build_page, writer.write
    written: list[str] = []

    def breaks_after_two(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and len(written) >= 2:
            raise MemoryError("a worker stopped")
        written.append(page.file.src_uri)
        return original(page, *args, **kwargs)

    def breaks_in_a_worker(folder: Path, documents: dict[str, bytes]) -> None:
        if os.getpid() != parent:
            first = next(iter(documents))
            write_feeds(folder, {first: documents[first]})
            raise OSError("a worker stopped")
        write_feeds(folder, documents)
    monkeypatch.setattr(parallel, "_build_page", breaks_after_two)
    monkeypatch.setattr(writer, "write", breaks_in_a_worker)
    outcome, shared = _cold(network_copy, "thcs-an-binh", tmp_path / "two", 2, monkeypatch)
    assert shared == [True, True, False, False]  # posts read and pages converted by the workers only
    one, two = _every_file(tmp_path / "one" / "thcs-an-binh"), _every_file(tmp_path / "two" / "thcs-an-binh")
    assert two.keys() == one.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert [d.render() for d in outcome.diagnostics] == [d.render() for d in serial.diagnostics]
