#!/usr/bin/env python3
"""Benchmark of trangtin against stock Material blog, Pelican and the Markdown floor.

    .venv/bin/python scripts/bench.py --quick                 # a fast smoke run
    .venv/bin/python scripts/bench.py --sizes 100,1000,5000 --runs 3

Generates, under bench-out/ (ignored by git), the same realistic Vietnamese posts for every
tool, times each stage in child processes (medians of ``--runs``, peak memory of the
process tree) and prints one table with ratios measured in the same run. Absolute times
on a shared machine are noisy; the ratios are the figure. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import corpus, writers  # noqa: E402
from bench.measure import CommandFailed, Timing, empty_aside, keep_aside_in, repeat, run_once, set_aside  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# The newest synthetic post (naive = local time, as in post front matter): in the past.
END = dt.datetime(2026, 5, 31, 8, 0)  # noqa: DTZ001
SCHOOL = "truong-001"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.floor_dir:
        return floor(Path(args.floor_dir))
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, out)
    print(machine())
    keep_aside_in(out / ".set-aside")
    try:
        bench.run()
    finally:
        empty_aside()
    return 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="posts per school, comma-separated")
    parser.add_argument("--shapes", default="school",
                        help="shapes of the posts, comma-separated: school (headings, a list, a table) "
                        "and/or blog (shaped like Material-blog posts: '<!-- more -->', an admonition, "
                        "a fenced block); see scripts/bench/corpus.py")
    parser.add_argument("--runs", type=int, default=3, help="runs per stage (median)")
    parser.add_argument("--baseline-sizes", default=None,
                        help="sizes at which the baselines run (default: all sizes)")
    parser.add_argument("--skip", default="", help="stages to skip: material,pelican,floor,serial,"
                        "network,images,report,warm")
    parser.add_argument("--schools", type=int, default=20, help="schools of the network stage")
    parser.add_argument("--school-posts", type=int, default=50,
                        help="posts per school in the network stage")
    parser.add_argument("--photos", type=int, default=40, help="phone photos of the image stage")
    parser.add_argument("--items", type=int, default=100_000, help="items of the report stage")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 100 posts, 1 run, 4 schools, 8 photos, 10,000 items")
    parser.add_argument("--out", default=str(REPO / "bench-out"), help="work folder")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--floor-dir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.schools, args.school_posts = "100", 1, 4, 20
        args.photos, args.items = 8, 10_000
    return args


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Machine: {os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; load average at start {load}")


class Bench:
    def __init__(self, args: argparse.Namespace, out: Path) -> None:
        self.args = args
        self.out = out
        self.runs = max(1, args.runs)
        self.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
        self.sizes = [int(s) for s in args.sizes.split(",")]
        self.shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
        unknown = set(self.shapes) - set(corpus.SHAPES)
        if unknown:
            raise SystemExit(f"unknown shape(s) {', '.join(sorted(unknown))}: use {', '.join(corpus.SHAPES)}")
        self.baseline_sizes = ({int(s) for s in args.baseline_sizes.split(",")}
                               if args.baseline_sizes else set(self.sizes))
        self.results: dict[str, dict[str, Timing]] = {}
        self.notes: list[str] = []
        self.trangtin = [str(Path(sys.executable).with_name("trangtin"))]

    # --- the whole run ------------------------------------------------------------------

    def run(self) -> None:
        started = time.perf_counter()
        compile_package()
        for shape in self.shapes:
            for size in self.sizes:
                self.one_site(size, shape)
        extra: dict[str, Timing] = {}
        if "network" not in self.skip:
            extra.update(self.network())
        if "images" not in self.skip:
            extra.update(self.images())
        if "report" not in self.skip:
            extra["report"] = self.report()
        self.results["other"] = extra
        self.report_sizes()
        self.report_other(extra)
        for note in self.notes:
            print(f"Note: {note}")
        print(f"Benchmark took {time.perf_counter() - started:.0f} s.")
        if self.args.json:
            Path(self.args.json).write_text(json.dumps(self.as_json(), indent=1), encoding="utf-8")

    # --- one site of ``size`` posts -------------------------------------------------------

    def one_site(self, size: int, shape: str = "school") -> None:
        print(f"\n== {size} posts per school, {shape} shape", flush=True)
        posts = corpus.make_posts(size, seed=size, end=END, shape=shape)
        key = self.key(size, shape)
        root = self.out / f"site-{key}"
        writers.write_network(root, {SCHOOL: posts})
        found: dict[str, Timing] = {}
        # As a school builds: every core of the machine (the default --jobs) shares the pages out.
        build = [*self.trangtin, "--root", str(root), "build", SCHOOL]
        found["cold"] = self.stage(f"trangtin cold ({size})", build, before=lambda _: clean(root))
        if "serial" not in self.skip:
            found["cold_serial"] = self.stage(f"trangtin cold, --jobs 1 ({size})", [*build, "--jobs", "1"],
                                              before=lambda _: clean(root))
        if "warm" not in self.skip:
            found["warm"] = self.stage(f"trangtin warm ({size})", build)
            record = root / ".cache" / "trangtin" / SCHOOL / "site.pickle"
            found["warm_pages"] = self.stage(
                f"trangtin warm, MkDocs running ({size})", build,
                before=lambda _: record.unlink(missing_ok=True))
            post = root / "content" / SCHOOL / "posts" / posts[len(posts) // 2].rel_path

            def edit(index: int) -> None:
                with post.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nBổ sung lần {index + 1}: nhà trường cập nhật thêm thông tin.\n")

            found["one_change"] = self.stage(f"trangtin one post changed ({size})", build,
                                             before=edit)
        if size in self.baseline_sizes:
            found.update(self.baselines(key, posts))
        self.results[key] = found

    @staticmethod
    def key(size: int, shape: str) -> str:
        """``1000`` for the school shape (as before shapes existed), ``1000-blog`` for another."""
        return str(size) if shape == "school" else f"{size}-{shape}"

    def baselines(self, size: str, posts: list[corpus.BenchPost]) -> dict[str, Timing]:
        found: dict[str, Timing] = {}
        if "material" not in self.skip:
            blog = self.out / f"material-{size}"
            writers.write_material_blog(blog, posts)
            command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(blog / "mkdocs.yml")]
            found["material"] = self.stage(f"Material blog ({size})", command,
                                           before=lambda _: set_aside(blog / "site"))
        if "pelican" not in self.skip:
            pelican = self.pelican()
            if pelican is not None:
                site = self.out / f"pelican-{size}"
                writers.write_pelican(site, posts)
                command = [str(pelican), str(site / "content"), "-o", str(site / "output"),
                           "-s", str(site / "pelicanconf.py"), "-q"]
                found["pelican"] = self.stage(f"Pelican ({size})", command,
                                              before=lambda _: set_aside(site / "output"))
        if "floor" not in self.skip:
            folder = self.out / f"floor-{size}"
            set_aside(folder)
            folder.mkdir(parents=True)
            for n, body in enumerate(writers.bodies(posts)):
                (folder / f"{n:05d}.md").write_text(body, encoding="utf-8")
            found["floor"] = self.stage(f"Markdown floor ({size})", [
                sys.executable, str(Path(__file__).resolve()), "--floor-dir", str(folder)])
        return found

    def pelican(self) -> Path | None:
        venv = self.out / "pelican-venv"
        executable = venv / "bin" / "pelican"
        if executable.exists():
            return executable
        print("   (installing Pelican into bench-out/pelican-venv)", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown",
                            "pymdown-extensions"], check=True, capture_output=True, timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            self.notes.append(f"Pelican could not be installed ({exc}); its column is empty.")
            self.skip.add("pelican")
            return None
        return executable if executable.exists() else None

    # --- a network of small schools, serial and parallel ----------------------------------

    def network(self) -> dict[str, Timing]:
        count, size = self.args.schools, self.args.school_posts
        print(f"\n== network of {count} schools × {size} posts", flush=True)
        root = self.out / f"network-{count}x{size}"
        schools = {f"truong-{n:03d}": corpus.make_posts(size, seed=n, end=END)
                   for n in range(1, count + 1)}
        writers.write_network(root, schools)
        # Runs alternate (--jobs 1, --jobs 2, --jobs 1, …) so both see the same background load.
        found = {f"network_jobs{jobs}": Timing(f"{count} schools, --jobs {jobs}")
                 for jobs in (1, 2)}
        for _ in range(self.runs):
            for jobs in (1, 2):
                clean(root)
                command = [*self.trangtin, "--root", str(root), "build", "--jobs", str(jobs)]
                try:
                    found[f"network_jobs{jobs}"].samples.append(run_once(command))
                except CommandFailed as failure:
                    found[f"network_jobs{jobs}"].note = f"failed: {str(failure)[:300]}"
        for timing in found.values():
            print(f"   {timing.name}: {fmt(timing)}", flush=True)
        return found

    # --- photos ---------------------------------------------------------------------------

    def images(self) -> dict[str, Timing]:
        from bench.photos import make_photo

        count = self.args.photos
        print(f"\n== {count} phone photos (4032×3024, EXIF-rotated) in a 20-post school",
              flush=True)
        root = self.out / "photos"
        posts = corpus.make_posts(20, seed=7, end=END)
        writers.write_network(root, {SCHOOL: posts})
        store = self.out / "photo-originals"
        for n in range(count):
            if not (store / f"anh-{n:03d}.jpg").exists():
                make_photo(store / f"anh-{n:03d}.jpg", seed=n)
        for n in range(count):
            post = root / "content" / SCHOOL / "posts" / posts[n % len(posts)].rel_path
            shutil.copy2(store / f"anh-{n:03d}.jpg", post.parent / f"anh-{n:03d}.jpg")
            with post.open("a", encoding="utf-8") as handle:
                handle.write(f"\n![Hoạt động của học sinh, ảnh {n + 1}](anh-{n:03d}.jpg)\n")
        build = [*self.trangtin, "--root", str(root), "build", SCHOOL, "--jobs", "1"]
        return {
            "photos_cold": self.stage(f"{count} photos, cold", build,
                                      before=lambda _: clean(root)),
            "photos_warm": self.stage(f"{count} photos, cached", build),
        }

    # --- the report -----------------------------------------------------------------------

    def report(self) -> Timing:
        items = self.args.items
        print(f"\n== report over {items:,} items", flush=True)
        root = self.out / f"network-{self.args.schools}x{self.args.school_posts}"
        if not (root / "network.yml").exists():
            writers.write_network(root, {f"truong-{n:03d}": [] for n in range(1, 21)})
        timing = Timing(f"report over {items:,} items")
        code = (
            "import sys, time\n"
            "from pathlib import Path\n"
            "try:\n"
            "    from trangtin.report import counting\n"
            "except ImportError:\n"
            "    print('n/a'); sys.exit(0)\n"
            "from trangtin.network.model import load_network\n"
            "network = load_network(Path(sys.argv[1]))\n"
            "items = counting.synthetic_items(network, int(sys.argv[2]))\n"
            "started = time.perf_counter()\n"
            "report = counting.count(network, items, counting.periods.school_year(2024, 9,"
            " network.timezone), __import__('datetime').date(2025, 8, 31))\n"
            "report.to_json()\n"
            "print(time.perf_counter() - started)\n")
        for _ in range(self.runs):
            done = subprocess.run([sys.executable, "-c", code, str(root / "network.yml"),
                                   str(items)], capture_output=True, text=True, check=False)
            last = done.stdout.strip().splitlines()[-1:] or ["n/a"]
            if done.returncode != 0 or last[0] == "n/a":
                timing.note = "n/a" if done.returncode == 0 else done.stderr[-300:]
                break
            from bench.measure import Sample

            timing.samples.append(Sample(float(last[0]), float("nan")))
        print(f"   {timing.name}: {fmt(timing)}", flush=True)
        return timing

    # --- helpers --------------------------------------------------------------------------

    def stage(self, name: str, command: list[str],
              before: Callable[[int], None] | None = None) -> Timing:
        try:
            timing = repeat(name, self.runs, command, before=before)
        except CommandFailed as failure:
            timing = Timing(name, note=f"failed: {str(failure)[:500]}")
            self.notes.append(f"{name} failed: {str(failure)[:500]}")
        print(f"   {name}: {fmt(timing)}", flush=True)
        return timing

    def report_sizes(self) -> None:
        print(f"\n== Results: medians of {self.runs} runs, wall seconds (peak MiB)")
        print("| posts | trangtin cold | cold, --jobs 1 | warm | warm, MkDocs running | one post changed "
              "| Material blog | Pelican | Markdown floor |")
        print("|---|---|---|---|---|---|---|---|---|")
        for size, shape, row in self.rows():
            cells = [fmt(row.get(k)) for k in ("cold", "cold_serial", "warm", "warm_pages", "one_change",
                                                "material", "pelican", "floor")]
            print(f"| {label(size, shape)} | " + " | ".join(cells) + " |")
        print("\nRatios, wall time (CPU time in brackets: steadier on a shared machine)")
        print("| posts | cold ÷ Material | cold ÷ Pelican | --jobs 1 ÷ Material | --jobs 1 ÷ Pelican "
              "| cold ÷ floor | warm ÷ cold | warm with MkDocs ÷ cold | changed ÷ cold |")
        print("|---|---|---|---|---|---|---|---|---|")
        for size, shape, row in self.rows():
            cold = row.get("cold")
            serial = row.get("cold_serial")
            pairs = [(cold, row.get("material")), (cold, row.get("pelican")),
                     (serial, row.get("material")), (serial, row.get("pelican")),
                     (cold, row.get("floor")), (row.get("warm"), cold),
                     (row.get("warm_pages"), cold), (row.get("one_change"), cold)]
            print(f"| {label(size, shape)} | " + " | ".join(both(a, b) for a, b in pairs) + " |")
        for shape in self.shapes:
            colds = [(s, self.results.get(self.key(s, shape), {}).get("cold")) for s in self.sizes]
            for (small, a), (large, b) in zip(colds, colds[1:], strict=False):
                print(f"Scaling ({shape}): {large:,} posts cost {both(b, a)} what {small:,} cost "
                      f"(posts ×{large / small:g}; linear within 10%: ≤ {1.1 * large / small:.2f}×)")

    def rows(self) -> list[tuple[int, str, dict[str, Timing]]]:
        return [(size, shape, self.results.get(self.key(size, shape), {}))
                for shape in self.shapes for size in self.sizes]

    def report_other(self, extra: dict[str, Timing]) -> None:
        print("\n| stage | median wall s | CPU s | peak MiB | note |")
        print("|---|---|---|---|---|")
        one, two = extra.get("network_jobs1"), extra.get("network_jobs2")
        for key, timing in extra.items():
            note = ""
            if key == "network_jobs2":
                note = f"speed-up {ratio(one, two)} (target ≥ 1.70×)"
            if key == "photos_warm":
                note = f"{ratio(timing, extra.get('photos_cold'))} of cold"
            if key == "photos_cold" and timing.ok:
                note = f"{timing.median / max(1, self.args.photos):.2f} s a photo, build included"
            cpu = f"{timing.cpu:.2f}" if timing.ok and timing.cpu == timing.cpu else "–"
            print(f"| {timing.name} | {fmt_s(timing)} | {cpu} | {fmt_mem(timing)} "
                  f"| {note or timing.note} |")

    def as_json(self) -> dict[str, object]:
        return {"machine": machine(), "runs": self.runs, "notes": self.notes,
                "results": {group: {k: {"median": t.median, "cpu": t.cpu, "peak_mib": t.peak_mib,
                                        "samples": [s.seconds for s in t.samples],
                                        "note": t.note}
                                    for k, t in stages.items()}
                            for group, stages in self.results.items()}}


def compile_package() -> None:
    """trangtin's modules compiled to bytecode once, as ``pip install`` does for the tools it is
    compared with: with ``PYTHONDONTWRITEBYTECODE`` set (or a read-only checkout), an editable
    install would otherwise compile its own source in every timed run (~0.2 s)."""
    import trangtin

    compileall.compile_dir(str(Path(trangtin.__file__).parent), quiet=1)


def label(size: int, shape: str) -> str:
    return f"{size:,}" if shape == "school" else f"{size:,} ({shape})"


def clean(root: Path) -> None:
    """Forget every earlier build: output and caches (set aside, see measure.set_aside)."""
    set_aside(root / "public")
    set_aside(root / ".cache")


def fmt(timing: Timing | None) -> str:
    if timing is None:
        return "–"
    if not timing.ok:
        return timing.note[:40] or "–"
    mem = f", {timing.peak_mib:.0f} MiB" if timing.peak_mib == timing.peak_mib else ""
    return f"{timing.median:.2f} s{mem}"


def fmt_s(timing: Timing) -> str:
    return f"{timing.median:.2f}" if timing.ok else (timing.note[:40] or "–")


def fmt_mem(timing: Timing) -> str:
    return f"{timing.peak_mib:.0f}" if timing.ok and timing.peak_mib == timing.peak_mib else "–"


def ratio(a: Timing | None, b: Timing | None, cpu: bool = False) -> str:
    if a is None or b is None or not a.ok or not b.ok:
        return "–"
    x, y = (a.cpu, b.cpu) if cpu else (a.median, b.median)
    return f"{x / y:.2f}×" if y and y == y and x == x else "–"


def both(a: Timing | None, b: Timing | None) -> str:
    wall, cpu = ratio(a, b), ratio(a, b, cpu=True)
    return wall if cpu == "–" else f"{wall} ({cpu})"


def floor(folder: Path) -> int:
    """The Markdown-rendering floor: python-markdown with the same extensions, every body."""
    import markdown

    md = markdown.Markdown(extensions=writers.MARKDOWN_EXTENSIONS,
                           extension_configs={"toc": {"permalink": False}})
    for path in sorted(folder.glob("*.md")):
        md.reset()
        md.convert(path.read_text(encoding="utf-8"))
    return 0


__all__ = ["main", "run_once"]

if __name__ == "__main__":
    sys.exit(main())
