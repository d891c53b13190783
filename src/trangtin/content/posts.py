"""The post model: a teacher's Markdown file read, validated and dated, or explained.

No MkDocs here: the plugin, ``trangtin check``, feeds and counting all use this module.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trangtin.common import dates, text, weeks
from trangtin.common.diagnostics import Diagnostic, error, info, warning
from trangtin.content.links import LINK_CACHE, LinkMemo, LinkReader, MarkdownSetup, resolve_reference
from trangtin.content.sources import Source, read_source
from trangtin.content.unsafe_html import page_policy, removal_warnings
from trangtin.network.model import Network, Unit
from trangtin.network.suggest import category_hint, find_category, find_team, team_hint

POSTS_DIR = "posts"
NEWS_URL = "tin-tuc"

POST_KEYS = {
    "title", "date", "updated", "authors", "to", "categories", "tags", "description",
    "cover", "highlight", "draft", "approved_by", "slug", "gallery", "ap_dung",
}
_LIST_KEYS = {"authors", "categories", "tags"}
_TEXT_KEYS = {"title", "description", "cover", "approved_by", "slug", "to"}
_BOOL_KEYS = {"highlight", "draft", "gallery"}
# A date more than this far ahead is probably a typo (2052 for 2025), not a scheduled post.
FAR_FUTURE = dt.timedelta(days=366)
INTERNAL_HINT = ("đây là lỗi của chương trình, không phải của bài viết: "
                 "xin báo lỗi này cho nhóm phát triển kèm thông báo trên")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(eq=False)
class Post:
    """One news item of one unit, as authors wrote it and readers will see it."""

    unit: str
    src_uri: str
    source_path: Path
    title: str
    date: dt.datetime
    body: str
    body_line: int = 1
    slug: str = ""
    updated: dt.datetime | None = None
    authors: list[str] = field(default_factory=list)
    team: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str = ""
    cover: str | None = None
    highlight: bool = False
    draft: bool = False
    approved_by: str | None = None
    gallery: bool = False
    applies_to: dt.date | None = None  # ``ap_dung``: a day of the week or month a menu or plan is for
    assets: list[str] = field(default_factory=list)
    asset_lines: dict[str, int] = field(default_factory=dict)  # asset → first line that uses it
    post_links: list[tuple[int | None, str, str]] = field(default_factory=list)  # line, target, src_uri

    @property
    def url(self) -> str:
        # Asked for on every listing and card a post appears on; made again when its date or slug changes.
        made = self.__dict__.get("_url")
        if made is None or made[0] != (self.date, self.slug):
            made = self.__dict__["_url"] = ((self.date, self.slug),
                                            f"{NEWS_URL}/{self.date:%Y}/{self.date:%m}/{self.slug}/")
        return made[1]

    @property
    def dest_uri(self) -> str:
        return self.url + "index.html"

    @property
    def excerpt(self) -> str:
        return self.description or self._of_body("excerpt", text.excerpt)

    @property
    def reading_minutes(self) -> int:
        return self._of_body("reading_minutes", text.reading_minutes)

    def _of_body(self, name: str, derive: Callable[[str], Any]) -> Any:
        """``derive(self.body)``, computed once for each body (listings ask many times)."""
        memo = self.__dict__.setdefault("_derived", {})
        found = memo.get(name)
        if found is None or found[0] is not self.body:
            found = memo[name] = (self.body, derive(self.body))
        return found[1]

    @property
    def has_media(self) -> bool:
        return bool(self.cover) or "![" in self.body or "<video" in self.body

    def status(self, now: dt.datetime, requires_approval: bool) -> str:
        """``published``, ``draft``, ``unapproved`` or ``scheduled`` (dated in the future)."""
        if self.draft:
            return "draft"
        if requires_approval and not self.approved_by:
            return "unapproved"
        if self.date > now:
            return "scheduled"
        return "published"


@dataclass
class UnitContent:
    """Everything read from ``content/<unit>/posts``: the valid posts and the problems."""

    unit: Unit
    posts: list[Post]
    diagnostics: list[Diagnostic]

    def published(self, now: dt.datetime) -> list[Post]:
        chosen = [p for p in self.posts if p.status(now, self.unit.requires_approval) == "published"]
        return sorted(chosen, key=lambda p: (p.date, p.slug), reverse=True)


ReadPost = Callable[[Path], tuple["Post | None", list[Diagnostic]]]


def load_unit_posts(network: Network, unit: Unit, now: dt.datetime | None = None,
                    links: LinkReader | None = None,
                    read_all: Callable[[ReadPost, list[Path]], list[tuple[Post | None, list[Diagnostic]]]]
                    | None = None) -> UnitContent:
    """Read every post of a unit; a post with an error is left out and explained.

    ``links`` reads links and images as the site's Markdown does (default: the extensions of
    the unit's ``mkdocs.yml``); the build hands its own, with a cache. ``read_all(read,
    paths)`` gives ``read(path)`` of every path, in order (the build shares them out).
    """
    now = now or dates.now(network.timezone)
    root = network.content_dir(unit.id)
    own_reader = links is None
    reader = links or link_reader(network, unit)
    posts: list[Post] = []
    problems: list[Diagnostic] = []
    seen_urls: dict[str, Post] = {}
    paths = sorted(iter_post_files(root))

    def read(path: Path) -> tuple[Post | None, list[Diagnostic]]:
        return read_post_safely(path, root, network, unit, now, reader)
    read_posts = read_all(read, paths) if read_all is not None else [read(path) for path in paths]
    for post, found in read_posts:
        if post is not None and post.url in seen_urls:
            found.append(_duplicate(post, seen_urls[post.url], root))
            post = None
        if post is not None:
            seen_urls[post.url] = post
            posts.append(post)
        problems.extend(found)
    problems.extend(links_to_unpublished(posts, root, unit, now))
    if own_reader:
        reader.save()
    return UnitContent(unit, posts, [_with_unit(d, unit.id) for d in problems])


def links_to_unpublished(posts: list[Post], root: Path, unit: Unit, now: dt.datetime) -> list[Diagnostic]:
    """Links from one post to another that will not be on the site (draft, not approved, later,
    or left out for an error): the build keeps them as written, so they would lead nowhere."""
    published = {p.src_uri for p in posts if p.status(now, unit.requires_approval) == "published"}
    found = []
    for post in posts:
        for line, target, src_uri in post.post_links:
            if src_uri not in published:
                found.append(warning(display_path(root, post.source_path), line,
                                     f"liên kết '{target}' trỏ tới bài chưa được đăng (bản nháp, chưa duyệt, "
                                     "hẹn ngày hoặc có lỗi)",
                                     "đăng bài đó trước hoặc bỏ liên kết: người đọc bấm vào sẽ gặp trang lỗi"))
    return found


def link_reader(network: Network, unit: Unit, setup: MarkdownSetup | None = None) -> LinkReader:
    """Links read with the Markdown extensions of the site that builds ``unit`` (``setup``: as
    MkDocs loaded them, in a build), kept in the unit's link cache (``LinkReader.save``)."""
    setup = setup or MarkdownSetup.for_config_file(network.config_file(unit.id))
    return LinkReader(setup, LinkMemo(network.root / LINK_CACHE / f"{unit.id}.pickle"))


def iter_post_files(root: Path) -> Iterable[Path]:
    posts_dir = root / POSTS_DIR
    if not posts_dir.is_dir():
        return []
    return (p for p in posts_dir.rglob("*.md") if p.is_file())


def display_path(root: Path, path: Path) -> str:
    """How messages name a file: ``content/<unit>/…``, in NFC whatever the disk wrote."""
    return text.nfc(f"content/{root.name}/{path.relative_to(root).as_posix()}")


def _with_unit(diagnostic: Diagnostic, unit_id: str) -> Diagnostic:
    return Diagnostic(diagnostic.path, diagnostic.line, diagnostic.severity, diagnostic.message,
                      diagnostic.hint, unit_id)


def _duplicate(post: Post, first: Post, root: Path) -> Diagnostic:
    source = read_source(post.source_path, display_path(root, post.source_path))
    line = source.line("slug") if "slug" in source.meta else 1
    return error(display_path(root, post.source_path), line,
                 f"trùng đường dẫn với bài {display_path(root, first.source_path)} ({post.url})",
                 "đổi tên tệp hoặc thêm 'slug:' khác cho một trong hai bài")


def internal_error(display: str, exc: BaseException) -> Diagnostic:
    """An unexpected failure (a bug) while reading one file, named as such."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f", {Path(where.filename).name}:{where.lineno}" if where else ""
    return error(display, None, f"lỗi nội bộ của trangtin khi đọc tệp này ({type(exc).__name__}: {exc}{place})",
                 INTERNAL_HINT)


def read_post_safely(path: Path, root: Path, network: Network, unit: Unit, now: dt.datetime,
                     links: LinkReader | None = None) -> tuple[Post | None, list[Diagnostic]]:
    """:func:`read_post`, but a bug while reading one file drops that file, not the site."""
    try:
        return read_post(path, root, network, unit, now, links)
    except Exception as exc:  # noqa: BLE001 - one post must never stop a whole build
        return None, [internal_error(display_path(root, path), exc)]


def read_post(path: Path, root: Path, network: Network, unit: Unit, now: dt.datetime,
              links: LinkReader | None = None) -> tuple[Post | None, list[Diagnostic]]:
    """Read one post file; returns (post or None when it cannot be published, diagnostics)."""
    source = read_source(path, display_path(root, path))
    if not source.readable:
        return None, source.diagnostics
    checker = _PostChecker(source, root, network, unit, now, links or link_reader(network, unit))
    post = checker.build()
    return post, source.diagnostics + checker.problems


class _PostChecker:
    def __init__(self, source: Source, root: Path, network: Network, unit: Unit,
                 now: dt.datetime, links: LinkReader):
        self.source, self.root, self.network, self.unit, self.now = source, root, network, unit, now
        self.links = links
        self.meta = source.meta
        self.problems: list[Diagnostic] = []
        self.assets: list[str] = []
        self.asset_lines: dict[str, int] = {}
        self.post_links: list[tuple[int | None, str, str]] = []

    def add(self, diagnostic_factory: Any, key: str | None, message: str, hint: str,
            line: int | None = None) -> None:
        """A problem on the line of ``key``, or on the first line when the key is missing."""
        where = line or (self.source.line(key) if key else 1)
        self.problems.append(diagnostic_factory(self.source.display, where, message, hint))

    def build(self) -> Post | None:
        """Every check runs, so one reading lists every problem; any error leaves the post out."""
        self.check_keys()
        self.has_type_errors()
        title = self.read_title()
        date = self.read_date("date", required=True)
        updated = self.read_date("updated", required=False)
        team, categories, cover = self.read_team(), self.read_categories(), self.read_cover()
        self.check_links()
        self.check_markup()
        if title is None or date is None or any(d.is_error for d in self.problems):
            return None
        post = Post(
            unit=self.unit.id, src_uri=self.src_uri, source_path=self.source.path,
            title=title, date=date, body=self.source.body, body_line=self.source.body_line,
            slug=self.read_slug(), updated=updated,
            authors=self.as_list("authors"), team=team,
            categories=categories, tags=self.as_list("tags"),
            description=str(self.meta.get("description") or ""),
            cover=cover, highlight=bool(self.meta.get("highlight", False)),
            draft=bool(self.meta.get("draft", False)),
            approved_by=(str(self.meta["approved_by"]) if self.meta.get("approved_by") else None),
            gallery=bool(self.meta.get("gallery", False)), applies_to=self.read_applies_to(),
            assets=sorted(set(self.assets)), asset_lines=self.asset_lines, post_links=self.post_links,
        )
        self.check_body(post)
        self.report_status(post)
        return post

    @property
    def src_uri(self) -> str:
        return text.nfc(self.source.path.relative_to(self.root).as_posix())

    def check_keys(self) -> None:
        for key in self.meta:
            if str(key) in POST_KEYS:
                continue
            self.add(warning, str(key), f"khóa '{key}' không được hỗ trợ, đã bỏ qua", _key_hint(str(key)))

    def has_type_errors(self) -> bool:
        failed = False
        for key, value in self.meta.items():
            if value is None:
                continue
            if key in _BOOL_KEYS and not isinstance(value, bool):
                self.add(error, key, f"'{key}' phải là true hoặc false, không phải '{value}'",
                         f"viết '{key}: true' hoặc '{key}: false'")
                failed = True
            elif key in _TEXT_KEYS and not isinstance(value, str | int | float):
                self.add(error, key, f"'{key}' phải là một dòng chữ",
                         f"viết '{key}: ...' trên một dòng")
                failed = True
            elif key in _LIST_KEYS and not _is_list_of_text(value):
                self.add(error, key, f"'{key}' phải là danh sách tên",
                         f"viết '{key}: [Tên 1, Tên 2]' hoặc mỗi mục một dòng bắt đầu bằng '- '")
                failed = True
        return failed

    def read_title(self) -> str | None:
        title = self.meta.get("title")
        if title is not None and not isinstance(title, str | int | float):
            return None  # has_type_errors said what is wrong
        if isinstance(title, str | int | float) and str(title).strip():
            return str(title).strip()
        if match := _H1.search(self.source.body):
            return match.group(1).strip()
        self.add(error, "title" if "title" in self.meta else None, "bài viết thiếu tiêu đề",
                 "thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài")
        return None

    def read_date(self, key: str, required: bool) -> dt.datetime | None:
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                self.add(error, None if key not in self.meta else key, "bài viết thiếu ngày đăng",
                         "thêm dòng 'date: 2025-09-05 07:30' (giờ Việt Nam)")
            return None
        try:
            return dates.parse_date(value, self.network.timezone)
        except dates.DateProblem as problem:
            self.add(error, key, problem.message, problem.hint)
            return None

    def read_applies_to(self) -> dt.date | None:
        """``ap_dung``: the week or month a menu or plan is for; unreadable, the post's date
        decides (a warning, the post is still published)."""
        value = self.meta.get("ap_dung")
        if value is None or value == "":
            return None
        try:
            return weeks.parse_applies_to(value)
        except weeks.PeriodTextProblem:
            self.add(warning, "ap_dung", f"không đọc được kỳ áp dụng '{value}', tạm tính theo ngày đăng",
                     "viết ví dụ: ap_dung: " + weeks.EXAMPLES)
            return None

    def read_slug(self) -> str:
        raw = self.meta.get("slug") or self.source.path.stem
        return text.slugify(str(raw)) or "bai-viet"

    def as_list(self, key: str) -> list[str]:
        value = self.meta.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [str(item).strip() for item in items if str(item).strip()]

    def read_team(self) -> str | None:
        value = self.meta.get("to")
        if not value:
            return None
        team = find_team(self.network, self.unit, str(value))
        if team is None:
            self.add(warning, "to", f"tổ '{value}' không có trong danh sách tổ của đơn vị",
                     team_hint(self.network, self.unit, str(value)))
            return None
        return team.id

    def read_categories(self) -> list[str]:
        found = []
        for name in _rejoin_commas(self.as_list("categories"), self.network):
            category = find_category(self.network, name)
            if category is None:
                self.add(warning, "categories", f"chuyên mục '{name}' không có trong danh sách",
                         category_hint(self.network, name))
                continue
            if category not in found:
                found.append(category)
        return found

    def read_cover(self) -> str | None:
        cover = self.meta.get("cover")
        if not cover or not isinstance(cover, str | int | float):  # a list or a group: a type error already
            return None
        if self.resolve_local(str(cover), self.source.line("cover"), is_image=True) is None:
            return None
        return str(cover)

    def check_links(self) -> None:
        parsed = self.links.read(self.source.body, self.source.body_line)
        for reference in parsed.references:
            resolved, problem = self.links.judge(reference, parsed, self.source.path.parent, self.root)
            self.note_reference(reference.target, reference.line, resolved, problem)

    def resolve_local(self, target: str, line: int | None, is_image: bool) -> Path | None:
        resolved, problem = resolve_reference(target, self.source.path.parent, self.root, is_image)
        return self.note_reference(target, line, resolved, problem)

    def note_reference(self, target: str, line: int | None, resolved: Path | None,
                       problem: Diagnostic | None) -> Path | None:
        """A problem of a link, or the file it brings into the post (an asset, another post)."""
        posts_dir = self.root / POSTS_DIR
        if problem is not None:
            self.problems.append(Diagnostic(self.source.display, line, problem.severity, problem.message,
                                            problem.hint))
            return None
        if resolved is not None and resolved.is_file() and resolved.suffix.lower() != ".md":
            asset = text.nfc(resolved.relative_to(self.root).as_posix())
            self.assets.append(asset)
            if line is not None:
                self.asset_lines.setdefault(asset, line)
        elif resolved is not None and resolved.suffix.lower() == ".md" and resolved.is_relative_to(posts_dir):
            self.post_links.append((line, target, text.nfc(resolved.relative_to(self.root).as_posix())))
        return resolved

    def check_markup(self) -> None:
        """Raw HTML, link targets and attributes the published page will not keep."""
        self.problems.extend(removal_warnings(self.source.display, self.source.body, self.source.body_line,
                                              page_policy(self.network)))

    def check_body(self, post: Post) -> None:
        if not text.plain_text(_H1.sub("", post.body)).strip() and not post.has_media:
            self.add(warning, None, "bài viết chưa có nội dung", "viết nội dung bài dưới dòng '---' thứ hai",
                     line=self.source.body_line)

    def report_status(self, post: Post) -> None:
        status = post.status(self.now, self.unit.requires_approval)
        if status == "draft":
            self.add(info, "draft", f"bài '{post.title}' đang là bản nháp nên chưa đăng",
                     "khi bài đã viết xong, sửa thành 'draft: false'")
        elif status == "unapproved":
            self.add(info, None, f"bài '{post.title}' chưa được duyệt nên chưa đăng",
                     "Ban Giám hiệu duyệt bằng cách thêm 'approved_by: <họ tên người duyệt>'")
        elif status == "scheduled":
            self.report_future(post)

    def report_future(self, post: Post) -> None:
        when = dates.short_date(post.date)
        if post.date - self.now > FAR_FUTURE:
            self.add(warning, "date", f"ngày đăng {when} ở quá xa trong tương lai: bài chưa được đăng",
                     "kiểm tra lại năm trong 'date' (có gõ nhầm năm không?)")
        else:
            self.add(info, "date", f"ngày đăng ở tương lai ({when}): bài sẽ chỉ hiện sau ngày đó",
                     "sửa 'date' nếu đây là nhầm lẫn")


def _rejoin_commas(names: list[str], network: Network) -> list[str]:
    """``[Gương người tốt, việc tốt]`` is two YAML items but one category: put it back together."""
    joined: list[str] = []
    for name in names:
        if joined and find_category(network, f"{joined[-1]}, {name}") is not None:
            joined[-1] = f"{joined[-1]}, {name}"
        else:
            joined.append(name)
    return joined


def _is_list_of_text(value: object) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(isinstance(item, str | int | float) for item in items)


def _key_hint(key: str) -> str:
    aliases = {"author": "authors", "category": "categories", "tag": "tags", "team": "to",
               "tieu_de": "title", "ngay": "date", "tac_gia": "authors", "chuyen_muc": "categories"}
    if key in aliases:
        return f"có phải ý bạn là '{aliases[key]}'?"
    guess = difflib.get_close_matches(key.lower(), sorted(POST_KEYS), 1)
    if guess:
        return f"có phải ý bạn là '{guess[0]}'?"
    return "các khóa hợp lệ: " + ", ".join(sorted(POST_KEYS))
