"""Listing pages of the news: the index, categories, tổ, tags, months, with pagination.

Built once from the sorted post list (linear in the number of posts): Material's blog
scans every post for every page, which made a 5,000-post site take minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from trangtin.common import dates, text
from trangtin.content.posts import NEWS_URL, Post
from trangtin.network.sections import SECTIONS, Section

PER_PAGE = 10
TAGS_DIR = "tu-khoa"


@dataclass
class Listing:
    """One page of a list of posts."""

    key: str
    title: str
    base_url: str
    posts: list[Post]
    number: int = 1
    count: int = 1
    description: str = ""
    siblings: list[Listing] = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return self.base_url if self.number == 1 else f"{self.base_url}trang/{self.number}/"

    @property
    def src_uri(self) -> str:
        return self.url + "index.md"

    @property
    def previous(self) -> Listing | None:
        return self.siblings[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Listing | None:
        return self.siblings[self.number] if self.number < self.count else None


@dataclass
class Archive:
    """Every listing of a site plus the groups that the sidebar shows."""

    pages: list[Listing]
    categories: list[tuple[str, str, int]]  # (name, url, count)
    months: list[tuple[str, str, int]]
    teams: list[tuple[str, str, int]]
    tags: list[tuple[str, str, int]] = field(default_factory=list)

    def by_src_uri(self) -> dict[str, Listing]:
        return {page.src_uri: page for page in self.pages}


def paginate(key: str, title: str, base_url: str, posts: list[Post],
             per_page: int = PER_PAGE, description: str = "") -> list[Listing]:
    chunks = [posts[i:i + per_page] for i in range(0, len(posts), per_page)] or [[]]
    pages = [Listing(key, title, base_url, chunk, n + 1, len(chunks), description)
             for n, chunk in enumerate(chunks)]
    for page in pages:
        page.siblings = pages
    return pages


def build_archive(posts: list[Post], team_names: dict[str, str],
                  per_page: int = PER_PAGE, sections: Iterable[Section] = SECTIONS) -> Archive:
    """All listing pages for ``posts`` (newest first); ``sections`` that list categories
    (Thông báo, those ``network.yml`` declares) list their posts at their own address."""
    by_category: dict[str, list[Post]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Post]] = defaultdict(list)
    by_team: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for category in post.categories:
            by_category[category].append(post)
        by_month[(post.date.year, post.date.month)].append(post)
        if post.team:
            by_team[post.team].append(post)
    pages = paginate("news", "Tin tức – Sự kiện", f"{NEWS_URL}/", posts, per_page)
    for section in sections:
        if section.listing and section.categories:
            pages += paginate(section.key, section.title, section.url,
                              _in_categories(posts, section.categories), per_page)
    categories, months, teams = [], [], []
    for name in sorted(by_category, key=text.fold):
        url = f"{NEWS_URL}/chuyen-muc/{text.slugify(name)}/"
        pages += paginate(f"category:{name}", f"Chuyên mục: {name}", url, by_category[name], per_page)
        categories.append((name, url, len(by_category[name])))
    for (year, month) in sorted(by_month, reverse=True):
        url = f"{NEWS_URL}/{year:04d}/{month:02d}/"
        label = dates.month_name(year, month)
        pages += paginate(f"month:{year}-{month:02d}", f"Lưu trữ: {label}", url,
                          by_month[(year, month)], per_page)
        months.append((label, url, len(by_month[(year, month)])))
    for team_id in sorted(by_team):
        url = f"{NEWS_URL}/to/{team_id}/"
        name = team_names.get(team_id, team_id)
        pages += paginate(f"team:{team_id}", name, url, by_team[team_id], per_page)
        teams.append((name, url, len(by_team[team_id])))
    tag_pages, tags = _tag_listings(posts, per_page)
    return Archive(pages + tag_pages, categories, months, teams, tags)


def tag_url(tag: str) -> str:
    """Where the posts of a tag are listed; tags written differently (case, diacritics) share it."""
    return f"{NEWS_URL}/{TAGS_DIR}/{text.slugify(tag)}/" if text.slugify(tag) else ""


def _tag_listings(posts: list[Post], per_page: int) -> tuple[list[Listing], list[tuple[str, str, int]]]:
    """One listing per tag (``tin-tuc/tu-khoa/<slug>/``), named as its first post writes it."""
    by_url: dict[str, list[Post]] = defaultdict(list)
    names: dict[str, str] = {}
    for post in posts:
        for url in dict.fromkeys(tag_url(tag) for tag in post.tags if tag_url(tag)):
            by_url[url].append(post)
        for tag in post.tags:
            names.setdefault(tag_url(tag), tag)
    pages: list[Listing] = []
    tags = []
    for url in sorted(by_url, key=lambda u: text.fold(names[u])):
        pages += paginate(f"tag:{url}", f"Từ khóa: {names[url]}", url, by_url[url], per_page)
        tags.append((names[url], url, len(by_url[url])))
    return pages, tags


def _in_categories(posts: list[Post], categories: tuple[str, ...]) -> list[Post]:
    wanted = {text.fold(c) for c in categories}
    return [p for p in posts if any(text.fold(c) in wanted for c in p.categories)]


def related_posts(post: Post, posts_by_category: dict[str, list[Post]], limit: int = 3) -> list[Post]:
    """Posts sharing the most categories and tags with ``post``, newest first."""
    scores: dict[int, tuple[int, Post]] = {}
    tags = set(post.tags)
    for category in post.categories:
        for other in posts_by_category.get(category, [])[:50]:
            if other is post:
                continue
            shared = len(tags.intersection(other.tags)) + 1
            previous = scores.get(id(other), (0, other))[0]
            scores[id(other)] = (previous + shared, other)
    ranked = sorted(scores.values(), key=lambda item: (item[0], item[1].date), reverse=True)
    return [other for _, other in ranked[:limit]]
