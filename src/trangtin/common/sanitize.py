"""Making HTML inert: one allow-list for other sites' feeds and for the pages written here.

Everything read from a feed passes through :func:`clean_html` before it is stored or shown: no
scripts, event handlers, iframes, styles, forms, ``javascript:`` or ``data:`` URLs. Relative
links are resolved against the item's own address first, so they keep pointing at the source.

Pages written here (posts, section pages) pass :class:`PagePolicy` once rendered from Markdown:
the same lists, plus what our Markdown extensions and photos need, and ``<iframe>`` only from
the hosts the network allows (``embeds:`` in ``network.yml``), sandboxed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

from trangtin.common.text import LINK_SCHEMES, link_scheme

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
URL_SCHEMES = set(LINK_SCHEMES)
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


# --- pages written here: posts and section pages ----------------------------------------------

# Hosts (or host/path prefixes) whose pages a post may show in an <iframe> when network.yml
# says nothing: YouTube's players and Google Maps' embeds.
DEFAULT_EMBEDS = ("www.youtube.com", "www.youtube-nocookie.com", "youtube.com", "www.google.com/maps",
                  "maps.google.com")
# The feeds' list plus what Python-Markdown and our extensions write (h1, admonitions and
# footnotes in <div>, pymdownx.details, abbreviations, code), pictures and media.
PAGE_TAGS = ALLOWED_TAGS | {
    "h1", "div", "details", "summary", "picture", "source", "video", "audio", "track", "iframe",
    "kbd", "samp", "var", "cite", "dfn", "time", "col", "colgroup",
}
PAGE_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    **ALLOWED_ATTRIBUTES,
    "*": PAGE_GLOBAL_ATTRIBUTES,
    "a": ALLOWED_ATTRIBUTES["a"] | {"data-caption"},  # a gallery's photo (gallery.js reads it as text)
    "ul": {"data-tt-gallery"},
    "img": ALLOWED_ATTRIBUTES["img"] | {"srcset", "sizes", "loading", "decoding"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": ALLOWED_ATTRIBUTES["td"] | {"style"},
    "th": ALLOWED_ATTRIBUTES["th"] | {"style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "iframe": {"src", "width", "height", "allow", "frameborder", "style"},
}
# Set on every kept <iframe>, whatever the author wrote. The sandbox lets a video player run
# (scripts, its own origin's storage, fullscreen and casting, "open on YouTube" in a new tab
# that is a normal page), and nothing else: no navigating our page away, no forms, no dialogs,
# no downloads. allow-scripts with allow-same-origin is safe only because the frame is never
# of our origin: https from another host only. The origin is sent as referrer because YouTube's
# player refuses to play without one.
IFRAME_ATTRIBUTES = {
    "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox "
               "allow-presentation",
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
    "allowfullscreen": "",
}
# Features an embedded player may ask for in ``allow`` (YouTube's embed code asks for these).
IFRAME_FEATURES = {"accelerometer", "autoplay", "clipboard-write", "encrypted-media", "fullscreen",
                   "gyroscope", "picture-in-picture", "web-share"}
URL_ATTRIBUTES = {"href", "src", "poster", "cite"}
# Python-Markdown aligns table cells with exactly this.
# The only styles kept: table cells aligned as Python-Markdown writes them, and the borderless
# frame of Google Maps' embed code.
_STYLES = {
    "td": re.compile(r"^text-align:\s*(?:left|right|center);?$"),
    "th": re.compile(r"^text-align:\s*(?:left|right|center);?$"),
    "iframe": re.compile(r"^border:\s*(?:0|none);?$"),
}
_EMBED_URL = re.compile(r"^https://([a-z0-9.-]+)(/[^?#]*)?(?:[?#].*)?$", re.IGNORECASE | re.DOTALL)
_IFRAME = re.compile(r'<iframe((?: [^\s"\'>/=]+="[^"]*")*)>.*?</iframe>', re.DOTALL)
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f\\]")


def url_scheme(value: str) -> str:
    """The scheme a browser would see in ``value`` (lower case), or '' for a relative URL: the
    one reading of links people write (:func:`trangtin.common.text.link_scheme`)."""
    return link_scheme(value) or ""


def embed_allowed(url: str, embeds: Iterable[str]) -> bool:
    """True for an https URL on one of ``embeds`` (``host`` or ``host/path-prefix``)."""
    match = _EMBED_URL.match(url)
    if match is None or _UNSAFE_IN_URL.search(url):
        return False
    host, path = match.group(1).lower(), match.group(2) or "/"
    for entry in embeds:
        wanted_host, _, prefix = entry.lower().partition("/")
        if host == wanted_host and (not prefix or path == f"/{prefix}" or path.startswith(f"/{prefix}/")):
            return True
    return False


@dataclass(frozen=True)
class PagePolicy:
    """The allow-list of a page written here; ``embeds`` as in ``network.yml``."""

    embeds: tuple[str, ...] = DEFAULT_EMBEDS

    @staticmethod
    def keeps_tag(tag: str) -> bool:
        return tag in PAGE_TAGS

    @staticmethod
    def drops_content_of(tag: str) -> bool:
        return tag in DROPPED_WITH_CONTENT and tag not in PAGE_TAGS

    @staticmethod
    def keeps_attribute(tag: str, name: str) -> bool:
        """Whether ``name`` may stay on ``tag`` (the iframe's own attributes are replaced, not lost)."""
        return (name in PAGE_GLOBAL_ATTRIBUTES or name in PAGE_ATTRIBUTES.get(tag, ())
                or (tag == "iframe" and name in IFRAME_ATTRIBUTES))

    def value_problem(self, tag: str, name: str, value: str) -> str | None:
        """Why a kept attribute's value is refused: ``scheme``, ``embed``, ``style``, ``allow``; or None."""
        if name in URL_ATTRIBUTES and url_scheme(value) not in ("", *URL_SCHEMES):
            return "scheme"
        if tag == "iframe" and name == "src" and not embed_allowed(value, self.embeds):
            return "embed"
        if name == "style" and not ((kept := _STYLES.get(tag)) and kept.match(value.strip())):
            return "style"
        if name == "allow" and not _features(value) <= IFRAME_FEATURES:
            return "allow"
        return None

    def _filter(self, tag: str, name: str, value: str) -> str | None:
        return value if self.value_problem(tag, name, value) is None else None

    def clean(self, fragment: str) -> str:
        """``fragment`` allow-listed (itself when nothing changes); an <iframe> left without an
        allowed ``src`` is removed."""
        if not fragment:
            return ""
        cleaned = nh3.clean(
            fragment, tags=PAGE_TAGS, clean_content_tags=DROPPED_WITH_CONTENT - PAGE_TAGS,
            attributes=PAGE_ATTRIBUTES, attribute_filter=self._filter, url_schemes=URL_SCHEMES,
            link_rel=None, set_tag_attribute_values={"iframe": IFRAME_ATTRIBUTES},
        )
        if "<iframe" in cleaned:
            cleaned = _IFRAME.sub(_kept_iframe, cleaned)
        return fragment if cleaned == fragment else cleaned  # the same object: cached once


def _features(allow: str) -> set[str]:
    """The feature names of an iframe's ``allow`` (``autoplay; fullscreen 'self'``)."""
    return {part.split()[0].lower() for part in allow.split(";") if part.strip()}


def _kept_iframe(match: re.Match[str]) -> str:
    """An iframe without its (never shown) inner text, or nothing when its ``src`` was refused.
    nh3 adds the attributes it sets in no fixed order (a hash map, seeded anew for each call):
    they go last, in ``IFRAME_ATTRIBUTES``' order, so that a page is the same at every build."""
    attributes = match.group(1)
    if ' src="' not in attributes:
        return ""
    written = _ATTRIBUTE.findall(attributes)
    ordered = sorted(written, key=lambda pair: _SET_LAST.get(pair[0], -1))  # stable: as written first
    return "<iframe" + "".join(f' {name}="{value}"' for name, value in ordered) + "></iframe>"


_ATTRIBUTE = re.compile(r' ([^\s"\'>/=]+)="([^"]*)"')
_SET_LAST = {name: place for place, name in enumerate(IFRAME_ATTRIBUTES)}


class _Inventory(HTMLParser):
    """How many of each tag and each tag's attribute an HTML fragment holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[f"<{tag}>"] += 1
        for name, _ in attrs:
            self.counts[f"<{tag} {name}>"] += 1


def inventory(fragment: str) -> Counter[str]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    return parser.counts


def lost_markup(original: str, cleaned: str) -> list[str]:
    """What cleaning removed: ``<tag>`` and ``<tag attribute>`` (those of a removed tag left out)."""
    before, after = inventory(original), inventory(cleaned)
    lost = [key for key, count in before.items() if after[key] < count]
    lost_tags = {key[1:-1] for key in lost if " " not in key}
    return sorted(key for key in lost if " " not in key or key[1:].split(" ")[0] not in lost_tags)
