"""The helpers that hand people's text to the templates: escaped once, never twice, and
links only with a scheme a page may carry."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from trangtin.site import escaping

REPO = Path(__file__).resolve().parents[2]


def test_text_is_escaped_once_and_markup_stays() -> None:
    once = escaping.text("Tôi & bạn <3")
    assert once == "Tôi &amp; bạn &lt;3"
    assert escaping.text(once) == once
    assert escaping.plain(once) == "Tôi & bạn <3"


def test_a_rendered_heading_loses_its_tags_and_keeps_its_text() -> None:
    assert escaping.heading_text("Mục <i>nghiêng</i> &amp; &lt;3") == "Mục nghiêng &amp; &lt;3"


@pytest.mark.parametrize(("link", "kept"), [
    ("files/ke hoach.pdf", True), ("../a.pdf", True), ("#muc", True), ("https://x.vn/", True),
    ("mailto:a@b.vn", True), ("tel:0263", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("java\tscript:alert(1)", False), ("\x01javascript:x", False),
    ("data:text/html,<script>", False), ("vbscript:x", False), ("file:///etc/passwd", False),
    ("C:\\\\bai.pdf", False),
])
def test_links_people_write(link: str, kept: bool) -> None:
    assert (escaping.safe_link(link) != "") is kept


def test_our_templates_autoescape_and_materials_do_not() -> None:
    ours = escaping.own_templates(REPO / "shared_theme" / "overrides")
    assert {"main.html", "partials/header.html", "trangtin/post.html", "trangtin/report.html"} <= ours
    env = jinja2.Environment(autoescape=escaping.autoescape_for({"ours.html"}),
                             loader=jinja2.DictLoader({"ours.html": "{{ v }}|{{ m }}",
                                                       "theirs.html": "{{ v }}|{{ m }}"}))
    values = {"v": "<b>&", "m": Markup("<i>x</i>")}
    assert env.get_template("ours.html").render(values) == "&lt;b&gt;&amp;|<i>x</i>"
    assert env.get_template("theirs.html").render(values) == "<b>&|<i>x</i>"
