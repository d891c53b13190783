"""What the allow-list takes out of a page, found in the Markdown the author wrote, with its line.

Markdown lets raw HTML through, and the build passes every rendered page through
:class:`~trangtin.common.sanitize.PagePolicy`. nh3 says nothing about what it removes, so the
same policy is asked here about the raw HTML of the source (code blocks, code spans and
comments left out, as Markdown shows them as text or not at all), about Markdown link
targets and about ``{ attribute=value }`` lists. ``trangtin check`` and the build both use
:func:`removal_warnings`; after cleaning, the build adds :func:`unlisted_removals` for
anything this reading missed, so nothing is ever removed in silence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from trangtin.common.diagnostics import Diagnostic, warning
from trangtin.common.sanitize import URL_SCHEMES, PagePolicy, lost_markup, url_scheme
from trangtin.network.model import Network

# Markdown that never reaches the page as HTML: comments, fenced code, code spans, escaped
# characters, autolinks (``<https://…>``, ``<ten@truong.edu.vn>``).
_NOT_HTML = re.compile(
    r"<!--.*?-->"
    r"|^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$"
    r"|(?<!`)(`+)(?!`)[^\n]+?(?<!`)\2(?!`)"
    r"|\\[<&`]"
    r"|<(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^<>\s]*>|<[^<>\s@/]+@[^<>\s]+>",
    re.DOTALL | re.MULTILINE)
# Cheap first looks: whether a body can lose anything at all, whether it has anything to hide.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MAY_REMOVE = re.compile(r"<[a-zA-Z!]|\]\(|\]:|\{")
_MAY_HIDE = re.compile(r"`|~~~|<!--|\\[<&`]|<[a-zA-Z]+:|@")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d+[.)])[ \t]")
_MARKDOWN_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
# ``](<anh chup.jpg>)`` and ``[tên]: <…>``: a link target in angle brackets, not a tag.
_ANGLE_TARGET = re.compile(r"(?<=\]\()[ \t]*<[^<>\n]*>|(?<=\]:)[ \t]*<[^<>\n]*>")
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*?)[ \t]*\}")
_LIST_ENTRY = re.compile(r"""[#.][^\s#.=]+|([^\s=#.]+)=("[^"]*"|'[^']*'|[^\s"']*)""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
_SCRIPT_HINT = ("không được chèn mã lệnh vào bài viết; muốn nhúng video YouTube, dùng <iframe> từ "
                "youtube.com")
_MARKDOWN_HINT = "dùng định dạng Markdown (**đậm**, *nghiêng*, tiêu đề ##, bảng) thay cho thẻ HTML"
_TAG_HINTS = {
    "script": _SCRIPT_HINT, "noscript": _SCRIPT_HINT, "template": _SCRIPT_HINT,
    "style": "không được tự đặt kiểu trình bày cho trang; " + _MARKDOWN_HINT,
    "link": "thẻ này tải kiểu trình bày hay tệp từ nơi khác vào trang; xóa thẻ, " + _MARKDOWN_HINT,
    "meta": "thẻ này thay đổi cả trang (chuyển hướng, mã hóa) nên không được dùng trong bài; xóa thẻ",
    "base": "thẻ này đổi địa chỉ gốc của mọi liên kết trên trang; xóa thẻ",
    "object": "không nhúng tệp hay chương trình bằng <object>/<embed>; đặt tệp cạnh bài viết và ghi "
              "liên kết tải về (video YouTube thì dùng <iframe> từ youtube.com)",
    "svg": "hình SVG chèn thẳng vào bài có thể chứa mã lệnh; lưu hình thành ảnh PNG hoặc JPG, đặt cạnh "
           "bài viết và chèn bằng ![Mô tả](ten-anh.png)",
    "form": "không đặt biểu mẫu trong bài; muốn lấy ý kiến, ghi liên kết tới biểu mẫu trực tuyến "
            "(ví dụ Google Forms)",
}
_TAG_HINTS.update({"embed": _TAG_HINTS["object"], "applet": _TAG_HINTS["object"], "math": _TAG_HINTS["svg"]})
_TAG_HINTS.update(dict.fromkeys(("input", "button", "select", "textarea", "option"), _TAG_HINTS["form"]))
_ATTRIBUTE_HINT = "thuộc tính này không có trong danh sách được phép; xóa nó"
_URL_HINT = "chỉ dùng địa chỉ http://, https://, mailto:, tel: hoặc tên một tệp đặt cạnh bài viết"
_DATA_IMAGE_HINT = ("ảnh dán thẳng vào bài (data:) không được đăng; lưu ảnh thành tệp, đặt cạnh bài viết "
                    "và chèn bằng ![Mô tả](ten-anh.jpg)")


@dataclass(frozen=True)
class Removal:
    """One thing the allow-list takes out: where, what (in Vietnamese), how to do without it.

    ``key`` names it as :func:`~trangtin.common.sanitize.lost_markup` does: ``<tag>`` or
    ``<tag attribute>``.
    """

    line: int
    what: str
    hint: str
    key: str


def page_policy(network: Network) -> PagePolicy:
    """The allow-list of the network's pages: iframes from its ``embeds:`` only."""
    return PagePolicy(network.embeds)


def removal_warnings(display: str, body: str, first_line: int, policy: PagePolicy) -> list[Diagnostic]:
    """A warning per thing the page's HTML loses when it is published."""
    return [warning(display, r.line, f"đã bỏ {r.what}", r.hint) for r in removals(body, first_line, policy)]


def unlisted_removals(display: str, body: str, first_line: int, policy: PagePolicy,
                      rendered: str, cleaned: str) -> list[Diagnostic]:
    """What cleaning the rendered page removed that :func:`removals` did not name: one warning."""
    if _COMMENT.sub("", rendered) == cleaned:
        return []  # only comments went ('<!-- more -->', Word's '<!--[if …]>'): nothing shown was lost
    lost = lost_markup(rendered, cleaned)
    if not lost:
        return []
    finder = _scan(body, policy)
    named = {r.key for r in finder.found} | finder.covered
    named_attributes = {_attribute_of(key) for key in named if " " in key}
    missing = [key for key in lost if key not in named and not (
        " " in key and _attribute_of(key) in named_attributes)]
    if not missing:
        return []
    return [warning(display, first_line, "đã bỏ mã HTML không được phép: " + ", ".join(missing),
                    "xem lại phần HTML trong bài; " + _MARKDOWN_HINT)]


def _attribute_of(key: str) -> str:
    return key[1:-1].split(" ", 1)[1]


def removals(body: str, first_line: int, policy: PagePolicy) -> list[Removal]:
    """Everything the allow-list removes from ``body`` (its first line is ``first_line``), in order."""
    found = _scan(body, policy).found
    return sorted((_moved(r, first_line - 1) for r in found), key=lambda r: r.line)


def _moved(removal: Removal, offset: int) -> Removal:
    return Removal(removal.line + offset, removal.what, removal.hint, removal.key)


def _scan(body: str, policy: PagePolicy) -> _Finder:
    finder = _Finder(policy)
    if not _MAY_REMOVE.search(body):
        return finder  # most posts: no HTML, no link with a scheme, no attribute list
    visible = _visible(body)
    try:
        finder.feed(_ANGLE_TARGET.sub(_blank, visible))
        finder.close()
    except (AssertionError, ValueError, IndexError):
        pass  # HTML html.parser gives up on: the build's comparison after cleaning still names it
    finder.found.extend(_markdown_targets(visible))
    finder.found.extend(_attribute_lists(visible, policy))
    return finder


def _visible(body: str) -> str:
    """``body`` with what Markdown shows as text blanked out, lines kept in place."""
    masked = _NOT_HTML.sub(_blank, body) if _MAY_HIDE.search(body) else body
    lines = masked.split("\n")
    for number in _indented_code(lines):
        lines[number] = ""
    return "\n".join(lines)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _indented_code(lines: list[str]) -> Iterator[int]:
    """Lines of indented code blocks (four spaces after a blank line, outside a list)."""
    in_code, in_list, after_blank = False, False, True
    for number, line in enumerate(lines):
        if not line.strip():
            after_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        in_code = indented and (in_code or (after_blank and not in_list))
        if in_code:
            yield number
        elif not indented:
            in_list = bool(_LIST_ITEM.match(line))
        after_blank = False


class _Finder(HTMLParser):
    """Raw HTML read as the policy judges it; lines count from 1."""

    def __init__(self, policy: PagePolicy) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.found: list[Removal] = []
        self.covered: set[str] = set()  # inside something already removed: no warning of its own
        self._dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes=tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closes=True)

    def handle_endtag(self, tag: str) -> None:
        if self._dropped and self._dropped[-1] == tag:
            self._dropped.pop()

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closes: bool) -> None:
        line = self.getpos()[0]
        drops_content = self.policy.drops_content_of(tag) and not closes
        if self._dropped:
            self.covered.update([f"<{tag}>", *(f"<{tag} {name}>" for name, _ in attrs)])
        elif not self.policy.keeps_tag(tag):
            self.found.append(_tag_removal(line, tag, "" if closes else (
                "cùng mọi thứ bên trong" if drops_content else "chữ bên trong vẫn được giữ")))
        else:
            self.found.extend(self._attribute_removals(line, tag, attrs))
        if drops_content:
            self._dropped.append(tag)

    def _attribute_removals(self, line: int, tag: str, attrs: list[tuple[str, str | None]]) -> list[Removal]:
        found = []
        for name, value in attrs:
            if name == "markdown":
                continue  # md_in_html's switch, read by Markdown and never written
            if not self.policy.keeps_attribute(tag, name):
                found.append(_attribute_removal(line, tag, name))
                continue
            problem = self.policy.value_problem(tag, name, value or "")
            if problem == "embed":
                return [_embed_removal(line, value or "", self.policy)]
            if problem is not None:
                found.append(_value_removal(line, tag, name, value or "", problem))
        return found


def _tag_removal(line: int, tag: str, inside: str) -> Removal:
    """``inside`` says what becomes of the element's content, if it has any."""
    hint = _TAG_HINTS.get(tag, f"thẻ này không có trong danh sách được phép; {_MARKDOWN_HINT}")
    return Removal(line, f"thẻ <{tag}> ({inside})" if inside else f"thẻ <{tag}>", hint, f"<{tag}>")


def _attribute_removal(line: int, tag: str, name: str) -> Removal:
    """``tag`` is ``*`` for an attribute written in Markdown's ``{ … }``."""
    where = "trong { … }" if tag == "*" else f"của thẻ <{tag}>"
    if name.startswith("on"):
        return Removal(line, f"thuộc tính {name} (mã lệnh) {where}",
                       "không được gắn mã lệnh vào bài viết; xóa thuộc tính này", f"<{tag} {name}>")
    if name == "style":
        return Removal(line, f"thuộc tính style {where}",
                       "không tự đặt kiểu trình bày trong bài; " + _MARKDOWN_HINT, f"<{tag} style>")
    return Removal(line, f"thuộc tính {name} {where}", _ATTRIBUTE_HINT, f"<{tag} {name}>")


def _value_removal(line: int, tag: str, name: str, value: str, problem: str) -> Removal:
    key = f"<{tag} {name}>"
    if problem == "scheme":
        scheme = url_scheme(html.unescape(value))
        hint = _DATA_IMAGE_HINT if scheme == "data" and name == "src" else _URL_HINT
        return Removal(line, f"địa chỉ '{scheme}:…' ở thuộc tính {name} của thẻ <{tag}>", hint, key)
    if problem == "style":
        return Removal(line, f"thuộc tính style của thẻ <{tag}> (chỉ giữ căn lề ô bảng)",
                       "không tự đặt kiểu trình bày trong bài; " + _MARKDOWN_HINT, key)
    return Removal(line, f"thuộc tính allow của khung nhúng <{tag}>",
                   "khung nhúng chỉ được xin các quyền autoplay, fullscreen, encrypted-media, "
                   "picture-in-picture, clipboard-write, web-share, accelerometer, gyroscope", key)


def _embed_removal(line: int, src: str, policy: PagePolicy) -> Removal:
    allowed = ", ".join(policy.embeds) or "chưa có địa chỉ nào"
    hint = (f"chỉ nhúng được trang https từ các địa chỉ khai báo trong 'embeds' của network.yml "
            f"({allowed}); nhờ người quản trị mạng lưới thêm địa chỉ nếu cần")
    return Removal(line, f"khung nhúng <iframe> từ {_where(src)}", hint, "<iframe>")


def _where(url: str) -> str:
    """The host of an embed, shown safely (never the author's raw text), or what is wrong with it."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "một địa chỉ không hợp lệ"
    host = re.sub(r"[^\w.-]", "", parts.hostname or "")[:80]
    if not host:
        return "một địa chỉ không hợp lệ"
    return f"'{host}'" if parts.scheme.lower() == "https" else f"'{host}' (không dùng https)"


def _markdown_targets(visible: str) -> Iterator[Removal]:
    """``[chữ](javascript:…)``, ``![ảnh](data:…)`` and ``[tên]: javascript:…`` definitions."""
    targets = [(m.start(), m.group(2), bool(m.group(1))) for m in _MARKDOWN_LINK.finditer(visible)]
    targets += [(m.start(), m.group(1), False) for m in _REFERENCE.finditer(visible)]
    for offset, target, is_image in sorted(targets):
        scheme = url_scheme(html.unescape(target))
        if scheme and scheme not in URL_SCHEMES:
            tag, name = ("img", "src") if is_image else ("a", "href")
            yield _value_removal(_line(visible, offset), tag, name, target, "scheme")


def _attribute_lists(visible: str, policy: PagePolicy) -> Iterator[Removal]:
    """``{ onclick=… }``, ``{: style=… }``: attributes Markdown's attr_list would write."""
    for block in _ATTRIBUTE_LIST.finditer(visible):
        entries = list(_LIST_ENTRY.finditer(block.group(1)))
        if not entries or _LIST_ENTRY.sub("", block.group(1)).strip():
            continue  # not an attribute list, just braces in the text
        for entry in entries:
            if entry.group(1):
                yield from _listed_attribute(_line(visible, block.start()), entry.group(1).lower(),
                                             entry.group(2).strip("\"'"), policy)


def _listed_attribute(line: int, name: str, value: str, policy: PagePolicy) -> Iterator[Removal]:
    """An attribute of an attribute list, judged on what Markdown puts lists on (images, links,
    headings, paragraphs)."""
    tag = next((t for t in ("img", "a", "h2", "p") if policy.keeps_attribute(t, name)), None)
    if tag is None:
        yield _attribute_removal(line, "*", name)
    elif (problem := policy.value_problem(tag, name, html.unescape(value))) is not None:
        yield _value_removal(line, tag, name, value, problem)
