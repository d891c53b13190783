"""The pages officials look at, on a phone and a desktop: no page scrolls sideways on a phone.

Chromium takes a screenshot of each page at 390×844 and 1366×768. They go to a temporary
folder, and also to ``TRANGTIN_SCREENSHOTS`` when it names a folder (``scripts/screenshots.sh``
refreshes ``docs/screenshots/`` this way).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import Scoreboard, Served, settle

pytestmark = pytest.mark.clients

SIZES = {"dien-thoai": (390, 844), "may-tinh": (1366, 768)}
SCHOOL = "thcs-an-binh"
PORTAL = "xa-an-binh"


def post_with_photos(site: Path) -> str:
    """A post that shows photos (a gallery if there is one), as a site-relative URL."""
    posts = sorted((site / "tin-tuc").rglob("index.html"))
    for marker in ("data-tt-gallery", "<picture"):
        for page in posts:
            if page.parent.parent.parent.parent.name == "tin-tuc" and marker in page.read_text("utf-8"):
                return str(page.parent.relative_to(site)) + "/"
    pytest.fail(f"no post with photos on {site.name}")


def pages(served: Served) -> dict[str, str]:
    school = served.root / SCHOOL
    return {
        "truong-trang-chu": served.url(SCHOOL),
        "truong-bai-co-anh": served.url(SCHOOL, post_with_photos(school)),
        "truong-tin-tuc": served.url(SCHOOL, "tin-tuc/"),
        "truong-van-ban": served.url(SCHOOL, "van-ban/"),
        "truong-cong-khai": served.url(SCHOOL, "cong-khai/"),
        "truong-gioi-thieu": served.url(SCHOOL, "gioi-thieu/"),
        "cong-trang-chu": served.url(PORTAL),
        "cong-thong-ke": served.url(PORTAL, "thong-ke/"),
    }


def test_screenshots_and_no_sideways_scrolling_on_a_phone(served: Served, chromium: Path, browser_flags: list[str],
                                                         tmp_path: Path, scoreboard: Scoreboard) -> None:
    from playwright.sync_api import sync_playwright

    wide: list[str] = []
    shots: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=browser_flags)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, url in pages(served).items():
                page.goto(url, wait_until="networkidle")
                settle(page)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    wide.append(f"{name} at {width} px: {overflow} px too wide")
                shots.append(tmp_path / f"{name}-{size}.png")
                page.screenshot(path=str(shots[-1]))
            page.close()
        browser.close()
    keep = os.environ.get("TRANGTIN_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copy2(shot, Path(keep) / shot.name)
    scoreboard.add(f"Screenshots: {len(shots)} pages at 390×844 and 1366×768, {len(wide)} scroll sideways")
    assert all(shot.stat().st_size > 5_000 for shot in shots)
    assert wide == []
