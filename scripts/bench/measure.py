"""Timing a command in a child process: wall time, CPU time and peak memory of its tree.

A small wrapper process starts the command and reports, after waiting for it, the time
around the run (``time.perf_counter``), the CPU seconds (user + system) of the command and
every process it waited for, and ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest
resident set of the command or of any process it waited for (Linux carries the maximum up
the tree), so each measured run has its own peak. CPU time is steadier than wall time when
other work shares the machine; a parallel speed-up can only be seen in wall time.
"""

from __future__ import annotations

import itertools
import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "code": run.returncode, "peak_kib": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": run.stderr.decode("utf-8", "replace")[-3000:]}))
"""


class CommandFailed(RuntimeError):
    pass


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    cpu: float = float("nan")


@dataclass
class Timing:
    """Several runs of one stage."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples) if self.samples else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples) if self.samples else float("nan")

    @property
    def peak_mib(self) -> float:
        return max((s.peak_mib for s in self.samples), default=float("nan"))

    @property
    def ok(self) -> bool:
        return bool(self.samples)


def run_once(command: Sequence[str], cwd: Path | None = None) -> Sample:
    wrapped = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd,
                             capture_output=True, text=True, check=False)
    if wrapped.returncode != 0:
        raise CommandFailed(wrapped.stderr[-2000:])
    report = json.loads(wrapped.stdout.strip().splitlines()[-1])
    if report["code"] != 0:
        raise CommandFailed(f"{' '.join(command)} → {report['code']}\n{report['stderr']}")
    return Sample(report["seconds"], report["peak_kib"] / 1024, report["cpu"])


def repeat(name: str, runs: int, command: Sequence[str], cwd: Path | None = None,
           before: Callable[[int], None] | None = None) -> Timing:
    """``runs`` runs of ``command``; ``before(i)`` prepares run ``i`` (cleaning, editing)."""
    timing = Timing(name)
    for index in range(runs):
        if before is not None:
            before(index)
        timing.samples.append(run_once(command, cwd))
    return timing


# --- earlier output out of the way ----------------------------------------------------------

_ASIDE: list[Path] = []  # the folder of set-aside outputs, once ``keep_aside_in`` named it
_NUMBERS = itertools.count()


def keep_aside_in(folder: Path) -> None:
    """Earlier outputs go to ``folder`` (emptied now and by :func:`empty_aside`)."""
    shutil.rmtree(folder, ignore_errors=True)
    _ASIDE[:] = [folder]


def set_aside(path: Path) -> None:
    """``path`` moved out of the way instead of deleted. ext4 looks at every inode freed in
    the last minutes when it allocates a new one (``recently_deleted`` in its allocator): a
    run that starts just after the previous run's output was deleted spends that bookkeeping
    in system time (0.3 s to 3 s for a 1,000-post output on the project's machine, growing with
    the number of files and folders a tool writes). Deleted once, when the benchmark ends."""
    if not path.exists() and not path.is_symlink():
        return
    if not _ASIDE:
        shutil.rmtree(path)
        return
    _ASIDE[0].mkdir(parents=True, exist_ok=True)
    path.rename(_ASIDE[0] / str(next(_NUMBERS)))


def empty_aside() -> None:
    if _ASIDE:
        shutil.rmtree(_ASIDE[0], ignore_errors=True)
