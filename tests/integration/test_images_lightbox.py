"""The gallery lightbox in a real browser (Chromium via Playwright): keyboard only, and without JS.

Marked ``clients`` like the other browser checks: run with ``pytest -m clients``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_images_build import UNIT, built  # noqa: F401 - the built photo site, a fixture

pytestmark = pytest.mark.clients
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GALLERY = "tin-tuc/2025/10/kiem-tra-thu-vien/"
CAPTIONS = ["Đo độ ẩm của đất", "Báo cáo kết quả", "Vườn rau của lớp 7A"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="module")
def site_url(built) -> Iterator[str]:  # noqa: F811 - the fixture imported above
    handler = functools.partial(_Quiet, directory=str(built.root / "public" / UNIT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201 - playwright Browser
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


def test_lightbox_with_the_keyboard_only(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url + GALLERY)
    caption = "() => document.querySelector('dialog[open] .tt-lightbox__caption').textContent"

    page.locator("a.tt-gallery__link").nth(0).focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.tt-lightbox[open]")
    assert page.evaluate(caption) == CAPTIONS[0]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Đóng"
    page.wait_for_function("() => { const i = document.querySelector('dialog[open] .tt-lightbox__image');"
                           " return i.complete && i.naturalWidth === 1600; }")
    assert page.evaluate("document.querySelector('dialog[open] .tt-lightbox__image').alt") == CAPTIONS[0]

    seen = []
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
        seen.append(page.evaluate(caption))
    assert seen == [CAPTIONS[1], CAPTIONS[2], CAPTIONS[0], CAPTIONS[2]]
    assert page.evaluate("document.querySelector('.tt-lightbox__count').textContent") == "Ảnh 3/3"

    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('dialog')"), "focus left the dialog"

    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.tt-lightbox[open]", state="detached")
    assert page.evaluate("document.activeElement.getAttribute('data-caption')") == CAPTIONS[0]
    assert not errors, errors
    page.close()


def test_without_javascript_a_photo_is_a_plain_link_to_its_large_version(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + GALLERY)
    page.locator("a.tt-gallery__link").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/kt-g1-1600.jpg")
    context.close()
