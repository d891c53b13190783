"""The Vietnamese 404 page: served by ``trangtin preview`` for a missing address at any depth,
its links (sections, search) work from there."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html

from trangtin.network.model import load_network
from trangtin.network.sections import sections_for
from trangtin.site import search

from .test_preview import ANNOUNCED, fetch, first_line

SCHOOL = "thcs-an-binh"
DEEP_MISSING = f"{SCHOOL}/tin-tuc/2025/09/khong-co-bai-nay/anh/"


@pytest.fixture(scope="module")
def previewed(built_network: Path) -> Iterator[str]:
    """The address ``trangtin preview`` serves the built sample network at."""
    command = [sys.executable, "-m", "trangtin.cli", "--root", str(built_network), "preview",
               "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, encoding="utf-8")
    try:
        assert server.stdout is not None
        announced = ANNOUNCED.match(first_line(server.stdout))
        assert announced, "preview must print where it serves"
        yield announced.group("url")
    finally:
        server.kill()
        server.wait(timeout=10)


def test_built_404_page_is_vietnamese_with_the_units_name_and_absolute_links(built_network: Path) -> None:
    page = html.fromstring((built_network / "public" / SCHOOL / "404.html").read_bytes())
    assert page.findtext(".//h1") == "Không tìm thấy trang"
    assert "Trường THCS An Bình" in page.cssselect(".tt-404")[0].text_content()
    assert "Not found" not in page.text_content()
    links = [a.get("href") for a in page.cssselect(".tt-404__links a")]
    assert links and all(link.startswith("/") for link in links)


def test_missing_deep_address_answers_404_with_links_that_open_the_sections(
        previewed: str, built_network: Path) -> None:
    missing = previewed + DEEP_MISSING
    status, kind, body = fetch(missing)
    assert (status, kind) == (404, "text/html")
    page = html.fromstring(body)
    assert page.findtext(".//h1") == "Không tìm thấy trang"
    network = load_network(built_network / "network.yml")
    titles = [s.title for s in sections_for(network.units[SCHOOL], network)]
    links = page.cssselect(".tt-404__links a")
    assert [a.text_content() for a in links] == titles
    for link in links:
        target = urljoin(missing, link.get("href"))
        status, kind, section = fetch(target)
        assert (status, kind) == (200, "text/html"), target
        assert target.startswith(previewed + SCHOOL + "/")
        assert html.fromstring(section).findtext(".//title").startswith(
            (link.text_content(), "Trường THCS An Bình")), target


def test_404_search_box_and_stylesheets_load_from_a_deep_address(previewed: str) -> None:
    missing = previewed + DEEP_MISSING
    page = html.fromstring(fetch(missing)[2])
    form = page.cssselect(".tt-404 form[role=search]")[0]
    assert form.cssselect('input[name="q"][type="search"]')
    status, _, body = fetch(urljoin(missing, form.get("action")) + "?q=khai+giang")
    assert status == 200
    assert html.fromstring(body).findtext(".//h1") == search.PAGE_TITLE
    for sheet in page.cssselect('link[rel="stylesheet"]'):
        status, kind, _ = fetch(urljoin(missing, sheet.get("href")))
        assert (status, kind) == (200, "text/css"), sheet.get("href")
