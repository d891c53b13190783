"""The aggregated state is the same whichever command computed it.

The sample network (its Sở aggregates but has no site here) with its remote school and three
more, all served by a loopback server that answers 200 and then 304: ``trangtin build``,
``trangtin aggregate`` and ``trangtin aggregate`` again, then ``trangtin build`` again, leave
``.trangtin/`` and the built sites byte for byte as the first build left them. ``aggregate``
pointed at a folder where the sites were not built names every school and that folder, and
changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import REPO, copy_network, demo_remote, loopback_server
from trangtin.cli.main import main

SCHOOLS = ("mn-hoa-sen", "th-an-binh", "thcs-an-binh")  # built here
SO = "so-gddt-mau"  # aggregates, has no site here
EXTRA = {  # remote schools: path of their feed, validator they send
    "th-xa-mot": ("/th-xa-mot/feed.json", "etag"),
    "th-xa-hai": ("/th-xa-hai/feed.json", "last-modified"),
    "th-xa-ba": ("/th-xa-ba/feed.xml", "etag"),
}
LAST_MODIFIED = "Mon, 10 Nov 2025 01:00:00 GMT"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:th-xa-ba</id><title>Trường Ba</title>
<updated>2025-11-12T01:00:00Z</updated>
<entry><id>tag:th-xa-ba.example,2025:hoi-giang</id><title>Hội giảng giáo viên giỏi</title>
<published>2025-11-12T01:00:00Z</published><updated>2025-11-12T01:00:00Z</updated>
<link rel="alternate" href="{base}tin/hoi-giang/"/>
<content type="html">&lt;p&gt;Hội giảng chào mừng 20/11.&lt;/p&gt;</content></entry>
</feed>"""


def json_feed(base: str, unit: str) -> bytes:
    items = [{"id": f"urn:trangtin:{unit}:posts/2025/11/{slug}", "url": f"{base}tin/{slug}/",
              "title": f"{title} ({unit})", "content_html": f"<p>{title}.</p>",
              "date_published": date, "_trangtin": {"unit": unit, "highlight": highlight}}
             for slug, title, date, highlight in [
                 ("ky-niem-20-11", "Kỷ niệm Ngày Nhà giáo", "2025-11-20T08:00:00+07:00", True),
                 ("hoc-sinh-gioi", "Học sinh giỏi cấp huyện", "2025-11-05T08:00:00+07:00", False)]]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": unit,
                       "home_page_url": base, "items": items}, ensure_ascii=False).encode()


class ConditionalFeeds:
    """Every feed of the test with its validator; answers 304 when the client sends it back,
    and remembers each answer's status."""

    def __init__(self, server: HTTPServer) -> None:
        self.statuses: list[tuple[str, int]] = []
        self.feeds: dict[str, tuple[bytes, str, str]] = {}  # path → body, type, validator
        song_lam = (REPO / "scripts" / "demo_remote" / "th-song-lam" / "feed.json").read_bytes()
        self.add(server, "/th-song-lam/feed.json", song_lam.replace(
            b"http://127.0.0.1:8765/", server.url_for("/").encode()), "application/feed+json",
                 "etag")
        for unit, (path, validator) in EXTRA.items():
            base = server.url_for(f"/{unit}/")
            if path.endswith(".xml"):
                self.add(server, path, ATOM.replace("{base}", base).encode(),
                         "application/atom+xml", validator)
            else:
                self.add(server, path, json_feed(base, unit), "application/feed+json", validator)

    def add(self, server: HTTPServer, path: str, body: bytes, content_type: str,
            validator: str) -> None:
        self.feeds[path] = (body, content_type, validator)
        server.expect_request(path).respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        body, content_type, validator = self.feeds[request.path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if validator == "etag":
            headers, unchanged = {"ETag": etag}, request.headers.get("If-None-Match") == etag
        else:
            headers = {"Last-Modified": LAST_MODIFIED}
            unchanged = request.headers.get("If-Modified-Since") == LAST_MODIFIED
        status = 304 if unchanged else 200
        self.statuses.append((request.path, status))
        return Response(b"" if unchanged else body, status=status, headers=headers,
                        content_type=content_type)

    def answered(self) -> dict[str, int]:
        """The status each feed answered since the last call."""
        found = dict(self.statuses)
        self.statuses.clear()
        return found


def with_remote_schools(root: Path, server: HTTPServer) -> None:
    """The demo remote school and three more under the commune, all on ``server``."""
    path = root / "network.yml"
    text = path.read_text(encoding="utf-8").replace(
        "http://127.0.0.1:8765/th-song-lam/feed.json", server.url_for("/th-song-lam/feed.json"))
    extra = "".join(f"  - {{id: {unit}, name: Trường {unit}, type: truong, parent: xa-an-binh, "
                    f"feed: '{server.url_for(feed)}'}}\n" for unit, (feed, _) in EXTRA.items())
    text, count = re.subn(r"^units:\n", lambda m: m.group(0) + extra, text, count=1, flags=re.M)
    assert count == 1
    path.write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path, with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, ConditionalFeeds]]:
    """The sample network with four remote schools, and a folder for its sites outside it."""
    root = copy_network(tmp_path / "network")
    with loopback_server() as server:
        feeds = ConditionalFeeds(server)
        with_remote_schools(root, server)
        yield root, tmp_path / "elsewhere", feeds


def test_build_aggregate_aggregate_build_leave_state_and_sites_byte_identical(
        served: tuple[Path, Path, ConditionalFeeds], capsys: pytest.CaptureFixture[str]) -> None:
    root, out, feeds = served
    every_feed = set(feeds.feeds)
    assert main(["--root", str(root), "build", "--out", str(out), "--jobs", "2"]) == 0
    assert feeds.answered() == dict.fromkeys(every_feed, 200)
    state, sites = tree(root / ".trangtin"), tree(out)
    # build aggregated every aggregating unit, the Sở without a site here included ...
    assert {f"aggregated/{u}.json" for u in (SO, "xa-an-binh")} <= state.keys()
    # ... reading the schools built here from their built feeds (the rendered body, the
    # address of the feed), not from their Markdown
    stored = json.loads((root / ".trangtin" / "aggregated" / f"{SO}.json").read_bytes())
    local = [i for i in stored["items"] if i["unit"] in SCHOOLS]
    assert {i["unit"] for i in local} == set(SCHOOLS)
    assert all(i["content_html"] and not i["source"].endswith(".md") for i in local)
    assert {i["unit"] for i in stored["items"]} >= {"th-song-lam", *EXTRA}
    capsys.readouterr()

    for step in (["aggregate", "--out", str(out)], ["aggregate", "--out", str(out)],
                 ["build", "--out", str(out), "--jobs", "2"]):
        assert main(["--root", str(root), *step]) == 0, step
        assert feeds.answered() == dict.fromkeys(every_feed, 304), step
        assert changed(state, tree(root / ".trangtin")) == [], step
        assert changed(sites, tree(out)) == [], step
    assert "lỗi" not in capsys.readouterr().err


def test_aggregate_where_the_sites_were_not_built_names_each_school_and_changes_nothing(
        served: tuple[Path, Path, ConditionalFeeds], capsys: pytest.CaptureFixture[str]) -> None:
    root, out, feeds = served
    assert main(["--root", str(root), "build", "--out", str(out), "--jobs", "2"]) == 0
    state = tree(root / ".trangtin")
    capsys.readouterr()

    # without --out: public/ of the network, where nothing was built
    assert main(["--root", str(root), "aggregate"]) == 1
    said = capsys.readouterr().err.splitlines()
    for school in SCHOOLS:
        [line] = [s for s in said if f"public/{school}/feed.json" in s]
        name = "không thấy trang đã xây dựng của Trường"
        assert ": cảnh báo: " in line and name in line and "trong thư mục public " in line
        assert "giữ" in line and "tin đã tổng hợp lần trước" in line
        assert "trangtin aggregate --out" in line and f"trangtin build {school}" in line
    assert changed(state, tree(root / ".trangtin")) == []
    assert feeds.answered() == dict.fromkeys(feeds.feeds, 304)


def test_a_school_never_built_is_named_not_read_from_its_content(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_network(tmp_path / "network")
    with demo_remote(root):
        assert main(["--root", str(root), "aggregate", "--out", str(tmp_path / "chua-co")]) == 1
    said = capsys.readouterr().err
    for school in SCHOOLS:
        [line] = [s for s in said.splitlines() if f"{school}/feed.json" in s]
        assert ": lỗi: " in line and "chưa có tin nào tổng hợp được trước đây" in line
        assert str(tmp_path / "chua-co") in line
    stored = json.loads((root / ".trangtin" / "aggregated" / "xa-an-binh.json").read_bytes())
    units = {i["unit"] for i in stored["items"]}
    assert not units & set(SCHOOLS) and "th-song-lam" in units
