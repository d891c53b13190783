"""Serve the demo remote school (th-song-lam) on 127.0.0.1:8765 while a command runs.

The sample network has one school hosted "elsewhere": network.yml gives its feed as
http://127.0.0.1:8765/th-song-lam/feed.json. This stdlib server plays that host:

    python scripts/demo_remote/serve.py -- trangtin build

starts the server, runs the command, stops the server and returns the command's exit code.
If the port is taken (the server already runs), the command runs anyway.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST, PORT = "127.0.0.1", 8765


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".json": "application/feed+json"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        """The feed names its pictures at the demo's fixed port: served on another port
        (tests pick a free one), it names that port instead, so the pictures load."""
        port = int(self.server.server_address[1])  # type: ignore[index]
        path = Path(self.translate_path(self.path))
        if path.suffix != ".json" or port == PORT or not path.is_file():
            super().do_GET()
            return
        body = path.read_bytes().replace(f"{HOST}:{PORT}".encode(), f"{HOST}:{port}".encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/feed+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serving(port: int = PORT) -> Iterator[int | None]:
    """Serve this folder in a thread; yields the port (0 picks a free one), or None when
    the port was already taken."""
    handler = functools.partial(_Quiet, directory=str(HERE))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError:
        yield None
        return
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    with serving(args.port) as started:
        if started is None:
            print(f"Cổng {args.port} đang được dùng: coi như máy chủ mẫu đã chạy.", file=sys.stderr)
        if not command:
            print(f"Đang phục vụ http://{HOST}:{args.port}/ — nhấn Ctrl+C để dừng.")
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
            return 0
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
