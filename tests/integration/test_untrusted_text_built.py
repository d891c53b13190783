"""What teachers and other sites write, built for real: YAML bombs are refused with their line
and bounded in time and memory while the rest of the site builds; control characters never
reach a page or a feed, locally (with a warning naming the line) or from a remote feed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from tests.conftest import copy_network, loopback_server
from tests.unit.test_yaml_bounds import BILLION_LAUGHS
from trangtin.cli.main import main
from trangtin.common.text import control_characters_by_line

from ..htmlcheck import parse

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
SCHOOL = "th-an-binh"
POSTS = f"content/{SCHOOL}/posts/2025/10"
DIRTY_TITLE = "Họp\x00 phụ\x07 huynh\x1b[1m đầu\x85 năm\ud800"
CLEAN_TITLE = "Họp phụ huynh[1m đầu năm"
DIRTY_POST = (f'---\ntitle: "{DIRTY_TITLE}"\ndate: 2025-10-05 08:00\ncategories: [Thông báo]\n'
              "approved_by: Nguyễn Thị Hoa\n---\n\n"
              "Kính mời\x07 quý phụ huynh\x00 dự họp.\n\nThời gian:\x1b 7 giờ\x85 sáng\ud800 Chủ nhật.\n")
DIRTY_URL = "tin-tuc/2025/10/hop-phu-huynh"
BOMB_POST = "---\ntitle: Bài có bom\ndate: 2025-10-06 08:00\n" + "\n".join(BILLION_LAUGHS) + "\n---\n\nNội dung.\n"
HINT = "ký tự vô hình này thường theo chữ chép từ Word hoặc PDF; xem lại dòng này và gõ lại chữ nếu bị thiếu"


def write_hostile_school(root: Path) -> None:
    posts = root / POSTS
    (posts / "hop-phu-huynh.md").write_bytes(DIRTY_POST.encode("utf-8", "surrogatepass"))
    (posts / "bai-co-bom.md").write_text(BOMB_POST, encoding="utf-8")
    about = root / "content" / SCHOOL / "gioi-thieu" / "index.md"
    about.write_text(about.read_text(encoding="utf-8").replace("## Lịch sử", "## Lịch\x1b sử\x07", 1),
                     encoding="utf-8")
    register = root / "content" / SCHOOL / "van-ban" / "index.md"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("title: Văn bản\n", "title: Văn bản\n" + "\n".join(BILLION_LAUGHS) + "\n", 1),
                        encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_network(tmp_path_factory.mktemp("hostile-school") / "network")
    write_hostile_school(root)
    assert main(["--root", str(root), "build", SCHOOL, "--jobs", "1"]) == 0
    return root


def no_control_characters(folder: Path, pattern: str) -> None:
    for path in folder.rglob(pattern):
        assert control_characters_by_line(path.read_text(encoding="utf-8")) == {}, path


def assert_feeds_valid(site: Path) -> None:
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    for path in sorted(site.glob("feed*.xml")):
        assert rng.validate(etree.parse(str(path))), (path.name, rng.error_log)  # parses: well-formed
    for path in sorted(site.glob("feed*.json")):
        jsonschema.validate(json.loads(path.read_text("utf-8")), schema,
                            format_checker=jsonschema.FormatChecker())


def test_a_post_with_control_characters_is_published_without_them(hostile_school: Path):
    site = hostile_school / "public" / SCHOOL
    page = parse(site / DIRTY_URL / "index.html")
    assert page.findtext(".//h1").strip() == CLEAN_TITLE
    assert "Kính mời quý phụ huynh dự họp." in page.text_content()
    no_control_characters(site, "*.html")


def test_a_section_page_with_control_characters_is_built_without_them(hostile_school: Path):
    about = parse(hostile_school / "public" / SCHOOL / "gioi-thieu" / "index.html")
    assert "Lịch sử" in [h.text_content().strip() for h in about.iter("h2")]


def test_the_feeds_of_a_site_with_control_characters_are_well_formed_and_valid(hostile_school: Path):
    site = hostile_school / "public" / SCHOOL
    assert_feeds_valid(site)
    no_control_characters(site, "feed*")
    titles = [e.findtext(f"{ATOM}title") for path in site.glob("feed*.xml")
              for e in etree.parse(str(path)).iter(f"{ATOM}entry")]
    assert CLEAN_TITLE in titles


def test_yaml_bombs_leave_out_their_post_and_register_and_the_site_builds(hostile_school: Path):
    site = hostile_school / "public" / SCHOOL
    assert not (site / "tin-tuc" / "2025" / "10" / "bai-co-bom").exists()
    register = parse(site / "van-ban" / "index.html")
    assert "lol" not in register.text_content() and "ha, ha" not in register.text_content()
    assert (site / DIRTY_URL / "index.html").is_file()
    assert (site / "tin-tuc" / "2025" / "10" / "ve-tranh-an-toan-giao-thong" / "index.html").is_file()


def test_check_names_each_control_character_and_each_bomb_with_its_line(hostile_school: Path, capsys):
    assert main(["--root", str(hostile_school), "check", SCHOOL]) == 1
    out = capsys.readouterr().out
    post = f"{POSTS}/hop-phu-huynh.md"
    assert f"{post}:2: cảnh báo: ký tự điều khiển U+0000, U+0007, U+001B, U+0085, U+D800 ở dòng 2 đã bị bỏ — {HINT}" \
        in out
    assert f"{post}:8: cảnh báo: ký tự điều khiển U+0007, U+0000 ở dòng 8 đã bị bỏ — {HINT}" in out
    assert f"{post}:10: cảnh báo: ký tự điều khiển U+001B, U+0085, U+D800 ở dòng 10 đã bị bỏ — {HINT}" in out
    bomb = ("lỗi: bí danh YAML '*l0' lặp lại cả một danh sách hoặc nhóm khóa (đặt tên ở '&l0'); "
            "trang tin không nhận cách viết này — viết đầy đủ nội dung thay cho bí danh")
    assert f"content/{SCHOOL}/gioi-thieu/index.md:3: cảnh báo: ký tự điều khiển U+001B, U+0007 ở dòng 3 " \
        f"đã bị bỏ — {HINT}" in out
    assert f"{POSTS}/bai-co-bom.md:5: {bomb}" in out
    assert f"content/{SCHOOL}/van-ban/index.md:4: {bomb}" in out


MEASURE = """
import contextlib, io, resource, sys, time
from trangtin.cli.main import main
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["--root", sys.argv[1], "check", sys.argv[2]])
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def check_costs(root: Path) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of ``trangtin check`` of the school, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(root), SCHOOL], capture_output=True,
                          text=True, check=True, timeout=120)
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


def test_checking_the_bombs_costs_under_a_second_and_100_mb_more(tmp_path: Path):
    clean = copy_network(tmp_path / "clean")
    hostile = copy_network(tmp_path / "hostile")
    write_hostile_school(hostile)
    check_costs(clean)  # warm the file cache and the compiled modules
    clean_seconds, clean_peak = check_costs(clean)
    hostile_seconds, hostile_peak = check_costs(hostile)
    assert hostile_peak - clean_peak < 100 * 1024 * 1024
    assert hostile_seconds - clean_seconds < 1


# --- a remote school whose feed carries control characters -----------------------------------

PORTAL, REMOTE = "xa-an-binh", "th-song-lam"
TT = "urn:trangtin:feed:1"


def hostile_atom(base: str, count: int) -> bytes:
    """An Atom feed of ``count`` highlights with control characters raw and as references."""
    entries = "".join(f"""
<entry><id>urn:trangtin:{REMOTE}:posts/2025/10/tin-{n}</id>
<title>Tin\x07 số {n}\x1b &#7;của\x85 trường&#xFFFE;</title>
<updated>2025-10-{n + 1:02d}T08:00:00+07:00</updated><published>2025-10-{n + 1:02d}T08:00:00+07:00</published>
<link rel="alternate" href="{base}tin-tuc/2025/10/tin-{n}/"/><author><name>Cô\x00 Lan</name></author>
<category term="Tin tức – Sự kiện\x0c" scheme="urn:trangtin:category"/>
<content type="html">&lt;p&gt;Nội\x07 dung &#x1b;tin\uffff số {n}\x85&lt;/p&gt;</content>
<tt:unit>{REMOTE}</tt:unit><tt:highlight>true</tt:highlight></entry>""" for n in range(count))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:tt="{TT}"><id>urn:trangtin:{REMOTE}:feed</id>
<title>Trường Tiểu học Sông Lam</title><updated>2025-10-30T08:00:00+07:00</updated>{entries}
</feed>""".encode()


@pytest.fixture(scope="module")
def portal_with_hostile_remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_network(tmp_path_factory.mktemp("hostile-remote") / "network")
    with loopback_server() as server:
        server.expect_request(f"/{REMOTE}/feed.xml").respond_with_data(
            hostile_atom(server.url_for(f"/{REMOTE}/"), 25), content_type="application/atom+xml")
        network_file = root / "network.yml"
        network_file.write_text(network_file.read_text("utf-8").replace(
            f"http://127.0.0.1:8765/{REMOTE}/feed.json", server.url_for(f"/{REMOTE}/feed.xml")),
            encoding="utf-8")
        assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    yield root


def test_a_remote_feed_with_control_characters_is_relayed_well_formed_and_without_them(
        portal_with_hostile_remote: Path):
    site = portal_with_hostile_remote / "public" / PORTAL
    assert len(list(site.glob("feed-archive-*.xml"))) >= 1
    assert_feeds_valid(site)
    no_control_characters(site, "feed*")
    relayed = {e.findtext(f"{ATOM}title"): e for path in site.glob("feed*.xml")
               for e in etree.parse(str(path)).iter(f"{ATOM}entry")
               if e.findtext(f"{{{TT}}}unit") == REMOTE}
    assert {f"Tin số {n} của trường" for n in range(25)} <= set(relayed)
    entry = relayed["Tin số 7 của trường"]
    assert entry.findtext(f"{ATOM}content") == "<p>Nội dung tin số 7</p>"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Cô Lan"


def test_the_portals_pages_show_the_remote_text_without_control_characters(
        portal_with_hostile_remote: Path):
    site = portal_with_hostile_remote / "public" / PORTAL
    no_control_characters(site, "*.html")
    shown = [parse(p).findtext(".//h1") for p in site.glob(f"tin-don-vi/{REMOTE}/**/index.html")]
    assert "Tin số 7 của trường" in [t.strip() for t in shown if t]
