"""The portal's "Thống kê tin bài" shows the current school year and the last one with items,
whatever the day: the sample network (posts of 2025–2026) counted on days years apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from trangtin.content.items import Item
from trangtin.network.model import load_network
from trangtin.report import counting, export

PORTAL = "xa-an-binh"


def at(year: int, month: int, day: int, network_root: Path) -> list[export.Page]:
    network = load_network(network_root / "network.yml")
    now = dt.datetime(year, month, day, 10, 0, tzinfo=network.timezone)
    return export.portal_pages(network, PORTAL, now)


def labels(pages: list[export.Page]) -> list[str]:
    return [shown.report.period.label for shown in pages]


def published(shown: export.Page) -> int:
    return sum(row.published for row in shown.report.units)


def test_a_year_after_the_sample_shows_the_sample_year_beside_the_empty_current_one(
        network_copy: Path) -> None:
    pages = at(2026, 11, 29, network_copy)
    assert labels(pages) == ["Năm học 2026-2027", "Năm học 2025-2026"]
    current, sample = pages
    assert published(current) == 0
    # Nobody has published yet: every unit shares the last rank of its type, none is 1st.
    assert all(row.rank == row.rank_among for row in current.report.units)
    network = load_network(network_copy / "network.yml")
    whole_year = counting.report(network, "school_year", dt.date(2026, 8, 31), PORTAL,
                                 now=dt.datetime(2026, 11, 29, 10, 0, tzinfo=network.timezone))
    assert sample.report.to_json()["units"] == whole_year.to_json()["units"]
    assert published(sample) > 0
    assert sample.downloads == {"xlsx": "bao-cao-2025-2026.xlsx", "csv": "bao-cao-2025-2026.csv",
                                "json": "bao-cao-2025-2026.json"}
    assert current.downloads["json"] == "bao-cao.json"


def test_years_later_the_last_year_with_items_is_shown_not_an_empty_previous_year(
        network_copy: Path) -> None:
    pages = at(2031, 10, 1, network_copy)
    assert labels(pages)[0] == "Năm học 2031-2032"
    assert labels(pages)[1] != "Năm học 2030-2031"
    assert published(pages[0]) == 0 and published(pages[1]) > 0


def test_during_the_sample_year_the_previous_year_follows_it(network_copy: Path) -> None:
    assert labels(at(2025, 11, 20, network_copy)) == ["Năm học 2025-2026", "Năm học 2024-2025"]


def item(unit: str, published: dt.datetime | None) -> Item:
    return Item(id=f"urn:test:{unit}:{published}", unit=unit, title="Tin", url="https://x.invalid/",
                published=published)


def test_last_school_year_with_items_is_counted_in_local_time(network_copy: Path) -> None:
    network = load_network(network_copy / "network.yml")
    utc = dt.UTC
    # 31/08/2022 18:00 UTC is 01/09/2022 01:00 in Việt Nam: school year 2022-2023.
    items = [item("thcs-an-binh", dt.datetime(2022, 8, 31, 18, 0, tzinfo=utc)),
             item("thcs-an-binh", None)]
    assert export.last_school_year_with_items(network, items, 2025) == 2022
    assert export.last_school_year_with_items(network, items, 2022) == 2021  # none before
    assert export.last_school_year_with_items(network, [], 2025) == 2024
