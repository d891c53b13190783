"""One Markdown converter per build renders every page exactly as MkDocs' own per-page converter."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from trangtin.site import markdown_pages

REPO = Path(__file__).resolve().parents[2]

FIRST = """\
# Hội khỏe Phù Đổng

Trường tổ chức hội thi[^1] cho học sinh THCS, xem [kết quả](b.md#ket-qua) và [mục dưới](#lich-thi).

## Lịch thi

<div id="bang-vang" markdown>
**Bảng vàng** của THCS
</div>

*[THCS]: Trung học cơ sở

[^1]: Theo kế hoạch số 12/KH-THCS.
"""

SECOND = """\
# Kết quả

Học sinh THCS đạt nhiều giải[^1][^2].

## Lịch thi

```python
print("Lịch thi")
```

[^1]: Giải nhất bóng đá.
[^2]: Giải nhì cờ vua.
"""

THIRD = "Không có tiêu đề, không có chú thích, chỉ một dòng về THCS.\n"


@pytest.fixture()
def config() -> MkDocsConfig:
    return load_config(str(REPO / "sites" / "mn-hoa-sen" / "mkdocs.yml"))


def _pages(config: MkDocsConfig, texts: list[str]) -> tuple[list[Page], Files]:
    files = Files([_file(config, f"{name}.md") for name in "abcdefgh"[:len(texts)]])
    pages = []
    for file, text in zip(files, texts, strict=True):
        page = Page(None, file, config)
        page.markdown = text
        pages.append(page)
    return pages, files


def _file(config: MkDocsConfig, src_uri: str) -> File:
    return File(src_uri, src_dir=config.docs_dir, dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls)


def _rendered(page: Page) -> tuple[Any, ...]:
    return (page.content, str(page.toc), _toc_ids(page.toc), page._title_from_render,
            page.present_anchor_ids,
            {file.src_uri: links for file, links in (page.links_to_anchors or {}).items()})


def _toc_ids(items: Iterable[AnchorLink]) -> list[str]:
    return [id_ for item in items for id_ in (item.id, *_toc_ids(item.children))]


def _both_ways(config: MkDocsConfig, texts: list[str]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Each text rendered by MkDocs' own Page.render and, in order, by one reused converter."""
    fresh_pages, files = _pages(config, texts)
    for page in fresh_pages:
        page.render(config, files)
    reused_pages, files = _pages(config, texts)
    converter = markdown_pages.PageConverter()
    for page in reused_pages:
        converter.take_over(page)
        page.render(config, files)
    return [_rendered(p) for p in fresh_pages], [_rendered(p) for p in reused_pages]


def test_mkdocs_page_render_is_still_the_code_the_converter_copies():
    # If this fails, MkDocs' Page.render changed: compare it with PageConverter.render, update
    # the copy and KNOWN_RENDER. Until then every page is rendered by MkDocs itself (slower).
    assert markdown_pages.render_is_known()


def test_pages_rendered_by_one_converter_are_those_of_a_new_converter_each(config: MkDocsConfig):
    texts = [FIRST, SECOND, THIRD, "", FIRST, SECOND]
    fresh, reused = _both_ways(config, texts)
    assert reused == fresh
    first, second, third = reused[0], reused[1], reused[2]
    assert "<abbr" in str(first[0])
    assert "<abbr" not in str(second[0]) and "<abbr" not in str(third[0])  # THCS defined on page a only
    assert str(second[0]).count('class="footnote-ref"') == 2
    assert "Theo kế hoạch" not in str(second[0])
    assert second[2] == ["ket-qua", "lich-thi"] and second[3] == "Kết quả"
    assert third[2] == [] and third[3] is None and third[4] == set()
    assert "bang-vang" in first[4] and "bang-vang" not in second[4]
    assert first[5]["b.md"] == {"ket-qua": "b.md#ket-qua"}
    assert "lich-thi" in first[5]["a.md"]
    assert second[5] == {"b.md": {"fn:1": "#fn:1", "fn:2": "#fn:2", "fnref:1": "#fnref:1", "fnref:2": "#fnref:2"}}


def test_footnotes_with_unique_ids_are_numbered_as_by_a_new_converter(config: MkDocsConfig):
    config.mdx_configs["footnotes"] = {"UNIQUE_IDS": True}
    fresh, reused = _both_ways(config, [FIRST, SECOND, FIRST])
    assert reused == fresh
    assert 'id="fn:2-1"' in str(reused[2][0])


def test_a_page_of_another_class_keeps_its_own_render(config: MkDocsConfig):
    class OtherPage(Page):
        def render(self, config: MkDocsConfig, files: Files) -> None:
            self.content = "<p>khác</p>"

    file = _file(config, "a.md")
    page = OtherPage(None, file, config)
    page.markdown = FIRST
    markdown_pages.PageConverter().take_over(page)
    page.render(config, Files([file]))
    assert page.content == "<p>khác</p>"


LINKS = """\
# Tin có [liên kết](b.md) trong tiêu đề

Xem [kế hoạch](b.md#ket-qua "Kế hoạch"), [trang c](c.md), [tệp thiếu](khong-co.md),
[tuyệt đối](/gioi-thieu/), [ngoài](https://sgd.example.vn/?a=1&b=2), ![ảnh](anh%20chup.jpg)
và <a href="b.md">HTML giữ nguyên</a>, [mục](#muc) <https://example.vn/a&b>.

## Mục

[Ghi chú][gc] và `[không phải](liên-kết.md)`.

[gc]: c.md "Ghi chú & <thêm>"
"""

EMAIL = "Liên hệ <hieutruong@example.edu.vn> hoặc [trang c](c.md).\n"


def _ahead_way(config: MkDocsConfig, texts: list[str]) -> tuple[list[tuple[Any, ...]], int]:
    """Each text converted ahead (as while posts are read), then rendered for its page."""
    converter = markdown_pages.PageConverter()
    for text in texts:
        converter.pre_convert(config, text, lambda root: None)
    ahead = len(converter.pre_converted)
    pages, files = _pages(config, texts)
    for page in pages:
        converter.take_over(page)
        page.render(config, files)
    return [_rendered(p) for p in pages], ahead


def test_pages_converted_ahead_are_those_mkdocs_renders(config: MkDocsConfig, caplog: pytest.LogCaptureFixture):
    texts = [LINKS, FIRST, SECOND, THIRD, LINKS]
    fresh_pages, files = _pages(config, texts)
    with caplog.at_level("INFO", logger="mkdocs"):
        for page in fresh_pages:
            page.render(config, files)
        fresh_log = [(r.levelname, r.getMessage()) for r in caplog.records]
        caplog.clear()
        ahead, kept = _ahead_way(config, texts)
        ahead_log = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert kept == 4  # LINKS once: the same text is the same conversion
    assert ahead == [_rendered(p) for p in fresh_pages]
    assert ahead_log == fresh_log and any("khong-co.md" in message for _, message in fresh_log)
    links = str(ahead[0][0])
    assert 'href="../b/#ket-qua"' in links and 'href="../c/"' in links
    assert 'src="anh%20chup.jpg"' in links  # not found: left as written, with a warning
    assert 'href="b.md">HTML giữ nguyên' in links  # raw HTML is not MkDocs' to rewrite
    assert 'href="https://sgd.example.vn/?a=1&amp;b=2"' in links
    # The same text on two pages: one conversion, each page's own links to its anchors.
    assert ahead[4][0] == ahead[0][0] and ahead[4][5]["e.md"] == ahead[0][5]["a.md"] == {"muc": "#muc"}


def test_a_body_the_marks_cannot_carry_is_converted_for_its_page(config: MkDocsConfig):
    """Markdown writes an email address with its own '&' placeholders: that page is converted
    when rendered, as before; a mark character in a body, likewise."""
    marked = "Chữ \x1a lạ và [trang c](c.md).\n"
    converter = markdown_pages.PageConverter()
    for text in (EMAIL, marked):
        converter.pre_convert(config, text, lambda root: None)
    assert converter.pre_converted == {}
    fresh_pages, files = _pages(config, [EMAIL, marked])
    for page in fresh_pages:
        page.render(config, files)
    ahead, _ = _ahead_way(config, [EMAIL, marked])
    assert ahead == [_rendered(p) for p in fresh_pages]
    assert "&#104;" in str(ahead[0][0]) or "&#x" in str(ahead[0][0])  # the address, obfuscated
