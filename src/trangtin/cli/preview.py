"""``trangtin preview``: the whole built ``public/`` served on this machine, as a host would.

Opened from ``file://``, a built site breaks (a folder link shows a folder, search cannot load
its index); served over HTTP every site and the landing page work at their real paths. Only
files that exist are served: a folder answers with its ``index.html`` or not at all (never a
listing), and a missing page answers with the site's own ``404.html``.
"""

from __future__ import annotations

import contextlib
import http.server
import logging
import os
import re
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from trangtin.common.diagnostics import TrangtinError, error

# Types a static host gives these files; Python's own table lacks some of them (.webp before 3.13).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".webp": "image/webp",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

NOT_FOUND_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Không tìm thấy trang</title></head>
<body><h1>Không tìm thấy trang</h1><p>Không có trang nào ở địa chỉ này.</p>
<p><a href="/">Về danh sách các trang</a></p></body></html>
"""


class PublicFolderHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files of the public folder; never lists a folder; quiet but for missing pages."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = self._not_found_page()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> bytes:
        """The 404 page of the site the address belongs to, else a plain one."""
        first = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        site_page = Path(self.directory) / first / "404.html"
        if first and not first.startswith(".") and site_page.is_file():
            return mounted_404(site_page.read_bytes(), first)
        return NOT_FOUND_PAGE.encode("utf-8")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - argparse's name
        return None

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code) == "404":
            print(f"  không có trang: {self.path} (404)", file=sys.stderr, flush=True)


def mounted_404(page: bytes, folder: str) -> bytes:
    """A site's 404 page, whose links start at the path of its ``site_url`` (``data-tt-root``:
    it is served at any depth), with those links moved to the folder the preview serves it from."""
    match = re.search(rb'data-tt-root="(/[^"]*)"', page)
    root = match.group(1) if match else b"/"
    prefix = f"/{folder}/".encode()
    pattern = rb'((?:href|src|action)=")' + re.escape(root) + rb"(?!/)"
    return re.sub(pattern, lambda m: m.group(1) + prefix, page)


def public_folder(out: Path) -> Path:
    if not (out / "index.html").is_file():
        raise TrangtinError([error(str(out), None, "chưa có trang nào được xây dựng ở đây",
                                   "chạy 'trangtin build' trước, rồi 'trangtin preview'")])
    return out


@contextlib.contextmanager
def serving(folder: Path, host: str, port: int) -> Iterator[http.server.ThreadingHTTPServer]:
    """A server for ``folder`` bound to ``host:port`` (port 0: a free one), until the block ends."""
    handler = partial(PublicFolderHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise TrangtinError([error("dòng lệnh", None,
                                   f"không mở được cổng {port} trên {host} ({exc.strerror})",
                                   "chọn cổng khác, ví dụ --port 8001, hoặc --port 0 để tự chọn "
                                   "một cổng còn trống")]) from None
    try:
        yield server
    finally:
        server.server_close()


def address(server: http.server.ThreadingHTTPServer) -> str:
    host, port = str(server.server_address[0]), server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def preview(out: Path, host: str, port: int) -> None:
    """Serve ``out`` until Ctrl+C, saying where."""
    folder = public_folder(out)
    with serving(folder, host, port) as server:
        print(f"Xem trước tại {address(server)} — nhấn Ctrl+C để dừng", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nĐã dừng xem trước.", flush=True)


class ServeAnnouncer(logging.Handler):
    """Says in Vietnamese what ``mkdocs serve`` logs in English: its address, a rebuild."""

    STAMP = re.compile(r"^\[\d\d:\d\d:\d\d\] ")  # livereload's messages start with the time
    SERVING = re.compile(r"^Serving on (?P<url>\S+)")
    SAYINGS = {"Building documentation...": "Đang xây dựng trang…",
               "Detected file changes": "Có tệp vừa được sửa, đang xây dựng lại…",
               "Reloading browsers": "Đã xây dựng lại, trình duyệt tự tải lại trang."}
    LOGGERS = ("mkdocs.livereload", "mkdocs.commands.serve")

    def __init__(self, unit_id: str) -> None:
        super().__init__(logging.INFO)
        self.unit_id = unit_id

    def emit(self, record: logging.LogRecord) -> None:
        message = self.STAMP.sub("", record.getMessage())
        if match := self.SERVING.match(message):
            print(f"Xem trước {self.unit_id} tại {match.group('url')} — nhấn Ctrl+C để dừng",
                  flush=True)
        elif message in self.SAYINGS:
            print(self.SAYINGS[message], flush=True)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            logger.addHandler(self)
            logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            for name in self.LOGGERS:
                logging.getLogger(name).removeHandler(self)
