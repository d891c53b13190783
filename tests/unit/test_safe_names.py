"""Names that become output folders and files are safe on every system a site is copied to:
no Windows device name (con, nul, lpt1…, with or without an extension, any case)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.common import text
from trangtin.common.diagnostics import TrangtinError
from trangtin.network.model import load_network


@pytest.mark.parametrize(("title", "slug"), [
    ("Con", "con-1"), ("NUL", "nul-1"), ("aux", "aux-1"), ("Prn", "prn-1"),
    ("COM1", "com1-1"), ("lpt9", "lpt9-1"), ("com0", "com0-1"),
    ("Con đường đến trường", "con-duong-den-truong"), ("com10", "com10"), ("Nul.txt", "nul-txt"),
])
def test_a_slug_is_never_a_windows_device_name(title: str, slug: str) -> None:
    assert text.slugify(title) == slug


@pytest.mark.parametrize("name", ["con", "CON", "con.pdf", "Aux.tar.gz", "nul ", "COM1.txt",
                                  "lpt1", "prn.", "clock$", "com¹"])
def test_device_names_with_any_extension_or_case(name: str) -> None:
    assert text.is_windows_device(name)
    assert text.unsafe_name(name) is not None


@pytest.mark.parametrize(("path", "unsafe"), [
    ("tin-tuc/2025/09/le-khai-giang/index.html", False),
    ("van-ban/files/ke-hoach.pdf", False),
    ("van-ban/files/aux.pdf", True),
    ("nul/index.html", True),
    ("van-ban/bao cao./a.pdf", True),
    ("van-ban/bao-cao /a.pdf", True),
    ("van-ban/a?b.pdf", True),
    ("van-ban/a:b.pdf", True),
    ("van-ban/con-duong.pdf", False),
])
def test_unsafe_output_paths(path: str, unsafe: bool) -> None:
    assert (text.unsafe_path(path) is not None) is unsafe


def test_a_unit_id_that_is_a_device_name_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "network.yml"
    path.write_text("units:\n  - id: xa-a\n    name: Xã A\n    type: xa\n"
                    "  - id: con\n    name: Trường Con\n    type: truong\n    parent: xa-a\n",
                    encoding="utf-8")
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    assert [d.render() for d in caught.value.diagnostics] == [
        "network.yml:5: lỗi: id 'con' là tên thiết bị dành riêng của Windows — đặt id khác, "
        "ví dụ: con-1"]
