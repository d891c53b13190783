#!/usr/bin/env python3
"""The CI matrix of a network: one build job per school, the portal apart.

    python scripts/ci_matrix.py                  # schools: {"include": [{"unit": …}, …]}
    python scripts/ci_matrix.py --portal         # the portal(s) built here
    python scripts/ci_matrix.py --http-network network.yml
        # rewrite network.yml so the portal reads every school here over HTTP, from its
        # published feed (<site_url>feed.json), as it reads schools hosted elsewhere

Used by ``.github/workflows/network.yml`` (see docs/scaling.md). Every entry has ``unit``
(the matrix job's name), ``units`` (ids for ``trangtin build``, space-separated) and
``config`` (their mkdocs.yml files). GitHub Actions runs at most 256 jobs per matrix: above
``--max-jobs`` schools are grouped into that many batches, a few schools per job.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from trangtin.common.diagnostics import TrangtinError  # noqa: E402
from trangtin.feeds.writer import JSON_FILE  # noqa: E402
from trangtin.network.model import Network, Unit, load_network  # noqa: E402

GITHUB_MATRIX_LIMIT = 256


def schools(network: Network) -> list[Unit]:
    """Units built here that aggregate nothing (schools), in network.yml's order."""
    return [u for u in network.local_units() if not u.aggregates and not u.is_remote]


def portals(network: Network) -> list[Unit]:
    """Aggregating units built here: the portal, and any other Phòng/xã site of the repo."""
    return [u for u in network.local_units() if u.aggregates]


def entry(network: Network, units: list[Unit], name: str | None = None) -> dict[str, str]:
    configs = [network.config_file(u.id) for u in units]
    return {"unit": name or units[0].id, "units": " ".join(u.id for u in units),
            "config": " ".join(c.relative_to(network.root).as_posix() for c in configs if c)}


def matrix(network: Network, units: list[Unit], max_jobs: int) -> dict[str, list[dict[str, str]]]:
    """One entry per unit, or ``max_jobs`` batches of neighbouring units when there are more."""
    if len(units) <= max_jobs:
        return {"include": [entry(network, [u]) for u in units]}
    size = math.ceil(len(units) / max_jobs)
    batches = [units[i:i + size] for i in range(0, len(units), size)]
    width = len(str(len(batches)))
    return {"include": [entry(network, batch, f"lo-{n:0{width}d}")
                        for n, batch in enumerate(batches, start=1)]}


def feed_url(unit: Unit) -> str | None:
    """Where a school publishes its JSON Feed: beside its home page."""
    site = unit.site_url or unit.identity.website
    if not site.startswith(("https://", "http://")):
        return None
    return (site if site.endswith("/") else site + "/") + JSON_FILE


def http_network(network: Network, out: Path) -> list[str]:
    """Write network.yml with ``feed:`` for every school built here; the ids left local."""
    raw: dict[str, Any] = yaml.safe_load(network.path.read_text(encoding="utf-8-sig"))
    by_id = {u.id: u for u in schools(network)}
    left = []
    for entry_ in raw.get("units") or []:
        unit = by_id.get(str(entry_.get("id"))) if isinstance(entry_, dict) else None
        if unit is None:
            continue
        url = feed_url(unit)
        if url is None:
            left.append(unit.id)
        else:
            entry_["feed"] = url
    out.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return left


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Ma trận CI của mạng lưới (một job mỗi trường).")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="thư mục có network.yml (mặc định: thư mục hiện tại)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--portal", action="store_true", help="ma trận của cổng thông tin")
    what.add_argument("--http-network", type=Path, metavar="TỆP",
                      help="ghi network.yml để cổng đọc các trường qua địa chỉ đã đăng")
    parser.add_argument("--max-jobs", type=int, default=GITHUB_MATRIX_LIMIT,
                        help=f"số job tối đa (mặc định {GITHUB_MATRIX_LIMIT}, giới hạn của "
                             "GitHub Actions)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        network = load_network(args.root / "network.yml")
    except TrangtinError as problem:
        for diagnostic in problem.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        return 1
    if args.http_network:
        left = http_network(network, args.http_network)
        for unit_id in left:
            print(f"network.yml: cảnh báo: {unit_id} chưa có site_url nên cổng không đọc được "
                  "trang đã đăng của đơn vị, chỉ giữ tin đã tổng hợp lần trước — thêm "
                  "'site_url:' cho đơn vị này, hoặc đặt TRANGTIN_PORTAL_SOURCES=artifacts",
                  file=sys.stderr)
        return 0
    chosen = portals(network) if args.portal else schools(network)
    print(json.dumps(matrix(network, chosen, max(1, args.max_jobs)), ensure_ascii=False,
                     separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
