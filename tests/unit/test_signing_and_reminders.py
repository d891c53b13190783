"""The texts of a report ready to sign (Nghị định 30/2020) and of the reminders, from
``network.yml``: place and date, title, names; reminders merged per unit; the reporting day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trangtin.common.diagnostics import TrangtinError
from trangtin.network.model import load_network
from trangtin.report import periods
from trangtin.report.reminders import Missing, reminders, to_text
from trangtin.report.signing import date_line, place_from_address, signing

NETWORK = """\
timezone: Asia/Ho_Chi_Minh
portal: xa-moc
report_day: 20
units:
  - id: so-moc
    name: Sở Giáo dục và Đào tạo tỉnh Mộc
    type: so
  - id: xa-moc
    name: UBND xã Mộc – Phòng Văn hóa – Xã hội
    type: xa
    parent: so-moc
    identity:
      agency: Ủy ban nhân dân xã Mộc
      address: Số 3 đường Chợ, xã Mộc, tỉnh Mộc
      responsible: {name: Lý Văn Tâm, title: Trưởng phòng}
      leaders: [{name: Hà Thị Lụa, title: Trưởng phòng}]
      preparer: {name: Đinh Văn Sơn, title: Chuyên viên}
  - id: thcs-moc
    name: Trường THCS Mộc
    type: truong
    parent: xa-moc
    identity: {address: "Thôn 1, phường 5, tỉnh Mộc", responsible: {name: Mai Văn Bé}}
  - id: thcs-moc-to-toan
    name: Tổ Toán
    type: to
    parent: thcs-moc
"""


@pytest.fixture()
def network(tmp_path: Path):
    path = tmp_path / "network.yml"
    path.write_text(NETWORK, encoding="utf-8")
    return load_network(path)


def test_place_is_the_lowest_administrative_unit_of_the_address() -> None:
    assert place_from_address("Số 1 đường Trung tâm, xã An Bình, tỉnh Mẫu") == "An Bình"
    assert place_from_address("Thôn 1, phường 5, tỉnh Mộc") == "Phường 5"  # named by a number
    assert place_from_address("Số 9 Lê Lợi, Thành phố Huế") == "Huế"
    assert place_from_address("Thôn 2") == ""


def test_date_line_pads_days_under_ten_and_the_first_two_months() -> None:
    assert date_line("An Bình", dt.date(2026, 11, 29)) == "An Bình, ngày 29 tháng 11 năm 2026"
    assert date_line("An Bình", dt.date(2026, 1, 5)) == "An Bình, ngày 05 tháng 01 năm 2026"
    assert date_line("An Bình", dt.date(2026, 3, 9)) == "An Bình, ngày 09 tháng 3 năm 2026"


def test_signing_texts_come_from_network_yml(network) -> None:
    year = periods.school_year(2025, 9, network.timezone)
    signed = signing(network, year, dt.date(2025, 11, 10), None, dt.date(2025, 11, 12))
    assert signed.parent == "ỦY BAN NHÂN DÂN XÃ MỘC"          # identity.agency wins
    assert signed.unit == "UBND XÃ MỘC – PHÒNG VĂN HÓA – XÃ HỘI"
    assert signed.place_date == "Mộc, ngày 12 tháng 11 năm 2025"
    assert signed.title == "BÁO CÁO THỐNG KÊ TIN BÀI ĐĂNG TẢI NĂM HỌC 2025–2026"
    assert signed.subtitle == ("Số liệu từ ngày 01/09/2025 đến hết ngày 10/11/2025 "
                               "(giờ Việt Nam)")
    assert (signed.preparer, signed.head) == ("Đinh Văn Sơn", "Hà Thị Lụa")
    school = signing(network, year, dt.date(2025, 11, 10), "thcs-moc", dt.date(2025, 11, 12))
    assert school.parent == "UBND XÃ MỘC – PHÒNG VĂN HÓA – XÃ HỘI"  # no agency: the unit above
    assert school.place_date.startswith("Phường 5, ngày 12")
    assert (school.preparer, school.head) == ("", "Mai Văn Bé")  # no leaders: the responsible


def test_reminders_merge_what_a_unit_owes_into_one_message(network) -> None:
    facts = [Missing("thcs-moc-to-toan", "1 bài tháng 11/2025", dt.date(2025, 11, 20)),
             Missing("thcs-moc", "2 bài năm học 2025-2026", dt.date(2026, 9, 1)),
             Missing("thcs-moc-to-toan", "thực đơn tuần 17/11/2025", dt.date(2025, 11, 15))]
    assert to_text(reminders(network, facts)).splitlines() == [
        "Tổ Toán (Trường THCS Mộc): còn thiếu thực đơn tuần 17/11/2025, hạn trước ngày "
        "15/11/2025; còn thiếu 1 bài tháng 11/2025, hạn trước ngày 20/11/2025",
        "Trường THCS Mộc: còn thiếu 2 bài năm học 2025-2026, hạn trước ngày 01/09/2026",
    ]
    assert to_text([]) == "Không có đơn vị nào còn thiếu trong kỳ hiện tại.\n"


def test_reporting_day_sets_the_monthly_period(network) -> None:
    assert network.report_day == 20
    before = periods.resolve("month", dt.date(2025, 11, 19), network)
    assert (before.first_day, before.last_day) == (dt.date(2025, 10, 20), dt.date(2025, 11, 19))
    assert before.label == "Tháng 11/2025 (từ 20/10/2025 đến 19/11/2025)"
    on_the_day = periods.resolve("month", dt.date(2025, 11, 20), network)
    assert (on_the_day.first_day, on_the_day.last_day) == \
        (dt.date(2025, 11, 20), dt.date(2025, 12, 19))
    across_the_year = periods.resolve("month", dt.date(2025, 12, 25), network)
    assert (across_the_year.first_day, across_the_year.last_day) == \
        (dt.date(2025, 12, 20), dt.date(2026, 1, 19))


@pytest.mark.parametrize("value", ["31", "0", "hai mươi", "true"])
def test_a_wrong_reporting_day_names_its_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "network.yml"
    path.write_text(NETWORK.replace("report_day: 20", f"report_day: {value}"), encoding="utf-8")
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    assert [d.render() for d in caught.value.diagnostics] == [
        f"network.yml:3: lỗi: ngày báo cáo '{'True' if value == 'true' else value}' không hợp "
        "lệ — ghi một số từ 1 đến 28, ví dụ: report_day: 20 (báo cáo trước ngày 20 hằng tháng)"]
