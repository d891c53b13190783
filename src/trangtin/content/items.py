"""Items: the network-wide form of a published post, whichever way it travelled.

A post read from a school's content, from its built feed, or from a remote school's feed
over HTTP becomes the same Item, so it is counted and cross-posted the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urljoin

from trangtin.content.posts import Post
from trangtin.network.model import Unit


def stable_id(unit_id: str, src_uri: str) -> str:
    """An id that survives edits of title, date and text: the unit and the file's path."""
    return f"urn:trangtin:{unit_id}:{src_uri.removesuffix('.md')}"


@dataclass(frozen=True)
class Item:
    id: str
    unit: str                      # the unit that wrote it, kept through every level
    title: str
    url: str                       # absolute URL of the original
    published: dt.datetime | None  # aware, converted to the network's zone; None if unreadable
    updated: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    team: str | None = None
    authors: tuple[str, ...] = ()
    summary: str = ""
    content_html: str = ""
    image: str | None = None
    highlight: bool = False
    has_media: bool = False
    source: str = ""               # a file path or a feed URL: where this item was read
    via: tuple[str, ...] = field(default=())  # units that passed it on (cross-posts)
    applies_to: dt.date | None = None  # the week or month a menu or plan is for (``ap_dung``)


def item_from_post(post: Post, unit: Unit, site_url: str, content_html: str = "",
                   image: str | None = None) -> Item:
    """The Item of a local post; ``site_url`` is the absolute root URL of the unit's site."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return Item(
        id=stable_id(unit.id, post.src_uri), unit=unit.id, title=post.title,
        url=urljoin(base, post.url), published=post.date, updated=post.updated,
        categories=tuple(post.categories), tags=tuple(post.tags), team=post.team,
        authors=tuple(post.authors), summary=post.excerpt, content_html=content_html,
        image=image, highlight=post.highlight, has_media=post.has_media,
        source=f"content/{unit.id}/{post.src_uri}", applies_to=post.applies_to,
    )
