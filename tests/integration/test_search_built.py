"""Search on the built sample network: every site has its index and its search page."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from trangtin.network.model import load_network
from trangtin.site import search

from ..conftest import loaded_scripts


def sites(built: Path) -> list[Path]:
    return sorted(p.parent for p in (built / "public").glob("*/index.html"))


def test_every_site_has_an_index_and_a_search_page(built_network: Path) -> None:
    assert sites(built_network), "the sample network built no site"
    for site in sites(built_network):
        index = search.read_index(site / search.INDEX_FILE)
        assert index is not None and index["v"] == search.VERSION, site.name
        assert index["sites"][0]["id"] == site.name
        for doc in index["docs"]:
            if not doc.get("s"):
                assert (site / doc["u"] / "index.html").is_file(), doc["u"]
        page = lxml.html.parse(str(site / "tim-kiem" / "index.html")).getroot()
        results = page.get_element_by_id("tt-search-results")
        assert results.get("data-index") == "../search.json"
        assert [s for s in loaded_scripts(page) if s.endswith("javascripts/search.js")]


def test_no_page_loads_materials_lunr_index(built_network: Path) -> None:
    for site in sites(built_network):
        assert not (site / "search" / "search_index.json").exists()
        home = lxml.html.parse(str(site / "index.html")).getroot()
        form = home.xpath("//form[@role='search']")
        assert form and form[0].get("action") == "tim-kiem/", site.name
        assert not [s for s in loaded_scripts(home) if "search.js" in s], "only tim-kiem/ loads it"


def test_posts_are_found_without_diacritics(built_network: Path) -> None:
    for site in sites(built_network):
        index = search.read_index(site / search.INDEX_FILE)
        assert index is not None
        for doc in [d for d in index["docs"] if d.get("d")][:20]:
            plain = " ".join(search.words(doc["t"]))
            found = search.search(index, plain)
            assert doc in found, f"{site.name}: '{plain}' does not find '{doc['t']}'"


def test_portal_searches_its_schools(built_network: Path) -> None:
    network = load_network(built_network / "network.yml")
    portal = built_network / "public" / network.portal
    index = search.read_index(portal / search.INDEX_FILE)
    assert index is not None
    children = [u.id for u in network.children(network.portal) if u.type != "to"]
    built_children = [c for c in children if (built_network / "public" / c / "index.html").exists()]
    assert [s["id"] for s in index["sites"][1:]] == built_children
    for number, child in enumerate(built_children, start=1):
        own = search.read_index(built_network / "public" / child / search.INDEX_FILE)
        assert own is not None
        assert sum(1 for d in index["docs"] if d.get("s") == number) == len(own["docs"])


def test_document_registers_are_searchable(built_network: Path) -> None:
    """Văn bản is a table the template renders from front matter: its rows are in the index."""
    checked = 0
    for site in sites(built_network):
        page = site / "van-ban" / "index.html"
        rows = lxml.html.parse(str(page)).getroot().xpath("//article//table//tr[td]")
        index = search.read_index(site / search.INDEX_FILE)
        assert index is not None
        for row in rows[:3]:
            summary = max((c.text_content() for c in row.xpath("td")), key=len)
            query = " ".join(search.words(summary)[:6])
            found = [d["u"] for d in search.search(index, query) if not d.get("s")]
            assert "van-ban/" in found, f"{site.name}: '{summary}' is not found"
            checked += 1
    assert checked, "no register row in the sample network"
