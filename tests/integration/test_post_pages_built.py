"""What a built post offers besides its text: tag pages and links, breadcrumbs with schema.org
microdata, the "In bài" and "Chia sẻ" buttons and what only the printed page shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.common import dates, text
from trangtin.content.posts import load_unit_posts
from trangtin.network.model import load_network

from ..conftest import loaded_scripts
from ..htmlcheck import page_for, parse, resolve

SCHOOL = "thcs-an-binh"
SCHEMA = "https://schema.org/"


def published(root: Path, unit: str) -> list:
    network = load_network(root / "network.yml")
    return load_unit_posts(network, network.units[unit]).published(dates.now())


def listed_titles(site: Path, url: str) -> list[str]:
    """Titles of the cards of a listing and of its following pages."""
    titles, page = [], page_for(site, url)
    while page is not None:
        tree = parse(page)
        titles += [a.text_content().strip() for a in tree.cssselect(".tt-card__title a")]
        following = tree.cssselect('.tt-pager a[rel="next"]')
        page = resolve(page, following[0].get("href")) if following else None
    return titles


@pytest.mark.parametrize("unit", ["th-an-binh", SCHOOL])
def test_every_tag_page_lists_exactly_the_posts_of_its_tag(built_network: Path, unit: str) -> None:
    site = built_network / "public" / unit
    posts = published(built_network, unit)
    slugs = {text.slugify(tag) for post in posts for tag in post.tags}
    assert len(slugs) >= 5, "the sample posts are tagged"
    built = {p.name for p in (site / "tin-tuc" / "tu-khoa").iterdir()}
    assert built == slugs
    for slug in slugs:
        expected = [p.title for p in posts if slug in {text.slugify(t) for t in p.tags}]
        listing = f"tin-tuc/tu-khoa/{slug}/"
        assert listed_titles(site, listing) == expected, slug
        heading = parse(page_for(site, listing)).findtext(".//h1")
        assert heading.startswith("Từ khóa: ")


def test_tag_links_on_posts_and_cards_open_the_tag_page(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    tagged = next(p for p in published(built_network, SCHOOL) if p.tags)
    post_page = page_for(site, tagged.url)
    links = parse(post_page).cssselect(".tt-post__taxonomy a.tt-tag")
    assert [a.text_content() for a in links] == [f"#{tag}" for tag in tagged.tags]
    for link in links:
        assert link.get("rel") == "tag"
        target = resolve(post_page, link.get("href"))
        assert target is not None and target.is_file()
        assert tagged.title in listed_titles(site, target.parent.relative_to(site).as_posix() + "/")
    news = page_for(site, "tin-tuc/")
    card_links = parse(news).cssselect(".tt-card__tags a.tt-tag")
    assert card_links, "cards show their tags"
    for link in card_links:
        target = resolve(news, link.get("href"))
        assert target is not None and target.is_file(), link.get("href")


def test_post_breadcrumbs_name_home_news_category_and_post_in_microdata(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    post = next(p for p in published(built_network, SCHOOL) if p.categories)
    page = page_for(site, post.url)
    trail = parse(page).cssselect('nav.tt-breadcrumbs ol[itemtype="https://schema.org/BreadcrumbList"]')
    assert len(trail) == 1
    items = trail[0].cssselect('li[itemprop="itemListElement"]')
    assert all(li.get("itemtype") == SCHEMA + "ListItem" for li in items)
    names = [li.cssselect('[itemprop="name"]')[0].text_content() for li in items]
    assert names == ["Trang chủ", "Tin tức – Sự kiện", post.categories[0], post.title]
    positions = [li.cssselect('meta[itemprop="position"]')[0].get("content") for li in items]
    assert positions == ["1", "2", "3", "4"]
    targets = [resolve(page, li.cssselect('a[itemprop="item"]')[0].get("href")) for li in items[:3]]
    assert targets == [(site / "index.html").resolve(), (site / "tin-tuc" / "index.html").resolve(),
                       (site / "tin-tuc" / "chuyen-muc" / text.slugify(post.categories[0]) / "index.html").resolve()]
    assert items[3].cssselect('[aria-current="page"]'), "the post itself is not a link"


def test_post_has_print_and_share_buttons_shown_by_its_own_script(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    post = published(built_network, SCHOOL)[0]
    page = page_for(site, post.url)
    tree = parse(page)
    box = tree.cssselect("[data-tt-actions]")
    assert len(box) == 1 and box[0].get("hidden") is not None, "hidden without JavaScript"
    buttons = {b.text_content(): b.get("type") for b in box[0].cssselect("button")}
    assert buttons == {"In bài": "button", "Chia sẻ": "button"}
    scripts = [resolve(page, src) for src in loaded_scripts(tree)]
    own = site / "assets" / "javascripts" / "page.js"
    assert own.resolve() in scripts and "navigator.share" in own.read_text("utf-8")
    assert not [src for src in loaded_scripts(tree) if src.startswith(("http", "//"))]
    printed = tree.cssselect(".tt-print-only")
    assert [p.text_content() for p in printed] == [
        "Trường THCS An Bình", f"https://thcs-anbinh.example.edu.vn/{post.url}"]
    linked = [resolve(page, link.get("href")) for link in tree.cssselect('link[rel="stylesheet"]')]
    rules = "".join(sheet.read_text("utf-8") for sheet in linked if sheet is not None)
    assert "@media print" in rules and ".tt-print-only" in rules, "page.css is linked (in the bundle)"
