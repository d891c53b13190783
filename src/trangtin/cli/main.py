"""The ``trangtin`` command: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from trangtin import __version__
from trangtin.cli.parser import number, vietnamese, whole_number
from trangtin.common.diagnostics import Diagnostic, InternalError, TrangtinError, error
from trangtin.network.model import Network, find_network_file, load_network
from trangtin.site.build import SiteOutcome, build_order, build_sites
from trangtin.site.landing import write_landing

if TYPE_CHECKING:
    from trangtin.aggregate.collect import Aggregate
    from trangtin.feeds.fetch import FetchPolicy

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    with vietnamese():
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
        during = f" khi xử lý {exc.path}" if isinstance(exc, InternalError) else ""
        cause = exc.__cause__ if isinstance(exc, InternalError) and exc.__cause__ else exc
        where = traceback.extract_tb(cause.__traceback__)[-1]
        print(f"Lỗi nội bộ của trangtin{during}: {type(cause).__name__}: {cause} "
              f"({Path(where.filename).name}:{where.lineno}) — xin báo lỗi này cho nhóm "
              "phát triển kèm thông báo trên.", file=sys.stderr)
        if os.environ.get("TRANGTIN_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The ``trangtin`` command: :func:`main`, then the process ends without Python's clean-up.

    Everything the command writes is closed by then; what is left is freeing every object of a
    build one by one (0.1–0.2 s after a 1,000-post school), which the system does at once.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    logging.shutdown()
    os._exit(code)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trangtin",
        description="Xây dựng Trang thông tin điện tử cho mạng lưới trường học "
                    "(Thông tư 37/2020/TT-BGDĐT).",
    )
    parser.add_argument("--version", action="version", version=f"trangtin {__version__}",
                        help="in số phiên bản rồi thoát")
    parser.add_argument("--root", type=Path, default=None, metavar="THƯ_MỤC",
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
        raise TrangtinError([error("network.yml", None, f"không có đơn vị '{u}'",
                                   "xem danh sách id trong network.yml") for u in unknown])
    return wanted


def print_diagnostics(diagnostics: list[Diagnostic], stream: TextIO | None = None) -> None:
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
    parser.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                        help="thư mục kết quả (mặc định: public)")
    parser.add_argument("--jobs", "-j", type=whole_number, default=os.cpu_count() or 1, metavar="SỐ",
                        help="số tiến trình song song (mặc định: số lõi CPU)")
    parser.add_argument("--no-strict", action="store_true",
                        help="không coi cảnh báo của MkDocs là lỗi")
    parser.set_defaults(handler=cmd_build)


def cmd_build(args: argparse.Namespace) -> int:
    network = load(args)
    units = build_order(network, check_units(network, args.units) or None)
    out = (args.out or network.root / "public").resolve()
    # Schools first, then aggregation, then the portals that show what was aggregated.
    schools = [u for u in units if not network.units[u].aggregates]
    portals = [u for u in units if network.units[u].aggregates]
    outcomes = build_sites(network.root, schools, out, args.jobs, strict=not args.no_strict,
                           only_build_here=len(units) == 1)
    if portals or not args.units:  # the whole network: every aggregating unit, as `aggregate`
        run_aggregation(network, portals if args.units else None, out)
        outcomes += build_sites(network.root, portals, out, args.jobs, strict=not args.no_strict)
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
            errors = len({d.path for d in outcome.diagnostics if d.is_error and "/posts/" in d.path})
            pages = sum(1 for d in outcome.diagnostics if d.is_error and "/posts/" not in d.path)
            note = (f", {errors} bài bị bỏ qua do lỗi" if errors else "") + (
                f", {pages} lỗi ở các trang mục" if pages else "")
            if outcome.reused:
                note += ", không có gì thay đổi nên giữ nguyên bản đã xây dựng"
            print(f"  ✓ {outcome.unit}: {outcome.pages} trang, {outcome.seconds:.1f} giây{note}")
        else:
            print(f"  ✗ {outcome.unit}: KHÔNG xây dựng được — {outcome.reason}")
    built = sum(o.ok for o in outcomes)
    print(f"Đã xây dựng {built}/{len(outcomes)} trang.")


# --- serve and deploy --------------------------------------------------------------------

def _register_serve(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help="xem trước một trang, tự tải lại khi sửa bài",
        description="Xây dựng một trang trong bộ nhớ và mở nó tại một địa chỉ trên máy này; "
                    "trang tự tải lại mỗi khi sửa bài, network.yml hay giao diện.")
    parser.add_argument("unit", metavar="ĐƠN_VỊ", help="id của đơn vị cần xem, ví dụ thcs-an-binh")
    parser.add_argument("--addr", default="127.0.0.1:8000", metavar="MÁY:CỔNG",
                        help="địa chỉ và cổng (mặc định 127.0.0.1:8000: chỉ máy này xem được)")
    parser.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from trangtin.cli.preview import ServeAnnouncer
    from trangtin.site.live import serve

    network = load(args)
    config_file = _config_file(network, args.unit)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with ServeAnnouncer(args.unit).installed():
        serve(config_file=str(config_file), dev_addr=args.addr,
              watch=[str(network.path), str(network.root / "shared_theme")])
    print("Đã dừng xem trước.")
    return EXIT_OK


def _register_preview(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "preview", help="xem trước mọi trang đã xây dựng (public/) qua một địa chỉ trên máy này",
        description="Mở thư mục public/ (trang danh sách và mọi trang đã xây dựng, đúng đường dẫn "
                    "như khi đăng) tại http://127.0.0.1:8000/. Chạy 'trangtin build' trước.")
    parser.add_argument("--port", type=whole_number, default=8000, metavar="CỔNG",
                        help="cổng (mặc định 8000; 0: tự chọn một cổng còn trống)")
    parser.add_argument("--host", default="127.0.0.1", metavar="MÁY",
                        help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này xem được; "
                             "0.0.0.0: các máy trong mạng nội bộ cũng xem được)")
    parser.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                        help="thư mục các trang đã xây dựng (mặc định: public)")
    parser.set_defaults(handler=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    from trangtin.cli.preview import preview  # an HTTP server: not imported by the other commands

    out = args.out or load(args).root / "public"
    preview(out.resolve(), args.host, args.port)
    return EXIT_OK


def _config_file(network: Network, unit_id: str) -> Path:
    check_units(network, [unit_id])
    config_file = network.config_file(unit_id)
    if config_file is None:
        raise TrangtinError([error(
            "network.yml", network.units[unit_id].line,
            f"đơn vị '{unit_id}' không được xây dựng ở đây (không có sites/{unit_id}/mkdocs.yml)",
            "tạo thư mục sites/<id>/ với mkdocs.yml như các trường mẫu")])
    return config_file


def _register_deploy(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "deploy", help="đăng trang đã xây dựng lên GitHub Pages hoặc một thư mục",
        description="Đăng public/<id>/ (đã xây dựng bằng 'trangtin build') lên nhánh gh-pages "
                    "hoặc sao chép vào một thư mục; báo khi bản xây dựng cũ hơn nội dung.")
    parser.add_argument("unit", metavar="ĐƠN_VỊ", help="id của đơn vị cần đăng")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--gh-pages", action="store_true",
                        help="đẩy lên nhánh gh-pages (qua ghp-import)")
    target.add_argument("--to", type=Path, metavar="THƯ_MỤC", help="sao chép vào thư mục này")
    parser.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                        help="thư mục các trang đã xây dựng (mặc định: public)")
    parser.add_argument("--remote", default="origin", metavar="TÊN",
                        help="kho git từ xa để đẩy lên (mặc định origin)")
    parser.add_argument("--branch", default="gh-pages", metavar="NHÁNH",
                        help="nhánh (mặc định gh-pages)")
    parser.add_argument("--no-push", action="store_true", help="chỉ ghi nhánh, không đẩy lên")
    parser.set_defaults(handler=cmd_deploy)


def cmd_deploy(args: argparse.Namespace) -> int:
    from trangtin.site.deploy import deploy_gh_pages, deploy_to_folder, stale_warnings

    network = load(args)
    check_units(network, [args.unit])
    built = (args.out or network.root / "public") / args.unit
    print_diagnostics(stale_warnings(network, args.unit, built))
    if args.to:
        deploy_to_folder(built, args.to)
        print(f"Đã sao chép {built} vào {args.to}")
    else:
        deploy_gh_pages(built, network.root, args.remote, args.branch, push=not args.no_push)
        print(f"Đã đăng {args.unit} lên nhánh {args.branch}")
    return EXIT_OK


# --- new and check (authoring) -----------------------------------------------------------

def _register_new(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new", help="tạo bài viết mới với phần thông tin đầu bài có ghi chú",
        description="Tạo content/<đơn vị>/posts/<năm>/<tháng>/<tên-bài>.md, ngày giờ hiện tại "
                    "(giờ Việt Nam), ở chế độ nháp (draft: true). Không ghi đè bài đã có.")
    parser.add_argument("unit", metavar="ĐƠN_VỊ", help="id của trường hoặc đơn vị, ví dụ thcs-an-binh")
    parser.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài viết, đặt trong ngoặc kép")
    parser.add_argument("--to", dest="team", metavar="TỔ", help="tổ chuyên môn, ví dụ \"Tổ Toán – Tin\"")
    parser.add_argument("--category", metavar="CHUYÊN_MỤC", help="chuyên mục, ví dụ \"Tin tức – Sự kiện\"")
    parser.add_argument("--date", metavar="NGÀY", help="ngày đăng, giờ Việt Nam (mặc định: bây giờ), "
                        "ví dụ 25/12/2026, 25/12/2026 14:30 hoặc 2026-12-25 14:30")
    parser.set_defaults(handler=cmd_new)


def cmd_new(args: argparse.Namespace) -> int:
    from trangtin.content.authoring import new_post

    created = new_post(load(args), args.unit, args.title, team=args.team, category=args.category,
                       date=args.date)
    print(created.display)
    print(f"Đã tạo bài viết (bản nháp). Viết nội dung, sửa 'draft: true' thành false, rồi chạy: "
          f"trangtin check {created.unit.id}", file=sys.stderr)
    return EXIT_OK


def _register_check(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check", help="kiểm tra bài viết và các trang mà không xây dựng",
        description="Kiểm tra mọi thứ việc xây dựng sẽ đọc: network.yml, bài viết, các mục "
                    "theo Thông tư 37. Mỗi vấn đề một dòng: tệp:dòng: mức độ: vấn đề — cách sửa.")
    parser.add_argument("units", nargs="*", metavar="ĐƠN_VỊ", help="id các đơn vị (mặc định: tất cả)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="dạng kết quả: text (mỗi vấn đề một dòng, mặc định) hoặc json")
    parser.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from trangtin.content.checks import CheckReport, check_network

    try:
        report = check_network(load(args), args.units)
    except TrangtinError as problem:  # network.yml itself is wrong: nothing else can be read
        report = CheckReport(units=[], diagnostics=problem.diagnostics)
    if args.format == "json":
        print(report.to_json())
    else:
        print_diagnostics(report.diagnostics, stream=sys.stdout)
        print(report.summary())
    return EXIT_PROBLEMS if report.has_errors else EXIT_OK


# --- report (thi đua) ---------------------------------------------------------------------

def _register_report(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report", help="thống kê tin bài đã đăng theo đơn vị (thi đua, chỉ tiêu)",
        description="Đếm tin bài đã đăng của từng đơn vị (giờ Việt Nam), cộng dồn theo cấp, theo "
                    "tháng, chuyên mục, tổ, tác giả; so với chỉ tiêu trong network.yml.")
    parser.add_argument("--unit", metavar="ĐƠN_VỊ", help="đơn vị và các đơn vị trực thuộc "
                        "(mặc định: cả mạng lưới)")
    parser.add_argument("--period", choices=("school-year", "year", "month", "quarter", "semester",
                                             "range"), default=None,
                        help="kỳ báo cáo chứa ngày --as-of (mặc định: school-year)")
    parser.add_argument("--as-of", metavar="NGÀY", help="tính đến hết ngày này, ví dụ 2026-05-31 "
                        "(mặc định: hôm nay)")
    parser.add_argument("--from", dest="first", metavar="NGÀY", help="từ ngày (kỳ range)")
    parser.add_argument("--to", dest="last", metavar="NGÀY", help="đến hết ngày (kỳ range)")
    parser.add_argument("--format", choices=("html", "csv", "xlsx", "json"), default=None,
                        help="dạng báo cáo: html (trang để xem, in), csv, xlsx (Excel) hoặc json "
                             "(mặc định; với --view nhac-viec: các tin nhắn, mỗi dòng một đơn vị)")
    parser.add_argument("--view", default="tong-hop", metavar="BẢNG",
                        help="bảng ghi ra khi --format csv: %(choices)s (mặc định: tong-hop)",
                        choices=("tong-hop", "theo-thang", "theo-chuyen-muc", "theo-to",
                                 "theo-tac-gia", "chi-tieu", "cong-khai", "khong-xep-duoc", "thong-tin",
                                 "nhac-viec"))
    parser.add_argument("--csv-sep", choices=(";", ","), default=";", metavar="DẤU",
                        help="dấu ngăn cột của CSV: ';' (mặc định, Excel với thiết lập vùng Việt "
                             "Nam) hoặc ','")
    parser.add_argument("--out", type=Path, metavar="TỆP", help="tệp kết quả (mặc định: in ra "
                        "màn hình; xlsx: bao-cao.xlsx)")
    parser.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from trangtin.common.dates import now
    from trangtin.report import export
    from trangtin.report.counting import report
    from trangtin.report.periods import CLI_KINDS, parse_day
    from trangtin.report.reminders import to_text

    network = load(args)
    check_units(network, [args.unit] if args.unit else [])
    kind = CLI_KINDS[args.period or ("range" if args.first or args.last else "school-year")]
    as_of = parse_day(args.as_of, "--as-of") if args.as_of else now(network.timezone).date()
    first = parse_day(args.first, "--from") if args.first else None
    last = parse_day(args.last, "--to") if args.last else (as_of if first else None)
    if kind == "range" and first is None:
        raise TrangtinError([error("dòng lệnh", None, "kỳ 'range' cần ngày bắt đầu",
                                   "thêm --from 2025-09-01 (và --to nếu cần)")])
    today = now(network.timezone)
    result = report(network, kind, as_of, args.unit, first, last, now=today)
    signed, extra, reminders = export.signed_report(network, result, today.date())
    fmt = args.format or ("text" if args.view == "nhac-viec" else "json")
    if fmt == "text":
        sys.stdout.write(to_text(reminders))
    elif args.out or fmt == "xlsx":
        out = args.out or Path("bao-cao.xlsx")
        export.write(result, fmt, out, args.view, signed, extra, args.csv_sep)
        print(f"Đã ghi báo cáo {result.period.label} vào {out}", file=sys.stderr)
    else:
        texts = {"json": export.to_json, "html": lambda r: export.to_html(r, signed, extra),
                 "csv": lambda r: export.to_csv(r, args.view, args.csv_sep, extra)}
        sys.stdout.write(texts[fmt](result))
    return EXIT_OK


# --- aggregate ---------------------------------------------------------------------------

def _register_aggregate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "aggregate", help="tổng hợp tin bài của các đơn vị trực thuộc (cả đơn vị ở nơi khác)",
        description="Lấy tin bài của các trường (trong kho này hoặc qua địa chỉ 'feed:') cho "
                    "từng đơn vị tổng hợp (Sở, Phòng, xã…), lưu vào .trangtin/. Nguồn lỗi được "
                    "báo và giữ tin lấy được lần trước; các đơn vị khác vẫn được tổng hợp.")
    parser.add_argument("units", nargs="*", metavar="ĐƠN_VỊ", help="id các đơn vị tổng hợp")
    parser.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                        help="thư mục các trang đã xây dựng (mặc định: public)")
    parser.add_argument("--timeout", type=number, default=30.0, metavar="GIÂY",
                        help="thời gian tối đa cho cả một nguồn tin, kể cả các trang cũ, các lần "
                             "thử lại và thời gian chờ giữa chúng, giây (mặc định 30)")
    parser.add_argument("--concurrency", type=whole_number, default=4, metavar="SỐ",
                        help="số nguồn tin tải cùng lúc (mặc định 4; tăng khi nguồn ở xa)")
    parser.set_defaults(handler=cmd_aggregate)


def cmd_aggregate(args: argparse.Namespace) -> int:
    from trangtin.feeds.fetch import FetchPolicy

    network = load(args)
    wanted = check_units(network, args.units) or None
    out = (args.out or network.root / "public").resolve()
    if not args.timeout > 0:
        raise TrangtinError([error("dòng lệnh", None, "--timeout phải lớn hơn 0",
                                   "ví dụ: --timeout 30")])
    policy = FetchPolicy(timeout=min(FetchPolicy.timeout, args.timeout),
                         total_timeout=args.timeout, concurrency=max(1, args.concurrency))
    results = run_aggregation(network, wanted, out, policy)
    return EXIT_OK if all(s.ok for r in results for s in r.sources) else EXIT_PROBLEMS


def run_aggregation(network: Network, unit_ids: list[str] | None, out: Path,
                    policy: FetchPolicy | None = None) -> list[Aggregate]:
    from trangtin.aggregate.collect import aggregate, summary_notes
    from trangtin.aggregate.pictures import fetch_pictures

    results = aggregate(network, unit_ids, out, policy)
    pictures = fetch_pictures(network, results, out, policy)
    print_diagnostics(sorted({d for r in results for d in r.diagnostics} | set(pictures)))
    if results:
        print("Tổng hợp tin bài:")
    for line in summary_notes(results):
        print(f"  {line}")
    return results


def _register_import(commands: argparse._SubParsersAction) -> None:
    from trangtin.cli.importing import register_import

    register_import(commands, load, print_diagnostics)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _register_build,
    _register_aggregate,
    _register_serve,
    _register_preview,
    _register_deploy,
    _register_new,
    _register_import,
    _register_check,
    _register_report,
]

if __name__ == "__main__":
    sys.exit(main())
