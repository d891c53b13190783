"""Both cores for one site: MkDocs' two page loops, shared out to forked workers.

MkDocs converts every page's Markdown, then renders every page, one page after the other on
one core. Here, once the navigation is known (``on_nav``), forked workers convert the pages
into the render cache (cache.py): MkDocs' own loop then finds every page converted, as in a
build after an unchanged one. Once every page is converted (``on_env``), forked workers
render and write the pages themselves; the parent's loop skips them (``SKIPPED_TEMPLATE``,
an empty output that MkDocs does not write). What a worker's hooks collected comes back
through a file and is merged in page order, and what it logged is logged again in the
parent, so the output and the messages are those of the serial build.

A worker is forked: it shares the build's objects copy-on-write and needs nothing
re-imported or re-read. Any failure of a worker makes the parent do that work itself, as
a serial build. Only ``mkdocs build`` through trangtin uses workers (``page_workers``),
never in a process that runs other threads; ``serve`` keeps its objects in one process.

This module and live.py are the ones that call MkDocs' build steps (``_populate_page``,
``_build_page``); ``tests/unit/test_parallel.py`` fails loudly if MkDocs changes them.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from trangtin.site.cache import replay

T = TypeVar("T")
R = TypeVar("R")

SKIPPED_TEMPLATE = "trangtin/_built_by_a_worker.html"
LogRecordTuple = tuple[str, int, str]  # logger, level, message: what cache.replay logs again

log = logging.getLogger("trangtin")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """POSIX, and no other thread in this process: a thread holding a lock when the process
    forks would leave the lock held for ever in the worker (``serve``'s server runs in one)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def in_forks(work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int,
             meanwhile: Callable[[], None] | None = None) -> list[R] | None:
    """``work(share)`` in ``workers`` forked processes, each with every ``workers``-th item
    (``meanwhile()`` runs here while they work); the results in share order, or None if a
    worker failed (the caller does the work itself)."""
    shares = [items[start::workers] for start in range(workers)]
    with tempfile.TemporaryDirectory(prefix="trangtin-workers-") as scratch:
        children = [(_fork(work, share, Path(scratch) / f"{n}.pickle"), Path(scratch) / f"{n}.pickle")
                    for n, share in enumerate(shares)]
        if meanwhile is not None:
            meanwhile()
        failed = [n for n, (pid, _) in enumerate(children) if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])]
        if failed:
            for n in failed:
                reason = Path(children[n][1]).with_suffix(".error")
                log.info("trangtin: một tiến trình phụ không dựng xong, trang được dựng tuần tự: %s",
                         reason.read_text(encoding="utf-8") if reason.is_file() else "?")
            return None
        results = []
        for _, path in children:
            with path.open("rb") as handle:
                results.append(pickle.load(handle))  # noqa: S301 - written by our own worker
        return results


def map_in_forks(function: Callable[[T], R], items: Sequence[T], workers: int,
                 collect: Callable[[], Any]) -> tuple[list[R], list[Any]] | None:
    """``[function(item) for item in items]`` shared out to ``workers`` forked processes, and
    ``collect()`` of each afterwards; None if a worker failed."""
    parts = in_forks(lambda share: ([function(item) for item in share], collect()), items, workers)
    if parts is None:
        return None
    ordered: list[Any] = [None] * len(items)
    for start, (results, _) in enumerate(parts):
        ordered[start::workers] = results
    return ordered, [collected for _, collected in parts]


def alongside(there: Callable[[], None], here: Callable[[], None]) -> None:
    """``there()`` in a forked worker while this process does ``here()`` (two pieces of work
    that share nothing but what they read); what the worker logged is logged again here, in
    the order of a serial build (``here`` first). A worker that fails leaves ``there()`` to
    this process; without fork, one after the other."""
    if not can_fork():
        here()
        there()
        return

    def work(_: Sequence[None]) -> list[LogRecordTuple]:
        logged = _capture_logging()
        there()
        return logged
    done = in_forks(work, [None], 1, meanwhile=here)
    if done is None:
        there()
        return
    replay(done[0])


def _fork(work: Callable[[Sequence[T]], R], share: Sequence[T], out: Path) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the child: never returns into the caller's code
        _quiet_logging()
        result = work(share)
        with out.open("wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # noqa: BLE001 - reported to the parent, which does the work itself
        out.with_suffix(".error").write_text(traceback.format_exc(), encoding="utf-8")
    finally:
        os._exit(code)


def _quiet_logging() -> None:
    """A worker prints nothing: what it logs is either captured for the parent or redone there."""
    manager = logging.Logger.manager
    for logger in [logging.getLogger(), *(v for v in manager.loggerDict.values() if isinstance(v, logging.Logger))]:
        logger.handlers = []
    logging.getLogger().addHandler(logging.NullHandler())
    logging.lastResort = logging.NullHandler()  # type: ignore[assignment]


def pages_of(files: Files) -> list[File]:
    """The pages a build writes (``mkdocs build``: drafts excluded)."""
    return list(files.documentation_pages(inclusion=InclusionLevel.is_included))


def convert_ahead(config: MkDocsConfig, files: Files, workers: int,
                  collect: Callable[[], R]) -> list[R] | None:
    """Every page's Markdown converted by ``workers`` workers (MkDocs' first loop, every
    plugin hook included); ``collect()``, in each worker afterwards, says what comes back."""
    def convert(share: Sequence[File]) -> R:
        for file in share:
            page = file.page if file.page is not None else Page(None, file, config)
            _populate_page(page, config, files)
        return collect()
    return in_forks(convert, pages_of(files), workers)


@dataclass
class RenderedPage:
    """One page a worker rendered and wrote: what its hooks gave (``kept``) and logged."""

    src_uri: str
    kept: Any
    logged: list[LogRecordTuple] = field(default_factory=list)


def render_ahead(config: MkDocsConfig, files: Files, nav: Navigation, env: Any, workers: int,
                 mark: Callable[[], Any], keep: Callable[[Page, Any], Any], collect: Callable[[], R]
                 ) -> list[tuple[list[RenderedPage], R]] | None:
    """Every page rendered and written by ``workers`` workers (MkDocs' second loop).

    In each worker, ``keep(page, mark())`` says what of the hooks' work on a page comes back
    (``mark()`` is taken just before the page), ``collect()`` what after the last one.
    """
    doc_files = pages_of(files)

    def render(share: Sequence[File]) -> tuple[list[RenderedPage], R]:
        logged = _capture_logging()
        done = []
        for file in share:
            assert file.page is not None
            marked, start = mark(), len(logged)
            _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            done.append(RenderedPage(file.src_uri, keep(file.page, marked), logged[start:]))
        return done, collect()
    return in_forks(render, doc_files, workers)


def _capture_logging() -> list[LogRecordTuple]:
    """Every record a worker's loggers would handle, before their filters: the parent hands
    it to the same logger, whose filters then do what they do in a serial build."""
    captured: list[LogRecordTuple] = []

    def handle(self: logging.Logger, record: logging.LogRecord) -> None:
        captured.append((self.name, record.levelno, record.getMessage()))
    logging.Logger.handle = handle  # type: ignore[method-assign]
    return captured


class SkippedPages(logging.Filter):
    """Drops MkDocs' "Page skipped … empty output" for the pages a worker wrote."""

    LOGGER = "mkdocs.commands.build"

    def __init__(self, src_uris: set[str]) -> None:
        super().__init__()
        self.messages = {f"Page skipped: '{uri}'. Generated empty output." for uri in src_uris}

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.messages

    def install(self) -> None:
        logging.getLogger(self.LOGGER).addFilter(self)

    def remove(self) -> None:
        logging.getLogger(self.LOGGER).removeFilter(self)


def skip_in_parent(env: Any, pages: Sequence[Page]) -> None:
    """The parent's loop renders an empty template for ``pages`` (MkDocs writes no empty page)."""
    import jinja2

    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({SKIPPED_TEMPLATE: ""}), env.loader])
    for page in pages:
        page.meta["template"] = SKIPPED_TEMPLATE


def load_templates(env: Any, names: set[str]) -> None:
    """Templates compiled once in the parent, before the workers fork, not once in each."""
    for name in sorted(names):
        env.get_template(name)
