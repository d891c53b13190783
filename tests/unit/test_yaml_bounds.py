"""YAML written by people is bounded: alias bombs, huge and deeply nested documents are
refused at once, with the file and the line; ordinary YAML (a scalar alias too) still reads."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.test_content import NETWORK, POST, front, make_network, read, rendered, write
from tests.unit.test_network import problems
from trangtin.common import yamlsource

# Nine levels of nine aliases: 9**9 (387 million) values once expanded.
BILLION_LAUGHS = ["lol0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]",
                  *(f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10))]
ALIAS_HINT = "viết đầy đủ nội dung thay cho bí danh"
MB = 1024 * 1024


def bounded(action: Callable[[], object]) -> tuple[object, float, int]:
    """What ``action`` returns, the seconds it took and the peak of memory it allocated."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return make_network(tmp_path / "net")


def test_billion_laughs_in_a_post_is_refused_within_a_second_and_little_memory(root: Path):
    write(root, POST, front("title: Bài", "date: 2025-09-05", *BILLION_LAUGHS))
    result, seconds, peak = bounded(lambda: read(root))
    assert rendered(result) == [  # type: ignore[arg-type]
        f"{POST}:5: lỗi: bí danh YAML '*l0' lặp lại cả một danh sách hoặc nhóm khóa (đặt tên ở '&l0'); "
        f"trang tin không nhận cách viết này — {ALIAS_HINT}"]
    assert result.posts == []  # type: ignore[attr-defined]
    assert seconds < 1 and peak < 100 * MB


def test_billion_laughs_in_network_yml_is_refused_within_a_second_and_little_memory(tmp_path: Path):
    path = tmp_path / "network.yml"
    path.write_text(NETWORK.format(approval="false") + "\n".join(BILLION_LAUGHS) + "\n", encoding="utf-8")
    found, seconds, peak = bounded(lambda: problems(path))
    line = NETWORK.count("\n") + 2
    assert found == [f"network.yml:{line}: lỗi: bí danh YAML '*l0' lặp lại cả một danh sách hoặc nhóm khóa "
                     f"(đặt tên ở '&l0'); trang tin không nhận cách viết này — {ALIAS_HINT}"]
    assert seconds < 1 and peak < 100 * MB


def test_an_alias_to_one_value_still_works(root: Path):
    write(root, POST, front("title: &ten Hội thi 'Em yêu Toán'", "date: 2025-09-05",
                            "tags: [*ten, toán]"))
    result = read(root)
    assert rendered(result) == []
    assert result.posts[0].tags == ["Hội thi 'Em yêu Toán'", "toán"]


@pytest.mark.parametrize(("lines", "expected"), [
    (("title: Bài", "date: 2025-09-05", "mau: &mau {to: Tổ Toán – Tin}", "khac:", "  <<: *mau"),
     f"{POST}:6: lỗi: bí danh YAML '*mau' lặp lại cả một danh sách hoặc nhóm khóa (đặt tên ở '&mau'); "
     f"trang tin không nhận cách viết này — {ALIAS_HINT}"),
    (("title: Bài", "date: 2025-09-05", "vong: &v [*v]"),
     f"{POST}:4: lỗi: bí danh YAML '*v' lặp lại cả một danh sách hoặc nhóm khóa (đặt tên ở '&v'); "
     f"trang tin không nhận cách viết này — {ALIAS_HINT}"),
    (("title: Bài", "date: 2025-09-05", f"dai: &d {'ha' * 50_000}", f"tags: [{', '.join(['*d'] * 3)}]"),
     f"{POST}:5: lỗi: các bí danh YAML (như '*d') lặp lại quá nhiều nội dung (hơn 256 KiB) — {ALIAS_HINT}"),
    (("title: Bài", "date: 2025-09-05", "tags: " + "[" * 2000 + "]" * 2000),
     f"{POST}:4: lỗi: YAML không hợp lệ: các danh sách hoặc nhóm khóa lồng vào nhau quá sâu — "
     f"viết tệp với ít tầng thụt đầu dòng hơn (tối đa {yamlsource.MAX_DEPTH} tầng)"),
    (("title: Bài", "date: 2025-09-05", *(" " * n + f"k{n}:" for n in range(60))),
     f"{POST}:54: lỗi: YAML không hợp lệ: các danh sách hoặc nhóm khóa lồng vào nhau quá sâu — "
     f"viết tệp với ít tầng thụt đầu dòng hơn (tối đa {yamlsource.MAX_DEPTH} tầng)"),
    (("title: Bài", "date: 2025-09-05", f"mo_ta: {'Lễ khai giảng. ' * 20_000}"),
     f"{POST}:2: lỗi: phần YAML quá lớn (371 KiB, tối đa 256 KiB) — "
     "tách bớt nội dung ra tệp khác hoặc xóa phần không cần thiết"),
], ids=["merge-key", "recursive", "repeated-text", "flow-nesting", "block-nesting", "oversized"])
def test_what_yaml_may_not_do_in_a_post_is_named_with_its_line(root: Path, lines: tuple[str, ...],
                                                                expected: str):
    write(root, POST, front(*lines))
    result, seconds, _ = bounded(lambda: read(root))
    assert rendered(result) == [expected]  # type: ignore[arg-type]
    assert result.posts == []  # type: ignore[attr-defined]
    assert seconds < 1


def test_an_oversized_network_yml_is_refused(tmp_path: Path):
    path = tmp_path / "network.yml"
    padding = "".join(f"# {'chú thích ' * 10}{n}\n" for n in range(50_000))
    path.write_text(NETWORK.format(approval="false") + padding, encoding="utf-8")
    assert problems(path) == ["network.yml:1: lỗi: phần YAML quá lớn (6 MiB, tối đa 4 MiB) — "
                              "tách bớt nội dung ra tệp khác hoặc xóa phần không cần thiết"]
