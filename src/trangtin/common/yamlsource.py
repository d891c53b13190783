"""YAML loading that keeps line numbers, so every message can name the line to fix.

YAML is written by people and may be hostile: a few lines of anchors and aliases can stand
for billions of values ("billion laughs"). Every document is bounded before it is turned
into Python data: its size (``max_bytes``, chosen by the caller), its nesting
(``MAX_DEPTH``), and its aliases: an alias may repeat a single value (``*phone``) but
never a whole list or mapping (merge keys ``<<: *base`` included), and what the aliases
repeat adds up to at most ``max_bytes`` more text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from trangtin.common.text import without_control_characters

Path_ = tuple[str | int, ...]

KIB = 1024
DEFAULT_MAX_BYTES = 1024 * KIB
MAX_DEPTH = 50


@dataclass
class Located:
    """Plain Python data from YAML plus the 1-based line of every key and item."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # Lines whose quoted text spelled control characters (``"\u0007"``): removed from the data.
    control_lines: list[int] = field(default_factory=list)

    def line(self, *path: str | int, default: int | None = None) -> int | None:
        """Line of the deepest known prefix of ``path``."""
        for end in range(len(path), -1, -1):
            if (found := self.lines.get(tuple(path[:end]))) is not None:
                return found
        return default


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


class _Loader(yaml.SafeLoader):
    """SafeLoader that turns unknown tags (mkdocs.yml's !ENV, !!python/name) into plain values,
    and removes control characters that escapes in quoted text (``"\x07"``) spell."""

    control_lines: list[int]

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        value = super().construct_yaml_str(node)
        cleaned = without_control_characters(value)
        if cleaned != value:
            self.control_lines.append(node.start_mark.line)
        return cleaned


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A date that does not exist (``2025-02-30``) stays text, so its reader can explain it."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _unknown_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)


def load(text: str, first_line: int = 1, max_bytes: int = DEFAULT_MAX_BYTES) -> Located:
    """Parse YAML text; ``first_line`` is the file line where ``text`` starts.

    Refuses, with a YamlProblem, text over ``max_bytes`` (UTF-8) and the alias expansions
    described in the module's docstring, before any of it becomes Python data.
    """
    _check_size(text, first_line, max_bytes)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        hint = _TOO_DEEP_HINT if _NESTING_LIMIT in str(exc.problem) else ""
        raise YamlProblem(_explain(exc), line, hint) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML không hợp lệ ({exc})", first_line) from None
    except RecursionError:
        raise YamlProblem(_TOO_DEEP, first_line, _TOO_DEEP_HINT) from None
    if node is None:
        return Located(None)
    _check_shape(node, text, first_line, max_bytes)
    loader = _Loader("")
    loader.control_lines = []
    located = Located(loader.construct_document(node))
    located.control_lines = sorted({line + first_line for line in loader.control_lines})
    _record_lines(node, (), located.lines, first_line)
    return located


def _compose(text: str) -> yaml.Node | None:
    """The node tree, parsed by libyaml when present (a front matter per post adds up);
    on a problem the pure-Python parser reparses, so the message and line stay the same."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.MarkedYAMLError as exc:
            if _NESTING_LIMIT in str(exc.problem):
                raise  # the pure-Python parser would recurse until RecursionError
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_NESTING_LIMIT = "exceeded maximum nesting depth"
_TOO_DEEP = "YAML không hợp lệ: các danh sách hoặc nhóm khóa lồng vào nhau quá sâu"
_TOO_DEEP_HINT = f"viết tệp với ít tầng thụt đầu dòng hơn (tối đa {MAX_DEPTH} tầng)"


def _check_size(text: str, first_line: int, max_bytes: int) -> None:
    # A character is at most 4 bytes: most texts are judged without being encoded.
    if len(text) * 4 <= max_bytes or (size := len(text.encode("utf-8", "surrogatepass"))) <= max_bytes:
        return
    raise YamlProblem(f"phần YAML quá lớn ({_kib(size)}, tối đa {_kib(max_bytes)})", first_line,
                      "tách bớt nội dung ra tệp khác hoặc xóa phần không cần thiết")


def _kib(size: int) -> str:
    return f"{size / KIB:.0f} KiB" if size < KIB * KIB else f"{size / KIB / KIB:.0f} MiB"


def _check_shape(root: yaml.Node, text: str, first_line: int, max_bytes: int) -> None:
    """Refuse too deep documents; when the tree shares a node (an alias), judge the aliases."""
    seen: set[int] = set()
    aliased = False
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise YamlProblem(_TOO_DEEP, node.start_mark.line + first_line, _TOO_DEEP_HINT)
        if id(node) in seen:
            aliased = True
            if not isinstance(node, yaml.ScalarNode):
                break  # the alias check below names it; walking it again may never end
            continue
        seen.add(id(node))
        stack.extend((child, depth + 1) for child in _children(node))
    if aliased:
        _check_aliases(text, first_line, max_bytes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(text: str, first_line: int, max_bytes: int) -> None:
    """Name the first alias that repeats a list or mapping, or that brings the repeated text
    over ``max_bytes``; read from the events, which know the alias's own line and name."""
    repeated: dict[str, int | None] = {}  # anchor → length of its text, None for a collection
    expanded = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER or _Loader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) and anchor is not None:
            line = event.start_mark.line + first_line if event.start_mark else first_line
            length = repeated.get(anchor)
            if length is None:
                raise YamlProblem(f"bí danh YAML '*{anchor}' lặp lại cả một danh sách hoặc nhóm khóa "
                                  f"(đặt tên ở '&{anchor}'); trang tin không nhận cách viết này",
                                  line, "viết đầy đủ nội dung thay cho bí danh")
            expanded += length
            if expanded > max_bytes:
                raise YamlProblem(f"các bí danh YAML (như '*{anchor}') lặp lại quá nhiều nội dung "
                                  f"(hơn {_kib(max_bytes)})", line, "viết đầy đủ nội dung thay cho bí danh")
        elif isinstance(event, yaml.ScalarEvent) and anchor is not None:
            repeated[anchor] = len(event.value)
        elif isinstance(event, yaml.CollectionStartEvent) and anchor is not None:
            repeated[anchor] = None


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], offset: int) -> None:
    lines[path] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _record_lines(value_node, (*path, key), lines, offset)
            lines[(*path, key)] = key_node.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, offset)


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "cú pháp không đúng"
    translations = {
        "mapping values are not allowed here": "có dấu ':' không đúng chỗ (tiêu đề có dấu ':' cần đặt trong ngoặc kép)",
        "could not find expected ':'": "thiếu dấu ':' sau tên khóa",
        "found character '\\t' that cannot start any token": "có ký tự Tab; YAML chỉ dùng dấu cách",
        "found unexpected end of stream": "thiếu dấu ngoặc kép đóng",
        "found undefined alias": "có dấu '*' ở đầu giá trị (hãy đặt giá trị trong ngoặc kép)",
        "expected alphabetic or numeric character": "giá trị bắt đầu bằng ký tự đặc biệt như '*' hoặc '&' "
                                                    "(hãy đặt giá trị trong ngoặc kép)",
        "expected ',' or ']'": "danh sách trong ngoặc vuông '[...]' thiếu dấu ']' đóng",
        "expected ',' or '}'": "nhóm trong ngoặc nhọn '{...}' thiếu dấu '}' đóng",
        "expected <block end>": "các dòng thụt đầu dòng không đều nhau",
        "did not find expected key": "các dòng thụt đầu dòng không đều nhau",
        "did not find expected '-' indicator": "các mục của danh sách phải bắt đầu bằng '- ' và thẳng hàng",
        "found unknown escape character": "có dấu '\\' trong ngoặc kép (hãy dùng ngoặc đơn ' ' thay cho ngoặc kép)",
        "found a tab character": "có ký tự Tab; YAML chỉ dùng dấu cách",
        _NESTING_LIMIT: "các danh sách hoặc nhóm khóa lồng vào nhau quá sâu",
    }
    for english, vietnamese in translations.items():
        if problem.startswith(english):
            return f"YAML không hợp lệ: {vietnamese}"
    if match := _CANNOT_START.match(problem):
        return (f"YAML không hợp lệ: giá trị không được bắt đầu bằng ký tự '{match.group(1)}' "
                "(hãy đặt giá trị trong ngoặc kép)")
    return f"YAML không hợp lệ: {problem}"


_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
