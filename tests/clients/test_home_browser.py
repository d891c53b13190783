"""Home pages in Chromium: on a 360 px phone the header never cuts the unit's name (it wraps),
the page never scrolls sideways, and the side column comes below the news; on a desktop the
side column stands beside the news."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM_FLAGS

pytestmark = pytest.mark.clients

SMALL_PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1366, "height": 768}
HEADER_CUT = """() => [...document.querySelectorAll('.tt-header__unit span')]
    .filter(s => s.scrollWidth > s.clientWidth + 1 || s.getBoundingClientRect().bottom >
                 document.querySelector('.md-header').getBoundingClientRect().bottom)
    .map(s => s.textContent.trim())"""
BOXES = """() => ['.tt-home__main', '.tt-home__side'].map(q => {
    const r = document.querySelector(q).getBoundingClientRect(); return [r.left, r.top, r.bottom]; })"""


def test_home_pages_fit_a_small_phone_and_stand_side_by_side_on_a_desktop(
        served, school: str, portal: str, chromium) -> None:
    from playwright.sync_api import sync_playwright

    units = sorted({school, portal, "thcs-an-binh", "th-an-binh"})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        phone = browser.new_page(viewport=SMALL_PHONE)
        desktop = browser.new_page(viewport=DESKTOP)
        for unit in units:
            phone.goto(served.url(unit, ""))
            assert phone.evaluate(HEADER_CUT) == [], f"{unit}: the header cuts the name at 360 px"
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= SMALL_PHONE["width"], f"{unit} is {width} px wide at 360 px"
            (_, _, main_bottom), (_, side_top, _) = phone.evaluate(BOXES)
            assert side_top >= main_bottom, f"{unit}: the side column is not below the news"
            desktop.goto(served.url(unit, ""))
            (main_left, main_top, _), (side_left, side_top, _) = desktop.evaluate(BOXES)
            assert side_left > main_left and abs(side_top - main_top) < 2, f"{unit}: no side column"
        browser.close()
