"""Links and images are read from the Markdown parse the build makes, and judged once for check and build.

Real files in a temporary one-school network (``test_content``'s helpers); each test asserts the
rendered messages, with file and line, and whether the post is published.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_checks import complete_school
from tests.unit.test_content import POST, front, make_network, read, rendered, write
from trangtin.cli.main import main
from trangtin.content.links import LinkReader, MarkdownSetup, ParsedBody, Reference, parse_body

FOLDER = "content/thcs-a/posts/2025/09"
CASE = "(tên tệp phân biệt chữ hoa, chữ thường trên máy chủ)"
MISSING_HINT = f"kiểm tra vị trí tệp và viết đúng tên tệp {CASE}"
LOCAL_IMAGE_HINT = "chép ảnh vào cùng thư mục với bài viết rồi chỉ viết tên tệp, ví dụ ![Ảnh](anh-khai-giang.jpg)"
SHARED_EXTENSIONS = MarkdownSetup.for_config_file(Path(__file__).resolve().parents[2] / "sites" / "mn-hoa-sen"
                                                  / "mkdocs.yml")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def link_problems(result: object) -> list[str]:
    """The messages of a reading, without the HTML allow-list's notes on what it removes (tested
    with the allow-list): here only links and images are judged."""
    return [line for line in rendered(result) if ": đã bỏ " not in line]  # type: ignore[arg-type]


def references(body: str) -> list[tuple[int, str, bool]]:
    parsed = LinkReader(SHARED_EXTENSIONS).read(body)
    return [(r.line, r.target, r.is_image) for r in parsed.references]


def test_the_shared_configuration_is_read_with_its_inherited_extensions():
    assert SHARED_EXTENSIONS.extensions[:3] == ["toc", "tables", "fenced_code"]
    assert {"md_in_html", "attr_list", "footnotes", "pymdownx.superfences"} <= set(SHARED_EXTENSIONS.extensions)
    assert SHARED_EXTENSIONS.configs["toc"] == {"permalink": False}


def test_every_way_of_writing_a_link_or_an_image_is_seen_on_its_line():
    body = (
        "![Ảnh](<anh chup.jpg>)\n"                        # 1: a name with a space, in <…>
        "![Ảnh](anh%20lop.jpg \"Lớp 6A\")\n"               # 2: percent-encoded, with a title
        "Xem [kế hoạch][kh] và ![sân trường][san].\n"       # 3: reference-style
        "\n"
        '<img src="tho.jpg" alt="">\n'                     # 5: raw HTML
        "\n"
        "<div markdown>\n"
        "![Trong khối](trong-khoi.jpg)\n"                 # 8: Markdown inside HTML (md_in_html)
        "</div>\n"
        "\n"
        "```\n![Mã](khong-phai-anh.jpg)\n```\n"            # 11-13: code is not a link
        "<!-- ![Ghi chú](ghi-chu.jpg) -->\n"               # 14: neither is a comment
        "[Tải về](van-ban/ke-hoach.pdf)\n"                 # 15
        "\n"
        "[kh]: ke-hoach.pdf \"Kế hoạch\"\n"                # 17
        "[san]: san-truong.jpg\n"                          # 18
    )
    assert references(body) == [
        (1, "anh chup.jpg", True),
        (2, "anh%20lop.jpg", True),
        (17, "ke-hoach.pdf", False),
        (18, "san-truong.jpg", True),
        (8, "trong-khoi.jpg", True),
        (15, "van-ban/ke-hoach.pdf", False),
        (5, "tho.jpg", True),
    ]


def test_anchors_are_those_the_page_renders():
    parsed = LinkReader(SHARED_EXTENSIONS).read("## Mục tiêu\n\nChú thích[^1].\n\n## Khác {#rieng}\n\n[^1]: Một.\n")
    assert {"muc-tieu", "rieng", "fn:1", "fnref:1"} <= parsed.anchors


@pytest.mark.parametrize("target", ["file:///C:/Users/Lan/anh.jpg", "C:\\Users\\Lan\\anh.jpg", "C:/anh.jpg",
                                    "/home/lan/Pictures/anh.jpg", "/Users/lan/Desktop/anh.jpg"])
def test_paths_of_the_authors_computer_are_seen_as_such(target: str):
    assert Reference(1, target, True).is_local


def test_a_missing_photo_with_a_space_in_its_name_leaves_the_post_out(root: Path):
    write(root, POST, front("title: Bài", "date: 2025-09-05", body="Nội dung.\n\n![Ảnh](<anh khong co.jpg>)\n"))
    result = read(root)
    assert link_problems(result) == [f"{POST}:8: lỗi: không tìm thấy ảnh 'anh khong co.jpg' — {MISSING_HINT}"]
    assert result.posts == []


def test_a_photo_with_a_space_in_its_name_is_an_asset_of_the_post(root: Path):
    write(root, f"{FOLDER}/anh chup.jpg", b"jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05",
                            body="![Ảnh](<anh chup.jpg>)\n\n![Lại](anh%20chup.jpg)\n"))
    result = read(root)
    assert link_problems(result) == []
    assert result.posts[0].assets == ["posts/2025/09/anh chup.jpg"]


@pytest.mark.parametrize(("written", "on_disk"), [("Anh.JPG", "anh.jpg"), ("anh.JPG", "anh.jpg"),
                                                  ("Ảnh-Lớp.jpg", "ảnh-lớp.jpg")])
def test_a_wrong_letter_case_gets_a_did_you_mean(root: Path, written: str, on_disk: str):
    write(root, f"{FOLDER}/{on_disk}", b"jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05", body=f"![Ảnh]({written})\n"))
    assert link_problems(read(root)) == [
        f"{POST}:6: lỗi: không tìm thấy ảnh '{written}' — có phải ý bạn là '{on_disk}'? {CASE}"]


def test_a_near_name_gets_a_did_you_mean_and_a_far_one_does_not(root: Path):
    write(root, f"{FOLDER}/le-khai-giang-2025.jpg", b"jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05",
                            body="![Ảnh](img/le-khai-giang-2025.jpg)\n\n![Ảnh](le-khai-giang-2052.jpg)\n\n"
                                 "![Ảnh](hoi-thao.jpg)\n"))
    assert link_problems(read(root)) == [
        f"{POST}:6: lỗi: không tìm thấy ảnh 'img/le-khai-giang-2025.jpg' — {MISSING_HINT}",
        f"{POST}:8: lỗi: không tìm thấy ảnh 'le-khai-giang-2052.jpg' — có phải ý bạn là 'le-khai-giang-2025.jpg'?",
        f"{POST}:10: lỗi: không tìm thấy ảnh 'hoi-thao.jpg' — {MISSING_HINT}",
    ]


def test_local_paths_are_errors_that_say_to_put_the_photo_beside_the_post(root: Path):
    write(root, POST, front("title: Bài", "date: 2025-09-05", body=(
        "![Ảnh](file:///C:/x.jpg)\n\n"
        "![Ảnh](C:\\Users\\x.jpg)\n\n"
        "![Ảnh](\\\\server\\share\\x.jpg)\n\n"
        "<img src=\"/home/lan/anh.jpg\">\n\n"
        "[Kế hoạch](file:///D:/Tai%20lieu/ke-hoach.docx)\n")))
    result = read(root)
    on_computer = "là đường dẫn trên máy tính của bạn, người đọc không mở được"
    assert link_problems(result) == [
        f"{POST}:6: lỗi: ảnh 'file:///C:/x.jpg' {on_computer} — {LOCAL_IMAGE_HINT}",
        f"{POST}:8: lỗi: ảnh 'C:\\Users\\x.jpg' {on_computer} — {LOCAL_IMAGE_HINT}",
        f"{POST}:10: lỗi: ảnh '\\server\\share\\x.jpg' {on_computer} — {LOCAL_IMAGE_HINT}",
        f"{POST}:14: lỗi: liên kết 'file:///D:/Tai%20lieu/ke-hoach.docx' {on_computer} — chép tệp vào cùng thư "
        "mục với bài viết rồi chỉ viết tên tệp, ví dụ [Tải về](ke-hoach.pdf)",
        f"{POST}:12: lỗi: ảnh '/home/lan/anh.jpg' {on_computer} — {LOCAL_IMAGE_HINT}",
    ]
    assert result.posts == []


def test_every_problem_of_a_post_is_listed_in_one_reading(root: Path):
    write(root, POST, front("date: 2025-02-30", "draft: có", "to: Tổ Thể dục",
                            body="![Ảnh](<anh khong co.jpg>)\n\n[Mục](#khong-co)\n"))
    result = read(root)
    assert link_problems(result) == [
        f"{POST}:3: lỗi: 'draft' phải là true hoặc false, không phải 'có' — viết 'draft: true' hoặc 'draft: false'",
        f"{POST}:1: lỗi: bài viết thiếu tiêu đề — thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài",
        f"{POST}:2: lỗi: ngày '2025-02-30' không có thật (tháng 2 không có ngày 30) — kiểm tra lại ngày, tháng",
        f"{POST}:4: cảnh báo: tổ 'Tổ Thể dục' không có trong danh sách tổ của đơn vị — "
        "chọn một trong: Tổ Toán – Tin | Tổ Ngữ văn – Lịch sử",
        f"{POST}:7: lỗi: không tìm thấy ảnh 'anh khong co.jpg' — {MISSING_HINT}",
        f"{POST}:9: cảnh báo: liên kết '#khong-co' trỏ tới mục không có trong trang này — viết đúng tên mục "
        "(tiêu đề viết thường, thay khoảng trắng bằng '-') hoặc bỏ phần '#…'",
    ]
    assert result.posts == []


def test_a_missing_anchor_is_a_warning_with_a_did_you_mean(root: Path):
    write(root, POST, front("title: Bài", "date: 2025-09-05",
                            body="## Mục tiêu\n\nXem [mục tiêu](#muc-tieux).\n"))
    result = read(root)
    assert link_problems(result) == [f"{POST}:8: cảnh báo: liên kết '#muc-tieux' trỏ tới mục không có trong "
                                     "trang này — có phải ý bạn là '#muc-tieu'?"]
    assert [p.title for p in result.posts] == ["Bài"]


def test_an_anchor_of_another_page_is_looked_for_in_that_page(root: Path):
    write(root, "content/thcs-a/gioi-thieu/index.md", "# Giới thiệu\n\n## Lịch sử\n\n## Sứ mệnh\n")
    write(root, POST, front("title: Bài", "date: 2025-09-05", body=(
        "[Lịch sử](../../../gioi-thieu/index.md#lich-su) và [sứ mệnh](../../../gioi-thieu/index.md#su-menh)\n\n"
        "[Tầm nhìn](../../../gioi-thieu/index.md#tam-nhin)\n")))
    assert link_problems(read(root)) == [
        f"{POST}:8: cảnh báo: liên kết '../../../gioi-thieu/index.md#tam-nhin' trỏ tới mục không có trong trang "
        "'index.md' — viết đúng tên mục (tiêu đề viết thường, thay khoảng trắng bằng '-') hoặc bỏ phần '#…'"]


def test_links_to_a_folder_or_to_a_post_not_published_are_warnings(root: Path):
    write(root, "content/thcs-a/gioi-thieu/index.md", "# Giới thiệu\n\nTrường THCS A.\n")
    write(root, f"{FOLDER}/nhap.md", front("title: Nháp", "date: 2025-09-04", "draft: true"))
    write(root, POST, front("title: Bài", "date: 2025-09-05",
                            body="Xem [giới thiệu](../../../gioi-thieu/) và [bài nháp](nhap.md).\n"))
    result = read(root)
    assert link_problems(result) == [
        f"{POST}:6: cảnh báo: liên kết '../../../gioi-thieu/' trỏ tới một thư mục, không tới một trang hay tệp — "
        "có phải ý bạn là '../../../gioi-thieu/index.md'? (liên kết được giữ nguyên, người đọc bấm vào sẽ gặp "
        "trang lỗi)",
        f"{FOLDER}/nhap.md:4: lưu ý: bài 'Nháp' đang là bản nháp nên chưa đăng — khi bài đã viết xong, "
        "sửa thành 'draft: false'",
        f"{POST}:6: cảnh báo: liên kết 'nhap.md' trỏ tới bài chưa được đăng (bản nháp, chưa duyệt, hẹn ngày hoặc "
        "có lỗi) — đăng bài đó trước hoặc bỏ liên kết: người đọc bấm vào sẽ gặp trang lỗi",
    ]
    assert sorted(p.title for p in result.posts) == ["Bài", "Nháp"]


def test_check_lists_three_problems_of_one_post_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = complete_school(tmp_path / "net")
    write(root, f"{FOLDER}/anh.jpg", b"jpeg")
    write(root, f"{FOLDER}/ba-loi.md", front("title: Ba lỗi", "date: 2025-09-06", body=(
        "![Một](<anh khong co.jpg>)\n\n![Hai](Anh.JPG)\n\n![Ba](C:\\Users\\Lan\\anh.jpg)\n")))
    code = main(["--root", str(root), "check", "thcs-a"])
    lines = [line for line in capsys.readouterr().out.splitlines() if ": đã bỏ " not in line]
    assert code == 1
    assert lines[1:4] == [
        f"{FOLDER}/ba-loi.md:6: lỗi: không tìm thấy ảnh 'anh khong co.jpg' — {MISSING_HINT}",
        f"{FOLDER}/ba-loi.md:8: lỗi: không tìm thấy ảnh 'Anh.JPG' — có phải ý bạn là 'anh.jpg'? {CASE}",
        f"{FOLDER}/ba-loi.md:10: lỗi: ảnh 'C:\\Users\\Lan\\anh.jpg' là đường dẫn trên máy tính của bạn, người đọc "
        f"không mở được — {LOCAL_IMAGE_HINT}",
    ]
    assert lines[-1].startswith("Đã kiểm tra 1 đơn vị, 2 bài viết: 3 lỗi, ")


def test_check_reads_the_markdown_extensions_mkdocs_loads_for_the_build():
    from mkdocs.config import load_config

    repo = Path(__file__).resolve().parents[2]
    for config_file in (repo / "sites" / "mn-hoa-sen" / "mkdocs.yml", repo / "mkdocs.yml"):
        loaded = load_config(str(config_file))
        as_built = MarkdownSetup.from_settings(loaded.markdown_extensions, loaded.mdx_configs)
        assert as_built.fingerprint() == MarkdownSetup.for_config_file(config_file).fingerprint()


def test_links_kept_from_an_earlier_run_never_hide_a_new_problem(root: Path):
    write(root, f"{FOLDER}/anh.jpg", b"jpeg")
    write(root, POST, front("title: Bài", "date: 2025-09-05", body="![Ảnh](anh.jpg)\n"))
    assert link_problems(read(root)) == []
    assert (root / ".cache" / "trangtin" / "links" / "thcs-a.pickle").is_file()
    assert link_problems(read(root)) == []  # read from the cache

    write(root, POST, front("title: Bài", "date: 2025-09-05", body="![Ảnh](<anh moi.jpg>)\n"))
    assert link_problems(read(root)) == [
        f"{POST}:6: lỗi: không tìm thấy ảnh 'anh moi.jpg' — có phải ý bạn là 'anh.jpg'?"]


def test_a_link_cache_that_cannot_be_written_never_stops_a_reading(root: Path):
    write(root, ".cache/trangtin/links", b"a file where the cache folder would be")
    write(root, POST, front("title: Bài", "date: 2025-09-05", body="![Ảnh](<anh moi.jpg>)\n"))
    assert link_problems(read(root)) == [f"{POST}:6: lỗi: không tìm thấy ảnh 'anh moi.jpg' — {MISSING_HINT}"]


@pytest.mark.parametrize("target", ["jav\tascript:alert(1)", "java\nscript:alert(1)", " JAVASCRIPT:x", "\x01data:x"])
def test_a_scheme_hidden_with_spaces_or_controls_is_not_a_file_of_the_site(target: str):
    assert not Reference(1, target, False).is_relative
    assert Reference(1, "anh chup.jpg", True).is_relative


def test_fenced_code_is_read_without_colouring_unless_its_lines_are_anchored() -> None:
    """The reader leaves Pygments out (a formatter a block, half a millisecond each): a code
    block holds no link and no id — unless the site anchors its lines, then the ids count."""
    body = "# Lịch\n\n```python\nx = '[a](b.md)'\n```\n\n[lịch](#lich)\n"
    plain = MarkdownSetup.from_settings(["pymdownx.superfences", "toc"])
    assert parse_body(plain.markdown(), body) == ParsedBody((Reference(7, "#lich", False),), frozenset({"lich"}))
    assert plain.markdown().convert(body).count("<span") == 0
    anchored = MarkdownSetup.from_settings([{"pymdownx.highlight": {"anchor_linenums": True}},
                                            "pymdownx.superfences", "toc"])
    assert "__codelineno-0-1" in parse_body(anchored.markdown(), body).anchors


def test_anchors_are_read_only_where_a_link_names_one(tmp_path: Path) -> None:
    """Headings' ids (the table of contents, a quarter of a reading) are read only for a body
    with a link naming an anchor, or for a page another page links into with '#…'."""
    reader = LinkReader(SHARED_EXTENSIONS)
    plain = reader.read("## Kế hoạch\n\nXem ![ảnh](anh.jpg).\n", first_line=5)
    assert plain.references == (Reference(7, "anh.jpg", True),) and plain.anchors is None
    inside = reader.read("## Kế hoạch\n\nXem [mục](#ke-hoach) và [mục khác](#khong-co).\n")
    assert inside.anchors is not None and "ke-hoach" in inside.anchors
    assert reader.judge(inside.references[0], inside, tmp_path, tmp_path) == (None, None)
    _, problem = reader.judge(inside.references[1], inside, tmp_path, tmp_path)
    assert problem is not None and "#khong-co" in problem.message
    page = tmp_path / "trang.md"
    page.write_text("# Trang\n\n## Lịch học\n", encoding="utf-8")
    assert {"trang", "lich-hoc"} <= reader.anchors_of(page)
    assert reader.read("## Kế hoạch\n\nXem ![ảnh](anh.jpg).\n", anchors=True).anchors == frozenset({"ke-hoach"})
