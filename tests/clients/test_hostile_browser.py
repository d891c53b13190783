"""The hostile corpus in real clients: no page of it opens a dialog, navigates or calls out in
Chromium, and the Nu HTML checker finds no error in any of its pages.

The network with the hostile posts and feeds (``tests/hostile_corpus.py``) is built and served
on 127.0.0.1; Chromium opens every page of the school that holds the posts and of the portal
that cross-posts them, and the search page with a hostile query.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.hostile_corpus import MARKER, UNIT, Hostile, build_hostile

from .conftest import CHROMIUM_FLAGS, Scoreboard, serving, settle

pytestmark = pytest.mark.clients
PORTAL = "xa-an-binh"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return build_hostile(tmp_path_factory.mktemp("hostile") / "network")


@pytest.fixture(scope="module")
def hostile_base(hostile: Hostile) -> Iterator[str]:
    with serving(hostile.public) as base:
        yield base


def page_urls(public: Path, base: str) -> list[str]:
    pages = [p for unit in (UNIT, PORTAL) for p in sorted((public / unit).rglob("index.html"))]
    urls = [base + str(p.parent.relative_to(public)).replace("\\", "/") + "/" for p in pages]
    query = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20tieu%20de"
    return urls + [f"{base}{unit}/tim-kiem/?q={query}" for unit in (UNIT, PORTAL)]


def same_page(now: str, opened: str) -> bool:
    """The search page rewrites its own query string (the same query, re-encoded): not a navigation."""
    a, b = urlsplit(now), urlsplit(opened)
    return (a.scheme, a.netloc, a.path, parse_qs(a.query)) == (b.scheme, b.netloc, b.path, parse_qs(b.query))


def test_no_hostile_page_runs_anything(hostile: Hostile, hostile_base: str, chromium: Path,
                                       scoreboard: Scoreboard) -> None:
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    navigations: list[str] = []
    outside: list[str] = []
    urls = page_urls(hostile.public, hostile_base)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        page.on("request", lambda r: outside.append(r.url)
                if MARKER in r.url or "evil.example" in r.url else None)
        for url in urls:
            page.goto(url, wait_until="load")
            settle(page)  # the theme's scripts have run on the hostile page too
            page.mouse.move(200, 300)  # an onmouseover that survived would fire now
            if not same_page(page.url, url):
                navigations.append(f"{url} → {page.url}")
        browser.close()
    scoreboard.add(f"Hostile corpus in Chromium: {len(urls)} pages, {len(dialogs)} dialogs, "
                   f"{len(navigations)} navigations, {len(outside)} requests to the attacker")
    assert dialogs == []
    assert navigations == []
    assert outside == []


def test_pages_built_from_hostile_content_are_valid_html(hostile: Hostile, scoreboard: Scoreboard) -> None:
    from .test_html_valid import is_allowed_embed_sandbox, is_material_toggle, run_vnu

    pages = sorted(hostile.public.rglob("*.html"))
    errors = [m for m in run_vnu(pages) if not (is_material_toggle(m) or is_allowed_embed_sandbox(m))]
    scoreboard.add(f"Nu HTML checker on the hostile corpus: {len(pages)} pages, {len(errors)} errors")
    report = "\n".join(f"{m.get('url', '').split('/public/')[-1]}:{m.get('lastLine')}: {m.get('message')}"
                       for m in errors[:40])
    assert not errors, f"{len(errors)} HTML errors:\n{report}"
