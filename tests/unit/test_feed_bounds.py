"""Remote feeds within bounds, over real loopback servers: entity bombs and external entities
refused in any encoding within a second and small memory; a server dribbling one byte a
second does not hold ``trangtin aggregate --timeout 5`` longer than the timeout."""

from __future__ import annotations

import contextlib
import resource
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.unit.test_aggregation import FAST
from trangtin.aggregate.collect import aggregate
from trangtin.cli.main import main
from trangtin.network.model import Network, load_network

MB = 1024 * 1024
# Ten levels of ten: 10^9 'ha' when expanded (the "billion laughs").
LAUGHS = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
BOMB = ('<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<!DOCTYPE rss [<!ENTITY l0 "ha">{LAUGHS}]>\n'
        '<rss version="2.0"><channel><title>Trường</title><item><guid>1</guid>'
        '<title>&l9;</title><pubDate>Fri, 05 Sep 2025 07:30:00 +0700</pubDate></item>'
        '</channel></rss>')
EXTERNAL = ('<?xml version="1.0" encoding="{encoding}"?>\n'
            '<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>')
HOSTILE = {  # unit → (document, Python codec): with and without a byte order mark
    "th-bom16": (BOMB, "utf-16"), "th-bom16be": (BOMB, "utf-16-be"),
    "th-bom32": (BOMB, "utf-32"), "th-bom32le": (BOMB, "utf-32-le"),
    "th-xxe16": (EXTERNAL, "utf-16"), "th-xxe32": (EXTERNAL, "utf-32"),
}


def schools_network(root: Path, feeds: dict[str, str]) -> Network:
    """A commune with one remote school per (unit id → feed URL)."""
    lines = ["units:", "  - {id: xa, name: Xã Thử, type: xa}"]
    lines += [f"  - {{id: {unit}, name: Trường {unit}, type: truong, parent: xa, feed: '{url}'}}"
              for unit, url in feeds.items()]
    (root / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_network(root / "network.yml")


def test_entity_bombs_and_external_entities_are_refused_in_any_encoding(
        tmp_path: Path, server: HTTPServer) -> None:
    for unit, (document, codec) in HOSTILE.items():
        label = codec.upper().removesuffix("-BE").removesuffix("-LE")
        server.expect_request(f"/{unit}/feed.xml").respond_with_data(
            document.replace("{encoding}", label).encode(codec),
            content_type="application/rss+xml")
    network = schools_network(tmp_path, {u: server.url_for(f"/{u}/feed.xml") for u in HOSTILE})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    [result] = aggregate(network, ["xa"], policy=FAST)
    seconds = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    tracemalloc.start()
    try:
        aggregate(network, ["xa"], policy=FAST)
        traced_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert seconds < 1.0, f"{len(HOSTILE)} hostile feeds took {seconds:.2f} s"
    assert rss_growth < 200 * MB and traced_peak < 200 * MB, (rss_growth, traced_peak)
    failed = {d.unit: d for d in result.diagnostics}
    assert sorted(failed) == sorted(HOSTILE)
    for unit, diagnostic in failed.items():
        assert "khai báo ENTITY" in diagnostic.message, diagnostic.render()
        assert server.url_for(f"/{unit}/feed.xml") in diagnostic.message
    assert result.items == []


class Dribbler:
    """A loopback HTTP server that answers one byte a second: the body only
    (``/body``) or from the status line on (``/headers``)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.stop = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection: socket.socket) -> None:
        with connection:
            request = connection.recv(65536)
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/feed+json\r\n"
                    b"Content-Length: 100000\r\n\r\n")
            body = b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b" " * 99_000
            if b"/body" in request.split(b"\r\n", 1)[0]:
                connection.sendall(head)
                head = b""
            for byte in (head + body)[:120]:
                if self.stop.wait(1.0):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return


@contextlib.contextmanager
def dribbling_server() -> Iterator[Dribbler]:
    dribbler = Dribbler()
    thread = threading.Thread(target=dribbler.serve, daemon=True)
    thread.start()
    try:
        yield dribbler
    finally:
        dribbler.stop.set()
        with contextlib.suppress(OSError):  # closing the socket does not wake accept(): a visit does
            socket.create_connection(("127.0.0.1", dribbler.port), timeout=1).close()
        thread.join(timeout=5)
        dribbler.socket.close()


def test_timeout_bounds_the_whole_fetch_of_a_dribbling_feed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with dribbling_server() as dribbler:
        feeds = {"th-than-body": dribbler.url("/body/feed.json"),
                 "th-than-head": dribbler.url("/headers/feed.json")}
        schools_network(tmp_path, feeds)
        started = time.perf_counter()
        code = main(["--root", str(tmp_path), "aggregate", "--timeout", "5"])
        seconds = time.perf_counter() - started
    err = capsys.readouterr().err
    assert seconds <= 7.0, f"aggregate --timeout 5 took {seconds:.1f} s"
    assert code == 1
    for unit, url in feeds.items():
        assert f"[{unit}]" in err
        [line] = [line for line in err.splitlines() if url in line]
        assert "quá thời gian chờ 5 giây cho cả nguồn tin" in line, line


def test_an_external_dtd_is_never_fetched(tmp_path: Path, server: HTTPServer) -> None:
    """RSS 0.91 feeds name a DTD: the feed is read, the DTD never requested; a parameter
    entity pulling one in is refused."""
    dtd = server.url_for("/dtd/rss.dtd")
    item = ("<item><guid>1</guid><title>Tin</title>"
            "<pubDate>Mon, 06 Oct 2025 08:00:00 +0700</pubDate></item>")
    server.expect_request("/dtd/rss.dtd").respond_with_data('<!ENTITY x "y">')
    server.expect_request("/doctype/rss.xml").respond_with_data(
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd}"><rss version="2.0"><channel>'
        f"<title>Trường</title>{item}</channel></rss>", content_type="application/rss+xml")
    server.expect_request("/param/rss.xml").respond_with_data(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % d SYSTEM "{dtd}"> %d;]>'
        f'<rss version="2.0"><channel><title>Trường</title>{item}</channel></rss>',
        content_type="application/rss+xml")
    network = schools_network(tmp_path, {"th-doctype": server.url_for("/doctype/rss.xml"),
                                         "th-param": server.url_for("/param/rss.xml")})
    [result] = aggregate(network, ["xa"], policy=FAST)
    assert [i.unit for i in result.items] == ["th-doctype"]
    [problem] = result.diagnostics
    assert problem.unit == "th-param" and "khai báo ENTITY" in problem.message
    assert "/dtd/rss.dtd" not in [request.path for request, _ in server.log]
