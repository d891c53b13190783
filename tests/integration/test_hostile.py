"""The hostile corpus, end to end: checked, built and aggregated like any network's content.

Nothing in it may run in a reader's browser, break a feed, turn into a spreadsheet formula or
publish a photo's GPS position; every problem is named with its file and line (or unit and feed
URL), no command shows a traceback, every site is built, and the whole run stays bounded.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import lxml.html
import openpyxl
import pytest
from lxml import etree
from PIL import Image

from tests.hostile_corpus import (
    POST_FILES,
    REMOTE_ATOM,
    REMOTE_JSON,
    UNIT,
    Hostile,
    build_hostile,
    executable_markup,
    gps_jpeg,
    trangtin,
)

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SITES = ("mn-hoa-sen", "th-an-binh", "thcs-an-binh", "xa-an-binh")
CRASHES = ("Traceback", "Lỗi nội bộ")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return build_hostile(tmp_path_factory.mktemp("hostile") / "network")


def built_pages(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def test_no_command_crashes_and_every_site_is_built(hostile: Hostile) -> None:
    for run in (hostile.check, hostile.build, hostile.aggregate):
        assert not [c for c in CRASHES if c in run.output], run.output[-3000:]
    assert f"Đã xây dựng {len(SITES)}/{len(SITES)} trang" in hostile.build.output, hostile.build.output[-3000:]
    for site in SITES:
        assert (hostile.public / site / "index.html").is_file(), site


def test_the_run_stays_bounded(hostile: Hostile) -> None:
    assert hostile.check.seconds < 60, hostile.check.seconds
    assert hostile.build.seconds < 180, hostile.build.seconds
    assert hostile.peak_mb < 500, f"peak memory of a child process: {hostile.peak_mb:.0f} MB"


def test_check_names_every_hostile_file_with_its_line(hostile: Hostile) -> None:
    report = json.loads(hostile.check.output[:hostile.check.output.rindex("}") + 1])
    located = {(Path(d["path"]).name, d["line"]) for d in report["diagnostics"]}
    for name in ("noi-dung-doc.md", "ky-tu-dieu-khien.md", "yaml-bom.md", "anh-sai.md", "tep-doc.md"):
        lines = [line for file, line in located if file == name]
        assert lines and all(isinstance(line, int) and line >= 1 for line in lines), name


def test_check_lists_every_problem_of_a_post(hostile: Hostile) -> None:
    report = json.loads(hostile.check.output[:hostile.check.output.rindex("}") + 1])
    lines = {d["line"] for d in report["diagnostics"] if d["path"].endswith("anh-sai.md")}
    assert len(lines) >= 4, lines  # four broken image references, each on its own line


def test_no_built_page_holds_executable_markup(hostile: Hostile) -> None:
    found = {str(page.relative_to(hostile.public)): problems for page in built_pages(hostile.public)
             if (problems := list(executable_markup(page.read_bytes())))}
    assert found == {}


def test_markup_in_text_fields_is_shown_as_text(hostile: Hostile) -> None:
    title = POST_FILES["tieu-de-doc.md"].split('title: "', 1)[1].split('"\n', 1)[0].replace('\\"', '"')
    pages = [p for p in (hostile.public / UNIT / "tin-tuc").rglob("index.html")
             if title in lxml.html.fromstring(p.read_bytes()).findtext(".//h1", "")]
    assert len(pages) == 1, "the post with a hostile title is published once, its title as text"
    document = lxml.html.fromstring(pages[0].read_bytes())
    assert title in document.findtext(".//title", "")
    assert "&amp;lt;" not in pages[0].read_text(encoding="utf-8"), "escaped once, not twice"
    assert "Nội dung bình thường" in document.text_content()


def test_the_body_keeps_its_text_and_allowed_embed(hostile: Hostile) -> None:
    page = next(p for p in (hostile.public / UNIT / "tin-tuc").rglob("index.html")
                if "Bài có mã nhúng" in lxml.html.fromstring(p.read_bytes()).findtext(".//h1", ""))
    document = lxml.html.fromstring(page.read_bytes())
    text = document.text_content()
    assert "Đoạn mở đầu vẫn phải hiện ra." in text and "Đoạn kết thúc vẫn phải hiện ra." in text
    frames = document.findall(".//iframe")
    assert [f.get("src") for f in frames] == ["https://www.youtube.com/embed/dQw4w9WgXcQ"]
    assert frames[0].get("sandbox") is not None and frames[0].get("loading") == "lazy"


def test_control_characters_never_reach_a_page_or_a_feed(hostile: Hostile) -> None:
    controls = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0)]}
    for path in [*built_pages(hostile.public), *hostile.public.rglob("feed*.xml"), *hostile.public.rglob("*.json")]:
        text = path.read_bytes().decode("utf-8")
        assert not controls & set(text), path
    assert "Dòng có NUL, BEL, ESC" in "".join(
        p.read_text(encoding="utf-8") for p in (hostile.public / UNIT / "tin-tuc").rglob("index.html"))


def test_every_feed_is_well_formed_and_valid(hostile: Hostile) -> None:
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    for site in SITES:
        for path in sorted((hostile.public / site).glob("feed*.xml")):
            assert rng.validate(etree.parse(str(path))), (path, rng.error_log)
        for path in sorted((hostile.public / site).glob("feed*.json")):
            jsonschema.validate(json.loads(path.read_text("utf-8")), schema)


def test_reports_hold_no_formula(hostile: Hostile, tmp_path: Path) -> None:
    published = hostile.public / "xa-an-binh" / "thong-ke" / "bao-cao.xlsx"
    workbook_file = tmp_path / "bao-cao-2025.xlsx"  # the school year that holds the corpus
    assert trangtin(hostile.root, "report", "--as-of", "2025-12-01", "--format", "xlsx",
                    "--out", str(workbook_file)).code == 0
    cells = [cell for path in (published, workbook_file) for sheet in openpyxl.load_workbook(path)
             for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [str(c.value) for c in cells if isinstance(c.value, str)]
    assert any("HYPERLINK" in t for t in texts), "the hostile author is in the report, as text"
    for view in ("tong-hop", "theo-tac-gia", "theo-chuyen-muc", "khong-xep-duoc"):
        run = trangtin(hostile.root, "report", "--as-of", "2025-12-01", "--format", "csv", "--view", view)
        assert run.code == 0, run.output[-2000:]
        rows = list(csv.reader(run.output.splitlines(), delimiter=";"))
        assert [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == [], view
    authors = trangtin(hostile.root, "report", "--as-of", "2025-12-01", "--format", "csv", "--view", "theo-tac-gia")
    assert "'=HYPERLINK" in authors.output


def test_no_photo_is_published_with_its_gps_and_no_code_file_is_published(hostile: Hostile) -> None:
    site = hostile.public / UNIT
    original = gps_jpeg()
    published = [p for p in site.rglob("*") if p.is_file() and "assets" not in p.relative_to(site).parts]
    assert not [p for p in published if p.suffix.lower() in {".svg", ".jfif"}
                or p.name in {"trang.html", "bien-ban.pdf"}]
    assert [p for p in published if p.name == "ke-hoach.pdf"], "a real PDF is published"
    for path in published:
        assert path.read_bytes() != original, path
        try:
            with Image.open(path) as image:
                assert not image.getexif().get_ifd(0x8825), f"GPS published in {path}"
        except (OSError, Image.UnidentifiedImageError):
            continue


def test_sixteen_bit_photo_keeps_its_tones(hostile: Hostile) -> None:
    gradients = [p for p in (hostile.public / UNIT).rglob("*.jpg") if Image.open(p).size == (256, 64)]
    assert gradients, "the 16-bit gradient is published as a processed photo"
    for path in gradients:
        with Image.open(path) as image:
            low, high = image.convert("L").getextrema()
        assert low < 40 and high > 200, (path, low, high)


def test_unusable_remote_items_are_named_and_future_ones_are_not_shown(hostile: Hostile) -> None:
    for title in ("Tin không có ngày", "Tin năm 2099"):
        assert title in hostile.aggregate.output, hostile.aggregate.output[-3000:]
    assert REMOTE_JSON in hostile.aggregate.output
    portal = hostile.public / "xa-an-binh"
    shown = "".join(p.read_text(encoding="utf-8") for p in built_pages(portal)
                    if "thong-ke" not in p.relative_to(portal).parts)  # the report names it as future
    assert "Tin năm 2099" not in shown
    assert "Tin từ xa" in shown, "the usable remote highlight is cross-posted"
    assert REMOTE_ATOM in (portal / "thong-ke" / "bao-cao.json").read_text(encoding="utf-8")
