"""The sample network's feeds, as built: valid, complete, discoverable, with absolute URLs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from lxml import etree

from trangtin.common import dates
from trangtin.content.items import stable_id
from trangtin.content.posts import load_unit_posts
from trangtin.feeds.writer import ATOM_NS
from trangtin.network.model import load_network

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SITES = ["mn-hoa-sen", "th-an-binh", "thcs-an-binh", "xa-an-binh"]
A = {"a": ATOM_NS}


def json_pages(site: Path) -> list[dict[str, object]]:
    pages, name = [], "feed.json"
    while name:
        pages.append(json.loads((site / name).read_text("utf-8")))
        next_url = pages[-1].get("next_url")
        name = str(next_url).rsplit("/", 1)[-1] if next_url else ""
    return pages


@pytest.mark.parametrize("unit", SITES)
def test_feeds_validate_against_both_schemas(built_network: Path, unit: str) -> None:
    site = built_network / "public" / unit
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    atom_files = sorted(site.glob("feed*.xml"))
    assert atom_files[-1].name == "feed.xml"
    for path in atom_files:
        assert rng.validate(etree.parse(str(path))), (path.name, rng.error_log)
    for document in json_pages(site):
        jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("unit", ["th-an-binh", "thcs-an-binh"])
def test_feed_holds_every_published_post_with_its_network_fields(built_network: Path,
                                                                 unit: str) -> None:
    network = load_network(built_network / "network.yml")
    posts = load_unit_posts(network, network.units[unit]).published(dates.now())
    items = [i for page in json_pages(built_network / "public" / unit)
             for i in page["items"]]  # type: ignore[attr-defined]
    assert [i["id"] for i in items] == [stable_id(unit, p.src_uri) for p in posts]
    for post, item in zip(posts, items, strict=True):
        ext = item["_trangtin"]
        assert (ext["unit"], ext["team"], ext["highlight"], ext["categories"]) == (
            unit, post.team, post.highlight, post.categories)
        assert item["date_published"] == post.date.isoformat()
        assert item["date_published"].endswith("+07:00")
        body = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
        for url in [*body.xpath("//img/@src"), *body.xpath("//a/@href")]:
            assert url.startswith(("https://", "http://", "mailto:", "tel:")), url
    atom = etree.parse(str(built_network / "public" / unit / "feed.xml")).getroot()
    assert atom.findtext("a:entry/a:id", namespaces=A) == items[0]["id"]


def test_a_post_with_photos_has_absolute_image_urls_in_the_feed(built_network: Path) -> None:
    items = [i for site in SITES[:3] for page in json_pages(built_network / "public" / site)
             for i in page["items"]]  # type: ignore[attr-defined]
    with_images = [i for i in items if "<img" in i["content_html"]]
    assert with_images
    for item in with_images:
        body = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
        assert all(src.startswith("https://") for src in body.xpath("//img/@src"))


@pytest.mark.parametrize("unit", SITES)
def test_every_page_head_announces_both_feeds(built_network: Path, unit: str) -> None:
    site = built_network / "public" / unit
    # admin/ is the school's editor (site/cms.py), not a page for readers: it has no feeds to announce.
    pages = sorted(p for p in site.rglob("*.html") if p.parent != site / "admin")
    assert len(pages) > 10
    for path in pages:
        head = lxml.html.parse(str(path)).getroot().find("head")
        kinds = {link.get("type"): link.get("href") for link in head.iter("link")
                 if link.get("rel") == "alternate"}
        for kind, name in (("application/atom+xml", "feed.xml"),
                           ("application/feed+json", "feed.json")):
            assert kind in kinds, (path, kind)
            href = kinds[kind]
            # 404.html may be served at any path: MkDocs links it from the site's root
            target = site / href[1:] if href.startswith("/") else path.parent / href
            assert target.resolve() == (site / name).resolve(), path
