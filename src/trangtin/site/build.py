"""Building sites: each in its own process (MkDocs is not thread-safe), atomically.

A site is built into a staging folder beside its final place and swapped in only when the
build succeeded, so a failed build never replaces the last good ``public/<unit>/``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import time
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from trangtin.common.diagnostics import Diagnostic, TrangtinError, error
from trangtin.network.model import Network, load_network
from trangtin.site import cache, config_problems


@dataclass
class SiteOutcome:
    """What happened to one site: built or not, why, how long, what was wrong in it."""

    unit: str
    ok: bool
    seconds: float = 0.0
    reason: str = ""
    output: str = ""
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reused: bool = False  # nothing it reads had changed: the last output was kept (cache.py)
    valid_until: float = 0.0  # until when (POSIX time) an unchanged site may be kept


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors so the summary can say why a site failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, unit_id: str, out: Path, strict: bool = True, workers: int = 1) -> SiteOutcome:
    """Build one unit's site into ``out/<unit_id>``, its pages converted and rendered by
    ``workers`` forked processes (parallel.py; 1: in this one); never raises."""
    started = time.perf_counter()
    collector = _Collect()
    logging.getLogger("mkdocs").addHandler(collector)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    # The content diagnostics travel back in the outcome and are printed once by the CLI.
    logging.getLogger("trangtin").addHandler(logging.NullHandler())
    staging = out / f".staging-{unit_id}-{os.getpid()}"
    try:
        outcome = _build_or_keep(root, unit_id, out, staging, strict, workers)
    except Exception as exc:  # noqa: BLE001 - one site's failure must not stop the network
        outcome = SiteOutcome(unit_id, ok=False, reason=_reason(exc, collector.messages, root, unit_id))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        logging.getLogger("mkdocs").removeHandler(collector)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _build_or_keep(root: Path, unit_id: str, out: Path, staging: Path,
                   strict: bool, workers: int) -> SiteOutcome:
    """Build the site, or keep its last output when nothing it reads has changed."""
    final = out / unit_id
    unit = load_network(root / "network.yml").units.get(unit_id)
    fingerprint = (cache.site_fingerprint(root, unit_id, strict)
                   if unit is not None and not unit.aggregates else None)
    record = cache.reusable_site(root, unit_id, final, fingerprint) if fingerprint else None
    if record is not None:
        cache.note_site_reused(root, unit_id)
        return SiteOutcome(unit_id, ok=True, output=str(final), pages=record.pages,
                           diagnostics=list(record.diagnostics), reused=True)
    outcome = _build_into(root, unit_id, staging, strict, workers)
    _swap_into_place(staging, final)
    outcome.output = str(final)
    if fingerprint:
        cache.remember_site(root, unit_id, final, cache.SiteRecord(
            fingerprint, "", outcome.valid_until, outcome.pages, outcome.diagnostics))
    return outcome


def _build_into(root: Path, unit_id: str, staging: Path, strict: bool, workers: int) -> SiteOutcome:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    network = load_network(root / "network.yml")
    config_file = network.config_file(unit_id)
    content_dir = network.content_dir(unit_id)
    if config_file is None or not content_dir.is_dir():
        raise TrangtinError([error(
            f"content/{unit_id}", None, f"chưa có thư mục nội dung content/{unit_id}/",
            f"tạo thư mục content/{unit_id}/ với index.md (xem các trường mẫu)")])
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(config_file), site_dir=str(staging), strict=strict)
    plugin = config.plugins["trangtin"]
    # Pages whose inputs did not change are copied from the last good output (see cache.py).
    plugin.previous_output = staging.parent / unit_id  # type: ignore[attr-defined]
    plugin.page_workers = workers  # type: ignore[attr-defined]
    build(config)
    site = plugin.site  # type: ignore[attr-defined]
    pages = sum(1 for _ in staging.rglob("index.html"))
    # The kept site is good until a hidden post or an announcement from above is due.
    due = [p.date for p in site.hidden] + plugin.announcements_waiting if site else []  # type: ignore[attr-defined]
    return SiteOutcome(unit_id, ok=True, pages=pages,
                       diagnostics=list(site.diagnostics) if site else [],
                       valid_until=cache.valid_until(site.now, due) if site else 0.0)


def _swap_into_place(staging: Path, final: Path) -> None:
    retired = final.with_name(f".old-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def _reason(exc: BaseException, messages: list[str], root: Path, unit_id: str) -> str:
    if isinstance(exc, TrangtinError):
        return str(exc)
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if isinstance(exc, Abort | ConfigurationError | PluginError):
        details = "; ".join(messages[-5:])
        original = f"{exc} {details}".strip()
        if isinstance(exc, ConfigurationError) or config_problems.is_about_configuration(original):
            return config_problems.describe(original, _config_file(root, unit_id), root)
        return original
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return (f"lỗi nội bộ của trangtin ({type(exc).__name__}: {exc}) tại {where.filename}:"
            f"{where.lineno} — xin báo lỗi này cho nhóm phát triển kèm thông báo trên")


def _config_file(root: Path, unit_id: str) -> Path | None:
    try:
        return load_network(root / "network.yml").config_file(unit_id)
    except TrangtinError:
        return None


def build_sites(root: Path, unit_ids: Iterable[str], out: Path, jobs: int,
                strict: bool = True, only_build_here: bool = False) -> list[SiteOutcome]:
    """Build several sites in parallel processes; one outcome per site, in the given order.

    ``only_build_here``: the caller's process builds nothing else (the command line asked for
    one site), so one site is built in it, not in a fresh process that imports MkDocs again.
    """
    unit_ids = list(unit_ids)
    out.mkdir(parents=True, exist_ok=True)
    if len(unit_ids) == 1 and only_build_here:
        return [build_site(root, unit_ids[0], out, strict, jobs)]
    if len(unit_ids) <= 1:  # one site: the processes share out its pages
        return [_in_fresh_process(root, u, out, strict, jobs) for u in unit_ids]
    # A worker builds one site at a time and is kept for the next one: starting a process
    # and importing MkDocs, Material and Pillow cost about as much as a small school's build.
    # In a wave the largest sites start first, so no core waits at the end for a long one.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(unit_ids))),
                             mp_context=context) as pool:
        outcomes: dict[str, SiteOutcome] = {}
        for wave in _waves(root, unit_ids):
            # Fewer sites than processes (a portal's wave): each site shares out its pages.
            workers = max(1, jobs // len(wave))
            futures = {u: pool.submit(build_site, root, u, out, strict, workers)
                       for u in sorted(wave, key=lambda u: -_size(root, u))}
            outcomes.update({u: f.result() for u, f in futures.items()})
        return [outcomes[u] for u in unit_ids]


def _size(root: Path, unit_id: str) -> int:
    """How much a site has to build, roughly: the number of files of its content."""
    return sum(len(files) for _, _, files in os.walk(root / "content" / unit_id))


def _waves(root: Path, unit_ids: list[str]) -> list[list[str]]:
    """Units grouped by depth, deepest first: a portal starts only once its schools are built
    (it reads their output, e.g. their search indexes)."""
    network = load_network(root / "network.yml")
    depths = sorted({len(network.ancestors(u)) for u in unit_ids}, reverse=True)
    return [[u for u in unit_ids if len(network.ancestors(u)) == d] for d in depths]


def _in_fresh_process(root: Path, unit_id: str, out: Path, strict: bool, workers: int) -> SiteOutcome:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(build_site, root, unit_id, out, strict, workers).result()


def build_order(network: Network, wanted: list[str] | None = None) -> list[str]:
    """Local units to build: schools first, then the units that aggregate them."""
    local = [u for u in network.local_units() if not wanted or u.id in wanted]
    depth = {u.id: len(network.ancestors(u.id)) for u in local}
    return [u.id for u in sorted(local, key=lambda u: -depth[u.id])]
