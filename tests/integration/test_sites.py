"""The sample network built for real: Thông tư 37 sections, identity, news, dates, links."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from trangtin.network.model import load_network
from trangtin.network.sections import sections_for

from ..htmlcheck import internal_links, page_for, parse

SCHOOLS = ["mn-hoa-sen", "th-an-binh", "thcs-an-binh"]
SITES = [*SCHOOLS, "xa-an-binh"]
VIETNAMESE_DATE = re.compile(r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{2}/\d{2}/\d{4}$")


@pytest.fixture(scope="module")
def network(built_network: Path):
    return load_network(built_network / "network.yml")


def site(built_network: Path, unit: str) -> Path:
    return built_network / "public" / unit


@pytest.mark.parametrize("unit", SITES)
def test_every_page_is_vietnamese(built_network, unit):
    pages = list(site(built_network, unit).rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert parse(page).get("lang") == "vi", page


@pytest.mark.parametrize("unit", SITES)
def test_every_section_is_in_the_navigation_and_exists(built_network, network, unit):
    root = site(built_network, unit)
    home = root / "index.html"
    nav_targets = {target.resolve() for _, target in internal_links(home)}
    for section in sections_for(network.units[unit], network):
        page = page_for(root, section.url).resolve()
        assert page.is_file(), f"{section.title} missing"
        assert page in nav_targets, f"{section.title} not reachable from the navigation"
        title = parse(page).findtext(".//title")
        assert section.title in title or page == home.resolve()


@pytest.mark.parametrize("unit", SITES)
def test_footer_carries_identity_from_network_file(built_network, network, unit):
    identity = network.units[unit].identity
    for page in [site(built_network, unit) / "index.html",
                 site(built_network, unit) / "lien-he" / "index.html"]:
        footer = parse(page).find_class("tt-identity")[0]
        text = footer.text_content()
        assert network.units[unit].name in text
        for value in (identity.address, identity.phone, identity.email):
            assert value and value in text
        assert identity.responsible and identity.responsible.name in text
        parent = network.units[network.units[unit].parent]
        assert (identity.agency or parent.name) in text


def published_titles(root: Path, unit: str, requires_approval: bool) -> set[str]:
    """What should be published, read from the posts' front matter by the test itself."""
    expected = set()
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    for path in (root / "content" / unit / "posts").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8-sig").split("---")[1])
        date = meta["date"]
        date = dt.datetime.fromisoformat(str(date)) if not isinstance(date, dt.datetime) else date
        date = date.replace(tzinfo=now.tzinfo) if date.tzinfo is None else date
        if meta.get("draft") or (requires_approval and not meta.get("approved_by")) or date > now:
            continue
        expected.add(str(meta["title"]))
    return expected


def listed_titles(root: Path, first: str) -> list[str]:
    titles, page = [], root / first / "index.html"
    while page is not None:
        tree = parse(page)
        titles += [a.text_content().strip() for a in tree.cssselect(".tt-card__title a")]
        following = tree.cssselect('a[rel="next"]')
        page = (page.parent / following[0].get("href")).resolve() / "index.html" if following else None
    return titles


@pytest.mark.parametrize("unit", SCHOOLS)
def test_news_index_lists_exactly_the_published_posts(built_network, network, unit):
    expected = published_titles(built_network, unit, network.units[unit].requires_approval)
    listed = listed_titles(site(built_network, unit), "tin-tuc")
    assert expected, "the sample school should have published posts"
    assert sorted(listed) == sorted(expected)


@pytest.mark.parametrize("unit", SCHOOLS)
def test_post_pages_show_vietnamese_dates_and_metadata(built_network, unit):
    posts = [p for p in (site(built_network, unit) / "tin-tuc").glob("2*/*/*/index.html")]
    assert posts
    for page in posts:
        tree = parse(page)
        (stamp,) = tree.cssselect("time.tt-meta__date")
        assert VIETNAMESE_DATE.match(stamp.text_content().strip()), stamp.text_content()
        published = dt.datetime.fromisoformat(stamp.get("datetime"))
        assert published.utcoffset() == dt.timedelta(hours=7)
        assert stamp.text_content().strip().endswith(published.strftime("%d/%m/%Y"))
        assert tree.cssselect(".tt-meta__reading")[0].text_content().endswith("phút đọc")


@pytest.mark.parametrize("unit", SITES)
def test_no_internal_link_is_broken(built_network, unit):
    root = site(built_network, unit)
    broken = []
    # 404.html is served for any missing path, so Material links it with site_url-absolute URLs.
    for page in (p for p in root.rglob("*.html") if p.name != "404.html"):
        for href, target in internal_links(page):
            if not target.exists():
                broken.append(f"{page.relative_to(root)} → {href}")
    assert broken == []


def test_portal_lists_its_units_with_links(built_network, network):
    page = site(built_network, "xa-an-binh") / "don-vi" / "index.html"
    rows = {row.get("data-unit"): row for row in parse(page).cssselect("tr[data-unit]")}
    children = [u.id for u in network.children("xa-an-binh")]
    assert sorted(rows) == sorted(children)
    link = rows["thcs-an-binh"].cssselect("a")[0].get("href")
    assert link == network.units["thcs-an-binh"].site_url
