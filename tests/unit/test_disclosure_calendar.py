"""The disclosure calendar: rules read from network.yml, periods named by teachers, verdicts
checked against tables computed by hand (the sample's mầm non and a golden case)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from trangtin.common import weeks
from trangtin.common.diagnostics import TrangtinError
from trangtin.content import authoring, calendar
from trangtin.content.checks import check_network
from trangtin.content.items import Item
from trangtin.content.posts import read_post
from trangtin.network.model import load_network
from trangtin.report import counting, export

REPO = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC

GOLDEN_NETWORK = """\
units:
  - {id: phong, name: Phòng GDĐT, type: phong}
  - {id: mn-a, name: Trường Mầm non A, type: truong, parent: phong}
  - {id: th-b, name: Trường Tiểu học B, type: truong, parent: phong}
disclosure:
  - {preset: thuc-don, units: [mn-a, th-b], from: 2025-08-25, until: 2025-09-08}
  - {preset: ke-hoach-thang, units: [mn-a], from: 2025-12-01, until: 2026-01-31}
"""


def write_network(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "network.yml"
    path.write_text(text, encoding="utf-8")
    return path


def item(unit: str, name: str, published: dt.datetime, category: str,
         applies_to: dt.date | None = None) -> Item:
    return Item(id=f"urn:test:{unit}:{name}", unit=unit, title=name, url=f"https://x.invalid/{name}/",
                published=published, categories=(category,), applies_to=applies_to)


def table(verdicts: list[calendar.Verdict]) -> list[tuple[str, str, str, str, str]]:
    return [(v.unit, v.rule, v.first_day.isoformat(), v.deadline.isoformat(), v.status_text)
            for v in verdicts]


# --- period text -------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "day"), [
    ("tuần 47/2025", dt.date(2025, 11, 17)),
    ("2025-W47", dt.date(2025, 11, 17)),
    ("Tuan 1/2026", dt.date(2025, 12, 29)),       # ISO week 1 of 2026 starts in 2025
    ("tháng 12/2025", dt.date(2025, 12, 1)),
    ("12/2025", dt.date(2025, 12, 1)),
    ("2025-12", dt.date(2025, 12, 1)),
    ("19/11/2025", dt.date(2025, 11, 19)),
    (dt.date(2025, 11, 19), dt.date(2025, 11, 19)),
])
def test_a_period_is_read_as_teachers_write_it(written: object, day: dt.date) -> None:
    assert weeks.parse_applies_to(written) == day


def test_an_unreadable_period_is_refused() -> None:
    with pytest.raises(weeks.PeriodTextProblem):
        weeks.parse_applies_to("tuần sau")


# --- network.yml -------------------------------------------------------------------------

def test_presets_and_sections_are_read_and_their_categories_known(tmp_path: Path) -> None:
    network = load_network(write_network(tmp_path, GOLDEN_NETWORK + (
        "sections:\n  - {title: Thực đơn, category: Thực đơn, types: [truong], after: cong-khai}\n")))
    menu, plan = network.disclosure
    assert (menu.name, menu.period, menu.deadline.days_before) == ("Thực đơn tuần", "week", 2)
    assert (plan.period, plan.deadline.day_of_previous_month) == ("month", 25)
    assert network.sections[0].path == "thuc-don"
    assert {"Thực đơn", "Kế hoạch giáo dục tháng"} <= set(network.categories)
    assert [r.name for r in network.disclosure_rules("mn-a")] == ["Thực đơn tuần", "Kế hoạch giáo dục tháng"]
    assert network.disclosure_rules("phong") == []


def test_mistakes_in_the_calendar_and_sections_name_their_lines(tmp_path: Path) -> None:
    path = write_network(tmp_path, (
        "units:\n  - {id: a, name: A, type: truong}\n"
        "disclosure:\n"
        "  - {preset: thuc-don-thang}\n"
        "  - {category: Lịch công tác, period: fortnight, deadline: {days_before: 1}}\n"
        "  - {category: Lịch công tác, period: week, deadline: thứ Bảy}\n"
        "sections:\n"
        "  - {category: Thực đơn}\n"
        "  - {title: Biểu mẫu, types: [truongg]}\n"))
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    rendered = [d.render() for d in caught.value.diagnostics]
    assert rendered == [
        "network.yml:8: lỗi: mỗi chuyên trang cần 'title' (tên hiện trên menu) — "
        "ví dụ: - {title: Thực đơn, category: Thực đơn}",
        "network.yml:9: lỗi: loại đơn vị 'truongg' không hợp lệ — "
        "chọn trong: dac-khu | phong | phuong | so | to | truong | xa",
        "network.yml:4: lỗi: mẫu quy định 'thuc-don-thang' không có — "
        "chọn một trong: thuc-don, ke-hoach-thang, ke-hoach-tuan",
        "network.yml:5: lỗi: kỳ 'fortnight' không hợp lệ — "
        "viết period: week (tuần, thứ Hai–Chủ nhật) hoặc period: month",
        "network.yml:6: lỗi: hạn công khai 'thứ Bảy' không đọc được — "
        "viết deadline: {days_before: 2} (số ngày trước khi kỳ bắt đầu) hoặc "
        "deadline: {day_of_previous_month: 25}",
    ]


# --- the golden case, by hand --------------------------------------------------------------

def test_golden_verdicts_across_month_year_and_school_year_boundaries(tmp_path: Path) -> None:
    network = load_network(write_network(tmp_path, GOLDEN_NETWORK))
    items = [
        # Week of 25–31/08 (the old school year): deadline Saturday 23/08. Posted 23:30 that
        # Saturday, local time, written in UTC by a feed: on time.
        item("mn-a", "menu-35", dt.datetime(2025, 8, 23, 16, 30, tzinfo=UTC), "Thực đơn"),
        # Week of 01–07/09 (the new school year, across the month): deadline Saturday 30/08;
        # 00:30 on Sunday 31/08 local is one day late, whatever the zone written.
        item("mn-a", "menu-36", dt.datetime(2025, 8, 30, 17, 30, tzinfo=UTC), "Thực đơn"),
        # Week of 08–14/09 named by ap_dung, posted on the Monday: two days late.
        item("mn-a", "menu-37", dt.datetime(2025, 9, 8, 7, 0, tzinfo=ZONE), "Thực đơn",
             dt.date(2025, 9, 10)),
        # The same week for th-b, on the Saturday at 23:30 local: on time. Its first two weeks: missing.
        item("th-b", "menu-37", dt.datetime(2025, 9, 6, 23, 30, tzinfo=ZONE), "Thực đơn",
             weeks.parse_applies_to("tuần 37/2025")),
        # Plan of December: deadline 25/11, on time; January 2026: deadline 25/12/2025 (across
        # the year), posted 27/12: two days late. A draft is never an item: nothing else counts.
        item("mn-a", "plan-12", dt.datetime(2025, 11, 25, 23, 59, tzinfo=ZONE), "Kế hoạch giáo dục tháng"),
        item("mn-a", "plan-01", dt.datetime(2025, 12, 27, 8, 0, tzinfo=ZONE), "Kế hoạch giáo dục tháng",
             weeks.parse_applies_to("tháng 1/2026")),
        # Another category is not a menu.
        item("th-b", "news", dt.datetime(2025, 8, 29, 8, 0, tzinfo=ZONE), "Tin tức – Sự kiện"),
    ]
    verdicts = calendar.judge(network, items, ["mn-a", "th-b"], dt.date(2025, 8, 1),
                              dt.date(2026, 1, 31), dt.date(2026, 1, 31))
    assert table(verdicts) == [
        ("mn-a", "Thực đơn tuần", "2025-08-25", "2025-08-23", "Đúng hạn"),
        ("mn-a", "Thực đơn tuần", "2025-09-01", "2025-08-30", "Chậm 1 ngày"),
        ("mn-a", "Thực đơn tuần", "2025-09-08", "2025-09-06", "Chậm 2 ngày"),
        ("mn-a", "Kế hoạch giáo dục tháng", "2025-12-01", "2025-11-25", "Đúng hạn"),
        ("mn-a", "Kế hoạch giáo dục tháng", "2026-01-01", "2025-12-25", "Chậm 2 ngày"),
        ("th-b", "Thực đơn tuần", "2025-08-25", "2025-08-23", "Chưa đăng"),
        ("th-b", "Thực đơn tuần", "2025-09-01", "2025-08-30", "Chưa đăng"),
        ("th-b", "Thực đơn tuần", "2025-09-08", "2025-09-06", "Đúng hạn"),
    ]


def test_only_what_is_published_by_the_as_of_day_counts(tmp_path: Path) -> None:
    network = load_network(write_network(tmp_path, GOLDEN_NETWORK))
    late = item("mn-a", "menu-36", dt.datetime(2025, 9, 2, 8, 0, tzinfo=ZONE), "Thực đơn",
                dt.date(2025, 9, 1))
    on_sunday = calendar.judge(network, [late], ["mn-a"], dt.date(2025, 8, 25), dt.date(2025, 9, 7),
                               dt.date(2025, 8, 31))
    assert table(on_sunday) == [
        ("mn-a", "Thực đơn tuần", "2025-08-25", "2025-08-23", "Chưa đăng"),
        ("mn-a", "Thực đơn tuần", "2025-09-01", "2025-08-30", "Chưa đăng"),
    ]
    on_friday = calendar.judge(network, [], ["mn-a"], dt.date(2025, 9, 1), dt.date(2025, 9, 7),
                               dt.date(2025, 8, 29))
    assert table(on_friday) == [("mn-a", "Thực đơn tuần", "2025-09-01", "2025-08-30", "Chưa đến hạn")]


# --- the sample network ------------------------------------------------------------------

SAMPLE_TABLE = [  # computed by hand from content/mn-hoa-sen/posts and network.yml
    ("mn-hoa-sen", "Thực đơn tuần", "2025-11-03", "2025-11-01", "Đúng hạn"),     # Fri 31/10
    ("mn-hoa-sen", "Thực đơn tuần", "2025-11-10", "2025-11-08", "Đúng hạn"),     # Sat 08/11 23:30
    ("mn-hoa-sen", "Thực đơn tuần", "2025-11-17", "2025-11-15", "Chậm 1 ngày"),  # Sun 16/11 00:30
    ("mn-hoa-sen", "Thực đơn tuần", "2025-11-24", "2025-11-22", "Chưa đăng"),
    ("mn-hoa-sen", "Kế hoạch giáo dục tháng", "2025-10-01", "2025-09-25", "Đúng hạn"),    # 24/09
    ("mn-hoa-sen", "Kế hoạch giáo dục tháng", "2025-11-01", "2025-10-25", "Chậm 3 ngày"),  # 28/10
    ("mn-hoa-sen", "Kế hoạch giáo dục tuần", "2025-11-17", "2025-11-15", "Đúng hạn"),
    ("mn-hoa-sen", "Kế hoạch giáo dục tuần", "2025-11-24", "2025-11-22", "Đúng hạn"),
]


@pytest.fixture(scope="module")
def sample_report() -> counting.Report:
    network = load_network(REPO / "network.yml")
    return counting.report(network, "school_year", dt.date(2025, 11, 29), "mn-hoa-sen")


def test_the_sample_school_has_a_late_and_a_missing_item(sample_report: counting.Report) -> None:
    assert table(sample_report.disclosure) == SAMPLE_TABLE


def test_the_workbook_has_the_calendar_sheet(sample_report: counting.Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(sample_report)))
    sheet = book["Công khai theo lịch"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Mã đơn vị", "Tên đơn vị", "Nội dung công khai", "Kỳ", "Từ ngày", "Đến ngày",
                       "Hạn đăng", "Ngày đăng", "Kết quả", "Số ngày chậm", "Bài đăng")
    third = rows[3]
    assert third[:4] == ("mn-hoa-sen", "Trường Mầm non Hoa Sen", "Thực đơn tuần",
                         "Tuần 47/2025 (17/11–23/11/2025)")
    assert [c.date() if isinstance(c, dt.datetime) else c for c in third[4:8]] == [
        dt.date(2025, 11, 17), dt.date(2025, 11, 23), dt.date(2025, 11, 15), dt.date(2025, 11, 16)]
    assert third[8:] == ("Chậm 1 ngày", 1, "Thực đơn tuần 47 (từ 17/11 đến 21/11/2025)")
    assert [r[8] for r in rows[1:]] == [r[4] for r in SAMPLE_TABLE]


def test_the_json_report_carries_the_verdicts(sample_report: counting.Report) -> None:
    found = sample_report.to_json()["disclosure"]
    assert found[3] == {"unit": "mn-hoa-sen", "rule": "Thực đơn tuần", "period": "week",
                        "from": "2025-11-24", "to": "2025-11-30", "deadline": "2025-11-22",
                        "status": "missing", "days_late": 0, "published": None, "title": "", "url": ""}


def test_a_report_lists_the_periods_starting_in_it() -> None:
    network = load_network(REPO / "network.yml")
    october = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    report = counting.report(network, "range", dt.date(2025, 10, 31), "mn-hoa-sen", *october)
    assert (report.period.first_day, report.period.last_day) == october
    assert table(report.disclosure) == [
        ("mn-hoa-sen", "Kế hoạch giáo dục tháng", "2025-10-01", "2025-09-25", "Đúng hạn")]


def test_check_warns_of_the_next_deadline_then_of_what_is_missing() -> None:
    network = load_network(REPO / "network.yml")
    rule_line = next(n for n, line in enumerate(network.path.read_text(encoding="utf-8").splitlines(), 1)
                     if "preset: thuc-don," in line)
    friday = check_network(network, ["mn-hoa-sen"], now=dt.datetime(2025, 11, 21, 18, 0, tzinfo=ZONE))
    monday = check_network(network, ["mn-hoa-sen"], now=dt.datetime(2025, 11, 24, 12, 0, tzinfo=ZONE))
    calendar_lines = [d.render() for d in friday.diagnostics if d.path == "network.yml"]
    assert calendar_lines == [
        f"network.yml:{rule_line}: cảnh báo: sắp đến hạn: Thực đơn tuần Tuần 48/2025 (24/11–30/11/2025) chưa được "
        "đăng (hạn 22/11/2025, hết thứ Bảy của tuần trước) — đăng bài chuyên mục 'Thực đơn' với "
        "'ap_dung: tuần 48/2025'"]
    assert [d.render() for d in monday.diagnostics if d.path == "network.yml"] == [
        f"network.yml:{rule_line}: cảnh báo: Thực đơn tuần Tuần 48/2025 (24/11–30/11/2025) chưa được đăng "
        "(hạn 22/11/2025, hết thứ Bảy của tuần trước) — đăng bài chuyên mục 'Thực đơn' với "
        "'ap_dung: tuần 48/2025'"]
    assert all(d.unit == "mn-hoa-sen" for d in monday.diagnostics if d.path == "network.yml")


def test_new_fills_the_period_of_a_menu_and_check_reads_it(network_copy: Path) -> None:
    network = load_network(network_copy / "network.yml")
    friday = dt.datetime(2025, 11, 28, 10, 0, tzinfo=ZONE)
    created = authoring.new_post(network, "mn-hoa-sen", "Thực đơn tuần 49", category="Thực đơn",
                                 now=friday)
    written = created.path.read_text(encoding="utf-8")
    assert "\nap_dung: tuần 49/2025 " in written
    post, problems = read_post(created.path, network.content_dir("mn-hoa-sen"), network,
                               network.units["mn-hoa-sen"], friday)
    assert post is not None and post.applies_to == dt.date(2025, 12, 1)
    news = authoring.new_post(network, "mn-hoa-sen", "Bé vui đến trường", category="Tin tức – Sự kiện",
                              now=friday)
    assert "ap_dung" not in news.path.read_text(encoding="utf-8")


def test_an_unreadable_period_is_a_warning_and_the_post_date_decides(network_copy: Path) -> None:
    network = load_network(network_copy / "network.yml")
    path = network.content_dir("mn-hoa-sen") / "posts" / "2025" / "11" / "thuc-don-tuan-46.md"
    path.write_text(path.read_text(encoding="utf-8").replace("ap_dung: tuần 46/2025", "ap_dung: tuần sau"),
                    encoding="utf-8")
    post, problems = read_post(path, network.content_dir("mn-hoa-sen"), network,
                               network.units["mn-hoa-sen"], dt.datetime(2025, 11, 29, tzinfo=ZONE))
    assert [d.render() for d in problems] == [
        "content/mn-hoa-sen/posts/2025/11/thuc-don-tuan-46.md:6: cảnh báo: không đọc được kỳ áp dụng "
        "'tuần sau', tạm tính theo ngày đăng — viết ví dụ: ap_dung: " + weeks.EXAMPLES]
    assert post is not None and post.applies_to is None
    late_saturday = item("mn-hoa-sen", "x", post.date, "Thực đơn")
    assert calendar.covered_period(network.disclosure[0], late_saturday, ZONE) == dt.date(2025, 11, 10)
