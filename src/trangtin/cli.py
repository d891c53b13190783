"""The ``trangtin`` command: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .build import SiteOutcome, build_order, build_sites
from .diagnostics import Diagnostic, TrangtinError
from .landing import write_landing
from .network import Network, find_network_file, load_network

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except TrangtinError as problem:
        print_diagnostics(problem.diagnostics)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never show a teacher a traceback
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"Lỗi nội bộ của trangtin: {type(exc).__name__}: {exc} "
              f"({Path(where.filename).name}:{where.lineno}) — xin báo lỗi này cho nhóm "
              "phát triển kèm thông báo trên.", file=sys.stderr)
        if os.environ.get("TRANGTIN_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trangtin",
        description="Xây dựng Trang thông tin điện tử cho mạng lưới trường học "
                    "(Thông tư 37/2020/TT-BGDĐT).",
    )
    parser.add_argument("--version", action="version", version=f"trangtin {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="thư mục có network.yml (mặc định: thư mục hiện tại hoặc cha của nó)")
    commands = parser.add_subparsers(title="lệnh", metavar="LỆNH")
    for register in COMMANDS:
        register(commands)
    return parser


def load(args: argparse.Namespace) -> Network:
    path = (args.root / "network.yml") if args.root else find_network_file(Path.cwd())
    return load_network(path)


def check_units(network: Network, wanted: list[str]) -> list[str]:
    unknown = [u for u in wanted if u not in network.units]
    if unknown:
        raise TrangtinError([Diagnostic("network.yml", None, _error_severity(),
                                        f"không có đơn vị '{u}'",
                                        "xem danh sách id trong network.yml") for u in unknown])
    return wanted


def _error_severity():  # noqa: ANN202
    from .diagnostics import Severity

    return Severity.ERROR


def print_diagnostics(diagnostics: list[Diagnostic], stream=None) -> None:  # noqa: ANN001
    """One line per problem, grouped per unit."""
    stream = stream or sys.stderr
    current = None
    for diagnostic in sorted(diagnostics, key=lambda d: (d.unit, d.path, d.line or 0)):
        if diagnostic.unit != current and diagnostic.unit:
            current = diagnostic.unit
            print(f"[{current}]", file=stream)
        print(diagnostic.render(), file=stream)


# --- build -------------------------------------------------------------------------------

def _register_build(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "build", help="xây dựng các trang (mặc định: cổng thông tin và mọi trường)",
        description="Xây dựng trang của từng đơn vị vào public/<id>/. Một trang lỗi không "
                    "làm dừng các trang khác; trang lỗi giữ nguyên bản tốt gần nhất.")
    parser.add_argument("units", nargs="*", metavar="ĐƠN_VỊ", help="id các đơn vị cần xây dựng")
    parser.add_argument("--out", type=Path, default=None, help="thư mục kết quả (mặc định: public)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="số tiến trình song song (mặc định: số lõi CPU)")
    parser.add_argument("--no-strict", action="store_true",
                        help="không coi cảnh báo của MkDocs là lỗi")
    parser.set_defaults(handler=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    network = load(args)
    units = build_order(network, check_units(network, args.units) or None)
    out = (args.out or network.root / "public").resolve()
    outcomes = build_sites(network.root, units, out, args.jobs, strict=not args.no_strict)
    write_landing(network, out)
    print_build_summary(outcomes)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_PROBLEMS


def print_build_summary(outcomes: list[SiteOutcome]) -> None:
    for outcome in outcomes:
        if outcome.diagnostics:
            print_diagnostics(outcome.diagnostics)
    print("\nKết quả xây dựng:")
    for outcome in outcomes:
        if outcome.ok:
            errors = sum(1 for d in outcome.diagnostics if d.is_error)
            note = f", {errors} bài bị bỏ qua do lỗi" if errors else ""
            print(f"  ✓ {outcome.unit}: {outcome.pages} trang, {outcome.seconds:.1f} giây{note}")
        else:
            print(f"  ✗ {outcome.unit}: KHÔNG xây dựng được — {outcome.reason}")
    built = sum(o.ok for o in outcomes)
    print(f"Đã xây dựng {built}/{len(outcomes)} trang.")


# --- serve and deploy --------------------------------------------------------------------

def _register_serve(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="xem trước một trang, tự tải lại khi sửa bài")
    parser.add_argument("unit", metavar="ĐƠN_VỊ")
    parser.add_argument("--addr", default="127.0.0.1:8000", help="địa chỉ (mặc định 127.0.0.1:8000)")
    parser.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    network = load(args)
    config_file = _config_file(network, args.unit)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(config_file=str(config_file), dev_addr=args.addr, livereload=True,
          watch=[str(network.path), str(network.root / "shared_theme")])
    return EXIT_OK


def _config_file(network: Network, unit_id: str) -> Path:
    check_units(network, [unit_id])
    config_file = network.config_file(unit_id)
    if config_file is None:
        raise TrangtinError([Diagnostic(
            "network.yml", network.units[unit_id].line, _error_severity(),
            f"đơn vị '{unit_id}' không được xây dựng ở đây (không có sites/{unit_id}/mkdocs.yml)",
            "tạo thư mục sites/<id>/ với mkdocs.yml như các trường mẫu")])
    return config_file


def _register_deploy(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("deploy", help="đăng trang đã xây dựng lên GitHub Pages hoặc một thư mục")
    parser.add_argument("unit", metavar="ĐƠN_VỊ")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--gh-pages", action="store_true",
                        help="đẩy lên nhánh gh-pages (qua ghp-import)")
    target.add_argument("--to", type=Path, metavar="THƯ_MỤC", help="sao chép vào thư mục này")
    parser.add_argument("--out", type=Path, default=None, help="thư mục kết quả đã xây dựng (public)")
    parser.add_argument("--remote", default="origin", help="git remote (mặc định origin)")
    parser.add_argument("--branch", default="gh-pages", help="nhánh (mặc định gh-pages)")
    parser.add_argument("--no-push", action="store_true", help="chỉ ghi nhánh, không đẩy lên")
    parser.set_defaults(handler=cmd_deploy)


def cmd_deploy(args: argparse.Namespace) -> int:
    from .deploy import deploy_gh_pages, deploy_to_folder

    network = load(args)
    check_units(network, [args.unit])
    built = (args.out or network.root / "public") / args.unit
    if args.to:
        deploy_to_folder(built, args.to)
        print(f"Đã sao chép {built} vào {args.to}")
    else:
        deploy_gh_pages(built, network.root, args.remote, args.branch, push=not args.no_push)
        print(f"Đã đăng {args.unit} lên nhánh {args.branch}")
    return EXIT_OK


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _register_build,
    _register_serve,
    _register_deploy,
]

if __name__ == "__main__":
    sys.exit(main())
