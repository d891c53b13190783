"""Branding from network.yml, built for real: the sample school's logo is published only as
processed PNGs without metadata, used in the header and as favicon; its banner tops the home
page; its colour is the primary colour. A school without them keeps the default look."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from PIL import Image

BRANDED, PLAIN = "thcs-an-binh", "th-an-binh"


def page(root: Path, unit: str, path: str = "index.html") -> lxml.html.HtmlElement:
    return lxml.html.parse(str(root / "public" / unit / path)).getroot()


def test_logo_is_processed_and_used_as_favicon_and_in_the_header(built_network: Path) -> None:
    site = built_network / "public" / BRANDED
    for path in ("index.html", "tin-tuc/index.html"):
        html = page(built_network, BRANDED, path)
        [favicon] = html.xpath("//link[@rel='icon']/@href")
        [logo] = html.xpath("//header//a[contains(@class,'md-logo')]//img")
        folder = (site / path).parent
        for href in (favicon, logo.get("src")):
            published = (folder / href).resolve()
            assert published.is_relative_to(site / "anh") and published.suffix == ".png"
            with Image.open(published) as image:
                assert image.format == "PNG" and image.mode == "RGBA"  # transparency kept
                assert not image.getexif() and "exif" not in image.info
                assert max(image.size) <= 192
        assert logo.get("alt") == ""  # the link around it names the school
    with Image.open(built_network / "content" / BRANDED / "nhan-dien" / "logo.png") as original:
        assert original.getexif()  # the sample carries metadata, so the stripping is real
    assert not (site / "nhan-dien" / "logo.png").exists()
    assert not list(site.rglob("logo.png"))


def test_banner_tops_the_home_page_and_the_colour_is_the_primary(built_network: Path) -> None:
    home = page(built_network, BRANDED)
    [banner] = home.xpath("//div[@class='tt-banner']//img")
    assert banner.get("src").startswith("anh/") and banner.get("loading") is None
    assert (built_network / "public" / BRANDED / banner.get("src")).is_file()
    [style] = [s.text for s in home.xpath("//head/style") if "--md-primary-fg-color" in (s.text or "")]
    assert "--md-primary-fg-color: #0e4a6e;" in style


def test_a_school_without_branding_keeps_the_default_look(built_network: Path) -> None:
    home = page(built_network, PLAIN)
    assert home.xpath("//link[@rel='icon']/@href") == ["assets/images/favicon.png"]
    assert home.xpath("//a[contains(@class,'md-logo')]/svg") and not home.xpath("//a[contains(@class,'md-logo')]//img")
    assert not home.xpath("//div[@class='tt-banner']")
    assert not [s for s in home.xpath("//head/style") if "--md-primary-fg-color" in (s.text or "")]


def _icon_pixels(path: Path) -> bytes:
    with Image.open(path) as icon:
        assert icon.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
        icon.size = (32, 32)
        return icon.convert("RGBA").tobytes()


def _png_pixels_at_32(path: Path) -> bytes:
    with Image.open(path) as image:
        return image.convert("RGBA").resize((32, 32)).tobytes()


def test_every_site_answers_favicon_ico_with_its_own_icon(built_network: Path) -> None:
    """Browsers and feed readers ask each host for /favicon.ico: the branded school answers with
    its logo, the plain one with the theme's icon, the network's folder with the portal's."""
    public = built_network / "public"
    branded, plain = _icon_pixels(public / BRANDED / "favicon.ico"), _icon_pixels(public / PLAIN / "favicon.ico")
    assert branded != plain
    [logo_href] = page(built_network, BRANDED).xpath("//link[@rel='icon']/@href")
    def distance(a: bytes, b: bytes) -> float:
        return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
    assert distance(branded, _png_pixels_at_32(public / BRANDED / logo_href)) < 8
    assert distance(plain, _png_pixels_at_32(public / PLAIN / "assets/images/favicon.png")) < 8
    portal = next(p for p in public.iterdir() if (p / "thong-ke").is_dir())
    assert (public / "favicon.ico").read_bytes() == (portal / "favicon.ico").read_bytes()
