"""Every text field a person or another site wrote is escaped exactly once wherever a built
page prints it: our templates, Material's (<title>, meta description, og: tags, header, nav,
toc), the search index. A school and its portal are built from a copy of the sample network
whose posts, registers, identities, tổ and remote feed carry hostile values, and every page
is parsed: no script but the theme's own, no event handler, no javascript: URL, and the
hostile text shown as the very text that was written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from trangtin.cli.main import main

from ..conftest import copy_network, loopback_server

SCHOOL, PORTAL, REMOTE = "thcs-an-binh", "xa-an-binh", "th-song-lam"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
ENTITY = "&lt;b&gt;"
TITLE = f"{SCRIPT}Tôi & bạn <3"
DESCRIPTION = f"{IMG} mô tả"
AUTHOR = f"{IMG} Nguyễn"
TAGS = [JS, ENTITY]
UNIT_NAME = f"Trường THCS An Bình {SCRIPT} & \"Q\""
PARENT_NAME = f"UBND xã An Bình {IMG}"
TEAM_NAME = f"Tổ {SCRIPT} độc"
IDENTITY = {"agency": f"Cơ quan {ENTITY}", "address": f"Thôn 5 {IMG}", "phone": f"0263 {IMG}",
            "email": f"x@example.edu.vn{IMG}", "license": f"Giấy phép {SCRIPT}",
            "website": "https://thcs-anbinh.example.edu.vn/",
            "responsible": {"name": f"Trần {SCRIPT}", "title": f"Hiệu trưởng {ENTITY}"},
            "leaders": [{"name": f"Vũ {IMG}", "title": f"Phó {SCRIPT}", "phone": IMG,
                         "email": JS}]}
DOCUMENT = {"so_ky_hieu": f"1/{SCRIPT}", "ngay_ban_hanh": "2025-09-10",
            "co_quan_ban_hanh": f"Cơ quan {IMG}", "trich_yeu": f"Trích yếu {ENTITY} & <i>",
            "tep": JS}
DISCLOSURE = {"nam_hoc": "2025-2026", "noi_dung": f"Công khai {SCRIPT}", "ngay": "2025-10-01",
              "tep": JS}
REMOTE_TITLE = f"{SCRIPT} tin từ xa & <3"
REMOTE_SUMMARY = f"{IMG} tóm tắt {ENTITY}"

POST = f"""---
title: {json.dumps(TITLE, ensure_ascii=False)}
date: 2025-11-03 08:00
authors: [{json.dumps(AUTHOR, ensure_ascii=False)}]
to: {json.dumps(TEAM_NAME, ensure_ascii=False)}
categories: [Tin tức – Sự kiện]
tags: {json.dumps(TAGS, ensure_ascii=False)}
description: {json.dumps(DESCRIPTION, ensure_ascii=False)}
highlight: true
approved_by: Trần Thị Bích Ngọc
---

Nội dung bình thường.

## Mục {ENTITY} & <3
"""


def plant(root: Path, feed_url: str) -> None:
    """The hostile values, in a copy of the sample network."""
    network_file = root / "network.yml"
    network = yaml.safe_load(network_file.read_text("utf-8"))
    units = {u["id"]: u for u in network["units"]}
    units[SCHOOL]["name"] = UNIT_NAME
    units[SCHOOL]["identity"] = IDENTITY
    units[PORTAL]["name"] = PARENT_NAME
    units[REMOTE]["feed"] = feed_url
    network["units"].append({"id": f"{SCHOOL}-to-doc", "name": TEAM_NAME, "type": "to",
                             "parent": SCHOOL})
    network_file.write_text(yaml.safe_dump(network, allow_unicode=True, sort_keys=False), "utf-8")
    content = root / "content" / SCHOOL
    (content / "posts" / "2025" / "11" / "tieu-de-doc.md").write_text(POST, "utf-8")
    for section, key, entry in (("van-ban", "documents", DOCUMENT),
                                ("cong-khai", "disclosures", DISCLOSURE)):
        page = content / section / "index.md"
        meta, _, body = page.read_text("utf-8").removeprefix("---\n").partition("\n---\n")
        data = yaml.safe_load(meta)
        data[key].append(entry)
        data.update(description=DESCRIPTION, subtitle=SCRIPT, author=[IMG, "B"])
        page.write_text(f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n"
                        f"{body}", "utf-8")


def remote_feed(base: str) -> dict[str, Any]:
    return {"version": "https://jsonfeed.org/version/1.1", "title": "Sông Lam", "items": [{
        "id": f"urn:trangtin:{REMOTE}:posts/2025/10/doc", "url": f"{base}tin-tuc/2025/10/doc/",
        "title": REMOTE_TITLE, "summary": REMOTE_SUMMARY, "content_html": "<p>Nội dung.</p>",
        "image": JS, "authors": [{"name": AUTHOR}],
        "date_published": "2025-10-03T08:00:00+07:00",
        "_trangtin": {"unit": REMOTE, "highlight": True, "categories": ["Thông báo"]}}]}


def build(root: Path, feed_url: str | None) -> None:
    if feed_url is None:  # the clean build: the same network without the hostile values
        network_file = root / "network.yml"
        text = network_file.read_text("utf-8")
        network_file.write_text(text.replace("http://127.0.0.1:8765/th-song-lam/feed.json",
                                             "http://127.0.0.1:9/feed.json"), "utf-8")
    assert main(["--root", str(root), "build", SCHOOL, "th-an-binh", PORTAL, "--jobs", "1"]) in (0, 1)
    for unit in (SCHOOL, PORTAL):
        assert (root / "public" / unit / "index.html").is_file(), unit


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(hostile public/, clean public/)."""
    base = tmp_path_factory.mktemp("escaped")
    clean = copy_network(base / "clean")
    build(clean, None)
    hostile = copy_network(base / "hostile")
    with loopback_server() as server:
        feed = f"/{REMOTE}/feed.json"
        server.expect_request(feed).respond_with_json(remote_feed(server.url_for(f"/{REMOTE}/")))
        plant(hostile, server.url_for(feed))
        build(hostile, server.url_for(feed))
    yield hostile / "public", clean / "public"


def pages(public: Path) -> dict[str, lxml.html.HtmlElement]:
    return {str(p.relative_to(public)): lxml.html.fromstring(p.read_bytes())
            for unit in (SCHOOL, PORTAL) for p in sorted((public / unit).rglob("*.html"))}


def scripts(page: lxml.html.HtmlElement) -> list[str]:
    return [s.get("src") or " ".join((s.text or "").split()) for s in page.iter("script")]


def page(public: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((public / path).read_bytes())


def texts(element: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in element.xpath(xpath)]


def test_nothing_hostile_can_run_on_any_page(built: tuple[Path, Path]) -> None:
    hostile, clean = built
    found, expected = pages(hostile), pages(clean)
    theme_scripts = {s for p in expected.values() for s in scripts(p)}
    assert len(found) > 60
    for path, html in found.items():
        assert set(scripts(html)) <= theme_scripts, path
        assert not html.xpath("//@*[starts-with(name(), 'on')]"), path
        urls = html.xpath("//@href | //@src | //@action | //@formaction | //@srcset | //@poster")
        assert not [u for u in urls if "".join(u.split()).lower().startswith("javascript:")], path
        assert not html.xpath("//img[@src='x'] | //i[not(@class)] | //b"), path
        if path in expected:
            assert len(scripts(html)) == len(scripts(expected[path])), path


def test_a_post_shows_its_fields_as_written(built: tuple[Path, Path]) -> None:
    hostile, _ = built
    post = page(hostile, f"{SCHOOL}/tin-tuc/2025/11/tieu-de-doc/index.html")
    assert post.findtext(".//title") == f"{TITLE} - {UNIT_NAME}"
    assert post.xpath("//meta[@name='description']/@content") == [DESCRIPTION]
    assert post.xpath("//meta[@property='og:title']/@content") == [TITLE]
    assert post.xpath("//meta[@property='og:description']/@content") == [DESCRIPTION]
    assert post.xpath("//meta[@property='og:site_name']/@content") == [UNIT_NAME]
    assert texts(post, "//article[contains(@class,'tt-post')]/h1") == [" ".join(TITLE.split())]
    assert texts(post, "//*[@data-md-component='header-topic']") == [" ".join(TITLE.split())]
    assert texts(post, "//span[contains(@class,'tt-header__name')]") == [" ".join(UNIT_NAME.split())]
    assert texts(post, "//span[contains(@class,'tt-header__parent')]") == [PARENT_NAME]
    assert texts(post, "//span[@class='tt-meta__authors']") == [AUTHOR]
    assert texts(post, "//a[@class='tt-meta__team']") == [" ".join(TEAM_NAME.split())]
    tags = "//p[@class='tt-post__taxonomy']/*[@class='tt-tag']"
    assert texts(post, tags) == [f"#{t}" for t in TAGS]
    assert all(href.startswith("../../../tu-khoa/") for href in post.xpath(tags + "/@href"))
    # An entity in Markdown is the character it names: the heading reads "<b>", as text.
    assert "Mục <b> & <3" in texts(post, "//nav[contains(@class,'md-nav--secondary')]//a")
    assert texts(post, "//div[@class='tt-post__body']/h2") == ["Mục <b> & <3"]


def test_cards_listings_and_the_search_index_hold_the_text(built: tuple[Path, Path]) -> None:
    hostile, _ = built
    flat = " ".join(TITLE.split())
    home = page(hostile, f"{SCHOOL}/index.html")
    assert flat in texts(home, "//h3[@class='tt-card__title']")
    assert DESCRIPTION in texts(home, "//p[@class='tt-card__excerpt']")
    news = page(hostile, f"{SCHOOL}/tin-tuc/index.html")
    assert flat in texts(news, "//h2[@class='tt-card__title']")
    team = page(hostile, f"{SCHOOL}/tin-tuc/to/{SCHOOL}-to-doc/index.html")
    assert texts(team, "//article//h1") == [" ".join(TEAM_NAME.split())]
    assert team.findtext(".//title") == f"{TEAM_NAME} - {UNIT_NAME}"
    assert " ".join(TEAM_NAME.split()) in texts(team, "//nav[@class='tt-archive']//a")
    # The search index holds text, and search.js inserts it as text (never as HTML).
    docs = {d["u"]: d for d in json.loads((hostile / SCHOOL / "search.json").read_text("utf-8"))["docs"]}
    assert (docs["tin-tuc/2025/11/tieu-de-doc/"]["t"], docs["tin-tuc/2025/11/tieu-de-doc/"]["e"]) \
        == (TITLE, DESCRIPTION)
    assert docs["van-ban/"]["t"] == "Văn bản"
    script = (hostile / SCHOOL / "assets" / "javascripts" / "search.js").read_text("utf-8")
    assert "textContent = doc.t" in script and "innerHTML" not in script


def test_identity_and_registers_are_text_and_links_stay_links(built: tuple[Path, Path]) -> None:
    hostile, _ = built
    about = page(hostile, f"{SCHOOL}/gioi-thieu/index.html")
    [identity] = about.xpath("//footer//address")
    assert texts(identity, ".//p[@class='tt-identity__name']") == [" ".join(UNIT_NAME.split())]
    assert texts(identity, ".//span[@class='tt-identity__address']") == [IDENTITY["address"]]
    assert texts(identity, ".//span[@class='tt-identity__agency']") == [IDENTITY["agency"]]
    assert f"Giấy phép {SCRIPT}" in texts(identity, ".//p")
    leaders = texts(about, "//table[contains(@class, 'tt-leaders')]//td")
    assert {f"Vũ {IMG}", f"Phó {SCRIPT}", IMG} <= set(leaders)
    documents = page(hostile, f"{SCHOOL}/van-ban/index.html")
    cells = texts(documents, "//table[contains(@class, 'tt-register')]//td")
    assert {f"1/{SCRIPT}", f"Cơ quan {IMG}", f"Trích yếu {ENTITY} & <i>"} <= set(cells)
    assert documents.xpath("//meta[@name='description']/@content") == [DESCRIPTION]
    assert documents.xpath("//meta[@name='author']/@content") == [f"{IMG}, B"]
    contact = page(hostile, f"{SCHOOL}/lien-he/index.html")  # another page's nav shows it too
    assert SCRIPT in texts(contact, "//nav[contains(@class,'md-nav--primary')]//small")
    disclosures = page(hostile, f"{SCHOOL}/cong-khai/index.html")
    assert f"Công khai {SCRIPT}" in texts(disclosures, "//table[contains(@class, 'tt-disclosure')]//td")
    units = page(hostile, f"{PORTAL}/don-vi/index.html")
    [school] = units.xpath(f"//table[contains(@class, 'tt-units')]//tr[@data-unit='{SCHOOL}']")
    assert texts(school, "./td")[:2] == [" ".join(UNIT_NAME.split()), IDENTITY["address"]]


def test_the_portal_shows_other_sites_text_as_text(built: tuple[Path, Path]) -> None:
    hostile, _ = built
    home = page(hostile, f"{PORTAL}/index.html")
    assert home.findtext(".//title") == f"Trang chủ - {PARENT_NAME}"
    cards = home.xpath("//section[contains(@class,'tt-network-highlights')]//article")
    remote = [c for c in cards if c.get("data-unit") == REMOTE]
    assert remote, "the remote highlight is on the portal's home page"
    assert texts(remote[0], ".//h3") == [" ".join(REMOTE_TITLE.split())]
    assert " ".join(REMOTE_SUMMARY.split()) in texts(remote[0], ".//p")
    local = [c for c in cards if c.get("data-unit") == SCHOOL]
    assert [" ".join(TITLE.split())] in [texts(c, ".//h3") for c in local]
    [repost_link] = remote[0].xpath(".//h3/a/@href")
    repost = page(hostile, f"{PORTAL}/{repost_link.split('#')[0]}index.html")
    assert repost.findtext(".//title") == f"{REMOTE_TITLE} - {PARENT_NAME}"
    assert texts(repost, "//article//h1") == [" ".join(REMOTE_TITLE.split())]


def test_a_register_link_that_is_not_a_file_or_web_address_is_named(
        network_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page_file = network_copy / "content" / SCHOOL / "van-ban" / "index.md"
    source = page_file.read_text("utf-8")
    first = "tep: files/123-kh-thcsab-ke-hoach-giao-duc.pdf"
    page_file.write_text(source.replace(first, f"tep: {JS}"), "utf-8")
    line = source[:source.index(first)].count("\n") + 1
    main(["--root", str(network_copy), "check", SCHOOL])
    assert (f"content/{SCHOOL}/van-ban/index.md:{line}: cảnh báo: 'tep: {JS}' "
            "không phải là tệp hay địa chỉ trang web") in capsys.readouterr().out
