"""Print the sample portal's "Thống kê tin bài" as short tables, after ``scripts/demo.sh`` built it.

The same reports as the portal's page (the current school year up to today and the last one
with published items), and the school year the sample posts are dated in when neither is it,
so the demo shows numbers whatever the day it is run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trangtin.common.dates import now
from trangtin.network.model import UNIT_TYPES, load_network
from trangtin.report import counting, export, periods
from trangtin.report.counting import Report

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SCHOOL_YEAR = 2025  # the sample posts are dated in Năm học 2025-2026
NAME_WIDTH = 44


def reports(root: Path) -> list[Report]:
    network = load_network(root / "network.yml")
    portal = network.portal
    moment = now(network.timezone)
    shown = [page.report for page in export.portal_pages(network, portal, moment)]
    if all(r.period.first_day.year != SAMPLE_SCHOOL_YEAR for r in shown):
        period = periods.school_year(SAMPLE_SCHOOL_YEAR, network.school_year_start_month,
                                     network.timezone)
        as_of = min(moment.date(), period.last_day)
        shown.append(counting.report(network, "school_year", as_of, portal, now=moment))
    return shown


def table(report: Report) -> list[str]:
    scope = report.names.get(report.scope or "", "toàn mạng lưới")
    lines = [f"{report.period.label}, tính đến hết ngày {report.as_of:%d/%m/%Y} — {scope}",
             f"  {'Đơn vị':<{NAME_WIDTH}} {'Loại':<13} {'Số tin':>6} {'Tổng':>5}  Hạng   Đánh giá"]
    for row in report.units:
        indent = "  " * _depth(report, row.unit.id)
        name = (indent + row.unit.name)[:NAME_WIDTH]
        kind = UNIT_TYPES.get(row.unit.type, row.unit.type)[:13]
        rank = f"{row.rank}/{row.rank_among}"
        lines.append(f"  {name:<{NAME_WIDTH}} {kind:<13} {row.published:>6} {row.total:>5}  "
                     f"{rank:<6} {export.verdict(row)}".rstrip())
    if not any(row.published for row in report.units):
        lines.append("  (chưa đơn vị nào có tin bài đã đăng trong năm học này)")
    return lines


def _depth(report: Report, unit_id: str) -> int:
    parents = {row.unit.id: row.unit.parent for row in report.units}
    depth, parent = 0, parents.get(unit_id)
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT  # another network's folder (the tests use a copy)
    for number, report in enumerate(reports(root)):
        print(("\n" if number else "") + "\n".join(table(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
