"""``public/index.html``: a plain page linking every site built in this network."""

from __future__ import annotations

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
li{{margin:.4rem 0}}small{{color:#555}}</style>
</head>
<body>
<h1>{title}</h1>
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
    return path
