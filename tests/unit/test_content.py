"""Posts as teachers write them: every front-matter mistake comes back as one Vietnamese line.

Real files in a temporary network; each test asserts the whole rendered message
(``file:line: mức độ: message — cách sửa``) and what happened to the post.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from trangtin.common.dates import LOCAL
from trangtin.content import posts
from trangtin.content.posts import load_unit_posts
from trangtin.network.model import load_network

NOW = dt.datetime(2025, 11, 20, 9, 0, tzinfo=LOCAL)
POST = "content/thcs-a/posts/2025/09/bai.md"

NETWORK = """\
timezone: Asia/Ho_Chi_Minh
portal: thcs-a
units:
  - id: thcs-a
    name: Trường THCS A
    type: truong
    requires_approval: {approval}
    identity: {{email: thcsa@example.edu.vn, leaders: [{{name: Nguyễn Văn A, title: Hiệu trưởng}}]}}
  - id: thcs-a-to-toan-tin
    name: Tổ Toán – Tin
    type: to
    parent: thcs-a
  - id: thcs-a-to-ngu-van
    name: Tổ Ngữ văn – Lịch sử
    short_name: Tổ Ngữ văn
    type: to
    parent: thcs-a
"""


def make_network(root: Path, approval: bool = False) -> Path:
    """A one-school network in ``root``: network.yml and an index page."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "network.yml").write_text(NETWORK.format(approval=str(approval).lower()), encoding="utf-8")
    write(root, "content/thcs-a/index.md", "Chào mừng quý vị.\n")
    write(root, "mkdocs.yml", "site_name: Trường THCS A\n")  # the portal's site is built here
    return root


def write(root: Path, relative: str, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def front(*lines: str, body: str = "Nội dung bài viết.\n") -> str:
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" + body


def read(root: Path, approval: bool = False, now: dt.datetime = NOW) -> posts.UnitContent:
    network = load_network(root / "network.yml")
    return load_unit_posts(network, network.units["thcs-a"], now)


def rendered(unit_content: posts.UnitContent) -> list[str]:
    return [d.render() for d in unit_content.diagnostics]


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def test_a_correct_post_is_read_with_local_date_team_and_categories(root: Path):
    write(root, POST, front("title: Lễ khai giảng", "date: 2025-09-05 07:30", "authors: [Nguyễn Văn An]",
                            "to: tổ toán - tin", "categories: [Tin tức - Sự kiện, Gương người tốt, việc tốt]",
                            "tags: khai giảng"))
    result = read(root)
    assert rendered(result) == []
    post = result.posts[0]
    assert post.date == dt.datetime(2025, 9, 5, 7, 30, tzinfo=LOCAL)
    assert post.url == "tin-tuc/2025/09/bai/"
    assert post.team == "thcs-a-to-toan-tin"
    assert post.categories == ["Tin tức – Sự kiện", "Gương người tốt, việc tốt"]
    assert post.tags == ["khai giảng"]


def test_a_posts_url_follows_its_date_and_slug_when_they_change(root: Path):
    """``serve`` updates a post in place (live.py): its address must not stay the old one."""
    write(root, POST, front("title: Lễ khai giảng", "date: 2025-09-05 07:30"))
    post = read(root).posts[0]
    assert post.url == "tin-tuc/2025/09/bai/"
    post.date = dt.datetime(2026, 1, 2, 8, 0, tzinfo=LOCAL)
    assert post.url == "tin-tuc/2026/01/bai/"
    post.slug = "bai-moi"
    assert (post.url, post.dest_uri) == ("tin-tuc/2026/01/bai-moi/", "tin-tuc/2026/01/bai-moi/index.html")


@pytest.mark.parametrize(("lines", "expected"), [
    (("title: Bài", "date: 2025-09-05", "categorie: [Thông báo]"),
     f"{POST}:4: cảnh báo: khóa 'categorie' không được hỗ trợ, đã bỏ qua — có phải ý bạn là 'categories'?"),
    (("title: Bài", "date: 2025-09-05", "author: Nguyễn Văn An"),
     f"{POST}:4: cảnh báo: khóa 'author' không được hỗ trợ, đã bỏ qua — có phải ý bạn là 'authors'?"),
    (("title: Bài", "date: 2025-09-05", "categories: [Tin tuc su kiem]"),
     f"{POST}:4: cảnh báo: chuyên mục 'Tin tuc su kiem' không có trong danh sách — "
     "có phải ý bạn là 'Tin tức – Sự kiện'?"),
    (("title: Bài", "date: 2025-09-05", "to: Tổ Toán"),
     f"{POST}:4: cảnh báo: tổ 'Tổ Toán' không có trong danh sách tổ của đơn vị — có phải ý bạn là 'Tổ Toán – Tin'?"),
    (("title: Bài", "date: 2025-09-05", "to: Tổ Thể dục"),
     f"{POST}:4: cảnh báo: tổ 'Tổ Thể dục' không có trong danh sách tổ của đơn vị — "
     "chọn một trong: Tổ Toán – Tin | Tổ Ngữ văn – Lịch sử"),
])
def test_warnings_keep_the_post(root: Path, lines: tuple[str, ...], expected: str):
    write(root, POST, front(*lines))
    result = read(root)
    assert rendered(result) == [expected]
    assert len(result.posts) == 1


@pytest.mark.parametrize(("lines", "expected"), [
    (("title: Bài", "date: 2025-02-30"),
     f"{POST}:3: lỗi: ngày '2025-02-30' không có thật (tháng 2 không có ngày 30) — kiểm tra lại ngày, tháng"),
    (("title: Bài", "date: 30/02/2025"),
     f"{POST}:3: lỗi: ngày '30/02/2025' không có thật (tháng 2 không có ngày 30) — kiểm tra lại ngày, tháng"),
    (("title: Bài", "date: 05/09/2025"),
     f"{POST}:3: lỗi: ngày '05/09/2025' viết theo kiểu ngày/tháng/năm — "
     "hãy viết theo dạng năm-tháng-ngày: 2025-09-05"),
    (("title: Bài", "date: hôm qua"),
     f"{POST}:3: lỗi: ngày 'hôm qua' không đọc được — viết ngày theo dạng 2025-09-05 hoặc 2025-09-05 07:30"),
    (("title: Bài",),
     f"{POST}:1: lỗi: bài viết thiếu ngày đăng — thêm dòng 'date: 2025-09-05 07:30' (giờ Việt Nam)"),
    (("date: 2025-09-05",),
     f"{POST}:1: lỗi: bài viết thiếu tiêu đề — thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài"),
    (("title:", "date: 2025-09-05"),
     f"{POST}:2: lỗi: bài viết thiếu tiêu đề — thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài"),
    (("title: Bài", "date: 2025-09-05", "highlight: có"),
     f"{POST}:4: lỗi: 'highlight' phải là true hoặc false, không phải 'có' — "
     "viết 'highlight: true' hoặc 'highlight: false'"),
    (("title: [Bài, một]", "date: 2025-09-05"),
     f"{POST}:2: lỗi: 'title' phải là một dòng chữ — viết 'title: ...' trên một dòng"),
    (("title: Bài", "date: 2025-09-05", "tags: {a: b}"),
     f"{POST}:4: lỗi: 'tags' phải là danh sách tên — "
     "viết 'tags: [Tên 1, Tên 2]' hoặc mỗi mục một dòng bắt đầu bằng '- '"),
    (("title: Thông báo: lịch thi", "date: 2025-09-05"),
     f"{POST}:2: lỗi: YAML không hợp lệ: có dấu ':' không đúng chỗ (tiêu đề có dấu ':' cần đặt trong ngoặc kép)"
     " — sửa dòng này trong phần thông tin đầu bài"),
    (("title: Bài", "date: 2025-09-05", "tags: [a, b"),
     f"{POST}:5: lỗi: YAML không hợp lệ: danh sách trong ngoặc vuông '[...]' thiếu dấu ']' đóng"
     " — sửa dòng này trong phần thông tin đầu bài"),
    (("title: `Bài`", "date: 2025-09-05"),
     f"{POST}:2: lỗi: YAML không hợp lệ: giá trị không được bắt đầu bằng ký tự '`' (hãy đặt giá trị trong "
     "ngoặc kép) — sửa dòng này trong phần thông tin đầu bài"),
])
def test_errors_leave_the_post_out(root: Path, lines: tuple[str, ...], expected: str):
    write(root, POST, front(*lines, body="Nội dung.\n"))
    result = read(root)
    assert rendered(result) == [expected]
    assert result.posts == []


def test_a_title_from_the_first_heading_is_enough(root: Path):
    write(root, POST, front("date: 2025-09-05", body="# Hội khỏe Phù Đổng\n\nNội dung.\n"))
    assert [p.title for p in read(root).posts] == ["Hội khỏe Phù Đổng"]


def test_front_matter_without_closing_line(root: Path):
    write(root, POST, "---\ntitle: Bài\ndate: 2025-09-05\n\nNội dung.\n")
    assert rendered(read(root)) == [
        f"{POST}:1: lỗi: phần thông tin đầu bài (front matter) không có dòng '---' đóng — "
        "thêm một dòng chỉ có '---' sau phần thông tin đầu bài"]


def test_future_dates_are_listed_and_not_published(root: Path):
    soon = (NOW + dt.timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    write(root, POST, front("title: Sắp tới", f"date: {soon}"))
    write(root, "content/thcs-a/posts/2025/09/xa.md", front("title: Gõ nhầm năm", "date: 2052-09-05"))
    result = read(root)
    assert rendered(result) == [
        f"{POST}:3: lưu ý: ngày đăng ở tương lai (30/11/2025): bài sẽ chỉ hiện sau ngày đó — "
        "sửa 'date' nếu đây là nhầm lẫn",
        "content/thcs-a/posts/2025/09/xa.md:3: cảnh báo: ngày đăng 05/09/2052 ở quá xa trong tương lai: "
        "bài chưa được đăng — kiểm tra lại năm trong 'date' (có gõ nhầm năm không?)",
    ]
    assert len(result.posts) == 2 and result.published(NOW) == []


def test_unapproved_and_draft_posts_are_listed(tmp_path: Path):
    root = make_network(tmp_path / "net", approval=True)
    write(root, POST, front("title: Chờ duyệt", "date: 2025-09-05"))
    write(root, "content/thcs-a/posts/2025/09/nhap.md", front("title: Nháp", "date: 2025-09-05", "draft: true",
                                                              "approved_by: Nguyễn Văn A"))
    write(root, "content/thcs-a/posts/2025/09/duyet.md", front("title: Đã duyệt", "date: 2025-09-05",
                                                               "approved_by: Nguyễn Văn A"))
    result = read(root)
    assert rendered(result) == [
        f"{POST}:1: lưu ý: bài 'Chờ duyệt' chưa được duyệt nên chưa đăng — "
        "Ban Giám hiệu duyệt bằng cách thêm 'approved_by: <họ tên người duyệt>'",
        "content/thcs-a/posts/2025/09/nhap.md:4: lưu ý: bài 'Nháp' đang là bản nháp nên chưa đăng — "
        "khi bài đã viết xong, sửa thành 'draft: false'",
    ]
    assert [p.title for p in result.published(NOW)] == ["Đã duyệt"]


def test_duplicate_slugs_keep_the_first_post(root: Path):
    write(root, "content/thcs-a/posts/2025/09/khai-giang.md", front("title: Một", "date: 2025-09-05"))
    write(root, "content/thcs-a/posts/2025/09/le.md", front("title: Hai", "date: 2025-09-06", "slug: Khai giảng"))
    result = read(root)
    assert rendered(result) == [
        "content/thcs-a/posts/2025/09/le.md:4: lỗi: trùng đường dẫn với bài "
        "content/thcs-a/posts/2025/09/khai-giang.md (tin-tuc/2025/09/khai-giang/) — "
        "đổi tên tệp hoặc thêm 'slug:' khác cho một trong hai bài"]
    assert [p.title for p in result.posts] == ["Một"]


def test_links_and_images_must_exist_inside_the_unit_folder(root: Path):
    write(root, "content/thcs-a/posts/2025/09/anh.jpg", b"not really a jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05", body=(
        "![Ảnh](anh.jpg)\n\n"
        "[mật khẩu](../../etc/passwd)\n\n"
        "[mật khẩu](../../../../etc/passwd)\n\n"
        "![Thiếu](thieu.jpg)\n\n"
        "<!-- ![ghi chú](khong-co.jpg) -->\n\n"
        "`[mã](khong-co.md)` và [ngoài](https://example.com/a.jpg)\n")))
    result = read(root)
    assert rendered(result) == [
        f"{POST}:8: lỗi: không tìm thấy tệp của liên kết '../../etc/passwd' — "
        "kiểm tra vị trí tệp và viết đúng tên tệp (tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)",
        f"{POST}:10: lỗi: liên kết '../../../../etc/passwd' trỏ ra ngoài thư mục nội dung — "
        "chỉ dùng tệp nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)",
        f"{POST}:12: lỗi: không tìm thấy ảnh 'thieu.jpg' — "
        "kiểm tra vị trí tệp và viết đúng tên tệp (tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)",
    ]
    assert result.posts == []


def test_images_beside_the_post_become_its_assets(root: Path):
    write(root, "content/thcs-a/posts/2025/09/anh lớp.jpg", b"jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05", "cover: anh lớp.jpg",
                            body='<img src="anh%20l%E1%BB%9Bp.jpg" alt="">\n'))
    result = read(root)
    assert rendered(result) == []
    assert result.posts[0].assets == ["posts/2025/09/anh lớp.jpg"]


def test_utf8_with_bom_and_crlf_is_read_with_right_lines(root: Path):
    text = front("title: Lễ khai giảng", "date: 2025-09-05", "nhan: x").replace("\n", "\r\n")
    write(root, POST, b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = read(root)
    assert rendered(result) == [
        f"{POST}:4: cảnh báo: khóa 'nhan' không được hỗ trợ, đã bỏ qua — "
        "các khóa hợp lệ: ap_dung, approved_by, authors, categories, cover, date, description, draft, "
        "gallery, highlight, slug, tags, title, to, updated"]
    assert result.posts[0].title == "Lễ khai giảng"
    assert "\r" not in result.posts[0].body


def test_nfd_text_and_file_name_are_read_as_nfc(root: Path):
    name = unicodedata.normalize("NFD", "lễ-khai-giảng.md")
    text = unicodedata.normalize("NFD", front("title: Lễ khai giảng", "date: 2025-09-05", "to: Tổ Toán – Tin",
                                              "categories: [Tin tức – Sự kiện]", body="Học sinh đến trường.\n"))
    write(root, f"content/thcs-a/posts/2025/09/{name}", text.encode("utf-8"))
    result = read(root)
    assert rendered(result) == [
        "content/thcs-a/posts/2025/09/lễ-khai-giảng.md:1: lưu ý: văn bản ở dạng Unicode tổ hợp (NFD), "
        "đã tự chuyển sang NFC — không cần làm gì; nếu soạn trên máy Mac, có thể bỏ qua thông báo này"]
    post = result.posts[0]
    assert post.title == unicodedata.normalize("NFC", "Lễ khai giảng") and post.title.isprintable()
    assert unicodedata.is_normalized("NFC", post.src_uri) and unicodedata.is_normalized("NFC", post.body)
    assert post.slug == "le-khai-giang"
    assert (post.team, post.categories) == ("thcs-a-to-toan-tin", ["Tin tức – Sự kiện"])


def test_an_internal_error_names_the_file_and_spares_the_other_posts(root: Path,
                                                                     monkeypatch: pytest.MonkeyPatch):
    write(root, POST, front("title: Hỏng", "date: 2025-09-05"))
    write(root, "content/thcs-a/posts/2025/09/tot.md", front("title: Tốt", "date: 2025-09-05"))
    original = posts._PostChecker.check_links

    def broken(self: posts._PostChecker) -> None:  # a simulated bug in one file's processing
        if self.source.path.name == "bai.md":
            raise KeyError("ví dụ")
        original(self)

    monkeypatch.setattr(posts._PostChecker, "check_links", broken)
    result = read(root)
    [problem] = rendered(result)
    assert problem.startswith(f"{POST}: lỗi: lỗi nội bộ của trangtin khi đọc tệp này (KeyError: 'ví dụ', ")
    assert problem.endswith("— đây là lỗi của chương trình, không phải của bài viết: "
                            "xin báo lỗi này cho nhóm phát triển kèm thông báo trên")
    assert [p.title for p in result.posts] == ["Tốt"]


@pytest.mark.parametrize(("written", "message", "hint"), [
    ("2025-02-29", "ngày '2025-02-29' không có thật (năm 2025 không nhuận, tháng 2 chỉ có 28 ngày)",
     "kiểm tra lại năm, tháng"),
    ("2025-13-05", "ngày '2025-13-05' không có thật (không có tháng 13)", "kiểm tra lại ngày, tháng"),
    ("31/04/2025", "ngày '31/04/2025' không có thật (tháng 4 không có ngày 31)", "kiểm tra lại ngày, tháng"),
    ("2025-09-05 25:00", "giờ trong '2025-09-05 25:00' không có thật", "giờ viết từ 00:00 đến 23:59, ví dụ 07:30"),
])
def test_impossible_dates_say_what_is_wrong(root: Path, written: str, message: str, hint: str):
    write(root, POST, front("title: Bài", f"date: {written}"))
    assert rendered(read(root)) == [f"{POST}:3: lỗi: {message} — {hint}"]


def test_a_leap_day_is_a_real_day(root: Path):
    write(root, POST, front("title: Bài", "date: 2024-02-29"))
    assert [p.date.date() for p in read(root).posts] == [dt.date(2024, 2, 29)]


def test_a_key_written_twice_is_pointed_out(root: Path):
    write(root, POST, front("title: Bản cũ", "date: 2025-09-05", "title: Bản mới"))
    result = read(root)
    assert rendered(result) == [f"{POST}:4: cảnh báo: khóa 'title' được viết hai lần (dòng 2 và dòng 4); "
                                "chỉ dòng 4 được dùng — xóa một trong hai dòng"]
    assert result.posts[0].title == "Bản mới"


def test_front_matter_must_start_on_the_first_line(root: Path):
    write(root, POST, "\n\n" + front("title: Bài", "date: 2025-09-05"))
    assert rendered(read(root)) == [
        f"{POST}:3: lỗi: phần thông tin đầu bài phải bắt đầu ngay từ dòng đầu tiên của tệp — "
        "xóa các dòng trống phía trên dòng '---' đầu tiên"]
