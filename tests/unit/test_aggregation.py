"""Aggregation over a real loopback HTTP server: good feeds, 304, slow, gzip bomb, broken
XML, an HTML page, hostile HTML; every failure reported, every healthy unit aggregated."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import loopback_server
from trangtin.aggregate.collect import Aggregate, RemoteCache, aggregate, dedupe, load_items
from trangtin.cli.main import main
from trangtin.content.items import Item
from trangtin.feeds.fetch import FetchPolicy
from trangtin.network.model import Network, load_network

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = FetchPolicy(timeout=0.5, total_timeout=2, retries=1, backoff=0.01, max_bytes=200_000)
XSS = (
    '<p>Xin chào<script>alert("x")</script></p>'
    '<img src="anh/khai-giang.jpg" onerror="alert(1)" alt="Khai giảng">'
    '<a href="javascript:alert(2)">bấm</a><a href="JaVaScRiPt:alert(3)">bấm</a>'
    '<img src="data:image/png;base64,iVBORw0KGgo=">'
    '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>'
    '<form action="https://evil.example/"><input name="mat-khau"></form>'
    '<p style="position:fixed" onclick="steal()">Đoạn <a href="../../lich-hoc/">lịch học</a></p>'
)


def one_remote_school(root: Path, server: HTTPServer) -> Network:
    """A commune with one school, th-tot, whose feed is /tot/feed.json on ``server``."""
    lines = ["units:", "  - {id: xa, name: Xã Thử, type: xa}",
             f"  - {{id: th-tot, name: Trường Tốt, type: truong, parent: xa, "
             f"feed: '{server.url_for('/tot/feed.json')}'}}"]
    (root / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_network(root / "network.yml")


def json_feed(base: str, unit: str, items: list[dict[str, object]]) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": unit,
                       "home_page_url": base, "items": items}, ensure_ascii=False).encode()


def json_item(base: str, unit: str, slug: str, date: str, **extra: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": f"urn:trangtin:{unit}:posts/{slug}", "url": f"{base}tin-tuc/{slug}/",
        "title": f"Tin {slug}", "content_html": f"<p>Nội dung {slug}</p>",
        "date_published": date, "_trangtin": {"unit": unit, "highlight": True}}
    item.update(extra)
    return item


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Trường Atom</title>
<updated>2025-09-01T00:00:00Z</updated>
<entry><id>tag:atom.example,2025:1</id><title type="html">&lt;b&gt;Khai giảng&lt;/b&gt; &amp;amp; đón lớp 1</title>
<updated>2025-08-31T17:30:00Z</updated><published>2025-08-31T17:30:00Z</published>
<link rel="alternate" href="{base}tin/khai-giang/"/>
<content type="html">&lt;p&gt;Ảnh: &lt;img src="anh.jpg"&gt;&lt;/p&gt;</content></entry>
</feed>"""


def write_network(root: Path, server: HTTPServer) -> Network:
    units = {"th-tot": "/tot/feed.json", "th-atom": "/atom/feed.xml", "th-cham": "/cham/feed.json",
             "th-bom": "/bom/feed.json", "th-hong": "/hong/feed.xml", "th-html": "/html/",
             "th-xxe": "/xxe/feed.xml"}
    lines = ["timezone: Asia/Ho_Chi_Minh", "units:", "  - {id: xa, name: Xã Thử, type: xa}"]
    for unit, path in units.items():
        lines.append(f"  - {{id: {unit}, name: Trường {unit}, type: truong, parent: xa, "
                     f"feed: '{server.url_for(path)}'}}")
    (root / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_network(root / "network.yml")


def serve_everything(server: HTTPServer) -> None:
    tot = server.url_for("/tot/")
    server.expect_request("/tot/feed.json").respond_with_data(
        json_feed(tot, "th-tot", [
            json_item(tot, "th-tot", "a", "2025-09-05T07:30:00+07:00", content_html=XSS,
                      title="<script>alert(1)</script>Tin & \"nổi bật\""),
            json_item(tot, "th-tot", "b", "2025-09-06 08:00:00"),  # naive: local time
        ]), content_type="application/feed+json")
    server.expect_request("/atom/feed.xml").respond_with_data(
        ATOM.replace("{base}", server.url_for("/atom/")), content_type="application/atom+xml")

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    server.expect_request("/cham/feed.json").respond_with_handler(slow)
    bomb = gzip.compress(b"{" + b" " * 20_000_000 + b"}", compresslevel=9)
    server.expect_request("/bom/feed.json").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/json")
    server.expect_request("/hong/feed.xml").respond_with_data(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</titl',
        content_type="application/atom+xml")
    server.expect_request("/html/").respond_with_data(
        "<!doctype html><html><head><title>Trang chủ</title></head><body><p>Xin chào</p>"
        "</body></html>", content_type="text/html; charset=utf-8")
    server.expect_request("/xxe/feed.xml").respond_with_data(
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>',
        content_type="application/atom+xml")


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Network, HTTPServer,
                                                                          Aggregate, float]]:
    """One aggregation run over every kind of feed, shared by the tests that read it."""
    with loopback_server() as httpserver:
        network = write_network(tmp_path_factory.mktemp("everything"), httpserver)
        serve_everything(httpserver)
        started = time.perf_counter()
        [result] = aggregate(network, ["xa"], policy=FAST)
        yield network, httpserver, result, time.perf_counter() - started


def by_unit(items: list[Item]) -> dict[str, list[Item]]:
    found: dict[str, list[Item]] = {}
    for item in items:
        found.setdefault(item.unit, []).append(item)
    return found


def test_failures_are_reported_and_healthy_units_aggregated(
        everything: tuple[Network, HTTPServer, Aggregate, float]) -> None:
    network, _, result, seconds = everything
    assert seconds < 10
    units = by_unit(load_items(network, "xa"))
    assert sorted(units) == ["th-atom", "th-tot"]
    failed = {d.unit: d for d in result.diagnostics}
    assert sorted(failed) == ["th-bom", "th-cham", "th-hong", "th-html", "th-xxe"]
    for unit, diagnostic in failed.items():
        assert str(network.units[unit].feed) in diagnostic.message
        assert diagnostic.is_error  # nothing was ever fetched from them
    assert "quá thời gian chờ" in failed["th-cham"].message
    assert "giới hạn" in failed["th-bom"].message
    assert "XML bị lỗi" in failed["th-hong"].message
    assert "không phải nguồn tin" in failed["th-html"].message
    assert "ENTITY" in failed["th-xxe"].message


def test_dates_are_read_as_the_publisher_meant_them(
        everything: tuple[Network, HTTPServer, Aggregate, float]) -> None:
    network = everything[0]
    units = by_unit(load_items(network, "xa"))
    # 17:30 UTC on 31/08 is 00:30 on 01/09 in Vietnam: the new school year
    assert units["th-atom"][0].published == dt.datetime(2025, 9, 1, 0, 30, tzinfo=LOCAL)
    assert units["th-atom"][0].published.utcoffset() == dt.timedelta(hours=7)
    naive = next(i for i in units["th-tot"] if i.id.endswith("/b"))
    assert naive.published == dt.datetime(2025, 9, 6, 8, 0, tzinfo=LOCAL)


def test_hostile_html_is_made_inert_and_relative_links_absolute(
        everything: tuple[Network, HTTPServer, Aggregate, float]) -> None:
    network, server = everything[0], everything[1]
    items = {i.id: i for i in load_items(network, "xa")}
    item = items["urn:trangtin:th-tot:posts/a"]
    assert item.title == "<script>alert(1)</script>Tin & \"nổi bật\""  # text, escaped when shown
    tree = lxml.html.fragment_fromstring(item.content_html, create_parent="div")
    assert not tree.xpath("//script | //iframe | //style | //form | //input | //object")
    for element in tree.iter():
        assert not [a for a in element.attrib if a.startswith("on") or a == "style"]
    urls = [*tree.xpath("//a/@href"), *tree.xpath("//img/@src")]
    assert all(u.startswith(("http://", "https://")) for u in urls), urls
    base = server.url_for("/tot/tin-tuc/a/")
    assert base + "anh/khai-giang.jpg" in tree.xpath("//img/@src")
    assert server.url_for("/tot/lich-hoc/") in tree.xpath("//a/@href")
    assert "alert" not in item.content_html and "data:" not in item.content_html
    atom = next(i for i in items.values() if i.unit == "th-atom")
    assert atom.title == "Khai giảng & đón lớp 1"
    assert server.url_for("/atom/anh.jpg") in atom.content_html


def test_second_run_uses_conditional_get_and_a_304_keeps_the_items(tmp_path: Path,
                                                                   server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    tot = server.url_for("/tot/")
    body = json_feed(tot, "th-tot", [json_item(tot, "th-tot", "a", "2025-09-05T07:30:00+07:00")])
    seen: list[dict[str, str]] = []

    def conditional(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, content_type="application/feed+json",
                        headers={"ETag": '"v1"', "Last-Modified": "Fri, 05 Sep 2025 00:30:00 GMT"})

    server.expect_request("/tot/feed.json").respond_with_handler(conditional)
    first = aggregate(network, ["xa"], policy=FAST)[0].sources[0]
    state = RemoteCache.path(network, "th-tot").read_bytes()
    second = aggregate(network, ["xa"], policy=FAST)[0].sources[0]
    assert (first.ok, first.not_modified, second.ok, second.not_modified) == (True, False, True, True)
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[1]["If-Modified-Since"] == "Fri, 05 Sep 2025 00:30:00 GMT"
    assert seen[0]["User-Agent"].startswith("trangtin/")
    assert [i.id for i in second.items] == [i.id for i in first.items] == [
        "urn:trangtin:th-tot:posts/a"]
    assert RemoteCache.path(network, "th-tot").read_bytes() == state


def test_a_failing_feed_keeps_its_last_good_items(tmp_path: Path, server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    tot = server.url_for("/tot/")
    server.expect_oneshot_request("/tot/feed.json").respond_with_data(
        json_feed(tot, "th-tot", [json_item(tot, "th-tot", "a", "2025-09-05T07:30:00+07:00")]),
        content_type="application/feed+json")
    aggregate(network, ["xa"], policy=FAST)
    server.expect_request("/tot/feed.json").respond_with_data("lỗi máy chủ", status=503)
    [result] = aggregate(network, ["xa"], policy=FAST)
    assert [i.id for i in load_items(network, "xa")] == ["urn:trangtin:th-tot:posts/a"]
    [problem] = result.diagnostics
    assert not problem.is_error and "giữ 1 tin lấy được lần trước" in problem.message
    assert server.url_for("/tot/feed.json") in problem.message and problem.unit == "th-tot"


def test_a_feed_cannot_write_in_another_units_name(tmp_path: Path, server: HTTPServer) -> None:
    lines = ["units:", "  - {id: xa, name: Xã Thử, type: xa}",
             "  - {id: th-that, name: Trường Thật, type: truong, parent: xa}",
             f"  - {{id: th-gia, name: Trường Giả, type: truong, parent: xa, "
             f"feed: '{server.url_for('/gia/feed.json')}'}}"]
    (tmp_path / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    network = load_network(tmp_path / "network.yml")
    base = server.url_for("/gia/")
    spoof = json_item(base, "th-that", "x", "2025-09-05T07:30:00+07:00")
    server.expect_request("/gia/feed.json").respond_with_data(
        json_feed(base, "th-gia", [spoof]), content_type="application/feed+json")
    aggregate(network, ["xa"], policy=FAST)
    [item] = load_items(network, "xa")
    assert item.unit == "th-gia" and item.id.startswith("urn:trangtin:th-gia:ext:")


def test_dedupe_keeps_the_latest_version_and_the_most_direct_copy() -> None:
    at = dt.datetime(2025, 9, 5, 7, 30, tzinfo=LOCAL)
    old = Item("urn:trangtin:a:posts/x", "a", "Cũ", "https://a/x/", at)
    new = Item("urn:trangtin:a:posts/x", "a", "Mới", "https://a/x/", at,
               updated=at + dt.timedelta(days=1), via=("xa",))
    direct = Item("urn:trangtin:a:posts/y", "a", "Y", "https://a/y/", at)
    relayed = Item("urn:trangtin:a:posts/y", "a", "Y", "https://a/y/", at, via=("xa",))
    assert sorted((i.title, i.via) for i in dedupe([old, relayed, new, direct])) == [
        ("Mới", ("xa",)), ("Y", ())]
    assert dedupe([new, old]) == dedupe([old, new])


def test_aggregate_command_reports_unit_and_url(tmp_path: Path, server: HTTPServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    network = write_network(tmp_path, server)
    serve_everything(server)
    code = main(["--root", str(tmp_path), "aggregate", "--timeout", "0.5"])
    captured = capsys.readouterr()
    assert code == 1
    assert "[th-cham]" in captured.err and server.url_for("/cham/feed.json") in captured.err
    assert "xa: 3 tin từ 7 đơn vị, 5 nguồn lỗi" in captured.out
    assert len(load_items(network, "xa")) == 3


def test_a_so_reading_a_communes_feed_still_knows_each_items_school(
        tmp_path: Path, server: HTTPServer) -> None:
    """The commune's feed relays a school's cross-post (unit = the school, via = the
    commune); the Sở reads it once more and keeps both the school and the chain."""
    lines = ["units:", "  - {id: so, name: Sở, type: so}",
             f"  - {{id: xa-xa, name: Xã Xa, type: xa, parent: so, "
             f"feed: '{server.url_for('/xa/feed.json')}'}}",
             "  - {id: th-xa, name: Trường Tiểu học Xa, type: truong, parent: xa-xa}"]
    (tmp_path / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    network = load_network(tmp_path / "network.yml")
    xa = server.url_for("/xa/")
    relayed = json_item("https://th-xa.example/", "th-xa", "hoi-thi", "2025-11-14T14:00:00+07:00",
                        url=f"{xa}tin-don-vi/th-xa/hoi-thi/",
                        external_url="https://th-xa.example/tin-tuc/hoi-thi/")
    relayed["_trangtin"] = {"unit": "th-xa", "highlight": True, "via": ["xa-xa"]}
    own = json_item(xa, "xa-xa", "hop", "2025-11-01T08:00:00+07:00")
    server.expect_request("/xa/feed.json").respond_with_data(
        json_feed(xa, "xa-xa", [relayed, own]), content_type="application/feed+json")
    aggregate(network, ["so"], policy=FAST)
    items = {i.unit: i for i in load_items(network, "so")}
    assert sorted(items) == ["th-xa", "xa-xa"]
    school = items["th-xa"]
    assert (school.id, school.via) == ("urn:trangtin:th-xa:posts/hoi-thi", ("xa-xa",))
    assert school.url == "https://th-xa.example/tin-tuc/hoi-thi/"  # the original, not the copy
    assert items["xa-xa"].via == ()


def test_every_page_of_a_paged_feed_is_gathered(tmp_path: Path, server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    tot = server.url_for("/tot/")
    for page in range(1, 4):
        name = "feed.json" if page == 1 else f"feed-{page}.json"
        document = json.loads(json_feed(tot, "th-tot", [
            json_item(tot, "th-tot", f"p{page}-{n}", f"2025-10-{10 - page:02d}T0{n}:00:00+07:00")
            for n in range(3)]))
        if page < 3:
            document["next_url"] = f"{tot}feed-{page + 1}.json"
        server.expect_request(f"/tot/{name}").respond_with_json(document)
    [result] = aggregate(network, ["xa"], policy=FAST)
    assert result.sources[0].ok and len(load_items(network, "xa")) == 9
