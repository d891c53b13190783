"""YAML loading that keeps line numbers, so every message can name the line to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain Python data from YAML plus the 1-based line of every key and item."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, *path: str | int, default: int | None = None) -> int | None:
        """Line of the deepest known prefix of ``path``."""
        for end in range(len(path), -1, -1):
            if (found := self.lines.get(tuple(path[:end]))) is not None:
                return found
        return default


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that turns unknown tags (mkdocs.yml's !ENV, !!python/name) into plain values."""


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


def load(text: str, first_line: int = 1) -> Located:
    """Parse YAML text; ``first_line`` is the file line where ``text`` starts."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        raise YamlProblem(_explain(exc), line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML không hợp lệ ({exc})", first_line) from None
    if node is None:
        return Located(None)
    located = Located(_Loader("").construct_document(node))
    _record_lines(node, (), located.lines, first_line)
    return located


def _compose(text: str) -> yaml.Node | None:
    """The node tree, parsed by libyaml when present (a front matter per post adds up);
    on a problem the pure-Python parser reparses, so the message and line stay the same."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


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
    }
    for english, vietnamese in translations.items():
        if problem.startswith(english):
            return f"YAML không hợp lệ: {vietnamese}"
    if match := _CANNOT_START.match(problem):
        return (f"YAML không hợp lệ: giá trị không được bắt đầu bằng ký tự '{match.group(1)}' "
                "(hãy đặt giá trị trong ngoặc kép)")
    return f"YAML không hợp lệ: {problem}"


_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
