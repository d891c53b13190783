"""Lighthouse (mobile preset: a mid-range phone on slow 4G) scores at least 95 everywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CHROMIUM_FLAGS, NODE_MODULES, Scoreboard, require

pytestmark = pytest.mark.clients

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 0.95


def run_lighthouse(url: str, output: Path, chromium: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: run scripts/clients.sh first")
    command = [str(require(LIGHTHOUSE, "lighthouse")), url, "--quiet", "--output=json",
               f"--output-path={output}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"]
    env = {**os.environ, "CHROME_PATH": str(chromium)}
    subprocess.run(command, env=env, check=True, timeout=300, capture_output=True)
    return json.loads(output.read_text(encoding="utf-8"))


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = [report["audits"][r["id"]] for r in refs if r.get("weight")]
    return [f"{a['id']} ({a.get('displayValue') or a.get('score')})" for a in audits
            if a.get("score") is not None and a["score"] < 1]


def test_lighthouse_mobile_scores(served, targets, chromium, tmp_path: Path,
                                  scoreboard: Scoreboard) -> None:
    problems = []
    scoreboard.add("Lighthouse (mobile): " + " / ".join(CATEGORIES))
    for target in targets:
        report = run_lighthouse(served.url(target.unit, target.path),
                                tmp_path / f"{target.unit}-{target.kind}.json", chromium)
        scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
        scoreboard.add(f"  {target.name:28} " + " ".join(f"{round(s * 100):3d}" for s in
                                                           scores.values()))
        for category, score in scores.items():
            if score is None or score < THRESHOLD:
                problems.append(f"{target.name} {category} {score}: "
                                f"{', '.join(failing_audits(report, category))}")
    assert not problems, "\n".join(problems)
