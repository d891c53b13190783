"""HTML for processed photos: ``<picture>`` elements, gallery grids, cover thumbnails.

Plain string functions (no MkDocs). They work on the HTML that Python-Markdown produced,
where ``<img>`` tags are regular; an image is recognised by its URL (relative to the page)
resolving to a processed photo of the site.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from trangtin.common import text

PUBLIC_DIR = "anh"
BODY_SIZES = "(min-width: 76.25em) 42rem, 100vw"
GALLERY_SIZES = "(min-width: 45em) 16rem, 50vw"
CARD_SIZES = "(min-width: 45em) 10rem, 30vw"
FEATURED_SIZES = "(min-width: 76.25em) 38rem, (min-width: 60em) 60vw, 100vw"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-\w:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_IMAGE_PARAGRAPHS = re.compile(r"(?:<p>\s*(?:<img\b[^>]*>\s*)+</p>\s*)+", re.IGNORECASE)
_KEPT = ("class", "id", "title", "style")


@dataclass(frozen=True)
class Source:
    """One file of a photo as the site serves it (URL relative to the site root)."""

    url: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Photo:
    """A processed photo: its files by format, smallest first."""

    sources: tuple[Source, ...]

    def of_format(self, fmt: str) -> list[Source]:
        return sorted((s for s in self.sources if s.format == fmt), key=lambda s: s.width)

    @property
    def large(self) -> Source:
        return self.of_format("jpeg")[-1]

    @property
    def fallback(self) -> Source:
        """The JPEG for browsers that ignore srcset: the largest not wider than 960."""
        jpegs = self.of_format("jpeg")
        fitting = [s for s in jpegs if s.width <= 960]
        return fitting[-1] if fitting else jpegs[0]


# ``None`` marks a photo that could not be processed: it is left out of the page.
PhotoIndex = Mapping[str, Photo | None]


def public_url(key: str, stem: str, width: int, extension: str, suffix: str = "") -> str:
    """Where a variant is served: content-addressed, with a readable name."""
    name = text.slugify(stem) or "anh"
    return f"{PUBLIC_DIR}/{key[:16]}/{name}-{suffix or width}.{extension}"


def picture(photo: Photo, prefix: str, alt: str, sizes: str = BODY_SIZES,
            extra: str = "", width: int | None = None, lazy: bool = True) -> str:
    """A ``<picture>``: WebP sources, then a JPEG ``<img>`` with srcset and intrinsic size.

    ``width`` is the author's (``{ width=300 }``): the height follows the photo's proportions.
    """
    parts = ['<picture class="tt-picture">']
    for fmt in ("webp",):
        if photo.of_format(fmt):
            parts.append(f'<source type="image/{fmt}" srcset="{_srcset(photo, fmt, prefix)}" '
                         f'sizes="{sizes}">')
    fallback, large = photo.fallback, photo.large
    loading = 'loading="lazy" ' if lazy else ""
    shown = (width, max(1, round(large.height * width / large.width))) if width else (
        large.width, large.height)
    parts.append(
        f'<img src="{_esc(prefix + fallback.url)}" srcset="{_srcset(photo, "jpeg", prefix)}" '
        f'sizes="{sizes}" width="{shown[0]}" height="{shown[1]}" alt="{_esc(alt)}" '
        f'{loading}decoding="async"{extra}>')
    parts.append("</picture>")
    return "".join(parts)


def _srcset(photo: Photo, fmt: str, prefix: str) -> str:
    return ", ".join(f"{_esc(prefix + s.url)} {s.width}w" for s in photo.of_format(fmt))


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def root_prefix(page_url: str) -> str:
    """The relative path from a page to the site root ('' for the home page)."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    depth = len([part for part in folder.split("/") if part and part != "."])
    return "../" * depth


def resolve(page_url: str, src: str) -> str | None:
    """The site-root URL an ``src`` of a page points to, or None for external URLs."""
    if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", src, re.IGNORECASE):
        return None
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    joined = posixpath.normpath(posixpath.join(folder, unquote(src.split("#")[0].split("?")[0])))
    return None if joined.startswith("..") else joined


def attributes(tag: str) -> dict[str, str]:
    found = {}
    for match in _ATTR.finditer(tag[4:].rstrip("/>")):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found[match.group(1).lower()] = html.unescape(value)
    return found


def rewrite(page_html: str, page_url: str, photos: PhotoIndex, gallery: bool = False) -> str:
    """Every ``<img>`` of a processed photo becomes a ``<picture>``; a failed one, its alt text.

    In a gallery post, paragraphs holding only images become one grid of links to the large
    photos (``gallery.js`` turns the links into a lightbox; without JavaScript they still work).
    """
    prefix = root_prefix(page_url)
    if gallery:
        page_html = _IMAGE_PARAGRAPHS.sub(
            lambda m: _gallery(m.group(0), page_url, prefix, photos), page_html)
    return _IMG.sub(lambda m: _replace_img(m.group(0), page_url, prefix, photos), page_html)


def _lookup(attrs: dict[str, str], page_url: str, photos: PhotoIndex) -> tuple[bool, Photo | None]:
    target = resolve(page_url, attrs.get("src", ""))
    if target is None or target not in photos:
        return False, None
    return True, photos[target]


def _replace_img(tag: str, page_url: str, prefix: str, photos: PhotoIndex) -> str:
    if "data-tt-done" in tag:
        return tag.replace(" data-tt-done", "")
    attrs = attributes(tag)
    known, photo = _lookup(attrs, page_url, photos)
    if not known:
        return tag
    alt = attrs.get("alt", "")
    if photo is None:
        return f'<span class="tt-missing-photo">{_esc(alt)}</span>' if alt else ""
    extra = "".join(f' {k}="{_esc(attrs[k])}"' for k in _KEPT if k in attrs)
    width = int(attrs["width"]) if attrs.get("width", "").isdigit() and int(attrs["width"]) else None
    return picture(photo, prefix, alt, f"{width}px" if width else BODY_SIZES, extra, width)


def _gallery(block: str, page_url: str, prefix: str, photos: PhotoIndex) -> str:
    items = []
    for tag in _IMG.findall(block):
        attrs = attributes(tag)
        known, photo = _lookup(attrs, page_url, photos)
        alt = attrs.get("alt", "")
        if known and photo is None:
            continue
        if photo is None:  # an external image: linked to itself, shown as written
            href, inner = attrs.get("src", ""), tag.replace("<img", "<img data-tt-done", 1)
        else:
            href = prefix + photo.large.url
            inner = picture(photo, prefix, alt, GALLERY_SIZES, " data-tt-done")
        caption = f' data-caption="{_esc(alt)}"' if alt else ""
        items.append(f'<li class="tt-gallery__item"><a class="tt-gallery__link" '
                     f'href="{_esc(href)}"{caption}>{inner}</a></li>')
    if not items:
        return ""
    return f'<ul class="tt-gallery" data-tt-gallery>{"".join(items)}</ul>\n'


def thumbnail(photo: Photo, prefix: str) -> str:
    """A post card's cover: decorative (the card's title says what the post is)."""
    return picture(photo, prefix, "", CARD_SIZES, ' class="tt-card__image"')


def featured(photo: Photo, prefix: str) -> str:
    """The home page's featured story photo: large, and loaded first (it is the first paint)."""
    return picture(photo, prefix, "", FEATURED_SIZES, ' class="tt-featured__image" fetchpriority="high"',
                   lazy=False)


def asset_uri(post_src_uri: str, target: str) -> str:
    """A post's relative image path (``cover:``) as a path from the unit's content folder."""
    path = text.nfc(target.split("#", 1)[0].split("?", 1)[0])
    base = "" if path.startswith("/") else posixpath.dirname(post_src_uri)
    return posixpath.normpath(posixpath.join(base, path.lstrip("/")))


def placeholder(initials: str, extra_class: str = "") -> str:
    """Our own box in place of a picture that could not be fetched: never a broken image.

    Decorative: the card or page around it names the item and its unit.
    """
    classes = "tt-picture-placeholder" + (f" {extra_class}" if extra_class else "")
    return (f'<span class="{classes}" aria-hidden="true">'
            f'<span class="tt-picture-placeholder__initials">{_esc(initials)}</span></span>')


def rewrite_remote(page_html: str, prefix: str, photos: Mapping[str, Photo | None]) -> str:
    """Every ``<img>`` of another site's text served by this site: a picture it owns becomes
    a ``<picture>`` of its processed files, any other its alt text (never a hotlink)."""
    def replace(match: re.Match[str]) -> str:
        attrs = attributes(match.group(0))
        alt = attrs.get("alt", "")
        photo = photos.get(attrs.get("src", ""))
        if photo is None:
            return f'<span class="tt-missing-photo">{_esc(alt)}</span>' if alt else ""
        return picture(photo, prefix, alt)
    return _IMG.sub(replace, page_html)
