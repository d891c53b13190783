"""``trangtin import``: a Word document or a folder of photos becomes a draft post, then checked."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from trangtin.common.diagnostics import Diagnostic
from trangtin.network.model import Network


def register_import(commands: argparse._SubParsersAction, load: Callable[[argparse.Namespace], Network],
                    show: Callable[[list[Diagnostic]], None]) -> None:
    parser = commands.add_parser(
        "import", help="nhập một tệp Word (.docx) hoặc một thư mục ảnh thành bài viết nháp",
        description="Tạo content/<đơn vị>/posts/<năm>/<tháng>/<tên-bài>.md từ một tệp Word (.docx): "
                    "tiêu đề, nội dung, ảnh (đặt cạnh bài), người viết; hoặc từ một thư mục ảnh "
                    "(bài ảnh). Bài ở chế độ nháp (draft: true), được kiểm tra ngay. Không ghi đè bài đã có.")
    parser.add_argument("unit", metavar="ĐƠN_VỊ", help="id của trường hoặc đơn vị, ví dụ thcs-an-binh")
    parser.add_argument("source", type=Path, metavar="TỆP_HOẶC_THƯ_MỤC",
                        help="tệp Word .docx, hoặc thư mục ảnh chụp từ điện thoại")
    parser.add_argument("--to", dest="team", metavar="TỔ", help="tổ chuyên môn, ví dụ \"Tổ Toán – Tin\"")
    parser.add_argument("--category", metavar="CHUYÊN_MỤC", help="chuyên mục, ví dụ \"Tin tức – Sự kiện\"")
    parser.add_argument("--title", metavar="TIÊU_ĐỀ",
                        help="tiêu đề bài (mặc định: tiêu đề trong tệp Word, hoặc tên thư mục ảnh)")
    parser.set_defaults(handler=lambda args: cmd_import(args, load, show))


def cmd_import(args: argparse.Namespace, load: Callable[[argparse.Namespace], Network],
               show: Callable[[list[Diagnostic]], None]) -> int:
    from trangtin.content.word import check_imported, import_post

    network = load(args)
    imported = import_post(network, args.unit, args.source, team=args.team, category=args.category,
                           title=args.title)
    print(imported.display)
    for picture in imported.pictures:
        print(picture)
    found = [*imported.diagnostics, *check_imported(network, imported)]
    show(found)
    print(f"Đã nhập bài (bản nháp) với {len(imported.pictures)} ảnh. Đọc lại bài, sửa 'draft: true' "
          f"thành false, rồi chạy: trangtin check {imported.unit.id}", file=sys.stderr)
    return 1 if any(d.is_error for d in found) else 0
