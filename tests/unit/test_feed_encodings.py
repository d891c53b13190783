"""Encodings and entities of remote feeds, over a real loopback server: a feed declared UTF-8
whose bytes are Windows-1258, KOI8-R or Windows-1255 is reported (and its last good items
kept), never passed on as mojibake; a correctly declared Windows-1258 feed gives NFC text;
HTML named entities in RSS are read as browsers read them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.unit.test_aggregation import FAST, one_remote_school
from trangtin.aggregate.collect import aggregate, load_items

TITLE = "Lễ khai giảng năm học mới ở trường Tiểu học Hữu Nghị"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five combining tones of Windows-1258


def windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed where the code page has
    them (â, ê, ơ, ư…), tones as separate combining marks."""
    encoded = b""
    for character in unicodedata.normalize("NFC", text):
        try:
            encoded += character.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", character)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        encoded += (base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258")
    return encoded


def rss(title: str, declared: str, description: str = "Nội dung", channel: str = "Trường") -> str:
    return (f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
            f"<title>{channel}</title><link>https://th.example/</link><item><guid>tin-1</guid>"
            f"<title>{title}</title><link>https://th.example/tin-1/</link>"
            f"<pubDate>Mon, 06 Oct 2025 08:00:00 +0700</pubDate>"
            f"<description>{description}</description></item></channel></rss>")


@pytest.mark.parametrize(("codec", "title"), [
    ("windows-1258", TITLE), ("koi8-r", "Новости школы"), ("windows-1255", "חדשות בית הספר")])
def test_a_feed_declared_utf8_in_another_encoding_is_reported_and_its_last_items_kept(
        tmp_path: Path, server: HTTPServer, codec: str, title: str) -> None:
    network = one_remote_school(tmp_path, server)
    path = "/tot/feed.json"  # the school's address in network.yml; the body is RSS
    server.expect_oneshot_request(path).respond_with_data(
        rss(TITLE, "UTF-8").encode(), content_type="application/rss+xml")
    aggregate(network, ["xa"], policy=FAST)
    body = windows_1258(rss(title, "UTF-8")) if codec == "windows-1258" else \
        rss(title, "UTF-8", title, title).encode(codec)
    server.expect_request(path).respond_with_data(
        body, content_type="application/rss+xml; charset=utf-8")
    [result] = aggregate(network, ["xa"], policy=FAST)
    [problem] = result.diagnostics
    assert problem.unit == "th-tot" and server.url_for(path) in problem.message
    assert "khai báo UTF-8 nhưng không phải UTF-8" in problem.message
    assert "giữ 1 tin lấy được lần trước" in problem.message and not problem.is_error
    assert [i.title for i in load_items(network, "xa")] == [TITLE]


def test_a_json_feed_that_is_not_utf8_is_reported(tmp_path: Path, server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    document = ('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", '
                f'"title": "{TITLE}", "date_published": "2025-10-06T08:00:00+07:00"}}]}}')
    server.expect_request("/tot/feed.json").respond_with_data(
        windows_1258(document), content_type="application/feed+json")
    [result] = aggregate(network, ["xa"], policy=FAST)
    [problem] = result.diagnostics
    assert "khai báo UTF-8 nhưng không phải UTF-8" in problem.message and problem.is_error
    assert load_items(network, "xa") == []


def test_a_correctly_declared_windows_1258_feed_gives_nfc_text(
        tmp_path: Path, server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    body = windows_1258(rss(TITLE, "windows-1258", f"&lt;p&gt;{TITLE}&lt;/p&gt;"))
    assert TITLE not in body.decode("cp1258")  # decoded, the tones are separate marks
    server.expect_request("/tot/feed.json").respond_with_data(
        body, content_type="application/rss+xml")
    [result] = aggregate(network, ["xa"], policy=FAST)
    assert result.diagnostics == []
    [item] = load_items(network, "xa")
    assert item.title == TITLE and unicodedata.is_normalized("NFC", item.title)
    assert item.content_html == f"<p>{TITLE}</p>"
    assert unicodedata.is_normalized("NFC", item.summary) and TITLE in item.summary


def test_html_named_entities_in_rss_are_read_as_browsers_read_them(
        tmp_path: Path, server: HTTPServer) -> None:
    network = one_remote_school(tmp_path, server)
    title = "Khai giảng&hellip; năm&nbsp;học mới &eacute;cole &amp; Q&A &khongco;"
    description = "&lt;p&gt;Xin chào&hellip;&lt;/p&gt;"
    server.expect_request("/tot/feed.json").respond_with_data(
        rss(title, "UTF-8", description).encode(), content_type="application/rss+xml")
    [result] = aggregate(network, ["xa"], policy=FAST)
    assert result.diagnostics == [] and result.sources[0].ok
    [item] = load_items(network, "xa")
    assert item.title == "Khai giảng… năm học mới école & Q&A &khongco;"  # spaces folded
    assert item.content_html == "<p>Xin chào…</p>"
