"""What the Văn bản and Công khai registers show beside each entry: the kind of document read
from its số ký hiệu, the year, and the attached file's type and size, measured at build time.

Plain Python: the plugin hands templates these values (``tt_file``, ``tt_document_type``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Nghị định 30/2020, Phụ lục III: the abbreviations of the kinds of administrative documents.
DOCUMENT_TYPES = {
    "BB": "Biên bản", "BC": "Báo cáo", "CT": "Chỉ thị", "CTr": "Chương trình", "CV": "Công văn",
    "ĐA": "Đề án", "DA": "Dự án", "GM": "Giấy mời", "HD": "Hướng dẫn", "KH": "Kế hoạch",
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "PA": "Phương án", "QC": "Quy chế", "QĐ": "Quyết định",
    "QyĐ": "Quy định", "TB": "Thông báo", "TT": "Thông tư", "TTr": "Tờ trình", "CĐ": "Công điện",
}
OTHER_TYPE = "Văn bản khác"
# "123/KH-THCSAB": the kind is the letters after the number, before the issuer's code.
_KIND = re.compile(r"/\s*([A-Za-zĐđ]+)\s*-")
FILE_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "ODT", ".xls": "Excel",
              ".xlsx": "Excel", ".ods": "ODS", ".ppt": "PowerPoint", ".pptx": "PowerPoint",
              ".zip": "ZIP", ".rar": "RAR", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


@dataclass(frozen=True)
class FileInfo:
    kind: str   # "PDF", "Word"…
    size: str   # "245 KB", "1,2 MB"; "" when the file is not in the site

    @property
    def label(self) -> str:
        return f"{self.kind}, {self.size}" if self.size else self.kind


def document_type(number: object) -> str:
    """The kind of document a số ký hiệu names ("Kế hoạch" for 123/KH-THCSAB)."""
    found = _KIND.search(str(number or ""))
    if found is None:
        return OTHER_TYPE
    code = found.group(1)
    by_upper = {key.upper(): name for key, name in DOCUMENT_TYPES.items()}
    return DOCUMENT_TYPES.get(code) or by_upper.get(code.upper(), OTHER_TYPE)


def vietnamese_size(size: int) -> str:
    """A file size as readers see it, with the Vietnamese decimal comma: 820 B, 45 KB, 1,2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def file_info(page_dir: Path, docs_dir: Path, link: str) -> FileInfo | None:
    """Type and size of a register's ``tep`` (relative to its page); the type alone for a file
    on another site; None for no link."""
    if not link:
        return None
    path = PurePosixPath(link.split("?")[0].split("#")[0])
    kind = FILE_KINDS.get(path.suffix.lower(), path.suffix.lstrip(".").upper() or "Tệp")
    if "://" in link or link.startswith("/"):
        return FileInfo(kind, "")
    target = (page_dir / path).resolve()
    if not target.is_relative_to(docs_dir.resolve()) or not target.is_file():
        return FileInfo(kind, "")
    return FileInfo(kind, vietnamese_size(target.stat().st_size))
