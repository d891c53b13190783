"""The allow-list of pages written here: it keeps what our Markdown and photos produce, removes
what could run or navigate, keeps iframes only from the network's embed hosts, and each thing
it removes is named with the line of the Markdown that wrote it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import markdown
import pytest
import yaml

from trangtin.common.diagnostics import TrangtinError
from trangtin.common.sanitize import DEFAULT_EMBEDS, IFRAME_ATTRIBUTES, PagePolicy, embed_allowed
from trangtin.content.unsafe_html import removal_warnings, removals, unlisted_removals
from trangtin.network.model import load_network
from trangtin.photos import markup

REPO = Path(__file__).resolve().parents[2]
POLICY = PagePolicy()
YOUTUBE = "https://www.youtube.com/embed/dQw4w9WgXcQ"

# Every construct of the extensions in shared_theme/base.yml (and MkDocs' own toc, tables).
EVERY_EXTENSION = """\
# Tiêu đề bài

## Mục có *nhấn mạnh* { #muc-rieng .noi-bat }

Đoạn có chữ **đậm**, ~~gạch~~, H~2~O, `mã`, một chú thích[^1] và HTML viết tắt.

!!! note "Ghi chú"
    Nội dung ghi chú.

??? tip "Mở ra"
    Nội dung ẩn.

???+ warning
    Nội dung hiện sẵn.

| Trái | Giữa | Phải |
|:-----|:----:|-----:|
| a    | b    | c    |

Thuật ngữ
:   Định nghĩa của thuật ngữ.

```python
print("xin chào")
```

<div markdown="1" class="khung">
Đoạn **Markdown** trong HTML.
</div>

Dòng một{hard-break}
dòng hai.

---

[Liên kết](https://example.edu.vn/a "Tiêu đề") và [thư](mailto:ban@truong.edu.vn) và [gọi](tel:0123).

![Ảnh](anh.jpg){ width=300 loading=lazy }

*[HTML]: HyperText Markup Language

[^1]: Nội dung chú thích.
""".replace("{hard-break}", "  ")


def shape(fragment: str) -> list[tuple[str, list[tuple[str, str]], str, str]]:
    """What a browser builds from ``fragment``: each element's tag, attributes, text and tail."""
    found = []
    for top in lxml.html.fragments_fromstring(f"<div>{fragment}</div>"):
        if isinstance(top, str):
            continue
        for element in top.iter():
            found.append((str(element.tag), sorted(element.attrib.items()),
                          (element.text or "").strip(), (element.tail or "").strip()))
    return found


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with MkDocs' built-ins and the extensions every site of the network uses."""
    settings = yaml.safe_load((REPO / "shared_theme" / "base.yml").read_text(encoding="utf-8"))
    configured = settings["markdown_extensions"]
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code", *configured],
                             extension_configs={k: v for k, v in configured.items() if v})


def test_what_our_markdown_extensions_write_is_kept_as_the_browser_reads_it():
    rendered = site_markdown().convert(EVERY_EXTENSION)
    for construct in ('class="admonition note"', "<details", "<summary", 'class="footnote"', "<abbr",
                      "<dl>", "<del>", "<sub>", 'style="text-align: center;"', 'id="muc-rieng"', "<br />",
                      'class="highlight"', 'class="nb"', 'width="300"'):
        assert construct in rendered, construct  # the sample really exercises it
    assert shape(POLICY.clean(rendered)) == shape(rendered)
    assert removals(EVERY_EXTENSION, 1, POLICY) == []


def test_what_the_photo_pipeline_writes_is_kept_as_the_browser_reads_it():
    sources = (markup.Source("anh/ab/le-480.webp", 480, 320, "webp"),
               markup.Source("anh/ab/le-960.webp", 960, 640, "webp"),
               markup.Source("anh/ab/le-480.jpg", 480, 320, "jpeg"),
               markup.Source("anh/ab/le-960.jpg", 960, 640, "jpeg"))
    photo = markup.Photo(sources)
    body = '<p><img alt="Lễ chào cờ" src="le.jpg" /></p>\n<p><img alt="Học sinh" src="hs.jpg" /></p>'
    photos = {"tin-tuc/2025/09/le/le.jpg": photo, "tin-tuc/2025/09/le/hs.jpg": photo}
    for rewritten in (markup.rewrite(body, "tin-tuc/2025/09/le/", photos),
                      markup.rewrite(body, "tin-tuc/2025/09/le/", photos, gallery=True),
                      markup.thumbnail(photo, "../")):
        assert "<picture" in rewritten and "srcset=" in rewritten and 'loading="lazy"' in rewritten
        assert shape(POLICY.clean(rewritten)) == shape(rewritten)


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "  JAVASCRIPT:alert(1)", "jav&#x09;ascript:alert(1)", "java&#10;script:alert(1)",
    "&#106;avascript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)",
])
def test_links_that_would_run_code_lose_their_target(href: str):
    cleaned = POLICY.clean(f'<p><a href="{href}">bấm</a></p>')
    assert cleaned == "<p><a>bấm</a></p>"
    (found,) = removals(f'Đoạn <a href="{href}">bấm</a>.', 1, POLICY)
    assert found.key == "<a href>" and "địa chỉ" in found.what


@pytest.mark.parametrize("href", ["https://moet.gov.vn/", "http://a.vn/x", "mailto:a@b.vn", "tel:0123",
                                  "../../khac/", "tep.pdf", "#muc", "/gioi-thieu/"])
def test_ordinary_links_are_kept(href: str):
    assert POLICY.clean(f'<a href="{href}">x</a>') == f'<a href="{href}">x</a>'
    assert removals(f'<a href="{href}">x</a>', 1, POLICY) == []


@pytest.mark.parametrize(("url", "kept"), [
    (YOUTUBE, True),
    ("https://WWW.YOUTUBE.COM/embed/x", True),
    ("https://www.youtube-nocookie.com/embed/x", True),
    ("https://youtube.com/embed/x", True),
    ("https://www.google.com/maps/embed?pb=!1m18", True),
    ("https://maps.google.com/maps?q=ha+noi&output=embed", True),
    ("http://www.youtube.com/embed/x", False),  # https only
    ("https://evil.example/x", False),
    ("https://www.youtube.com.evil.example/x", False),
    ("https://evil.example/www.youtube.com/", False),
    ("https://www.youtube.com@evil.example/x", False),
    ("https://evil.example\\@www.youtube.com/x", False),
    ("https://www.youtube.com:8443/x", False),
    ("https://www.google.com/search?q=x", False),  # Google, but not Maps
    ("https://www.google.com/mapsevil", False),
    ("//www.youtube.com/embed/x", False),
    ("javascript:alert(1)", False),
])
def test_iframes_only_from_the_embed_hosts_over_https(url: str, kept: bool):
    assert embed_allowed(url, DEFAULT_EMBEDS) is kept
    cleaned = POLICY.clean(f'<p>a</p><iframe src="{url}"></iframe><p>b</p>')
    assert ("<iframe" in cleaned) is kept
    assert "<p>a</p>" in cleaned and "<p>b</p>" in cleaned


def test_a_kept_iframe_is_sandboxed_lazy_and_holds_nothing():
    written = (f'<iframe src="{YOUTUBE}" width="560" height="315" frameborder="0" sandbox="allow-top-navigation" '
               'allow="autoplay; encrypted-media; picture-in-picture" allowfullscreen onload="alert(1)" '
               'title="Video">&lt;script&gt;<b>x</b></iframe>')
    (iframe,) = lxml.html.fragments_fromstring(POLICY.clean(written))
    assert iframe.get("src") == YOUTUBE
    assert {k: iframe.get(k) for k in IFRAME_ATTRIBUTES} == IFRAME_ATTRIBUTES
    assert "allow-top-navigation" not in iframe.get("sandbox")
    assert iframe.get("onload") is None and iframe.get("title") == "Video" and iframe.get("width") == "560"
    assert len(iframe) == 0 and not iframe.text


def test_a_kept_iframe_comes_out_the_same_every_time():
    """nh3 adds the attributes it sets in an order of its own hash map, new at every call: the
    page would differ from one build to the next (and between a build's processes)."""
    written = f'<iframe src="{YOUTUBE}" width="560" height="315" title="Video &amp; nhạc" frameborder="0"></iframe>'
    (cleaned,) = {POLICY.clean(written) for _ in range(60)}
    names = [name for name, _ in lxml.html.fragment_fromstring(cleaned).items()]
    assert names == ["src", "width", "height", "title", "frameborder", *IFRAME_ATTRIBUTES]
    assert 'title="Video &amp; nhạc"' in cleaned


@pytest.mark.parametrize("pasted", [
    # YouTube: Share → Embed
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Ab12" '
    'title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; '
    'encrypted-media; gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
    "allowfullscreen></iframe>",
    # Google Maps: Share → Embed a map
    '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3724" width="600" height="450" '
    'style="border:0;" allowfullscreen="" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>',
])
def test_embed_code_as_youtube_and_google_maps_give_it_is_kept_without_a_warning(pasted: str):
    assert removals(f"Video của buổi lễ:\n\n{pasted}\n", 1, POLICY) == []
    (iframe,) = lxml.html.fragments_fromstring(POLICY.clean(pasted))
    assert iframe.get("src").startswith("https://www.")
    assert {k: iframe.get(k) for k in IFRAME_ATTRIBUTES} == IFRAME_ATTRIBUTES


def test_an_iframe_asking_for_the_camera_loses_its_allow_list():
    cleaned = POLICY.clean(f'<iframe src="{YOUTUBE}" allow="camera; microphone"></iframe>')
    assert "<iframe" in cleaned and "allow=" not in cleaned.replace("allowfullscreen", "")


def test_hosts_come_from_the_policy():
    vimeo = PagePolicy(("player.vimeo.com",))
    assert "<iframe" in vimeo.clean('<iframe src="https://player.vimeo.com/video/1"></iframe>')
    assert vimeo.clean(f'<iframe src="{YOUTUBE}"></iframe>') == ""
    assert PagePolicy(()).clean(f'<iframe src="{YOUTUBE}"></iframe>') == ""


HOSTILE = """\
Đoạn mở đầu.

<script>alert(1)</script>
<style>p { color: red }</style>
<iframe src="https://evil.example/x"></iframe>
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<img src="x" onerror="alert(1)" alt="ảnh">
<p onclick="alert(1)">bấm</p>
<a href="javascript:alert(1)">a</a>
<form action="https://evil.example/"><input name="mk"><button>Gửi</button></form>
<object data="x.swf"></object>
<embed src="x.swf">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/a.css">
<svg><script>alert(1)</script><circle onclick="alert(1)"/></svg>
[chữ](javascript:alert(1)) ![ảnh](data:image/png;base64,AAAA)
![ảnh](anh.jpg){ onclick="alert(1)" }

[tham khảo]: vbscript:msgbox(1)
"""
EXPECTED = [  # (line in HOSTILE, key)
    (3, "<script>"), (4, "<style>"), (5, "<iframe>"), (7, "<img onerror>"), (8, "<p onclick>"),
    (9, "<a href>"), (10, "<form>"), (11, "<object>"), (12, "<embed>"), (13, "<meta>"), (14, "<base>"),
    (15, "<link>"), (16, "<svg>"), (17, "<a href>"), (17, "<img src>"), (18, "<* onclick>"), (20, "<a href>"),
]


def test_each_removed_thing_is_found_on_its_line():
    assert [(r.line, r.key) for r in removals(HOSTILE, 1, POLICY)] == EXPECTED


def test_lines_count_from_the_first_line_of_the_body():
    assert [r.line for r in removals(HOSTILE, 7, POLICY)] == [line + 6 for line, _ in EXPECTED]


def test_warnings_say_what_was_removed_and_how_to_do_without_it():
    warnings = [d.render() for d in removal_warnings("content/a/posts/b.md", HOSTILE, 1, POLICY)]
    assert warnings[0] == ("content/a/posts/b.md:3: cảnh báo: đã bỏ thẻ <script> (cùng mọi thứ bên trong) — "
                           "không được chèn mã lệnh vào bài viết; muốn nhúng video YouTube, dùng <iframe> từ "
                           "youtube.com")
    assert warnings[2].startswith("content/a/posts/b.md:5: cảnh báo: đã bỏ khung nhúng <iframe> từ 'evil.example' "
                                  "— chỉ nhúng được trang https từ các địa chỉ khai báo trong 'embeds' của network.yml")
    assert "thuộc tính onerror (mã lệnh) của thẻ <img>" in warnings[3]
    assert all(": cảnh báo: đã bỏ " in w for w in warnings)
    assert not any("alert" in w or "evil.example/" in w for w in warnings)  # the payload is never echoed


def test_what_markdown_shows_as_text_is_not_reported():
    body = """\
Mã `<script>alert(1)</script>` trong dòng và ``<iframe src="https://evil.example">``.

```html
<script>alert(2)</script>
```

~~~
<form><input></form>
~~~

    <object data="x.swf"></object>

<!-- <script>alert(3)</script> -->
Viết \\<script> bằng chữ, thư <ban@truong.edu.vn>, trang <https://moet.gov.vn/a?b=1&c=2>.
"""
    assert removals(body, 1, POLICY) == []


def test_the_build_names_what_the_markdown_reading_missed():
    rendered = '<p>Đoạn</p><script>alert(1)</script><p onclick="x">b</p>'
    cleaned = POLICY.clean(rendered)
    (found,) = unlisted_removals("content/a/posts/b.md", "Đoạn\n", 5, POLICY, rendered, cleaned)
    assert found.render() == ("content/a/posts/b.md:5: cảnh báo: đã bỏ mã HTML không được phép: <p onclick>, "
                              "<script> — xem lại phần HTML trong bài; dùng định dạng Markdown (**đậm**, *nghiêng*, "
                              "tiêu đề ##, bảng) thay cho thẻ HTML")
    body = 'Đoạn\n\n<script>alert(1)</script>\n\n<p onclick="x">b</p>\n'
    assert unlisted_removals("content/a/posts/b.md", body, 5, POLICY, rendered, cleaned) == []


def test_comments_alone_removed_are_not_named_but_do_not_hide_the_rest():
    """'<!-- more -->' (Material's excerpt mark) and Word's comments go without a word; markup
    removed beside a comment is still named."""
    rendered = "<p>Mở đầu</p>\n<!-- more -->\n<!--[if gte mso]><b>x</b><![endif]-->\n<p>Tiếp</p>"
    assert POLICY.clean(rendered) != rendered
    assert unlisted_removals("content/a/posts/b.md", "Mở đầu\n", 5, POLICY, rendered, POLICY.clean(rendered)) == []
    rendered += '<p onclick="x">b</p>'
    (found,) = unlisted_removals("content/a/posts/b.md", "Mở đầu\n", 5, POLICY, rendered, POLICY.clean(rendered))
    assert "<p onclick>" in found.render()


NETWORK = "units:\n  - id: xa-a\n    name: Xã A\n    type: xa\n"


def test_network_embeds_default_and_custom(tmp_path: Path):
    path = tmp_path / "network.yml"
    path.write_text(NETWORK, encoding="utf-8")
    assert load_network(path).embeds == DEFAULT_EMBEDS
    path.write_text("embeds: [player.vimeo.com, WWW.Google.com/maps]\n" + NETWORK, encoding="utf-8")
    assert load_network(path).embeds == ("player.vimeo.com", "www.google.com/maps")
    path.write_text("embeds: []\n" + NETWORK, encoding="utf-8")
    assert load_network(path).embeds == ()


@pytest.mark.parametrize(("value", "line", "message"), [
    ("embeds:\n  - www.youtube.com\n  - https://evil.example/\n", 3,
     "network.yml:3: lỗi: 'https://evil.example/' không phải tên máy chủ để nhúng — chỉ ghi tên máy chủ"),
    ("embeds: www.youtube.com\n", 1,
     "network.yml:1: lỗi: 'embeds' phải là danh sách tên máy chủ được nhúng <iframe> — mỗi dòng một tên"),
])
def test_network_embeds_mistakes_name_the_line(tmp_path: Path, value: str, line: int, message: str):
    path = tmp_path / "network.yml"
    path.write_text(value + NETWORK, encoding="utf-8")
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    (problem,) = caught.value.diagnostics
    assert problem.line == line and problem.render().startswith(message)


def test_a_link_target_in_angle_brackets_is_not_taken_for_a_tag():
    body = "![Ảnh](<anh khong co.jpg>)\n\n[tên]: <ke hoach.pdf>\n\n[x](<javascript:alert(1)>)\n"
    assert [(r.line, r.key) for r in removals(body, 1, POLICY)] == [(5, "<a href>")]
