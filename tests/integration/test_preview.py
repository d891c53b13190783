"""``trangtin preview`` for real: a subprocess serving the built sample network over loopback HTTP."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from lxml import html

from ..htmlcheck import parse

ANNOUNCED = re.compile(r"^Xem trước tại (?P<url>http://127\.0\.0\.1:(?P<port>\d+)/) — nhấn Ctrl\+C để dừng$")


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of one GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get_content_type(), refused.read()


def first_line(stream: IO[str]) -> str:
    return stream.readline().rstrip("\n")


@pytest.fixture(scope="module")
def preview(built_network: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The preview of the built sample network on a free port, and its process."""
    command = [sys.executable, "-m", "trangtin.cli", "--root", str(built_network), "preview",
               "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8")
    try:
        assert server.stdout is not None
        announced = ANNOUNCED.match(first_line(server.stdout))
        assert announced, "preview must print where it serves"
        yield announced.group("url"), server
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)


def test_preview_serves_the_landing_page_and_every_built_site(preview, built_network: Path):
    url, _ = preview
    status, kind, body = fetch(url)
    assert (status, kind) == (200, "text/html")
    landing = html.fromstring(body)
    links = [a.get("href") for a in landing.cssselect("ul a")]
    built = sorted(p.name for p in (built_network / "public").iterdir()
                   if (p / "index.html").is_file())
    assert sorted(link.rstrip("/") for link in links) == built and len(built) >= 4
    for link in links:
        status, kind, body = fetch(url + link)
        assert (status, kind) == (200, "text/html"), link
        page = html.fromstring(body)
        expected = parse(built_network / "public" / link / "index.html").findtext(".//title")
        assert page.findtext(".//title") == expected
        news = page.cssselect('a[href$="tin-tuc/"]')
        assert news, f"{link}: the news section is linked"
        status, _, _ = fetch(url + link + "tin-tuc/")
        assert status == 200, f"{link}: a folder address serves its index.html"


def test_preview_gives_feeds_search_and_photos_their_types(preview, built_network: Path):
    url, _ = preview
    public = built_network / "public"
    photo = next(public.rglob("*.webp")).relative_to(public).as_posix()
    for path, expected in (("xa-an-binh/feed.json", "application/json"),
                           ("xa-an-binh/sitemap.xml", "application/xml"),
                           ("thcs-an-binh/search.json", "application/json"),
                           (photo, "image/webp")):
        status, kind, body = fetch(url + path)
        assert (status, kind) == (200, expected), path
        assert body == (public / path).read_bytes()


def test_preview_never_lists_a_folder(preview, built_network: Path):
    url, _ = preview
    assert not (built_network / "public" / "thcs-an-binh" / "assets" / "index.html").exists()
    status, kind, body = fetch(url + "thcs-an-binh/assets/")
    assert (status, kind) == (404, "text/html")
    assert b"Directory listing" not in body
    status, _, body = fetch(url + "thcs-an-binh/khong-co-trang-nay/")
    assert status == 404
    # The site's own 404 page, its links (written from site_url's root) moved under the folder.
    served = html.fromstring(body)
    built = parse(built_network / "public" / "thcs-an-binh" / "404.html")
    assert served.findtext(".//title") == built.findtext(".//title")
    assert served.findtext(".//h1") == built.findtext(".//h1") == "Không tìm thấy trang"
    assert [a.get("href") for a in served.cssselect(".tt-404__links a")] == [
        "/thcs-an-binh" + a.get("href") for a in built.cssselect(".tt-404__links a")]
    status, _, body = fetch(url + "../network.yml")
    assert status == 404 and "Không tìm thấy trang" in body.decode("utf-8")


def test_preview_stops_cleanly_on_ctrl_c(preview):
    url, server = preview
    assert fetch(url)[0] == 200 and fetch(url + "khong-co-trang-nay/")[0] == 404
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=20)
    assert server.returncode == 0
    assert "Đã dừng xem trước." in out
    assert "Traceback" not in err
    assert "không có trang: /khong-co-trang-nay/ (404)" in err


def test_landing_page_says_to_run_preview_only_when_opened_from_a_file(built_network: Path):
    landing = parse(built_network / "public" / "index.html")
    [note] = landing.cssselect("p#mo-tu-tep")
    assert note.get("hidden") is not None and note.get("role") == "note"
    assert "trangtin preview" in note.text_content()
    [script] = [s for s in landing.iter("script") if "mo-tu-tep" in (s.text or "")]
    assert 'location.protocol === "file:"' in script.text and ".hidden = false" in script.text


def test_preview_before_a_build_says_what_to_do(tmp_path: Path):
    empty = tmp_path / "public"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "trangtin.cli", "preview", "--out", str(empty)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == (f"{empty}: lỗi: chưa có trang nào được xây dựng ở đây — chạy "
                                   "'trangtin build' trước, rồi 'trangtin preview'")
