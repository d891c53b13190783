"""The month chart of Thống kê tin bài: columns proportional to the values, whole ticks, a
year under the first month and under January, the text the same size whatever the count."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from trangtin.report.overview import PLOT_HEIGHT, month_chart


def report(values: dict[str, int]) -> SimpleNamespace:
    root = SimpleNamespace(unit=SimpleNamespace(id="xa", parent="so"), total_by_month=values)
    team = SimpleNamespace(unit=SimpleNamespace(id="to", parent="xa"), total_by_month=values)
    return SimpleNamespace(units=[root, team], months=list(values))


def test_columns_follow_the_values_and_carry_them():
    chart = month_chart(report({"2025-09": 12, "2025-10": 6, "2025-11": 0, "2025-12": 3, "2026-01": 1}))
    assert [c.value for c in chart.columns] == [12, 6, 0, 3, 1]  # the team is inside its school
    assert [c.label for c in chart.columns] == ["T9", "T10", "T11", "T12", "T1"]
    assert [c.year for c in chart.columns] == ["2025", "", "", "", "2026"]
    top = chart.ticks[-1][1]
    assert [v for _, v in chart.ticks] == [0, top // 2, top] and top >= 12
    for column in chart.columns:
        assert column.height == pytest.approx(PLOT_HEIGHT * column.value / top, abs=0.1)
        assert column.y + column.height == pytest.approx(chart.base, abs=0.1)


def test_a_short_year_is_drawn_at_the_scale_of_a_whole_one():
    assert month_chart(report({"2026-09": 0})).width == month_chart(
        report({f"2025-{m:02d}": 1 for m in range(1, 13)})).width


@pytest.mark.parametrize(("largest", "ticks"), [(0, [0, 1]), (1, [0, 1]), (3, [0, 2, 4]),
                                                (8, [0, 4, 8]), (13, [0, 10, 20])])
def test_ticks_are_whole_numbers(largest, ticks):
    assert [v for _, v in month_chart(report({"2025-09": largest})).ticks] == ticks
