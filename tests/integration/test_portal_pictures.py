"""The portal owns its pictures: a remote school's feed and images served on loopback (a JPEG
with GPS EXIF, a PNG, one that 404s, an HTML page named .jpg, one too large, one too slow);
after ``trangtin build`` the portal's pages load pictures only from the portal, processed
without metadata; each failure is named and shown as a placeholder; a second build whose
pictures answer 304 downloads nothing and changes no byte."""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import loopback_server
from trangtin.aggregate import pictures
from trangtin.cli.main import main

PORTAL = "xa-an-binh"
REMOTE = "th-song-lam"
GOOD = ("gps.jpg", "plain.png")
BAD = {"missing.jpg": "mã 404", "page.jpg": "không phải ảnh", "huge.jpg": "giới hạn",
       "slow.jpg": "quá thời gian"}


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera của phụ huynh"
    exif[0x8825] = {1: "N", 2: (10.0, 45.0, 0.0), 3: "E", 4: (106.0, 40.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 40, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


class School:
    """The remote school's host: its feed and pictures, ETags and 304s, every answer noted."""

    def __init__(self, server: HTTPServer) -> None:
        self.base = server.url_for("/th-song-lam/")
        self.answers: list[tuple[str, int]] = []
        self.files = {"gps.jpg": (jpeg_with_gps(), "image/jpeg"), "plain.png": (png(), "image/png"),
                      "page.jpg": (b"<!doctype html><title>Trang</title>", "text/html"),
                      "feed.json": (self.feed(), "application/feed+json")}
        for name in (*self.files, *BAD):
            server.expect_request(f"/th-song-lam/{name}").respond_with_handler(self.answer)

    def feed(self, without: tuple[str, ...] = ()) -> bytes:
        def item(slug: str, picture: str, in_text: bool = False) -> dict[str, object]:
            url = self.base + picture
            return {"id": f"urn:trangtin:{REMOTE}:posts/2025/10/{slug}",
                    "url": f"{self.base}tin-tuc/2025/10/{slug}/", "title": f"Tin {slug}",
                    "content_html": f'<p>Nội dung.</p><img src="{url}" alt="Ảnh {slug}">'
                    if in_text else "<p>Nội dung.</p>",
                    **({} if in_text else {"image": url}),
                    "date_published": "2026-11-20T08:00:00+07:00",
                    "_trangtin": {"unit": REMOTE, "highlight": True}}
        items = [item("anh-gps", "gps.jpg"), item("anh-png", "plain.png", in_text=True),
                 *(item(name.split(".")[0], name) for name in BAD)]
        items = [i for i in items if not str(i["url"]).endswith(tuple(f"/{slug}/" for slug in without))]
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Sông Lam",
                           "items": items}, ensure_ascii=False).encode()

    def answer(self, request: Request) -> Response:
        name = request.path.rsplit("/", 1)[-1]
        status, response = self._response(name, request)
        self.answers.append((name, status))
        return response

    def _response(self, name: str, request: Request) -> tuple[int, Response]:
        if name == "missing.jpg":
            return 404, Response(b"not found", status=404)
        if name == "huge.jpg":
            return 200, Response(b"\xff" * (pictures.MAX_BYTES + 1), content_type="image/jpeg")
        if name == "slow.jpg":
            return 200, Response(dribble(), content_type="image/jpeg")
        body, kind = self.files[name]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return 304, Response(b"", status=304, headers={"ETag": etag})
        return 200, Response(body, content_type=kind, headers={"ETag": etag})


def dribble() -> Iterator[bytes]:
    yield b"\xff\xd8"
    for _ in range(20):
        time.sleep(0.5)
        yield b"\x00"


@pytest.fixture()
def school(network_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[School]:
    monkeypatch.setattr(pictures, "MAX_SECONDS", 2.0)  # the slow picture gives up in 2 s
    with loopback_server() as server:
        served = School(server)
        network_file = network_copy / "network.yml"
        network_file.write_text(network_file.read_text("utf-8").replace(
            "http://127.0.0.1:8765/th-song-lam/feed.json", served.base + "feed.json"), "utf-8")
        yield served


def build(root: Path) -> int:
    return main(["--root", str(root), "build", "--jobs", "2"])


def portal_pages(root: Path) -> list[Path]:
    portal = root / "public" / PORTAL
    return [portal / "index.html", *sorted((portal / "tin-don-vi").rglob("index.html")),
            *sorted((portal / "don-vi").rglob("index.html"))]


def snapshot(root: Path) -> dict[str, str]:
    folders = [root / "public" / PORTAL, root / ".trangtin"]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def crosspost_file(root: Path, slug: str) -> Path:
    [found] = (root / "public" / PORTAL / "tin-don-vi" / REMOTE).glob(f"{slug}-*/index.html")
    return found


def crosspost_page(root: Path, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(crosspost_file(root, slug))).getroot()


def test_the_portal_serves_its_own_pictures_names_failures_and_revalidates(
        network_copy: Path, school: School, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(network_copy) == 0
    err = capsys.readouterr().err
    for name, reason in BAD.items():
        [line] = [x for x in err.splitlines() if school.base + name in x]
        assert "Trường Tiểu học Sông Lam" in line and reason in line and "ô thay thế" in line
    assert not [x for x in err.splitlines() if any(school.base + g in x for g in GOOD)]

    portal = network_copy / "public" / PORTAL
    assert portal_pages(network_copy)[1:]
    for path in portal_pages(network_copy):
        html = lxml.html.parse(str(path)).getroot()
        for url in [*html.xpath("//img/@src"), *html.xpath("//img/@srcset | //source/@srcset")]:
            assert "//" not in url and not url.startswith("/"), (path, url)  # relative: the portal's

    for slug in ("anh-gps", "anh-png"):
        page = crosspost_page(network_copy, slug)
        assert not page.xpath("//*[contains(@class,'tt-picture-placeholder')]")
        [img] = page.xpath("//figure[contains(@class,'tt-crosspost__cover')]//img")
        served = (crosspost_file(network_copy, slug).parent / img.get("src")).resolve()
        with Image.open(served) as opened:
            assert opened.format == "JPEG" and not opened.getexif() and "exif" not in opened.info
    for name in BAD:
        page = crosspost_page(network_copy, name.split(".")[0])
        assert page.xpath("//figure[contains(@class,'tt-crosspost__cover')]"
                          "/span[contains(@class,'tt-picture-placeholder')]")
        assert not page.xpath("//article//img")
    home = lxml.html.parse(str(portal / "index.html")).getroot()
    assert home.xpath(f"//article[@data-unit='{REMOTE}']//img")

    before = snapshot(network_copy)
    school.answers.clear()
    assert build(network_copy) == 0
    answered = dict(school.answers)
    assert answered["gps.jpg"] == answered["plain.png"] == answered["feed.json"] == 304
    assert snapshot(network_copy) == before


def test_a_picture_no_portal_wants_any_more_is_deleted(network_copy: Path, school: School) -> None:
    assert build(network_copy) == 0
    folder = network_copy / ".trangtin" / pictures.PICTURES_DIR
    index = json.loads((folder / pictures.INDEX_FILE).read_text("utf-8"))["pictures"]
    gps, plain = (index[school.base + name] for name in GOOD)
    assert gps["portals"] == plain["portals"] == [PORTAL]
    assert (folder / gps["file"]).is_file() and (folder / plain["file"]).is_file()
    other_portal = {"etag": None, "last_modified": None, "file": plain["file"], "portals": ["so-gd"]}
    data = json.loads((folder / pictures.INDEX_FILE).read_text("utf-8"))
    data["pictures"]["https://other.example/a.jpg"] = other_portal  # a portal not aggregated here
    (folder / pictures.INDEX_FILE).write_text(json.dumps(data), "utf-8")
    (folder / "stray").write_bytes(b"left by an interrupted run")

    school.files["feed.json"] = (school.feed(without=("anh-gps",)), "application/feed+json")
    assert build(network_copy) == 0
    index = json.loads((folder / pictures.INDEX_FILE).read_text("utf-8"))["pictures"]
    assert school.base + "gps.jpg" not in index and not (folder / gps["file"]).exists()
    assert index[school.base + "plain.png"]["portals"] == [PORTAL] and (folder / plain["file"]).is_file()
    assert index["https://other.example/a.jpg"]["portals"] == ["so-gd"]  # not this run's to drop
    assert not (folder / "stray").exists()
    with pytest.raises(ValueError):
        crosspost_file(network_copy, "anh-gps")
