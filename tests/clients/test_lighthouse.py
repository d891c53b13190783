"""Lighthouse (mobile preset: a mid-range phone on slow 4G) scores at least 95 everywhere."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import NODE_MODULES, Scoreboard, Served, StaticHandler, Target, first_post, require, serving

pytestmark = pytest.mark.clients

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 0.95


def chrome_flags(flags: list[str]) -> str:
    """Lighthouse's --chrome-flags: one string, a value with spaces in quotes."""
    return " ".join(f'{f.split("=", 1)[0]}="{f.split("=", 1)[1]}"' if " " in f else f for f in flags)


def run_lighthouse(url: str, output: Path, chromium: Path, flags: list[str]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: run scripts/clients.sh first")
    command = [str(require(LIGHTHOUSE, "lighthouse")), url, "--quiet", "--output=json",
               f"--output-path={output}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={chrome_flags(flags)}"]
    env = {**os.environ, "CHROME_PATH": str(chromium)}
    subprocess.run(command, env=env, check=True, timeout=300, capture_output=True)
    return json.loads(output.read_text(encoding="utf-8"))


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = [report["audits"][r["id"]] for r in refs if r.get("weight")]
    return [f"{a['id']} ({a.get('displayValue') or a.get('score')})" for a in audits
            if a.get("score") is not None and a["score"] < 1]


def scores_of(report: dict) -> dict[str, float]:
    return {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}


def judged(url: str, output: Path, chromium: Path, flags: list[str]) -> tuple[dict, dict[str, float], int]:
    """One run, or the median of five when a score is short: performance varies between
    runs on a busy machine, and Lighthouse's own advice is to take the median of five runs."""
    report = run_lighthouse(url, output, chromium, flags)
    if min(scores_of(report).values()) >= THRESHOLD:
        return report, scores_of(report), 1
    runs = [report] + [run_lighthouse(url, output.with_suffix(f".{n}.json"), chromium, flags)
                       for n in range(2, 6)]
    medians = {c: statistics.median(scores_of(r)[c] for r in runs) for c in CATEGORIES}
    return runs[-1], medians, len(runs)


class UncompressedHandler(StaticHandler):
    """A host that does not compress (many school hosts do not): every file as it is."""

    def send_head(self):  # noqa: ANN201 - stdlib signature
        return http.server.SimpleHTTPRequestHandler.send_head(self)


@pytest.fixture(scope="module")
def served_uncompressed(public: Path) -> Iterator[Served]:
    with serving(public, UncompressedHandler) as base:
        yield Served(public, base)


def test_lighthouse_mobile_scores(served, targets, chromium, browser_flags, tmp_path: Path,
                                  scoreboard: Scoreboard) -> None:
    judge_all(served, targets, chromium, browser_flags, tmp_path, scoreboard, "Lighthouse (mobile)")




def test_lighthouse_mobile_scores_without_compression(served_uncompressed: Served, school: str, portal: str,
                                                      chromium, browser_flags, tmp_path: Path,
                                                      scoreboard: Scoreboard) -> None:
    """A school's home page, a post and the portal's home page from a host that does not compress."""
    root = served_uncompressed.root
    targets = [Target(school, "home", ""), Target(school, "post", first_post(root, school)),
               Target(portal, "home", "")]
    judge_all(served_uncompressed, targets, chromium, browser_flags, tmp_path, scoreboard,
              "Lighthouse (mobile, host without compression)")


def judge_all(served: Served, targets: list[Target], chromium: Path, flags: list[str], tmp_path: Path,
              scoreboard: Scoreboard, title: str, threshold: float = THRESHOLD) -> None:
    problems = []
    scoreboard.add(f"{title}: " + " / ".join(CATEGORIES))
    for target in targets:
        report, scores, runs = judged(served.url(target.unit, target.path),
                                      tmp_path / f"{target.unit}-{target.kind}.json", chromium, flags)
        scoreboard.add(f"  {target.name:28} " + " ".join(f"{round(s * 100):3d}" for s in scores.values())
                       + (f"  (median of {runs} runs)" if runs > 1 else ""))
        for category, score in scores.items():
            if score < threshold:
                problems.append(f"{target.name} {category} {score}: "
                                f"{', '.join(failing_audits(report, category))}")
    assert not problems, "\n".join(problems)
