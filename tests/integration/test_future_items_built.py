"""Items a remote unit dates in the future are not shown before their date: not on the
portal's home page, unit pages, cross-posts, feeds or search index, nor among a school's
announcements from above; `trangtin build` names them; from their date on they are shown
(a school's site kept from its last build is built again at that moment)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest
from pytest_httpserver import HTTPServer

from tests.integration.test_crosspost import (
    PORTAL,
    REMOTE,
    crosspost_dir,
    remote_items,
    serve,
)
from tests.integration.test_crosspost import controlled as controlled  # the fixture
from trangtin.aggregate.collect import load_items
from trangtin.cli.main import main
from trangtin.network.model import load_network
from trangtin.site.build import build_sites

FUTURE = {"2099-01-01T08:00:00+07:00": "Hội thi TUONGLAI2099 cấp trường",
          "9999-12-31T00:00:00+07:00": "Hội thi TUONGLAI9999 cấp trường"}


def future_items(base: str) -> list[dict[str, object]]:
    return [{"id": f"urn:trangtin:{REMOTE}:posts/{date[:4]}/01/hoi-thi",
             "url": f"{base}tin-tuc/{date[:4]}/01/hoi-thi/", "title": title,
             "content_html": f"<p>{title}</p>", "summary": title, "date_published": date,
             "_trangtin": {"unit": REMOTE, "highlight": True}}
            for date, title in FUTURE.items()]


def test_future_items_are_not_on_the_built_portal_before_their_date(
        controlled: tuple[Path, HTTPServer], capsys: pytest.CaptureFixture[str]) -> None:
    root, server = controlled
    base = server.url_for("/th-song-lam/")
    serve(server, [*future_items(base), *remote_items(base)])
    assert main(["--root", str(root), "build", PORTAL, "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    for title in FUTURE.values():
        [line] = [line for line in err.splitlines() if f"«{title}»" in line]
        assert "ở tương lai" in line and server.url_for("/th-song-lam/feed.json") in line

    portal = root / "public" / PORTAL
    home = lxml.html.parse(str(portal / "index.html")).getroot()
    shown = home.xpath("//section[contains(@class,'tt-network-highlights')]//h3")
    # where the future items would be (first), the newest past ones are
    assert "Tin sua-tay <b>đậm</b>" in [h.text_content().strip() for h in shown]
    unit_page = lxml.html.parse(str(portal / "don-vi" / REMOTE / "index.html")).getroot()
    cards = unit_page.xpath("//article[contains(@class,'tt-card')]")
    assert cards and "Tin binh-thuong" in cards[0].text_content()
    # Every page, feed and the search index; not the thi đua report (thong-ke/), whose list
    # of items it cannot place names the future ones, as it names a school's scheduled posts.
    written = [p for p in portal.rglob("*") if p.suffix in {".html", ".json", ".xml"}
               and "thong-ke" not in p.relative_to(portal).parts]
    assert portal / "search.json" in written and portal / "feed.xml" in written
    for marker in ("TUONGLAI2099", "TUONGLAI9999"):
        assert not [p for p in written if marker in p.read_text("utf-8")], marker
    network = load_network(root / "network.yml")
    for item in future_items(base):
        assert not crosspost_dir(root, str(item["id"])).exists()

    # On and after its date, the 2099 item is handed to the portal (the 9999 one still waits).
    on_the_day = dt.datetime(2099, 1, 1, 8, 0, tzinfo=network.timezone)
    titles = [i.title for i in load_items(network, PORTAL, now=on_the_day)]
    assert FUTURE["2099-01-01T08:00:00+07:00"] in titles
    assert FUTURE["9999-12-31T00:00:00+07:00"] not in titles
    assert FUTURE["2099-01-01T08:00:00+07:00"] not in [i.title for i in load_items(
        network, PORTAL, now=on_the_day - dt.timedelta(minutes=1))]


def test_a_schools_kept_site_is_built_again_when_an_announcement_from_above_is_due(
        network_copy: Path, server: HTTPServer) -> None:
    """The Sở above the schools publishes its feed elsewhere: of its announcements, the one
    dated later today is not on a school's home page, and the school's site kept from this
    build is good only until that moment (then the next build shows it)."""
    network_file = network_copy / "network.yml"
    network_file.write_text(network_file.read_text("utf-8").replace(
        "    site_url: https://sogddt-mau.example.gov.vn/\n",
        "    site_url: https://sogddt-mau.example.gov.vn/\n"
        f"    feed: '{server.url_for('/so/feed.json')}'\n", 1), encoding="utf-8")
    zone = load_network(network_file).timezone
    now = dt.datetime.now(zone).replace(microsecond=0)
    later = now + dt.timedelta(minutes=10)
    notices = [("Lịch thi học kỳ SODADUE", now - dt.timedelta(days=1)),
               ("Lịch nghỉ Tết SOCHUADEN", later)]
    server.expect_request("/so/feed.json").respond_with_json({
        "version": "https://jsonfeed.org/version/1.1", "title": "Sở", "items": [
            {"id": f"urn:trangtin:so-gddt-mau:posts/{n}", "title": title,
             "url": f"https://sogddt-mau.example.gov.vn/tin/{n}/",
             "content_html": f"<p>{title}</p>", "date_published": moment.isoformat(),
             "_trangtin": {"unit": "so-gddt-mau", "categories": ["Thông báo"]}}
            for n, (title, moment) in enumerate(notices)]})
    main(["--root", str(network_copy), "aggregate", "--timeout", "2"])  # the demo school: down

    [outcome] = build_sites(network_copy, ["mn-hoa-sen"], network_copy / "public", 1)
    assert outcome.ok
    home = lxml.html.parse(str(network_copy / "public" / "mn-hoa-sen" / "index.html")).getroot()
    [box] = home.xpath("//section[contains(@class,'tt-announcements')]")
    titles = [a.text_content() for a in box.xpath(".//li/a")]
    assert "Lịch thi học kỳ SODADUE" in titles and "Lịch nghỉ Tết SOCHUADEN" not in titles
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0)
    assert outcome.valid_until == min(later, midnight).timestamp()
