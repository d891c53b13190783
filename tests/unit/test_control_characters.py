"""Control characters (NUL, BEL, ESC, C1, lone surrogates, U+FFFE/U+FFFF) never pass: removed
from teachers' files with a warning naming the line, refused in network.yml with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_content import NETWORK, POST, front, make_network, read, rendered, write
from tests.unit.test_network import problems
from trangtin.common.text import (
    control_characters_by_line,
    join_surrogate_pairs,
    without_control_bytes,
    without_control_characters,
)

HINT = "ký tự vô hình này thường theo chữ chép từ Word hoặc PDF; xem lại dòng này và gõ lại chữ nếu bị thiếu"
EVERY_KIND = "\x00\x07\x1b\x7f\x85\x9f\ud800\udfff\ufffe\uffff\x0b\x0c"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def test_every_kind_is_removed_and_tab_and_line_ends_are_kept():
    text = f"a{EVERY_KIND}b\tc\nd\re"
    assert without_control_characters(text) == "ab\tc\nd\re"
    assert control_characters_by_line("a\x07\n\nb\x1b\x07\x1b") == {1: ["U+0007"], 3: ["U+001B", "U+0007"]}


def test_surrogate_pairs_become_their_character_and_lone_ones_stay_to_be_removed():
    assert join_surrogate_pairs("\ud83c\udf93 \ud83c") == "🎓 \ud83c"


@pytest.mark.parametrize(("document", "expected"), [
    (b"<t>Chu\x07ong\x00 b\x1bao</t>", b"<t>Chuong bao</t>"),
    ("<t>Thông\x85 báo\uffff</t>".encode(), "<t>Thông báo</t>".encode()),
    ("<t>Thông\x07 báo</t>".encode("cp1258"), "<t>Thông báo</t>".encode("cp1258")),
    (b"<t>&#7;&#x1B;&#x85;&#xD800;&#xFFFE;&#x110000;&#233;&#xe9;&amp;</t>", b"<t>&#233;&#xe9;&amp;</t>"),
    ('{"title": "Th\x07ông báo"}'.encode(), '{"title": "Thông báo"}'.encode()),
    ("<t>x</t>".encode("utf-16"), "<t>x</t>".encode("utf-16")),
], ids=["raw", "utf-8", "code-page", "references", "json", "utf-16-untouched"])
def test_documents_lose_control_bytes_and_references_to_control_characters(document: bytes,
                                                                          expected: bytes):
    assert without_control_bytes(document) == expected


def test_a_post_keeps_its_text_without_control_characters_and_each_line_is_named(root: Path):
    data = ("---\ntitle: \"Thông\x07 báo\x1b[0m họp\u0085 phụ huynh\"\ndate: 2025-09-05\n---\n\n"
            "Kính mời\x00 quý phụ huynh.\n\nĐúng 7 giờ\ud800 \ufffe\x0c sáng.\n")
    write(root, POST, data.encode("utf-8", "surrogatepass"))
    result = read(root)
    assert rendered(result) == [
        f"{POST}:2: cảnh báo: ký tự điều khiển U+0007, U+001B, U+0085 ở dòng 2 đã bị bỏ — {HINT}",
        f"{POST}:6: cảnh báo: ký tự điều khiển U+0000 ở dòng 6 đã bị bỏ — {HINT}",
        f"{POST}:8: cảnh báo: ký tự điều khiển U+D800, U+FFFE, U+000C ở dòng 8 đã bị bỏ — {HINT}"]
    (post,) = result.posts
    assert post.title == "Thông báo[0m họp phụ huynh"
    assert post.body == "\nKính mời quý phụ huynh.\n\nĐúng 7 giờ  sáng.\n"


def test_a_file_full_of_control_characters_gets_a_few_lines_and_a_count(root: Path):
    body = "".join(f"Dòng {n}\x07\n" for n in range(30))
    write(root, POST, f"---\ntitle: Bài\ndate: 2025-09-05\n---\n\n{body}")
    messages = rendered(read(root))
    assert len(messages) == 11
    assert messages[-1] == (f"{POST}:16: cảnh báo: còn ký tự điều khiển ở 20 dòng khác (từ dòng 16), "
                            f"cũng đã bị bỏ — {HINT}")


def test_a_utf8_file_with_a_pair_of_encoded_surrogates_keeps_the_character(root: Path):
    emoji = "\ud83c\udf93".encode("utf-8", "surrogatepass")  # how Java writes 🎓
    write(root, POST, b"---\ntitle: L\xe1\xbb\x85 t\xe1\xbb\x91t nghi\xe1\xbb\x87p " + emoji
          + b"\ndate: 2025-09-05\n---\n\nN\xe1\xbb\x99i dung.\n")
    result = read(root)
    assert rendered(result) == []
    assert result.posts[0].title == "Lễ tốt nghiệp 🎓"


def test_control_characters_in_network_yml_are_refused_with_their_line(tmp_path: Path):
    path = tmp_path / "network.yml"
    path.write_text(NETWORK.format(approval="false").replace("Trường THCS A", "Trường\x07 THCS\x1b A"),
                    encoding="utf-8")
    assert problems(path) == ["network.yml:5: lỗi: dòng này có ký tự điều khiển vô hình U+0007, U+001B — "
                              "thường do chép chữ từ Word hoặc PDF: xóa rồi gõ lại dòng này"]


# --- feeds read from other sites and feeds written ----------------------------------------

DIRTY = "Th\x00ông\x07 báo\x1b[1m\x85 họp\ud800\ufffe"
ATOM_WITH_CONTROLS = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Trường</title>
<updated>2025-09-01T00:00:00Z</updated>
<entry><id>tag:atom.example,2025:1\x07</id><title>Th\x07ông &#27;báo\x1b &#x85;họp</title>
<updated>2025-09-01T00:00:00Z</updated><author><name>Cô\x00\uffff Lan\ufffe</name></author>
<category term="Tin\x0c tức"/><link rel="alternate" href="https://atom.example/tin/1/"/>
<content type="html">&lt;p&gt;Kính\x07 mời &#x1b;quý \x85phụ huynh&lt;/p&gt;</content></entry>
</feed>""".encode()


def remote_origin(tmp_path: Path, url: str):  # noqa: ANN201
    from tests.unit.test_feeds import small_network
    from trangtin.feeds.reader import Origin

    return Origin(small_network(tmp_path), "th-rss", url)


def test_an_atom_feed_with_control_characters_is_read_and_its_text_kept_without_them(tmp_path: Path):
    from trangtin.feeds.reader import parse

    origin = remote_origin(tmp_path, "https://atom.example/feed.xml")
    (item,) = parse(ATOM_WITH_CONTROLS, "application/atom+xml", origin).items
    assert item.title == "Thông báo họp"
    assert item.authors == ("Cô Lan",) and item.categories == ("Tin tức",)
    assert item.content_html == "<p>Kính mời quý phụ huynh</p>"
    assert control_characters_by_line(repr(item.id) + item.id) == {}


def test_a_json_feed_with_control_characters_is_read_and_its_text_kept_without_them(tmp_path: Path):
    import json

    from trangtin.feeds.reader import parse

    origin = remote_origin(tmp_path, "https://json.example/feed.json")
    item = {"id": "1\x07", "title": DIRTY, "content_html": f"<p>{DIRTY}</p>", "summary": DIRTY,
            "date_published": "2025-09-05T07:00:00+07:00", "tags": [DIRTY, "\x07"],
            "authors": [{"name": DIRTY}]}
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [item]}
    # escaped control characters and lone surrogates (valid JSON), and raw ones (not JSON)
    raw = json.dumps(document).encode().replace(b"\\u0000", b"\x00", 1).replace(b"\\u0007", b"\x07", 1)
    (parsed,) = parse(raw, "application/feed+json", origin).items
    clean = "Thông báo[1m họp"
    assert (parsed.title, parsed.summary, parsed.authors, parsed.categories) == (
        clean, clean, (clean,), (clean,))
    assert parsed.content_html == f"<p>{clean}</p>"


def test_written_feeds_are_well_formed_and_valid_whatever_text_reached_them():
    import json

    import jsonschema
    from lxml import etree

    from tests.unit.test_feeds import INFO, SCHEMAS, make_item
    from trangtin.feeds.writer import Entry, render_feeds

    dirty = make_item(1, title=DIRTY, summary=DIRTY, content_html=f"<p>{DIRTY}</p>", authors=(DIRTY,),
                      categories=(DIRTY,), tags=(DIRTY,), team=f"th-an-binh-to{DIRTY}",
                      url=f"https://th-anbinh.example.edu.vn/tin/{DIRTY}/")
    documents = render_feeds([Entry(dirty, dirty.url)], INFO)
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    atom = etree.fromstring(documents["feed.xml"])  # raises if not well-formed
    assert rng.validate(atom), rng.error_log
    assert atom.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title") == \
        "Thông báo[1m họp"
    feed = json.loads(documents["feed.json"])
    jsonschema.validate(feed, schema, format_checker=jsonschema.FormatChecker())
    assert feed["items"][0]["title"] == "Thông báo[1m họp"
    for payload in documents.values():
        assert control_characters_by_line(payload.decode("utf-8")) == {}


def test_control_characters_spelled_as_escapes_in_front_matter_are_removed_with_their_line(root: Path):
    write(root, POST, front('title: "Thông\\u0007 báo\\x1b"', "date: 2025-09-05", 'tags: ["a\\x00b"]'))
    result = read(root)
    assert [p.title for p in result.posts] == ["Thông báo"]
    assert result.posts[0].tags == ["ab"]
    assert [m for m in rendered(result) if "mã thoát" in m] == [
        f"{POST}:2: cảnh báo: chữ viết bằng mã thoát ở dòng 2 tạo ra ký tự điều khiển, đã bị bỏ — "
        "xóa các mã như \\u0007, \\x1b trong chữ của dòng này",
        f"{POST}:4: cảnh báo: chữ viết bằng mã thoát ở dòng 4 tạo ra ký tự điều khiển, đã bị bỏ — "
        "xóa các mã như \\u0007, \\x1b trong chữ của dòng này"]
