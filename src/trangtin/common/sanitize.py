"""Making HTML from another site inert: an allow-list, absolute links, plain-text titles.

Everything read from a feed passes through here before it is stored or shown: no scripts,
event handlers, iframes, styles, forms, ``javascript:`` or ``data:`` URLs. Relative links
are resolved against the item's own address first, so they keep pointing at the source.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "form", "noscript",
                        "template", "svg", "math", "textarea", "select", "button"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {"href", "src"}
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def absolute_url(value: str, base: str) -> str:
    """``value`` resolved against ``base``; unchanged when it already has a scheme."""
    return urljoin(base, value.strip()) if base else value.strip()


def is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL, the only kind we link to or load images from."""
    if not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def clean_html(fragment: str, base: str = "") -> str:
    """Allow-listed HTML with every link and image made absolute against ``base``."""
    if not fragment:
        return ""

    def absolutize(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in _URL_ATTRIBUTES:
            return value
        url = absolute_url(value, base)
        return url if urlsplit(url).scheme in URL_SCHEMES else None

    return nh3.clean(
        fragment, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES, attribute_filter=absolutize, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(value: str, limit: int = 0) -> str:
    """The text of an HTML fragment, without markup (titles and summaries are text)."""
    stripped = nh3.clean(value or "", tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    return text_only(html.unescape(stripped), limit)


def text_only(value: str, limit: int = 0) -> str:
    """Plain text kept as written (``<`` stays a character), on one line, at most ``limit``."""
    text = _SPACES.sub(" ", _CONTROL.sub("", value or "")).strip()
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


def web_url_or_none(value: object, base: str = "") -> str | None:
    """An absolute http(s) URL made from ``value``, or None when it is anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = absolute_url(value, base)
    return url if is_web_url(url) else None
