"""Feeds written from items: valid Atom (RFC 4287 schema) and JSON Feed 1.1, every item
reachable through the archives, the network's fields read back by the same reader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from lxml import etree

from trangtin.content.items import Item, stable_id
from trangtin.feeds.reader import FeedProblem, Origin, parse
from trangtin.feeds.writer import ATOM_NS, Entry, FeedInfo, render_feeds
from trangtin.network.model import load_network

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
A = {"a": ATOM_NS}
SITE = "https://th-anbinh.example.edu.vn/"


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


@pytest.fixture(scope="module")
def json_schema() -> dict[str, object]:
    return json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


def make_item(n: int, **changes: object) -> Item:
    published = dt.datetime(2025, 9, 1, 7, 30, tzinfo=LOCAL) + dt.timedelta(days=n)
    values: dict[str, object] = dict(
        id=stable_id("th-an-binh", f"posts/2025/09/bai-{n:03d}.md"), unit="th-an-binh",
        title=f"Bài số {n} – Lễ khai giảng & <hội> thi", url=f"{SITE}tin-tuc/2025/09/bai-{n:03d}/",
        published=published, updated=published + dt.timedelta(hours=2) if n % 3 == 0 else None,
        categories=("Tin tức – Sự kiện",) if n % 2 else ("Thông báo",), tags=("khai giảng",),
        team="th-an-binh-to-1-2" if n % 4 == 0 else None, authors=("Cô Lan",),
        summary=f"Tóm tắt bài {n}.",
        content_html=f'<p>Nội dung {n} <img src="{SITE}anh/{n}.jpg" alt=""></p>',
        image=f"{SITE}anh/{n}.jpg", highlight=n % 5 == 0, has_media=True)
    values.update(changes)
    return Item(**values)  # type: ignore[arg-type]


INFO = FeedInfo("th-an-binh", "Trường Tiểu học An Bình", SITE, "Tin tức của trường", per_page=20)


def documents(count: int) -> dict[str, bytes]:
    return render_feeds([Entry(make_item(n), make_item(n).url) for n in range(count)], INFO)


def test_every_document_is_valid_against_both_schemas(atom_schema: etree.RelaxNG,
                                                       json_schema: dict[str, object]) -> None:
    docs = documents(45)
    assert sorted(docs) == ["feed-2.json", "feed-3.json", "feed-archive-1.xml",
                            "feed-archive-2.xml", "feed.json", "feed.xml"]
    for name, payload in docs.items():
        if name.endswith(".xml"):
            tree = etree.fromstring(payload)
            assert atom_schema.validate(tree), (name, atom_schema.error_log)
            _schematron_rules(tree)
        else:
            jsonschema.validate(json.loads(payload), json_schema,
                                format_checker=jsonschema.FormatChecker())


def _schematron_rules(feed: etree._Element) -> None:
    """The RFC's rules that RELAX NG cannot say (Appendix B, s:rule)."""
    assert feed.find("a:author", A) is not None
    for entry in feed.findall("a:entry", A):
        has_content = entry.find("a:content", A) is not None
        assert has_content or entry.find("a:link[@rel='alternate']", A) is not None
        assert len(entry.findall("a:link[@rel='alternate']", A)) == 1


def test_newest_in_main_feed_and_every_item_reachable_through_the_archives() -> None:
    docs = documents(45)
    main = etree.fromstring(docs["feed.xml"])
    ids_main = [e.findtext("a:id", namespaces=A) for e in main.findall("a:entry", A)]
    assert ids_main[0] == make_item(44).id and len(ids_main) == 20
    # RFC 5005: follow prev-archive from the current feed back to the oldest archive
    seen, current = list(ids_main), main
    while (link := current.find("a:link[@rel='prev-archive']", A)) is not None:
        name = link.get("href").rsplit("/", 1)[-1]
        current = etree.fromstring(docs[name])
        assert current.find("{http://purl.org/syndication/history/1.0}archive") is not None
        seen += [e.findtext("a:id", namespaces=A) for e in current.findall("a:entry", A)]
    assert sorted(seen) == sorted(make_item(n).id for n in range(45))
    # JSON Feed: next_url pages
    page, json_ids = json.loads(docs["feed.json"]), []
    while True:
        json_ids += [i["id"] for i in page["items"]]
        if "next_url" not in page:
            break
        page = json.loads(docs[page["next_url"].rsplit("/", 1)[-1]])
    assert json_ids == [make_item(n).id for n in reversed(range(45))]


def test_dates_carry_the_vietnam_offset_and_output_is_deterministic() -> None:
    first, second = documents(5), documents(5)
    assert first == second
    feed = json.loads(first["feed.json"])
    assert all(i["date_published"].endswith("+07:00") for i in feed["items"])
    atom = etree.fromstring(first["feed.xml"])
    assert all(t.text.endswith("+07:00") for t in atom.iter(f"{{{ATOM_NS}}}published"))


def test_stable_id_survives_edits_of_title_date_and_text() -> None:
    before = make_item(1)
    after = make_item(1, title="Tiêu đề đã sửa", content_html="<p>khác</p>",
                      published=before.published + dt.timedelta(days=3))
    feed_a = json.loads(render_feeds([Entry(before, before.url)], INFO)["feed.json"])
    feed_b = json.loads(render_feeds([Entry(after, after.url)], INFO)["feed.json"])
    assert feed_a["items"][0]["id"] == feed_b["items"][0]["id"] == before.id


@pytest.mark.parametrize("name,kind", [("feed.json", "application/feed+json"),
                                       ("feed.xml", "application/atom+xml")])
def test_network_fields_survive_a_round_trip(name: str, kind: str, tmp_path: Path) -> None:
    network_file = tmp_path / "network.yml"
    network_file.write_text(
        "units:\n  - {id: xa, name: Xã, type: xa}\n"
        "  - {id: th-an-binh, name: Trường Tiểu học An Bình, type: truong, parent: xa}\n"
        "  - {id: th-an-binh-to-1-2, name: Tổ 1-2, type: to, parent: th-an-binh}\n",
        encoding="utf-8")
    network = load_network(network_file)
    original = make_item(20, via=("xa",))
    copy_url = "https://xa.example.gov.vn/tin-don-vi/th-an-binh/bai-020/"
    payload = render_feeds([Entry(original, copy_url)], INFO)[name]
    read = parse(payload, kind, Origin(network, "th-an-binh", SITE + name)).items[0]
    assert (read.id, read.unit, read.url, read.team, read.highlight, read.via) == (
        original.id, "th-an-binh", original.url, original.team, True, ("xa",))
    assert read.categories == original.categories and read.tags == original.tags
    assert read.published == original.published and read.image == original.image
    assert read.title == original.title  # text, not HTML: '&' and '<' are kept as characters


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Trường RSS</title><link>https://rss.example.edu.vn/</link>
<item><title>Họp phụ huynh</title><link>https://rss.example.edu.vn/tin/hop/</link>
<guid>https://rss.example.edu.vn/tin/hop/</guid>
<pubDate>Sun, 31 Aug 2025 23:30:00 +0700</pubDate>
<description>&lt;p&gt;Xem &lt;a href="/lich/"&gt;lịch&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title>Ngày GMT</title><guid>tag:rss,2025:2</guid><link>https://rss.example.edu.vn/tin/2/</link>
<pubDate>Sun, 31 Aug 2025 17:00:00 GMT</pubDate></item>
</channel></rss>""".encode()


def small_network(tmp_path: Path):  # noqa: ANN201
    (tmp_path / "network.yml").write_text(
        "units:\n  - {id: xa, name: Xã, type: xa}\n"
        "  - {id: th-rss, name: Trường RSS, type: truong, parent: xa}\n", encoding="utf-8")
    return load_network(tmp_path / "network.yml")


def test_rss_dates_keep_their_offsets_and_links_resolve(tmp_path: Path) -> None:
    origin = Origin(small_network(tmp_path), "th-rss", "https://rss.example.edu.vn/rss.xml")
    first, second = parse(RSS, "application/rss+xml", origin).items
    # 23:30 on 31/08 in Vietnam stays in the old school year (not moved by a UTC reading)
    assert first.published == dt.datetime(2025, 8, 31, 23, 30, tzinfo=LOCAL)
    assert second.published == dt.datetime(2025, 9, 1, 0, 0, tzinfo=LOCAL)
    assert 'href="https://rss.example.edu.vn/lich/"' in first.content_html
    assert first.id.startswith("urn:trangtin:th-rss:ext:")  # a foreign id, made stable and ours
    assert parse(RSS, "application/rss+xml", origin).items[0].id == first.id


def test_the_json_feed_reader_is_strict(tmp_path: Path) -> None:
    origin = Origin(small_network(tmp_path), "th-rss", "https://rss.example.edu.vn/feed.json")
    for bad in (b"[]", b'{"version": "2", "items": []}', b'{"version": '
                b'"https://jsonfeed.org/version/1.1", "items": {}}', b"{not json"):
        with pytest.raises(FeedProblem):
            parse(bad, "application/feed+json", origin)
    good = {"id": "1", "title": "Tốt", "content_text": "a", "date_published": "2025-09-05"}
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [
        good, {"title": "thiếu id"}, {**good, "id": "2", "title": 5},
        {**good, "id": "3", "date_published": "hôm qua"}]}
    parsed = parse(json.dumps(document).encode(), "application/feed+json", origin)
    assert [i.title for i in parsed.items] == ["Tốt"]
    assert parsed.items[0].published == dt.datetime(2025, 9, 5, tzinfo=LOCAL)
    assert len(parsed.notes) == 3 and "ngày" in parsed.notes[2]
