"""The search index: Vietnamese typed without diacritics finds pages written with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.site import search
from trangtin.site.search import SearchDoc

DOCS = [
    SearchDoc("Lễ khai giảng năm học 2025–2026", "tin-tuc/2025/09/le-khai-giang/",
              "Sáng 5/9, nhà trường tổ chức lễ khai giảng.", "Sáng 5/9…", "2025-09-05"),
    SearchDoc("Đại hội Liên đội nhiệm kỳ 2025–2026", "tin-tuc/2025/10/dai-hoi-lien-doi/",
              "Đại hội đã bầu Ban chỉ huy Liên đội mới.", "", "2025-10-02"),
    SearchDoc("Giới thiệu", "gioi-thieu/", "Trường THCS An Bình được thành lập năm 1985."),
    SearchDoc("Hội thi giáo viên dạy giỏi", "tin-tuc/2025/11/hoi-thi/",
              "Các thầy cô của trường dự thi.", "", "2025-11-20"),
]


def titles(index: dict, query: str) -> list[str]:
    return [d["t"] for d in search.search(index, query)]


def index() -> dict:
    return search.build_index("thcs", "Trường THCS", "https://thcs.example.edu.vn/", DOCS)


def test_words_fold_diacritics_and_d() -> None:
    assert search.words("Lễ khai giảng") == ["le", "khai", "giang"]
    assert search.words("ĐẠI HỘI đại hội") == ["dai", "hoi"]
    assert search.words("trường") == ["truong"]


def test_khai_giang_finds_le_khai_giang() -> None:
    assert titles(index(), "khai giang")[0] == "Lễ khai giảng năm học 2025–2026"


def test_truong_finds_truong_in_titles_and_text() -> None:
    found = titles(index(), "truong")
    assert "Giới thiệu" in found and "Lễ khai giảng năm học 2025–2026" in found
    assert "Hội thi giáo viên dạy giỏi" in found  # "trường" in its text


def test_dai_hoi_finds_dai_hoi() -> None:
    assert titles(index(), "dai hoi") == ["Đại hội Liên đội nhiệm kỳ 2025–2026"]


def test_query_with_diacritics_works_too() -> None:
    assert titles(index(), "Đại hội")[0] == "Đại hội Liên đội nhiệm kỳ 2025–2026"


def test_every_word_must_match_and_prefixes_count() -> None:
    assert titles(index(), "khai hoi") == []
    assert titles(index(), "khai gia")[0] == "Lễ khai giảng năm học 2025–2026"
    assert titles(index(), "   ") == []


def test_index_is_compact_and_newest_first() -> None:
    built = index()
    first = built["docs"][0]
    assert first == {"t": "Hội thi giáo viên dạy giỏi", "u": "tin-tuc/2025/11/hoi-thi/",
                     "d": "2025-11-20"}
    khai = next(n for n, d in enumerate(built["docs"]) if d["u"].endswith("le-khai-giang/"))
    assert khai in search.decode(built["words"]["khai"])
    assert search.decode(built["words"]["truong"]) == sorted(search.decode(built["words"]["truong"]))
    assert len(search.decode(built["words"]["truong"])) == 3


def test_postings_are_gaps() -> None:
    assert search.encode([3, 4, 10]) == "3,1,6"
    assert search.decode("3,1,6") == [3, 4, 10]
    assert search.decode(search.encode([0])) == [0]


def test_html_text_skips_scripts_and_keeps_alt() -> None:
    html = '<p>Lễ <b>khai giảng</b></p><script>var x = "no";</script><img alt="Học sinh">'
    assert search.html_text(html) == "Lễ khai giảng Học sinh"


@pytest.mark.parametrize("html", [
    '<p>a<img alt="x &amp;lt; y" src=a>b</p>', "<p>AT&T &amp; <b>c</b>d</p><!-- x <b>y</b> -->e",
    "<p>1</p><SCRIPT type='x'>var a = '<p>';</SCRIPT>2<style>p{}</style><template><p>t</p></template>3",
    "<IMG ALT='Q'>", '<img src="a.jpg" alt=anh/>', '<p title="a > b">c</p>', "<p>Đại&nbsp;hội<br/>chi bộ</p>",
])
def test_html_text_reads_converted_markdown_as_an_html_parser_does(html: str) -> None:
    """The pattern reader of the build gives the parser's text (the parser stays for whole pages)."""
    parser = search._TextParser()
    parser.feed(html)
    parser.close()
    assert search.html_text(html) == " ".join(" ".join(parser.parts).split())


def test_portal_merges_its_units(tmp_path: Path) -> None:
    school = index()
    path = tmp_path / "thcs" / search.INDEX_FILE
    size = search.write_index(path, school)
    assert size == path.stat().st_size and "Đại hội" in path.read_text(encoding="utf-8")
    portal = search.build_index("xa", "Xã", "https://xa.example.gov.vn/",
                                [SearchDoc("Tin của xã", "tin-tuc/x/", "Hội nghị của xã")])
    merged = search.merge(portal, [search.read_index(path)])
    assert [s["id"] for s in merged["sites"]] == ["xa", "thcs"]
    dai_hoi = search.search(merged, "dai hoi")
    assert dai_hoi[0]["s"] == 1 and dai_hoi[0]["u"] == "tin-tuc/2025/10/dai-hoi-lien-doi/"
    assert search.search(merged, "xa")[0]["t"] == "Tin của xã"


def test_unreadable_index_is_skipped(tmp_path: Path) -> None:
    broken = tmp_path / "search.json"
    broken.write_text("{not json", encoding="utf-8")
    assert search.read_index(broken) is None
    assert search.read_index(tmp_path / "missing.json") is None
    assert search.merge(index(), [{"v": 99, "sites": [], "docs": []}]) == index()


def test_article_text_reads_only_the_main_article() -> None:
    page = ('<nav>Trang chủ</nav><article class="md-content__inner md-typeset"><h1>Văn bản</h1>'
            '<article class="tt-card">Kế hoạch</article><table><tr><td>123/KH-THCS</td></tr></table>'
            '<script>var x;</script></article><footer>Địa chỉ</footer>')
    assert search.article_text(page) == "Văn bản Kế hoạch 123/KH-THCS"
    assert search.article_text("<p>no article</p>") == ""
