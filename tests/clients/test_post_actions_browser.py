"""A post's "Chia sẻ" and "In bài" in Chromium: the phone's share sheet when the browser has
one, the page's address copied otherwise, and a printed page without the site's chrome."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Served, first_post, settle

pytestmark = pytest.mark.clients

# The browser's own navigator.share replaced before any script of the page runs.
WITHOUT_SHARE = "Object.defineProperty(Navigator.prototype, 'share', {value: undefined, configurable: true});"
RECORDING_SHARE = """
Object.defineProperty(Navigator.prototype, 'share', {configurable: true, value: function (data) {
  window.__shared = {title: data.title, url: data.url};
  return Promise.resolve();
}});
"""


@pytest.fixture(scope="module")
def browser(chromium: Path, browser_flags: list[str]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def post_url(served: Served, school: str) -> str:
    return served.url(school, first_post(served.root, school))


def open_post(browser, url: str, init_script: str | None = None, **options):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 390, "height": 844}, **options)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.goto(url, wait_until="networkidle")
    if options.get("java_script_enabled", True):
        settle(page)
    return context, page, hosts


def test_share_calls_the_phones_share_sheet_with_the_posts_title_and_address(browser, post_url: str) -> None:
    context, page, hosts = open_post(browser, post_url, RECORDING_SHARE)
    button = page.get_by_role("button", name="Chia sẻ")
    assert button.is_visible()
    button.click()
    page.wait_for_function("window.__shared !== undefined")
    shared = page.evaluate("window.__shared")
    assert shared == {"title": page.locator(".tt-post h1").inner_text(), "url": post_url}
    assert set(hosts) == {post_url.split("/")[2]}, "no request to another host"
    context.close()


def test_without_a_share_sheet_the_button_copies_the_link(browser, post_url: str) -> None:
    context, page, _ = open_post(browser, post_url, WITHOUT_SHARE,
                                 permissions=["clipboard-read", "clipboard-write"])
    assert page.get_by_role("button", name="Chia sẻ").count() == 0
    page.get_by_role("button", name="Sao chép liên kết").click()
    status = page.locator(".tt-actions__status")
    status.filter(has_text="Đã sao chép liên kết").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == post_url
    context.close()


def test_print_button_opens_printing_and_the_printed_page_has_no_site_chrome(browser, post_url: str) -> None:
    context, page, _ = open_post(browser, post_url,
                                 "window.print = function () { window.__printed = true; };")
    page.get_by_role("button", name="In bài").click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-footer", ".md-sidebar--primary", ".tt-breadcrumbs",
                   ".tt-actions"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
    for printed in (".tt-post h1", ".tt-post__body", ".tt-meta__date", ".tt-post__unit", ".tt-post__url"):
        assert page.locator(printed).first.is_visible(), f"{printed} is not printed"
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible() and not page.locator(".tt-post__url").is_visible()
    context.close()


def test_without_javascript_the_buttons_stay_hidden(browser, post_url: str) -> None:
    context, page, _ = open_post(browser, post_url, java_script_enabled=False)
    assert page.locator(".tt-actions").count() == 1
    assert not page.locator(".tt-actions").is_visible()
    context.close()
