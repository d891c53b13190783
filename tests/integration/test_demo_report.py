"""The demo prints the portal's report for this school year and for the sample's, with the
numbers of the files the build wrote beside the portal's "Thống kê tin bài" page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..conftest import REPO


def test_the_demo_prints_this_year_and_the_sample_year(built_network: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "demo_report.py"),
                           str(built_network)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")
    titles = [block.splitlines()[0] for block in blocks]
    assert any(t.startswith("Năm học 2025-2026, tính đến hết ngày") for t in titles), titles
    folder = built_network / "public" / "xa-an-binh" / "thong-ke"
    current = json.loads((folder / "bao-cao.json").read_text("utf-8"))
    assert titles[0].startswith(current["period"]["label"] + ", tính đến hết ngày")
    sample = next(b for b in blocks if b.startswith("Năm học 2025-2026"))
    # Fixed columns: the name in 44 characters after two spaces, the type in 13, then numbers.
    shown = {line[2:46].strip(): line[60:].split()[:3] for line in sample.splitlines()[2:]}
    assert "Trường THCS An Bình" in shown
    written = folder / "bao-cao-2025-2026.json"
    if written.is_file():  # the page's second year (built any day from 2026-09-01 on)
        for unit in json.loads(written.read_text("utf-8"))["units"]:
            assert shown[unit["name"]] == [str(unit["published"]), str(unit["total"]),
                                           f"{unit['rank']}/{unit['rank_among']}"], unit["id"]
