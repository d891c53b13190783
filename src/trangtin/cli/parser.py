"""The command line in Vietnamese, argparse's own words included.

argparse marks every word it prints for translation (``_()`` and ``ngettext()`` from gettext,
looked up in the ``messages`` domain of the whole program). Instead of installing a catalog
for every program in the process, :func:`vietnamese` swaps argparse's two lookup functions for
:data:`MESSAGES` only while our parser is made and used; a message we do not know stays as
argparse wrote it (the CLI test lists the English phrases that must never be seen).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",  # Python 3.9
    "subcommands": "lệnh",
    "%(heading)s:": "%(heading)s:",
    " (default: %(default)s)": " (mặc định: %(default)s)",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n":
        "%(prog)s: lỗi: %(message)s — xem hướng dẫn: %(prog)s --help\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: cảnh báo: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tùy chọn %s",
    "not allowed with argument %s": "không dùng được cùng với %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "expected one argument": "cần một giá trị sau tùy chọn này",
    "expected at most one argument": "chỉ nhận tối đa một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "option '%(option)s' is deprecated": "tùy chọn '%(option)s' đã cũ",
    "argument '%(argument_name)s' is deprecated": "tham số '%(argument_name)s' đã cũ",
    "command '%(parser_name)s' is deprecated": "lệnh '%(parser_name)s' đã cũ",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese inside this block (making a parser, parsing, printing help)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def whole_number(text: str) -> int:
    """An ``int`` option whose refusal is said in Vietnamese."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải là một số nguyên, ví dụ 4") from None


def number(text: str) -> float:
    """A ``float`` option whose refusal is said in Vietnamese."""
    try:
        return float(text.replace(",", ".", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải là một số, ví dụ 30") from None
