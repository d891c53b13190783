"""Built pages ask little before their first paint: Material's two stylesheets and one of
trangtin's, every script deferred (the 404 page too)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..htmlcheck import parse, resolve

SCHOOL = "thcs-an-binh"


def own_stylesheets(root: Path) -> list[str]:
    listed = yaml.safe_load((root / "shared_theme" / "base.yml").read_text("utf-8"))["extra_css"]
    return [uri for uri in listed if (root / "shared_theme" / "overrides" / uri).is_file()]


def test_every_page_links_one_stylesheet_holding_the_themes_own_rules(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    pages = [site / "index.html", site / "tin-tuc" / "index.html", site / "404.html",
             next((site / "tin-tuc").glob("20*/*/*/index.html"))]
    own = own_stylesheets(built_network)
    assert len(own) >= 2
    for page in pages:
        sheets = [s.get("href") for s in parse(page).cssselect('link[rel="stylesheet"]')]
        ours = [href for href in sheets if "/trangtin." in "/" + href.rsplit("/", 1)[-1]]
        assert len(sheets) == 3 and len(ours) == 1, (page, sheets)
        bundle = resolve(page, ours[0]) if not ours[0].startswith("/") else site / ours[0].lstrip("/")
        assert bundle is not None and bundle.is_file()
        content = bundle.read_text("utf-8")
        for uri in own:  # every rule of every stylesheet, in its order
            first_rule = next(line for line in (built_network / "shared_theme" / "overrides" / uri)
                              .read_text("utf-8").splitlines() if line.startswith((".", "[", "@")))
            assert first_rule.strip() in content, (uri, first_rule)


def test_every_external_script_is_deferred(built_network: Path) -> None:
    site = built_network / "public" / SCHOOL
    for page in (site / "index.html", site / "404.html", site / "tim-kiem" / "index.html",
                 next((site / "tin-tuc").glob("20*/*/*/index.html"))):
        scripts = parse(page).cssselect("script[src]")
        assert scripts, page
        assert all(s.get("defer") is not None for s in scripts), (page, [s.get("src") for s in scripts])
