"""Writing the same synthetic posts as a trangtin network, a Material blog and a Pelican site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .corpus import BenchPost
from .measure import set_aside

REPO = Path(__file__).resolve().parents[2]
_LINK = re.compile(r"\(LINK:([a-z0-9-]+)\)")

# The extensions of shared_theme/base.yml, used by every baseline and by the floor.
MARKDOWN_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde",
]


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _links(body: str, target: dict[str, str]) -> str:
    return _LINK.sub(lambda m: f"({target[m.group(1)]})", body)


# --- trangtin ------------------------------------------------------------------------------

def write_network(root: Path, schools: dict[str, list[BenchPost]]) -> None:
    """A network with one Sở (not built here) and the given schools, three tổ each."""
    set_aside(root)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "shared_theme", root / "shared_theme")
    units = ["  - {id: so-bench, name: Sở Giáo dục và Đào tạo tỉnh Thử nghiệm, type: so}"]
    for n, school in enumerate(schools, 1):
        units.append(f"  - id: {school}\n    name: Trường THCS Thử nghiệm số {n}\n"
                     f"    type: truong\n    parent: so-bench\n"
                     f"    identity: {{address: Xã Thử nghiệm, phone: 0263 3800 {n:03d}}}")
        for team in range(3):
            units.append(f"  - {{id: {school}-to-{team}, name: Tổ chuyên môn {team + 1}, "
                         f"type: to, parent: {school}}}")
    (root / "network.yml").write_text(
        "timezone: Asia/Ho_Chi_Minh\nportal: so-bench\nunits:\n" + "\n".join(units) + "\n",
        encoding="utf-8")
    for school, posts in schools.items():
        _write_site_config(root, school)
        write_trangtin_posts(root / "content" / school, school, posts)


def _write_site_config(root: Path, school: str) -> None:
    site = root / "sites" / school
    site.mkdir(parents=True)
    (site / "mkdocs.yml").write_text(
        "INHERIT: ../../shared_theme/base.yml\n"
        f"site_name: {school}\nsite_url: https://{school}.example.edu.vn/\n"
        f"docs_dir: ../../content/{school}\nsite_dir: ../../public/{school}\n"
        "theme:\n  custom_dir: ../../shared_theme/overrides\n"
        f"plugins:\n  trangtin:\n    unit: {school}\n", encoding="utf-8")


def write_trangtin_posts(content: Path, school: str, posts: list[BenchPost]) -> None:
    by_slug = {p.slug: p for p in posts}
    for post in posts:
        path = content / "posts" / post.rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(trangtin_text(post, school, by_slug), encoding="utf-8")


def trangtin_text(post: BenchPost, school: str, by_slug: dict[str, BenchPost]) -> str:
    targets = {s: f"../../{by_slug[s].rel_path}" for s in post.links}
    return (f"---\ntitle: {post.title}\ndate: {post.date:%Y-%m-%d %H:%M}\n"
            f"authors: [{post.author}]\nto: {school}-to-{post.team}\n"
            f"categories: {_yaml_list(post.categories)}\ntags: {_yaml_list(post.tags)}\n---\n\n"
            + _links(post.body, targets))


# --- Material for MkDocs with its blog plugin ----------------------------------------------

def write_material_blog(root: Path, posts: list[BenchPost]) -> None:
    """A stock Material blog: the same posts in docs/blog/posts with blog front matter."""
    set_aside(root)
    posts_dir = root / "docs" / "blog" / "posts"
    posts_dir.mkdir(parents=True)
    extensions = "\n".join(f"  - {name}" for name in MARKDOWN_EXTENSIONS)
    (root / "mkdocs.yml").write_text(
        "site_name: Trường THCS Thử nghiệm\nsite_url: https://bench.example.edu.vn/\n"
        "theme:\n  name: material\n  language: vi\n  font: false\n"
        "plugins:\n  - search\n  - blog\n"
        f"markdown_extensions:\n{extensions}\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Trang chủ\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Tin tức\n", encoding="utf-8")
    for post in posts:
        targets = {s: f"{s}.md" for s in post.links}
        (posts_dir / f"{post.slug}.md").write_text(
            f"---\ntitle: {post.title}\ndate: {post.date:%Y-%m-%d}\n"
            f"categories:\n" + "".join(f"  - {c}\n" for c in post.categories)
            + f"slug: {post.slug}\n---\n\n" + _links(post.body, targets), encoding="utf-8")


# --- Pelican -------------------------------------------------------------------------------

def write_pelican(root: Path, posts: list[BenchPost]) -> None:
    set_aside(root)
    content = root / "content"
    content.mkdir(parents=True)
    (root / "pelicanconf.py").write_text(
        "SITENAME = 'Trường THCS Thử nghiệm'\nSITEURL = ''\nTIMEZONE = 'Asia/Ho_Chi_Minh'\n"
        "DEFAULT_LANG = 'vi'\nPATH = 'content'\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
        "DEFAULT_PAGINATION = 10\nCACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
        f"MARKDOWN = {{'extensions': {MARKDOWN_EXTENSIONS + ['meta']!r}, "
        "'output_format': 'html5'}\n", encoding="utf-8")
    for post in posts:
        targets = {s: f"{{filename}}{s}.md" for s in post.links}
        (content / f"{post.slug}.md").write_text(
            f"Title: {post.title}\nDate: {post.date:%Y-%m-%d %H:%M}\n"
            f"Category: {post.categories[0]}\nTags: {', '.join(post.tags)}\n"
            f"Slug: {post.slug}\nAuthor: {post.author}\n\n" + _links(post.body, targets),
            encoding="utf-8")


def bodies(posts: list[BenchPost]) -> list[str]:
    """The post bodies as the floor renders them (links as plain relative paths)."""
    return [_links(p.body, {s: f"{s}.md" for s in p.links}) for p in posts]
