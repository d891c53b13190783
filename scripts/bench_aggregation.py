#!/usr/bin/env python3
"""Aggregation at scale: one commune, N remote schools, N JSON Feeds from one loopback server.

    .venv/bin/python scripts/bench_aggregation.py                  # N = 100, 500, 1000
    .venv/bin/python scripts/bench_aggregation.py --sizes 50 --items 20

For every N: writes a synthetic ``network.yml`` (one commune, N schools with ``feed:`` on
127.0.0.1) in a temporary folder, serves N JSON Feeds of ``--items`` items each from ONE
stdlib ThreadingHTTPServer (ETag / If-None-Match and Last-Modified / If-Modified-Since
answer 304), then runs ``trangtin aggregate`` twice in a child process, timed with
perf_counter: a cold run (empty state folder) and a second run where every feed answers 304.
Prints one table. The server only listens on the loopback address, stops by itself after a
deadline or a request budget, and is shut down at the end of each size. See docs/scaling.md.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMUNE = "xa-mau"
LOOPBACK = "127.0.0.1"
PUBLISHED = "2026-05-20T07:30:00+07:00"
LAST_MODIFIED = email.utils.formatdate(1779237000, usegmt=True)  # a fixed date: one validator
WORDS = ("Sáng ngày hôm nay, nhà trường tổ chức buổi sinh hoạt chuyên đề với sự tham gia của "
         "toàn thể giáo viên, học sinh và đại diện Ban đại diện cha mẹ học sinh. Các em được "
         "trải nghiệm nhiều hoạt động bổ ích, rèn luyện kỹ năng sống và tinh thần đoàn kết.")


# --- the synthetic network and its feeds ---------------------------------------------------

def school_id(index: int) -> str:
    return f"truong-{index:04d}"


def write_network(root: Path, count: int, port: int) -> None:
    """network.yml: one commune (no site here) and ``count`` schools hosted elsewhere."""
    lines = ["timezone: Asia/Ho_Chi_Minh", "units:",
             f"  - {{id: {COMMUNE}, name: Xã Mẫu, type: xa}}"]
    for index in range(1, count + 1):
        unit = school_id(index)
        lines.append(f"  - {{id: {unit}, name: Trường số {index}, type: truong, parent: {COMMUNE},"
                     f" feed: 'http://{LOOPBACK}:{port}/{unit}/feed.json'}}")
    (root / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def feed_body(unit: str, items: int) -> bytes:
    """A JSON Feed shaped like a trangtin school's feed.json: headings, a list, a link."""
    site = f"https://{unit}.example.edu.vn/"
    entries = []
    for number in range(items, 0, -1):
        day = 1 + number % 28
        url = f"{site}tin-tuc/2026/{1 + number % 5:02d}/bai-{number}/"
        html = (f"<p>{WORDS}</p><h2>Nội dung chính</h2><p>{WORDS}</p>"
                f"<ul><li>lớp 6A đạt giải nhất;</li><li>lớp 7B đạt giải nhì;</li>"
                f"<li>lớp 8C đạt giải ba.</li></ul><p>{WORDS} Xem thêm "
                f"<a href=\"{site}tin-tuc/\">các tin khác</a>.</p>")
        entries.append({
            "id": f"urn:trangtin:{unit}:posts/2026/bai-{number}", "url": url,
            "title": f"Hoạt động số {number} của {unit}", "content_html": html,
            "summary": WORDS[:160], "authors": [{"name": "Nguyễn Thị Lan"}],
            "date_published": PUBLISHED.replace("-20T", f"-{day:02d}T"),
            "tags": ["Tin tức – Sự kiện"],
            "_trangtin": {"unit": unit, "team": None, "highlight": False,
                          "categories": ["Tin tức – Sự kiện"], "tags": [], "has_media": False,
                          "via": []},
        })
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": unit,
                       "home_page_url": site, "feed_url": f"{site}feed.json", "language": "vi",
                       "_trangtin": {"about": "urn:trangtin:feed:1", "unit": unit},
                       "items": entries}, ensure_ascii=False).encode()


# --- one bounded loopback server ------------------------------------------------------------

@dataclass
class Counters:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    full: int = 0
    not_modified: int = 0
    body_bytes: int = 0

    def count(self, status: int, sent: int) -> None:
        with self.lock:
            self.requests += 1
            self.full += status == 200
            self.not_modified += status == 304
            self.body_bytes += sent

    def snapshot(self) -> tuple[int, int, int, int]:
        with self.lock:
            return self.requests, self.full, self.not_modified, self.body_bytes


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, feeds: dict[str, bytes], budget: int, delay: float = 0.0):
        super().__init__((LOOPBACK, 0), FeedHandler)
        self.delay = delay  # seconds before each answer: a far host's round trip, simulated
        self.feeds = {path: (body, f'"{hashlib.sha256(body).hexdigest()[:16]}"')
                      for path, body in feeds.items()}
        self.counters = Counters()
        self.budget = budget

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        server = self.server
        if server.counters.requests >= server.budget:
            self._answer(503, b"", {})
            return
        found = server.feeds.get(self.path)
        if found is None:
            self._answer(404, b"", {})
            return
        body, etag = found
        if server.delay:
            time.sleep(server.delay)
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED,
                   "Content-Type": "application/feed+json"}
        if self._still_fresh(etag):
            self._answer(304, b"", headers)
        else:
            self._answer(200, body, headers)

    def _still_fresh(self, etag: str) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
        return self.headers.get("If-Modified-Since") == LAST_MODIFIED

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.server.counters.count(status, len(body))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


class Serving:
    """The server in a thread; shut down on exit or by itself after ``deadline`` seconds."""

    def __init__(self, server: FeedServer, deadline: float):
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.timer = threading.Timer(deadline, server.shutdown)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        self.timer.start()
        return self.server

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


# --- running and measuring -------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    items: int
    requests: int
    full: int
    not_modified: int
    body_bytes: int
    exit_code: int
    cpu: float = 0.0  # CPU seconds (user + system) of the aggregating process


def run_aggregate(root: Path, server: FeedServer, concurrency: int | None) -> Run:
    """``trangtin aggregate`` in a child process; what the server saw during it."""
    command = [sys.executable, "-m", "trangtin.cli", "--root", str(root), "aggregate"]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]
    before = server.counters.snapshot()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    seconds = time.perf_counter() - started
    after = server.counters.snapshot()
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ended.ru_utime - usage.ru_utime) + (ended.ru_stime - usage.ru_stime)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
    state = json.loads((root / ".trangtin" / "aggregated" / f"{COMMUNE}.json").read_text("utf-8"))
    requests, full, not_modified, body_bytes = (b - a for a, b in zip(before, after, strict=True))
    return Run(seconds, len(state["items"]), requests, full, not_modified, body_bytes,
               done.returncode, cpu)


def median_runs(count: int, items: int, keep: Path | None, delay: float,
                runs: int, concurrency: int | None) -> tuple[Run, Run]:
    """``runs`` pairs (cold, 304), each from an empty state: the median pair of each kind."""
    pairs = [measure(count, items, keep, delay, concurrency) for _ in range(runs)]
    colds = sorted((p[0] for p in pairs), key=lambda r: r.seconds)
    warms = sorted((p[1] for p in pairs), key=lambda r: r.seconds)
    return colds[len(colds) // 2], warms[len(warms) // 2]


def measure(count: int, items: int, keep: Path | None, delay: float,
            concurrency: int | None) -> tuple[Run, Run]:
    root = Path(tempfile.mkdtemp(prefix=f"agg-{count}-", dir=keep))
    try:
        feeds = {f"/{school_id(i)}/feed.json": feed_body(school_id(i), items)
                 for i in range(1, count + 1)}
        # each run asks each feed once (plus retries): a generous, finite budget
        server = FeedServer(feeds, budget=8 * count, delay=delay)
        with Serving(server, deadline=900):
            write_network(root, count, server.port)
            cold = run_aggregate(root, server, concurrency)
            warm = run_aggregate(root, server, concurrency)
        return cold, warm
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load:.2f} at start")


def table(rows: list[tuple[int, Run, Run]]) -> str:
    head = ("| N feeds | cold s | 304 run s | 304/cold | cold CPU s | 304 CPU s | ms/feed cold "
            "| ms/feed 304 | items | cold bytes | 304-run bytes | requests (cold / 304 run) "
            "| answered 304 |")
    lines = [head, "|" + "---|" * 13]
    for count, cold, warm in rows:
        lines.append(
            f"| {count} | {cold.seconds:.2f} | {warm.seconds:.2f} | "
            f"{warm.seconds / cold.seconds:.2f} | {cold.cpu:.2f} | {warm.cpu:.2f} | "
            f"{1000 * cold.seconds / count:.1f} | {1000 * warm.seconds / count:.1f} | "
            f"{cold.items} | {cold.body_bytes:,} | {warm.body_bytes:,} | "
            f"{cold.requests} / {warm.requests} | {warm.not_modified} |")
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000",
                        help="numbers of remote feeds, comma-separated (default 100,500,1000)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (default 50)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per size; the table shows medians (default 3)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="feeds fetched at a time: trangtin aggregate --concurrency (default 4)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="delay before each answer, to simulate far hosts (default 0)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the generated networks under this folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if (any(n < 1 or n > 5000 for n in sizes) or not 1 <= args.items <= 500
            or not 0 <= args.latency_ms <= 1000 or not 1 <= args.runs <= 9
            or not 1 <= (args.concurrency or 1) <= 64):
        print("sizes must be 1..5000 feeds, --items 1..500, --latency-ms 0..1000, --runs 1..9, "
              "--concurrency 1..64",
              file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(machine() + f"; medians of {args.runs} runs"
          + (f"; {args.concurrency} feeds at a time" if args.concurrency else "")
          + (f"; simulated latency {args.latency_ms:g} ms per answer" if args.latency_ms else ""),
          flush=True)
    rows = []
    failed = False
    for count in sizes:
        cold, warm = median_runs(count, args.items, args.keep, args.latency_ms / 1000,
                                 args.runs, args.concurrency)
        failed |= bool(cold.exit_code or warm.exit_code)
        rows.append((count, cold, warm))
        print(f"N={count}: cold {cold.seconds:.2f} s, 304 run {warm.seconds:.2f} s "
              f"(load average {os.getloadavg()[0]:.2f})", flush=True)
    print()
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
