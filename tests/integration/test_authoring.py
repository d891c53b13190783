"""Authoring end to end: ``trangtin new`` writes a post a teacher can fill in, ``check`` reads it,
and a real build publishes the good posts while leaving a broken one out with its message."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from lxml import html

from tests.unit.test_content import front, make_network, write
from tests.unit.test_sources import windows_1258
from trangtin.cli.main import main
from trangtin.common.dates import LOCAL
from trangtin.content import authoring
from trangtin.content.sources import read_source
from trangtin.site.build import build_sites

TITLE = "Lễ khai giảng năm học 2025–2026"
REGISTER_WITH_A_BAD_DATE = """\
---
documents:
  - so_ky_hieu: 126/QĐ-THCSA
    ngay_ban_hanh: 2025-09-12
    trich_yeu: Quyết định thành lập tổ chuyên môn
  - so_ky_hieu: 123/KH-THCSA
    ngay_ban_hanh: 10/09/2025
    trich_yeu: Kế hoạch năm học
---
"""
SLUG = "le-khai-giang-nam-hoc-2025-2026"


def new(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "new", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def test_new_post_has_a_vietnamese_slug_local_date_and_a_commented_template(root: Path,
                                                                            capsys: pytest.CaptureFixture[str]):
    before = dt.datetime.now(LOCAL).replace(second=0, microsecond=0)
    code, out, err = new(root, capsys, "thcs-a", TITLE, "--to", "to toan - tin", "--category", "tin tuc - su kien")
    after = dt.datetime.now(LOCAL)
    assert code == 0, err
    [printed] = out.splitlines()
    assert printed == f"content/thcs-a/posts/{before:%Y}/{before:%m}/{SLUG}.md"
    path = root / printed
    source = read_source(path, printed)
    assert source.diagnostics == []
    meta = source.meta
    assert meta["title"] == TITLE and meta["to"] == "Tổ Toán – Tin" and meta["categories"] == ["Tin tức – Sự kiện"]
    assert meta["draft"] is True and meta["highlight"] is False and meta["authors"] == []
    written = dt.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL)
    assert before <= written <= after
    text = path.read_text(encoding="utf-8")
    for choice in ("#   Tổ Toán – Tin", "#   Tổ Ngữ văn – Lịch sử", "#   Gương người tốt, việc tốt",
                   "#   Tuyển sinh", "giờ Việt Nam"):
        assert choice in text
    assert "approved_by" not in text  # this school does not require approval
    assert "draft: true" in err and "trangtin check thcs-a" in err


def test_new_refuses_to_overwrite(root: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = new(root, capsys, "thcs-a", TITLE, "--date", "2025-09-05 07:30")
    path = root / out.strip()
    path.write_text(path.read_text(encoding="utf-8") + "Bài đã viết.\n", encoding="utf-8")
    kept = path.read_bytes()
    code, out, err = new(root, capsys, "thcs-a", TITLE, "--date", "2025-09-05 07:30")
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"content/thcs-a/posts/2025/09/{SLUG}.md: lỗi: bài viết này đã có, không ghi đè — "
                                "mở tệp đó để sửa, hoặc chọn một tiêu đề khác"]
    assert path.read_bytes() == kept


def test_new_explains_unknown_unit_team_category_and_date(root: Path, capsys: pytest.CaptureFixture[str]):
    code, _, err = new(root, capsys, "thcs-b", TITLE)
    assert (code, err.splitlines()) == (1, ["network.yml: lỗi: không có đơn vị 'thcs-b' — có phải ý bạn là 'thcs-a'?"])
    code, _, err = new(root, capsys, "thcs-a", TITLE, "--to", "Tổ Toán", "--category", "Tin tuc su kiem",
                       "--date", "31/09/2025")
    assert code == 1
    assert err.splitlines() == [
        "(dòng lệnh): lỗi: tổ 'Tổ Toán' không có trong danh sách tổ của Trường THCS A — "
        "có phải ý bạn là 'Tổ Toán – Tin'?",
        "(dòng lệnh): lỗi: chuyên mục 'Tin tuc su kiem' không có trong danh sách — "
        "có phải ý bạn là 'Tin tức – Sự kiện'?",
        "(dòng lệnh): lỗi: ngày '31/09/2025' không có thật (tháng 9 không có ngày 31) — "
        "kiểm tra lại ngày, tháng",
    ]
    assert not (root / "content/thcs-a/posts").exists()


def test_new_refuses_a_team_as_unit(root: Path, capsys: pytest.CaptureFixture[str]):
    code, _, err = new(root, capsys, "thcs-a-to-toan-tin", TITLE)
    assert (code, err.splitlines()) == (1, [
        "network.yml:9: lỗi: 'thcs-a-to-toan-tin' là một tổ chuyên môn, không có trang riêng — viết bài cho "
        "trường kèm tên tổ: trangtin new thcs-a \"Tiêu đề\" --to \"Tổ Toán – Tin\""])


def test_a_title_with_colon_and_hash_stays_valid_yaml(root: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = new(root, capsys, "thcs-a", 'Thông báo: lịch thi "học kỳ I" #1', "--date", "2025-12-01")
    assert code == 0
    assert out.strip() == "content/thcs-a/posts/2025/12/thong-bao-lich-thi-hoc-ky-i-1.md"
    assert read_source(root / out.strip(), "x").meta["title"] == 'Thông báo: lịch thi "học kỳ I" #1'


def test_the_new_post_checks_clean_except_for_being_a_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = make_network(tmp_path / "net", approval=True)
    code, out, _ = new(root, capsys, "thcs-a", TITLE, "--date", "2025-09-05 07:30")
    post = out.strip()
    template = (root / post).read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("# approved_by:") for line in template)
    draft_line = next(n for n, line in enumerate(template, 1) if line.startswith("draft: true"))
    assert main(["--root", str(root), "check", "thcs-a"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if post in line]
    assert lines == [f"{post}:{draft_line}: lưu ý: bài '{TITLE}' đang là bản nháp nên chưa đăng — "
                     "khi bài đã viết xong, sửa thành 'draft: false'"]
    path = root / post
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true ", "draft: false"), encoding="utf-8")
    assert main(["--root", str(root), "check", "thcs-a"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if post in line]
    assert lines == [f"{post}:1: lưu ý: bài '{TITLE}' chưa được duyệt nên chưa đăng — "
                     "Ban Giám hiệu duyệt bằng cách thêm 'approved_by: <họ tên người duyệt>'"]


def test_an_internal_error_in_new_names_the_file(root: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch):
    def broken(*args: object) -> str:  # a simulated bug while writing the template
        raise ValueError("hỏng")

    monkeypatch.setattr(authoring, "render_template", broken)
    code, out, err = new(root, capsys, "thcs-a", TITLE, "--date", "2025-09-05")
    assert (code, out) == (3, "")
    assert err.startswith(f"Lỗi nội bộ của trangtin khi xử lý content/thcs-a/posts/2025/09/{SLUG}.md: "
                          "ValueError: hỏng (test_authoring.py:")
    assert err.rstrip().endswith("xin báo lỗi này cho nhóm phát triển kèm thông báo trên.")
    assert "Traceback" not in err


def test_build_leaves_a_broken_post_out_and_publishes_the_rest(network_copy: Path,
                                                               capsys: pytest.CaptureFixture[str]):
    posts = network_copy / "content/thcs-an-binh/posts/2025/10"
    write(posts, "bai-hong.md", front("title: Bài ngày sai", "date: 30/02/2025"))
    write(posts, "bai-ngoai.md", front("title: Bài trỏ ra ngoài", "date: 2025-10-02",
                                       body="[mật khẩu](../../../../../etc/passwd)\n"))
    code, out, _ = new(network_copy, capsys, "thcs-an-binh", "Hội thi giáo viên dạy giỏi cấp trường",
                       "--date", "2025-10-03 08:00", "--to", "Tổ Toán – Tin")
    created = network_copy / out.strip()
    created.write_text(created.read_text(encoding="utf-8")
                       .replace("draft: true ", "draft: false")
                       .replace("# approved_by: \"Họ tên\"", "approved_by: \"Trần Thị Bích Ngọc\""), encoding="utf-8")

    mac_name = unicodedata.normalize("NFD", "hội-giảng-mùa-thu.md")
    write(posts, mac_name, unicodedata.normalize("NFD", front(
        "title: Hội giảng mùa thu", "date: 2025-10-04", "approved_by: Trần Thị Bích Ngọc")).encode("utf-8"))
    windows = front("title: Ngày hội đọc sách", "date: 2025-10-05", "approved_by: Trần Thị Bích Ngọc")
    write(posts, "ngay-hoi-doc-sach.md", b"\xef\xbb\xbf" + windows.replace("\n", "\r\n").encode("utf-8"))
    unit = network_copy / "content/thcs-an-binh"
    write(unit, "van-ban/index.md", REGISTER_WITH_A_BAD_DATE)
    write(unit, "tuyen-sinh/index.md", windows_1258("# Tuyển sinh\n\nTuyển sinh lớp 6 năm học 2026–2027.\n"))
    write(unit, "gioi-thieu/index.md", "---\ntitle: Giới thiệu: lịch sử\n---\n\nTrường thành lập năm 1990.\n")

    [outcome] = build_sites(network_copy, ["thcs-an-binh"], network_copy / "public", jobs=1)

    assert outcome.ok, outcome.reason
    rendered = sorted(d.render() for d in outcome.diagnostics if d.is_error)
    assert rendered == [
        "content/thcs-an-binh/gioi-thieu/index.md:2: lỗi: YAML không hợp lệ: có dấu ':' không đúng chỗ (tiêu đề "
        "có dấu ':' cần đặt trong ngoặc kép) — sửa dòng này trong phần thông tin đầu bài",
        "content/thcs-an-binh/posts/2025/10/bai-hong.md:3: lỗi: ngày '30/02/2025' không có thật "
        "(tháng 2 không có ngày 30) — kiểm tra lại ngày, tháng",
        "content/thcs-an-binh/posts/2025/10/bai-ngoai.md:6: lỗi: liên kết '../../../../../etc/passwd' trỏ ra "
        "ngoài thư mục nội dung — chỉ dùng tệp nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)",
        "content/thcs-an-binh/tuyen-sinh/index.md:1: lỗi: tệp được lưu bằng bảng mã cũ Windows-1258, không phải "
        "UTF-8 — mở tệp bằng Notepad, chọn Lưu thành… (Save As), ở ô Mã hóa (Encoding) chọn UTF-8 rồi lưu lại",
        "content/thcs-an-binh/van-ban/index.md:7: lỗi: ngày '10/09/2025' viết theo kiểu ngày/tháng/năm — "
        "hãy viết theo dạng năm-tháng-ngày: 2025-09-10",
    ]
    site = network_copy / "public/thcs-an-binh"
    page = site / "tin-tuc/2025/10/hoi-thi-giao-vien-day-gioi-cap-truong/index.html"
    assert html.parse(str(page)).findtext(".//h1").strip() == "Hội thi giáo viên dạy giỏi cấp trường"
    assert (site / f"tin-tuc/2025/09/{SLUG}/index.html").is_file()
    for slug, title in (("hoi-giang-mua-thu", "Hội giảng mùa thu"), ("ngay-hoi-doc-sach", "Ngày hội đọc sách")):
        heading = html.parse(str(site / f"tin-tuc/2025/10/{slug}/index.html")).findtext(".//h1").strip()
        assert heading == title and unicodedata.is_normalized("NFC", heading)
    assert not list(site.rglob("bai-hong*")) and not list(site.rglob("bai-ngoai*"))
    built = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Bài ngày sai" not in built and "Bài trỏ ra ngoài" not in built
    # Section pages with mistakes still build: the good register rows, a placeholder, no raw YAML.
    rows = html.parse(str(site / "van-ban/index.html")).xpath("//table[contains(@class, 'tt-register')]//tbody/tr")
    assert [row.xpath("string(td[1])").strip() for row in rows] == ["126/QĐ-THCSA"]
    assert "đang được cập nhật" in (site / "tuyen-sinh/index.html").read_text(encoding="utf-8")
    about = html.parse(str(site / "gioi-thieu/index.html")).xpath("string(//article)")
    assert "Trường thành lập năm 1990." in about and "title:" not in about
