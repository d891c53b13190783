"""Links and images in Markdown: found without rendering, checked to stay inside the unit's folder.

A teacher's ``![Ảnh](anh.jpg)`` must name a file that exists beside the post; a link such as
``../../../../etc/passwd`` must never reach outside the content folder of the unit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from trangtin.common import text
from trangtin.common.diagnostics import Diagnostic, error

_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_REF = re.compile(r"<(img|source|video|audio|a)\b[^>]*?\s(?:src|href)\s*=\s*[\"']([^\"']+)[\"']",
                       re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
# Markdown that is never rendered as a link: HTML comments, fenced code, inline code.
_NOT_RENDERED = re.compile(r"<!--.*?-->|^[ \t]*(```+|~~~+)[^\n]*\n.*?^[ \t]*\1[ \t]*$|`[^`\n]+`",
                           re.DOTALL | re.MULTILINE)


def local_references(body: str, first_line: int = 1) -> Iterator[tuple[int, str, bool]]:
    """(line, target, is_image) of every relative link and image a Markdown body renders."""
    visible = _NOT_RENDERED.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    for offset, line in enumerate(visible.split("\n")):
        for match in _LINK.finditer(line):
            if not _EXTERNAL.match(match.group(2)):
                yield first_line + offset, match.group(2), bool(match.group(1))
        for match in _HTML_REF.finditer(line):
            if not _EXTERNAL.match(match.group(2)):
                yield first_line + offset, match.group(2), match.group(1).lower() != "a"


def resolve_reference(target: str, base: Path, root: Path,
                      is_image: bool) -> tuple[Path | None, Diagnostic | None]:
    """A relative link checked to exist inside ``root``; the problem has no path or line yet."""
    path_part = text.nfc(unquote(target.split("#", 1)[0].split("?", 1)[0]))
    if not path_part:
        return None, None
    what = "ảnh" if is_image else "liên kết"
    start = root if path_part.startswith("/") else base
    resolved = Path(os.path.normpath(start / path_part.lstrip("/")))
    if not _inside(resolved, root):
        return None, error("", None, f"{what} '{target}' trỏ ra ngoài thư mục nội dung",
                           "chỉ dùng tệp nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)")
    actual = resolved if resolved.exists() else _find_nfc(resolved)
    if actual is None:
        return None, error("", None, f"{what} '{target}' không tồn tại",
                           "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và vị trí tệp")
    return actual, None


def _inside(path: Path, root: Path) -> bool:
    if not path.is_relative_to(root):
        return False
    # A symbolic link inside the folder may still point elsewhere on the disk.
    return not path.exists() or path.resolve().is_relative_to(root.resolve())


def _find_nfc(path: Path) -> Path | None:
    """The file whose name differs only by Unicode form (macOS writes NFD), if any."""
    parent = path.parent
    if not parent.is_dir():
        return None
    wanted = text.nfc(path.name)
    return next((child for child in parent.iterdir() if text.nfc(child.name) == wanted), None)
