"""Control characters (NUL, BEL, ESC, C1, lone surrogates, U+FFFE/U+FFFF) never pass: removed
from teachers' files with a warning naming the line, refused in network.yml with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_content import NETWORK, POST, make_network, read, rendered, write
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
    (b"<t>&#7;&#x1B;&#x85;&#xD800;&#xFFFE;&#x110000;&#233;&#xe9;&amp;</t>", b"<t>&#233;&#xe9;&amp;</t>"),
    ('{"title": "Th\x07ông báo"}'.encode(), '{"title": "Thông báo"}'.encode()),
    ("<t>x</t>".encode("utf-16"), "<t>x</t>".encode("utf-16")),
], ids=["raw", "references", "json", "utf-16-untouched"])
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
