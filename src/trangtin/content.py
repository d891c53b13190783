"""The post model: a teacher's Markdown file read, validated and dated, or explained.

No MkDocs here: the plugin, ``trangtin check``, feeds and counting all use this module.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dates, text
from .diagnostics import Diagnostic, error, info, warning
from .network import Network, Unit
from .sources import Source, read_source

POSTS_DIR = "posts"
NEWS_URL = "tin-tuc"

POST_KEYS = {
    "title", "date", "updated", "authors", "to", "categories", "tags", "description",
    "cover", "highlight", "draft", "approved_by", "slug", "gallery",
}
_LIST_KEYS = {"authors", "categories", "tags"}
_TEXT_KEYS = {"title", "description", "cover", "approved_by", "slug", "to"}
_BOOL_KEYS = {"highlight", "draft", "gallery"}
_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
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
    assets: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{NEWS_URL}/{self.date:%Y}/{self.date:%m}/{self.slug}/"

    @property
    def dest_uri(self) -> str:
        return self.url + "index.html"

    @property
    def excerpt(self) -> str:
        return self.description or text.excerpt(self.body)

    @property
    def reading_minutes(self) -> int:
        return text.reading_minutes(self.body)

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


def load_unit_posts(network: Network, unit: Unit, now: dt.datetime | None = None) -> UnitContent:
    """Read every post of a unit; a post with an error is left out and explained."""
    now = now or dates.now(network.timezone)
    root = network.content_dir(unit.id)
    posts: list[Post] = []
    problems: list[Diagnostic] = []
    seen_urls: dict[str, str] = {}
    for path in sorted(iter_post_files(root)):
        post, found = read_post(path, root, network, unit, now)
        if post is not None and post.url in seen_urls:
            found.append(error(
                _display(root, path), post.body_line - 1 or 1,
                f"trùng đường dẫn với bài {seen_urls[post.url]} ({post.url})",
                "đổi tên tệp hoặc thêm 'slug:' khác cho một trong hai bài"))
            post = None
        if post is not None:
            seen_urls[post.url] = _display(root, path)
            posts.append(post)
        problems.extend(found)
    return UnitContent(unit, posts, [_with_unit(d, unit.id) for d in problems])


def iter_post_files(root: Path) -> Iterable[Path]:
    posts_dir = root / POSTS_DIR
    if not posts_dir.is_dir():
        return []
    return (p for p in posts_dir.rglob("*.md") if p.is_file())


def _display(root: Path, path: Path) -> str:
    return text.nfc(f"content/{root.name}/{path.relative_to(root).as_posix()}")


def _with_unit(diagnostic: Diagnostic, unit_id: str) -> Diagnostic:
    return Diagnostic(diagnostic.path, diagnostic.line, diagnostic.severity, diagnostic.message,
                      diagnostic.hint, unit_id)


def read_post(path: Path, root: Path, network: Network, unit: Unit,
              now: dt.datetime) -> tuple[Post | None, list[Diagnostic]]:
    """Read one post file; returns (post or None when it cannot be published, diagnostics)."""
    source = read_source(path, _display(root, path))
    if not source.readable:
        return None, source.diagnostics
    checker = _PostChecker(source, root, network, unit, now)
    post = checker.build()
    return post, source.diagnostics + checker.problems


class _PostChecker:
    def __init__(self, source: Source, root: Path, network: Network, unit: Unit,
                 now: dt.datetime):
        self.source, self.root, self.network, self.unit, self.now = source, root, network, unit, now
        self.meta = source.meta
        self.problems: list[Diagnostic] = []
        self.assets: list[str] = []

    def add(self, diagnostic_factory: Any, key: str | None, message: str, hint: str) -> None:
        line = self.source.line(key) if key else self.source.body_line
        self.problems.append(diagnostic_factory(self.source.display, line, message, hint))

    def build(self) -> Post | None:
        self.check_keys()
        title = self.read_title()
        date = self.read_date("date", required=True)
        if title is None or date is None or self.has_type_errors():
            return None
        self.check_links()
        if any(d.is_error for d in self.problems):
            return None
        post = Post(
            unit=self.unit.id, src_uri=self.src_uri, source_path=self.source.path,
            title=title, date=date, body=self.source.body, body_line=self.source.body_line,
            slug=self.read_slug(), updated=self.read_date("updated", required=False),
            authors=self.as_list("authors"), team=self.read_team(),
            categories=self.read_categories(), tags=self.as_list("tags"),
            description=str(self.meta.get("description") or ""),
            cover=self.read_cover(), highlight=bool(self.meta.get("highlight", False)),
            draft=bool(self.meta.get("draft", False)),
            approved_by=(str(self.meta["approved_by"]) if self.meta.get("approved_by") else None),
            gallery=bool(self.meta.get("gallery", False)),
            assets=sorted(set(self.assets)),
        )
        self.report_status(post)
        return post

    @property
    def src_uri(self) -> str:
        return text.nfc(self.source.path.relative_to(self.root).as_posix())

    def check_keys(self) -> None:
        for key in self.meta:
            if str(key) in POST_KEYS:
                continue
            guess = difflib.get_close_matches(str(key), sorted(POST_KEYS | {"author", "category"}), 1)
            alias = {"author": "authors", "category": "categories", "tag": "tags"}
            suggestion = alias.get(guess[0], guess[0]) if guess else None
            hint = (f"có phải ý bạn là '{suggestion}'?" if suggestion
                    else "các khóa hợp lệ: " + ", ".join(sorted(POST_KEYS)))
            self.add(warning, str(key), f"khóa '{key}' không được hỗ trợ, đã bỏ qua", hint)

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
            elif key in _LIST_KEYS and not isinstance(value, list | str):
                self.add(error, key, f"'{key}' phải là danh sách",
                         "mỗi mục một dòng bắt đầu bằng '- '")
                failed = True
        return failed

    def read_title(self) -> str | None:
        title = self.meta.get("title")
        if isinstance(title, str | int | float) and str(title).strip():
            return str(title).strip()
        if match := _H1.search(self.source.body):
            return match.group(1).strip()
        self.add(error, "title" if "title" in self.meta else None, "bài viết thiếu tiêu đề",
                 "thêm dòng 'title: Tiêu đề bài viết' vào phần thông tin đầu bài")
        return None

    def read_date(self, key: str, required: bool) -> dt.datetime | None:
        value = self.meta.get(key)
        if value is None:
            if required:
                self.add(error, None if key not in self.meta else key, "bài viết thiếu ngày đăng",
                         "thêm dòng 'date: 2025-09-05 07:30' (giờ Việt Nam)")
            return None
        try:
            return dates.parse_date(value, self.network.timezone)
        except dates.DateProblem as problem:
            self.add(error, key, problem.message, problem.hint)
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
        team = self.network.find_team(self.unit.id, str(value))
        if team is None:
            names = ", ".join(t.name for t in self.network.teams(self.unit.id)) or "(chưa khai báo tổ)"
            self.add(warning, "to", f"tổ '{value}' không có trong danh sách tổ của đơn vị",
                     f"chọn một trong: {names}")
            return None
        return team.id

    def read_categories(self) -> list[str]:
        found = []
        for name in self.as_list("categories"):
            category = self.network.find_category(name)
            if category is None:
                guess = difflib.get_close_matches(name, self.network.categories, 1, 0.5)
                hint = (f"có phải ý bạn là '{guess[0]}'?" if guess
                        else "chọn trong danh sách chuyên mục của network.yml")
                self.add(warning, "categories", f"chuyên mục '{name}' không có trong danh sách",
                         hint)
                continue
            found.append(category)
        return found

    def read_cover(self) -> str | None:
        cover = self.meta.get("cover")
        if not cover:
            return None
        if self.resolve_local(str(cover), "cover") is None:
            return None
        return str(cover)

    def check_links(self) -> None:
        for offset, line in enumerate(self.source.body.split("\n")):
            for match in _LINK.finditer(line):
                target = match.group(2)
                if _EXTERNAL.match(target):
                    continue
                self.resolve_local(target, None, self.source.body_line + offset,
                                   is_image=bool(match.group(1)))

    def resolve_local(self, target: str, key: str | None, line: int | None = None,
                      is_image: bool = True) -> Path | None:
        """A relative link or image path checked to exist inside the unit's content folder."""
        path_part = text.nfc(target.split("#", 1)[0].split("?", 1)[0])
        if not path_part:
            return None
        what = "ảnh" if is_image else "liên kết"
        where = line if line is not None else self.source.line(key) if key else None
        base = self.root if path_part.startswith("/") else self.source.path.parent
        resolved = Path(os.path.normpath(base / path_part.lstrip("/")))
        if not resolved.is_relative_to(self.root):
            self.problems.append(error(
                self.source.display, where, f"{what} '{target}' trỏ ra ngoài thư mục nội dung",
                "chỉ dùng tệp nằm trong thư mục của đơn vị (đặt ảnh cạnh bài viết)"))
            return None
        if not resolved.exists() and not _exists_nfc(resolved):
            self.problems.append(error(
                self.source.display, where, f"{what} '{target}' không tồn tại",
                "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và vị trí tệp"))
            return None
        if resolved.suffix.lower() != ".md":
            self.assets.append(text.nfc(resolved.relative_to(self.root).as_posix()))
        return resolved

    def report_status(self, post: Post) -> None:
        status = post.status(self.now, self.unit.requires_approval)
        if status == "unapproved":
            self.add(info, None, "bài chưa được duyệt nên chưa đăng",
                     "Ban Giám hiệu duyệt bằng cách thêm 'approved_by: <họ tên>'")
        elif status == "scheduled":
            self.add(info, "date", f"ngày đăng ở tương lai ({dates.short_date(post.date)}): "
                     "bài sẽ chỉ hiện sau ngày đó", "sửa 'date' nếu đây là nhầm lẫn")


def _exists_nfc(path: Path) -> bool:
    """True if a file exists whose name differs only by Unicode form (macOS writes NFD)."""
    parent = path.parent
    if not parent.is_dir():
        return False
    wanted = text.nfc(path.name)
    return any(text.nfc(child.name) == wanted for child in parent.iterdir())
