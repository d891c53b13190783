"""What one unit's site shows, computed once per build from the network and the posts.

Plain Python (no MkDocs): the plugin hands this object to the templates as ``tt``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from trangtin.common import dates
from trangtin.common.diagnostics import Diagnostic
from trangtin.content.posts import Post, UnitContent
from trangtin.network.model import Network, Unit
from trangtin.network.sections import Section, sections_for
from trangtin.site.listing import Archive, build_archive, related_posts

HOME_LATEST = 8
HOME_HIGHLIGHTS = 4


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
                    list(content.diagnostics), hidden)
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

    @property
    def sections(self) -> list[Section]:
        return sections_for(self.unit, self.network)

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
