"""Counting against the hand-computed golden network (tests/data/golden/README.md)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from trangtin.content.items import Item
from trangtin.feeds import reader, writer
from trangtin.network.model import load_network, parse_quota
from trangtin.report import counting, periods

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
CASES = sorted((GOLDEN / "expected").glob("*.json"))
REMOTE = ("th-xa", "phuong-xa", "th-phuong")
# The moment the reports are made: after every September 2025 item, before the 2099 ones.
NOW = dt.datetime(2025, 12, 31, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def network():  # noqa: ANN201
    return load_network(GOLDEN / "network.yml")


def feed_reader() -> counting.RemoteReader:
    return counting.feed_file_reader({u: GOLDEN / "feeds" / f"{u}.json" for u in REMOTE})


def golden_report(network, expected: dict[str, Any]) -> dict[str, Any]:  # noqa: ANN001
    as_of = dt.date.fromisoformat(expected["as_of"])
    made = counting.report(network, expected["kind"], as_of, remote=feed_reader(), now=NOW)
    return made.to_json()


def check_report(data: dict[str, Any], expected: dict[str, Any], network: Any,
                 unplaceable: bool = True) -> None:
    """Every unit of the network against the hand-computed expectation (zeros by default)."""
    assert data["period"]["from"] == expected["period"]["from"]
    assert data["period"]["to"] == expected["period"]["to"]
    assert data["as_of"] == expected["as_of"]
    assert data["timezone"] == "Asia/Ho_Chi_Minh"
    assert data["months"] == expected["months"]
    if "duplicates" in expected:
        assert data["duplicates"] == expected["duplicates"]
    if unplaceable and "unplaceable" in expected:
        assert sorted([p["unit"], p["reason"]] for p in data["unplaceable"]) == \
            sorted(expected["unplaceable"])
    units = {u["id"]: u for u in data["units"]}
    assert set(units) == set(network.units)
    sharing = {unit_id: (kind, rank["rank"], rank["published"], rank["units"])
               for kind, ranks in data["ranking"].items() for rank in ranks
               for unit_id in rank["units"]}
    assert set(sharing) == set(units)  # every unit ranked exactly once
    for unit_id, row in units.items():
        want = expected["units"].get(unit_id, {})
        check_unit(row, want, expected["months"], unit_id)
        kind, rank, published, group = sharing[unit_id]
        assert (kind, rank, published) == (row["type"], row["rank"], row["published"])
        if "rank" in want:
            assert sorted(set(group) - {unit_id}) == sorted(want.get("tied_with", [])), unit_id
            assert row["tied"] == len(want.get("tied_with", [])), unit_id


def check_unit(row: dict[str, Any], want: dict[str, Any], months: list[str], unit_id: str) -> None:
    where = f"{unit_id}: "
    for key in ("published", "total", "with_media"):
        assert row[key] == want.get(key, 0), where + key
    for key in ("by_category", "by_author"):
        assert row[key] == want.get(key, {}), where + key
    assert row["not_counted"] == want.get("not_counted", {"draft": 0, "unapproved": 0}), where
    assert row["by_month"] == {m: want.get("by_month", {}).get(m, 0) for m in months}, where
    assert sum(row["by_month"].values()) == row["published"], where
    if "total_by_month" in want:
        assert row["total_by_month"] == {m: want["total_by_month"].get(m, 0) for m in months}
    if "by_to" in want:
        assert row["by_to"] == want["by_to"], where
    if "quota" in want:
        for key, value in want["quota"].items():
            assert row["quota"][key] == value, where + key
    if "met" in want:
        assert row["met"] is want["met"], where + "met"
    if "rank" in want:
        assert (row["rank"], row["rank_among"]) == (want["rank"], want["rank_among"]), where


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_numbers(network, case: Path) -> None:  # noqa: ANN001
    expected = json.loads(case.read_text(encoding="utf-8"))
    check_report(golden_report(network, expected), expected, network)


def test_school_year_boundary_in_every_zone(network) -> None:  # noqa: ANN001
    """The four boundary instants of the issue, read from a feed, fall in the right year."""
    items = [i for i in feed_reader()(network, network.units["th-xa"])[0]]  # type: ignore[index]
    years = {i.title.split()[0]: periods.school_year_start(i.published.date(), 9)
             for i in items if i.published}
    assert (years["D1"], years["D2"], years["D3"], years["D4"]) == (2024, 2024, 2025, 2025)


def test_cross_post_counts_for_its_writer_only(network) -> None:  # noqa: ANN001
    expected = json.loads((GOLDEN / "expected" / "school-year-2024-2025.json").read_text("utf-8"))
    units = {u["id"]: u for u in golden_report(network, expected)["units"]}
    assert units["phuong-xa"]["published"] == 1  # its own e1, not th-phuong's f1 it re-posted
    assert units["th-phuong"]["published"] == 2  # f1 once (two copies) and f2


def test_local_posts_count_the_same_from_their_feed(network) -> None:  # noqa: ANN001
    """The same posts, written to a JSON Feed by the feed writer and read back, count the same."""
    as_of = dt.date(2025, 9, 15)
    collected = counting.collect_items(network, as_of, now=NOW)
    local = [i for i in collected.items if not network.units[i.unit].is_remote]
    travelled: list[Item] = []
    for unit_id in ("thcs-vang", "th-vang", "xa-vang"):
        info = writer.FeedInfo(unit_id, network.units[unit_id].name,
                              f"https://{unit_id}.example.invalid/", "")
        entries = [writer.Entry(i, i.url) for i in local if i.unit == unit_id]
        body = writer.render_feeds(entries, info)["feed.json"]
        origin = reader.Origin(network, unit_id, info.url("feed.json"))
        travelled += reader.parse(body, "application/feed+json", origin).items
    assert len(travelled) == len(local)
    for kind in ("school_year", "month", "quarter", "year"):
        for day in (dt.date(2025, 8, 31), as_of):
            period = periods.resolve(kind, day, network)
            direct = counting.count(network, local, period, day, now=NOW).to_json()
            via_feed = counting.count(network, travelled, period, day, now=NOW).to_json()
            assert _numbers(direct) == _numbers(via_feed), (kind, day)


def _numbers(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(u["id"], u["published"], u["total"], u["by_month"], u["by_category"], u["by_to"],
             u["by_author"], u["with_media"]) for u in data["units"]]


def test_unknown_unit_and_missing_date_are_listed_not_dropped(network) -> None:  # noqa: ANN001
    zone = network.timezone
    items = [
        Item("urn:x:1", "khong-co", "Đơn vị lạ", "https://x/1", dt.datetime(2025, 1, 5, tzinfo=zone),
             source="https://x/feed.json"),
        Item("urn:x:2", "th-vang", "Không ngày", "https://x/2", None, source="https://x/feed.json"),
    ]
    period = periods.resolve("year", dt.date(2025, 6, 1), network)
    made = counting.count(network, items, period, dt.date(2025, 6, 1))
    assert [(p.unit, p.reason, p.source) for p in made.unplaceable] == [
        ("khong-co", "unknown_unit", "https://x/feed.json"),
        ("th-vang", "no_date", "https://x/feed.json")]
    assert all(row.published == 0 for row in made.units)


def test_scope_is_a_subtree(network) -> None:  # noqa: ANN001
    made = counting.report(network, "school_year", dt.date(2025, 8, 31), unit_id="phuong-xa",
                           remote=feed_reader(), now=NOW).to_json()
    assert [u["id"] for u in made["units"]] == ["phuong-xa", "th-phuong"]
    assert made["units"][0]["total"] == 3 and made["scope"] == "phuong-xa"
    assert made["unplaceable"] == []  # the other units' problems are not this report's


def test_periods_are_half_open_local_days(network) -> None:  # noqa: ANN001
    zone = network.timezone
    year = periods.resolve("school_year", dt.date(2025, 8, 31), network)
    assert year.contains(dt.datetime(2025, 8, 31, 23, 59, 59, tzinfo=zone))
    assert not year.contains(dt.datetime(2025, 9, 1, tzinfo=zone))
    assert not year.contains(dt.datetime(2025, 8, 31, 17, 0, tzinfo=dt.UTC))  # 00:00 on 1/9
    first = periods.resolve("semester", dt.date(2025, 10, 1), network)
    assert (first.first_day, first.last_day) == (dt.date(2025, 9, 5), dt.date(2026, 1, 17))
    assert periods.resolve("quarter", dt.date(2025, 12, 31), network).first_day == \
        dt.date(2025, 10, 1)
    assert periods.resolve("range", dt.date(2025, 1, 1), network, dt.date(2025, 1, 1),
                           dt.date(2025, 1, 31)).end == dt.datetime(2025, 2, 1, tzinfo=zone)


@pytest.mark.parametrize(("text", "per", "count"), [
    ("1 per month", "month", 1), ("40 per school year", "school_year", 40),
    ("8 per year", "year", 8), ("1/tháng", "month", 1), ("2 bài/năm học", "school_year", 2),
    ("3 / học kỳ", "semester", 3), ("1 mỗi quý", "quarter", 1),
])
def test_quota_shorthand(text: str, per: str, count: int) -> None:
    quota = parse_quota(text)
    assert quota is not None and (quota.per, quota.count) == (per, count)


def test_bad_quota_is_explained(tmp_path: Path) -> None:
    from trangtin.common.diagnostics import TrangtinError

    text = (GOLDEN / "network.yml").read_text(encoding="utf-8").replace(
        "to: 1 per month", "to: mỗi tuần một bài")
    (tmp_path / "network.yml").write_text(text, encoding="utf-8")
    with pytest.raises(TrangtinError) as problem:
        load_network(tmp_path / "network.yml")
    rendered = problem.value.diagnostics[0].render()
    assert rendered.startswith("network.yml:7: lỗi: chỉ tiêu 'mỗi tuần một bài' không đọc được")


def test_hundred_thousand_items_in_seconds(network) -> None:  # noqa: ANN001
    items = counting.synthetic_items(network, 100_000)
    period = periods.school_year(2024, 9, network.timezone)
    started = time.perf_counter()
    made = counting.count(network, items, period, dt.date(2025, 8, 31))
    seconds = time.perf_counter() - started
    counted = sum(r.published for r in made.units if r.unit.type != "to")
    assert counted + made.duplicates + len(made.unplaceable) == 100_000
    assert seconds < 5, f"counting 100,000 items took {seconds:.1f} s"


def test_a_period_after_the_as_of_date_is_empty(network) -> None:  # noqa: ANN001
    made = counting.report(network, "range", dt.date(2025, 9, 10), first=dt.date(2025, 9, 15),
                           last=dt.date(2025, 9, 30), remote=feed_reader(), now=NOW)
    assert made.months == []
    assert all(r.published == 0 and (r.quota is None or r.met is None) for r in made.units)


def test_a_team_alone_counts_its_school_posts_marked_with_it(network) -> None:  # noqa: ANN001
    made = counting.report(network, "school_year", dt.date(2025, 8, 31),
                           unit_id="thcs-vang-to-van", remote=feed_reader(), now=NOW).to_json()
    assert [(u["id"], u["published"], u["by_month"]["2025-08"]) for u in made["units"]] == \
        [("thcs-vang-to-van", 1, 1)]
