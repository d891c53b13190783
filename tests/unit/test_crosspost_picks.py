"""highlights.yml: what an editor adds or leaves out, and how a mistake is explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from trangtin.aggregate.crosspost import read_picks
from trangtin.content.items import Item

AT = dt.datetime(2025, 9, 5, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def item(slug: str, highlight: bool = False) -> Item:
    return Item(f"urn:trangtin:th-a:posts/{slug}", "th-a", slug,
                f"https://th-a.example/tin-tuc/{slug}/", AT, highlight=highlight)


def test_include_by_url_exclude_by_id_and_full_reposts(tmp_path: Path) -> None:
    path = tmp_path / "highlights.yml"
    path.write_text("include:\n  - https://th-a.example/tin-tuc/them/\n"
                    "  - {id: 'urn:trangtin:th-a:posts/day-du', full: true}\n"
                    "exclude:\n  - urn:trangtin:th-a:posts/bo\n", encoding="utf-8")
    picks = read_picks(path, "content/xa/highlights.yml")
    assert picks.diagnostics == []
    assert picks.wanted(item("them")) is True and not picks.full(item("them"))
    assert picks.wanted(item("day-du")) is True and picks.full(item("day-du"))
    assert picks.wanted(item("bo", highlight=True)) is False
    assert picks.wanted(item("khac", highlight=True)) is None  # the unit's flag decides


def test_mistakes_are_explained_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "highlights.yml"
    path.write_text("include:\n  - https://th-a.example/a/\n  - {full: true}\nthem: 1\n",
                    encoding="utf-8")
    picks = read_picks(path, "content/xa/highlights.yml")
    rendered = [d.render() for d in picks.diagnostics]
    assert any(r.startswith("content/xa/highlights.yml:3: lỗi:") for r in rendered), rendered
    assert any(r.startswith("content/xa/highlights.yml:4: cảnh báo: khóa 'them'")
               for r in rendered), rendered
    assert list(picks.include) == ["https://th-a.example/a/"]
    path.write_text("include: [\n", encoding="utf-8")
    [broken] = read_picks(path, "content/xa/highlights.yml").diagnostics
    assert broken.is_error and broken.line is not None
