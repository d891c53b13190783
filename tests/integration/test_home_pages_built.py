"""Home pages built for real as news portals: a featured story with its processed photo, a
grid of recent news, no post shown twice, a side column with the notices, the newest
documents and the links to the units above and the ministry; no empty sidebars; the portal
leads with its own news, then its units' highlights, each naming its unit."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from trangtin.content.checks import usable_registers
from trangtin.content.sources import read_source
from trangtin.network.model import load_network

SCHOOL, PORTAL = "thcs-an-binh", "xa-an-binh"


def home(root: Path, unit: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(root / "public" / unit / "index.html")).getroot()


def post_links(box: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href") for a in box.xpath(".//article//*[contains(@class,'title')]/a")]


def test_school_home_has_a_featured_story_with_its_processed_photo(built_network: Path) -> None:
    page = home(built_network, SCHOOL)
    [featured] = page.xpath("//section[contains(@class,'tt-featured')]")
    [img] = featured.xpath(".//picture//img")
    assert img.get("src").startswith("anh/") and img.get("src").endswith(".jpg")
    assert img.get("loading") is None and img.get("fetchpriority") == "high"  # the first paint
    assert featured.xpath(".//picture//source[@type='image/webp']/@srcset")
    assert (built_network / "public" / SCHOOL / img.get("src")).is_file()


def test_school_home_never_repeats_a_post_between_its_blocks(built_network: Path) -> None:
    page = home(built_network, SCHOOL)
    main = page.xpath("//div[@class='tt-home__main']")[0]
    grid = post_links(main.xpath(".//section[contains(@class,'tt-latest')]")[0])
    assert len(grid) >= 4
    shown = post_links(main)
    assert len(shown) == len(set(shown)) and all(h.startswith("tin-tuc/") for h in shown)


def test_side_column_lists_notices_documents_and_parent_links(built_network: Path) -> None:
    network = load_network(built_network / "network.yml")
    page = home(built_network, SCHOOL)
    [side] = page.xpath("//aside[@class='tt-home__side']")
    [notices] = side.xpath(".//section[contains(@class,'tt-notices')]")
    for href in notices.xpath(".//li/a/@href"):
        post = lxml.html.parse(str(built_network / "public" / SCHOOL / href / "index.html")).getroot()
        assert "Thông báo" in post.xpath("string(//article)") or post.xpath("//a[normalize-space()='Thông báo']")
    assert notices.xpath(".//li")

    source = read_source(built_network / "content" / SCHOOL / "van-ban" / "index.md", "van-ban/index.md")
    register = sorted(usable_registers(source.meta)["documents"], key=lambda d: d["ngay_ban_hanh"], reverse=True)
    [documents] = side.xpath(".//section[contains(@class,'tt-new-documents')]")
    numbers = [a.text_content() for a in documents.xpath(".//li/a")]
    assert numbers == [d["so_ky_hieu"] for d in register][:len(numbers)] and numbers
    assert set(documents.xpath(".//li/a/@href")) == {"van-ban/"}

    [links] = side.xpath(".//section[contains(@class,'tt-links')]")
    expected = [(u.name, u.site_url) for u in network.ancestors(SCHOOL)]
    pairs = [(a.text_content(), a.get("href")) for a in links.xpath(".//li/a")]
    assert pairs == [*expected, ("Bộ Giáo dục và Đào tạo", "https://moet.gov.vn/")]


def test_home_and_listing_pages_have_no_empty_sidebars(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    for path in (site / "index.html", site / "tin-tuc" / "index.html", site / "thong-bao" / "index.html",
                 built_network / "public" / PORTAL / "index.html"):
        page = lxml.html.parse(str(path)).getroot()
        for sidebar in page.xpath("//div[contains(concat(' ', @class, ' '), ' md-sidebar ')]"):
            assert sidebar.get("hidden") is not None, path
    about = lxml.html.parse(str(site / "gioi-thieu" / "index.html")).getroot()
    assert about.xpath("//div[contains(@class,'md-sidebar--primary')][not(@hidden)]")


def test_portal_home_leads_with_its_news_then_units_highlights_named(built_network: Path) -> None:
    network = load_network(built_network / "network.yml")
    page = home(built_network, PORTAL)
    sections = [s.get("class") for s in page.xpath("//div[@class='tt-home__main']/section")]
    assert sections.index("tt-latest") < sections.index("tt-network-highlights")
    cards = page.xpath("//section[@class='tt-network-highlights']//article")
    names = {u.name for u in network.units.values() if u.parent == PORTAL}
    assert cards
    for card in cards:
        assert card.xpath("string(.//*[@class='tt-card__source'])") in names
        assert network.units[card.get("data-unit")].name == card.xpath("string(.//*[@class='tt-card__source'])")
