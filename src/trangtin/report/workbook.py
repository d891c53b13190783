"""The report's workbook, ready to print and sign (Nghị định 30/2020/NĐ-CP layout).

The first sheet, "Tổng hợp", is the report itself: the governing body and the issuing unit
(top left), the national motto (top right), the number line and the place and date, the
title naming the period, the table, then the "NGƯỜI LẬP BIỂU" and "THỦ TRƯỞNG ĐƠN VỊ"
blocks. Every other sheet is one of its appendices, as NĐ 30 presents them: "PHỤ LỤC I"…,
the table's title and "(Kèm theo Báo cáo … ngày … của …)" above the table. The report is
signed once, on its first sheet, and every printed page of an appendix still says which
report it belongs to; a full header and two signatures on each of ten sheets would ask the
head of the unit to sign ten times for one report.

Every sheet prints on A4 (landscape when its columns are wider than a portrait page), one
page wide, with its table's header row repeated on every page, NĐ 30 margins (top and bottom
2 cm, left 3 cm, right 1.5 cm), in Times New Roman; numbers are numeric cells, dates are
dates shown dd/mm/yyyy, and a text that looks like a formula stays a text cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from trangtin.report.export import Cell, View, is_formula_like, widths
from trangtin.report.signing import Signing

FONT = "Times New Roman"
PORTRAIT_WIDTH = 100  # column-width units an A4 portrait page holds at 11 pt; wider: landscape
PAPER_A4 = 9
LINE_HEIGHT = 16.5    # points per line of 12-13 pt text
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT = Alignment(vertical="top", wrap_text=True)
STYLES = {
    "parent": Font(name=FONT, size=12),
    "unit": Font(name=FONT, size=12, bold=True),
    "motto": Font(name=FONT, size=12, bold=True),
    "motto_line": Font(name=FONT, size=13, bold=True, underline="single"),
    "number": Font(name=FONT, size=13),
    "date": Font(name=FONT, size=13, italic=True),
    "title": Font(name=FONT, size=14, bold=True),
    "subtitle": Font(name=FONT, size=13, italic=True),
    "sign": Font(name=FONT, size=13, bold=True),
    "note": Font(name=FONT, size=12, italic=True),
    "name": Font(name=FONT, size=13, bold=True),
}
_HEADER_FONT = Font(name=FONT, size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_CELL_FONT = Font(name=FONT, size=11)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")


@dataclass(frozen=True)
class Span:
    """One text over columns ``first``..``last`` (1-based, merged when more than one)."""

    first: int
    last: int
    text: str
    style: str


Line = list[Span]  # an empty line is a blank row


def workbook(tables: Iterable[View], signed: Signing | None, stamp: dt.datetime) -> bytes:
    """One sheet per table; the first is the report, the others its appendices."""
    book = Workbook(write_only=True)
    for index, table in enumerate(tables):
        _write_sheet(book.create_sheet(table.title[:31]), table, signed, index)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Any, table: View, signed: Signing | None, index: int) -> None:
    sizes = widths(table)
    for column, width in enumerate(sizes, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    above: list[Line] = []
    if signed is not None:
        above = report_heading(signed, len(sizes)) if index == 0 else \
            appendix_heading(signed, table, index, len(sizes))
    header_row = len(above) + 1
    # In streaming mode the sheet's head is written with the first row: set it up before.
    _page_setup(sheet, sizes, header_row)
    sheet.freeze_panes = f"A{header_row + 1}"
    if table.rows:
        sheet.auto_filter.ref = (f"A{header_row}:{get_column_letter(len(sizes))}"
                                 f"{header_row + len(table.rows)}")
    _append_lines(sheet, above, sizes, 1)
    sheet.append([_header_cell(sheet, h) for h in table.headers])
    for row in table.rows:
        sheet.append([_cell(sheet, cell) for cell in row])
    if signed is not None and index == 0:
        _append_lines(sheet, signature_lines(signed, len(sizes)), sizes,
                      header_row + len(table.rows) + 1)


def _halves(columns: int) -> tuple[int, int]:
    """The last column of the left block, the first of the right one."""
    left = max(1, columns // 2)
    return left, min(columns, left + 1)


def report_heading(signed: Signing, columns: int) -> list[Line]:
    left, right = _halves(columns)
    return [
        [Span(1, left, signed.parent, "parent"), Span(right, columns, signed.motto, "motto")],
        [Span(1, left, signed.unit, "unit"), Span(right, columns, signed.motto_line, "motto_line")],
        [Span(1, left, signed.number, "number"), Span(right, columns, signed.place_date, "date")],
        [],
        [Span(1, columns, signed.title, "title")],
        [Span(1, columns, signed.subtitle, "subtitle")],
        [],
    ]


def appendix_heading(signed: Signing, table: View, index: int, columns: int) -> list[Line]:
    number = ROMAN[index - 1] if index <= len(ROMAN) else str(index)
    return [
        [Span(1, columns, f"PHỤ LỤC {number}", "title")],
        [Span(1, columns, table.title.upper(), "unit")],
        [Span(1, columns, signed.appendix_note, "note")],
        [],
    ]


def signature_lines(signed: Signing, columns: int) -> list[Line]:
    left, right = _halves(columns)
    return [
        [],
        [Span(1, left, signed.preparer_title, "sign"), Span(right, columns, signed.head_title, "sign")],
        [Span(1, left, signed.preparer_note, "note"), Span(right, columns, signed.head_note, "note")],
        [], [], [],
        [Span(1, left, signed.preparer, "name"), Span(right, columns, signed.head, "name")],
    ]


def _append_lines(sheet: Any, lines: list[Line], sizes: list[int], first_row: int) -> None:
    for offset, line in enumerate(lines):
        row = first_row + offset
        cells: list[Any] = [None] * len(sizes)
        height = 1
        for span in line:
            cell = WriteOnlyCell(sheet, value=span.text or None)
            cell.font, cell.alignment = STYLES[span.style], _CENTER
            cells[span.first - 1] = cell
            if span.last > span.first:
                sheet.merged_cells.add(f"{get_column_letter(span.first)}{row}:"
                                       f"{get_column_letter(span.last)}{row}")
            room = sum(sizes[span.first - 1:span.last])
            height = max(height, math.ceil(len(span.text) * 1.15 / max(1, room)))
        sheet.row_dimensions[row].height = LINE_HEIGHT * height
        sheet.append(cells)


def _page_setup(sheet: Any, sizes: list[int], header_row: int) -> None:
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.orientation = "landscape" if sum(sizes) > PORTRAIT_WIDTH else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins = PageMargins(left=3 / 2.54, right=1.5 / 2.54, top=2 / 2.54,
                                     bottom=2 / 2.54, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT


def _header_cell(sheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
    cell.alignment = _CENTER
    return cell


def _cell(sheet: Any, value: Cell) -> Any:
    """Numbers stay numbers, dates are dates shown dd/mm/yyyy, an empty text is a blank,
    and a text that looks like a formula stays a text cell (openpyxl would write ``=…`` as
    a formula)."""
    cell = WriteOnlyCell(sheet, value=None if value == "" else value)
    cell.font, cell.border, cell.alignment = _CELL_FONT, _BORDER, _TEXT
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True  # stays text when someone edits it in Excel
    return cell
