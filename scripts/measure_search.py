#!/usr/bin/env python3
"""Weight of trangtin's search index against Material's lunr index, for the same posts.

    .venv/bin/python scripts/measure_search.py                 # 1,000 synthetic posts
    .venv/bin/python scripts/measure_search.py --posts 100,1000

Builds one synthetic school (the benchmark's ~600-word Vietnamese posts) twice under
bench-out/search/: with trangtin's search.json only, then with Material's search plugin
added, and prints raw and gzip sizes. The sample network's own indexes are listed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import corpus, writers  # noqa: E402

from trangtin.cli.main import main as trangtin  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
END = dt.datetime(2026, 5, 31, 8, 0)  # noqa: DTZ001 - naive = local time, as in front matter
SCHOOL = "truong-001"


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=6))


def kib(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


def build(root: Path, with_lunr: bool) -> Path:
    config = root / "sites" / SCHOOL / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("plugins:\n  search: {}\n", "plugins:\n")
    if with_lunr:
        text = text.replace("plugins:\n", "plugins:\n  search: {}\n")
    config.write_text(text, encoding="utf-8")
    code = trangtin(["--root", str(root), "build", SCHOOL, "--jobs", "1", "--no-strict"])
    if code != 0:
        raise SystemExit(f"build failed ({code})")
    return root / "public" / SCHOOL


def measure(count: int, out: Path) -> None:
    root = out / f"posts-{count}"
    writers.write_network(root, {SCHOOL: corpus.make_posts(count, seed=count, end=END)})
    ours = sizes(build(root, with_lunr=False) / "search.json")
    lunr = sizes(build(root, with_lunr=True) / "search" / "search_index.json")
    print(f"{count:6d} posts  search.json {kib(ours[0])} (gzip {kib(ours[1])})   "
          f"lunr search_index.json {kib(lunr[0])} (gzip {kib(lunr[1])})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default="1000", help="comma-separated numbers of posts")
    args = parser.parse_args()
    for index in sorted((REPO / "public").glob("*/search.json")):
        raw, packed = sizes(index)
        print(f"sample {index.parent.name:14} search.json {kib(raw)} (gzip {kib(packed)})")
    out = REPO / "bench-out" / "search"
    for count in (int(n) for n in args.posts.split(",")):
        measure(count, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
