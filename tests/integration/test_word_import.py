"""``trangtin import``: Word documents built with python-docx and a folder of phone photos become
draft posts that pass ``check``, then build for real: the text matches the document, the pictures
are upright and carry no metadata, and nothing in the document reaches the page as HTML."""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import html as lxml_html
from PIL import Image

from trangtin.cli.main import main
from trangtin.content.sources import read_source

from ..conftest import copy_network
from ..unit.test_images import MARKERS, phone_jpeg
from .test_images_build import cls

UNIT = "thcs-an-binh"
TITLE = "Ngày hội đọc sách “Sách – người bạn”"
SLUG = "ngay-hoi-doc-sach-sach-nguoi-ban"
AUTHOR = "Nguyễn Thị Hoa"
PHOTO_ALT = "Học sinh đọc sách ở thư viện"
CAPTION = "Tranh vẽ của lớp 6B"
HOSTILE = "<script>alert(1)</script> và <img src=x onerror=alert(2)>"
PARAGRAPHS = [
    "Sáng thứ Hai, học sinh lớp 6A đã trang trí thư viện và giới thiệu sách.",
    "Xem thêm tại trang của Sở.",
    "Mọi lớp đều tham gia.",
    HOSTILE,
]


def nfd(words: str) -> str:
    return unicodedata.normalize("NFD", words)


def add_link(paragraph: object, url: str, words: str) -> None:
    """python-docx has no hyperlink API: the w:hyperlink element Word writes."""
    part = paragraph.part  # type: ignore[attr-defined]
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run, words_element = OxmlElement("w:r"), OxmlElement("w:t")
    words_element.text = words
    run.append(words_element)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


def word_report(path: Path, photos: Path) -> Path:
    """A teacher's report as Word saves it: Vietnamese in NFD (as pasted from a Mac), empty
    paragraphs, a manual line break, smart quotes, two pictures, and text that looks like HTML."""
    document = docx.Document()
    document.core_properties.author = AUTHOR
    document.add_paragraph(nfd(TITLE), style="Title")
    document.add_paragraph("")
    document.add_heading(nfd("Chuẩn bị"), level=1)
    paragraph = document.add_paragraph(nfd("Sáng thứ Hai, học sinh lớp 6A đã "))
    paragraph.add_run(nfd("trang trí")).bold = True
    paragraph.add_run(nfd(" thư viện và "))
    paragraph.add_run(nfd("giới thiệu sách")).italic = True
    paragraph.add_run(".")
    document.add_paragraph("   ")
    document.add_paragraph("")
    paragraph = document.add_paragraph(nfd("Địa điểm: thư viện trường"))
    paragraph.add_run().add_break()
    paragraph.add_run(nfd("Thời gian: 7 giờ 30"))
    for item in ("Đọc sách theo nhóm", "Vẽ tranh minh họa"):
        document.add_paragraph(nfd(item), style="List Bullet")
    for item in ("Khai mạc", "Tổng kết"):
        document.add_paragraph(nfd(item), style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, (klass, books) in enumerate((("Lớp", "Số sách"), ("6A", "120"), ("6B", "95"))):
        table.cell(row, 0).text, table.cell(row, 1).text = nfd(klass), books
    paragraph = document.add_paragraph(nfd("Xem thêm tại "))
    add_link(paragraph, "https://so-gd.example.edu.vn/doc-sach", nfd("trang của Sở"))
    paragraph.add_run(".")
    shape = document.add_picture(str(phone_jpeg(photos / "dien-thoai.jpg", size=(600, 400))), width=Cm(8))
    shape._inline.docPr.set("descr", nfd(PHOTO_ALT))
    drawing = photos / "tranh.png"
    Image.new("RGB", (300, 200), (20, 160, 60)).save(drawing)
    document.add_picture(str(drawing), width=Cm(6))
    document.add_paragraph(nfd(CAPTION), style="Caption")
    document.add_heading(nfd("Kết quả"), level=2)
    document.add_paragraph(nfd("Mọi lớp đều tham gia."))
    document.add_paragraph(HOSTILE)
    document.save(str(path))
    return path


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue(), err.getvalue()


def publish(root: Path, post: str) -> None:
    path = root / post
    text = path.read_text(encoding="utf-8").replace("draft: true ", "draft: false")
    path.write_text(text.replace("\n---\n", "\napproved_by: Trần Thị Bích Ngọc\n---\n", 1), encoding="utf-8")


def address(post: str) -> str:
    year, month, name = re.fullmatch(rf"content/{UNIT}/posts/(\d{{4}})/(\d\d)/(.+)\.md", post).groups()  # type: ignore[union-attr]
    return f"tin-tuc/{year}/{month}/{name}"


@dataclass
class Imported:
    root: Path
    post: str
    pictures: list[str]
    messages: str
    gallery: str
    gallery_pictures: list[str]
    gallery_messages: str

    def page(self, post: str) -> tuple[Path, lxml_html.HtmlElement]:
        path = self.root / "public" / UNIT / address(post) / "index.html"
        return path, lxml_html.fromstring(path.read_bytes())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    base = tmp_path_factory.mktemp("word")
    root = copy_network(base / "network")
    (base / "photos").mkdir()
    report = word_report(base / "bao-cao.docx", base / "photos")
    code, out, err = run(root, "import", UNIT, str(report), "--to", "to toan - tin",
                          "--category", "tin tuc - su kien")
    assert code == 0, err
    post, *pictures = out.splitlines()
    folder = base / "Hội thi vẽ tranh"
    folder.mkdir()
    for name in ("IMG_10.jpg", "IMG_2.JPG", "IMG_1.jpeg"):
        phone_jpeg(folder / name, size=(300, 200))
    (folder / "VID_3.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    code, out, gallery_err = run(root, "import", UNIT, str(folder))
    assert code == 0, gallery_err
    gallery, *gallery_pictures = out.splitlines()
    yield Imported(root, post, pictures, err, gallery, gallery_pictures, gallery_err)


@pytest.fixture(scope="module")
def built(imported: Imported) -> Imported:
    publish(imported.root, imported.post)
    publish(imported.root, imported.gallery)
    code, out, err = run(imported.root, "build", UNIT, "--jobs", "1")
    assert code == 0, out + err
    return imported


def test_the_document_becomes_a_draft_post_beside_its_pictures(imported: Imported):
    assert re.fullmatch(rf"content/{UNIT}/posts/\d{{4}}/\d\d/{SLUG}\.md", imported.post)
    folder = imported.post.rsplit("/", 1)[0]
    assert imported.pictures == [f"{folder}/{SLUG}-1.jpg", f"{folder}/{SLUG}-2.png"]
    source = read_source(imported.root / imported.post, imported.post)
    assert source.diagnostics == []
    meta = source.meta
    assert (meta["title"], meta["authors"], meta["to"], meta["categories"], meta["draft"]) == (
        TITLE, [AUTHOR], "Tổ Toán – Tin", ["Tin tức – Sự kiện"], True)
    body = source.body
    assert unicodedata.is_normalized("NFC", body)
    assert "“Sách – người bạn”" not in body  # the title is not repeated in the body
    assert "<" not in re.sub(r"\]\(<[^>]*>\)|<!-- -->", "", body), body  # pure Markdown, no raw HTML
    with Image.open(imported.root / imported.pictures[0]) as photo:  # the original, cleaned at build time
        assert photo.getexif()[0x0112] == 6


def test_check_runs_on_the_result_and_only_says_it_is_a_draft(imported: Imported):
    lines = [line for line in imported.messages.splitlines() if ": " in line and "content/" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{imported.post}:") and "bản nháp" in lines[0]
    assert "Đã nhập bài (bản nháp) với 2 ảnh" in imported.messages
    code, out, _ = run(imported.root, "check", UNIT)
    assert code == 0
    assert not [line for line in out.splitlines() if SLUG in line and (": lỗi:" in line or ": cảnh báo:" in line)]


def test_the_built_post_shows_the_text_of_the_document(built: Imported):
    _, tree = built.page(built.post)
    assert tree.findtext(".//h1").strip() == TITLE
    (body,) = tree.xpath(f"//*[{cls('tt-post__body')}]")
    text = body.text_content()
    assert unicodedata.is_normalized("NFC", text)
    paragraphs = [" ".join(p.text_content().split()) for p in body.iter("p")]
    for expected in PARAGRAPHS:
        assert expected in paragraphs
    assert not [p for p in body.iter("p") if not p.text_content().strip() and not len(p)]  # no empty paragraph
    assert [h.text_content().strip() for h in body.iter("h2")] == ["Chuẩn bị"]
    assert [h.text_content().strip() for h in body.iter("h3")] == ["Kết quả"]
    assert body.xpath("string(.//strong)") == "trang trí" and body.xpath("string(.//em[1])") == "giới thiệu sách"
    (broken,) = [p for p in body.iter("p") if "Địa điểm" in p.text_content()]
    assert [child.tag for child in broken] == ["br"]
    assert broken.text_content().split("\n") == ["Địa điểm: thư viện trường", "Thời gian: 7 giờ 30"]
    assert [li.text_content() for li in body.xpath(".//ul/li")] == ["Đọc sách theo nhóm", "Vẽ tranh minh họa"]
    assert [li.text_content() for li in body.xpath(".//ol/li")] == ["Khai mạc", "Tổng kết"]
    assert [[c.text_content().strip() for c in row] for row in body.xpath(".//table//tr")] == [
        ["Lớp", "Số sách"], ["6A", "120"], ["6B", "95"]]
    assert [(a.get("href"), a.text_content()) for a in body.xpath(".//a[starts-with(@href, 'https:')]")] == [
        ("https://so-gd.example.edu.vn/doc-sach", "trang của Sở")]
    assert not body.xpath(".//script | .//*[@onerror] | .//img[@src='x']")
    page = (built.root / "public" / UNIT / address(built.post) / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in re.sub(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", "", page)


def test_the_pictures_are_upright_without_metadata_with_their_descriptions(built: Imported):
    page, tree = built.page(built.post)
    images = tree.xpath(f"//*[{cls('tt-post__body')}]//picture//img")
    assert [img.get("alt") for img in images] == [PHOTO_ALT, CAPTION]
    for img, portrait in zip(images, (True, False), strict=True):
        for url in (part.split()[0] for part in img.get("srcset").split(",")):
            file = (page.parent / url).resolve()
            data = file.read_bytes()
            assert not any(marker in data for marker in MARKERS), url
            with Image.open(file) as image:
                assert (image.height > image.width) is portrait, url
                assert not image.getexif()


def test_a_second_import_of_the_same_document_never_overwrites(imported: Imported, tmp_path: Path):
    (tmp_path / "photos").mkdir()
    report = word_report(tmp_path / "bao-cao.docx", tmp_path / "photos")
    first = (imported.root / imported.post).read_bytes()
    code, out, err = run(imported.root, "import", UNIT, str(report))
    assert code == 0, err
    post, *pictures = out.splitlines()
    assert post == imported.post.replace(f"{SLUG}.md", f"{SLUG}-2.md")
    assert [p.rsplit("/", 1)[1] for p in pictures] == [f"{SLUG}-2-1.jpg", f"{SLUG}-2-2.png"]
    assert (imported.root / imported.post).read_bytes() == first
    for path in (post, *pictures):
        (imported.root / path).unlink()  # leave the module's network as it was


def test_a_folder_of_phone_photos_becomes_a_gallery(built: Imported):
    folder = built.gallery.rsplit("/", 1)[0]
    assert built.gallery == f"{folder}/hoi-thi-ve-tranh.md"
    assert [p.rsplit("/", 1)[1] for p in built.gallery_pictures] == [
        "hoi-thi-ve-tranh-1.jpeg", "hoi-thi-ve-tranh-2.jpg", "hoi-thi-ve-tranh-3.jpg"]
    assert "VID_3.mp4: cảnh báo: tệp này không phải ảnh" in built.gallery_messages
    meta = read_source(built.root / built.gallery, built.gallery).meta
    assert meta["title"] == "Hội thi vẽ tranh" and meta["gallery"] is True
    page, tree = built.page(built.gallery)
    (grid,) = tree.xpath(f"//ul[{cls('tt-gallery')}]")
    links = grid.xpath(f"./li/a[{cls('tt-gallery__link')}]")
    assert [a.get("data-caption") for a in links] == [f"Hội thi vẽ tranh – ảnh {n}" for n in (1, 2, 3)]
    for link in links:
        with Image.open((page.parent / link.get("href")).resolve()) as large:
            assert large.height > large.width and not large.getexif()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bao-cao.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "tệp Word 97–2003 (.doc) chưa nhập được"),
    ("bao-cao.odt", b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text",
     "tệp OpenDocument (.odt) chưa nhập được"),
    ("bao-cao.pdf", b"%PDF-1.7\n", "tệp PDF không chuyển lại thành bài viết được"),
    ("bao-cao.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "tệp này không phải tài liệu Word .docx"),
    ("ghi-chu.txt", b"Bai viet", "chỉ nhập được tệp Word (.docx) hoặc một thư mục ảnh"),
])
def test_other_types_are_refused_with_how_to_save_as_docx(tmp_path: Path, name: str, content: bytes,
                                                          message: str):
    root = copy_network(tmp_path / "network")
    (tmp_path / name).write_bytes(content)
    code, out, err = run(root, "import", UNIT, str(tmp_path / name))
    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith(f"{name}: lỗi: {message}")
    if name != "ghi-chu.txt":
        assert ".docx" in line.split(" — ", 1)[1]
    assert not list((root / "content" / UNIT / "posts").rglob("bao-cao*"))


def test_tcvn3_fonts_are_explained_with_unikey(tmp_path: Path):
    root = copy_network(tmp_path / "network")
    document = docx.Document()
    document.add_heading("Baùo caùo", level=1)
    run_ = document.add_paragraph().add_run("Tr\xad\xeang THCS An B\xccnh")
    run_.font.name = ".VnTime"
    document.save(str(tmp_path / "cu.docx"))
    code, out, err = run(root, "import", UNIT, str(tmp_path / "cu.docx"))
    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith("cu.docx: lỗi: tệp dùng phông chữ cũ .VnTime: chữ trong các phông này không phải Unicode")
    assert "Unikey" in line and "Nguồn: TCVN3 (ABC), Đích: Unicode" in line


def test_a_damaged_document_is_explained(tmp_path: Path):
    root = copy_network(tmp_path / "network")
    with zipfile.ZipFile(tmp_path / "hong.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body>")
    code, out, err = run(root, "import", UNIT, str(tmp_path / "hong.docx"))
    assert (code, out) == (1, "")
    assert err.splitlines() == ["hong.docx: lỗi: tệp Word bị hỏng, không đọc được nội dung — mở tệp bằng Word; "
                                "nếu Word sửa được thì lưu lại thành .docx rồi nhập lại"]


def as_drawing(path: Path) -> None:
    """The document's PNG turned into an EMF drawing, as Word stores a shape or a chart from Excel."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    media = next(name for name in parts if name.startswith("word/media/"))
    parts[media.rsplit(".", 1)[0] + ".emf"] = parts.pop(media)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="emf" ContentType="image/x-emf"/><Default ', 1)
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(media.removeprefix("word/").encode(),
                                      media.removeprefix("word/").rsplit(".", 1)[0].encode() + b".emf")
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def test_pasted_web_formatting_is_dropped_and_drawings_are_explained(tmp_path: Path):
    root = copy_network(tmp_path / "network")
    document = docx.Document()
    document.add_heading("Thông báo lịch họp", level=1)
    pasted = document.add_paragraph().add_run("Chữ dán từ trang web")
    pasted.font.name, pasted.font.size = "Arial", Pt(20)
    pasted.font.color.rgb, pasted.font.highlight_color = RGBColor(0xFF, 0, 0), WD_COLOR_INDEX.YELLOW
    Image.new("RGB", (30, 20)).save(tmp_path / "hinh.png")
    document.add_picture(str(tmp_path / "hinh.png"))
    document.save(str(tmp_path / "web.docx"))
    as_drawing(tmp_path / "web.docx")
    code, out, err = run(root, "import", UNIT, str(tmp_path / "web.docx"))
    assert code == 0, err
    (post,) = out.splitlines()  # no picture written
    source = read_source(root / post, post)
    assert (source.meta["title"], source.body.strip()) == ("Thông báo lịch họp", "Chữ dán từ trang web")
    assert ("web.docx: cảnh báo: ảnh thứ 1 trong tệp là hình vẽ của Word (image/x-emf), không đăng được nên "
            "đã bỏ qua — lưu hình đó thành ảnh PNG hoặc JPEG rồi chèn lại vào tệp Word") in err.splitlines()


def test_a_first_paragraph_in_bold_is_the_title_when_no_style_says_so(tmp_path: Path):
    root = copy_network(tmp_path / "network")
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph().add_run(nfd("KẾ HOẠCH TỔ CHỨC NGÀY HỘI STEM")).bold = True
    document.add_paragraph(nfd("Thực hiện kế hoạch năm học, tổ Khoa học tự nhiên tổ chức ngày hội."))
    document.save(str(tmp_path / "ke-hoach.docx"))
    code, out, err = run(root, "import", UNIT, str(tmp_path / "ke-hoach.docx"))
    assert code == 0, err
    (post,) = out.splitlines()
    assert post.endswith("/ke-hoach-to-chuc-ngay-hoi-stem.md")
    source = read_source(root / post, post)
    assert source.meta["title"] == "KẾ HOẠCH TỔ CHỨC NGÀY HỘI STEM"
    assert source.meta["authors"] == []  # python-docx's default author, like Word's "Admin", is not a person
    assert source.body.strip() == "Thực hiện kế hoạch năm học, tổ Khoa học tự nhiên tổ chức ngày hội."


def test_the_title_given_on_the_command_line_wins(tmp_path: Path):
    root = copy_network(tmp_path / "network")
    document = docx.Document()
    document.add_heading("Tiêu đề trong tệp", level=1)
    document.add_paragraph("Nội dung.")
    document.save(str(tmp_path / "bai.docx"))
    code, out, err = run(root, "import", UNIT, str(tmp_path / "bai.docx"), "--title", "Tiêu đề: do thầy cô đặt")
    assert code == 0, err
    (post,) = out.splitlines()
    source = read_source(root / post, post)
    assert post.endswith("/tieu-de-do-thay-co-dat.md") and source.meta["title"] == "Tiêu đề: do thầy cô đặt"
    assert source.body.strip() == "## Tiêu đề trong tệp\n\nNội dung."
