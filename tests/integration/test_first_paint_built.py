"""What a built page's first paint waits for: the part of Material's stylesheet that can style
the page as written; the rest, and every script, come once the page has loaded."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import tinycss2
import yaml

from ..conftest import late_loaded
from ..htmlcheck import parse, resolve

SCHOOL = "thcs-an-binh"
SCHOOLS = (SCHOOL, "mn-hoa-sen", "xa-an-binh")


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
        # Material's first part, its palette, trangtin's one file
        assert len(sheets) == 3 and len(ours) == 1, (page, sheets)
        bundle = resolve(page, ours[0]) if not ours[0].startswith("/") else site / ours[0].lstrip("/")
        assert bundle is not None and bundle.is_file()
        content = bundle.read_text("utf-8")
        for uri in own:  # every rule of every stylesheet, in its order
            first_rule = next(line for line in (built_network / "shared_theme" / "overrides" / uri)
                              .read_text("utf-8").splitlines() if line.startswith((".", "[", "@")))
            assert first_rule.strip() in content, (uri, first_rule)


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "admin" not in p.relative_to(site).parts]


def classes_on(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for value in lxml.html.parse(str(path)).getroot().xpath("//@class"):
            found.update(value.split())
    return found


def qualified_rules(css: str) -> list[tinycss2.ast.QualifiedRule]:
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if isinstance(rule, tinycss2.ast.AtRule) and rule.content is not None and \
                rule.lower_at_keyword in ("media", "supports"):
            found += [r for r in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True,
                                                                skip_comments=True)
                      if isinstance(r, tinycss2.ast.QualifiedRule)]
        elif isinstance(rule, tinycss2.ast.QualifiedRule):
            found.append(rule)
    return found


def named_classes(selector: str) -> set[str]:
    """Classes a selector names outside functional pseudo-classes and attribute selectors."""
    plain = re.sub(r"\[[^\]]*\]", "", selector)
    while re.search(r":[\w-]+\([^()]*\)", plain):
        plain = re.sub(r":[\w-]+\([^()]*\)", "", plain)
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", plain))


def top_level_selectors(rule: tinycss2.ast.QualifiedRule) -> list[str]:
    selectors, depth, current = [], 0, ""
    for char in tinycss2.serialize(rule.prelude):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            selectors.append(current)
            current = ""
        else:
            current += char
    return [*selectors, current]


@pytest.mark.parametrize("unit", SCHOOLS)
def test_pages_wait_only_for_the_part_of_material_their_elements_can_use(built_network: Path, unit: str) -> None:
    site = built_network / "public" / unit
    built = pages(site)
    [whole] = [p for p in (site / "assets/stylesheets").glob("main.*.min.css")]
    seen_parts: set[tuple[str, str]] = set()
    for path in built:
        html = path.read_text(encoding="utf-8")
        root = lxml.html.fromstring(html)
        sheets = root.xpath("//head/link[@rel='stylesheet']/@href")
        assert not [s for s in sheets if s.endswith(whole.name)], path  # never the whole 138 KB file
        assert not root.xpath("//script[@src and not(@type) and not(@data-tt-before-paint)]"), path
        [first] = [s for s in sheets if s.endswith(".first.css")]
        [(later, scripts)] = [loaded for s in root.iter("script") if (loaded := late_loaded(s.text or ""))]
        assert later is not None and later.endswith(".later.css")
        assert any("/bundle." in s for s in scripts), path  # Material's, with ours after it
        for href in (first, later, *scripts):
            # 404.html names them from the site's root (it is served at any depth)
            target = site / "assets" / href.split("/assets/", 1)[1] if href.startswith("/") else path.parent / href
            assert target.resolve().is_file(), (path, href)
        seen_parts.add((Path(first).name, Path(later).name))
    [(first_name, later_name)] = seen_parts  # one pair for the whole site
    folder = site / "assets/stylesheets"
    first_css, later_css = ((folder / n).read_text(encoding="utf-8") for n in (first_name, later_name))
    # Nothing is lost or doubled: the two parts hold exactly the rules of Material's file.
    serialized = sorted(tinycss2.serialize([r]) for r in qualified_rules(whole.read_text(encoding="utf-8")))
    assert sorted(tinycss2.serialize([r]) for r in qualified_rules(first_css) + qualified_rules(later_css)) \
        == serialized
    assert len(later_css) > 40_000 and len(first_css) < 0.6 * len(whole.read_text(encoding="utf-8"))
    # No rule left for later can style an element a page carries as written.
    present = classes_on(built)
    for rule in qualified_rules(later_css):
        for selector in top_level_selectors(rule):
            assert named_classes(selector) - present, f"{selector} may style a page before it loads"
