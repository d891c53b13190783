"""``trangtin check``: one line per problem, grouped per unit, a count, and the exit code."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.test_content import front, make_network, write
from trangtin.cli.main import main
from trangtin.content import checks

DOCUMENTS = """\
---
documents:
  - so_ky_hieu: 123/KH-THCSA
    ngay_ban_hanh: 2025-09-10
    co_quan_ban_hanh: Trường THCS A
    trich_yeu: Kế hoạch năm học 2025–2026
    tep: files/ke-hoach.pdf
---
"""
DISCLOSURES = """\
---
disclosures:
  - nam_hoc: 2025-2026
    noi_dung: Cam kết chất lượng giáo dục
    ngay: 2025-09-15
---
"""
SUMMARY_OK = "Đã kiểm tra 1 đơn vị, 1 bài viết: 0 lỗi, 0 cảnh báo, 0 lưu ý — không có lỗi."


def complete_school(root: Path) -> Path:
    """A school with every Thông tư 37 section filled and one good post."""
    make_network(root)
    write(root, "content/thcs-a/van-ban/index.md", DOCUMENTS)
    write(root, "content/thcs-a/van-ban/files/ke-hoach.pdf", b"%PDF-1.4")
    write(root, "content/thcs-a/cong-khai/index.md", DISCLOSURES)
    write(root, "content/thcs-a/tuyen-sinh/index.md", "# Tuyển sinh\n\nTuyển 200 học sinh lớp 6.\n")
    write(root, "content/thcs-a/posts/2025/09/khai-giang.md",
          front("title: Lễ khai giảng", "date: 2025-09-05 07:30", "categories: [Tin tức – Sự kiện]"))
    return root


def word_file() -> bytes:
    """The smallest file Word's format (OOXML) is recognised by: a zip listing [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["--root", str(root), "check", *args])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return complete_school(tmp_path / "net")


def test_a_complete_school_passes(root: Path, capsys: pytest.CaptureFixture[str]):
    assert run(root, capsys) == (0, [SUMMARY_OK])


def test_an_error_exits_1_with_one_line_per_problem_grouped_per_unit(root: Path,
                                                                    capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-a/posts/2025/09/loi.md", front("title: Bài lỗi", "date: 30/02/2025"))
    write(root, "content/thcs-a/posts/2025/09/canh-bao.md",
          front("title: Bài", "date: 2025-09-05", "to: Tổ Thể dục"))
    code, lines = run(root, capsys, "thcs-a")
    assert code == 1
    assert lines == [
        "[thcs-a]",
        "content/thcs-a/posts/2025/09/canh-bao.md:4: cảnh báo: tổ 'Tổ Thể dục' không có trong danh sách tổ của "
        "đơn vị — chọn một trong: Tổ Toán – Tin | Tổ Ngữ văn – Lịch sử",
        "content/thcs-a/posts/2025/09/loi.md:3: lỗi: ngày '30/02/2025' không có thật (tháng 2 không có ngày 30) "
        "— kiểm tra lại ngày, tháng",
        "Đã kiểm tra 1 đơn vị, 3 bài viết: 1 lỗi, 1 cảnh báo, 0 lưu ý — cần sửa các lỗi trên trước khi đăng.",
    ]


def test_warnings_and_notes_alone_exit_0(root: Path, capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-a/posts/2025/10/nhap.md", front("title: Nháp", "date: 2025-10-01", "draft: true",
                                                              "tieu_de: x"))
    code, lines = run(root, capsys)
    assert code == 0
    assert lines == [
        "[thcs-a]",
        "content/thcs-a/posts/2025/10/nhap.md:4: lưu ý: bài 'Nháp' đang là bản nháp nên chưa đăng — "
        "khi bài đã viết xong, sửa thành 'draft: false'",
        "content/thcs-a/posts/2025/10/nhap.md:5: cảnh báo: khóa 'tieu_de' không được hỗ trợ, đã bỏ qua — "
        "có phải ý bạn là 'title'?",
        "Đã kiểm tra 1 đơn vị, 2 bài viết: 0 lỗi, 1 cảnh báo, 1 lưu ý — không có lỗi.",
    ]


def test_empty_thong_tu_37_sections_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = make_network(tmp_path / "net")
    write(root, "content/thcs-a/tuyen-sinh/index.md", "# Tuyển sinh\n\n<!-- sẽ cập nhật -->\n")
    code, lines = run(root, capsys)
    assert code == 0
    assert lines == [
        "[thcs-a]",
        "content/thcs-a/cong-khai/index.md: cảnh báo: mục 'Công khai' (Thông tư 37/2020) chưa có nội dung: trang "
        "sẽ chỉ hiện dòng 'đang được cập nhật' — tạo tệp cong-khai/index.md với danh sách 'disclosures:' "
        "(xem hướng dẫn viết bài)",
        "content/thcs-a/tuyen-sinh/index.md: cảnh báo: mục 'Tuyển sinh' (Thông tư 37/2020) chưa có nội dung: trang "
        "sẽ chỉ hiện dòng 'đang được cập nhật' — viết nội dung vào tệp tuyen-sinh/index.md",
        "content/thcs-a/van-ban/index.md: cảnh báo: mục 'Văn bản' (Thông tư 37/2020) chưa có nội dung: trang sẽ "
        "chỉ hiện dòng 'đang được cập nhật' — tạo tệp van-ban/index.md với danh sách 'documents:' "
        "(xem hướng dẫn viết bài)",
        "Đã kiểm tra 1 đơn vị, 0 bài viết: 0 lỗi, 3 cảnh báo, 0 lưu ý — không có lỗi.",
    ]


def test_register_entries_need_their_fields_and_real_dates(root: Path, capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-a/van-ban/index.md", """\
---
documents:
  - so_ky_hieu: 123/KH-THCSA
    ngay_ban_hanh: 10/09/2025
    trich_yeu: Kế hoạch năm học
  - so_ky_hieu: 124/QĐ-THCSA
    ngay_ban_hanh: 2025-02-30
    trich_yeu: Quyết định thành lập tổ
    tep: files/khong-co.pdf
    so_trang: 3
  - so_ky_hieu: 125/TB-THCSA
  - Kế hoạch tháng 9
---
""")
    write(root, "content/thcs-a/cong-khai/index.md", """\
---
disclosures:
  - nam_hoc: 2025
    noi_dung: Cam kết chất lượng
    ngay: 2025-09-15
    tep: ../../../../etc/passwd
---
""")
    code, lines = run(root, capsys)
    page, disclosure = "content/thcs-a/van-ban/index.md", "content/thcs-a/cong-khai/index.md"
    assert code == 1
    assert lines == [
        "[thcs-a]",
        f"{disclosure}:3: lỗi: năm học '2025' không đúng dạng — viết năm học dạng 2025-2026",
        f"{disclosure}:6: lỗi: liên kết '../../../../etc/passwd' trỏ ra ngoài thư mục nội dung — chỉ dùng tệp "
        "nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)",
        f"{page}:4: lỗi: ngày '10/09/2025' viết theo kiểu ngày/tháng/năm — "
        "hãy viết theo dạng năm-tháng-ngày: 2025-09-10",
        f"{page}:7: lỗi: ngày '2025-02-30' không có thật (tháng 2 không có ngày 30) — kiểm tra lại ngày, tháng",
        f"{page}:9: lỗi: không tìm thấy tệp của liên kết 'files/khong-co.pdf' — kiểm tra vị trí tệp và viết đúng "
        "tên tệp (tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)",
        f"{page}:10: cảnh báo: khóa 'so_trang' trong mục thứ 2 của 'documents' không được hỗ trợ — các khóa hợp "
        "lệ: co_quan_ban_hanh, ngay_ban_hanh, so_ky_hieu, tep, trich_yeu",
        f"{page}:11: lỗi: mục thứ 3 của 'documents' thiếu 'ngay_ban_hanh' — thêm dòng 'ngay_ban_hanh: ...' vào "
        "mục này",
        f"{page}:11: lỗi: mục thứ 3 của 'documents' thiếu 'trich_yeu' — thêm dòng 'trich_yeu: ...' vào mục này",
        f"{page}:12: lỗi: mục thứ 4 của 'documents' phải là một nhóm khóa — ví dụ: '- so_ky_hieu: 123/KH-THCSAB' "
        "rồi các dòng khác thụt vào thẳng hàng",
        "Đã kiểm tra 1 đơn vị, 1 bài viết: 8 lỗi, 1 cảnh báo, 0 lưu ý — cần sửa các lỗi trên trước khi đăng.",
    ]


def test_section_pages_with_broken_front_matter_or_links(root: Path, capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-a/tuyen-sinh/index.md",
          "---\ntitle: Tuyển sinh: lớp 6\n---\n\nXem [kế hoạch](ke-hoach.pdf).\n")
    write(root, "content/thcs-a/gioi-thieu/index.md", "Trường được thành lập năm 1990. ![Ảnh](anh.jpg)\n")
    code, lines = run(root, capsys)
    assert code == 1
    assert lines[1:-1] == [
        "content/thcs-a/gioi-thieu/index.md:1: lỗi: không tìm thấy ảnh 'anh.jpg' — kiểm tra vị trí tệp và viết "
        "đúng tên tệp (tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)",
        "content/thcs-a/tuyen-sinh/index.md:2: lỗi: YAML không hợp lệ: có dấu ':' không đúng chỗ (tiêu đề có dấu "
        "':' cần đặt trong ngoặc kép) — sửa dòng này trong phần thông tin đầu bài",
    ]


def test_network_file_problems_are_reported_with_the_count(root: Path, capsys: pytest.CaptureFixture[str]):
    network = root / "network.yml"
    network.write_text(network.read_text(encoding="utf-8").replace("parent: thcs-a\n", "parent: thcs-b\n", 1),
                       encoding="utf-8")
    code, lines = run(root, capsys)
    assert code == 1
    assert lines == [
        "network.yml:12: lỗi: đơn vị 'thcs-a-to-toan-tin' có parent 'thcs-b' không tồn tại — sửa parent thành id "
        "của một đơn vị đã khai báo",
        "Đã kiểm tra 0 đơn vị, 0 bài viết: 1 lỗi, 0 cảnh báo, 0 lưu ý — cần sửa các lỗi trên trước khi đăng.",
    ]


def test_unknown_unit_gets_a_suggestion(root: Path, capsys: pytest.CaptureFixture[str]):
    assert run(root, capsys, "thcs-b") == (1, [
        "network.yml: lỗi: không có đơn vị 'thcs-b' — có phải ý bạn là 'thcs-a'?",
        "Đã kiểm tra 0 đơn vị, 0 bài viết: 1 lỗi, 0 cảnh báo, 0 lưu ý — cần sửa các lỗi trên trước khi đăng."])


def test_a_content_folder_no_unit_owns(root: Path, capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-aa/posts/2025/09/bai.md", front("title: Bài", "date: 2025-09-05"))
    code, lines = run(root, capsys)
    assert code == 0
    assert lines[0] == ("content/thcs-aa: cảnh báo: thư mục không ứng với đơn vị nào trong network.yml nên không "
                        "được đăng — có phải ý bạn là 'thcs-a'? đổi tên thư mục cho đúng id trong network.yml")


def test_json_format(root: Path, capsys: pytest.CaptureFixture[str]):
    write(root, "content/thcs-a/posts/2025/09/loi.md", front("date: 2025-09-05"))
    code, lines = run(root, capsys, "--format", "json")
    data = json.loads("\n".join(lines))
    assert code == 1
    assert data["units"] == ["thcs-a"] and data["posts"] == 2
    assert data["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert data["diagnostics"] == [{
        "path": "content/thcs-a/posts/2025/09/loi.md", "line": 1, "severity": "error",
        "message": "bài viết thiếu tiêu đề", "hint": "thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài",
        "unit": "thcs-a"}]


def test_an_internal_error_is_named_with_its_file(root: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch):
    def broken(*_: object) -> list[object]:  # a simulated bug on one page
        raise RuntimeError("hỏng")

    monkeypatch.setattr(checks, "check_page_links", broken)
    code, lines = run(root, capsys)
    assert code == 1
    assert lines[1].startswith("content/thcs-a/cong-khai/index.md: lỗi: lỗi nội bộ của trangtin khi đọc tệp này "
                               "(RuntimeError: hỏng, test_checks.py:")
    assert lines[1].endswith("— đây là lỗi của chương trình, không phải của bài viết: xin báo lỗi này cho nhóm "
                             "phát triển kèm thông báo trên")
    assert "Traceback" not in "\n".join(lines)


def test_usable_registers_keep_rows_a_page_can_sort_and_show():
    meta = {"title": "Văn bản", "documents": [
        {"so_ky_hieu": "1", "ngay_ban_hanh": dt.date(2025, 9, 10), "trich_yeu": "a"},
        {"so_ky_hieu": "2", "ngay_ban_hanh": "2025-09-12 08:00", "trich_yeu": "b"},
        {"so_ky_hieu": "3", "ngay_ban_hanh": "12/09/2025", "trich_yeu": "c"},
        {"so_ky_hieu": "4", "trich_yeu": "d"},
        "Kế hoạch",
    ], "disclosures": "không phải danh sách"}
    usable = checks.usable_registers(meta)
    assert usable == {
        "documents": [{"so_ky_hieu": "1", "ngay_ban_hanh": dt.date(2025, 9, 10), "trich_yeu": "a"},
                      {"so_ky_hieu": "2", "ngay_ban_hanh": dt.date(2025, 9, 12), "trich_yeu": "b"}],
        "disclosures": [],
    }


def test_files_meant_as_posts_but_never_read(root: Path, capsys: pytest.CaptureFixture[str]):
    folder = "content/thcs-a/posts/2025/09"
    for name in ("hop-phu-huynh.md.txt", "Thong-bao.MD", "ke-hoach.docx"):
        write(root, f"{folder}/{name}", b"x")
    write(root, f"{folder}/mau-don.docx", word_file())
    write(root, f"{folder}/tai-mau-don.md", front("title: Mẫu đơn", "date: 2025-09-06", body="[Tải](mau-don.docx)\n"))
    code, lines = run(root, capsys)
    assert code == 0
    assert lines[1:-1] == [
        f"{folder}/Thong-bao.MD: cảnh báo: tệp này không phải bài viết .md nên không được đăng — "
        "đổi tên thành 'Thong-bao.md' (đuôi .md viết thường)",
        f"{folder}/hop-phu-huynh.md.txt: cảnh báo: tệp này không phải bài viết .md nên không được đăng — "
        "Notepad đã thêm đuôi .txt: đổi tên tệp, bỏ phần '.txt' ở cuối (Lưu thành… chọn 'All files')",
        f"{folder}/ke-hoach.docx: cảnh báo: tệp này không phải bài viết .md nên không được đăng — "
        "chép nội dung sang một tệp .md (xem hướng dẫn viết bài); tệp Word không được đăng",
    ]


def test_check_finds_photos_the_build_would_skip(root: Path, capsys: pytest.CaptureFixture[str]):
    good = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(good, "JPEG")
    write(root, "content/thcs-a/posts/2025/09/anh-tot.jpg", good.getvalue())
    write(root, "content/thcs-a/posts/2025/09/anh-cut.jpg", good.getvalue()[:200])
    write(root, "content/thcs-a/posts/2025/09/anh-chu.jpg", "đây là chữ, không phải ảnh")
    write(root, "content/thcs-a/posts/2025/09/anh.md",
          front("title: Ảnh", "date: 2025-09-06",
                body="![Sân trường](anh-tot.jpg)\n\n![Lớp học](anh-cut.jpg)\n\n![Cờ](anh-chu.jpg)\n"))
    code, lines = run(root, capsys, "thcs-a")
    assert code == 0  # a skipped photo is a warning: the post is still published
    problems = [line for line in lines if ": cảnh báo: " in line]
    assert [p.split(":")[0] for p in problems] == ["content/thcs-a/posts/2025/09/anh-chu.jpg",
                                                  "content/thcs-a/posts/2025/09/anh-cut.jpg"]
    assert all(" — " in p for p in problems)
