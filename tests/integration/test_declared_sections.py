"""Sections declared in network.yml, built for real: in the menu where declared, listing the
posts of their categories; the portal's Thống kê page shows the disclosure calendar."""

from __future__ import annotations

from pathlib import Path

from ..htmlcheck import parse

MENUS = ["Thực đơn tuần 47 (từ 17/11 đến 21/11/2025)", "Thực đơn tuần 46 (từ 10/11 đến 14/11/2025)",
         "Thực đơn tuần 45 (từ 03/11 đến 07/11/2025)"]


def menu_titles(page: Path) -> list[str]:
    return [a.text_content().strip() for a in parse(page).xpath("//nav[contains(@class,'md-tabs')]//a")]


def test_declared_sections_sit_in_the_menu_where_network_yml_places_them(built_network: Path) -> None:
    school = built_network / "public" / "mn-hoa-sen"
    assert menu_titles(school / "index.html") == [
        "Trang chủ", "Giới thiệu", "Tin tức – Sự kiện", "Thông báo", "Văn bản", "Công khai",
        "Thực đơn", "Kế hoạch giáo dục", "Tuyển sinh", "Lấy ý kiến góp ý", "Liên hệ"]
    other = built_network / "public" / "thcs-an-binh"
    assert "Thực đơn" not in menu_titles(other / "index.html")
    assert not (other / "thuc-don").exists()


def test_a_declared_listing_shows_the_posts_of_its_categories(built_network: Path) -> None:
    page = parse(built_network / "public" / "mn-hoa-sen" / "thuc-don" / "index.html")
    links = page.xpath("//article//h2//a | //article//h3//a")
    assert [a.text_content().strip() for a in links] == MENUS
    assert links[0].get("href") == "../tin-tuc/2025/11/thuc-don-tuan-47/"
    plans = parse(built_network / "public" / "mn-hoa-sen" / "ke-hoach-giao-duc" / "index.html")
    titles = [a.text_content().strip() for a in plans.xpath("//article//h2//a | //article//h3//a")]
    assert titles == ["Kế hoạch giáo dục tuần 48 (24/11 – 28/11/2025)",
                      "Kế hoạch giáo dục tuần 47 (17/11 – 21/11/2025)",
                      "Kế hoạch giáo dục tháng 11/2025", "Kế hoạch giáo dục tháng 10/2025"]


def test_the_portal_report_page_has_the_disclosure_table(built_network: Path) -> None:
    page = parse(built_network / "public" / "xa-an-binh" / "thong-ke" / "index.html")
    rows = [[td.text_content().strip() for td in tr.xpath("td")]
            for tr in page.xpath("//table[@class='tt-cong-khai']/tbody/tr")]
    sample = [r for r in rows if r[0] == "mn-hoa-sen"]
    assert [(r[2], r[4], r[8]) for r in sample] == [
        ("Thực đơn tuần", "03/11/2025", "Đúng hạn"), ("Thực đơn tuần", "10/11/2025", "Đúng hạn"),
        ("Thực đơn tuần", "17/11/2025", "Chậm 1 ngày"), ("Thực đơn tuần", "24/11/2025", "Chưa đăng"),
        ("Kế hoạch giáo dục tháng", "01/10/2025", "Đúng hạn"),
        ("Kế hoạch giáo dục tháng", "01/11/2025", "Chậm 3 ngày"),
        ("Kế hoạch giáo dục tuần", "17/11/2025", "Đúng hạn"),
        ("Kế hoạch giáo dục tuần", "24/11/2025", "Đúng hạn")]
