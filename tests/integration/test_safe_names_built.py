"""A built site holds no folder or file that Windows cannot: a post saved as ``con.md`` is
published under ``con-1/``, an attachment named ``aux.pdf`` is left out with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.cli.main import main
from trangtin.common import text


def test_device_names_never_become_output_names(network_copy: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = network_copy / "content" / "mn-hoa-sen" / "posts" / "2025" / "10"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "aux.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "con.md").write_text(
        "---\ntitle: Con đường đến trường\ndate: 2025-10-02 08:00\n---\n\n"
        "Tải [kế hoạch](aux.pdf).\n", encoding="utf-8")
    assert main(["--root", str(network_copy), "build", "mn-hoa-sen", "--jobs", "1"]) == 0
    out = capsys.readouterr()
    site = network_copy / "public" / "mn-hoa-sen"
    assert (site / "tin-tuc" / "2025" / "10" / "con-1" / "index.html").is_file()
    unsafe = [p for p in site.rglob("*") if text.unsafe_name(p.name)]
    assert unsafe == []
    assert ("content/mn-hoa-sen/posts/2025/10/aux.pdf: cảnh báo: tệp không được đăng vì tên 'aux.pdf' "
            "là tên thiết bị dành riêng của Windows — đổi tên tệp và các liên kết tới nó"
            ) in out.out + out.err
