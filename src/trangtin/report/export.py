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
from dataclasses import dataclass, field
from pathlib import Path

from trangtin.common import dates
from trangtin.content.items import Item
from trangtin.network.model import UNIT_TYPES, Network
from trangtin.report import counting, overview, periods, reminders, signing
from trangtin.report.counting import REASONS, QuotaStatus, Report, UnitRow
from trangtin.report.signing import Signing

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


def view(report: Report, key: str, extra: Iterable[View] = ()) -> View:
    found = {v.key: v for v in [*views(report), *extra]}
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


# Excel splits a double-clicked CSV with the list separator of Windows' regional settings:
# ";" in Vietnamese ones, whose decimal separator is "," (README, "CSV for Excel").
CSV_SEPARATORS = (";", ",")
DEFAULT_CSV_SEPARATOR = ";"


def to_csv(report: Report, key: str = "tong-hop", sep: str = DEFAULT_CSV_SEPARATOR,
           extra: Iterable[View] = ()) -> str:
    """One view as CSV text (write it with ``utf-8-sig`` so Excel reads Vietnamese)."""
    chosen = view(report, key, extra)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(chosen.headers)
    writer.writerows([_csv_cell(c) for c in row] for row in chosen.rows)
    return buffer.getvalue()


def to_xlsx(report: Report, signed: Signing | None = None, extra: Iterable[View] = ()) -> bytes:
    """A workbook with one formatted sheet per view (frozen header, filters, widths); with
    ``signed``, laid out to be printed and signed (``workbook``).

    Written in openpyxl's streaming mode: a network of thousands of units stays fast.
    """
    from trangtin.report.workbook import workbook

    # The same report must give the same bytes: stamp the workbook with the report's date.
    stamp = dt.datetime.combine(report.as_of, dt.time())
    return _with_fixed_zip_times(workbook([*views(report), *extra], signed, stamp), stamp)


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


def widths(table: View) -> list[int]:
    """Column widths from the header and the first rows (enough to read, at most 60)."""
    return [min(60, max(8, len(header) + 2, *(len(cell_text(r[i])) + 2 for r in table.rows[:500])))
            for i, header in enumerate(table.headers)]


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
    signed: Signing | None = None  # the header and signature blocks of the print view
    extra: list[View] = field(default_factory=list)  # the reminders, when the period is running

    @property
    def overview(self) -> overview.Overview:
        """Totals, units with their verdict badges and the month chart, for the screen."""
        return overview.overview(self.report)

    @property
    def appendices(self) -> list[tuple[str, View]]:
        """The tables after the summary, numbered as the report's appendices (I, II…)."""
        return [(roman(n), v) for n, v in enumerate([*self.views[1:], *self.extra], 1)]


def page(report: Report, downloads: dict[str, str] | None = None,
         signed: Signing | None = None, extra: Iterable[View] = ()) -> Page:
    return Page(report, views(report), charts(report), downloads or {}, signed, list(extra))


def reminders_view(found: list[reminders.Reminder]) -> View:
    """The reminders as a table (a sheet of the workbook, a CSV with ``--view nhac-viec``)."""
    rows: list[tuple[Cell, ...]] = list(reminders.rows(found))
    return View(reminders.VIEW_KEY, reminders.VIEW_TITLE, reminders.HEADERS, rows)


def signed_report(network: Network, report: Report, issued: dt.date,
                  other_facts: Iterable[reminders.Missing] = (), with_reminders: bool = True
                  ) -> tuple[Signing, list[View], list[reminders.Reminder]]:
    """What makes a report ready to send: its header and signature texts, and the reminders
    sheet (as of the report's as-of day; empty for a period that is over)."""
    signed = signing.signing(network, report.period, report.as_of, report.scope, issued)
    found = reminders.for_report(network, report, other_facts) if with_reminders else []
    return signed, [reminders_view(found)], found


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


# The print view: A4 in the Nghị định 30/2020 layout (the header block and the signatures
# appear only on paper; charts and links do not), a table row never split across pages.
PRINT_CSS = """
.tt-print{display:none}
@page{size:A4 landscape;margin:20mm 15mm 20mm 30mm}
@media print{
body{font-family:"Times New Roman",Times,serif;font-size:12pt;color:#000;background:#fff}
.tt-screen,.tt-bars,.tt-line,.tt-downloads,details{display:none!important}
.tt-print{display:block}
.tt-sign-head{display:grid!important;grid-template-columns:1fr 1fr;text-align:center;font-size:12pt;margin:0 0 6mm}
.tt-sign-head p,.tt-signatures p{margin:0}
.tt-sign-unit{font-weight:bold}
.tt-sign-unit::after{content:"";display:block;width:35%;margin:1mm auto 0;border-top:1px solid #000}
.tt-motto{font-weight:bold}
.tt-motto-line{font-weight:bold;font-size:13pt;display:inline-block;border-bottom:1px solid #000;padding-bottom:1px}
.tt-number{margin-top:2mm!important;white-space:pre}
.tt-place-date{font-style:italic;font-size:13pt;margin-top:2mm!important}
.tt-sign-title{text-align:center;font-size:14pt;font-weight:bold;margin:0}
.tt-sign-subtitle{text-align:center;font-style:italic;font-size:13pt;margin:1mm 0 5mm}
.tt-report h2{display:none}
.tt-report table{font-size:10pt;width:100%;border-collapse:collapse}
.tt-report th,.tt-report td{border:1px solid #000!important;color:#000!important;
background:#fff!important;padding:.8mm 1.2mm;line-height:1.25}
.tt-report thead{display:table-header-group}
.tt-report tr{break-inside:avoid}
.tt-signatures{display:grid!important;grid-template-columns:1fr 1fr;text-align:center;margin-top:8mm;break-inside:avoid}
.tt-sign-role{font-weight:bold;font-size:13pt}
.tt-sign-note{font-style:italic}
.tt-sign-name{font-weight:bold;font-size:13pt;margin-top:22mm!important}
.tt-appendix{break-before:page}
.tt-appendix-head{text-align:center;margin:0 0 4mm}
.tt-appendix-head p{margin:0}
.tt-appendix-head .tt-sign-title{font-size:13pt}
}
""".strip()


def sign_head_html(signed: Signing) -> str:
    """The header block of Nghị định 30: unit (left), motto (right), number, place and date,
    title; shown on paper only."""
    e = html.escape
    return (
        '<div class="tt-print tt-sign-head">'
        f'<div><p class="tt-sign-parent">{e(signed.parent)}</p>'
        f'<p class="tt-sign-unit">{e(signed.unit)}</p>'
        f'<p class="tt-number">{e(signed.number)}</p></div>'
        f'<div><p class="tt-motto">{e(signed.motto)}</p>'
        f'<p><span class="tt-motto-line">{e(signed.motto_line)}</span></p>'
        f'<p class="tt-place-date">{e(signed.place_date)}</p></div></div>'
        f'<p class="tt-print tt-sign-title">{e(signed.title)}</p>'
        f'<p class="tt-print tt-sign-subtitle">{e(signed.subtitle)}</p>\n')


def signatures_html(signed: Signing) -> str:
    e = html.escape
    blocks = ((signed.preparer_title, signed.preparer_note, signed.preparer),
              (signed.head_title, signed.head_note, signed.head))
    return ('<div class="tt-print tt-signatures">' + "".join(
        f'<div><p class="tt-sign-role">{e(role)}</p><p class="tt-sign-note">{e(note)}</p>'
        f'<p class="tt-sign-name">{e(name)}</p></div>' for role, note, name in blocks)
        + "</div>\n")


def appendix_head_html(signed: Signing, table: View, number: str) -> str:
    e = html.escape
    return (f'<div class="tt-print tt-appendix-head"><p class="tt-sign-title">PHỤ LỤC {number}</p>'
            f'<p class="tt-sign-unit">{e(table.title.upper())}</p>'
            f'<p class="tt-sign-note">{e(signed.appendix_note)}</p></div>')


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")


def roman(number: int) -> str:
    return ROMAN[number - 1] if 0 < number <= len(ROMAN) else str(number)


def to_html(report: Report, signed: Signing | None = None, extra: Iterable[View] = ()) -> str:
    """A standalone HTML document: charts (no JavaScript) and every view as a table; printed,
    the report in the Nghị định 30 layout with the other tables as its appendices."""
    drawn = charts(report)
    title = f"Thống kê tin bài – {report.period.label}"
    summary, *others = [*views(report), *extra]
    parts = [
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">",
        f"<title>{html.escape(title)}</title><style>{CSS}\n{PRINT_CSS}</style></head>",
        '<body><main class="tt-report">',
        sign_head_html(signed) if signed else "",
        f'<h1 class="tt-screen">{html.escape(title)}</h1>',
        f'<p class="tt-screen">Số liệu tính đến hết ngày {report.as_of:%d/%m/%Y} (giờ Việt Nam).</p>',
        '<h2 class="tt-screen">Số tin bài theo đơn vị</h2>',
        _bars_html(drawn.units, "Số tin bài theo đơn vị"),
        '<h2 class="tt-screen">Số tin bài theo tháng</h2>',
        '<svg class="tt-line" viewBox="-2 -2 104 44" role="img" aria-label="Số tin bài theo tháng">'
        f'<polyline points="{drawn.line_points}"/></svg>',
        _bars_html(drawn.months, "Số tin bài theo tháng"),
        _table_html(summary),
        signatures_html(signed) if signed else "",
        *(f'<section class="tt-appendix">'
          f'{appendix_head_html(signed, table, roman(n)) if signed else ""}'
          f'{_table_html(table)}</section>\n' for n, table in enumerate(others, 1)),
        "</main></body></html>\n",
    ]
    return "".join(parts)


def write(report: Report, fmt: str, path: Path, csv_view: str = "tong-hop",
          signed: Signing | None = None, extra: Iterable[View] = (),
          csv_sep: str = DEFAULT_CSV_SEPARATOR) -> None:
    """Write one format to ``path`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path.write_bytes(to_xlsx(report, signed, extra))
    elif fmt == "csv":
        path.write_text(to_csv(report, csv_view, csv_sep, extra), encoding="utf-8-sig",
                        newline="")
    elif fmt == "json":
        path.write_text(to_json(report), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(report, signed, extra), encoding="utf-8")
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
        signed, extra, _ = signed_report(network, report, today, with_reminders=start == current)
        found.append(page(report, {f: f"bao-cao{suffix}.{f}" for f in DOWNLOAD_FORMATS},
                          signed, extra))
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
            write(shown.report, fmt, folder / name, signed=shown.signed, extra=shown.extra)
