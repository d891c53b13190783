"""Every entry of a remote feed that is not used is named, never lost in silence: a JSON
Feed, an Atom and an RSS feed served over loopback, each with entries without a date, with
an unreadable date, without id and link, with wrong JSON types, with a duplicate id and
dated far in the future. Each is named (unit, feed URL, title or position, reason) in
``trangtin aggregate``'s output and in the JSON report's ``unplaceable``; the good items are
aggregated."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.unit.test_feed_bounds import schools_network
from trangtin.aggregate.collect import load_items
from trangtin.cli.main import main
from trangtin.network.model import load_network

GOOD_DATE = "2025-10-06T08:00:00+07:00"
JSON_ENTRIES: list[tuple[dict[str, Any], str | None]] = [  # (entry, reason when not used)
    ({"id": "j1", "title": "Tin tốt một", "date_published": GOOD_DATE}, None),
    ({"id": "j2", "title": "Không ngày đăng"}, "no_date"),
    ({"id": "j3", "title": "Ngày hôm qua", "date_published": "hôm qua"}, "no_date"),
    ({"title": "Không id không url", "date_published": GOOD_DATE}, "no_id"),
    ({"id": "j5", "title": ["Tiêu", "đề"], "date_published": GOOD_DATE}, "wrong_type"),
    ({"id": "j6", "title": "Ngày là số", "date_published": 20251006}, "wrong_type"),
    ({"id": "j1", "title": "Trùng id", "date_published": GOOD_DATE}, "duplicate"),
    ({"id": "j8", "title": "Năm 2099", "date_published": "2099-01-01T08:00:00+07:00"},
     "future"),
    ({"id": "j9", "title": "Năm 9999", "date_published": "9999-12-31T23:00:00-05:00"},
     "future"),
    ({"id": 10, "title": "Tin tốt có id số", "date_published": GOOD_DATE}, None),
]
# (id, title, date or None, reason when not used) for the XML feeds
XML_ENTRIES: list[tuple[str | None, str, str | None, str | None]] = [
    ("x1", "Tin tốt một", "2025-10-06T08:00:00+07:00", None),
    ("x2", "Không ngày đăng", None, "no_date"),
    ("x3", "Ngày hôm qua", "hôm qua", "no_date"),
    (None, "Không id không link", "2025-10-06T08:00:00+07:00", "no_id"),
    ("x1", "Trùng id", "2025-10-06T08:00:00+07:00", "duplicate"),
    ("x6", "Năm 2099", "2099-01-01T08:00:00+07:00", "future"),
    ("x7", "Năm 9999", "9999-12-31T23:00:00-05:00", "future"),
    ("x8", "Tin tốt hai", "2025-10-07T08:00:00+07:00", None),
]
REASON_WORDS = {"no_date": ("không có ngày đăng", "không đọc được"),
                "no_id": ("không có",), "wrong_type": ("phải là chuỗi",),
                "duplicate": ("trùng id",), "future": ("tương lai",)}


def json_feed() -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "JSON",
                       "items": [entry for entry, _ in JSON_ENTRIES]}, ensure_ascii=False).encode()


def atom_feed() -> bytes:
    entries = "".join(
        "<entry>" + (f"<id>urn:x:{id_}</id>" if id_ else "") + f"<title>{title}</title>"
        + (f"<published>{date}</published>" if date else "") + "<content>Nội dung</content>"
        "</entry>" for id_, title, date, _ in XML_ENTRIES)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>urn:x</id><title>Atom</title><updated>2025-10-07T00:00:00Z</updated>{entries}"
            "</feed>").encode()


def rss_date(date: str) -> str:
    if date.startswith("2025-10-06"):
        return "Mon, 06 Oct 2025 08:00:00 +0700"
    if date.startswith("2025-10-07"):
        return "Tue, 07 Oct 2025 08:00:00 +0700"
    return {"2099-01-01T08:00:00+07:00": "Thu, 01 Jan 2099 08:00:00 +0700",
            "9999-12-31T23:00:00-05:00": "Fri, 31 Dec 9999 23:00:00 -0500"}.get(date, date)


def rss_feed() -> bytes:
    items = "".join(
        "<item>" + (f"<guid>urn:x:{id_}</guid>" if id_ else "") + f"<title>{title}</title>"
        + (f"<pubDate>{rss_date(date)}</pubDate>" if date else "")
        + "<description>Nội dung</description></item>" for id_, title, date, _ in XML_ENTRIES)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>RSS</title><link>https://rss.example/</link>{items}</channel></rss>").encode()


FEEDS = {"th-json": ("/json/feed.json", json_feed, "application/feed+json"),
         "th-atom": ("/atom/feed.xml", atom_feed, "application/atom+xml"),
         "th-rss": ("/rss/rss.xml", rss_feed, "application/rss+xml")}


def expected_unused(unit: str) -> list[tuple[int, str, str]]:
    """(position, title as the feed wrote it or '', reason) of every entry not used."""
    if unit == "th-json":
        return [(n, e["title"] if isinstance(e.get("title"), str) else "", reason)
                for n, (e, reason) in enumerate(JSON_ENTRIES, 1) if reason]
    return [(n, title, reason) for n, (_, title, _, reason) in enumerate(XML_ENTRIES, 1) if reason]


@pytest.fixture()
def aggregated(tmp_path: Path, server: HTTPServer,
               capsys: pytest.CaptureFixture[str]) -> tuple[Path, HTTPServer, str]:
    for path, render, content_type in FEEDS.values():
        server.expect_request(path).respond_with_data(render(), content_type=content_type)
    schools_network(tmp_path, {unit: server.url_for(path) for unit, (path, *_) in FEEDS.items()})
    assert main(["--root", str(tmp_path), "aggregate"]) == 0  # warnings: every feed was read
    captured = capsys.readouterr()
    assert "xa: 9 tin từ 3 đơn vị, 17 mục không dùng được, 3 tin chờ đến ngày đăng" in captured.out
    return tmp_path, server, captured.err


def test_every_unused_entry_is_named_in_the_aggregate_output(
        aggregated: tuple[Path, HTTPServer, str]) -> None:
    _, server, err = aggregated
    lines = err.splitlines()
    for unit, (path, *_) in FEEDS.items():
        url = server.url_for(path)
        about = [line for line in lines if url in line]
        for position, title, reason in expected_unused(unit):
            if reason == "future" and title == "Năm 2099":  # kept, shown from its date
                [line] = [line for line in about if "«Năm 2099»" in line]
                assert "lưu ý" in line and "01/01/2099 08:00" in line and "tương lai" in line
                continue
            [line] = [line for line in about if re.search(rf"bỏ qua mục thứ {position}\b", line)]
            assert "cảnh báo" in line and f"Trường {unit}" in line, line
            if title:
                assert f"«{title}»" in line, line
            assert any(word in line for word in REASON_WORDS[reason]), line


def test_good_items_are_aggregated_and_future_ones_wait(
        aggregated: tuple[Path, HTTPServer, str]) -> None:
    network = load_network(aggregated[0] / "network.yml")
    titles = sorted((i.unit, i.title) for i in load_items(network, "xa"))
    assert titles == sorted([("th-json", "Tin tốt một"), ("th-json", "Tin tốt có id số"),
                             ("th-atom", "Tin tốt một"), ("th-atom", "Tin tốt hai"),
                             ("th-rss", "Tin tốt một"), ("th-rss", "Tin tốt hai")])


def test_every_unused_entry_is_in_the_reports_unplaceable_list(
        aggregated: tuple[Path, HTTPServer, str], tmp_path: Path) -> None:
    root, server, _ = aggregated
    out = tmp_path / "bao-cao.json"
    assert main(["--root", str(root), "report", "--period", "school-year", "--as-of",
                 "2025-12-31", "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    listed = {(p["unit"], p["reason"], p["title"]): p for p in data["unplaceable"]}
    for unit, (path, *_) in FEEDS.items():
        for position, title, reason in expected_unused(unit):
            found = [p for key, p in listed.items() if key[:2] == (unit, reason)
                     and (key[2] == title or (not title and f"mục thứ {position}:" in p["detail"]))]
            assert len(found) == 1, (unit, position, title, reason, data["unplaceable"])
            assert found[0]["source"] == server.url_for(path)
            assert found[0]["detail"]
    rows = {u["id"]: u for u in data["units"]}
    assert [rows[u]["published"] for u in FEEDS] == [2, 2, 2]
