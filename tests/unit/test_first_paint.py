"""What the first paint waits for: the theme's stylesheets as one file, scripts deferred."""

from __future__ import annotations

from pathlib import Path

from trangtin.site.first_paint import FOLDER, bundle, defer_scripts, minified


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


def test_plain_external_scripts_are_deferred_and_others_left_alone() -> None:
    html = ('<script src="a.min.js"></script>\n<script src="b.js" defer></script>\n'
            '<script>var x = 1;</script>\n<script id="__config" type="application/json">{}</script>\n'
            '<script src="c.js" type="module"></script>')
    assert defer_scripts(html) == html.replace('<script src="a.min.js">', '<script src="a.min.js" defer>')
