"""``trangtin check``: everything a build reads, validated without building.

Posts go through the same :func:`content.load_unit_posts` as the build, so a post that
``check`` rejects is exactly a post the build leaves out, with the same message. On top of
that: the other pages of each unit (encoding, front matter, links), the Thông tư 37
sections that are still empty, and the registers written as front matter (Văn bản, Công khai).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from trangtin.common import dates, text
from trangtin.common.diagnostics import Diagnostic, Severity, TrangtinError, error, info, warning
from trangtin.content import calendar
from trangtin.content.attachments import Judged, Kind, Use, judge_files, on_disk
from trangtin.content.items import item_from_post
from trangtin.content.links import LinkReader, resolve_reference
from trangtin.content.posts import (
    POSTS_DIR,
    Post,
    display_path,
    internal_error,
    iter_post_files,
    link_reader,
    load_unit_posts,
)
from trangtin.content.sources import Source, read_source
from trangtin.content.unsafe_html import page_policy, removal_warnings
from trangtin.network.model import Network, Unit
from trangtin.network.sections import Section, sections_for
from trangtin.network.suggest import did_you_mean
from trangtin.photos import pipeline


@dataclass(frozen=True)
class Register:
    """A list kept in a section page's front matter: the fields of each entry."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    date: str
    example: str

    @property
    def known(self) -> set[str]:
        return set(self.required) | set(self.optional)


# Thông tư 37/2020 Điều 9 (Văn bản) and Thông tư 09/2024 (Công khai): what each entry must say.
REGISTERS: dict[str, Register] = {
    "documents": Register(("so_ky_hieu", "ngay_ban_hanh", "trich_yeu"), ("co_quan_ban_hanh", "tep"),
                          "ngay_ban_hanh", "so_ky_hieu: 123/KH-THCSAB"),
    "disclosures": Register(("nam_hoc", "noi_dung", "ngay"), ("tep",), "ngay", "nam_hoc: 2025-2026"),
}
# Files a teacher may have meant as a post: read by nothing unless named ``*.md``.
_POST_LIKE = (".md", ".markdown", ".mdown", ".txt", ".docx", ".doc", ".odt", ".rtf")
# Pages (MkDocs reads these suffixes as Markdown) and settings such as highlights.yml.
_NOT_ATTACHMENTS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".yml", ".yaml")
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_HEADINGS_AND_COMMENTS = re.compile(r"^#[^\n]*$|<!--.*?-->", re.MULTILINE | re.DOTALL)


@dataclass
class CheckReport:
    """What ``trangtin check`` found, for the command to print."""

    units: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    posts: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    def summary(self) -> str:
        """The final line: how many units and posts, how many problems of each kind."""
        counts = ", ".join(f"{self.count(s)} {s.value}" for s in Severity)
        verdict = "cần sửa các lỗi trên trước khi đăng" if self.has_errors else "không có lỗi"
        return f"Đã kiểm tra {len(self.units)} đơn vị, {self.posts} bài viết: {counts} — {verdict}."

    def to_json(self) -> str:
        return json.dumps({
            "units": self.units, "posts": self.posts,
            "counts": {s.name.lower(): self.count(s) for s in Severity},
            "diagnostics": [d.to_dict() for d in sorted(self.diagnostics, key=_order)],
        }, ensure_ascii=False, indent=2)


def _order(diagnostic: Diagnostic) -> tuple[str, str, int]:
    return diagnostic.unit, diagnostic.path, diagnostic.line or 0


def select_units(network: Network, wanted: Iterable[str]) -> list[Unit]:
    """The units to check: those named (with a "did you mean"), or every unit with content here."""
    wanted = list(wanted)
    if not wanted:
        return [u for u in network.units.values()
                if u.type != "to" and (network.config_file(u.id) or network.content_dir(u.id).is_dir())]
    unknown = [name for name in wanted if name not in network.units]
    if unknown:
        raise TrangtinError([unknown_unit(network, name) for name in unknown])
    return [network.units[name] for name in wanted]


def unknown_unit(network: Network, name: str) -> Diagnostic:
    guess = did_you_mean(name, sorted(network.units))
    hint = f"có phải ý bạn là '{guess}'?" if guess else "xem danh sách id trong network.yml"
    return error("network.yml", None, f"không có đơn vị '{name}'", hint)


def check_network(network: Network, wanted: Iterable[str] = (), now: dt.datetime | None = None) -> CheckReport:
    """Check the chosen units (default: all with content here); never raises for bad content."""
    units = select_units(network, wanted)
    now = now or dates.now(network.timezone)
    report = CheckReport([u.id for u in units])
    for unit in units:
        try:
            report.posts += check_unit(network, unit, now, report.diagnostics)
        except Exception as exc:  # noqa: BLE001 - a bug in one unit must not hide the others
            report.diagnostics.append(_tagged(internal_error(f"content/{unit.id}", exc), unit.id))
    if not list(wanted):
        report.diagnostics.extend(stray_content_folders(network))
    return report


def check_unit(network: Network, unit: Unit, now: dt.datetime, found: list[Diagnostic]) -> int:
    """Append the unit's problems to ``found``; return how many posts were read."""
    root = network.content_dir(unit.id)
    if not root.is_dir():
        found.append(_missing_folder(network, unit))
        return 0
    links = link_reader(network, unit)
    content = load_unit_posts(network, unit, now, links)
    found.extend(content.diagnostics)
    pages = [_tagged(d, unit.id) for d in check_pages(network, unit, root, links)]
    found.extend(pages)
    attached = {asset for post in content.posts for asset in post.assets}
    found.extend(_tagged(d, unit.id) for d in misnamed_posts(root, attached))
    found.extend(_tagged(d, unit.id) for d in file_problems(root, content.posts, links))
    found.extend(disclosure_warnings(network, unit, content.published(now), now))
    found.extend(_tagged(d, unit.id) for d in identity_images(network, unit, root))
    links.save()
    return sum(1 for _ in iter_post_files(root))


def identity_images(network: Network, unit: Unit, root: Path) -> list[Diagnostic]:
    """``identity.logo`` and ``identity.banner`` name a file of the unit's folder; without it
    the site shows the default look, and says why (a file that is not a picture is named by
    the check of the folder's files, like any other)."""
    found = []
    for field_name, path in (("logo", unit.identity.logo), ("banner", unit.identity.banner)):
        if not path:
            continue
        display = f"content/{unit.id}/{path}"
        if not (root / path).is_file():
            found.append(warning(network.path.name, unit.line,
                                 f"không thấy tệp {field_name} {display} của {unit.name}; trang dùng giao diện "
                                 "mặc định", f"đặt tệp ảnh vào thư mục nội dung của đơn vị hoặc sửa "
                                             f"'{field_name}:' trong identity"))
    return found


def disclosure_warnings(network: Network, unit: Unit, published: list[Post],
                        now: dt.datetime) -> list[Diagnostic]:
    """The disclosure calendar of the unit: the next deadline and what is missing."""
    if not network.disclosure_rules(unit.id):
        return []
    items = [item_from_post(post, unit, unit.site_url or "/") for post in published]
    return calendar.check_warnings(network, unit.id, items, now.astimezone(network.timezone).date())


def file_problems(root: Path, posts: list[Post], links: LinkReader | None = None) -> list[Diagnostic]:
    """Files the build would leave out: refused by their content, or photos it cannot decode."""
    judged = judge_unit_files(root, posts, links=links)
    return judged.diagnostics + photo_problems(root, judged.of_kind(Kind.PHOTO))


def photo_problems(root: Path, photos: Iterable[str]) -> list[Diagnostic]:
    """Photos the build would skip (broken, truncated, mislabelled, too large), found by a quick decode."""
    found = []
    for uri in sorted(photos):
        if problem := pipeline.inspect(on_disk(root / uri), f"content/{root.name}/{uri}"):
            found.append(problem)
    return found


# --- files beside posts and pages ------------------------------------------------------------

def judge_unit_files(root: Path, posts: Iterable[Post], loose: Iterable[str] | None = None,
                     links: LinkReader | None = None) -> Judged:
    """The posts' attachments and the other files of the unit's folder, judged by their content.

    ``loose`` are the files outside posts/ the site would publish (default: found on disk, as
    ``check`` does; the build passes those MkDocs found). Refusals name the line that links them.
    """
    posts = list(posts)
    uris = {asset for post in posts for asset in post.assets}
    uris.update(loose_files(root) if loose is None else loose)
    return judge_files(root, uris, file_uses(root, posts, links or LinkReader()))


def loose_files(root: Path) -> list[str]:
    """Files outside posts/ that a build would publish: not pages, not hidden, not settings (YAML)."""
    posts = root / POSTS_DIR
    return [text.nfc(path.relative_to(root).as_posix()) for path in root.rglob("*")
            if path.is_file() and not path.is_relative_to(posts) and is_published_file(path.relative_to(root))]


def is_published_file(relative: PurePath) -> bool:
    """Whether a build copies this file of a content folder: not a page, not hidden, not a setting."""
    hidden = any(part.startswith(".") for part in relative.parts)
    return not hidden and relative.suffix.lower() not in _NOT_ATTACHMENTS


def file_uses(root: Path, posts: Iterable[Post], links: LinkReader) -> dict[str, Use]:
    """For each file linked by a post or a page (a link, an image, a register's ``tep:``): its first use."""
    uses: dict[str, Use] = {}
    for post in posts:
        display = display_path(root, post.source_path)
        for asset, post_line in post.asset_lines.items():
            uses.setdefault(asset, Use(display, post_line))
    for path in sorted(_page_files(root)):
        source = read_source(path, display_path(root, path))
        if source.readable:
            for line, target in _page_targets(source, links):
                resolved, problem = resolve_reference(target, source.path.parent, root, is_image=False)
                if resolved is not None and problem is None:
                    uses.setdefault(text.nfc(resolved.relative_to(root).as_posix()), Use(source.display, line))
    return uses


def _page_targets(source: Source, links: LinkReader) -> Iterable[tuple[int | None, str]]:
    """The local files a page links: in its text, and in the ``tep:`` of its registers."""
    for reference in links.read(source.body, source.body_line).references:
        if reference.is_relative:
            yield reference.line, reference.target
    for key in REGISTERS:
        entries = source.meta.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and entry.get("tep"):
                yield source.line(key, index, "tep"), str(entry["tep"])


def misnamed_posts(root: Path, attached: set[str]) -> list[Diagnostic]:
    """Files in posts/ that look like posts but are never read: ``.md.txt`` from Notepad, Word files…

    A file a post links to (``attached``, e.g. a .docx to download) is an attachment, not a mistake.
    """
    posts = root / POSTS_DIR
    if not posts.is_dir():
        return []
    found = []
    for path in sorted(p for p in posts.rglob("*") if p.is_file()):
        hint = _misnamed_hint(path.name)
        if hint and text.nfc(path.relative_to(root).as_posix()) not in attached:
            found.append(warning(display_path(root, path), None, "tệp này không phải bài viết .md nên không được đăng",
                                 hint))
    return found


def _misnamed_hint(name: str) -> str | None:
    lower = name.lower()
    if name.endswith(".md") or not lower.endswith(_POST_LIKE):
        return None
    if lower.endswith(".md.txt"):
        return "Notepad đã thêm đuôi .txt: đổi tên tệp, bỏ phần '.txt' ở cuối (Lưu thành… chọn 'All files')"
    if lower.endswith((".docx", ".doc", ".odt", ".rtf")):
        return "chép nội dung sang một tệp .md (xem hướng dẫn viết bài); tệp Word không được đăng"
    stem = name.rsplit(".", 1)[0]
    return f"đổi tên thành '{stem}.md' (đuôi .md viết thường)"


def _missing_folder(network: Network, unit: Unit) -> Diagnostic:
    where = f"content/{unit.id}"
    if unit.is_remote:
        return _tagged(info(where, None, "đơn vị này có trang ở nơi khác (lấy tin qua feed), không có nội dung ở đây",
                            "không cần làm gì"), unit.id)
    if network.config_file(unit.id) is None:
        return _tagged(info(where, None, "đơn vị này không được xây dựng trang ở đây", "không cần làm gì"), unit.id)
    return _tagged(warning(where, None, "chưa có thư mục nội dung của đơn vị",
                           f"tạo thư mục content/{unit.id}/ với tệp index.md"), unit.id)


def stray_content_folders(network: Network) -> list[Diagnostic]:
    """Folders under content/ that no unit owns: their posts would never be published."""
    folder = network.root / "content"
    if not folder.is_dir():
        return []
    found = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith(".") and child.name not in network.units:
            guess = did_you_mean(child.name, sorted(network.units))
            hint = (f"có phải ý bạn là '{guess}'? đổi tên thư mục cho đúng id trong network.yml" if guess
                    else "đổi tên thư mục cho đúng id của một đơn vị trong network.yml")
            found.append(warning(f"content/{child.name}", None,
                                 "thư mục không ứng với đơn vị nào trong network.yml nên không được đăng", hint))
    return found


def page_problems(network: Network, unit: Unit, links: LinkReader | None = None) -> list[Diagnostic]:
    """What the build reports about a unit's pages other than posts (same rules as ``check``)."""
    root = network.content_dir(unit.id)
    if not root.is_dir():
        return []
    return [_tagged(d, unit.id) for d in check_pages(network, unit, root, links)]


def usable_registers(meta: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The registers of a section page keeping only entries a page can show, dates as dates.

    An entry with a missing or impossible date is left out (``check`` and the build say why)
    rather than failing the whole site when the register is sorted by date.
    """
    usable: dict[str, list[dict[str, Any]]] = {}
    for key, spec in REGISTERS.items():
        if key not in meta:
            continue
        entries = meta[key] if isinstance(meta[key], list) else []
        usable[key] = [entry for entry in (_usable_entry(e, spec.date) for e in entries) if entry]
    return usable


def _usable_entry(entry: object, date_key: str) -> dict[str, Any] | None:
    if not isinstance(entry, dict) or entry.get(date_key) in (None, ""):
        return None
    try:
        day = dates.parse_date(entry[date_key]).date()
    except dates.DateProblem:
        return None
    return {**entry, date_key: day}


def _tagged(diagnostic: Diagnostic, unit_id: str) -> Diagnostic:
    return Diagnostic(diagnostic.path, diagnostic.line, diagnostic.severity, diagnostic.message,
                      diagnostic.hint, unit_id)


# --- pages other than posts ------------------------------------------------------------------

def check_pages(network: Network, unit: Unit, root: Path, links: LinkReader | None = None) -> list[Diagnostic]:
    """Every Markdown page outside posts/, and every Thông tư 37 section of the unit."""
    links = links or link_reader(network, unit)
    found: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    for path in sorted(_page_files(root)):
        src_uri = text.nfc(path.relative_to(root).as_posix())
        try:
            source = read_source(path, display_path(root, path))
            sources[src_uri] = source
            found.extend(source.diagnostics)
            if source.readable:
                found.extend(check_page_links(source, root, links))
            # Published even with broken front matter (without it): judged all the same.
            found.extend(removal_warnings(source.display, source.body, source.body_line, page_policy(network)))
        except Exception as exc:  # noqa: BLE001 - a bug on one page must not hide the others
            found.append(internal_error(display_path(root, path), exc))
    for section in sections_for(unit, network):
        found.extend(check_section(network, unit, section, sources.get(section.src_uri)))
    return found


def _page_files(root: Path) -> Iterable[Path]:
    posts = root / POSTS_DIR
    return (p for p in root.rglob("*.md") if p.is_file() and not p.is_relative_to(posts))


def check_page_links(source: Source, root: Path, links: LinkReader) -> list[Diagnostic]:
    """The links and images of a page, read and judged as for posts (the page is built anyway)."""
    found = []
    parsed = links.read(source.body, source.body_line)
    for reference in parsed.references:
        _, problem = links.judge(reference, parsed, source.path.parent, root)
        if problem is not None:
            found.append(_placed(problem, source.display, reference.line))
    return found


def _placed(problem: Diagnostic, path: str, line: int | None) -> Diagnostic:
    return Diagnostic(path, line, problem.severity, problem.message, problem.hint)


def check_section(network: Network, unit: Unit, section: Section, source: Source | None) -> list[Diagnostic]:
    """An empty required section, and the register a section page keeps in its front matter."""
    found: list[Diagnostic] = []
    if source is not None and source.readable:
        for key in REGISTERS:
            if key in source.meta:
                found.extend(check_register(source, key, network.content_dir(unit.id)))
    if section.required and _is_empty(section, unit, source):
        where = f"content/{unit.id}/{section.src_uri}"
        found.append(warning(where, None,
                             f"mục '{section.title}' (Thông tư 37/2020) chưa có nội dung: trang sẽ chỉ hiện "
                             "dòng 'đang được cập nhật'", _fill_hint(section)))
    return found


def _is_empty(section: Section, unit: Unit, source: Source | None) -> bool:
    if section.key == "about" and unit.identity.leaders:
        return False  # the leaders table from network.yml fills the page
    if section.key == "feedback" and (unit.identity.email or unit.identity.phone):
        return False  # the page offers the unit's email and phone
    if source is None or not source.readable:
        return source is None
    if any(source.meta.get(key) for key in REGISTERS):
        return False
    return not _HEADINGS_AND_COMMENTS.sub("", source.body).strip()


def _fill_hint(section: Section) -> str:
    if section.key == "documents":
        return f"tạo tệp {section.src_uri} với danh sách 'documents:' (xem hướng dẫn viết bài)"
    if section.key == "disclosure":
        return f"tạo tệp {section.src_uri} với danh sách 'disclosures:' (xem hướng dẫn viết bài)"
    return f"viết nội dung vào tệp {section.src_uri}"


def check_register(source: Source, key: str, root: Path) -> list[Diagnostic]:
    """Each entry of ``documents:`` / ``disclosures:``: a group with its fields and a real date."""
    entries = source.meta[key]
    if entries is None:
        return []
    if not isinstance(entries, list):
        return [error(source.display, source.line(key), f"'{key}' phải là danh sách",
                      f"mỗi mục bắt đầu bằng '- ', ví dụ: '- {REGISTERS[key].example}'")]
    found: list[Diagnostic] = []
    for index, entry in enumerate(entries):
        found.extend(_check_entry(source, key, index, entry, root))
    return found


def _check_entry(source: Source, key: str, index: int, entry: object, root: Path) -> list[Diagnostic]:
    spec = REGISTERS[key]
    line = source.line(key, index)
    number = index + 1
    if not isinstance(entry, dict):
        return [error(source.display, line, f"mục thứ {number} của '{key}' phải là một nhóm khóa",
                      f"ví dụ: '- {spec.example}' rồi các dòng khác thụt vào thẳng hàng")]
    found = []
    for name in entry:
        if name not in spec.known:
            found.append(warning(source.display, source.line(key, index, str(name)),
                                 f"khóa '{name}' trong mục thứ {number} của '{key}' không được hỗ trợ",
                                 "các khóa hợp lệ: " + ", ".join(sorted(spec.known))))
    for name in spec.required:
        if entry.get(name) in (None, ""):
            found.append(error(source.display, line, f"mục thứ {number} của '{key}' thiếu '{name}'",
                               f"thêm dòng '{name}: ...' vào mục này"))
    found.extend(_check_entry_values(source, key, index, entry, root))
    return found


def _check_entry_values(source: Source, key: str, index: int, entry: dict[str, Any],
                        root: Path) -> list[Diagnostic]:
    found = []
    date_key = REGISTERS[key].date
    value = entry.get(date_key)
    if value not in (None, ""):
        try:
            dates.parse_date(value)
        except dates.DateProblem as bad_date:
            found.append(error(source.display, source.line(key, index, date_key), bad_date.message, bad_date.hint))
    year = entry.get("nam_hoc")
    if year is not None and not _valid_school_year(str(year)):
        found.append(error(source.display, source.line(key, index, "nam_hoc"),
                           f"năm học '{year}' không đúng dạng", "viết năm học dạng 2025-2026"))
    target = entry.get("tep")
    if target:
        _, problem = resolve_reference(str(target), source.path.parent, root, is_image=False)
        if problem is None and not text.is_safe_link(str(target)):
            problem = warning("", None, f"'tep: {target}' không phải là tệp hay địa chỉ trang web",
                              "ghi đường dẫn tới tệp đặt cạnh trang (ví dụ files/ke-hoach.pdf) hoặc "
                              "địa chỉ https://…; mục này được đăng không kèm liên kết")
        if problem is not None:
            found.append(_placed(problem, source.display, source.line(key, index, "tep")))
    return found


def _valid_school_year(value: str) -> bool:
    match = _SCHOOL_YEAR.match(value.strip())
    return match is not None and int(match.group(2)) == int(match.group(1)) + 1
