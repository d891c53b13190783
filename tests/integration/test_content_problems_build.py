"""A content problem never aborts a site: check and build give the same messages, the site is built.

Real builds of a copy of the sample network (strict mode on, as ``trangtin build`` always runs
it); pages are counted and parsed with lxml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.cli.main import main

from ..htmlcheck import page_for, parse
from ..unit.test_content import front, write

UNIT = "mn-hoa-sen"
FOLDER = f"content/{UNIT}/posts/2025/10"
CASE = "(tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)"
MISSING = (f"{FOLDER}/anh-thieu.md:8: lỗi: không tìm thấy ảnh 'anh khong co.jpg' — kiểm tra vị trí tệp và viết đúng "
           f"tên tệp {CASE}")
MISSING_TOO = (f"{FOLDER}/anh-thieu.md:10: lỗi: không tìm thấy ảnh 'anh%20cung%20khong%20co.jpg' — kiểm tra vị trí "
               f"tệp và viết đúng tên tệp {CASE}")
WRONG_CASE = f"{FOLDER}/sai-chu-hoa.md:6: lỗi: không tìm thấy ảnh 'Trung-Thu-Mua-Lan.JPG' — có phải ý bạn là " \
             f"'trung-thu-mua-lan.jpg'? {CASE}"
ON_COMPUTER = f"{FOLDER}/anh-tren-may.md:6: lỗi: ảnh 'C:\\Users\\Lan\\anh.jpg' là đường dẫn trên máy tính của " \
              "bạn, người đọc không mở được — chép ảnh vào cùng thư mục với bài viết rồi chỉ viết tên tệp, ví dụ " \
              "![Ảnh](anh-khai-giang.jpg)"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Exit code and every line printed (the build prints problems on stderr, its summary on stdout)."""
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines() + captured.err.splitlines()


def add_broken_posts(root: Path) -> None:
    write(root, f"{FOLDER}/anh-thieu.md", front("title: Ảnh thiếu", "date: 2025-10-20 08:00",
                                               body="Nội dung.\n\n![Ảnh](<anh khong co.jpg>)\n\n"
                                                    "![Ảnh](anh%20cung%20khong%20co.jpg)\n"))
    write(root, f"{FOLDER}/sai-chu-hoa.md", front("title: Sai chữ hoa", "date: 2025-10-21 08:00",
                                                 body="![Múa lân](Trung-Thu-Mua-Lan.JPG)\n"))
    write(root, f"{FOLDER}/anh-tren-may.md", front("title: Ảnh trên máy", "date: 2025-10-22 08:00",
                                                  body="![Ảnh](C:\\Users\\Lan\\anh.jpg)\n"))
    write(root, f"{FOLDER}/bai-tot.md", front("title: Bài tốt", "date: 2025-10-23 08:00",
                                             body="![Múa lân](trung-thu-mua-lan.jpg)\n"))


def test_posts_with_missing_or_local_photos_are_left_out_and_the_site_is_built(network_copy: Path,
                                                                               capsys: pytest.CaptureFixture[str]):
    add_broken_posts(network_copy)

    code, checked = run(network_copy, capsys, "check", UNIT)
    assert code == 1
    assert {MISSING, MISSING_TOO, WRONG_CASE, ON_COMPUTER} <= set(checked)

    code, built = run(network_copy, capsys, "build", UNIT)
    assert code == 0
    assert {MISSING, MISSING_TOO, WRONG_CASE, ON_COMPUTER} <= set(built)
    site = network_copy / "public" / UNIT
    pages = sum(1 for _ in site.rglob("index.html"))
    assert f"  ✓ {UNIT}: {pages} trang" in "\n".join(built)
    assert "3 bài bị bỏ qua do lỗi" in "\n".join(built)  # four errors, three posts
    assert not (site / "tin-tuc/2025/10/anh-thieu").exists()
    assert not (site / "tin-tuc/2025/10/sai-chu-hoa").exists()
    assert not (site / "tin-tuc/2025/10/anh-tren-may").exists()
    good = parse(page_for(site, "tin-tuc/2025/10/bai-tot/"))
    assert [h.text_content().strip() for h in good.iter("h1")] == ["Bài tốt"]
    assert any("anh/" in (img.get("src") or "") for img in good.iter("img"))
    news = parse(page_for(site, "tin-tuc/"))
    titles = {a.text_content().strip() for a in news.iter("a")}
    assert "Bài tốt" in titles and not {"Ảnh thiếu", "Sai chữ hoa", "Ảnh trên máy"} & titles


def test_what_mkdocs_says_about_content_becomes_our_warning_and_never_aborts(network_copy: Path,
                                                                          capsys: pytest.CaptureFixture[str]):
    draft = "../posts/2025/11/ke-hoach-ngay-hoi-be-khoe-be-ngoan.md"
    about = network_copy / "content" / UNIT / "gioi-thieu" / "index.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\nXem [kế hoạch ngày hội]({draft}), "
                     "[mục không có](#khong-co) và [tệp không có](khong-co.md).\n", encoding="utf-8")
    line = about.read_text(encoding="utf-8").count("\n")
    # Two pages for one address: MkDocs keeps index.md and warns, which strict mode made fatal.
    write(network_copy, f"content/{UNIT}/lien-he/README.md", "# Liên hệ (bản cũ)\n")
    write(network_copy, f"{FOLDER}/lien-ket.md", front("title: Liên kết", "date: 2025-10-24 08:00",
                                                      body="Xem [giới thiệu](../../../gioi-thieu/).\n"))
    page = f"content/{UNIT}/gioi-thieu/index.md"
    expected = {
        f"{page}:{line}: cảnh báo: liên kết '{draft}' trỏ tới tệp không được đăng trên trang — sửa liên kết, "
        "hoặc đăng tệp/bài được trỏ tới (bài nháp, chưa duyệt, hẹn ngày hay có lỗi thì chưa được đăng); liên kết "
        "được giữ nguyên, người đọc bấm vào sẽ gặp trang lỗi",
        f"{page}:{line}: cảnh báo: liên kết '#khong-co' trỏ tới mục không có trong trang này — viết đúng tên mục "
        "(tiêu đề viết thường, thay khoảng trắng bằng '-') hoặc bỏ phần '#…'",
        f"{page}:{line}: lỗi: không tìm thấy tệp của liên kết 'khong-co.md' — kiểm tra vị trí tệp và viết đúng tên "
        f"tệp {CASE}",
        f"content/{UNIT}/lien-he/README.md: cảnh báo: tệp không được đăng vì trùng đường dẫn với "
        "'lien-he/index.md' — đổi tên hoặc xóa một trong hai tệp",
        f"{FOLDER}/lien-ket.md:6: cảnh báo: liên kết '../../../gioi-thieu/' trỏ tới một thư mục, không tới một "
        "trang hay tệp — có phải ý bạn là '../../../gioi-thieu/index.md'? (liên kết được giữ nguyên, người đọc "
        "bấm vào sẽ gặp trang lỗi)",
    }

    code, built = run(network_copy, capsys, "build", UNIT)
    assert code == 0, built
    assert expected <= set(built)
    assert not any("Doc file" in line or "strict mode" in line for line in built)
    assert sum(line.count("khong-co.md") for line in built) == 1  # said once, not again by MkDocs
    site = network_copy / "public" / UNIT
    assert "Liên hệ" in parse(page_for(site, "lien-he/")).findtext(".//title")
    assert parse(page_for(site, "tin-tuc/2025/10/lien-ket/")).findtext(".//h1").strip() == "Liên kết"

    # A rebuild that reuses the rendered Markdown of the page still says what MkDocs said.
    other = network_copy / f"{FOLDER}/dem-hoi-trang-ram.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    code, rebuilt = run(network_copy, capsys, "build", UNIT)
    assert code == 0, rebuilt
    assert expected <= set(rebuilt)
