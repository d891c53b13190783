"""The sections of a Trang thông tin điện tử, after Thông tư 37/2020/TT-BGDĐT Điều 9.

The Thông tư 37 set is the default; ``network.yml`` adds sections per unit type or unit
(``sections:``, see ``network.declared``), each a listing of posts of some categories or a page.

A section with no content yet is still built, with a polite placeholder, and reported by
``trangtin check`` so the school knows what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from trangtin.network.declared import DeclaredSection
from trangtin.network.model import Network, Unit


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    src_uri: str
    template: str | None = None
    listing: bool = False
    required: bool = True
    portal_only: bool = False
    school_only: bool = False
    categories: tuple[str, ...] = ()  # a listing of posts of these categories

    @property
    def url(self) -> str:
        return "" if self.src_uri == "index.md" else self.src_uri.removesuffix("index.md")


SECTIONS: tuple[Section, ...] = (
    Section("home", "Trang chủ", "index.md", "trangtin/home.html"),
    Section("about", "Giới thiệu", "gioi-thieu/index.md", "trangtin/about.html"),
    Section("news", "Tin tức – Sự kiện", "tin-tuc/index.md", listing=True, required=False),
    Section("notices", "Thông báo", "thong-bao/index.md", listing=True, required=False,
            categories=("Thông báo",)),
    Section("documents", "Văn bản", "van-ban/index.md", "trangtin/documents.html"),
    Section("units", "Đơn vị trực thuộc", "don-vi/index.md", "trangtin/units.html",
            required=False, portal_only=True),
    Section("report", "Thống kê tin bài", "thong-ke/index.md", "trangtin/report.html",
            required=False, portal_only=True),
    Section("disclosure", "Công khai", "cong-khai/index.md", "trangtin/disclosure.html",
            school_only=True),
    Section("admission", "Tuyển sinh", "tuyen-sinh/index.md", school_only=True),
    Section("feedback", "Lấy ý kiến góp ý", "gop-y/index.md", "trangtin/feedback.html"),
    Section("contact", "Liên hệ", "lien-he/index.md", "trangtin/contact.html", required=False),
)

NOTICES_CATEGORY = "Thông báo"
REPORT_SRC = "thong-ke/index.md"


def sections_for(unit: Unit, network: Network | None = None) -> list[Section]:
    """The sections a unit's site has: schools disclose and admit, portals list their units,
    and those ``network.yml`` declares for the unit, each after the section it names (or
    before Liên hệ)."""
    is_portal = unit.aggregates
    found = [s for s in SECTIONS
             if not (s.portal_only and not is_portal) and not (s.school_only and is_portal)]
    for declared in network.sections if network else ():
        if declared.applies_to(unit.id, unit.type):
            _place(found, _from_declaration(declared), declared.after)
    return found


def _from_declaration(declared: DeclaredSection) -> Section:
    return Section(f"declared:{declared.path}", declared.title, f"{declared.path}/index.md",
                   listing=bool(declared.categories), required=False,
                   categories=declared.categories)


def _place(sections: list[Section], added: Section, after: str) -> None:
    """``added`` after the section named by key or path, else before Liên hệ; a path already
    taken keeps its first section."""
    if any(s.src_uri == added.src_uri for s in sections):
        return
    position = next((i + 1 for i, s in enumerate(sections) if after and after in (s.key, s.url.strip("/"))),
                    None)
    if position is None:
        position = len(sections) - 1 if sections and sections[-1].key == "contact" else len(sections)
    sections.insert(position, added)


def nav_for(unit: Unit, network: Network | None = None) -> list[dict[str, str]]:
    return [{s.title: s.src_uri} for s in sections_for(unit, network)]
