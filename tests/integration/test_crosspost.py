"""Cross-posts on the portal, built for real: attribution, editor's picks, full reposts with
noindex, editor's pages kept, idempotence, withdrawal; announcements on school sites."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from pytest_httpserver import HTTPServer

from trangtin.aggregate.collect import load_items
from trangtin.aggregate.crosspost import CrossPost
from trangtin.cli.main import main
from trangtin.content.items import Item
from trangtin.network.model import load_network

PORTAL = "xa-an-binh"
REMOTE = "th-song-lam"


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(path)).getroot()


def crosspost_dir(root: Path, item_id: str, unit: str = REMOTE) -> Path:
    network = load_network(root / "network.yml")
    at = dt.datetime(2025, 9, 1, tzinfo=network.timezone)
    shown = CrossPost(Item(item_id, unit, "", "", at), network.units[unit])
    return root / "public" / PORTAL / shown.url


# --- the sample network, built once with its demo remote school ----------------------------

def test_portal_home_shows_highlights_of_local_and_remote_schools(built_network: Path) -> None:
    home = page(built_network / "public" / PORTAL / "index.html")
    [box] = home.xpath("//section[contains(@class,'tt-network-highlights')]")
    units = {card.get("data-unit") for card in box.xpath(".//article")}
    assert REMOTE in units and len(units) >= 3
    for href in box.xpath(".//h3/a/@href"):
        target = (built_network / "public" / PORTAL / href).resolve() / "index.html"
        assert target.is_file(), href
    [latest] = home.xpath("//section[contains(@class,'tt-network-units')]")
    listed = latest.xpath(".//li/@data-unit")
    assert sorted(listed) == ["mn-hoa-sen", "th-an-binh", REMOTE, "thcs-an-binh"]
    for unit in listed:
        unit_page = page(built_network / "public" / PORTAL / "don-vi" / unit / "index.html")
        assert unit_page.xpath("//article[contains(@class,'tt-card')]")


def test_a_crosspost_credits_its_source_and_links_the_original(built_network: Path) -> None:
    items = {i.id: i for i in load_items(load_network(built_network / "network.yml"), PORTAL)}
    item = items[f"urn:trangtin:{REMOTE}:posts/2025/11/rung-chuong-vang-khoi-5"]
    html = page(crosspost_dir(built_network, item.id) / "index.html")
    [article] = html.xpath("//article[contains(@class,'tt-crosspost')]")
    assert article.xpath("string(.//h1)") == item.title
    [source] = article.xpath(".//p[contains(@class,'tt-crosspost__source')]")
    assert source.text_content().strip() == "Nguồn: Trường Tiểu học Sông Lam"
    assert source.xpath(".//a/@href") == [item.url]
    [original] = article.xpath(".//a[normalize-space()='Xem bài gốc']")
    assert original.get("href") == item.url
    assert article.xpath(".//time/@datetime") == ["2025-11-14T14:00:00+07:00"]
    # the cover is the portal's own processed copy of the school's picture, never a hotlink
    [cover] = article.xpath(".//figure//img/@src")
    assert cover.startswith("../../../anh/") and (crosspost_dir(built_network, item.id) / cover).is_file()
    assert "48 học sinh khối 5" in article.xpath("string(.//p[@class='tt-crosspost__excerpt'])")
    assert not html.xpath("//meta[@name='robots']")  # a summary, indexed


def test_school_home_lists_the_announcements_of_the_portal(built_network: Path) -> None:
    home = page(built_network / "public" / "mn-hoa-sen" / "index.html")
    [box] = home.xpath("//section[contains(@class,'tt-announcements')]")
    assert box.xpath("string(.//h2)") == "Thông báo của cấp trên"
    titles = [a.text_content() for a in box.xpath(".//li/a")]
    assert "Lịch tựu trường, khai giảng năm học 2025–2026 của các trường trên địa bàn xã" in titles \
        or any(t.startswith("Lịch tựu trường") for t in titles)
    assert set(box.xpath(".//li/@data-unit")) == {PORTAL}


def test_portal_feed_relays_crossposts_with_their_origin(built_network: Path) -> None:
    feed = json.loads((built_network / "public" / PORTAL / "feed.json").read_text("utf-8"))
    relayed = [i for i in feed["items"] if i["_trangtin"]["unit"] != PORTAL]
    assert relayed, "cross-posts are in the portal's feed"
    for entry in relayed:
        assert entry["_trangtin"]["via"][-1] == PORTAL
        assert entry["url"].startswith("https://anbinh.example.gov.vn/tin-don-vi/")
        assert not entry["external_url"].startswith("https://anbinh.example.gov.vn/")


# --- a copy of the network with a remote school we control -----------------------------------

def remote_items(base: str) -> list[dict[str, object]]:
    def item(slug: str, day: int, highlight: bool, html: str = "<p>Nội dung.</p>") -> dict[str, object]:
        return {"id": f"urn:trangtin:{REMOTE}:posts/2025/10/{slug}",
                "url": f"{base}tin-tuc/2025/10/{slug}/", "title": f"Tin {slug} <b>đậm</b>",
                "content_html": html, "summary": f"Tóm tắt {slug}.",
                "date_published": f"2025-10-{day:02d}T08:00:00+07:00",
                "_trangtin": {"unit": REMOTE, "highlight": highlight}}
    hostile = ('<p>Bài đầy đủ<script>alert(1)</script><img src="anh/a.jpg" onerror="x()">'
               '<a href="javascript:alert(2)">x</a></p><iframe src="https://e.example"></iframe>')
    return [item("noi-bat", 3, True), item("bi-bo", 4, True), item("sua-tay", 5, True),
            item("chon-them", 6, False, hostile), item("binh-thuong", 7, False)]


@pytest.fixture()
def controlled(network_copy: Path) -> Iterator[tuple[Path, HTTPServer]]:
    server = HTTPServer(host="127.0.0.1")
    server.start()
    network_file = network_copy / "network.yml"
    network_file.write_text(network_file.read_text("utf-8").replace(
        "http://127.0.0.1:8765/th-song-lam/feed.json", server.url_for("/th-song-lam/feed.json")),
        encoding="utf-8")
    yield network_copy, server
    server.clear()
    server.stop()


def serve(server: HTTPServer, items: list[dict[str, object]]) -> None:
    server.clear()
    server.expect_request("/th-song-lam/feed.json").respond_with_json(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Sông Lam", "items": items})


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the built portal and of the aggregation state."""
    folders = [root / "public" / PORTAL, root / ".trangtin"]
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_picks_full_reposts_editor_pages_idempotence_and_withdrawal(
        controlled: tuple[Path, HTTPServer]) -> None:
    root, server = controlled
    base = server.url_for("/th-song-lam/")
    items = remote_items(base)
    serve(server, items)
    ids = {i["url"]: str(i["id"]) for i in items}
    by_slug = {str(i["id"]).rsplit("/", 1)[-1]: str(i["id"]) for i in items}
    (root / "content" / PORTAL / "highlights.yml").write_text(
        "# Tin chọn thêm hoặc bỏ bớt\n"
        f"include:\n  - {{url: '{base}tin-tuc/2025/10/chon-them/', full: true}}\n"
        f"exclude:\n  - {by_slug['bi-bo']}\n", encoding="utf-8")
    editor = crosspost_dir(root, by_slug["sua-tay"])
    editor_src = root / "content" / PORTAL / editor.relative_to(root / "public" / PORTAL) / "index.md"
    editor_src.parent.mkdir(parents=True)
    editor_src.write_text("# Bài biên tập viên tự viết\n\nNội dung riêng của cổng.\n", "utf-8")

    assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    assert (crosspost_dir(root, by_slug["noi-bat"]) / "index.html").is_file()
    assert not crosspost_dir(root, by_slug["bi-bo"]).exists()           # excluded
    assert not crosspost_dir(root, by_slug["binh-thuong"]).exists()     # not a highlight
    kept = page(editor / "index.html")
    assert "Nội dung riêng của cổng." in kept.text_content()            # editor's page wins
    assert editor_src.read_text("utf-8").startswith("# Bài biên tập viên tự viết")
    full = page(crosspost_dir(root, by_slug["chon-them"]) / "index.html")
    assert full.xpath("//meta[@name='robots']/@content") == ["noindex"]
    [body] = full.xpath("//div[contains(@class,'tt-crosspost__body')]")
    assert "Bài đầy đủ" in body.text_content()
    assert not body.xpath(".//script | .//iframe | .//@onerror")
    # the school's server has no such picture: left out (it has no alt text), never hotlinked
    assert not body.xpath(".//img")
    assert not [h for h in body.xpath(".//a/@href") if h.startswith("javascript")]
    assert full.xpath("string(//article//h1)") == "Tin chon-them <b>đậm</b>"  # text, shown as text
    assert full.findtext(".//title").startswith("Tin chon-them <b>đậm</b> - ")
    assert not full.xpath("//b[normalize-space()='đậm']")
    assert not (root / "public" / PORTAL / "highlights.yml").exists()
    assert ids  # every item of the remote feed has an id

    first = snapshot(root)
    assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    second = snapshot(root)
    changed = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
    assert changed == [], changed                                        # byte-identical

    serve(server, [i for i in items if i["id"] != by_slug["noi-bat"]])   # withdrawn at source
    assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    assert not crosspost_dir(root, by_slug["noi-bat"]).exists()
    assert (crosspost_dir(root, by_slug["chon-them"]) / "index.html").is_file()
