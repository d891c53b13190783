"""``trangtin report`` end to end: the golden network's remote feeds served over loopback
HTTP, gathered by ``trangtin aggregate``, counted, and written in every format; each file
is read back (XLSX with openpyxl, cell by cell) and compared with the hand-computed numbers.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from trangtin.cli.main import main
from trangtin.network.model import UNIT_TYPES, Network, load_network

from ..unit.test_counting import GOLDEN, check_report

CASE = json.loads((GOLDEN / "expected" / "school-year-2024-2025.json").read_text("utf-8"))
ORDER = ["so-vang", "xa-vang", "thcs-vang", "thcs-vang-to-toan", "thcs-vang-to-van", "th-vang",
         "th-xa", "phuong-xa", "th-phuong"]
QUOTA_TEXT = {"to": "1 bài/tháng", "truong": "3 bài/năm học", "xa": "2 bài/năm"}
SUMMARY_HEADERS = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên",
                   "Số tin bài", "Tổng gồm đơn vị trực thuộc", "Có ảnh/video", "Định mức",
                   "Chỉ tiêu trong kỳ", "Còn thiếu", "Đánh giá", "Xếp hạng", "Đồng hạng với",
                   "Nguồn số liệu"]
SOURCES = {"so-vang": "chưa có dữ liệu", "th-xa": "nguồn tin (feed)",
           "phuong-xa": "nguồn tin (feed)", "th-phuong": "nguồn tin (feed)"}
SHEETS = ["Tổng hợp", "Theo tháng", "Theo chuyên mục", "Theo tổ chuyên môn", "Theo tác giả",
          "Chỉ tiêu", "Không xếp được", "Thông tin báo cáo", "Nhắc việc"]
DISCLOSURE_SHEET = "Công khai theo lịch"  # the disclosure calendar's sheet has its own tests
SUMMARY_HEADER_ROW = 8   # below the Nghị định 30 header block (test_report_signed.py)
APPENDIX_HEADER_ROW = 5  # below "PHỤ LỤC …", its title and its reference line


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the golden network whose remote units are served over loopback HTTP and
    gathered by ``trangtin aggregate``."""
    root = tmp_path_factory.mktemp("golden") / "network"
    shutil.copytree(GOLDEN, root)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root / "feeds"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        text = (root / "network.yml").read_text(encoding="utf-8")
        for unit in ("th-xa", "phuong-xa", "th-phuong"):
            text = text.replace(f"https://{unit}.example.invalid/feed.json",
                                f"http://127.0.0.1:{server.server_port}/{unit}.json")
        (root / "network.yml").write_text(text, encoding="utf-8")
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = main(["--root", str(root), "aggregate"])
        # Every feed is gathered. The schools built here never were, which `aggregate` says
        # (it never reads them from elsewhere); the report counts them from their content.
        problems = [line for line in said.getvalue().splitlines() if ": lỗi: " in line]
        assert code == 1 and len(problems) == 2, said.getvalue()
        assert all("không thấy trang đã xây dựng" in line for line in problems)
        yield root
    finally:
        server.shutdown()
        server.server_close()


def run_report(root: Path, fmt: str, out: Path, *extra: str) -> Path:
    assert main(["--root", str(root), "report", *CASE["cli"], "--format", fmt,
                 "--out", str(out), *extra]) == 0
    return out


def expected_summary(network: Network) -> list[list[Any]]:
    """The summary table as the office should see it, from the hand-computed case."""
    rows = []
    for number, unit_id in enumerate(ORDER, 1):
        unit, want = network.units[unit_id], CASE["units"][unit_id]
        quota = want.get("quota")
        verdict = None if "met" not in want else "Đạt" if want["met"] else (
            "Chưa đạt (đang trong kỳ)" if quota["in_progress"] else "Chưa đạt")
        text = "2 bài/học kỳ" if unit_id == "th-xa" else QUOTA_TEXT.get(unit.type)
        tied = ", ".join(network.units[t].name for t in want.get("tied_with", [])) or None
        rows.append([number, unit_id, unit.name, UNIT_TYPES[unit.type],
                     network.units[unit.parent].name if unit.parent else None,
                     want.get("published", 0), want.get("total", 0), want.get("with_media", 0),
                     text, quota["required"] if quota else None,
                     quota["missing"] if quota else None, verdict, want["rank"], tied,
                     SOURCES.get(unit_id, "nội dung tại chỗ")])
    return rows


def expected_months(network: Network) -> list[list[Any]]:
    return [[u, network.units[u].name,
             *(CASE["units"][u].get("by_month", {}).get(m, 0) for m in CASE["months"]),
             CASE["units"][u].get("published", 0)] for u in ORDER]


def table_rows(sheet: Any, header_row: int) -> list[list[Any]]:
    """The rows of a sheet's table: from below its header row to the first blank row (the
    signature blocks follow the summary's table)."""
    rows = []
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(list(row))
    return rows


def as_text(rows: list[list[Any]]) -> list[list[str]]:
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


def test_json_matches_the_golden_numbers(golden: Path, tmp_path: Path) -> None:
    data = json.loads(run_report(golden, "json", tmp_path / "r.json").read_text("utf-8"))
    check_report(data, CASE, load_network(golden / "network.yml"), unplaceable=False)
    # The feed entries `trangtin aggregate` did not use (no date, a duplicate id) are read
    # from its state with the future items and the broken local posts: nothing is missing.
    got = sorted([p["unit"], p["reason"]] for p in data["unplaceable"])
    assert got == sorted(CASE["unplaceable"])
    assert all(p["source"] for p in data["unplaceable"])
    assert {u["id"]: u["source"] for u in data["units"]}["th-xa"] == "feed"


def test_xlsx_cell_by_cell(golden: Path, tmp_path: Path) -> None:
    network = load_network(golden / "network.yml")
    book = load_workbook(run_report(golden, "xlsx", tmp_path / "r.xlsx"))
    assert [name for name in book.sheetnames if name != DISCLOSURE_SHEET] == SHEETS
    summary = book["Tổng hợp"]
    top = SUMMARY_HEADER_ROW
    assert [c.value for c in summary[top]] == SUMMARY_HEADERS
    assert summary.freeze_panes == f"A{top + 1}" and summary[f"A{top}"].font.bold
    assert table_rows(summary, top) == expected_summary(network)
    assert all(isinstance(summary.cell(r, 6).value, int)
               for r in range(top + 1, top + len(ORDER) + 1))
    months = book["Theo tháng"]
    top = APPENDIX_HEADER_ROW
    assert [c.value for c in months[top]][2:-1] == \
        [f"Tháng {m[5:]}/{m[:4]}" for m in CASE["months"]]
    assert table_rows(months, top) == expected_months(network)
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == f"A{top + 1}", sheet.title
    teams = {(r[0], r[2]): r[3] for r in table_rows(book["Theo tổ chuyên môn"], top)}
    assert teams == {("thcs-vang", "Tổ Toán – Tin"): 1, ("thcs-vang", "Tổ Ngữ văn"): 1}
    details = {r[0]: r[1] for r in table_rows(book["Thông tin báo cáo"], top)}
    assert details["Bài trùng lặp (chỉ tính một lần)"] == CASE["duplicates"]


def test_csv_has_a_bom_and_the_same_numbers(golden: Path, tmp_path: Path) -> None:
    network = load_network(golden / "network.yml")
    raw = run_report(golden, "csv", tmp_path / "r.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == SUMMARY_HEADERS
    assert rows[1:] == as_text(expected_summary(network))
    monthly = run_report(golden, "csv", tmp_path / "m.csv", "--view", "theo-thang")
    rows = list(csv.reader(io.StringIO(monthly.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1:] == as_text(expected_months(network))


def test_html_tables_and_charts(golden: Path, tmp_path: Path) -> None:
    network = load_network(golden / "network.yml")
    page = lxml_html.parse(str(run_report(golden, "html", tmp_path / "r.html"))).getroot()
    assert not page.xpath("//script")
    table = page.xpath("//table[@class='tt-tong-hop']")[0]
    assert [th.text_content() for th in table.xpath(".//thead//th")] == SUMMARY_HEADERS
    got = [[td.text_content() for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]
    assert got == as_text(expected_summary(network))
    bars = page.xpath("//ul[@class='tt-bars'][1]/li")
    shown = {li.xpath("span[1]")[0].text_content(): int(li.xpath("span[3]")[0].text_content())
             for li in bars}
    assert shown["Trường THCS Vàng"] == 3 and "Tổ Toán – Tin" not in shown
    widest = max(bars, key=lambda li: int(li.xpath("span[3]")[0].text_content()))
    assert "width:100.0%" in widest.xpath("span[2]/@style")[0]
    assert page.xpath("//svg//polyline/@points")


def test_bad_input_is_explained(golden: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(golden), "report", "--as-of", "31/08/2025"]) == 1
    assert "--as-of: ngày '31/08/2025' không đọc được" in capsys.readouterr().err
    assert main(["--root", str(golden), "report", "--unit", "khong-co"]) == 1
    assert "không có đơn vị 'khong-co'" in capsys.readouterr().err


def test_portal_page_and_downloads_agree(built_network: Path) -> None:
    """The sample portal's "Thống kê tin bài" page and its files, from the same build."""
    folder = built_network / "public" / "xa-an-binh" / "thong-ke"
    data = json.loads((folder / "bao-cao.json").read_text("utf-8"))
    page = lxml_html.parse(str(folder / "index.html")).getroot()
    sections = page.xpath("//section[@class='tt-report']")
    assert len(sections) == 2
    for section in sections:
        for href in section.xpath(".//p[@class='tt-downloads']/a/@href"):
            assert (folder / href).is_file(), href
    current = sections[0]
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in current.xpath(".//table[@class='tt-tong-hop']/tbody/tr")]
    assert [r[1] for r in rows] == [u["id"] for u in data["units"]]
    assert [int(r[5]) for r in rows] == [u["published"] for u in data["units"]]
    book = load_workbook(folder / "bao-cao.xlsx")
    cells = table_rows(book["Tổng hợp"], SUMMARY_HEADER_ROW)
    assert [(c[1], c[5], c[6]) for c in cells] == \
        [(u["id"], u["published"], u["total"]) for u in data["units"]]
    previous = json.loads((folder / sections[1].xpath(
        ".//p[@class='tt-downloads']/a[contains(@href, '.json')]/@href")[0]).read_text("utf-8"))
    assert previous["period"]["to"] < data["period"]["from"]
    assert "Thống kê tin bài" in page.xpath("string(//title)")


def test_range_across_the_school_year_boundary(golden: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """31/08 and 01/09 together: four items on each side of midnight, whatever their zone."""
    assert main(["--root", str(golden), "report", "--from", "2025-08-31", "--to", "2025-09-01",
                 "--as-of", "2025-09-15", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"from": "2025-08-31", "to": "2025-09-01", "kind": "range",
                              "label": "Từ 31/08/2025 đến 01/09/2025"}
    units = {u["id"]: u for u in data["units"]}
    assert units["thcs-vang"]["by_month"] == {"2025-08": 2, "2025-09": 1}
    assert units["th-vang"]["by_month"] == {"2025-08": 0, "2025-09": 1}
    assert units["th-xa"]["by_month"] == {"2025-08": 2, "2025-09": 2}
    assert units["so-vang"]["total"] == 8
