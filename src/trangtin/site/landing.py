"""``public/index.html``: a plain page linking every site built in this network.

Opened from ``file://`` (a folder link then shows a folder, search cannot load its index) it
says to run ``trangtin preview``; served over HTTP that note stays hidden.
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from trangtin.network.model import Network

_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li{{margin:.4rem 0}}small{{color:#555}}
.note{{border-left:4px solid #b45309;background:#fef3c7;padding:.6rem .9rem}}</style>
</head>
<body>
<h1>{title}</h1>
<p id="mo-tu-tep" class="note" role="note" hidden>Bạn đang mở trang này trực tiếp từ tệp trên máy:
các liên kết tới mục và ô tìm kiếm sẽ không chạy. Hãy chạy lệnh <code>trangtin preview</code>
trong thư mục của mạng lưới rồi mở địa chỉ lệnh đó in ra (mặc định http://127.0.0.1:8000/).</p>
<script>if (location.protocol === "file:") document.getElementById("mo-tu-tep").hidden = false;</script>
<p>Các trang thông tin điện tử được xây dựng trong mạng lưới này:</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def write_landing(network: Network, out: Path) -> Path:
    """List the built sites (those with an index.html in ``out``), portal first."""
    built = [u for u in network.local_units() if (out / u.id / "index.html").is_file()]
    built.sort(key=lambda u: (u.id != network.portal, len(network.ancestors(u.id)), u.name))
    items = "\n".join(
        f'<li><a href="{escape(u.id)}/">{escape(u.name)}</a>'
        + (f" <small>({escape(network.units[u.parent].name)})</small>" if u.parent else "")
        + "</li>"
        for u in built
    )
    portal = network.units.get(network.portal or "")
    title = f"Mạng lưới trang thông tin – {portal.name}" if portal else "Mạng lưới trang thông tin"
    path = out / "index.html"
    path.write_text(_PAGE.format(title=escape(title), items=items), encoding="utf-8")
    if built and (out / built[0].id / "favicon.ico").is_file():  # the host's root icon: the portal's
        shutil.copyfile(out / built[0].id / "favicon.ico", out / "favicon.ico")
    return path
