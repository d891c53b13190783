"""Thin writers of the thi đua report: JSON, CSV, XLSX and HTML, all from the same views.

``views(report)`` turns the counting model into named tables (one per view: summary, per
month, per category, per tổ, per author, quotas, unplaceable items, report details); every
format writes those tables, so the formats cannot disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trangtin.common import dates
from trangtin.content.items import Item
from trangtin.network.model import UNIT_TYPES, Network
from trangtin.report import counting, periods
from trangtin.report.counting import REASONS, QuotaStatus, Report, UnitRow

_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
Cell = str | int | dt.date | None
FORMATS = ("html", "csv", "xlsx", "json")
PERIOD_WORDS = {"month": "tháng", "quarter": "quý", "semester": "học kỳ",
                "school_year": "năm học", "year": "năm"}
TIED_NAMES = 10  # more units sharing a rank are counted, not named, in the tables
SOURCE_WORDS = {"content": "nội dung tại chỗ", "feed": "nguồn tin (feed)",
                "none": "chưa có dữ liệu", "": ""}


@dataclass(frozen=True)
class View:
    key: str                    # file-name friendly, for ``--view`` and CSS
    title: str                  # the sheet's name (at most 31 characters for Excel)
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def quota_text(status: QuotaStatus | None) -> str:
    """``1 bài/tháng`` or ``1 bài/tháng, 1 có ảnh/video``."""
    if status is None:
        return ""
    quota = status.quota
    text = f"{quota.count} bài/{PERIOD_WORDS[quota.per]}"
    return text + (f", {quota.media} có ảnh/video" if quota.media else "")


def verdict(row: UnitRow) -> str:
    if row.met is None:
        return ""
    if row.met:
        return "Đạt"
    return "Chưa đạt (đang trong kỳ)" if row.quota and row.quota.in_progress else "Chưa đạt"


def views(report: Report) -> list[View]:
    return [_summary(report), _by_month(report), _by_category(report), _by_team(report),
            _by_author(report), _quotas(report), _disclosure(report), _unplaceable(report),
            _details(report)]


def view(report: Report, key: str) -> View:
    found = {v.key: v for v in views(report)}
    if key not in found:
        raise KeyError(key)
    return found[key]


def _name(report: Report, unit_id: str | None) -> str:
    return report.names.get(unit_id, unit_id) if unit_id else ""


def _summary(report: Report) -> View:
    headers = ("STT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Số tin bài",
               "Tổng gồm đơn vị trực thuộc", "Có ảnh/video", "Định mức", "Chỉ tiêu trong kỳ",
               "Còn thiếu", "Đánh giá", "Xếp hạng", "Đồng hạng với", "Nguồn số liệu")
    rows: list[tuple[Cell, ...]] = []
    for number, row in enumerate(report.units, 1):
        quota = row.quota
        rows.append((
            number, row.unit.id, row.unit.name, UNIT_TYPES.get(row.unit.type, row.unit.type),
            _name(report, row.unit.parent), row.published, row.total, row.with_media,
            quota_text(quota), quota.required if quota else None,
            quota.missing if quota else None, verdict(row), row.rank,
            _tied_text(report, row.tied_with), SOURCE_WORDS.get(row.source, row.source)))
    return View("tong-hop", "Tổng hợp", headers, rows)


def _tied_text(report: Report, tied: tuple[str, ...]) -> str:
    """The units sharing a rank, by name; a count when there are many (a cell stays short)."""
    if len(tied) > TIED_NAMES:
        return f"{len(tied)} đơn vị khác cùng hạng"
    return ", ".join(_name(report, u) for u in tied)


def _by_month(report: Report) -> View:
    labels = tuple(f"Tháng {m[5:]}/{m[:4]}" for m in report.months)
    headers = ("Mã đơn vị", "Tên đơn vị", *labels, "Cộng")
    rows: list[tuple[Cell, ...]] = [
        (row.unit.id, row.unit.name, *row.by_month.values(), row.published)
        for row in report.units]
    return View("theo-thang", "Theo tháng", headers, rows)


def _long(report: Report, key: str, title: str, what: str,
          pairs: Iterable[tuple[UnitRow, str, int]]) -> View:
    rows: list[tuple[Cell, ...]] = [(row.unit.id, row.unit.name, name, n) for row, name, n in pairs]
    return View(key, title, ("Mã đơn vị", "Tên đơn vị", what, "Số tin bài"), rows)


def _by_category(report: Report) -> View:
    return _long(report, "theo-chuyen-muc", "Theo chuyên mục", "Chuyên mục",
                 ((r, c, n) for r in report.units for c, n in r.by_category.items()))


def _by_team(report: Report) -> View:
    return _long(report, "theo-to", "Theo tổ chuyên môn", "Tổ chuyên môn",
                 ((r, _name(report, t), n) for r in report.units for t, n in r.by_team.items()))


def _by_author(report: Report) -> View:
    return _long(report, "theo-tac-gia", "Theo tác giả", "Tác giả",
                 ((r, a, n) for r in report.units for a, n in r.by_author.items()))


def _quotas(report: Report) -> View:
    headers = ("Mã đơn vị", "Tên đơn vị", "Định mức", "Kỳ", "Từ ngày", "Đến ngày", "Số tin bài",
               "Có ảnh/video", "Còn thiếu", "Thiếu ảnh/video", "Kỳ đã kết thúc")
    rows: list[tuple[Cell, ...]] = []
    for row in report.units:
        for p in row.quota.periods if row.quota else ():
            rows.append((row.unit.id, row.unit.name, quota_text(row.quota), p.label, p.first,
                         p.last, p.published, p.with_media, p.missing, p.media_missing,
                         "Có" if p.complete else "Chưa"))
    return View("chi-tieu", "Chỉ tiêu", headers, rows)


def _disclosure(report: Report) -> View:
    """The disclosure calendar (Thông tư 09/2024): per unit and period, on time, late, missing."""
    headers = ("Mã đơn vị", "Tên đơn vị", "Nội dung công khai", "Kỳ", "Từ ngày", "Đến ngày",
               "Hạn đăng", "Ngày đăng", "Kết quả", "Số ngày chậm", "Bài đăng")
    rows: list[tuple[Cell, ...]] = [
        (v.unit, _name(report, v.unit), v.rule, v.label, v.first_day, v.last_day, v.deadline,
         v.published, v.status_text, v.days_late, v.title) for v in report.disclosure]
    return View("cong-khai", "Công khai theo lịch", headers, rows)


def _unplaceable(report: Report) -> View:
    headers = ("Mã đơn vị", "Tên đơn vị", "Nguồn", "Tiêu đề", "Lý do", "Chi tiết")
    rows: list[tuple[Cell, ...]] = [
        (p.unit, _name(report, p.unit) if p.unit in report.names else "", p.source, p.title,
         REASONS.get(p.reason, p.reason), p.detail) for p in report.unplaceable]
    return View("khong-xep-duoc", "Không xếp được", headers, rows)


def _details(report: Report) -> View:
    rows: list[tuple[Cell, ...]] = [
        ("Kỳ báo cáo", report.period.label), ("Từ ngày", report.period.first_day),
        ("Đến ngày", report.period.last_day), ("Số liệu tính đến hết ngày", report.as_of),
        ("Múi giờ", report.timezone),
        ("Phạm vi", _name(report, report.scope) if report.scope else "Toàn mạng lưới"),
        ("Bài trùng lặp (chỉ tính một lần)", report.duplicates),
        ("Bài không xếp được vào kỳ", len(report.unplaceable)),
    ]
    return View("thong-tin", "Thông tin báo cáo", ("Mục", "Giá trị"), rows)


# --- writers -----------------------------------------------------------------------------

def to_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def _csv_cell(cell: Cell) -> str | int:
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, str) and is_formula_like(cell):
        return "'" + cell  # shown as text by spreadsheets; numbers are never prefixed
    return "" if cell is None else cell


def to_csv(report: Report, key: str = "tong-hop") -> str:
    """One view as CSV text (write it with ``utf-8-sig`` so Excel reads Vietnamese)."""
    chosen = view(report, key)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(chosen.headers)
    writer.writerows([_csv_cell(c) for c in row] for row in chosen.rows)
    return buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    """A workbook with one formatted sheet per view: bold frozen header, filters, widths.

    Written in openpyxl's streaming mode: a network of thousands of units stays fast.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for table in views(report):
        sheet = book.create_sheet(table.title[:31])
        sheet.freeze_panes = "A2"
        for column, width in enumerate(_widths(table), 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        if table.rows:
            sheet.auto_filter.ref = (f"A1:{get_column_letter(len(table.headers))}"
                                     f"{len(table.rows) + 1}")
        sheet.append([_header_cell(sheet, h) for h in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    # The same report must give the same bytes: stamp the workbook with the report's date.
    stamp = dt.datetime.combine(report.as_of, dt.time())
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_fixed_zip_times(buffer.getvalue(), stamp)


def _with_fixed_zip_times(data: bytes, stamp: dt.datetime) -> bytes:
    """Re-pack a zip (an .xlsx) with every entry dated ``stamp`` instead of "now".

    openpyxl also sets the document's "modified" property to the saving time, whatever the
    workbook says, so that one element is rewritten too.
    """
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    modified = f"<dcterms:modified\\1>{stamp:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>".encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as packed:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _MODIFIED.sub(modified, content)
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            packed.writestr(fixed, content)
    return target.getvalue()


def _widths(table: View) -> list[int]:
    """Column widths from the header and the first rows (enough to read, at most 60)."""
    return [min(60, max(8, len(header) + 2, *(len(cell_text(r[i])) + 2 for r in table.rows[:500])))
            for i, header in enumerate(table.headers)]


def _header_cell(sheet: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor="1F4E79")
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    """Numbers stay numbers, dates are dates shown dd/mm/yyyy, an empty text is a blank,
    and a text that looks like a formula stays a text cell (openpyxl would write ``=…`` as
    a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, str) and is_formula_like(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True  # stays text when someone edits it in Excel
        return cell
    return None if value == "" else value


# --- charts and HTML ---------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: float  # of the largest value, for a CSS width


@dataclass(frozen=True)
class Charts:
    units: list[Bar]    # one bar per unit (tổ excluded): items it published itself
    months: list[Bar]   # the scope's total per month
    line_points: str    # SVG polyline points over a 100 × 40 box, one per month

    @property
    def has_data(self) -> bool:
        return any(b.value for b in self.units) or any(b.value for b in self.months)


def _bars(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max((v for _, v in pairs), default=0) or 1
    return [Bar(label, value, round(100 * value / top, 1)) for label, value in pairs]


def charts(report: Report) -> Charts:
    roots = [r for r in report.units if r.unit.parent not in {u.unit.id for u in report.units}]
    per_month = [(f"{m[5:]}/{m[:4]}", sum(r.total_by_month[m] for r in roots))
                 for m in report.months]
    months = _bars(per_month)
    step = 100 / max(1, len(months) - 1)
    points = " ".join(f"{i * step:.1f},{40 - 0.38 * b.percent:.1f}" for i, b in enumerate(months))
    units = _bars([(r.unit.name, r.published) for r in report.units if r.unit.type != "to"])
    return Charts(units, months, points)


@dataclass
class Page:
    """What the portal's "Thống kê tin bài" template reads (``tt_report``)."""

    report: Report
    views: list[View]
    charts: Charts
    downloads: dict[str, str]  # format → file name beside the page


def page(report: Report, downloads: dict[str, str] | None = None) -> Page:
    return Page(report, views(report), charts(report), downloads or {})


def cell_text(cell: Cell) -> str:
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")
    return "" if cell is None else str(cell)


def is_number(cell: Cell) -> bool:
    return isinstance(cell, int)


CSS = """
.tt-report table{border-collapse:collapse;margin:0 0 1.5em;font-size:.9em}
.tt-report th,.tt-report td{border:1px solid #c8d1dc;padding:.3em .5em;text-align:left}
.tt-report td.num{text-align:right;font-variant-numeric:tabular-nums}
.tt-report thead th{background:#1f4e79;color:#fff}
.tt-bars{list-style:none;padding:0;margin:0 0 1.5em}
.tt-bars li{display:grid;grid-template-columns:minmax(8em,18em) 1fr 3em;gap:.5em;align-items:center;margin:.2em 0}
.tt-bar{display:block;height:1em;background:#2e75b6;min-width:1px}
.tt-line{width:100%;max-width:40em;height:auto;border-left:1px solid #999;border-bottom:1px solid #999}
.tt-line polyline{fill:none;stroke:#2e75b6;stroke-width:.8}
""".strip()


def _table_html(table: View) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in table.headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{c}</td>' if is_number(c) else f"<td>{html.escape(cell_text(c))}</td>"
            for c in row) + "</tr>"
        for row in table.rows)
    return (f'<h2 id="{table.key}">{html.escape(table.title)}</h2>\n<table class="tt-{table.key}">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n")


def _bars_html(bars: list[Bar], caption: str) -> str:
    items = "".join(
        f'<li><span>{html.escape(b.label)}</span><span class="tt-bar" style="width:{b.percent}%">'
        f'</span><span class="num">{b.value}</span></li>' for b in bars)
    return f'<ul class="tt-bars" aria-label="{html.escape(caption)}">{items}</ul>\n'


def to_html(report: Report) -> str:
    """A standalone HTML document: charts (no JavaScript) and every view as a table."""
    drawn = charts(report)
    title = f"Thống kê tin bài – {report.period.label}"
    parts = [
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">",
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>",
        f'<body><main class="tt-report"><h1>{html.escape(title)}</h1>',
        f"<p>Số liệu tính đến hết ngày {report.as_of:%d/%m/%Y} (giờ Việt Nam).</p>",
        "<h2>Số tin bài theo đơn vị</h2>", _bars_html(drawn.units, "Số tin bài theo đơn vị"),
        "<h2>Số tin bài theo tháng</h2>",
        '<svg class="tt-line" viewBox="-2 -2 104 44" role="img" aria-label="Số tin bài theo tháng">'
        f'<polyline points="{drawn.line_points}"/></svg>',
        _bars_html(drawn.months, "Số tin bài theo tháng"),
        *(_table_html(t) for t in views(report)),
        "</main></body></html>\n",
    ]
    return "".join(parts)


def write(report: Report, fmt: str, path: Path, csv_view: str = "tong-hop") -> None:
    """Write one format to ``path`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path.write_bytes(to_xlsx(report))
    elif fmt == "csv":
        path.write_text(to_csv(report, csv_view), encoding="utf-8-sig", newline="")
    elif fmt == "json":
        path.write_text(to_json(report), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(report), encoding="utf-8")
    else:
        raise ValueError(fmt)


# --- the portal's page -------------------------------------------------------------------

DOWNLOAD_FORMATS = ("xlsx", "csv", "json")


def portal_pages(network: Network, unit_id: str, now: dt.datetime) -> list[Page]:
    """The portal's "Thống kê tin bài": the current school year up to today, then the last
    school year before it that has published items, in full: the previous one (its
    emulation results are what autumn meetings look at) unless the units have published
    nothing since (a network that has just joined, the sample network a year later) — the
    last year with numbers is then more useful than a table of zeros.

    The current year's files are ``bao-cao.xlsx|csv|json``; the other year's carry its
    label, ``bao-cao-2024-2025.xlsx``.
    """
    today = now.astimezone(network.timezone).date()
    collected = counting.collect_items(network, today, unit_id, now=now)
    current = periods.school_year_start(today, network.school_year_start_month)
    found = []
    for start in (current, last_school_year_with_items(network, collected.items, current)):
        period = periods.school_year(start, network.school_year_start_month, network.timezone)
        report = counting.count(network, collected.items, period, min(today, period.last_day),
                                collected.unplaceable, collected.held, unit_id,
                                collected.sources, now)
        suffix = "" if start == current else f"-{start}-{start + 1}"
        found.append(page(report, {f: f"bao-cao{suffix}.{f}" for f in DOWNLOAD_FORMATS}))
    return found


def last_school_year_with_items(network: Network, items: Iterable[Item], before: int) -> int:
    """The start year of the last school year before ``before`` holding a dated item, or the
    year just before it when none does."""
    month = network.school_year_start_month
    years = {periods.school_year_start(dates.localize(item.published, network.timezone).date(),
                                       month)
             for item in items if item.published is not None}
    return max((year for year in years if year < before), default=before - 1)


def fingerprint(pages: Iterable[Page]) -> str:
    """A hash of the numbers shown, so a page cache knows when the page must change."""
    data = json.dumps([shown.report.to_json() for shown in pages], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def write_downloads(pages: Iterable[Page], folder: Path) -> None:
    """The files beside the portal's report page."""
    for shown in pages:
        for fmt, name in shown.downloads.items():
            write(shown.report, fmt, folder / name)
