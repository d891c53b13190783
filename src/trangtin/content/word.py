"""``trangtin import``: a Word document (.docx) or a folder of phone photos becomes a draft post.

mammoth turns the document into a small, escaped HTML vocabulary (it drops fonts, colours and
the formatting pasted from web pages, and empty paragraphs); ``markdown_writer`` turns that into
plain Markdown with no raw HTML. Every embedded picture is written beside the post as
``<slug>-<n>.<ext>`` with its description (or the nearest caption) as alt text; the photo
pipeline cleans it at build time like any photo. The front matter is written by the same
template as ``trangtin new`` and the post starts as a draft. Nothing is ever overwritten: a
second import of the same title gets ``-2``.

Everything in the document is untrusted: the archive's size is bounded before it is read, and
the Markdown escapes whatever Markdown or HTML would read as markup.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mammoth  # type: ignore[import-untyped]

from trangtin.common import text
from trangtin.common.diagnostics import Diagnostic, InternalError, TrangtinError, error, warning
from trangtin.content import attachments, authoring
from trangtin.content.markdown_writer import (
    PICTURE_SCHEME,
    Picture,
    Writer,
    clean,
    element_text,
    escape,
    parse,
)
from trangtin.content.posts import POSTS_DIR
from trangtin.network.model import Network, Unit
from trangtin.photos import pipeline

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a zip bomb is refused before anything is unpacked
MAX_PICTURES = 300
MAX_XML_PART_BYTES = 1024 * 1024  # core properties are a few hundred bytes
MAX_TITLE_LENGTH = 200

# Word styles mapped to what the writer understands; everything else is plain paragraphs.
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Caption'] => p.caption:fresh
"""
_PICTURE_SUFFIXES = {"image/jpeg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
                     "image/bmp": ".bmp", "image/tiff": ".tif", "image/webp": ".webp", "image/heic": ".heic"}
_LEGACY_FONT = re.compile(rb'w:(?:ascii|hAnsi|cs|eastAsia)="((?:\.Vn|VNI[- ])[^"]*)"', re.IGNORECASE)
_CORE_NAMESPACES = {"dc": "http://purl.org/dc/elements/1.1/",
                    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
# What Word and libraries write when nobody filled in the author: not a person's name.
_PLACEHOLDER_AUTHORS = frozenset({"admin", "administrator", "user", "windows user", "pc", "microsoft office user",
                                  "python-docx", "author", "unknown", "owner", "người dùng", "may tinh", "máy tính"})
_SAVE_AS_DOCX = ("mở tệp bằng Word, chọn Tệp → Lưu thành (File → Save As), ở ô Kiểu tệp chọn "
                 "\"Tài liệu Word (*.docx)\", lưu lại rồi nhập tệp .docx đó")
_REFUSED_TYPES = {
    ".doc": ("tệp Word 97–2003 (.doc) chưa nhập được", _SAVE_AS_DOCX),
    ".docm": ("tệp Word có macro (.docm) không nhập được", _SAVE_AS_DOCX),
    ".dot": ("tệp mẫu Word (.dot) không nhập được", _SAVE_AS_DOCX),
    ".dotx": ("tệp mẫu Word (.dotx) không nhập được", _SAVE_AS_DOCX),
    ".rtf": ("tệp RTF chưa nhập được", _SAVE_AS_DOCX),
    ".odt": ("tệp OpenDocument (.odt) chưa nhập được",
             "mở tệp bằng LibreOffice Writer, chọn Tệp → Lưu thành, ở ô Kiểu tệp chọn "
             "\"Word 2007–365 (.docx)\", lưu lại rồi nhập tệp .docx đó"),
    ".pdf": ("tệp PDF không chuyển lại thành bài viết được",
             "nhập tệp Word (.docx) đã dùng để tạo ra tệp PDF này; nếu chỉ có PDF, mở nó bằng Word "
             "(Tệp → Mở), kiểm tra lại chữ và ảnh, rồi lưu thành .docx và nhập tệp đó"),
}


@dataclass(frozen=True)
class ImportedPost:
    """What was created: the post, its pictures, and what the import noticed on the way."""

    path: Path
    display: str
    unit: Unit
    pictures: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class _Draft:
    """A post ready to write: everything is decided, nothing is on the disk yet."""

    title: str
    authors: list[str]
    pictures: list[tuple[bytes, str]]  # content, suffix: number n is pictures[n - 1]
    markdown: Callable[[str], tuple[str, list[str]]]  # slug → body and picture names
    gallery: bool = False
    notes: list[Diagnostic] = field(default_factory=list)


def import_post(network: Network, unit_id: str, source: Path, team: str | None = None,
                category: str | None = None, title: str | None = None,
                now: dt.datetime | None = None) -> ImportedPost:
    """Create the post from ``source`` (a .docx or a folder of photos); raise TrangtinError in Vietnamese."""
    unit = authoring._writable_unit(network, unit_id)
    problems: list[Diagnostic] = []
    team_name = authoring._team_name(network, unit, team, problems)
    category_name = authoring._category(network, category, problems)
    if problems:
        raise TrangtinError(problems)
    display = source.name or str(source)
    given_title = text.nfc(title).strip() if title else None
    draft = (_read_folder(source, display, given_title) if source.is_dir()
             else _read_document(source, display, given_title))
    when = (now or dt.datetime.now(network.timezone)).astimezone(network.timezone).replace(second=0, microsecond=0)
    folder = network.content_dir(unit.id) / POSTS_DIR / f"{when:%Y}" / f"{when:%m}"
    slug = _free_slug(folder, draft.title, [suffix for _, suffix in draft.pictures])
    body, names = draft.markdown(slug)
    path = folder / f"{slug}.md"
    post_display = path.relative_to(network.root).as_posix()
    try:
        authoring._write_new(path, post_display, authoring.render_template(
            network, unit, draft.title, when, team_name, category_name, authors=draft.authors,
            body=body, gallery=draft.gallery))
        written = _write_pictures(folder, names, draft.pictures, network.root)
    except TrangtinError:
        raise
    except Exception as exc:  # a bug: say so, and which file was being written
        raise InternalError(post_display, exc) from exc
    return ImportedPost(path, post_display, unit, tuple(written), tuple(draft.notes))


def check_imported(network: Network, imported: ImportedPost) -> list[Diagnostic]:
    """What ``trangtin check`` says about the new post and its pictures (nothing about other posts)."""
    from trangtin.content.checks import check_network

    mine = {imported.display, *imported.pictures}
    return [d for d in check_network(network, [imported.unit.id]).diagnostics if d.path in mine]


# --- the slug and the files --------------------------------------------------------------

def _free_slug(folder: Path, title: str, suffixes: list[str]) -> str:
    """The title's slug, or ``-2``, ``-3``… when a post or a picture of that name is already there."""
    base = text.slugify(title)
    for number in range(1, 1000):
        slug = base if number == 1 else f"{base}-{number}"
        names = [f"{slug}.md", *(f"{slug}-{n}{suffix}" for n, suffix in enumerate(suffixes, 1))]
        if not any((folder / name).exists() for name in names):
            return slug
    raise TrangtinError([error(folder.name, None, f"đã có quá nhiều bài tên '{base}'",
                               "đặt cho bài một tiêu đề khác bằng --title")])


def _write_pictures(folder: Path, names: list[str], pictures: list[tuple[bytes, str]], root: Path) -> list[str]:
    written = []
    for name, (content, _) in zip(names, pictures, strict=True):
        path = folder / name
        with path.open("xb") as stream:
            stream.write(content)
        written.append(path.relative_to(root).as_posix())
    return written


# --- a Word document ---------------------------------------------------------------------

def _read_document(source: Path, display: str, given_title: str | None) -> _Draft:
    _refuse_other_types(source, display)
    archive = _open_docx(source, display)
    with archive:
        _refuse_legacy_fonts(archive, display)
        core_title, authors = _core_properties(archive)
        extracted: list[tuple[bytes, str, str]] = []  # content, content type, description
        root = _converted(source, display, extracted)
    title = given_title or _take_title(root, core_title) or _title_from_name(source)
    if not text.slugify(title):
        raise TrangtinError([error(display, None, f"tiêu đề '{title}' không dùng được để đặt tên tệp",
                                   "đặt tiêu đề bằng --title \"Tiêu đề bài\"")])
    notes: list[Diagnostic] = []
    usable = [(n, content, _PICTURE_SUFFIXES.get(kind), alt) for n, (content, kind, alt) in enumerate(extracted, 1)]
    for n, _, suffix, _ in usable:
        if suffix is None:
            notes.append(warning(display, None, f"ảnh thứ {n} trong tệp là hình vẽ của Word "
                                 f"({extracted[n - 1][1]}), không đăng được nên đã bỏ qua",
                                 "lưu hình đó thành ảnh PNG hoặc JPEG rồi chèn lại vào tệp Word"))
    kept = [(n, content, suffix, alt) for n, content, suffix, alt in usable if suffix is not None]
    numbering = {n: index for index, (n, _, _, _) in enumerate(kept, 1)}
    descriptions = {n: alt for n, _, _, alt in kept}

    def markdown(slug: str) -> tuple[str, list[str]]:
        names = [f"{slug}-{index}{suffix}" for index, (_, _, suffix, _) in enumerate(kept, 1)]

        def picture(number: int, alt: str, caption: str) -> Picture | None:
            index = numbering.get(number)
            if index is None:
                return None
            words = clean(descriptions[number]).strip() or alt or caption or f"{title} – ảnh {index}"
            return Picture(index, names[index - 1], words)

        return Writer(picture).document(root), names

    return _Draft(title, authors, [(content, suffix) for _, content, suffix, _ in kept], markdown, notes=notes)


def _refuse_other_types(source: Path, display: str) -> None:
    if not source.exists():
        raise TrangtinError([error(display, None, "không tìm thấy tệp hoặc thư mục này",
                                   "kiểm tra lại đường dẫn; tên có dấu cách thì đặt trong ngoặc kép")])
    suffix = source.suffix.lower()
    if suffix in _REFUSED_TYPES:
        message, hint = _REFUSED_TYPES[suffix]
        raise TrangtinError([error(display, None, message, hint)])
    if suffix != ".docx":
        raise TrangtinError([error(display, None, "chỉ nhập được tệp Word (.docx) hoặc một thư mục ảnh",
                                   "với tệp khác, mở bằng Word và lưu thành .docx; ảnh thì đặt chung một "
                                   "thư mục rồi nhập cả thư mục")])


def _open_docx(source: Path, display: str) -> zipfile.ZipFile:
    not_docx = error(display, None, "tệp này không phải tài liệu Word .docx (có thể là tệp .doc đổi tên, "
                     "hoặc tệp chép chưa xong)", _SAVE_AS_DOCX)
    if source.stat().st_size > MAX_DOCUMENT_BYTES:
        raise TrangtinError([error(display, None, "tệp Word quá lớn (trên 100 MB)",
                                   "chia thành vài bài, hoặc giảm cỡ ảnh (Word: Ảnh → Nén ảnh) rồi nhập lại")])
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise TrangtinError([not_docx]) from None
    names = {info.filename for info in archive.infolist()}
    unpacked = sum(info.file_size for info in archive.infolist())
    if "word/document.xml" not in names or unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise TrangtinError([not_docx])
    return archive


def _converted(source: Path, display: str, extracted: list[tuple[bytes, str, str]]) -> ET.Element:
    try:
        with source.open("rb") as stream:
            result = mammoth.convert_to_html(stream, style_map=STYLE_MAP,
                                             convert_image=mammoth.images.img_element(_collector(extracted)))
        return parse(result.value)
    except Exception:  # noqa: BLE001 - whatever a damaged archive makes the converter raise
        damaged = error(display, None, "tệp Word bị hỏng, không đọc được nội dung",
                        "mở tệp bằng Word; nếu Word sửa được thì lưu lại thành .docx rồi nhập lại")
        raise TrangtinError([damaged]) from None


def _refuse_legacy_fonts(archive: zipfile.ZipFile, display: str) -> None:
    """TCVN3 (.VnTime…) and VNI (VNI-Times…) text is not Unicode: imported, it would be gibberish."""
    found: set[str] = set()
    for part in ("word/document.xml", "word/styles.xml"):
        if part in archive.namelist():
            found.update(name.decode("utf-8", "replace") for name in _LEGACY_FONT.findall(archive.read(part)))
    if not found:
        return
    fonts = ", ".join(sorted(found))
    kind = "VNI" if all(name.upper().startswith("VNI") for name in found) else "TCVN3 (ABC)"
    raise TrangtinError([error(
        display, None, f"tệp dùng phông chữ cũ {fonts}: chữ trong các phông này không phải Unicode, "
        "lên trang web sẽ thành chữ lỗi",
        f"chuyển sang Unicode bằng Unikey: trong Word chọn hết (Ctrl+A), sao chép (Ctrl+C); bấm chuột phải vào "
        f"biểu tượng Unikey → Công cụ (Ctrl+Shift+F6), Nguồn: {kind}, Đích: Unicode, bấm Chuyển mã; dán lại vào "
        "Word (Ctrl+V), chọn phông Times New Roman, lưu rồi nhập lại")])


def _core_properties(archive: zipfile.ZipFile) -> tuple[str, list[str]]:
    """The document's title and authors as Word's File → Info shows them ('' and [] when unset)."""
    try:
        info = archive.getinfo("docProps/core.xml")
    except KeyError:
        return "", []
    if info.file_size > MAX_XML_PART_BYTES:
        return "", []
    try:
        root = ET.fromstring(archive.read(info))
    except ET.ParseError:
        return "", []
    title = text.nfc(root.findtext("dc:title", "", _CORE_NAMESPACES)).strip()
    creators = text.nfc(root.findtext("dc:creator", "", _CORE_NAMESPACES))
    authors = [name.strip() for name in re.split(r"[;,]", creators) if name.strip()]
    return title, [name for name in authors if name.casefold() not in _PLACEHOLDER_AUTHORS]


def _collector(extracted: list[tuple[bytes, str, str]]) -> Callable[[Any], dict[str, str]]:
    def collect(image: Any) -> dict[str, str]:
        if len(extracted) >= MAX_PICTURES:
            return {}
        try:
            with image.open() as stream:
                content = stream.read(MAX_DOCUMENT_BYTES)
        except (OSError, KeyError):  # a picture linked to a file on the author's computer
            return {}
        extracted.append((content, str(image.content_type or ""), str(image.alt_text or "")))
        return {"src": f"{PICTURE_SCHEME}{len(extracted)}", "alt": str(image.alt_text or "")}
    return collect


def _take_title(root: ET.Element, core_title: str) -> str:
    """Word's Title paragraph, else the title in the document's properties, else its first heading,
    else a first paragraph written all in bold (how many teachers type a title). The paragraph
    used is removed from the body (the page shows the title once)."""
    titled = next((child for child in root if child.tag == "h1" and child.get("class") == "title"), None)
    if titled is None and core_title:
        return core_title
    if titled is None:
        titled = next((child for child in root if re.fullmatch(r"h[1-6]", child.tag)), None)
    if titled is None:
        titled = _bold_first_paragraph(root)
    if titled is None:
        return ""
    root.remove(titled)
    return element_text(titled)


def _bold_first_paragraph(root: ET.Element) -> ET.Element | None:
    first = next((child for child in root if element_text(child)), None)
    if first is None or first.tag != "p" or len(element_text(first)) > MAX_TITLE_LENGTH:
        return None
    loose = [first.text, *(child.tail for child in first)]
    if any(part and part.strip() for part in loose) or any(child.tag != "strong" for child in first):
        return None
    return first


def _title_from_name(source: Path) -> str:
    return text.nfc(re.sub(r"[-_]+", " ", source.stem)).strip()


# --- a folder of photos ------------------------------------------------------------------

def _read_folder(source: Path, display: str, given_title: str | None) -> _Draft:
    title = given_title or _title_from_name(source.resolve())
    if not text.slugify(title):
        raise TrangtinError([error(display, None, f"tên thư mục '{title}' không dùng được làm tiêu đề",
                                   "đặt tiêu đề bằng --title \"Tiêu đề bài\"")])
    notes: list[Diagnostic] = []
    photos = list(_photos(sorted(source.iterdir(), key=lambda p: _natural(p.name)), notes))
    if not photos:
        raise TrangtinError([error(display, None, "thư mục không có ảnh nào",
                                   "chép ảnh từ điện thoại vào thư mục này rồi nhập lại")])
    contents = [(path.read_bytes(), _photo_suffix(path)) for path in photos[:MAX_PICTURES]]
    if len(photos) > MAX_PICTURES:
        notes.append(warning(display, None, f"thư mục có {len(photos)} ảnh, chỉ nhập {MAX_PICTURES} ảnh đầu",
                             "chia thành vài bài ảnh, mỗi bài một thư mục"))

    def markdown(slug: str) -> tuple[str, list[str]]:
        names = [f"{slug}-{n}{suffix}" for n, (_, suffix) in enumerate(contents, 1)]
        lines = [f"![{escape(title)} – ảnh {n}](<{name}>)" for n, name in enumerate(names, 1)]
        return "\n".join(lines) + "\n", names

    return _Draft(title, [], contents, markdown, gallery=True, notes=notes)


def _photos(paths: Iterable[Path], notes: list[Diagnostic]) -> Iterable[Path]:
    for path in paths:
        if path.name.startswith(".") or not path.is_file() or path.is_symlink():
            continue
        if attachments.judge(path).kind == attachments.Kind.PHOTO:
            yield path
        else:
            notes.append(warning(path.name, None, "tệp này không phải ảnh nên không đưa vào bài ảnh",
                                 "video thì đăng lên kênh video của trường rồi dán liên kết vào bài"))


def _photo_suffix(path: Path) -> str:
    return path.suffix.lower() if pipeline.is_image(path.name) else ".jpg"


def _natural(name: str) -> list[Any]:
    """IMG_2.jpg before IMG_10.jpg, as a phone took them."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]
