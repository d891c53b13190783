"""What the portal's "Thống kê tin bài" shows first on a screen: the totals, one line per unit
with its quota verdict as a badge (a word and a sign, not colour alone), and the month chart
laid out for an SVG with labelled axes and a value on every column.

The printed report and the downloads keep the full tables of ``export.views``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trangtin.network.model import UNIT_TYPES
from trangtin.report.counting import Report, UnitRow


@dataclass(frozen=True)
class Badge:
    key: str      # for CSS: dat, chua-dat, trong-ky
    label: str
    sign: str     # read with the word, so the verdict never rests on colour alone


MET = Badge("dat", "Đạt", "✓")
NOT_MET = Badge("chua-dat", "Chưa đạt", "✗")
RUNNING = Badge("trong-ky", "Đang trong kỳ", "…")


def badge(row: UnitRow) -> Badge | None:
    """Đạt; Chưa đạt once every quota period is over; Đang trong kỳ while one still runs."""
    if row.met is None:
        return None
    if row.met:
        return MET
    return RUNNING if row.quota is not None and row.quota.in_progress else NOT_MET


@dataclass(frozen=True)
class UnitLine:
    name: str
    kind: str         # "Trường", "Tổ chuyên môn"…
    parent: str       # the name of the unit above
    published: int
    total: int        # with the units below
    with_media: int
    required: int | None
    missing: int | None
    badge: Badge | None
    rank: int
    rank_among: int


@dataclass(frozen=True)
class Totals:
    published: int
    units: int
    met: int
    not_met: int
    running: int
    silent: int       # units without any item in the period


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str        # "T9"
    year: str         # under the first month and under January, else ""

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class MonthChart:
    """An SVG column chart: viewBox ``0 0 width height``, the plot between ``left`` and
    ``right``, ``top`` and ``base``; ``ticks`` are (y, value) on the vertical axis."""

    width: int
    height: int
    left: int
    right: int
    top: int
    base: int
    columns: list[Column]
    ticks: list[tuple[float, int]]


@dataclass(frozen=True)
class Overview:
    totals: Totals
    units: list[UnitLine]
    months: MonthChart


def overview(report: Report) -> Overview:
    lines = [_line(report, row) for row in report.units]
    return Overview(_totals(report, lines), lines, month_chart(report))


def _line(report: Report, row: UnitRow) -> UnitLine:
    quota = row.quota
    parent = report.names.get(row.unit.parent, "") if row.unit.parent else ""
    return UnitLine(row.unit.name, UNIT_TYPES.get(row.unit.type, row.unit.type), parent,
                    row.published, row.total, row.with_media,
                    quota.required if quota else None, quota.missing if quota else None,
                    badge(row), row.rank, row.rank_among)


def _totals(report: Report, lines: list[UnitLine]) -> Totals:
    ids = {row.unit.id for row in report.units}
    published = sum(row.total for row in report.units if row.unit.parent not in ids)
    verdicts = [line.badge for line in lines]
    return Totals(published, len(lines), verdicts.count(MET), verdicts.count(NOT_MET),
                  verdicts.count(RUNNING), sum(1 for line in lines if line.published == 0))


PLOT_HEIGHT = 120
SLOT = 32          # the width of one month
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 22, 44


def month_chart(report: Report) -> MonthChart:
    ids = {row.unit.id for row in report.units}
    roots = [row for row in report.units if row.unit.parent not in ids]
    values = [sum(row.total_by_month.get(month, 0) for row in roots) for month in report.months]
    scale = _scale_top(max(values, default=0))
    base = TOP + PLOT_HEIGHT
    columns = []
    for index, (month, value) in enumerate(zip(report.months, values, strict=True)):
        height = round(PLOT_HEIGHT * value / scale, 1)
        year = month[:4] if index == 0 or month[5:] == "01" else ""
        columns.append(Column(round(LEFT + index * SLOT + SLOT * 0.2, 1), round(base - height, 1),
                              round(SLOT * 0.6, 1), height, value, f"T{int(month[5:])}", year))
    ticks = [(round(base - PLOT_HEIGHT * v / scale, 1), v) for v in sorted({0, scale // 2, scale})]
    # A school year's twelve months wide at least: the text keeps its size whatever the count.
    width = LEFT + max(12, len(values)) * SLOT + RIGHT
    return MonthChart(width, base + BOTTOM, LEFT, width - RIGHT, TOP, base, columns, ticks)


def _scale_top(largest: int) -> int:
    """The top of the vertical axis: the largest value, made even so its half is a whole tick."""
    if largest <= 1:
        return 1
    return largest + largest % 2 if largest < 10 else int(math.ceil(largest / 10) * 10)
