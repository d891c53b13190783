"""The registers and Thống kê tin bài on a 390 px phone in Chromium: no horizontal scrolling of
the page (wide tables scroll inside their box), and the Văn bản filter narrows the list."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM_FLAGS, Scoreboard, settle

pytestmark = pytest.mark.clients

PHONE = {"width": 390, "height": 844}


def test_registers_and_report_never_scroll_sideways_on_a_phone(served, school: str, portal: str,
                                                               chromium, scoreboard: Scoreboard) -> None:
    from playwright.sync_api import sync_playwright

    pages = [served.url(school, "van-ban/"), served.url(school, "cong-khai/"),
             served.url(school, "gioi-thieu/"), served.url(portal, "don-vi/"),
             served.url(portal, "thong-ke/")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport=PHONE, color_scheme=scheme)
            for url in pages:
                page.goto(url)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"{url} ({scheme}) is {width} px wide"
                if scheme == "light":
                    height = page.evaluate("document.body.scrollHeight")
                    scoreboard.add(f"390 px: {url.split('/', 3)[-1]} is {height} px tall")
            page.close()
        browser.close()


def test_the_documents_filter_narrows_the_list(served, school: str, chromium) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=PHONE)
        page.goto(served.url(school, "van-ban/"))
        settle(page)
        rows = page.locator("#tt-documents tbody tr")
        total = rows.count()
        assert page.locator("form.tt-filter").is_visible()
        assert page.locator(".tt-filter__count").inner_text() == f"Đang hiện tất cả {total} văn bản."
        page.select_option("select[name=type]", "Quyết định")
        shown = page.locator("#tt-documents tbody tr:visible")
        numbers = [shown.nth(i).locator("td").first.inner_text() for i in range(shown.count())]
        assert 0 < len(numbers) < total
        assert all("/QĐ-" in number for number in numbers)
        assert page.locator(".tt-filter__count").inner_text() == f"Đang hiện {len(numbers)}/{total} văn bản."
        page.select_option("select[name=type]", "")
        assert page.locator("#tt-documents tbody tr:visible").count() == total
        browser.close()
