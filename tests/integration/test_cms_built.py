"""The sample network built for real: each school's admin/ holds the editor and its configuration,
and no reader's page loads the editor."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import yaml

from trangtin.network.model import load_network
from trangtin.site import cms

SCHOOLS = ["mn-hoa-sen", "th-an-binh", "thcs-an-binh"]
PORTAL = "xa-an-binh"


def admin(built_network: Path, unit: str) -> Path:
    return built_network / "public" / unit / "admin"


@pytest.mark.parametrize("unit", SCHOOLS)
def test_built_configuration_lists_exactly_the_schools_teams_and_the_networks_categories(built_network, unit):
    network = load_network(built_network / "network.yml")
    config = yaml.safe_load((admin(built_network, unit) / "config.yml").read_text(encoding="utf-8"))
    posts = next(c for c in config["collections"] if c["name"] == "posts")
    fields = {f["name"]: f for f in posts["fields"]}
    teams = [t.name for t in network.teams(unit)]
    if teams:
        assert fields["to"]["options"] == teams
    else:
        assert "to" not in fields
    assert fields["categories"]["options"] == network.categories
    assert posts["folder"] == f"content/{unit}/posts"
    assert (built_network / posts["folder"]).is_dir()  # the path is the repository's own


@pytest.mark.parametrize("unit", SCHOOLS)
def test_admin_page_serves_the_vendored_cms_from_the_site(built_network, unit):
    folder = admin(built_network, unit)
    page = lxml.html.parse(str(folder / "index.html")).getroot()
    assert [s.get("src") for s in page.iter("script") if s.get("src")] == ["sveltia-cms.js"]
    assert page.get("lang") == "vi"
    for relative, path in cms.vendored_files(load_network(built_network / "network.yml")):
        assert (folder.parent / relative).read_bytes() == path.read_bytes(), relative


def test_no_readers_page_loads_the_editor_and_the_portal_has_none(built_network):
    public = built_network / "public"
    for unit in [*SCHOOLS, PORTAL]:
        for page in (public / unit).rglob("*.html"):
            if page.parent.name != cms.ADMIN_DIR:
                assert "sveltia" not in page.read_text(encoding="utf-8"), page
    assert not (public / PORTAL / cms.ADMIN_DIR).exists()
    for unit in SCHOOLS:  # nor does the search index or the sitemap list it
        assert "/admin/" not in (public / unit / "search.json").read_text(encoding="utf-8")
        sitemap = public / unit / "sitemap.xml"
        assert not sitemap.exists() or "/admin/" not in sitemap.read_text(encoding="utf-8")
