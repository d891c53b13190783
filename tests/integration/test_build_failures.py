"""One failing school never stops the network, and never replaces its last good site."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from trangtin.cli.main import main

from ..htmlcheck import parse, resolve


def build(root: Path, *units: str) -> int:
    return main(["--root", str(root), "build", *units, "--jobs", "2"])


def test_broken_school_is_reported_and_the_others_still_build(network_copy, capsys):
    assert build(network_copy, "mn-hoa-sen", "thcs-an-binh") == 0
    good_home = (network_copy / "public" / "thcs-an-binh" / "index.html").read_bytes()
    config = network_copy / "sites" / "thcs-an-binh" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  khong_co_extension: {}\n",
                      encoding="utf-8")
    capsys.readouterr()

    assert build(network_copy, "mn-hoa-sen", "thcs-an-binh") == 1

    summary = capsys.readouterr().out
    assert "✓ mn-hoa-sen" in summary
    assert "✗ thcs-an-binh: KHÔNG xây dựng được" in summary
    assert "khong_co_extension" in summary
    assert "Đã xây dựng 1/2 trang." in summary
    # the last good build is still in place, whole
    assert (network_copy / "public" / "thcs-an-binh" / "index.html").read_bytes() == good_home
    leftovers = [p.name for p in (network_copy / "public").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_missing_content_folder_gets_a_vietnamese_message(network_copy, capsys):
    shutil.rmtree(network_copy / "content" / "mn-hoa-sen")
    assert build(network_copy, "mn-hoa-sen", "th-an-binh") == 1
    summary = capsys.readouterr().out
    assert "✗ mn-hoa-sen: KHÔNG xây dựng được — content/mn-hoa-sen: lỗi: chưa có thư mục nội dung" in summary
    assert "✓ th-an-binh" in summary
    assert parse(network_copy / "public" / "th-an-binh" / "index.html").get("lang") == "vi"


def test_bad_network_file_stops_with_line_and_builds_nothing(network_copy, capsys):
    network = network_copy / "network.yml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "parent: xa-an-binh\n", "parent: xa-khong-co\n", 1), encoding="utf-8")
    assert build(network_copy) == 1
    err = capsys.readouterr().err
    assert "network.yml:" in err and "parent 'xa-khong-co' không tồn tại" in err
    assert not (network_copy / "public").exists()


def test_unknown_unit_on_the_command_line(network_copy, capsys):
    assert build(network_copy, "truong-khong-co") == 1
    assert "không có đơn vị 'truong-khong-co'" in capsys.readouterr().err


def test_attachment_with_a_macos_nfd_name_is_published_under_its_nfc_name(network_copy, capsys):
    folder = network_copy / "content" / "mn-hoa-sen" / "posts" / "2025" / "10"
    folder.mkdir(parents=True, exist_ok=True)
    name = "Kế hoạch tháng 10.pdf"
    (folder / unicodedata.normalize("NFD", name)).write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "ke-hoach-thang-10.md").write_text(
        "---\ntitle: Kế hoạch tháng 10\ndate: 2025-10-02 08:00\n---\n\n"
        f"Tải [kế hoạch]({name.replace(' ', '%20')}).\n", encoding="utf-8")
    assert build(network_copy, "mn-hoa-sen") == 0, capsys.readouterr().out
    site = network_copy / "public" / "mn-hoa-sen"
    page = site / "tin-tuc" / "2025" / "10" / "ke-hoach-thang-10" / "index.html"
    (link,) = [a for a in parse(page).iter("a") if a.text_content() == "kế hoạch"]
    target = resolve(page, link.get("href"))
    assert target is not None and target.name == name and target.read_bytes().startswith(b"%PDF")
