"""MkDocs' warnings about what teachers wrote, turned into our diagnostics instead of a failed site.

In strict mode every warning on the ``mkdocs`` logger fails the whole site, in English. The
checks of ``content`` (the same as ``trangtin check``) leave a post with a broken link or photo
out before MkDocs reads it; what MkDocs may still find about content (a link to a post that is
not published, a file another check refused, a section page's broken link, two files with the
same output name) is caught here: a Vietnamese diagnostic with the file and line, the record
lowered to INFO so that strict mode does not count it. Configuration problems (``mkdocs.yml``,
``nav``: the maintainers' files) are left alone and may still fail the site.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from trangtin.common.diagnostics import Diagnostic, warning
from trangtin.content.links import line_of_target

# The loggers whose messages are about the content folder (links, anchors, file names).
LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.files")
_LINK = re.compile(r"^Doc file '(?P<src>.+?)' contains (?:a|an unrecognized relative|an absolute) "
                   r"link '(?P<link>.*?)'(?:, but | which |, it was left as is)(?P<rest>.*)$", re.DOTALL)
_MISSING_TARGET = re.compile(r"the target(?: '(?P<target>.*?)')? is not found among documentation files")
_MISSING_ANCHOR = re.compile(r"there is no such anchor on this page|does not contain an anchor")
_DID_YOU_MEAN = re.compile(r"Did you mean '(?P<guess>.*?)'\?")
_CONFLICT = re.compile(r"^Excluding '(?P<src>.+?)' from the site because it conflicts with '(?P<other>.+?)'\.$")
UNPUBLISHED_HINT = ("sửa liên kết, hoặc đăng tệp/bài được trỏ tới (bài nháp, chưa duyệt, hẹn ngày hay có lỗi "
                    "thì chưa được đăng); liên kết được giữ nguyên, người đọc bấm vào sẽ gặp trang lỗi")


@dataclass(frozen=True)
class Place:
    """Where a file of the site is, for messages: ``content/<unit>/…`` and its text."""

    display: str
    text: str


class ContentWarnings(logging.Filter):
    """Installed on MkDocs' loggers for one build; ``place`` finds a file by its ``src_uri``."""

    def __init__(self, unit_id: str, place: Callable[[str], Place | None]) -> None:
        super().__init__()
        self.unit_id, self.place = unit_id, place
        self.diagnostics: dict[Diagnostic, None] = {}  # in order, each once
        self.already_reported: list[Diagnostic] = []  # by the content checks, before MkDocs ran

    def install(self) -> None:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            for old in [f for f in logger.filters if isinstance(f, ContentWarnings)]:
                logger.removeFilter(old)  # left by an earlier build in this process (serve)
            logger.addFilter(self)

    def remove(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        diagnostic, link = self.convert(record.getMessage())
        if diagnostic is None:
            return True
        if not self._said_before(diagnostic, link):
            self.diagnostics.setdefault(diagnostic)
        if record.levelno > logging.INFO:  # reported by us: strict mode must not count it
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True

    def _said_before(self, diagnostic: Diagnostic, link: str | None) -> bool:
        """The content checks already reported this link on this line (``check`` says it too)."""
        return link is not None and any(
            d.path == diagnostic.path and d.line == diagnostic.line and f"'{link}'" in d.message
            for d in self.already_reported)

    def convert(self, message: str) -> tuple[Diagnostic | None, str | None]:
        """Our diagnostic for one of MkDocs' messages about content, and the link it is about."""
        if match := _LINK.match(message):
            link = match.group("link")
            return self._link(match.group("src"), link, match.group("rest")), link
        if match := _CONFLICT.match(message):
            return self._diagnostic(match.group("src"), None,
                                    f"tệp không được đăng vì trùng đường dẫn với '{match.group('other')}'",
                                    "đổi tên hoặc xóa một trong hai tệp"), None
        return None, None

    def _link(self, src_uri: str, link: str, rest: str) -> Diagnostic:
        guess = _DID_YOU_MEAN.search(rest)
        if _MISSING_ANCHOR.search(rest):
            return self._diagnostic(src_uri, link, f"liên kết '{link}' trỏ tới mục không có trong trang đích",
                                    "viết đúng tên mục (tiêu đề viết thường, thay khoảng trắng bằng '-') "
                                    "hoặc bỏ phần '#…'")
        if _MISSING_TARGET.search(rest):
            return self._diagnostic(src_uri, link, f"liên kết '{link}' trỏ tới tệp không được đăng trên trang",
                                    f"có phải ý bạn là '{guess.group('guess')}'?" if guess else UNPUBLISHED_HINT)
        hint = (f"có phải ý bạn là '{guess.group('guess')}'?" if guess
                else "viết liên kết tới tệp .md của trang, ví dụ '../gioi-thieu/index.md', hoặc một địa chỉ đầy đủ")
        return self._diagnostic(src_uri, link, f"liên kết '{link}' không trỏ tới một trang hay tệp của trang web",
                                hint + " (liên kết được giữ nguyên, người đọc bấm vào sẽ gặp trang lỗi)")

    def _diagnostic(self, src_uri: str, link: str | None, message: str, hint: str) -> Diagnostic:
        place = self.place(src_uri)
        display = place.display if place else f"content/{self.unit_id}/{src_uri}"
        line = line_of_target(place.text, link) if place and link else None
        found = warning(display, line, message, hint)
        return Diagnostic(found.path, found.line, found.severity, found.message, found.hint, self.unit_id)
