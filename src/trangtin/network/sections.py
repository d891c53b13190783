"""The sections of a Trang thông tin điện tử, after Thông tư 37/2020/TT-BGDĐT Điều 9.

A section with no content yet is still built, with a polite placeholder, and reported by
``trangtin check`` so the school knows what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from trangtin.network.model import Unit


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

    @property
    def url(self) -> str:
        return "" if self.src_uri == "index.md" else self.src_uri.removesuffix("index.md")


SECTIONS: tuple[Section, ...] = (
    Section("home", "Trang chủ", "index.md", "trangtin/home.html"),
    Section("about", "Giới thiệu", "gioi-thieu/index.md", "trangtin/about.html"),
    Section("news", "Tin tức – Sự kiện", "tin-tuc/index.md", listing=True, required=False),
    Section("notices", "Thông báo", "thong-bao/index.md", listing=True, required=False),
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


def sections_for(unit: Unit) -> list[Section]:
    """The sections a unit's site has: schools disclose and admit, portals list their units."""
    is_portal = unit.aggregates
    return [s for s in SECTIONS
            if not (s.portal_only and not is_portal) and not (s.school_only and is_portal)]


def section_by_src(unit: Unit) -> dict[str, Section]:
    return {s.src_uri: s for s in sections_for(unit)}


def nav_for(unit: Unit) -> list[dict[str, str]]:
    return [{s.title: s.src_uri} for s in sections_for(unit)]
