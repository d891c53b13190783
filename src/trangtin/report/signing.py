"""Reports ready to sign: the blocks Nghị định 30/2020/NĐ-CP sets for an administrative report.

A report printed from the workbook or the HTML print view carries, like any report a Phòng
sends: the governing body and the issuing unit (top left, upper case, the governing body
above), the national motto (top right), the number line and the place and date, the title
naming the period, then the tables, then the signature blocks "NGƯỜI LẬP BIỂU" and "THỦ
TRƯỞNG ĐƠN VỊ" with the names from ``network.yml``. This module only decides the texts; the
writers (``export``) lay them out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from trangtin.network.model import Network, Person, Unit
from trangtin.report.periods import Period

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
PREPARER_TITLE = "NGƯỜI LẬP BIỂU"
PREPARER_NOTE = "(Ký, ghi rõ họ tên)"
HEAD_TITLE = "THỦ TRƯỞNG ĐƠN VỊ"
HEAD_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"
NUMBER_LINE = "Số:        /BC"  # the number is given by the office's register when it is sent
UNKNOWN_PLACE = "……………"
TITLE_START = "BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI"
# The administrative unit an address names, lowest level first ("xã An Bình, tỉnh Mẫu").
_PLACE = re.compile(r"^(xã|phường|thị trấn|đặc khu|thị xã|thành phố|quận|huyện|tỉnh)\s+(.+)$",
                    re.IGNORECASE)
_YEARS = re.compile(r"(\d{4})-(\d{4})")


@dataclass(frozen=True)
class Signing:
    """The texts around a report's tables, from the issuing unit in ``network.yml``."""

    parent: str          # cơ quan chủ quản or the unit above, upper case ("" when none)
    unit: str            # the issuing unit, upper case
    unit_name: str       # the issuing unit as written, for the appendices' reference line
    place_date: str      # "An Bình, ngày 29 tháng 11 năm 2026"
    title: str           # "BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI NĂM HỌC 2025–2026"
    subtitle: str        # which days the figures cover
    appendix_note: str   # "(Kèm theo Báo cáo … ngày 29/11/2026 của …)"
    preparer: str        # name under "NGƯỜI LẬP BIỂU" ("" leaves the line to write by hand)
    head: str            # name under "THỦ TRƯỞNG ĐƠN VỊ"
    number: str = NUMBER_LINE
    motto: str = MOTTO
    motto_line: str = MOTTO_LINE
    preparer_title: str = PREPARER_TITLE
    preparer_note: str = PREPARER_NOTE
    head_title: str = HEAD_TITLE
    head_note: str = HEAD_NOTE


def issuing_unit(network: Network, scope: str | None) -> Unit | None:
    """The unit whose report it is: ``--unit``, else the portal, else the one top unit."""
    if scope:
        return network.units[scope]
    if network.portal:
        return network.units[network.portal]
    tops = [u for u in network.units.values() if u.parent is None]
    return tops[0] if len(tops) == 1 else None


def place_from_address(address: str) -> str:
    """The place name of a date line from an address: its lowest administrative unit,
    without the word "xã"/"phường"… (a unit named by a number keeps it: "Phường 5")."""
    for part in address.split(","):
        match = _PLACE.match(part.strip())
        if match:
            kind, name = match.groups()
            return f"{kind.capitalize()} {name}" if name.isdigit() else name.strip()
    return ""


def place_of(network: Network, unit: Unit) -> str:
    """``identity.place``, else from the address; else the same for the units above."""
    for candidate in (unit, *network.ancestors(unit.id)):
        place = candidate.identity.place or place_from_address(candidate.identity.address)
        if place:
            return place
    return UNKNOWN_PLACE


def date_line(place: str, day: dt.date) -> str:
    """``An Bình, ngày 05 tháng 01 năm 2026``: a day under 10 and the months 1 and 2 take a
    leading zero (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def period_words(period: Period) -> str:
    """``năm học 2025–2026``, ``tháng 11/2025``: the period as a title names it."""
    label = _YEARS.sub("\\1–\\2", period.label.split(" (")[0])
    return label[:1].lower() + label[1:]


def head_of(unit: Unit) -> Person | None:
    """Thủ trưởng: the first leader listed, else the person responsible for the content."""
    identity = unit.identity
    return identity.leaders[0] if identity.leaders else identity.responsible


def signing(network: Network, period: Period, as_of: dt.date, scope: str | None,
            issued: dt.date) -> Signing:
    """The header and signature texts of a report issued on ``issued``."""
    unit = issuing_unit(network, scope)
    words = period_words(period)
    last = min(as_of, period.last_day)
    subtitle = (f"Số liệu từ ngày {period.first_day:%d/%m/%Y} đến hết ngày {last:%d/%m/%Y} "
                "(giờ Việt Nam)")
    if unit is None:
        return Signing("", "", "", date_line(UNKNOWN_PLACE, issued),
                       f"{TITLE_START} {words.upper()}", subtitle,
                       f"(Kèm theo Báo cáo thống kê tin bài đăng tải {words} ngày "
                       f"{issued:%d/%m/%Y})", "", "")
    parent = unit.identity.agency or (network.units[unit.parent].name if unit.parent else "")
    head = head_of(unit)
    preparer = unit.identity.preparer
    return Signing(
        parent=parent.upper(), unit=unit.name.upper(), unit_name=unit.name,
        place_date=date_line(place_of(network, unit), issued),
        title=f"{TITLE_START} {words.upper()}", subtitle=subtitle,
        appendix_note=(f"(Kèm theo Báo cáo thống kê tin bài đăng tải {words} ngày "
                       f"{issued:%d/%m/%Y} của {unit.name})"),
        preparer=preparer.name if preparer else "", head=head.name if head else "")
