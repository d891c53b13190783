"""Every word the command prints is Vietnamese, argparse's own included: help, usage and errors."""

from __future__ import annotations

import argparse

import pytest

from trangtin.cli.main import EXIT_USAGE, main, make_parser
from trangtin.cli.parser import vietnamese

# What argparse writes in English (Python 3.10 to 3.13): none of it may reach a user.
ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments", "show this help",
           "version number", "error:", "the following arguments", "one of the arguments",
           "invalid choice", "choose from", "unrecognized arguments", "expected one argument",
           "expected at", "invalid int value", "invalid float value", "argument ", "not allowed with",
           "ambiguous option", "default:", "subcommands")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    with vietnamese():
        parser = make_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr) by ``trangtin argv``."""
    try:
        code = main(list(argv))
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_vietnamese(printed: str) -> None:
    english = [phrase for phrase in ENGLISH if phrase in printed.lower()]
    assert not english, f"English argparse words {english} in:\n{printed}"


def test_the_main_help_is_vietnamese(capsys):
    code, printed = run(capsys, "--help")
    assert code == 0
    assert_vietnamese(printed)
    assert printed.startswith("cách dùng: trangtin")
    for phrase in ("tùy chọn:", "-h, --help ", "in hướng dẫn này rồi thoát", "in số phiên bản rồi thoát"):
        assert phrase in printed
    for name in subcommands():
        assert f"    {name} " in printed, f"the command {name} is listed with its help"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_help_is_vietnamese(capsys, command):
    code, printed = run(capsys, command, "--help")
    assert code == 0
    assert_vietnamese(printed)
    assert printed.startswith(f"cách dùng: trangtin {command}")
    assert "tùy chọn:" in printed and "in hướng dẫn này rồi thoát" in printed


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_option_and_command_has_a_help_text(command):
    parser = subcommands()[command]
    assert parser.description, f"{command} has a description"
    missing = [a.dest for a in parser._actions if not a.help]
    assert not missing, f"{command}: no help text for {missing}"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_an_unknown_option_is_refused_in_vietnamese(capsys, command):
    code, printed = run(capsys, command, "--khong-co")
    assert code == EXIT_USAGE
    assert_vietnamese(printed)
    refused = ("trangtin: lỗi: không hiểu các tham số: --khong-co — xem hướng dẫn: trangtin --help",
               f"trangtin {command}: lỗi: thiếu tham số bắt buộc: ")  # its own arguments come first
    assert any(message in printed for message in refused), printed


ARGUMENT_ERRORS = [
    (("frob",), "trangtin: lỗi: tham số LỆNH: không có lựa chọn 'frob' (chọn một trong: 'build'"),
    (("build", "--jobs", "hai"), "trangtin build: lỗi: tham số --jobs/-j: 'hai' không phải là một số nguyên"),
    (("aggregate", "--timeout", "lâu"), "trangtin aggregate: lỗi: tham số --timeout: 'lâu' không phải là một số"),
    (("serve",), "trangtin serve: lỗi: thiếu tham số bắt buộc: ĐƠN_VỊ — xem hướng dẫn: trangtin serve --help"),
    (("preview", "--port"), "trangtin preview: lỗi: tham số --port: cần một giá trị sau tùy chọn này"),
    (("deploy", "thcs-an-binh"), "trangtin deploy: lỗi: cần một trong các tùy chọn --gh-pages --to"),
    (("deploy", "thcs-an-binh", "--gh-pages", "--to", "www"),
     "trangtin deploy: lỗi: tham số --to: không dùng được cùng với --gh-pages"),
    (("new", "thcs-an-binh"), "trangtin new: lỗi: thiếu tham số bắt buộc: TIÊU_ĐỀ"),
    (("check", "--format", "xml"), "trangtin check: lỗi: tham số --format: không có lựa chọn 'xml' "
                                   "(chọn một trong: 'text', 'json')"),
    (("report", "--period", "week"), "trangtin report: lỗi: tham số --period: không có lựa chọn 'week'"),
]


@pytest.mark.parametrize(("argv", "expected"), ARGUMENT_ERRORS, ids=[" ".join(a) for a, _ in ARGUMENT_ERRORS])
def test_argument_errors_are_vietnamese(capsys, argv, expected):
    code, printed = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert_vietnamese(printed)
    assert printed.startswith("cách dùng: trangtin")
    assert expected in printed


def test_argparse_speaks_english_again_outside_the_command():
    parser = argparse.ArgumentParser(prog="other")
    assert "show this help message and exit" in parser.format_help()
