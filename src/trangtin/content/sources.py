"""Reading what authors saved: encodings, line endings, Unicode forms, front matter.

Teachers' files come from Word, Notepad, phones and Macs: UTF-8 with or without BOM,
CRLF, NFD (macOS), sometimes UTF-16 or a legacy Vietnamese code page (Windows-1258,
TCVN3, VNI). The first three are normalised silently; the others are explained.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trangtin.common import yamlsource
from trangtin.common.diagnostics import Diagnostic, error, info, warning
from trangtin.common.text import control_characters_by_line, join_surrogate_pairs, without_control_characters

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_CONTROL_CHARACTER_HINT = ("ký tự vô hình này thường theo chữ chép từ Word hoặc PDF; "
                           "xem lại dòng này và gõ lại chữ nếu bị thiếu")
_CONTROL_WARNINGS_SHOWN = 10
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
# Posts' and pages' front matter (a register of documents is the longest): far above any real one.
FRONT_MATTER_MAX_BYTES = 256 * yamlsource.KIB
_SAVE_AS_UTF8 = "mở tệp bằng Notepad, chọn Lưu thành… (Save As), ở ô Mã hóa (Encoding) chọn UTF-8 rồi lưu lại"
_CONVERT_WITH_UNIKEY = ("mở Unikey, chọn Công cụ (Ctrl+Shift+F6), bảng mã nguồn TCVN3 (ABC) hoặc VNI Windows, "
                        "bảng mã đích Unicode, chuyển mã rồi lưu tệp bằng bảng mã UTF-8")
# Precomposed Vietnamese letters: what a legacy file decoded with the right code page is full of.
_VIETNAMESE = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@dataclass
class Source:
    """A Markdown file decoded and split: front matter (with lines) and body."""

    path: Path
    display: str
    meta: dict[str, Any] = field(default_factory=dict)
    located: yamlsource.Located | None = None
    body: str = ""
    body_line: int = 1
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line(self, *keys: str | int) -> int | None:
        return self.located.line(*keys, default=1) if self.located else 1

    @property
    def readable(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def decode(raw: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → NFC text with LF line ends, or None and an explanation."""
    if problem := _unreadable(raw, display):
        return None, [problem]
    text = join_surrogate_pairs(raw.decode("utf-8-sig", "surrogatepass"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = _control_character_warnings(text, display)
    if problems:
        text = without_control_characters(text)
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        problems.append(info(display, 1, "văn bản ở dạng Unicode tổ hợp (NFD), đã tự chuyển sang NFC",
                             "không cần làm gì; nếu soạn trên máy Mac, có thể bỏ qua thông báo này"))
    return normalised, problems


def _control_character_warnings(text: str, display: str) -> list[Diagnostic]:
    """One warning per line holding invisible control characters (the first few lines), then a count."""
    by_line = control_characters_by_line(text)
    warnings = [warning(display, line, f"ký tự điều khiển {', '.join(codes)} ở dòng {line} "
                        "đã bị bỏ", _CONTROL_CHARACTER_HINT)
                for line, codes in list(by_line.items())[:_CONTROL_WARNINGS_SHOWN]]
    if len(by_line) > _CONTROL_WARNINGS_SHOWN:
        rest = list(by_line)[_CONTROL_WARNINGS_SHOWN:]
        warnings.append(warning(display, rest[0], f"còn ký tự điều khiển ở {len(rest)} dòng khác (từ dòng "
                                f"{rest[0]}), cũng đã bị bỏ", _CONTROL_CHARACTER_HINT))
    return warnings


def _unreadable(raw: bytes, display: str) -> Diagnostic | None:
    """Why these bytes are not UTF-8 text, in words a teacher can act on; None if they are."""
    if raw.startswith(b"PK\x03\x04"):
        return error(display, None, "tệp này là tệp Word/nén (.docx, .zip), không phải văn bản Markdown",
                     "mở tệp bằng Word, chép nội dung rồi dán vào một tệp .md soạn bằng Notepad")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 10:
        return error(display, 1, "tệp được lưu bằng bảng mã UTF-16 (Unicode của Notepad cũ), không đọc được",
                     _SAVE_AS_UTF8)
    try:
        raw.decode("utf-8-sig", "surrogatepass")  # a lone surrogate is removed with a warning
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if _looks_like_cp1258(raw):
            return error(display, line, "tệp được lưu bằng bảng mã cũ Windows-1258, không phải UTF-8",
                         _SAVE_AS_UTF8)
        return error(display, line, "tệp không phải UTF-8 (có vẻ là bảng mã cũ TCVN3 hoặc VNI)",
                     _CONVERT_WITH_UNIKEY)
    return None


def _looks_like_cp1258(raw: bytes) -> bool:
    """Windows-1258 read as such gives Vietnamese letters; TCVN3 and VNI give symbols."""
    letters = [c for c in unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace").lower())
               if ord(c) > 127]
    return bool(letters) and sum(c in _VIETNAMESE for c in letters) >= 0.8 * len(letters)


def read_source(path: Path, display: str) -> Source:
    """Decode a Markdown file and parse its front matter, keeping line numbers."""
    source = Source(path=path, display=display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        source.diagnostics.append(error(display, None, f"không đọc được tệp ({exc.strerror})",
                                        "kiểm tra quyền đọc tệp"))
        return source
    text, source.diagnostics = decode(raw, display)
    if text is not None:
        split_front_matter(text, source)
    return source


def split_front_matter(text: str, source: Source) -> None:
    match = _FRONT_MATTER.match(text)
    if not match:
        source.body, source.body_line = text, 1
        if text != text.lstrip() and _FRONT_MATTER.match(text.lstrip()):
            line = text[: len(text) - len(text.lstrip())].count("\n") + 1
            source.diagnostics.append(error(
                source.display, line, "phần thông tin đầu bài phải bắt đầu ngay từ dòng đầu tiên của tệp",
                "xóa các dòng trống phía trên dòng '---' đầu tiên"))
        elif text.lstrip().startswith("---"):
            source.diagnostics.append(error(
                source.display, 1, "phần thông tin đầu bài (front matter) không có dòng '---' đóng",
                "thêm một dòng chỉ có '---' sau phần thông tin đầu bài"))
        return
    source.body = text[match.end():]
    source.body_line = text[: match.end()].count("\n") + 1
    try:
        source.located = yamlsource.load(match.group(1) or "", first_line=2,
                                         max_bytes=FRONT_MATTER_MAX_BYTES)
    except yamlsource.YamlProblem as problem:
        source.diagnostics.append(error(source.display, problem.line, problem.message,
                                        problem.hint or "sửa dòng này trong phần thông tin đầu bài"))
        return
    source.diagnostics.extend(
        warning(source.display, line, f"chữ viết bằng mã thoát ở dòng {line} tạo ra ký tự điều khiển, đã bị bỏ",
                "xóa các mã như \\u0007, \\x1b trong chữ của dòng này")
        for line in source.located.control_lines)
    data = source.located.data
    if data is None:
        return
    if not isinstance(data, dict):
        source.diagnostics.append(error(source.display, 2,
                                        "phần thông tin đầu bài phải gồm các dòng 'khóa: giá trị'",
                                        "ví dụ: title: Lễ khai giảng"))
        return
    source.meta = data
    source.diagnostics.extend(_repeated_keys(match.group(1) or "", source.display))


def _repeated_keys(front_matter: str, display: str) -> list[Diagnostic]:
    """A key written twice: YAML silently keeps the last one, which surprises people."""
    first_seen: dict[str, int] = {}
    found = []
    for number, line in enumerate(front_matter.split("\n"), start=2):
        if not (match := _TOP_LEVEL_KEY.match(line)):
            continue
        key = match.group(1)
        if key in first_seen:
            found.append(warning(display, number, f"khóa '{key}' được viết hai lần (dòng {first_seen[key]} và "
                                 f"dòng {number}); chỉ dòng {number} được dùng", "xóa một trong hai dòng"))
        else:
            first_seen[key] = number
    return found


def page_text(raw: bytes, display: str, placeholder: str) -> str:
    """What MkDocs should read for a page that is not a post.

    The decoded text; without its front matter when that is broken (MkDocs would silently
    show it as text; ``check`` and the build report it); ``placeholder`` when the bytes
    cannot be decoded at all (a legacy code page), so one page never stops a whole site.
    """
    text, _ = decode(raw, display)
    if text is None:
        return placeholder
    source = Source(path=Path(display), display=display)
    split_front_matter(text, source)
    return text if source.readable else source.body
