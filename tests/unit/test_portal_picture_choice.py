"""Which picture stands for an item on a portal, and the initials of a unit's placeholder."""

from __future__ import annotations

import datetime as dt

from trangtin.aggregate.pictures import body_images, picture_url
from trangtin.content.items import Item
from trangtin.photos.markup import placeholder
from trangtin.site.photos import initials

AT = dt.datetime(2025, 11, 20, 8, tzinfo=dt.UTC)


def item(image: str | None = None, html: str = "") -> Item:
    return Item("urn:x", "th-song-lam", "Tin", "https://truong.example.edu.vn/tin/a/", AT,
                image=image, content_html=html)


def test_the_cover_wins_then_the_first_web_image_of_the_text() -> None:
    html = ('<p><img src="data:image/png;base64,AAAA" alt="">'
            '<img src="anh/1.jpg?w=2&amp;h=1" alt="Một"><img src="https://cdn.example/2.png"></p>')
    assert picture_url(item("https://truong.example.edu.vn/anh/bia.jpg", html)) == \
        "https://truong.example.edu.vn/anh/bia.jpg"
    assert picture_url(item(None, html)) == "https://truong.example.edu.vn/tin/a/anh/1.jpg?w=2&h=1"
    assert body_images(item(None, html)) == ["https://truong.example.edu.vn/tin/a/anh/1.jpg?w=2&h=1",
                                             "https://cdn.example/2.png"]


def test_only_http_pictures_are_ever_fetched() -> None:
    assert picture_url(item("file:///etc/passwd")) is None
    assert picture_url(item("javascript:alert(1)", '<img src="ftp://x.example/a.jpg">')) is None
    assert picture_url(item()) is None


def test_a_placeholder_shows_the_initials_that_tell_units_apart() -> None:
    assert initials("Trường Tiểu học Sông Lam") == "SL"
    assert initials("Trường THCS An Bình") == "AB"
    assert initials("Trường Mầm non Hoa Sen") == "HS"
    assert initials("Trường") == "T"
    box = placeholder("<b>")
    assert 'aria-hidden="true"' in box and "&lt;b&gt;" in box and "<b>" not in box
