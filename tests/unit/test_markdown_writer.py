"""The Markdown written from a Word document's HTML: text stays text once rendered with the sites'
own extensions (no raw HTML, no accidental list, heading, table or link), structure is kept."""

from __future__ import annotations

import markdown
import pytest
import yaml
from lxml import html

from tests.conftest import REPO
from trangtin.content.markdown_writer import PICTURE_SCHEME, Picture, Writer, parse


def site_extensions() -> list[str]:
    settings = yaml.safe_load((REPO / "shared_theme/base.yml").read_text(encoding="utf-8"))
    return list(settings["markdown_extensions"])


def write(markup: str) -> str:
    def picture(number: int, alt: str, caption: str) -> Picture:
        return Picture(number, f"anh-{number}.jpg", alt or caption or f"ảnh {number}")
    return Writer(picture).document(parse(markup))


def rendered(markup: str) -> html.HtmlElement:
    return html.fromstring(f"<div>{markdown.markdown(write(markup), extensions=site_extensions())}</div>")


@pytest.mark.parametrize("words", [
    "<script>alert(1)</script> và <b>đậm</b>",
    "1. không phải danh sách",
    "# không phải tiêu đề",
    "- không phải gạch đầu dòng",
    "+ cũng không",
    "> không phải trích dẫn",
    "!!! note \"không phải hộp ghi chú\"",
    ": không phải định nghĩa",
    "====",
    "| a | b |",
    "[liên kết](javascript:alert(1)) và ![ảnh](x.jpg) và <https://example.com>",
    "*sao* _gạch_ `mã` ~~gạch ngang~~ {: .lop} [^1] &amp; &lt;b&gt;",
    "Toán & Tin, 3 < 5 > 2, “ngoặc kép cong” và ‘đơn’",
])
def test_text_is_shown_as_written(words: str):
    escaped = words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    tree = rendered(f"<p>{escaped}</p>")
    assert [child.tag for child in tree] == ["p"]
    assert not tree[0].getchildren(), write(f"<p>{escaped}</p>")
    assert tree[0].text_content() == words


def test_manual_line_breaks_are_kept_and_every_line_stays_text():
    tree = rendered("<p>Địa điểm: thư viện<br />1. Thời gian: 7 giờ<br /><br />- Lớp 6A</p>")
    (paragraph,) = tree
    assert [child.tag for child in paragraph] == ["br", "br"]
    assert paragraph.text_content() == "Địa điểm: thư viện\n1. Thời gian: 7 giờ\n- Lớp 6A"


def test_structure_is_kept():
    markup = ("<h1>Chuẩn bị</h1><p>Chữ <strong>đậm </strong>và<em> nghiêng</em>.</p><p></p><p> \u00a0</p>"
              "<ul><li>một<ul><li>một rưỡi</li></ul></li><li>hai</li></ul><ol><li>Khai mạc</li><li>Bế mạc</li></ol>"
              "<table><tr><td><p>Lớp</p></td><td><p>Số | sách</p></td></tr><tr><td><p>6A</p></td></tr></table>"
              "<p><a href=\"https://example.edu.vn/a b\">trang</a> <a href=\"javascript:alert(1)\">xấu</a> "
              "<a href=\"#_Toc1\">mục lục</a><a id=\"dau-trang\"></a></p>"
              f"<p><img src=\"{PICTURE_SCHEME}1\" alt=\"\" /></p><p class=\"caption\">Chú thích ảnh</p>"
              "<p><img src=\"https://example.com/theo-doi.gif\" /></p>")
    tree = rendered(markup)
    # Bullets then numbers stay two lists (a comment between them, which the page never shows).
    assert [child.tag for child in tree if isinstance(child.tag, str)] == [
        "h2", "p", "ul", "ol", "table", "p", "p", "p"]
    tree = html.fromstring(html.tostring(tree, encoding="unicode").replace("<!-- -->", ""))
    assert tree.xpath("string(//p[1]/strong)") == "đậm" and tree.xpath("string(//p[1]/em)") == "nghiêng"
    assert tree[1].text_content() == "Chữ đậm và nghiêng."
    assert [li.text for li in tree.xpath("//ul/li")] == ["một", "một rưỡi", "hai"]
    assert tree.xpath("//ul/li/ul/li/text()") == ["một rưỡi"]
    assert tree.xpath("//ol/li/text()") == ["Khai mạc", "Bế mạc"]
    assert [[cell.text_content() for cell in row] for row in tree.xpath("//tr")] == [
        ["Lớp", "Số | sách"], ["6A", ""]]
    assert [(a.get("href"), a.text) for a in tree.iter("a")] == [("https://example.edu.vn/a%20b", "trang")]
    assert tree[5].text_content() == "trang xấu mục lục"
    assert [(img.get("src"), img.get("alt")) for img in tree.iter("img")] == [("anh-1.jpg", "Chú thích ảnh")]
    assert tree.xpath("string(//p[last()]/em)") == "Chú thích ảnh"


def test_no_raw_html_is_written():
    written = write("<p>&lt;iframe src=x&gt;&lt;/iframe&gt; &lt;!-- ghi chú --&gt; &amp;copy;</p>")
    assert "<" not in written
    shown = html.fromstring(markdown.markdown(written)).text_content()
    assert shown == "<iframe src=x></iframe> <!-- ghi chú --> &copy;"


def test_a_link_target_stays_one_link_whatever_it_holds():
    tree = rendered('<p><a href="https://example.edu.vn/a&#10;b\tc&gt;d)">xem</a></p>')
    assert [(a.get("href"), a.text) for a in tree.iter("a")] == [("https://example.edu.vn/a%0Ab%20c%3Ed)", "xem")]
