"""The portal's Thống kê tin bài as built: totals first, unit names with their verdict badges,
charts with labelled axes and values, every table cell labelled, unit ids kept off the screen."""

from __future__ import annotations

import json
from pathlib import Path

from ..htmlcheck import parse

PORTAL = "xa-an-binh"
BADGES = {"Đạt", "Chưa đạt", "Đang trong kỳ"}


def report_page(built_network: Path):
    return parse(built_network / "public" / PORTAL / "thong-ke" / "index.html")


def last_year(built_network: Path) -> tuple[dict, object]:
    """The full school year of the page (the one with numbers) and its section."""
    folder = built_network / "public" / PORTAL / "thong-ke"
    (data_file,) = folder.glob("bao-cao-*.json")
    data = json.loads(data_file.read_text(encoding="utf-8"))
    start = data_file.stem.removeprefix("bao-cao-")[:4]
    (section,) = report_page(built_network).xpath(f"//section[@aria-labelledby='nam-hoc-{start}']")
    return data, section


def expected_badge(unit: dict) -> str | None:
    if unit["met"] is None:
        return None
    if unit["met"]:
        return "Đạt"
    return "Đang trong kỳ" if unit["quota"]["in_progress"] else "Chưa đạt"


def test_each_unit_is_named_with_its_verdict_badge(built_network: Path):
    data, section = last_year(built_network)
    rows = section.xpath(".//table[contains(@class, 'tt-results')]/tbody/tr")
    assert len(rows) == len(data["units"])
    for row, unit in zip(rows, data["units"], strict=True):
        name_cell = row.xpath("td[@data-label='Đơn vị']")[0]
        assert name_cell.text.strip() == unit["name"]
        assert unit["id"] not in row.text_content()
        badge = row.xpath("string(.//span[contains(@class, 'tt-badge')])").replace("✓", "").replace(
            "✗", "").replace("…", "").strip()
        assert badge == (expected_badge(unit) or "")
        assert badge == "" or badge in BADGES
        assert row.xpath("string(td[@data-label='Số tin bài'])").split()[0] == str(unit["published"])


def test_totals_come_first(built_network: Path):
    data, section = last_year(built_network)
    totals = section.xpath(".//ul[contains(@class, 'tt-totals')]")[0]
    first_table = section.xpath(".//table")[0]
    assert totals.sourceline < first_table.sourceline
    published = sum(u["total"] for u in data["units"] if u["parent"] not in {v["id"] for v in data["units"]})
    assert totals.xpath("string(li[1]/strong)") == str(published)
    met = sum(1 for u in data["units"] if u["met"])
    assert totals.xpath("string(li[2]/strong)") == f"{met}/{len(data['units'])}"


def test_the_month_chart_labels_its_axes_and_values(built_network: Path):
    data, section = last_year(built_network)
    (chart,) = section.xpath(".//*[local-name()='svg'][contains(@class, 'tt-chart')]")
    texts = [t.text for t in chart.xpath(".//*[local-name()='text']")]
    assert "Số tin bài" in texts and "Tháng" in texts
    values = [t.text for t in chart.xpath(".//*[local-name()='text'][@class='tt-chart__value']")]
    ids = {u["id"] for u in data["units"]}
    roots = [u for u in data["units"] if u["parent"] not in ids]
    months = data["months"]
    assert values == [str(sum(u["total_by_month"].get(m, 0) for u in roots)) for m in months]
    assert [t for t in texts if t and t.startswith("T") and t[1:].isdigit()] == [
        f"T{int(m[5:])}" for m in months]


def test_report_cells_are_labelled_and_ids_stay_off_the_screen(built_network: Path):
    page = report_page(built_network)
    tables = page.xpath("//section[contains(@class, 'tt-report')]//table")
    assert tables
    for table in tables:
        headers = [th.text_content() for th in table.xpath("thead/tr/th")]
        for row in table.xpath("tbody/tr"):
            assert [td.get("data-label") for td in row.xpath("td")] == headers
        for index, header in enumerate(headers):
            if header == "Mã đơn vị":
                assert "tt-id" in (table.xpath("thead/tr/th")[index].get("class") or "")
