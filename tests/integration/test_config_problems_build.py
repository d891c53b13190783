"""A wrong key or value in a site's mkdocs.yml: the build summary explains it in Vietnamese, with the
file and line, and keeps MkDocs' own words beside it; the other sites are still built."""

from __future__ import annotations

from pathlib import Path

import pytest

from trangtin.cli.main import main
from trangtin.site.config_problems import describe, explain

UNIT = "mn-hoa-sen"
CONFIG = f"sites/{UNIT}/mkdocs.yml"


def break_config(root: Path, change: str) -> Path:
    """Apply ``change`` ('old => new', or '+ appended text') to the unit's mkdocs.yml."""
    path = root / CONFIG
    text = path.read_text(encoding="utf-8")
    if change.startswith("+ "):
        text += change[2:]
    else:
        old, new = change.split(" => ")
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def summary_line(out: str, unit: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith(f"  ✗ {unit}: ")]
    return line


BROKEN = [
    ("+ site_nmae: Trường Mầm non Hoa Sen\n",
     f"{CONFIG}:12: lỗi: khóa 'site_nmae' không có trong cấu hình MkDocs — có phải ý bạn là 'site_name'? "
     "sửa tên khóa hoặc xóa dòng đó",
     "Unrecognised configuration name: site_nmae"),
    ("site_url: https://mn-hoasen.example.edu.vn/ => site_url: 2026",
     f"{CONFIG}:4: lỗi: khóa 'site_url': giá trị viết sai kiểu: cần một chuỗi chữ, đang là một số nguyên",
     "Config value 'site_url': Expected a string, got <class 'int'>"),
    ("  trangtin: =>   thong-ke:\n  trangtin:",
     f"{CONFIG}:10: lỗi: plugin 'thong-ke' chưa được cài — sửa tên plugin (các trường dùng 'trangtin')",
     'The "thong-ke" plugin is not installed'),
    ("    unit: mn-hoa-sen =>     unit: mn-hoa-sen\n    don_vi: mn-hoa-sen",
     f"{CONFIG}:12: lỗi: plugin 'trangtin' không có tùy chọn 'don_vi' — sửa tên tùy chọn hoặc xóa dòng đó",
     "Plugin 'trangtin' option 'don_vi': Unrecognised configuration name: don_vi"),
    ("site_name: Trường => site_name: [Trường",
     f"{CONFIG}:4: lỗi: tệp cấu hình viết sai cú pháp YAML — kiểm tra dấu ngoặc, dấu hai chấm",
     "MkDocs encountered an error parsing the configuration file"),
]


@pytest.mark.parametrize(("change", "explained", "original"), BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_a_broken_mkdocs_yml_is_explained_in_vietnamese_beside_the_original(
        network_copy, capsys, change, explained, original):
    break_config(network_copy, change)
    code = main(["--root", str(network_copy), "build", UNIT, "th-an-binh", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1
    line = summary_line(out, UNIT)
    assert line.startswith(f"  ✗ {UNIT}: KHÔNG xây dựng được — {explained}")
    vietnamese, said = line.split(" (MkDocs báo: ", 1)
    assert original in said and said.endswith(")")
    assert "\n" not in said
    assert "Config value" not in vietnamese and "Aborted" not in vietnamese
    assert "  ✓ th-an-binh: " in out  # the other site is built all the same
    assert (network_copy / "public" / "th-an-binh" / "index.html").is_file()


MKDOCS_YML = """\
INHERIT: ../../shared_theme/base.yml
site_name: Trường A
docs_dir: ../../content/khong-co
theme:
  name: khongco
markdown_extensions:
  - khong_co_ext
nav:
  - Trang chủ: khong-co.md
"""


@pytest.mark.parametrize(("original", "line", "message"), [
    ("Aborted with a configuration error! Config value 'theme': Unrecognised theme name: 'khongco'. "
     "The available installed themes are: mkdocs, readthedocs, material", 5,
     "giao diện (theme) 'khongco' không có"),
    ("Aborted with a configuration error! Config value 'markdown_extensions': Failed to load extension "
     "'khong_co_ext'.\nModuleNotFoundError: No module named 'khong_co_ext'", 7,
     "không nạp được phần mở rộng Markdown 'khong_co_ext'"),
    ("Aborted with 1 warnings in strict mode! A reference to 'khong-co.md' is included in the 'nav' "
     "configuration, which is not found in the documentation files.", 9,
     "mục nav trỏ tới 'khong-co.md', tệp này không có trong thư mục nội dung"),
    ("Inherited config file '../../shared_theme/base.yml' does not exist at '/x/shared_theme/base.yml'.", 1,
     "tệp INHERIT '../../shared_theme/base.yml' không có"),
    ("Aborted with a configuration error! Config value 'docs_dir': The path '/x/content/khong-co' isn't an "
     "existing directory.", 3, "khóa 'docs_dir': thư mục '/x/content/khong-co' không có"),
    ("Aborted with a configuration error! Config value 'extra': something new in MkDocs", None,
     "MkDocs không đọc được cấu hình của trang"),
])
def test_each_known_configuration_message_has_its_explanation_and_line(tmp_path, original, line, message):
    config = tmp_path / "sites" / "truong-a" / "mkdocs.yml"
    config.parent.mkdir(parents=True)
    config.write_text(MKDOCS_YML, encoding="utf-8")
    diagnostic = explain(original, config, tmp_path)
    assert (diagnostic.path, diagnostic.line, diagnostic.message) == ("sites/truong-a/mkdocs.yml", line, message)
    assert diagnostic.is_error and diagnostic.hint
    assert describe(original, config, tmp_path).endswith(f"(MkDocs báo: {' '.join(original.split())})")
