"""A reader in a real browser: menu → post, search without diacritics, photo lightbox.

Chromium (Debian's) driven by Playwright. No console error may occur on the way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trangtin.site import search

from .conftest import CHROMIUM_FLAGS, Scoreboard, settle

pytestmark = pytest.mark.clients

QUERIES = ("khai giang", "truong", "dai hoi", "thong bao", "Đại hội", "tr", "d", "hoc sinh lop", "2025", "xyz")


def gallery_posts(site: Path) -> list[str]:
    """Site-relative URLs of the posts that show a photo gallery."""
    return sorted(str(p.parent.relative_to(site)) + "/" for p in (site / "tin-tuc").rglob("index.html")
                  if "data-tt-gallery" in p.read_text(encoding="utf-8"))


def plain_query(title: str, count: int = 5) -> str:
    """What a reader types for a title: its first words, without diacritics."""
    return " ".join(search.words(title)[:count])


class Reader:
    """A browser page that remembers every console error, script error and failed request."""

    def __init__(self, page) -> None:  # noqa: ANN001 - playwright Page
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed request: {r.url}"))

    def tab_to(self, element_id: str, limit: int = 40) -> None:
        """Move the focus with the Tab key only, as a keyboard user does."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement && document.activeElement.id") == element_id:
                return
        pytest.fail(f"#{element_id} cannot be reached with the Tab key")


def open_post_through_menu(reader: Reader, home: str) -> str:
    page = reader.page
    page.goto(home)
    settle(reader.page)
    page.locator(".md-tabs a", has_text="Tin tức").first.click()
    page.wait_for_url(re.compile(r"/tin-tuc/$"))
    settle(reader.page)
    card = page.locator(".tt-card__title a").first
    title = card.inner_text().strip()
    card.click()
    page.wait_for_url(re.compile(r"/tin-tuc/\d{4}/\d{2}/[^/]+/$"))
    settle(reader.page)
    assert page.locator("article.tt-post h1").inner_text().strip() == title
    return title


def search_from_header(reader: Reader, query: str, expected_url: str) -> int:
    page = reader.page
    reader.tab_to("tt-header-q")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    settle(reader.page)
    page.wait_for_selector("#tt-search-results li")
    results = page.locator("#tt-search-results li a")
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any(h.endswith(expected_url) for h in hrefs), f"'{query}' did not find {expected_url}"
    page.locator(f"#tt-search-results a[href$='{expected_url}']").first.click()
    page.wait_for_url(re.compile(re.escape(expected_url) + "$"))
    settle(reader.page)
    return len(hrefs)


def open_lightbox(reader: Reader) -> bool:
    page = reader.page
    photos = page.locator("[data-tt-gallery] a.tt-gallery__link")
    if not photos.count():
        return False
    photos.first.focus()
    page.keyboard.press("Enter")  # keyboard only: the photo link opens the lightbox
    dialog = page.locator("dialog.tt-lightbox[open]")
    dialog.wait_for()
    page.wait_for_function("() => { const i = document.querySelector('dialog[open] .tt-lightbox__image');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    assert dialog.locator(".tt-lightbox__image").get_attribute("alt"), "the photo needs its alt text"
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.tt-lightbox[open]", state="detached")
    focused = page.evaluate("document.activeElement && document.activeElement.className")
    assert "tt-gallery__link" in (focused or ""), "the focus must come back to the photo"
    return True


def test_reader_journey(served, school: str, chromium, browser_flags, scoreboard: Scoreboard) -> None:
    from playwright.sync_api import sync_playwright

    site = served.root / school
    galleries = gallery_posts(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        reader = Reader(browser.new_page(viewport={"width": 1280, "height": 900}))
        title = open_post_through_menu(reader, served.url(school))
        index = json.loads((site / search.INDEX_FILE).read_text(encoding="utf-8"))
        target = galleries[0] if galleries else next(d["u"] for d in index["docs"] if d["t"] == title)
        target_title = next(d["t"] for d in index["docs"] if d["u"] == target)
        found = search_from_header(reader, plain_query(target_title), target)
        lightbox = open_lightbox(reader)
        browser.close()
    scoreboard.add(f"Browser ({school}): menu → '{title}'; search '{plain_query(target_title)}' → "
                   f"{found} results; lightbox: "
                   + ("opened and closed" if lightbox else "SKIPPED, no gallery post on this site"))
    assert not reader.errors, "\n".join(reader.errors)
    if not lightbox:
        pytest.skip(f"no photo gallery on {school} yet: the lightbox step was not run")


def test_browser_search_matches_the_reference(served, school: str, portal: str, chromium,
                                              browser_flags) -> None:
    """search.js in Chromium finds exactly what trangtin.search finds, on a school and the portal."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for unit in (school, portal):
            page.goto(served.url(unit, "tim-kiem/"))
            settle(page)
            index = json.loads((served.root / unit / search.INDEX_FILE).read_text(encoding="utf-8"))
            for query in QUERIES:
                in_browser = page.evaluate(
                    "([index, q]) => window.trangtinSearch.search(index, q).map(d => [d.s || 0, d.u])",
                    [index, query])
                every = search.search(index, query, limit=len(index["docs"]))
                expected = [[d.get("s", 0), d["u"]] for d in every]
                assert in_browser == expected, f"{unit}: '{query}'"
        browser.close()
    assert not errors, errors


def test_portal_search_opens_a_school_post(served, school: str, portal: str, chromium,
                                           browser_flags) -> None:
    """On the portal, a school's post is found without diacritics and opens from the results."""
    from playwright.sync_api import sync_playwright

    index = json.loads((served.root / school / search.INDEX_FILE).read_text(encoding="utf-8"))
    post = next(d for d in index["docs"] if d.get("d"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        reader = Reader(browser.new_page())
        reader.page.goto(served.url(portal, "tim-kiem/?q=" + plain_query(post["t"]).replace(" ", "+")))
        settle(reader.page)
        link = reader.page.locator("#tt-search-results a", has_text=post["t"]).first
        # In this preview the network is one folder: the school is a sibling of the portal.
        assert link.get_attribute("href") == served.url(school, post["u"])
        link.click()
        reader.page.wait_for_url(served.url(school, post["u"]))
        settle(reader.page)
        assert reader.page.locator("article.tt-post h1").inner_text().strip() == post["t"]
        browser.close()
    assert not reader.errors, "\n".join(reader.errors)


def portal_pages(site: Path) -> list[str]:
    """Site-relative URLs of the portal's pages that show other units' items: its home, its
    cross-posts and its units' pages."""
    shown = [p.parent.relative_to(site).as_posix() + "/"
             for folder in ("tin-don-vi", "don-vi") for p in sorted((site / folder).rglob("index.html"))]
    return ["", *shown]


def test_portal_pages_load_every_picture_from_the_portal_with_the_schools_down(
        served, portal: str, chromium) -> None:
    """Every school's server is down (any request to another origin fails): every picture on
    the portal's pages still loads, from the portal's own origin, since the portal fetched and
    processed its schools' pictures when it aggregated."""
    from playwright.sync_api import sync_playwright

    elsewhere: list[str] = []

    def only_the_portal(route) -> None:  # noqa: ANN001 - playwright Route
        if route.request.url.startswith(served.base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("connectionrefused")

    pages = portal_pages(served.root / portal)
    assert len(pages) > 3, "the portal shows no cross-post"
    pictures: list[tuple[str, str, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        reader = Reader(browser.new_page(viewport={"width": 412, "height": 823}))
        reader.page.route("**/*", only_the_portal)
        for path in pages:
            reader.page.goto(served.url(portal, path))
            settle(reader.page)
            for index in range(reader.page.locator("img").count()):  # lazy pictures: each seen
                reader.page.locator("img").nth(index).scroll_into_view_if_needed()
            reader.page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            reader.page.wait_for_load_state("networkidle")
            pictures += [(path, src, width) for src, width in reader.page.evaluate(
                "Array.from(document.images).map(i => [i.currentSrc || i.src, i.naturalWidth])")]
        browser.close()
    assert not elsewhere, f"requests to another host: {elsewhere}"
    assert not [p for p in pictures if not p[1].startswith(served.base)], "a picture from elsewhere"
    assert not [p for p in pictures if not p[2]], "a picture that does not load"
    assert not reader.errors, "\n".join(reader.errors)
    on_home = [src for path, src, _ in pictures if path == ""]
    assert on_home, "the portal's home shows no picture of its units"
