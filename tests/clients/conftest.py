"""Real clients judge the built sample network, served on 127.0.0.1 like a static host would.

The tools (Nu HTML checker, axe-core, Lighthouse, Chromium, Java) are installed by
``scripts/clients.sh``; these tests only run with ``pytest -m clients``.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import importlib.util
import io
import json
import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NODE_MODULES = HERE / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
# Headless flags that work as root in a container without a GPU or network access.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


@dataclass
class Scoreboard:
    """What the clients measured, printed at the end of the run."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


SCOREBOARD = Scoreboard()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCOREBOARD.lines:
        terminalreporter.section("client checks: scores and counts")
        for line in SCOREBOARD.lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def scoreboard() -> Scoreboard:
    return SCOREBOARD


def require(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path.name}): run scripts/clients.sh first")
    return path


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as schools get one: gzip for text and a cache lifetime for assets."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def send_head(self):  # noqa: ANN201 - stdlib signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the stdlib redirects "dir" to "dir/"
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        fingerprinted = "/assets/" in self.path and ".min." in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if fingerprinted
                         else "public, max-age=600")
        super().end_headers()


@dataclass(frozen=True)
class Served:
    root: Path          # the network's public/ folder
    base: str           # http://127.0.0.1:port/

    def url(self, unit: str, path: str = "") -> str:
        return f"{self.base}{unit}/{path}"


@pytest.fixture(scope="session")
def public(request: pytest.FixtureRequest) -> Path:
    """The built network: TRANGTIN_CLIENTS_PUBLIC (an already built public/), else the sample."""
    given = os.environ.get("TRANGTIN_CLIENTS_PUBLIC")
    if given:
        return Path(given).resolve()
    return request.getfixturevalue("built_network") / "public"


@contextlib.contextmanager
def serving(folder: Path, handler: type[StaticHandler] = StaticHandler) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 by a static host; yields its base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(public: Path) -> Iterator[Served]:
    with serving(public) as base:
        yield Served(public, base)


class SiteHostHandler(StaticHandler):
    """Answers for each unit's own domain (the Host header) from the unit's built folder."""

    folders: dict[str, Path] = {}

    def translate_path(self, path: str) -> str:
        host = (self.headers.get("Host") or "").split(":")[0]
        folder = self.folders.get(host)
        if folder is None:
            return str(Path(self.directory) / ".no-such-site")
        self.directory = str(folder)
        return super().translate_path(path)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    if shutil.which("openssl") is None:
        pytest.fail("openssl is missing: run scripts/clients.sh first")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=trangtin-client-checks", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture(scope="session")
def remote_school() -> Iterator[None]:
    """The sample's school hosted elsewhere (scripts/demo_remote) keeps answering at its own
    address while the clients look at the portal, which shows its photos from there."""
    serve = REPO / "scripts" / "demo_remote" / "serve.py"
    if not serve.is_file():
        yield
        return
    spec = importlib.util.spec_from_file_location("demo_remote_serve", serve)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with module.serving(module.PORT):  # already served (a demo running) is fine too
        yield


@pytest.fixture(scope="session")
def browser_flags(public: Path, tmp_path_factory: pytest.TempPathFactory,
                  remote_school: None) -> Iterator[list[str]]:
    """Chromium's flags, with every built unit also answering at its real address (site_url).

    A portal shows its schools' photos from the schools' own domains. Those names resolve
    here to a local HTTPS server (self-signed certificate, accepted by this browser only)
    that answers from the schools' built folders, as the real hosts would."""
    from trangtin.network.model import load_network

    network = load_network(public.parent / "network.yml")
    folders = {urlsplit(u.site_url).hostname or "": public / u.id for u in network.units.values()
               if u.site_url and (public / u.id / "index.html").is_file()}
    cert, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    handler = type("Hosts", (SiteHostHandler,), {"folders": folders})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(public)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    rules = ", ".join(f"MAP {host}:443 127.0.0.1:{port}" for host in sorted(folders))
    try:
        yield [*CHROMIUM_FLAGS, "--ignore-certificate-errors", f"--host-resolver-rules={rules}"]
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Target:
    """A page the clients judge: which site, which kind of page, where."""

    unit: str
    kind: str
    path: str

    @property
    def name(self) -> str:
        return f"{self.unit}:{self.kind}"


def sample_school(public: Path, portal: str) -> str:
    """The sample school with the most posts (the richest pages to judge)."""
    counts = {}
    for index in public.glob("*/search.json"):
        unit = index.parent.name
        if unit != portal:
            docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
            counts[unit] = sum(1 for d in docs if d.get("d") and not d.get("s"))
    return max(sorted(counts), key=lambda u: counts[u])


def first_post(public: Path, unit: str) -> str:
    docs = json.loads((public / unit / "search.json").read_text(encoding="utf-8"))["docs"]
    return next(d["u"] for d in docs if d.get("d") and not d.get("s"))


# The report page is optional: a site has it only once the counting module renders it.
REPORT_CANDIDATES = ("bao-cao/", "thong-ke/")


def targets_for(public: Path, unit: str) -> list[Target]:
    pages = [Target(unit, "home", ""), Target(unit, "post", first_post(public, unit)),
             Target(unit, "news", "tin-tuc/"), Target(unit, "documents", "van-ban/"),
             Target(unit, "search", "tim-kiem/?q=khai+giang")]
    pages += [Target(unit, "report", p) for p in REPORT_CANDIDATES
              if (public / unit / p / "index.html").is_file()]
    return pages


@pytest.fixture(scope="session")
def portal(public: Path) -> str:
    from trangtin.network.model import load_network

    return load_network(public.parent / "network.yml").portal


@pytest.fixture(scope="session")
def school(served: Served, portal: str) -> str:
    return sample_school(served.root, portal)


@pytest.fixture(scope="session")
def targets(served: Served, portal: str, school: str) -> list[Target]:
    """Home, a post, the news index, Văn bản, the search page (and the report) of a school and the portal."""
    return targets_for(served.root, school) + targets_for(served.root, portal)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if shutil.which(str(CHROMIUM)) is None:
        pytest.fail("Debian's chromium is missing: run scripts/clients.sh first")
    return CHROMIUM


def settle(page) -> None:  # noqa: ANN001 - playwright Page
    """Wait as a reader does before acting: the page's scripts, fetched once it has loaded
    (site/first_paint.py), have run, and nothing is still being fetched."""
    from trangtin.site.first_paint import READY_ATTRIBUTE

    has_loader = page.evaluate(
        "() => Array.from(document.scripts).some(s => s.text.startsWith('addEventListener(\"load\"'))")
    if has_loader:  # the editor's page (admin/) is the vendored CMS's own
        page.wait_for_selector(f"html[{READY_ATTRIBUTE}]", state="attached")
    page.wait_for_load_state("networkidle")
