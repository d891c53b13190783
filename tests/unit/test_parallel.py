"""Forked workers for one site's pages (site/parallel.py): what they need of MkDocs' internals,
and how work, results, failures and messages travel between a worker and its parent.

site/parallel.py relies on the order of MkDocs' build (the plugin hooks it forks in, the two
page loops, an empty page not written); these checks fail loudly when a release changes it.
"""

from __future__ import annotations

import inspect
import logging
import os
import threading

import pytest
from mkdocs.commands import build as mkdocs_build

from trangtin.site import cache, parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked (POSIX only)")


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_mkdocs_build_is_as_the_workers_share_it_out() -> None:
    assert parameters(mkdocs_build._populate_page)[:4] == ["page", "config", "files", "dirty"]
    assert parameters(mkdocs_build._build_page)[:7] == ["page", "config", "doc_files", "nav", "env",
                                                        "dirty", "excluded"]
    source = inspect.getsource(mkdocs_build.build)
    # Pages are converted right after on_nav, and rendered right after on_env.
    order = ["on_nav(", "_populate_page(", "on_env(", "copy_static_files(", "_build_page(",
             "on_post_build("]
    places = [source.index(step) for step in order]
    assert places == sorted(places)
    assert "documentation_pages(inclusion=inclusion)" in source
    # The parent's loop gives the pages a worker wrote an empty output, which is not written.
    page_source = inspect.getsource(mkdocs_build._build_page)
    assert "if output.strip():" in page_source
    assert "Page skipped: '{page.file.src_uri}'. Generated empty output." in page_source


def test_work_is_shared_out_and_comes_back_in_order() -> None:
    items = list(range(23))
    found = parallel.map_in_forks(lambda n: (n * n, os.getpid()), items, 2, os.getpid)
    assert found is not None
    results, workers = found
    assert [square for square, _ in results] == [n * n for n in items]
    assert len(set(workers)) == 2 and os.getpid() not in workers  # two other processes
    assert {pid for _, pid in results} == set(workers)


def test_a_failing_worker_gives_the_work_back() -> None:
    def fails_on_seven(share: list[int]) -> list[int]:
        if 7 in share:
            raise ValueError("bảy")
        return share
    assert parallel.in_forks(fails_on_seven, list(range(10)), 2) is None
    assert parallel.in_forks(fails_on_seven, list(range(6)), 2) == [[0, 2, 4], [1, 3, 5]]


def test_what_a_worker_logs_is_logged_by_the_parent_through_the_same_filters(
        caplog: pytest.LogCaptureFixture) -> None:
    def logs(share: list[str]) -> list[tuple[str, int, str]]:
        captured = parallel._capture_logging()
        for name in share:
            logging.getLogger("mkdocs.structure.pages").warning("trang %s", name)
        logging.getLogger("trangtin").debug("not enabled: never captured")
        return captured
    logging.getLogger("trangtin").setLevel(logging.INFO)
    found = parallel.in_forks(logs, ["a", "b"], 1)
    assert found == [[("mkdocs.structure.pages", logging.WARNING, "trang a"),
                      ("mkdocs.structure.pages", logging.WARNING, "trang b")]]

    class Lowered(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.levelno, record.levelname = logging.INFO, "INFO"
            return True
    lowered = Lowered()
    logging.getLogger("mkdocs.structure.pages").addFilter(lowered)
    try:
        with caplog.at_level(logging.INFO):
            cache.replay(found[0])
    finally:
        logging.getLogger("mkdocs.structure.pages").removeFilter(lowered)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mkdocs.structure.pages", logging.INFO, "trang a"), ("mkdocs.structure.pages", logging.INFO, "trang b")]


def test_the_page_skipped_message_is_dropped_only_for_pages_a_worker_wrote() -> None:
    skipped = parallel.SkippedPages({"tin-tuc/a.md"})
    record = logging.LogRecord(skipped.LOGGER, logging.INFO, "", 0,
                               "Page skipped: '%s'. Generated empty output.", ("tin-tuc/a.md",), None)
    other = logging.LogRecord(skipped.LOGGER, logging.INFO, "", 0,
                              "Page skipped: '%s'. Generated empty output.", ("index.md",), None)
    assert skipped.filter(record) is False and skipped.filter(other) is True


def test_no_worker_is_forked_while_another_thread_runs() -> None:
    """A thread holding a lock at the fork would leave it held in the worker (serve's server)."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        other.join()


def test_work_done_alongside_writes_logs_and_falls_back(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    """``alongside``: one piece of work in a worker while this process does the other; what the
    worker logged is logged here after what this process logged; a failed worker's work is done
    here (its half-written file written whole)."""
    log = logging.getLogger("trangtin")
    log.setLevel(logging.INFO)
    there_file, here_pid = tmp_path / "there.txt", []

    def there() -> None:
        there_file.write_text(f"{os.getpid()}", encoding="utf-8")
        log.info("there")

    def here() -> None:
        here_pid.append(os.getpid())
        log.info("here")
    with caplog.at_level(logging.INFO, logger="trangtin"):
        parallel.alongside(there, here)
    assert here_pid == [os.getpid()] and there_file.read_text(encoding="utf-8") != str(os.getpid())
    assert [r.getMessage() for r in caplog.records if r.name == "trangtin"] == ["here", "there"]

    caplog.clear()
    parent = os.getpid()

    def breaks_in_a_worker() -> None:
        there_file.write_text("half", encoding="utf-8")
        if os.getpid() != parent:
            os._exit(9)  # killed, as by the system
        there_file.write_text("whole", encoding="utf-8")
    parallel.alongside(breaks_in_a_worker, here)
    assert there_file.read_text(encoding="utf-8") == "whole"
