"""Files beside posts and pages, judged by what they contain, not by how they are named.

A photo is any raster image Pillow reads, whatever its suffix (``.jfif`` from a phone, a PNG
named ``.jpg``, no suffix at all): it goes through the photo pipeline, so its GPS position is
never published. Markup and programs (SVG, HTML, scripts, executables) are never published
from a content folder: an SVG "logo" opened on the school's address would run its script
there. Every other attachment must be of a listed document type whose first bytes match the
type its name declares (a page saved as ``.pdf`` is not a PDF).

``check`` and the build call the same functions, so both name the same files, on the line of
the post or page that uses them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

from trangtin.common import text
from trangtin.common.diagnostics import Diagnostic, warning
from trangtin.photos import pipeline

_HEAD_BYTES = 4096


class Kind(StrEnum):
    PHOTO = "photo"  # processed by the photo pipeline, never copied
    DOCUMENT = "document"  # published as it is
    REFUSED = "refused"  # not published; the verdict says why and what to do


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    message: str = ""  # follows "tệp <path> ": what the file is and why it is not published
    hint: str = ""


@dataclass(frozen=True)
class Use:
    """Where a file is used first: the post or page, and the line of the link."""

    display: str
    line: int | None


@dataclass
class Judged:
    """Each judged file (path from the unit's folder) with its verdict, and the refusals explained."""

    verdicts: dict[str, Verdict] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of_kind(self, kind: Kind) -> set[str]:
        return {uri for uri, verdict in self.verdicts.items() if verdict.kind is kind}


# --- what a file is --------------------------------------------------------------------------

def _is_pdf(head: bytes, path: Path) -> bool:
    return head.startswith(b"%PDF-")


def _is_ole(head: bytes, path: Path) -> bool:
    """Word 97–2003, Excel 97–2003, PowerPoint 97–2003: an OLE2 compound file."""
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_ooxml(head: bytes, path: Path) -> bool:
    """.docx, .xlsx, .pptx: a zip whose directory lists [Content_Types].xml."""
    return head.startswith(b"PK\x03\x04") and "[Content_Types].xml" in _zip_names(path)


def _is_odf(head: bytes, path: Path) -> bool:
    """.odt, .ods, .odp: a zip that starts with its OpenDocument ``mimetype``."""
    return head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype" and (
        b"application/vnd.oasis.opendocument." in head[38:120])


def _is_rtf(head: bytes, path: Path) -> bool:
    return head.startswith(b"{\\rtf")


def _is_text(head: bytes, path: Path) -> bool:
    """Plain text or CSV: no NUL byte (binary) in the first bytes."""
    return b"\0" not in head


def _is_mp3(head: bytes, path: Path) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _zip_names(path: Path) -> set[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


@dataclass(frozen=True)
class DocumentType:
    label: str
    matches: Callable[[bytes, Path], bool]
    binary: bool = True  # recognised by its first bytes; never rendered as a page with its own type


# Attachments published as they are (README "Writing a post", docs/huong-dan-viet-bai.md).
# No archives (.zip, .rar: anything could be inside) and no video (a phone's MP4 carries
# its GPS position and cannot be cleaned here).
DOCUMENT_TYPES: dict[str, DocumentType] = {
    ".pdf": DocumentType("PDF", _is_pdf),
    ".doc": DocumentType("Word", _is_ole),
    ".docx": DocumentType("Word", _is_ooxml),
    ".xls": DocumentType("Excel", _is_ole),
    ".xlsx": DocumentType("Excel", _is_ooxml),
    ".ppt": DocumentType("PowerPoint", _is_ole),
    ".pptx": DocumentType("PowerPoint", _is_ooxml),
    ".odt": DocumentType("OpenDocument", _is_odf),
    ".ods": DocumentType("OpenDocument", _is_odf),
    ".odp": DocumentType("OpenDocument", _is_odf),
    ".rtf": DocumentType("RTF", _is_rtf),
    ".txt": DocumentType("văn bản thuần", _is_text, binary=False),
    ".csv": DocumentType("CSV", _is_text, binary=False),
    ".mp3": DocumentType("MP3", _is_mp3),
}
ALLOWED_LIST = ("ảnh (JPEG, PNG, WebP, HEIC, GIF, TIFF, BMP) và tài liệu PDF, Word, Excel, PowerPoint, "
                "OpenDocument (.odt, .ods, .odp), RTF, TXT, CSV, âm thanh MP3")

_SVG = frozenset({".svg", ".svgz"})
_WEB = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt",
                  ".js", ".mjs", ".cjs", ".css", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi",
                  ".swf", ".hta", ".wasm"})
_PROGRAMS = frozenset({".exe", ".com", ".scr", ".pif", ".bat", ".cmd", ".sh", ".bash", ".ps1", ".psm1",
                       ".vbs", ".vbe", ".wsf", ".jse", ".jar", ".apk", ".msi", ".dll", ".lnk", ".dmg",
                       ".deb", ".rpm", ".run", ".reg", ".py", ".pl", ".rb"})
_ARCHIVES = frozenset({".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"})
# Browsers render a file as a page when its first tag is one of these (WHATWG MIME sniffing),
# and these anywhere near the start are what makes markup dangerous.
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg",
                  b"<?xml", b"<!--", b"<title", b"<style", b"<div", b"<table", b"<a ", b"<p>", b"<img",
                  b"<meta", b"<object", b"<embed", b"<form")
_MARKUP_ANYWHERE = (b"<script", b"<svg", b"<iframe", b"<html", b"javascript:", b"onload=", b"onerror=")
_PROGRAM_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def judge(path: Path) -> Verdict:
    """What the file is, read from its first bytes; never raises."""
    suffix = path.suffix.lower()
    if suffix in _SVG:
        return _svg(path)
    if suffix in _WEB:
        return _web_page(path)
    if suffix in _PROGRAMS:
        return _program()
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError as exc:
        return Verdict(Kind.REFUSED, f"không đọc được ({exc.strerror or exc})",
                       "kiểm tra tệp còn tồn tại và có quyền đọc")
    if pipeline.is_raster(path):
        return Verdict(Kind.PHOTO)
    return _judge_other(path, suffix, head)


def _judge_other(path: Path, suffix: str, head: bytes) -> Verdict:
    document = DOCUMENT_TYPES.get(suffix)
    if document is not None and document.binary and document.matches(head, path):
        return Verdict(Kind.DOCUMENT)
    if looks_like_markup(head):
        return _disguised_markup(path, suffix, head)
    if head.startswith(_PROGRAM_STARTS):
        return _program()
    if document is not None:
        return Verdict(Kind.DOCUMENT) if document.matches(head, path) else _mismatch(document)
    if pipeline.is_image(path.name):
        return Verdict(Kind.PHOTO)  # named as a photo but not one: the pipeline explains (truncated…)
    if suffix in _ARCHIVES:
        return Verdict(Kind.REFUSED, "là tệp nén: không được đăng (bên trong có thể chứa bất kỳ thứ gì)",
                       "giải nén rồi đăng từng tài liệu, tốt nhất dưới dạng PDF, và sửa liên kết cho đúng")
    named = f"đuôi '{suffix}'" if suffix else "không có đuôi tên tệp"
    return Verdict(Kind.REFUSED, f"có loại không được đăng ({named})",
                   f"chỉ đăng được {ALLOWED_LIST}; lưu tệp thành PDF rồi sửa liên kết")


def looks_like_markup(head: bytes) -> bool:
    """Whether a browser could take these bytes for a page, an SVG or a script."""
    sample = head
    for bom in _BOMS:
        if sample.startswith(bom):
            sample = sample[len(bom):]
            break
    sample = sample.replace(b"\0", b"").lstrip().lower()  # UTF-16 text read byte by byte
    return sample.startswith(_MARKUP_STARTS) or any(marker in sample for marker in _MARKUP_ANYWHERE)


def _svg(path: Path) -> Verdict:
    png = PurePosixPath(path.name).with_suffix(".png").name
    return Verdict(Kind.REFUSED,
                   "là ảnh SVG: không được đăng nguyên dạng vì SVG có thể chứa mã (script) chạy trên trang "
                   "của trường",
                   f"mở tệp bằng Inkscape (hoặc trình duyệt, rồi chụp màn hình), xuất ra ảnh PNG "
                   f"(Tệp → Xuất PNG), đặt cạnh bài với tên '{png}' và sửa liên kết thành '{png}'")


def _web_page(path: Path) -> Verdict:
    return Verdict(Kind.REFUSED,
                   f"là trang web hoặc mã chạy trong trình duyệt ({path.suffix.lower()}): không được đăng từ "
                   "thư mục nội dung",
                   "đưa nội dung vào bài viết .md; nếu cần tệp để tải về, mở trang rồi In → Lưu thành PDF và "
                   "liên kết tới tệp PDF đó")


def _program() -> Verdict:
    return Verdict(Kind.REFUSED, "là chương trình hoặc tập lệnh: không được đăng lên trang thông tin",
                   "bỏ liên kết; nếu cần giới thiệu phần mềm, ghi địa chỉ https:// trang chính thức của nó")


def _disguised_markup(path: Path, suffix: str, head: bytes) -> Verdict:
    what = "SVG" if b"<svg" in head.lower() else "HTML hoặc mã script"
    named = f"dù tên có đuôi '{suffix}'" if suffix else "dù không có đuôi tên tệp"
    return Verdict(Kind.REFUSED, f"có nội dung là {what} ({named}): không được đăng",
                   "mở tệp gốc bằng chương trình đã tạo ra nó và lưu lại đúng định dạng (ví dụ Word: "
                   "Tệp → Lưu thành → PDF), rồi sửa liên kết")


def _outside() -> Verdict:
    # A symbolic link in the folder: MkDocs would copy whatever it points to on the disk.
    return Verdict(Kind.REFUSED, "là liên kết tượng trưng (symlink) trỏ ra ngoài thư mục nội dung: không được đăng",
                   "chép tệp thật vào thư mục của đơn vị thay cho liên kết tượng trưng")


def _mismatch(document: DocumentType) -> Verdict:
    return Verdict(Kind.REFUSED,
                   f"không phải tệp {document.label} thật (nội dung không khớp với đuôi tên tệp): không được đăng",
                   f"mở tệp bằng chương trình đã tạo ra nó, lưu lại thành tệp {document.label} "
                   "(Tệp → Lưu thành…), đặt lại cạnh bài rồi xây dựng lại")


# --- a unit's files, judged ------------------------------------------------------------------

def judge_files(root: Path, uris: Iterable[str], uses: Mapping[str, Use]) -> Judged:
    """Judge each file (path from the unit's folder ``root``); explain each refusal where it is used.

    A refused file used by a post or page is named on the line that links it; a file nobody
    links is named alone.
    """
    judged = Judged()
    inside = root.resolve()
    for uri in sorted(set(uris)):
        path = on_disk(root / uri)
        verdict = judge(path) if path.resolve().is_relative_to(inside) else _outside()
        judged.verdicts[uri] = verdict
        if verdict.kind is Kind.REFUSED:
            judged.diagnostics.append(refusal(f"content/{root.name}/{uri}", verdict, uses.get(uri)))
    return judged


def refusal(display: str, verdict: Verdict, use: Use | None) -> Diagnostic:
    message = f"tệp {display} {verdict.message}"
    if use is None:
        return warning(display, None, message, verdict.hint)
    return warning(use.display, use.line, message, verdict.hint)


def on_disk(path: Path) -> Path:
    """The file as named on disk: macOS writes names in NFD, posts refer to them in NFC."""
    if path.exists() or not path.parent.is_dir():
        return path
    wanted = text.nfc(path.name)
    return next((c for c in path.parent.iterdir() if text.nfc(c.name) == wanted), path)
