"""A school hosted elsewhere is judged by the disclosure calendar from its feed, fetched over
loopback HTTP by ``trangtin aggregate``, as ``trangtin report --view cong-khai`` prints it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytest_httpserver import HTTPServer

from trangtin.cli.main import main
from trangtin.content.items import Item
from trangtin.feeds.reader import Origin, parse
from trangtin.feeds.writer import Entry, FeedInfo, render_feeds
from trangtin.network.model import load_network

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = "https://mn-xa.example.edu.vn/"


def menu(name: str, published: dt.datetime, applies_to: dt.date | None = None) -> Item:
    return Item(id=f"urn:trangtin:mn-xa:posts/{name}", unit="mn-xa", title=name,
                url=f"{SITE}tin-tuc/{name}/", published=published, categories=("Thực đơn",),
                applies_to=applies_to)


def test_a_remote_school_is_judged_from_its_feed(tmp_path: Path, server: HTTPServer,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    items = [
        # Saturday 23:30 local, read back from the feed's +07:00: on time for the next week.
        menu("tuan-46", dt.datetime(2025, 11, 8, 23, 30, tzinfo=ZONE)),
        # The period named in the feed (a day of week 47), posted 00:30 on Sunday: one day late.
        menu("tuan-47", dt.datetime(2025, 11, 16, 0, 30, tzinfo=ZONE), dt.date(2025, 11, 19)),
    ]
    info = FeedInfo(title="Trường Mầm non Xã", site_url=SITE, unit="mn-xa")
    server.expect_request("/feed.json").respond_with_data(
        render_feeds([Entry(i, i.url) for i in items], info)["feed.json"],
        content_type="application/feed+json")
    (tmp_path / "network.yml").write_text(
        "units:\n  - {id: xa, name: Xã, type: xa}\n"
        "  - {id: mn-xa, name: Trường Mầm non Xã, type: truong, parent: xa, "
        f"feed: '{server.url_for('/feed.json')}'}}\n"
        "disclosure:\n  - {preset: thuc-don, units: [mn-xa], from: 2025-11-10, until: 2025-11-23}\n",
        encoding="utf-8")
    assert main(["--root", str(tmp_path), "aggregate"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "report", "--unit", "mn-xa", "--period", "month",
                 "--as-of", "2025-11-30", "--format", "csv", "--view", "cong-khai"]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(printed.lstrip("\ufeff")),
                           delimiter=";" if printed.count(";") > printed.count(",") else ","))
    assert [(r[0], r[4], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("mn-xa", "10/11/2025", "08/11/2025", "08/11/2025", "Đúng hạn"),
        ("mn-xa", "17/11/2025", "15/11/2025", "16/11/2025", "Chậm 1 ngày"),
    ]


@pytest.mark.parametrize(("name", "kind"), [("feed.json", "application/feed+json"),
                                            ("feed.xml", "application/atom+xml")])
def test_the_period_travels_in_both_feeds_and_a_bad_one_is_dropped(name: str, kind: str,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "network.yml").write_text(
        "units:\n  - {id: xa, name: Xã, type: xa}\n"
        "  - {id: mn-xa, name: Trường Mầm non Xã, type: truong, parent: xa}\n", encoding="utf-8")
    network = load_network(tmp_path / "network.yml")
    info = FeedInfo(title="Trường Mầm non Xã", site_url=SITE, unit="mn-xa")
    named = menu("tuan-47", dt.datetime(2025, 11, 14, 8, 0, tzinfo=ZONE), dt.date(2025, 11, 17))
    payload = render_feeds([Entry(named, named.url)], info)[name]
    read = parse(payload, kind, Origin(network, "mn-xa", SITE + name)).items[0]
    assert read.applies_to == dt.date(2025, 11, 17)
    forged = payload.replace(b"2025-11-17", b"2025-11-17 (tuan sau)")
    again = parse(forged, kind, Origin(network, "mn-xa", SITE + name)).items[0]
    assert again.applies_to is None and again.title == "tuan-47"
