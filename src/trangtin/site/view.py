"""What one unit's site shows, computed once per build from the network and the posts.

Plain Python (no MkDocs): the plugin hands this object to the templates as ``tt``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

from trangtin.common import dates
from trangtin.common.diagnostics import Diagnostic
from trangtin.content.checks import usable_registers
from trangtin.content.posts import Post, UnitContent
from trangtin.content.sources import read_source
from trangtin.network.model import Network, Unit
from trangtin.network.sections import Section, sections_for
from trangtin.site.listing import Archive, build_archive, related_posts

HOME_LATEST = 8
HOME_HIGHLIGHTS = 4
HOME_GRID = 6
HOME_BLOCK = 4
HOME_SIDE = 5
NOTICES = "Thông báo"
MINISTRY = ("Bộ Giáo dục và Đào tạo", "https://moet.gov.vn/")
# The main categories a home page shows in blocks, per unit type (``home_categories:`` of
# network.yml replaces them for a type).
DEFAULT_HOME_CATEGORIES: dict[str, tuple[str, ...]] = {
    "truong": ("Hoạt động chuyên môn", "Trải nghiệm – Ngoại khóa", "Văn hóa – Thể thao"),
    "to": ("Hoạt động chuyên môn",),
    "so": ("Hoạt động chuyên môn", "Chuyển đổi số", "Thi đua – Khen thưởng"),
    "phong": ("Hoạt động chuyên môn", "Chuyển đổi số", "Thi đua – Khen thưởng"),
    "xa": ("Tin tức – Sự kiện", "Tuyên truyền pháp luật", "Văn hóa – Thể thao"),
    "phuong": ("Tin tức – Sự kiện", "Tuyên truyền pháp luật", "Văn hóa – Thể thao"),
    "dac-khu": ("Tin tức – Sự kiện", "Tuyên truyền pháp luật", "Văn hóa – Thể thao"),
}


@dataclass(frozen=True)
class CategoryBlock:
    category: str
    posts: list[Post]


@dataclass(frozen=True)
class HomeLayout:
    """The home page as a news portal: each post shown in one place only (notices aside)."""

    featured: Post | None
    grid: list[Post]
    blocks: list[CategoryBlock]
    notices: list[Post]


def home_layout(posts: list[Post], categories: tuple[str, ...]) -> HomeLayout:
    """Featured (the newest highlight with a cover photo, else the newest highlight, else the
    newest post with a cover, else the newest), a grid of recent news, then one block per
    main category from what is left. Notices go to the side column, never to the grid."""
    news = [p for p in posts if NOTICES not in p.categories]
    featured = next(chain((p for p in news if p.highlight and p.cover), (p for p in news if p.highlight),
                          (p for p in news if p.cover), news), None)
    used = {featured} if featured else set()
    grid = [p for p in news if p not in used][:HOME_GRID]
    used.update(grid)
    blocks = []
    for category in categories:
        chosen = [p for p in news if category in p.categories and p not in used][:HOME_BLOCK]
        used.update(chosen)
        if chosen:
            blocks.append(CategoryBlock(category, chosen))
    notices = [p for p in posts if NOTICES in p.categories and p not in used][:HOME_SIDE]
    return HomeLayout(featured, grid, blocks, notices)


def latest_documents(content_dir: Path, limit: int = HOME_SIDE) -> list[dict[str, Any]]:
    """The newest entries of the unit's Văn bản register (its mistakes are named by check)."""
    path = content_dir / "van-ban" / "index.md"
    if not path.is_file():
        return []
    documents = usable_registers(read_source(path, "van-ban/index.md").meta).get("documents", [])
    return sorted(documents, key=lambda doc: doc["ngay_ban_hanh"], reverse=True)[:limit]


@dataclass
class SiteModel:
    network: Network
    unit: Unit
    posts: list[Post]
    archive: Archive
    now: dt.datetime
    diagnostics: list[Diagnostic] = field(default_factory=list)
    hidden: list[Post] = field(default_factory=list)
    _by_category: dict[str, list[Post]] = field(default_factory=dict, repr=False)
    documents: list[dict[str, Any]] = field(default_factory=list)  # Văn bản mới, newest first

    @classmethod
    def build(cls, network: Network, content: UnitContent, now: dt.datetime,
              per_page: int) -> SiteModel:
        published = content.published(now)
        shown = set(published)
        hidden = [p for p in content.posts if p not in shown]
        team_names = {t.id: t.name for t in network.teams(content.unit.id)}
        archive = build_archive(published, team_names, per_page,
                                sections_for(content.unit, network))
        model = cls(network, content.unit, published, archive, now,
                    list(content.diagnostics), hidden,
                    documents=latest_documents(network.content_dir(content.unit.id)))
        for post in published:
            for category in post.categories:
                model._by_category.setdefault(category, []).append(post)
        return model

    @property
    def parent(self) -> Unit | None:
        return self.network.units.get(self.unit.parent) if self.unit.parent else None

    @property
    def identity(self):  # noqa: ANN201 - Identity, re-exported for templates
        return self.unit.identity

    @cached_property
    def sections(self) -> list[Section]:
        return sections_for(self.unit, self.network)

    @cached_property
    def section_by_src(self) -> dict[str, Section]:
        return {s.src_uri: s for s in self.sections}

    @property
    def teams(self) -> list[Unit]:
        return self.network.teams(self.unit.id)

    @property
    def children(self) -> list[Unit]:
        return [u for u in self.network.children(self.unit.id) if u.type != "to"]

    @property
    def latest(self) -> list[Post]:
        return self.posts[:HOME_LATEST]

    @property
    def highlights(self) -> list[Post]:
        return [p for p in self.posts if p.highlight][:HOME_HIGHLIGHTS]

    @property
    def home(self) -> HomeLayout:
        return home_layout(self.posts, self.home_categories)

    @property
    def home_categories(self) -> tuple[str, ...]:
        configured = self.network.home_categories.get(self.unit.type)
        if configured is not None:
            return configured
        return DEFAULT_HOME_CATEGORIES.get(self.unit.type, ())

    @property
    def parent_sites(self) -> list[tuple[str, str]]:
        """(name, address) of the units above with a site, nearest first, then the ministry."""
        links = [(u.name, u.site_url or u.identity.website) for u in self.network.ancestors(self.unit.id)]
        return [(name, url) for name, url in links if url] + [MINISTRY]

    def related(self, post: Post) -> list[Post]:
        return related_posts(post, self._by_category)

    def team_name(self, team_id: str | None) -> str:
        if not team_id:
            return ""
        team = self.network.units.get(team_id)
        return team.name if team else team_id

    def child_site_url(self, unit: Unit) -> str:
        """Where a child unit's site lives: its own URL, or the sibling folder in public/."""
        return unit.site_url or unit.identity.website or (
            f"../../{unit.id}/" if self.network.config_file(unit.id) else "")

    def posts_by_month(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for post in self.posts:
            counts[dates.month_key(post.date)] += 1
        return dict(counts)
