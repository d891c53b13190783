"""Fragments shared between pages: one key only when every link comes out the same."""

from __future__ import annotations

import itertools

from mkdocs.utils import normalize_url

from trangtin.common.text import fold
from trangtin.site.fragments import Fragments
from trangtin.site.search import words

TARGETS = ["tin-tuc/chuyen-muc/hoat-dong/", "tin-tuc/chuyen-muc/thong-bao/", "tin-tuc/to/to-toan/",
           "tin-tuc/thang/2025/09/", "tin-tuc/thang/2024/12/"]
PAGES = ["", "tin-tuc/", "tin-tuc/trang/2/", "tin-tuc/trang/3/", "tin-tuc/chuyen-muc/hoat-dong/",
         "tin-tuc/chuyen-muc/hoat-dong/trang/2/", "tin-tuc/chuyen-muc/thong-bao/trang/2/",
         "tin-tuc/to/to-toan/", "tin-tuc/to/to-van/", "tin-tuc/thang/2025/09/",
         "tin-tuc/thang/2025/10/", "tin-tuc/thang/2024/12/", "gioi-thieu/", "a/b/c/d/e/",
         "tin-tuc/trang/2/index.html", "tin-tuc/trang/3/index.html", "../x/", "/tuyet-doi/"]


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


def _links(page_url: str) -> list[str]:
    return [normalize_url(t, page=_Page(page_url)) for t in TARGETS]  # type: ignore[arg-type]


def test_pages_share_a_key_exactly_when_their_links_are_the_same() -> None:
    fragments = Fragments()
    keys = {page: fragments.link_key("nav", page, lambda: TARGETS) for page in PAGES}
    for a, b in itertools.combinations(PAGES, 2):
        if keys[a] == keys[b]:
            assert _links(a) == _links(b), (a, b)
    # Sharing happens: the news pages 2 and 3 have the same links, so the same key.
    assert keys["tin-tuc/trang/2/"] == keys["tin-tuc/trang/3/"]
    assert keys["tin-tuc/chuyen-muc/hoat-dong/"] != keys["tin-tuc/chuyen-muc/thong-bao/trang/2/"]


def test_a_target_that_is_not_a_plain_path_shares_nothing() -> None:
    fragments = Fragments()
    targets = [*TARGETS, "https://example.org/"]
    assert (fragments.link_key("nav", "tin-tuc/trang/2/", lambda: targets)
            != fragments.link_key("nav", "tin-tuc/trang/3/", lambda: targets))


def test_a_fragment_is_rendered_once_per_key() -> None:
    fragments = Fragments()
    calls: list[str] = []

    def render(name: str) -> str:
        calls.append(name)
        return f"<p>{name}</p>"

    assert fragments.once(("card", 1), render, "a") == "<p>a</p>"
    assert fragments.once(("card", 1), render, "b") == "<p>a</p>"
    assert fragments.once(("card", 2), render, "b") == "<p>b</p>"
    assert calls == ["a", "b"]


def test_search_words_are_folded_token_by_token_as_the_whole_text_would_be() -> None:
    import re

    texts = ["Lễ khai giảng năm học 2025–2026", "Đại hội\u00a0Chi bộ", "e\u0301 x\u0300\u0301y",
             "ĐOÀN\tTHANH NIÊN\n\nđoàn viên", "  ", "Hội thi \u201cGiáo viên dạy giỏi\u201d cấp trường"]
    for value in texts:
        whole = list(dict.fromkeys(re.findall(r"[0-9a-z]+", fold(value))))
        assert words(value) == whole


def test_forgetting_a_post_renders_only_its_fragments_again() -> None:
    fragments = Fragments()
    edited, other = object(), object()
    rendered: list[str] = []

    def render(name: str) -> str:
        rendered.append(name)
        return f"<li>{name}</li>"

    for post, name in ((edited, "edited"), (other, "other")):
        fragments.once(("card", post, "h3"), render, name)
    fragments.forget(edited)
    assert fragments.once(("card", edited, "h3"), render, "edited again") == "<li>edited again</li>"
    assert fragments.once(("card", other, "h3"), render, "not asked") == "<li>other</li>"
    assert rendered == ["edited", "other", "edited again"]
