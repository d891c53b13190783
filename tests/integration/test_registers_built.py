"""The registers as built: Văn bản newest first with its filter and file sizes, every table's
cells labelled for the phone's cards (Công khai, leaders on Giới thiệu, units)."""

from __future__ import annotations

from pathlib import Path

import yaml

from trangtin.site.registers import document_type, vietnamese_size

from ..htmlcheck import parse

SCHOOL = "thcs-an-binh"
PORTAL = "xa-an-binh"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def rows(page, table_class: str):
    return page.xpath(f"//table[contains(@class, '{table_class}')]/tbody/tr")


def test_documents_are_listed_whole_and_newest_first(built_network: Path):
    documents = front_matter(built_network / "content" / SCHOOL / "van-ban" / "index.md")["documents"]
    page = parse(built_network / "public" / SCHOOL / "van-ban" / "index.html")
    shown = [row.xpath("string(td[1])").strip() for row in rows(page, "tt-register")]
    newest_first = sorted(documents, key=lambda d: d["ngay_ban_hanh"], reverse=True)
    assert shown == [d["so_ky_hieu"] for d in newest_first]
    assert not page.xpath("//table[contains(@class, 'tt-register')]//tr[@hidden]")


def test_the_documents_filter_offers_every_year_type_and_body(built_network: Path):
    documents = front_matter(built_network / "content" / SCHOOL / "van-ban" / "index.md")["documents"]
    page = parse(built_network / "public" / SCHOOL / "van-ban" / "index.html")
    (form,) = page.xpath("//form[@data-tt-filter='tt-documents']")
    assert form.get("hidden") is not None  # shown by registers.js only: no JavaScript, a plain list
    assert page.xpath("//script[contains(@src, 'assets/javascripts/registers.js')]")

    def options(name: str) -> list[str]:
        return [o.text_content() for o in form.xpath(f".//select[@name='{name}']/option")]

    assert options("year") == ["Tất cả", "2025"]
    assert options("type")[1:] == sorted({document_type(d["so_ky_hieu"]) for d in documents})
    assert set(options("type")) >= {"Kế hoạch", "Quyết định"}
    assert options("body")[1:] == sorted({d["co_quan_ban_hanh"] for d in documents})
    for row, doc in zip(rows(page, "tt-register"),
                        sorted(documents, key=lambda d: d["ngay_ban_hanh"], reverse=True), strict=True):
        assert row.get("data-year") == str(doc["ngay_ban_hanh"].year)
        assert row.get("data-type") == document_type(doc["so_ky_hieu"])
        assert row.get("data-body") == doc["co_quan_ban_hanh"]


def test_each_download_shows_the_file_type_and_its_size(built_network: Path):
    content = built_network / "content" / SCHOOL / "van-ban"
    page = parse(built_network / "public" / SCHOOL / "van-ban" / "index.html")
    found = 0
    for row in rows(page, "tt-register"):
        link = row.xpath(".//a[@class='tt-download']")[0]
        assert link.text_content() == "Tải về" and link.get("download") is not None
        size = vietnamese_size((content / link.get("href")).stat().st_size)
        assert row.xpath("string(.//span[@class='tt-file'])") == f"PDF, {size}"
        found += 1
    assert found == 6


def test_register_cells_carry_their_column_as_label(built_network: Path):
    public = built_network / "public"
    pages = {"tt-register": public / SCHOOL / "van-ban" / "index.html",
             "tt-disclosure": public / SCHOOL / "cong-khai" / "index.html",
             "tt-leaders": public / SCHOOL / "gioi-thieu" / "index.html",
             "tt-units": public / PORTAL / "don-vi" / "index.html"}
    for table_class, path in pages.items():
        page = parse(path)
        for table in page.xpath(f"//table[contains(@class, '{table_class}')]"):
            assert "tt-cards" in table.get("class")
            headers = [th.text_content() for th in table.xpath("thead/tr/th")]
            body_rows = table.xpath("tbody/tr")
            assert body_rows, table_class
            for row in body_rows:
                assert [td.get("data-label") for td in row.xpath("td")] == headers, table_class


def test_a_leader_name_and_title_are_separate_cells(built_network: Path):
    page = parse(built_network / "public" / SCHOOL / "gioi-thieu" / "index.html")
    first = rows(page, "tt-leaders")[0]
    assert first.xpath("string(td[@data-label='Họ và tên'])") == "Trần Thị Bích Ngọc"
    assert first.xpath("string(td[@data-label='Chức vụ'])") == "Hiệu trưởng"
