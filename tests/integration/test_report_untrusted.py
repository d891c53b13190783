"""The portal's "Thống kê tin bài" built from a hostile remote feed (served on loopback):
names, categories and titles that other sites wrote are text on the page, and no cell of the
XLSX or CSV beside it is a formula built from them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from openpyxl import load_workbook

from trangtin.cli.main import main

from ..conftest import copy_network, loopback_server

PORTAL, REMOTE = "xa-an-binh", "th-song-lam"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("https://evil.example","Bấm")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1+1)", "\tTab", "\rCR"]
ENTRIES = [  # (slug, title, authors, categories, published)
    ("mot", SCRIPT + "Tôi & bạn <3", [IMG, FORMULAS[3]], [SCRIPT, FORMULAS[2]], "2025-10-03"),
    ("hai", IMG + " có ngày", [FORMULAS[1], "javascript:alert(1)"], ["&lt;b&gt;đậm&lt;/b&gt;", IMG],
     "2025-10-04"),
    ("ba", FORMULAS[0], ["javascript:alert(1)"], [FORMULAS[4]], None),  # no date: unplaceable
    ("bon", "Tin thường", [FORMULAS[5]], ["Tin tức – Sự kiện"], "2025-10-05"),
]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def atom_feed(base: str) -> str:
    entries = []
    for slug, title, authors, categories, published in ENTRIES:
        names = "".join(f"<author><name>{_escape(a)}</name></author>" for a in authors)
        terms = "".join(f'<category term="{_escape(c).replace(chr(34), "&quot;")}"/>'
                        for c in categories)
        dated = (f"<published>{published}T08:00:00+07:00</published>"
                 f"<updated>{published}T08:00:00+07:00</updated>" if published else "")
        entries.append(
            f"<entry><id>urn:trangtin:{REMOTE}:posts/2025/10/{slug}</id>"
            f'<title type="text">{_escape(title)}</title><link href="{base}tin-tuc/{slug}/"/>'
            f"{dated}{names}{terms}"
            f'<summary type="text">{_escape(SCRIPT)} tóm tắt</summary></entry>')
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Sông Lam</title><id>urn:song-lam</id><updated>2025-10-06T08:00:00+07:00</updated>"
            f"{''.join(entries)}</feed>")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample portal built with its remote school's feed replaced by the hostile one."""
    root = copy_network(tmp_path_factory.mktemp("untrusted") / "network")
    with loopback_server() as server:
        server.expect_request("/th-song-lam/feed.xml").respond_with_data(
            atom_feed(server.url_for("/th-song-lam/")), content_type="application/atom+xml")
        network_file = root / "network.yml"
        network_file.write_text(network_file.read_text("utf-8").replace(
            "http://127.0.0.1:8765/th-song-lam/feed.json", server.url_for("/th-song-lam/feed.xml")),
            encoding="utf-8")
        assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    yield root / "public" / PORTAL


def hostile_texts() -> set[str]:
    return {text for _, title, authors, categories, _ in ENTRIES
            for text in (title, *authors, *categories)}


def test_report_page_shows_other_sites_text_as_text(portal: Path) -> None:
    page = lxml.html.parse(str(portal / "thong-ke" / "index.html")).getroot()
    [main_content] = page.xpath("//article")
    assert not main_content.xpath(".//script | .//img | .//b | .//@*[starts-with(name(), 'on')]")
    cells = {" ".join(td.text_content().split()) for td in main_content.xpath(".//td")}
    assert {SCRIPT, IMG, FORMULAS[0], FORMULAS[1], "javascript:alert(1)"} <= cells
    assert not main_content.xpath(".//@href[contains(., 'javascript')]")
    assert "&lt;b&gt;đậm&lt;/b&gt;" in cells          # written as text by the feed: stays that text
    raw = (portal / "thong-ke" / "index.html").read_text("utf-8")
    raw = raw.replace(_escape("&lt;b&gt;đậm&lt;/b&gt;"), "")  # the one text that holds "&lt;"
    assert "&amp;lt;" not in raw and "&amp;amp;" not in raw    # escaped once, never twice


def test_xlsx_cells_from_content_are_text_never_formulas(portal: Path) -> None:
    books = sorted((portal / "thong-ke").glob("bao-cao*.xlsx"))
    assert books
    seen: set[str] = set()
    for path in books:
        for sheet in load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                        assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    seen.add(str(cell.value))
    assert {*FORMULAS[:4]} <= seen


def test_csv_text_that_looks_like_a_formula_is_quoted_numbers_are_not(portal: Path) -> None:
    files = sorted((portal / "thong-ke").glob("bao-cao*.csv"))
    assert files
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
        for row in rows:
            for value in row:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, value)
        numbers = [v for row in rows[1:] for v in row if v.lstrip("'").lstrip("-").isdigit()]
        assert numbers and not [v for v in numbers if v.startswith("'")]


def test_the_html_report_of_the_command_line_is_text_too(portal: Path, tmp_path: Path) -> None:
    root, out = portal.parents[1], tmp_path / "bao-cao.html"
    assert main(["--root", str(root), "report", "--period", "range", "--from", "2025-09-01",
                 "--to", "2025-12-31", "--format", "html", "--out", str(out)]) == 0
    report = lxml.html.parse(str(out)).getroot()
    assert not report.xpath("//script | //img | //b | //@*[starts-with(name(), 'on')]")
    cells = {" ".join(td.text_content().split()) for td in report.xpath("//td")}
    assert {SCRIPT, IMG, FORMULAS[1], "&lt;b&gt;đậm&lt;/b&gt;"} <= cells
