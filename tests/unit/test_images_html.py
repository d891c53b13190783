"""The HTML of processed photos: <picture>, galleries, failed photos, relative URLs."""

from __future__ import annotations

from lxml import html as lxml_html

from trangtin.photos import markup
from trangtin.photos.markup import Photo, Source

PAGE = "tin-tuc/2025/10/trai-nghiem/"


def photo(key: str, widths: tuple[int, ...] = (480, 960, 1600), ratio: float = 0.75) -> Photo:
    return Photo(tuple(
        Source(markup.public_url(key, "vuon rau", w, ext), w, round(w * ratio), fmt)
        for w in widths for fmt, ext in (("webp", "webp"), ("jpeg", "jpg"))))


def fragment(text: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(text, create_parent="div")


def test_public_urls_are_content_addressed_and_readable():
    assert markup.public_url("0123456789abcdef0123", "Vườn rau lớp 7A", 960, "webp") == \
        "anh/0123456789abcdef/vuon-rau-lop-7a-960.webp"
    assert markup.public_url("ab" * 10, "bìa", 1200, "jpg", suffix="og") == \
        f"anh/{'ab' * 8}/bia-og.jpg"


def test_root_prefix_and_resolution():
    assert markup.root_prefix("") == ""
    assert markup.root_prefix("index.html") == ""
    assert markup.root_prefix(PAGE) == "../../../../"
    assert markup.root_prefix("gioi-thieu/lich-su.html") == "../"
    assert markup.resolve(PAGE, "../../../../anh/x/a-960.jpg") == "anh/x/a-960.jpg"
    assert markup.resolve(PAGE, "../../../../posts/2025/10/%E1%BA%A3nh.jpg") == "posts/2025/10/ảnh.jpg"
    assert markup.resolve(PAGE, "https://example.com/a.jpg") is None
    assert markup.resolve(PAGE, "/a.jpg") is None
    assert markup.resolve(PAGE, "../../../../../../etc/passwd") is None


def test_asset_uri_of_a_cover():
    assert markup.asset_uri("posts/2025/10/bai.md", "anh/bia.jpg") == "posts/2025/10/anh/bia.jpg"
    assert markup.asset_uri("posts/2025/10/bai.md", "../09/bia.jpg?v=1") == "posts/2025/09/bia.jpg"
    assert markup.asset_uri("posts/2025/10/bai.md", "/chung/logo.png") == "chung/logo.png"


def test_img_becomes_a_picture_with_srcset_and_intrinsic_size():
    shown = photo("a" * 64)
    src = "../../../../" + shown.large.url
    alt = "Học sinh &quot;7A&quot; &amp; cô giáo"
    page = f'<p>Trước</p>\n<p><img alt="{alt}" class="wide" src="{src}" title="Vườn"></p>'
    out = markup.rewrite(page, PAGE, {shown.large.url: shown})
    tree = fragment(out)
    (picture,) = tree.findall(".//picture")
    (source,) = picture.findall("source")
    img = picture.find(".//img")  # libxml2 does not know that <source> is empty
    assert source.get("type") == "image/webp"
    assert [c.split()[1] for c in source.get("srcset").split(", ")] == ["480w", "960w", "1600w"]
    assert all(c.startswith("../../../../anh/aaaaaaaaaaaaaaaa/vuon-rau-") for c in img.get("srcset").split(", "))
    assert img.get("src").endswith("vuon-rau-960.jpg")
    assert (img.get("width"), img.get("height")) == ("1600", "1200")
    assert img.get("loading") == "lazy" and img.get("decoding") == "async"
    assert img.get("alt") == 'Học sinh "7A" & cô giáo'
    assert img.get("class") == "wide" and img.get("title") == "Vườn"
    assert img.get("sizes") and source.get("sizes") == img.get("sizes")


def test_unknown_and_external_images_are_left_alone():
    page = '<p><img alt="Logo" src="https://example.com/logo.png"><img alt="" src="../other.png"></p>'
    assert markup.rewrite(page, PAGE, {}) == page


def test_failed_photo_becomes_its_alt_text_or_nothing():
    page = '<p>A <img alt="Ảnh lễ chào cờ" src="../../../../posts/2025/10/cut.jpg"> B</p>' \
           '<p><img alt="" src="../../../../posts/2025/10/gia.jpg"></p>'
    failed = {"posts/2025/10/cut.jpg": None, "posts/2025/10/gia.jpg": None}
    out = markup.rewrite(page, PAGE, failed)
    assert out == '<p>A <span class="tt-missing-photo">Ảnh lễ chào cờ</span> B</p><p></p>'


def test_gallery_groups_image_paragraphs_into_a_grid_of_links():
    one, two, broken = photo("1" * 64), photo("2" * 64, (480, 800)), "posts/x/hong.jpg"
    prefix = "../../../../"
    page = (f'<p>Mở đầu</p>\n<p><img alt="Một" src="{prefix}{one.large.url}">\n'
            f'<img alt="Hai" src="{prefix}{two.large.url}"></p>\n'
            f'<p><img alt="Hỏng" src="{prefix}{broken}"></p>\n'
            f'<p><img alt="Ngoài" src="https://example.com/a.jpg"></p>\n<p>Kết</p>')
    photos = {one.large.url: one, two.large.url: two, broken: None}
    out = markup.rewrite(page, PAGE, photos, gallery=True)
    tree = fragment(out)
    (grid,) = tree.findall(".//ul")
    assert grid.get("class") == "tt-gallery" and grid.get("data-tt-gallery") is not None
    links = grid.findall("li/a")
    assert [a.get("href") for a in links] == [
        prefix + one.large.url, prefix + two.large.url, "https://example.com/a.jpg"]
    assert [a.get("data-caption") for a in links] == ["Một", "Hai", "Ngoài"]
    assert [a.find(".//img").get("alt") for a in links] == ["Một", "Hai", "Ngoài"]
    assert len(grid.findall(".//picture")) == 2
    assert "data-tt-done" not in out
    assert [p.text for p in tree.findall("p")] == ["Mở đầu", "Kết"]


def test_images_inside_text_stay_inline_in_a_gallery_post():
    one = photo("1" * 64)
    page = f'<p>Xem ảnh <img alt="Một" src="../../../../{one.large.url}"> ở đây</p>'
    out = markup.rewrite(page, PAGE, {one.large.url: one}, gallery=True)
    assert "tt-gallery" not in out and "<picture" in out


def test_thumbnail_is_decorative():
    out = markup.thumbnail(photo("3" * 64), "../")
    img = fragment(out).find(".//img")
    assert img.get("alt") == "" and img.get("class") == "tt-card__image"
    assert img.get("src").startswith("../anh/")


def test_an_authors_width_is_kept_and_the_height_follows():
    shown = photo("4" * 64)
    page = f'<p><img alt="Nhỏ" src="../../../../{shown.large.url}" width="400" style="float: right"></p>'
    img = fragment(markup.rewrite(page, PAGE, {shown.large.url: shown})).find(".//img")
    assert (img.get("width"), img.get("height"), img.get("sizes")) == ("400", "300", "400px")
    assert img.get("style") == "float: right"
