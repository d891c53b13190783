"""A home page as a news portal: featured story, grid and category blocks never repeat a post;
notices go to the side column; home_categories of network.yml is validated with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trangtin.common.diagnostics import TrangtinError
from trangtin.content.posts import Post
from trangtin.network.model import load_network
from trangtin.site.view import DEFAULT_HOME_CATEGORIES, HOME_GRID, home_layout

REPO = Path(__file__).resolve().parents[2]
ZONE = dt.timezone(dt.timedelta(hours=7))


def post(n: int, categories: list[str], *, highlight: bool = False, cover: str | None = None) -> Post:
    date = dt.datetime(2025, 11, 28, 8, tzinfo=ZONE) - dt.timedelta(days=n)
    return Post("thcs-an-binh", f"posts/2025/11/bai-{n}.md", Path(f"bai-{n}.md"), f"Bài {n}", date,
                "Nội dung.", slug=f"bai-{n}", categories=categories, highlight=highlight, cover=cover)


def newest_first(count: int, categories: list[str]) -> list[Post]:
    return [post(n, categories) for n in range(count)]


def test_featured_is_the_newest_highlight_with_a_cover() -> None:
    posts = [post(0, ["Tin tức – Sự kiện"]), post(1, ["Tin tức – Sự kiện"], highlight=True),
             post(2, ["Tin tức – Sự kiện"], highlight=True, cover="anh.jpg")]
    assert home_layout(posts, ()).featured is posts[2]
    assert home_layout(posts[:2], ()).featured is posts[1]
    assert home_layout(posts[:1], ()).featured is posts[0]
    assert home_layout([], ()).featured is None


def test_no_post_is_shown_twice_between_featured_grid_and_blocks() -> None:
    posts = [*newest_first(8, ["Hoạt động chuyên môn"]),
             *(post(n, ["Văn hóa – Thể thao", "Hoạt động chuyên môn"]) for n in range(8, 14))]
    layout = home_layout(posts, ("Hoạt động chuyên môn", "Văn hóa – Thể thao"))
    shown = [layout.featured, *layout.grid, *(p for b in layout.blocks for p in b.posts)]
    assert len(shown) == len(set(shown))
    assert len(layout.grid) == HOME_GRID
    assert [b.category for b in layout.blocks] == ["Hoạt động chuyên môn", "Văn hóa – Thể thao"]
    assert all(b.category in p.categories for b in layout.blocks for p in b.posts)


def test_notices_go_to_the_side_column_not_to_the_grid() -> None:
    notices = [post(n, ["Thông báo"]) for n in range(3)]
    news = [post(n, ["Tin tức – Sự kiện"]) for n in range(3, 6)]
    layout = home_layout([*notices, *news], ())
    assert layout.notices == notices
    assert layout.featured is news[0] and layout.grid == news[1:]


def test_an_empty_category_block_is_left_out() -> None:
    layout = home_layout(newest_first(3, ["Tin tức – Sự kiện"]), ("Chuyển đổi số",))
    assert layout.blocks == []


def test_home_categories_default_per_type_and_override(tmp_path: Path) -> None:
    assert load_network(REPO / "network.yml").home_categories == {}
    assert DEFAULT_HOME_CATEGORIES["truong"]
    text = (REPO / "network.yml").read_text(encoding="utf-8")
    path = tmp_path / "network.yml"
    path.write_text(text.replace("units:\n", "home_categories:\n  truong: [Chuyển đổi số]\nunits:\n", 1),
                    encoding="utf-8")
    assert load_network(path).home_categories == {"truong": ("Chuyển đổi số",)}


def test_home_categories_mistakes_name_their_line(tmp_path: Path) -> None:
    text = (REPO / "network.yml").read_text(encoding="utf-8")
    path = tmp_path / "network.yml"
    path.write_text(text.replace("units:\n", "home_categories:\n  truong: [Chuyen muc la]\n"
                                 "  lop: [Thông báo]\nunits:\n", 1), encoding="utf-8")
    line = text.splitlines().index("units:") + 2
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    rendered = [d.render() for d in caught.value.diagnostics]
    assert any(r.startswith(f"network.yml:{line}: lỗi: chuyên mục 'Chuyen muc la' không có") for r in rendered)
    assert any(r.startswith(f"network.yml:{line + 1}: lỗi: loại đơn vị 'lop' không hợp lệ") for r in rendered)
