"""MkDocs' configuration errors (a site's ``mkdocs.yml``) explained in Vietnamese, the original beside.

A wrong key or value in ``mkdocs.yml`` stops that site's build with MkDocs' English message. The
build summary shows, instead, a diagnostic naming the file, the line of the key where it can be
found, what is wrong and how to fix it, followed by MkDocs' own words (for whoever searches them).
Messages we do not recognise still get a Vietnamese sentence saying that the configuration is at
fault and where to look.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from trangtin.common.diagnostics import Diagnostic, error

EXAMPLE = "so sánh với mkdocs.yml của một trường mẫu (sites/<id>/mkdocs.yml)"
TYPES = {"str": "một chuỗi chữ", "int": "một số nguyên", "float": "một số", "bool": "true hoặc false",
         "list": "một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
         "dict": "các cặp 'khóa: giá trị' thụt vào dưới nó", "NoneType": "trống"}
_KEY = re.compile(r"Config value '(?P<key>[^']+)': ")
_PLUGIN_OPTION = re.compile(r"Plugin '(?P<plugin>[^']+)' option '(?P<option>[^']+)': ")
_YAML_LINE = re.compile(r'in "[^"]*", line (?P<line>\d+), column \d+')

Explainer = Callable[[re.Match[str]], tuple[str, str]]


def _unknown_key(match: re.Match[str]) -> tuple[str, str]:
    name = match.group("name")
    if option := _PLUGIN_OPTION.search(match.string):
        return (f"plugin '{option.group('plugin')}' không có tùy chọn '{name}'",
                "sửa tên tùy chọn hoặc xóa dòng đó; " + EXAMPLE)
    guess = difflib.get_close_matches(name, _mkdocs_keys(), n=1)
    hint = f"có phải ý bạn là '{guess[0]}'? " if guess else ""
    return f"khóa '{name}' không có trong cấu hình MkDocs", hint + "sửa tên khóa hoặc xóa dòng đó"


def _wrong_type(match: re.Match[str]) -> tuple[str, str]:
    wanted, got = match.groupdict().get("wanted") or "str", match.group("got")
    return (f"{_key(match.string)}giá trị viết sai kiểu: cần {TYPES.get(wanted, wanted)}, "
            f"đang là {TYPES.get(got, got)}",
            "sửa giá trị ở dòng đó; " + EXAMPLE)


def _missing_plugin(match: re.Match[str]) -> tuple[str, str]:
    return (f"plugin '{match.group('plugin')}' chưa được cài",
            "sửa tên plugin (các trường dùng 'trangtin'), xóa nó khỏi plugins, hoặc cài nó vào .venv")


def _unknown_theme(match: re.Match[str]) -> tuple[str, str]:
    return (f"giao diện (theme) '{match.group('name')}' không có",
            f"dùng một giao diện đã cài: {match.group('themes')} (các trường dùng giao diện chung qua INHERIT)")


def _missing_extension(match: re.Match[str]) -> tuple[str, str]:
    return (f"không nạp được phần mở rộng Markdown '{match.group('name')}'",
            "sửa tên phần mở rộng trong markdown_extensions hoặc xóa nó")


def _missing_nav_page(match: re.Match[str]) -> tuple[str, str]:
    return (f"mục nav trỏ tới '{match.group('name')}', tệp này không có trong thư mục nội dung",
            "tạo trang đó trong content/<id>/ hoặc sửa/xóa mục đó trong nav")


def _missing_folder(match: re.Match[str]) -> tuple[str, str]:
    return (f"{_key(match.string)}thư mục '{match.group('name')}' không có",
            "sửa đường dẫn (tính từ thư mục của mkdocs.yml); " + EXAMPLE)


def _missing_inherited(match: re.Match[str]) -> tuple[str, str]:
    return (f"tệp INHERIT '{match.group('name')}' không có",
            "sửa đường dẫn INHERIT (các trường mẫu dùng ../../shared_theme/base.yml)")


def _yaml_syntax(match: re.Match[str]) -> tuple[str, str]:
    return ("tệp cấu hình viết sai cú pháp YAML",
            "kiểm tra dấu ngoặc, dấu hai chấm, dấu nháy và thụt lề ở dòng này và dòng ngay trước nó")


EXPLAINED: list[tuple[re.Pattern[str], Explainer]] = [
    (re.compile(r"Unrecognised configuration name: (?P<name>\S+)"), _unknown_key),
    (re.compile(r"Expected a string, got <class '(?P<got>\w+)'>"), _wrong_type),
    (re.compile(r"Expected type: <class '(?P<wanted>\w+)'> but received: <class '(?P<got>\w+)'>"),
     _wrong_type),
    (re.compile(r'The "(?P<plugin>[^"]+)" plugin is not installed'), _missing_plugin),
    (re.compile(r"Unrecognised theme name: '(?P<name>[^']+)'\. The available installed themes are: "
                r"(?P<themes>[^\n;]+)"), _unknown_theme),
    (re.compile(r"Failed to load extension '(?P<name>[^']+)'"), _missing_extension),
    (re.compile(r"A reference to '(?P<name>[^']+)' is included in the 'nav' configuration"), _missing_nav_page),
    (re.compile(r"The path '(?P<name>[^']+)' isn't an existing directory"), _missing_folder),
    (re.compile(r"Inherited config file '(?P<name>[^']+)' does not exist"), _missing_inherited),
    (re.compile(r"error parsing the configuration file"), _yaml_syntax),
]


def _mkdocs_keys() -> list[str]:
    from mkdocs.config.defaults import MkDocsConfig

    return [name for name, _ in MkDocsConfig._schema if name != "config_file_path"]


def is_about_configuration(original: str) -> bool:
    """MkDocs stopped because of its configuration (not a template or a plugin's own error)."""
    return "configuration" in original or any(pattern.search(original) for pattern, _ in EXPLAINED)


def explain(original: str, config_file: Path | None, root: Path) -> Diagnostic:
    """Our diagnostic for MkDocs' message ``original`` about ``config_file``."""
    display = _display(config_file, root)
    text = _lines(config_file)
    for pattern, explainer in EXPLAINED:
        if match := pattern.search(original):
            message, hint = explainer(match)
            return error(display, _line(original, text, match), message, hint)
    return error(display, None, "MkDocs không đọc được cấu hình của trang",
                 "xem thông báo gốc của MkDocs dưới đây; " + EXAMPLE)


def describe(original: str, config_file: Path | None, root: Path) -> str:
    """The Vietnamese diagnostic, then MkDocs' own words: the reason shown in the build summary."""
    said = " ".join(original.split())
    return f"{explain(original, config_file, root).render()} (MkDocs báo: {said})"


def _key(original: str) -> str:
    """'khóa 'site_url': ' before a message about a value, when MkDocs names the key."""
    key = _KEY.search(original)
    return f"khóa '{key.group('key')}': " if key else ""


def _line(original: str, text: list[str], match: re.Match[str]) -> int | None:
    """The line MkDocs names (YAML errors), else the line where what is wrong is written."""
    if found := list(_YAML_LINE.finditer(original)):
        return int(found[-1].group("line"))
    keys = [m.group("option") for m in _PLUGIN_OPTION.finditer(original)]  # the most precise first
    keys += [value for name, value in match.groupdict().items() if name in ("name", "plugin") and value]
    keys += [m.group("key") for m in _KEY.finditer(original)]
    for key in keys:
        for number, line in enumerate(text, start=1):
            if re.match(rf"\s*(- )?['\"]?{re.escape(key)}['\"]?\s*(:|$)", line) or f" {key}" in line:
                return number
    return None


def _lines(config_file: Path | None) -> list[str]:
    try:
        return config_file.read_text(encoding="utf-8").splitlines() if config_file else []
    except (OSError, UnicodeDecodeError):
        return []


def _display(config_file: Path | None, root: Path) -> str:
    if config_file is None:
        return "mkdocs.yml"
    try:
        return config_file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(config_file)
