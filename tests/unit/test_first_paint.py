"""What the first paint waits for: the theme's stylesheets as one file, Material's split by the
classes pages carry, scripts fetched once the page has loaded."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trangtin.site.first_paint import (
    FOLDER,
    bundle,
    class_names,
    load_after_the_page,
    minified,
    split_names,
    split_stylesheet,
)


def theme(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    return tmp_path


def test_the_themes_stylesheets_become_one_file_in_their_order_where_the_first_was(tmp_path: Path) -> None:
    folder = theme(tmp_path, {f"{FOLDER}/a.css": "/* a */\n.a {\n  color: red;\n}\n",
                              f"{FOLDER}/b.css": ".b { color: blue; }\n"})
    listed = ["https://cdn.example/x.css", f"{FOLDER}/a.css", "other/c.css", f"{FOLDER}/b.css"]
    made = bundle(listed, [tmp_path / "missing", folder])
    assert made is not None
    assert made.content == ".a {\ncolor: red;\n}\n\n.b { color: blue; }\n"
    assert made.replaces == (f"{FOLDER}/a.css", f"{FOLDER}/b.css")
    assert made.extra_css(listed) == ["https://cdn.example/x.css", made.uri, "other/c.css"]
    assert made.uri.startswith(f"{FOLDER}/trangtin.") and made.uri.endswith(".min.css")


def test_the_bundles_name_follows_its_content(tmp_path: Path) -> None:
    folder = theme(tmp_path, {f"{FOLDER}/a.css": ".a{}", f"{FOLDER}/b.css": ".b{}"})
    first = bundle([f"{FOLDER}/a.css", f"{FOLDER}/b.css"], [folder])
    (folder / FOLDER / "b.css").write_text(".b{color:red}", encoding="utf-8")
    second = bundle([f"{FOLDER}/a.css", f"{FOLDER}/b.css"], [folder])
    assert first is not None and second is not None and first.uri != second.uri


def test_one_stylesheet_or_none_is_left_as_it_is(tmp_path: Path) -> None:
    folder = theme(tmp_path, {f"{FOLDER}/a.css": ".a{}"})
    assert bundle([f"{FOLDER}/a.css", f"{FOLDER}/gone.css"], [folder]) is None
    assert bundle([], [folder]) is None


def test_minified_keeps_strings_and_rules() -> None:
    css = '/* note */\n.x::before {\n    content: "›";\n}\n'
    assert minified(css) == '.x::before {\ncontent: "›";\n}\n'


CSS = (".md-header{a:1}.md-search-result__item,.md-tooltip{b:2}.md-tooltip{c:3}"
       "@media screen and (min-width:60em){.md-header .md-search__output{d:4}.md-header{e:5}}"
       ".md-nav:not(.md-gone){f:6}.md-x:is(.md-y,.md-header){g:7}html{h:8}[data-md-color-scheme=slate]{i:9}"
       ".md-header::before{j:10}@keyframes spin{to{transform:rotate(1turn)}}"
       "@supports (display:grid){.md-gone{k:11}}")


def rules(css: str) -> list[str]:
    return re.findall(r"[^{}]+\{[^{}]*\}", re.sub(r"@(media|supports)[^{]*\{", "", css))


def test_material_is_split_by_the_classes_pages_carry_keeping_every_rule_once() -> None:
    first, later = split_stylesheet(CSS, {"md-header", "md-nav"})
    # A class inside :not()/:is() or an attribute does not decide; one named outside does.
    assert first == (".md-header{a:1}@media screen and (min-width:60em){.md-header{e:5}}"
                     ".md-nav:not(.md-gone){f:6}html{h:8}[data-md-color-scheme=slate]{i:9}"
                     ".md-header::before{j:10}@keyframes spin{to{transform:rotate(1turn)}}")
    assert later == (".md-search-result__item,.md-tooltip{b:2}.md-tooltip{c:3}"
                     "@media screen and (min-width:60em){.md-header .md-search__output{d:4}}"
                     ".md-x:is(.md-y,.md-header){g:7}@supports (display:grid){.md-gone{k:11}}")
    assert sorted(rules(first) + rules(later)) == sorted(rules(CSS))


def test_a_selector_list_stays_first_when_one_of_its_selectors_may_match() -> None:
    first, later = split_stylesheet(".a .gone,.b{x:1}", {"a", "b"})
    assert (first, later) == (".a .gone,.b{x:1}", "")


def test_class_names_are_those_written_in_the_page() -> None:
    html = '<div class="md-header  tt-card"><p class="">x</p><span data-class="no">y</span></div>'
    assert class_names(html) == {"md-header", "tt-card"}


PAGE = ('<html><head><link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">\n'
        '<link rel="stylesheet" href="../assets/stylesheets/palette.fb2fffe2.min.css"></head>'
        '<body><p>x</p><script>var inline = 1;</script><script id="__config" type="application/json">{}</script>\n'
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>\n'
        '<script src="../assets/javascripts/gallery.js"></script>\n'
        '<script src="c.js" type="module"></script></body></html>')


def test_scripts_and_the_later_stylesheet_are_fetched_after_the_page_has_loaded() -> None:
    out = load_after_the_page(PAGE, "t1")
    first, later = split_names("main.57a0d79d.min", "t1")
    assert f'<link rel="stylesheet" href="../assets/stylesheets/{first}" id="tt-first-css">' in out
    assert "main.57a0d79d.min.css" not in out
    assert '<script src="../assets/javascripts/' not in out  # no plain script left in the page
    assert '<script src="c.js" type="module"></script>' in out and "var inline = 1;" in out
    [loader] = re.findall(r"<script>(addEventListener\(\"load\".*?)</script>", out)
    assert json.dumps(f"../assets/stylesheets/{later}") in loader
    assert json.dumps(["../assets/javascripts/bundle.a5f9d56c.min.js", "../assets/javascripts/gallery.js"]) in loader
    assert 'new Event("DOMContentLoaded")' in loader
    assert out.index(loader) > out.index("gallery") - len(loader) and out.rstrip().endswith("</body></html>")
    assert load_after_the_page(out, "t1") == out  # a page served from the cache is not changed twice


def test_without_a_tag_only_the_scripts_wait() -> None:
    out = load_after_the_page(PAGE)
    assert '<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">' in out
    assert '"load"' in out and "var c=null" in out
