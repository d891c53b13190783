#!/usr/bin/env python3
"""The preview benchmark: how long after a saved post does ``trangtin serve`` show it?

    .venv/bin/python scripts/bench_serve.py                  # 1,000 posts, 3 edits of each kind
    .venv/bin/python scripts/bench_serve.py --posts 200 --runs 1 --profile serve.prof

Generates a school of ``--posts`` synthetic posts (scripts/bench/corpus.py) under
bench-out/serve-<posts>/, times cold builds of it (``trangtin build``, medians of ``--runs``),
then starts ``trangtin serve`` on a free loopback port in a child process, waits for its first
build, and times, from the moment the file is written to the moment the served page holds the
change (polled over HTTP every 20 ms):

* an edit of one post's body (new unique text at its end), on that post's page;
* the same as the post's first paragraph (its excerpt on the listings changes too);
* a new post, on the news list (``tin-tuc/``);
* a post's category changed, on the new category's page.

Prints each time, its median and its ratio to the cold build measured in the same run. With
``--profile FILE`` the serve process runs under cProfile (the first build included).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import corpus, writers  # noqa: E402
from bench.measure import run_once  # noqa: E402

from trangtin.common.text import slugify  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
END = corpus.dt.datetime(2026, 5, 31, 8, 0)  # the newest synthetic post, as scripts/bench.py
SCHOOL = "truong-001"
POLL = 0.02


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    root = Path(args.out).resolve() / f"serve-{args.posts}"
    posts = corpus.make_posts(args.posts, seed=args.posts, end=END)
    writers.write_network(root, {SCHOOL: posts})
    trangtin = str(Path(sys.executable).with_name("trangtin"))
    cold = [cold_build(trangtin, root) for _ in range(args.runs)]
    print(f"cold build: {fmt(cold)}", flush=True)
    with Serving(root, args.profile, args.mkdocs_serve) as server:
        edits = [server.time_edit(posts[(n + 1) * len(posts) // (args.runs + 2)])
                 for n in range(args.runs)]
        openings = [server.time_edit(posts[(n + 1) * len(posts) // (args.runs + 2) + 1], opening=True)
                    for n in range(args.runs)]
        added = [server.time_new_post(n) for n in range(args.runs)]
        moved = [server.time_category_change(posts[-1 - n], n) for n in range(args.runs)]
    cold_median = statistics.median(cold)
    for name, times in (("one post edited", edits), ("one post's opening edited", openings),
                        ("a post added", added),
                        ("a post's category changed", moved)):
        print(f"{name}: {fmt(times)}  → {statistics.median(times) / cold_median:.2f}× cold")
    return 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="cold builds and changes of each kind")
    parser.add_argument("--out", default=str(REPO / "bench-out"), help="work folder")
    parser.add_argument("--profile", default=None, help="cProfile output of the serve process")
    parser.add_argument("--mkdocs-serve", action="store_true",
                        help="time MkDocs' own serve instead (a full build after every save)")
    return parser.parse_args(argv)


def cold_build(trangtin: str, root: Path) -> float:
    for folder in ("public", ".cache"):
        shutil.rmtree(root / folder, ignore_errors=True)
    return run_once([trangtin, "--root", str(root), "build", SCHOOL]).seconds  # every core, as a school builds


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)})"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serving:
    """``trangtin serve`` of the generated school in a child process."""

    def __init__(self, root: Path, profile: str | None, mkdocs_serve: bool = False) -> None:
        self.root = root
        self.posts_dir = root / "content" / SCHOOL / "posts"
        self.base = f"http://127.0.0.1:{free_port()}/"
        address = self.base[len("http://"):-1]
        command = [sys.executable, "-m", "trangtin.cli", "--root", str(root), "serve", SCHOOL,
                   "--addr", address]
        if mkdocs_serve:  # what trangtin serve ran before its fast path
            command = [sys.executable, "-m", "mkdocs", "serve", "-q", "-a", address,
                       "-f", str(root / "sites" / SCHOOL / "mkdocs.yml"),
                       "-w", str(root / "network.yml"), "-w", str(root / "shared_theme")]
        if profile:
            command[1:1] = ["-m", "cProfile", "-o", str(Path(profile).resolve())]
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Serving:
        self.log = (self.root / "serve.log").open("wb")
        self.process = subprocess.Popen(self.command, cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        started = time.perf_counter()
        self.wait_for("", lambda page: page is not None, timeout=600)
        print(f"serve: first build served after {time.perf_counter() - started:.2f} s", flush=True)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def fetch(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, path: str, ready: Callable[[str | None], bool], timeout: float = 120) -> float:
        """Seconds until the page at ``path`` satisfies ``ready``."""
        started = time.perf_counter()
        while not ready(self.fetch(path)):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{path} not ready after {timeout} s")
            assert self.process is not None and self.process.poll() is None, "serve stopped"
            time.sleep(POLL)
        return time.perf_counter() - started

    def settle(self) -> None:
        """Let the server finish any build before the next change (changes never overlap)."""
        time.sleep(1.0)

    def time_edit(self, post: corpus.BenchPost, opening: bool = False) -> float:
        """New text at the end of the post, or as its first paragraph (``opening``: the
        excerpt its cards show on the listings changes too)."""
        marker = f"Bổ sung {uuid.uuid4().hex}"
        paragraph = f"\n{marker}: nhà trường cập nhật thêm thông tin.\n"
        path = self.posts_dir / post.rel_path
        if opening:
            head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
            path.write_text(f"{head}\n---\n{paragraph}{body}", encoding="utf-8")
        else:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(paragraph)
        seconds = self.wait_for(post_url(post), lambda page: page is not None and marker in page)
        print(f"  edit of {post.rel_path}{' (opening)' if opening else ''}: {seconds:.2f} s", flush=True)
        self.settle()
        return seconds

    def time_new_post(self, n: int) -> float:
        title = f"Tin mới {uuid.uuid4().hex[:8]}"
        path = self.posts_dir / "2026" / "06" / f"tin-moi-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {title}\ndate: 2026-06-{n + 1:02d} 08:00\n"
                        f"categories: [Tin tức – Sự kiện]\n---\n\nMột tin mới của nhà trường.\n",
                        encoding="utf-8")
        seconds = self.wait_for("tin-tuc/", lambda page: page is not None and title in page)
        print(f"  new post {title}: {seconds:.2f} s", flush=True)
        self.settle()
        return seconds

    def time_category_change(self, post: corpus.BenchPost, n: int) -> float:
        category = next(c for c in corpus.CATEGORIES if c not in post.categories)
        path = self.posts_dir / post.rel_path
        text = path.read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("categories:"))
        path.write_text(text.replace(old, f"categories: [{category}]"), encoding="utf-8")
        url = f"tin-tuc/chuyen-muc/{slugify(category)}/"
        seconds = self.wait_for(url, lambda page: page is not None and post.title in page)
        print(f"  category of {post.rel_path} → {category}: {seconds:.2f} s", flush=True)
        self.settle()
        return seconds


def post_url(post: corpus.BenchPost) -> str:
    return f"tin-tuc/{post.date:%Y}/{post.date:%m}/{post.slug}/"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
