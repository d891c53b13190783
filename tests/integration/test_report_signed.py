"""Reports ready to sign and reminders ready to send, end to end on the golden network: the
workbook read cell by cell (Nghị định 30 header block, signature names, page setup, fonts),
the HTML print view parsed, the reminders compared with a table computed by hand, the CSV
split the way Excel with Vietnamese regional settings splits it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from trangtin.cli.main import main

from ..unit.test_counting import GOLDEN
from .test_report import SUMMARY_HEADERS, table_rows

FONT = "Times New Roman"
IDENTITY = """    parent: so-vang
    identity:
      address: Số 2 đường Lớn, xã Vàng, tỉnh Mẫu
      leaders: [{name: Trần Văn Bình, title: Chủ tịch}]
      preparer: {name: Lê Thị Hoa, title: Công chức Văn hóa – Xã hội}
"""


@pytest.fixture()
def golden(tmp_path: Path) -> Path:
    """The golden network with an identity for its portal (xa-vang) and a reporting day; its
    remote schools are not gathered (0 items)."""
    root = tmp_path / "network"
    shutil.copytree(GOLDEN, root)
    path = root / "network.yml"
    text = path.read_text(encoding="utf-8").replace("school_year_start_month: 9\n",
                                                    "school_year_start_month: 9\nreport_day: 20\n")
    text = text.replace("    type: xa\n    parent: so-vang\n", "    type: xa\n" + IDENTITY)
    path.write_text(text, encoding="utf-8")
    return root


def report(root: Path, *args: str) -> None:
    assert main(["--root", str(root), "report", *args]) == 0


def today_line(place: str) -> str:
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    return f"{place}, ngày {today.day:02d} tháng {month} năm {today.year}"


def test_workbook_is_laid_out_to_sign(golden: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    report(golden, "--as-of", "2025-07-15", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    summary = book["Tổng hợp"]
    # Header block: the unit above and the unit (left), the motto (right), number, place, date.
    assert summary["A1"].value == "SỞ GIÁO DỤC VÀ ĐÀO TẠO VÀNG"
    assert summary["A2"].value == "UBND XÃ VÀNG" and summary["A2"].font.b
    assert summary["H1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and summary["H1"].font.b
    assert summary["H2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert summary["H2"].font.u == "single" and summary["H2"].font.b
    assert summary["A3"].value.startswith("Số:") and summary["A3"].value.endswith("/BC")
    assert summary["H3"].value == today_line("Vàng") and summary["H3"].font.i
    assert {"A1:G1", "H1:O1", "A2:G2", "H2:O2", "A5:O5"} <= {str(r) for r in
                                                             summary.merged_cells.ranges}
    assert summary["A5"].value == "BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI NĂM HỌC 2024–2025"
    assert summary["A5"].font.b and summary["A5"].font.sz == 14
    assert summary["A6"].value == "Số liệu từ ngày 01/09/2024 đến hết ngày 15/07/2025 (giờ Việt Nam)"
    # The table, numbers as numbers.
    assert [c.value for c in summary[8]] == SUMMARY_HEADERS
    rows = table_rows(summary, 8)
    assert [r[1] for r in rows][:3] == ["so-vang", "xa-vang", "thcs-vang"]
    assert all(isinstance(r[5], int) and isinstance(r[6], int) for r in rows)
    # Signature blocks under the table, the names from network.yml.
    roles = 8 + len(rows) + 2
    assert (summary.cell(roles, 1).value, summary.cell(roles, 8).value) == \
        ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ")
    assert summary.cell(roles + 1, 8).value == "(Ký, ghi rõ họ tên, đóng dấu)"
    assert (summary.cell(roles + 5, 1).value, summary.cell(roles + 5, 8).value) == \
        ("Lê Thị Hoa", "Trần Văn Bình")
    # Appendices: their number, title and the report they belong to.
    months = book["Theo tháng"]
    assert [months[f"A{r}"].value for r in (1, 2)] == ["PHỤ LỤC I", "THEO THÁNG"]
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert months["A3"].value == ("(Kèm theo Báo cáo thống kê tin bài đăng tải năm học "
                                  f"2024–2025 ngày {today:%d/%m/%Y} của UBND xã Vàng)")
    assert book["Thông tin báo cáo"]["A1"].value.startswith("PHỤ LỤC ")


def test_every_sheet_prints_on_a4_in_times_new_roman(golden: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    report(golden, "--as-of", "2025-07-15", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    for index, sheet in enumerate(book.worksheets):
        header_row = 8 if index == 0 else 5
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title                      # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title  # one page wide
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
        assert round(sheet.page_margins.left * 2.54, 1) == 3.0, sheet.title
        fonts = {c.font.name for row in sheet.iter_rows() for c in row if c.value is not None}
        assert fonts == {FONT}, sheet.title
    orientation = {s.title: s.page_setup.orientation for s in book.worksheets}
    assert orientation["Tổng hợp"] == "landscape"          # 15 columns
    assert orientation["Thông tin báo cáo"] == "portrait"  # 2 columns


# Behind as of 15/07/2025, computed by hand from the golden posts (tests/data/golden) with
# report_day 20: a tổ owes July's post by 20/07; a school owes 3 a school year, pro rata
# 318/365 days gone = ceil(2.61) = 3 by now; the xã owes 2 a year, 196/365 gone = 2 by now.
# th-xa's quota is per semester and 15/07 is between semesters: nothing is due.
REMINDERS_15_07 = [
    "UBND xã Vàng: còn thiếu 1 bài năm 2025, hạn trước ngày 01/01/2026",
    "Trường THCS Vàng: còn thiếu 2 bài năm học 2024-2025, hạn trước ngày 01/09/2025",
    "Tổ Toán – Tin (Trường THCS Vàng): còn thiếu 1 bài tháng 07/2025, hạn trước ngày 20/07/2025",
    "Tổ Ngữ văn (Trường THCS Vàng): còn thiếu 1 bài tháng 07/2025, hạn trước ngày 20/07/2025",
    "Trường Tiểu học Vàng: còn thiếu 1 bài năm học 2024-2025, hạn trước ngày 01/09/2025",
    "Trường Tiểu học Phường Xa: còn thiếu 3 bài năm học 2024-2025, hạn trước ngày 01/09/2025",
]


def test_reminders_match_the_hand_computed_table(golden: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    report(golden, "--view", "nhac-viec", "--as-of", "2025-07-15")
    assert capsys.readouterr().out.splitlines() == REMINDERS_15_07
    # After the reporting day, a tổ's month is due at its end.
    report(golden, "--view", "nhac-viec", "--as-of", "2025-07-25")
    late = capsys.readouterr().out.splitlines()
    assert "Tổ Ngữ văn (Trường THCS Vàng): còn thiếu 1 bài tháng 07/2025, hạn trước ngày " \
           "01/08/2025" in late
    # The same list is a sheet of the workbook.
    out = tmp_path / "bao-cao.xlsx"
    report(golden, "--as-of", "2025-07-15", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out)["Nhắc việc"]
    rows = table_rows(sheet, 5)
    assert [r[4] for r in rows] == REMINDERS_15_07
    assert rows[2][:3] == ["thcs-vang-to-toan", "Tổ Toán – Tin (Trường THCS Vàng)",
                           "1 bài tháng 07/2025"]
    assert rows[2][3].date() == dt.date(2025, 7, 20)  # a date cell


def test_monthly_report_follows_the_reporting_day(golden: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    report(golden, "--period", "month", "--as-of", "2025-08-25", "--format", "json")
    period = json.loads(capsys.readouterr().out)["period"]
    assert period == {"from": "2025-08-20", "to": "2025-09-19", "kind": "month",
                      "label": "Tháng 09/2025 (từ 20/08/2025 đến 19/09/2025)"}


def test_print_view_of_the_html_report(golden: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.html"
    report(golden, "--as-of", "2025-07-15", "--format", "html", "--out", str(out))
    page = lxml_html.parse(str(out)).getroot()
    head = page.xpath("//div[contains(@class, 'tt-sign-head')]")[0]
    texts = [" ".join(p.text_content().split()) for p in head.xpath(".//p")]
    assert texts == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO VÀNG", "UBND XÃ VÀNG", "Số: /BC",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     today_line("Vàng")]
    assert page.xpath("string(//p[contains(@class, 'tt-sign-title')])") == \
        "BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI NĂM HỌC 2024–2025"
    # The signatures follow the summary table; every other table is an appendix.
    signatures = page.xpath("//table[@class='tt-tong-hop']/following-sibling::div"
                            "[contains(@class, 'tt-signatures')]")[0]
    assert [p.text_content() for p in signatures.xpath(".//p[@class='tt-sign-role']")] == \
        ["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert [p.text_content() for p in signatures.xpath(".//p[@class='tt-sign-name']")] == \
        ["Lê Thị Hoa", "Trần Văn Bình"]
    appendices = page.xpath("//section[@class='tt-appendix']")
    assert appendices[0].xpath("string(.//p[@class='tt-sign-title'])") == "PHỤ LỤC I"
    assert appendices[-1].xpath("string(.//h2)") == "Nhắc việc"
    style = page.xpath("string(//style)")
    for rule in ("@page{size:A4 landscape", "@media print", ".tt-report tr{break-inside:avoid}",
                 ".tt-appendix{break-before:page}", 'font-family:"Times New Roman"'):
        assert rule in style, rule


def test_csv_splits_in_columns_with_the_chosen_separator(golden: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    report(golden, "--as-of", "2025-07-15", "--format", "csv")
    default = capsys.readouterr().out
    report(golden, "--as-of", "2025-07-15", "--format", "csv", "--csv-sep", ",")
    comma = capsys.readouterr().out
    # Excel with Vietnamese regional settings splits on ";", the list separator.
    by_semicolon = list(csv.reader(io.StringIO(default), delimiter=";"))
    by_comma = list(csv.reader(io.StringIO(comma), delimiter=","))
    assert by_semicolon[0] == SUMMARY_HEADERS
    assert by_semicolon == by_comma
    assert {len(row) for row in by_semicolon} == {len(SUMMARY_HEADERS)}
    assert by_semicolon[3][1:3] == ["thcs-vang", "Trường THCS Vàng"]
    assert by_semicolon[3][5] == "1"
    # Names holding a comma stay one cell once quoted; split on "," the default is one column.
    assert {len(row) for row in csv.reader(io.StringIO(default), delimiter=",")} != \
        {len(SUMMARY_HEADERS)}


def test_csv_file_keeps_its_bom(golden: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.csv"
    report(golden, "--as-of", "2025-07-15", "--format", "csv", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")) == SUMMARY_HEADERS


def test_print_view_of_the_portal_report_page(built_network: Path) -> None:
    """The sample portal's "Thống kê tin bài": each year prints as a report to sign."""
    page = lxml_html.parse(str(built_network / "public" / "xa-an-binh" / "thong-ke" /
                               "index.html")).getroot()
    sections = page.xpath("//section[@class='tt-report']")
    assert len(sections) == 2
    for section in sections:
        head = [" ".join(p.text_content().split())
                for p in section.xpath(".//div[contains(@class, 'tt-sign-head')]//p")]
        assert head[:2] == ["ỦY BAN NHÂN DÂN XÃ AN BÌNH", "UBND XÃ AN BÌNH – PHÒNG VĂN HÓA – XÃ HỘI"]
        assert head[3:5] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        assert head[5] == today_line("An Bình")
        title = section.xpath("string(.//p[contains(@class, 'tt-sign-title')])")
        assert title.startswith("BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI NĂM HỌC ")
        names = section.xpath(".//div[contains(@class, 'tt-signatures')]"
                              "//p[@class='tt-sign-name']/text()")
        assert names == ["Nguyễn Thị Thanh", "Lê Thị Thu Hà"]  # preparer, first of the leaders
        appendix = section.xpath(".//div[@class='tt-appendix'][.//table[@class='tt-theo-thang']]")
        assert appendix[0].xpath("string(.//p[@class='tt-sign-title'])") == "PHỤ LỤC I"
    style = page.xpath("string(//style[contains(., '@media print')])")
    for rule in ("@page{size:A4 landscape", ".md-header,.md-tabs,.md-sidebar,.md-footer",
                 ".tt-report tr{break-inside:avoid}", ".tt-report thead{display:table-header-group}"):
        assert rule in style, rule


def test_reminders_name_the_disclosure_items_still_owed(network_copy: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The sample mầm non (network.yml ``disclosure:``): on 20/11/2025 the week-48 menu and
    weekly plan are due by Saturday 22/11, neither posted; on 25/11 the plan was posted on
    21/11 and the menu never was (its deadline passed)."""
    report(network_copy, "--view", "nhac-viec", "--as-of", "2025-11-20")
    ahead = [line for line in capsys.readouterr().out.splitlines() if "Hoa Sen" in line]
    assert ahead == [
        "Trường Mầm non Hoa Sen: còn thiếu thực đơn tuần 48/2025 (24/11–30/11/2025), hạn trước "
        "ngày 23/11/2025; còn thiếu kế hoạch giáo dục tuần 48/2025 (24/11–30/11/2025), hạn "
        "trước ngày 23/11/2025"]
    report(network_copy, "--view", "nhac-viec", "--as-of", "2025-11-25")
    late = [line for line in capsys.readouterr().out.splitlines() if "Hoa Sen" in line]
    assert late == [
        "Trường Mầm non Hoa Sen: còn thiếu thực đơn tuần 48/2025 (24/11–30/11/2025), hạn trước "
        "ngày 23/11/2025"]
