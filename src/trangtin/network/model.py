"""The network file (``network.yml``): which units exist, how they nest, who they are.

The minimal shape (``timezone``, ``units`` with ``id``/``name``/``type``/``parent``/``feed``)
is a contract other tools rely on; every other key is documented in the README.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trangtin.common import yamlsource
from trangtin.common.diagnostics import Diagnostic, TrangtinError, error
from trangtin.common.sanitize import DEFAULT_EMBEDS
from trangtin.common.text import control_characters_by_line, fold, is_windows_device, link_scheme
from trangtin.network.declared import DeclarationReader, DeclaredSection, DisclosureRule

UNIT_TYPES = {
    "so": "Sở Giáo dục và Đào tạo",
    "phong": "Phòng Giáo dục và Đào tạo",
    "xa": "Xã",
    "phuong": "Phường",
    "dac-khu": "Đặc khu",
    "truong": "Trường",
    "to": "Tổ chuyên môn",
}
AGGREGATING_TYPES = {"so", "phong", "xa", "phuong", "dac-khu"}
# A province of ~2 000 units with full identities is about 1 MiB.
NETWORK_MAX_BYTES = 4 * 1024 * yamlsource.KIB

DEFAULT_CATEGORIES = [
    "Tin tức – Sự kiện",
    "Thông báo",
    "Hoạt động chuyên môn",
    "Hoạt động Đoàn – Đội",
    "Trải nghiệm – Ngoại khóa",
    "Chuyển đổi số",
    "Thi đua – Khen thưởng",
    "Gương người tốt, việc tốt",
    "An toàn trường học",
    "Tuyên truyền pháp luật",
    "Văn hóa – Thể thao",
    "Tuyển sinh",
]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMBED = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?:/[\w.~-]+)*$")
UNIT_KEYS = {
    "id", "name", "short_name", "type", "parent", "feed", "identity", "requires_approval",
    "categories", "quota", "site_url", "cms",
}
IDENTITY_KEYS = {
    "agency", "address", "phone", "email", "website", "responsible", "leaders", "founded",
    "license", "map", "place", "preparer", "logo", "banner", "color",
}
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text: the header's white text on the colour


QUOTA_PERIODS = ("month", "quarter", "semester", "school_year", "year")
_QUOTA_WORDS = {
    "month": "month", "thang": "month", "quarter": "quarter", "quy": "quarter",
    "semester": "semester", "hoc ky": "semester", "school year": "school_year",
    "school_year": "school_year", "nam hoc": "school_year", "year": "year", "nam": "year",
}
_QUOTA_TEXT = re.compile(r"^\s*(\d+)\s*(?:bai\s*)?(?:per|/|moi|mot)\s*(.+?)\s*$")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class Quota:
    """Chỉ tiêu: at least ``count`` published items (``media`` of them with photos or video)
    in every ``per`` (month, quarter, semester, school_year, year) of a report.

    In ``network.yml``, per unit type under the top-level ``quotas:`` or per unit as
    ``quota:`` (a unit's own quota wins), either as a map or as a readable shorthand::

        quotas:
          to: 1 per month                  # or "1/tháng", or {per: month, count: 1, media: 1}
          truong: {per: school_year, count: 40}
          phong: 8 per year                # "8/năm"
        semesters:                         # học kỳ, as month-day within the school year
          - {name: Học kỳ I, from: "09-01", to: "01-15"}
          - {name: Học kỳ II, from: "01-16", to: "05-31"}
    """

    per: str
    count: int
    media: int = 0


@dataclass(frozen=True)
class Semester:
    """Học kỳ: ``start``/``end`` are (month, day), both days included, within a school year."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]


DEFAULT_SEMESTERS = (Semester("Học kỳ I", (9, 1), (1, 15)), Semester("Học kỳ II", (1, 16), (5, 31)))


def parse_quota(value: object) -> Quota | None:
    """A quota from its map or shorthand form; None when it cannot be read."""
    if isinstance(value, dict):
        per, count, media = value.get("per"), value.get("count"), value.get("media", 0)
        per = _QUOTA_WORDS.get(fold(str(per)).replace("-", " ").strip())
        if per and isinstance(count, int) and isinstance(media, int) and min(count, media) >= 0:
            return Quota(per, count, media)
        return None
    match = _QUOTA_TEXT.match(fold(str(value)))
    per = _QUOTA_WORDS.get(match.group(2).replace("-", " ")) if match else None
    return Quota(per, int(match.group(1))) if match and per else None


def _month_day(value: object) -> tuple[int, int] | None:
    if isinstance(value, dt.date):
        return value.month, value.day
    match = _MONTH_DAY.match(str(value))
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


@dataclass(frozen=True)
class Person:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Identity:
    """Who the unit is, as Thông tư 37/2020 asks a site to show (Điều 9)."""

    agency: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    license: str = ""
    responsible: Person | None = None
    leaders: tuple[Person, ...] = ()
    place: str = ""                 # địa danh of a signed report (default: from the address)
    preparer: Person | None = None  # người lập biểu of a signed report
    logo: str = ""    # an image of the unit's content folder, through the photo pipeline
    banner: str = ""  # a wide image of the content folder, at the top of the home page
    color: str = ""   # the primary colour (#rrggbb), dark enough for white text


CMS_PROVIDERS = ("github", "gitlab", "gitea", "test")
CMS_KEYS = {"provider", "repo", "branch", "api_root"}
_REPO = re.compile(r"^[\w.-]+(?:/[\w.-]+)+$")


@dataclass(frozen=True)
class CmsBackend:
    """Where the browser editor (``admin/``) of a school saves: ``cms:`` of the unit.

    ``provider`` github, gitlab or gitea (Forgejo too), ``repo`` owner/name, ``branch``
    (default main), ``api_root`` for a self-hosted GitLab or Gitea
    (``https://git.truong.edu.vn/api/v1``); ``test`` keeps posts in the browser only (practice).
    """

    provider: str
    repo: str = ""
    branch: str = "main"
    api_root: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    type: str
    parent: str | None = None
    feed: str | None = None
    short_name: str = ""
    site_url: str = ""
    identity: Identity = field(default_factory=Identity)
    requires_approval: bool = False
    quota: Quota | None = None
    line: int | None = None
    cms: CmsBackend | None = None  # the browser editor's backend; None: a local folder

    @property
    def is_remote(self) -> bool:
        return self.feed is not None

    @property
    def aggregates(self) -> bool:
        return self.type in AGGREGATING_TYPES


@dataclass
class Network:
    path: Path
    timezone: ZoneInfo
    units: dict[str, Unit]
    categories: list[str]
    portal: str | None = None
    school_year_start_month: int = 9
    raw: dict[str, Any] = field(default_factory=dict)
    quotas: dict[str, Quota] = field(default_factory=dict)  # per unit type
    semesters: tuple[Semester, ...] = DEFAULT_SEMESTERS
    embeds: tuple[str, ...] = DEFAULT_EMBEDS  # hosts (or host/path) a post may show in an <iframe>
    report_day: int | None = None  # reports are due "trước ngày N hằng tháng"
    sections: tuple[DeclaredSection, ...] = ()  # added to the Thông tư 37 set (network.declared)
    disclosure: tuple[DisclosureRule, ...] = ()  # the disclosure calendar (network.declared)
    home_categories: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per unit type

    @property
    def root(self) -> Path:
        return self.path.parent

    def unit(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def children(self, unit_id: str) -> list[Unit]:
        return [u for u in self.units.values() if u.parent == unit_id]

    def teams(self, unit_id: str) -> list[Unit]:
        return [u for u in self.children(unit_id) if u.type == "to"]

    def ancestors(self, unit_id: str) -> list[Unit]:
        chain, current = [], self.units[unit_id].parent
        while current is not None:
            chain.append(self.units[current])
            current = self.units[current].parent
        return chain

    def descendants(self, unit_id: str) -> list[Unit]:
        found: list[Unit] = []
        for child in self.children(unit_id):
            found.append(child)
            found.extend(self.descendants(child.id))
        return found

    def config_file(self, unit_id: str) -> Path | None:
        """The mkdocs.yml that builds this unit, or None when it is not built here."""
        if unit_id == self.portal and (self.root / "mkdocs.yml").is_file():
            return self.root / "mkdocs.yml"
        candidate = self.root / "sites" / unit_id / "mkdocs.yml"
        return candidate if candidate.is_file() else None

    def content_dir(self, unit_id: str) -> Path:
        return self.root / "content" / unit_id

    def local_units(self) -> list[Unit]:
        return [u for u in self.units.values() if self.config_file(u.id) is not None]

    def find_team(self, school_id: str, name_or_id: str) -> Unit | None:
        wanted = fold(name_or_id.strip())
        for team in self.teams(school_id):
            if wanted in (team.id, fold(team.name), fold(team.short_name)):
                return team
        return None

    def quota_of(self, unit_id: str) -> Quota | None:
        """The unit's own quota, else the quota of its type, else None."""
        unit = self.units[unit_id]
        return unit.quota or self.quotas.get(unit.type)

    def disclosure_rules(self, unit_id: str) -> list[DisclosureRule]:
        unit = self.units[unit_id]
        return [r for r in self.disclosure if r.applies_to(unit.id, unit.type)]

    def find_category(self, name: str) -> str | None:
        wanted = fold(name.strip())
        return next((c for c in self.categories if fold(c) == wanted), None)


def find_network_file(start: Path) -> Path:
    """Walk up from ``start`` to the folder holding ``network.yml``."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / "network.yml").is_file():
            return folder / "network.yml"
    raise TrangtinError([error(
        str(start), None, "không tìm thấy tệp network.yml",
        "chạy lệnh trong thư mục của mạng lưới (nơi có network.yml) hoặc dùng --root",
    )])


def load_network(path: Path) -> Network:
    """Load and validate ``network.yml``; raise TrangtinError listing every problem."""
    display = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrangtinError([error(display, None, f"không đọc được tệp ({exc})",
                                   "lưu tệp bằng bảng mã UTF-8")]) from None
    if control := _control_character_errors(text, display):
        raise TrangtinError(control)
    try:
        located = yamlsource.load(text, max_bytes=NETWORK_MAX_BYTES)
    except yamlsource.YamlProblem as problem:
        raise TrangtinError([error(display, problem.line, problem.message,
                                   problem.hint or "sửa cú pháp YAML ở dòng này")]) from None
    network, problems = _NetworkReader(display, located, path).read()
    if problems:
        raise TrangtinError(problems)
    return network


def _control_character_errors(text: str, display: str) -> list[Diagnostic]:
    """Invisible control characters would reach every page and feed: the lines that hold them."""
    return [error(display, line, f"dòng này có ký tự điều khiển vô hình {', '.join(codes)}",
                  "thường do chép chữ từ Word hoặc PDF: xóa rồi gõ lại dòng này")
            for line, codes in list(control_characters_by_line(text).items())[:10]]


class _NetworkReader:
    def __init__(self, display: str, located: yamlsource.Located, path: Path):
        self.display, self.located, self.path = display, located, path
        self.problems: list[Diagnostic] = []

    def fail(self, path: tuple[str | int, ...], message: str, hint: str) -> None:
        self.problems.append(error(self.display, self.located.line(*path), message, hint))

    def read(self) -> tuple[Network, list[Diagnostic]]:
        data = self.located.data
        if not isinstance(data, dict) or not isinstance(data.get("units"), list):
            self.fail((), "thiếu danh sách đơn vị 'units'",
                      "network.yml cần khóa 'units:' với danh sách các đơn vị")
            data = {"units": []}
        units = self.read_units(data["units"])
        self.check_tree(units)
        declared = DeclarationReader(self.fail, self.located.line, set(UNIT_TYPES))
        sections, rules = declared.sections(data.get("sections")), declared.rules(data.get("disclosure"))
        network = Network(
            path=self.path,
            timezone=self.read_timezone(data.get("timezone", "Asia/Ho_Chi_Minh")),
            units=units,
            categories=_with_declared(self.read_categories(data.get("categories")), sections, rules),
            portal=data.get("portal"),
            school_year_start_month=int(data.get("school_year_start_month", 9)),
            raw=data,
            quotas=self.read_quotas(data.get("quotas") or {}),
            semesters=self.read_semesters(data.get("semesters")),
            embeds=self.read_embeds(data.get("embeds", DEFAULT_EMBEDS)),
            report_day=self.read_report_day(data.get("report_day")),
            sections=sections, disclosure=rules,
        )
        network.home_categories = self.read_home_categories(data.get("home_categories"),
                                                            network.categories)
        if network.portal is not None and network.portal not in units:
            self.fail(("portal",), f"đơn vị cổng '{network.portal}' không có trong 'units'",
                      "ghi 'portal:' bằng id của một đơn vị trong danh sách")
        return network, self.problems

    def read_timezone(self, name: object) -> ZoneInfo:
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(("timezone",), f"múi giờ '{name}' không tồn tại",
                      "dùng timezone: Asia/Ho_Chi_Minh")
            return ZoneInfo("Asia/Ho_Chi_Minh")

    def read_quota(self, where: tuple[str | int, ...], value: object) -> Quota | None:
        quota = parse_quota(value)
        if quota is None:
            self.fail(where, f"chỉ tiêu '{value}' không đọc được",
                      "viết ví dụ '1 per month', '40/năm học' hoặc {per: month, count: 1}; "
                      "per là một trong: " + ", ".join(QUOTA_PERIODS))
        return quota

    def read_quotas(self, value: object) -> dict[str, Quota]:
        if not isinstance(value, dict):
            self.fail(("quotas",), "'quotas' phải là một nhóm khóa theo loại đơn vị",
                      "ví dụ: quotas: {to: 1 per month, truong: 40 per school year}")
            return {}
        quotas = {}
        for kind, raw in value.items():
            if kind not in UNIT_TYPES:
                self.fail(("quotas", kind), f"loại đơn vị '{kind}' không hợp lệ",
                          "chọn một trong: " + " | ".join(UNIT_TYPES))
            elif (quota := self.read_quota(("quotas", kind), raw)) is not None:
                quotas[str(kind)] = quota
        return quotas

    def read_semesters(self, value: object) -> tuple[Semester, ...]:
        if value is None:
            return DEFAULT_SEMESTERS
        found = []
        for index, entry in enumerate(value if isinstance(value, list) else [None]):
            entry = entry if isinstance(entry, dict) else {}
            start, end = _month_day(entry.get("from")), _month_day(entry.get("to"))
            if start is None or end is None:
                self.fail(("semesters", index), "học kỳ cần 'from' và 'to' dạng tháng-ngày",
                          'ví dụ: - {name: Học kỳ I, from: "09-05", to: "01-17"}')
                continue
            found.append(Semester(str(entry.get("name") or f"Học kỳ {index + 1}"), start, end))
        return tuple(found) or DEFAULT_SEMESTERS

    def read_report_day(self, value: object) -> int | None:
        """``report_day: 20``: reports are due before the 20th of every month (1 to 28, so
        that every month has that day)."""
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 28:
            return value
        self.fail(("report_day",), f"ngày báo cáo '{value}' không hợp lệ",
                  "ghi một số từ 1 đến 28, ví dụ: report_day: 20 (báo cáo trước ngày 20 hằng tháng)")
        return None

    def read_embeds(self, value: object) -> tuple[str, ...]:
        """``embeds:``: host names (``www.youtube.com``) or host/path (``www.google.com/maps``)."""
        if not isinstance(value, list | tuple):
            self.fail(("embeds",), "'embeds' phải là danh sách tên máy chủ được nhúng <iframe>",
                      "mỗi dòng một tên, ví dụ: embeds: [www.youtube.com, www.google.com/maps]")
            return DEFAULT_EMBEDS
        found = []
        for index, entry in enumerate(value):
            if isinstance(entry, str) and _EMBED.match(entry.strip().lower()):
                found.append(entry.strip().lower())
            else:
                self.fail(("embeds", index), f"'{entry}' không phải tên máy chủ để nhúng",
                          "chỉ ghi tên máy chủ, có thể kèm đường dẫn, không ghi 'https://', "
                          "ví dụ: www.youtube.com hoặc www.google.com/maps")
        return tuple(found)

    def read_home_categories(self, value: object, categories: list[str]) -> dict[str, tuple[str, ...]]:
        """``home_categories: {truong: [Hoạt động chuyên môn, …]}``: the blocks of a home page."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(("home_categories",), "'home_categories' phải là một nhóm theo loại đơn vị",
                      "ví dụ: home_categories: {truong: [Hoạt động chuyên môn, Văn hóa – Thể thao]}")
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for kind, names in value.items():
            if kind not in UNIT_TYPES:
                self.fail(("home_categories", kind), f"loại đơn vị '{kind}' không hợp lệ",
                          "chọn một trong: " + " | ".join(UNIT_TYPES))
            elif not isinstance(names, list):
                self.fail(("home_categories", kind), f"chuyên mục trang chủ của '{kind}' phải là danh sách",
                          f"ví dụ: {kind}: [Hoạt động chuyên môn, Văn hóa – Thể thao]")
            else:
                found[kind] = self.known_categories(("home_categories", kind), names, categories)
        return found

    def known_categories(self, where: tuple[str | int, ...], names: list[Any],
                         categories: list[str]) -> tuple[str, ...]:
        known = []
        for index, name in enumerate(names):
            if name in categories:
                known.append(name)
            else:
                self.fail((*where, index), f"chuyên mục '{name}' không có trong danh sách chuyên mục",
                          "chọn một trong: " + ", ".join(categories))
        return tuple(known)

    def read_categories(self, value: object) -> list[str]:
        if value is None:
            return list(DEFAULT_CATEGORIES)
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            self.fail(("categories",), "'categories' phải là danh sách tên chuyên mục",
                      "mỗi dòng một chuyên mục, bắt đầu bằng '- '")
            return list(DEFAULT_CATEGORIES)
        return value

    def read_units(self, entries: list[Any]) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for index, entry in enumerate(entries):
            unit = self.read_unit(index, entry)
            if unit is None:
                continue
            if unit.id in units:
                self.fail(("units", index, "id"), f"id '{unit.id}' bị trùng",
                          f"đã có đơn vị '{unit.id}' ở dòng {units[unit.id].line}; đặt id khác")
                continue
            units[unit.id] = unit
        return units

    def read_unit(self, index: int, entry: Any) -> Unit | None:
        where = ("units", index)
        if not isinstance(entry, dict):
            self.fail(where, "mỗi đơn vị phải là một nhóm khóa (id, name, type…)",
                      "bắt đầu đơn vị bằng '- id: ...'")
            return None
        for key in entry:
            if key not in UNIT_KEYS:
                self.fail((*where, key), f"khóa '{key}' không được hỗ trợ",
                          "các khóa hợp lệ: " + ", ".join(sorted(UNIT_KEYS)))
        unit_id, name, kind = entry.get("id"), entry.get("name"), entry.get("type")
        if not isinstance(unit_id, str) or not _ID.match(unit_id):
            self.fail((*where, "id"), f"id '{unit_id}' không hợp lệ",
                      "id chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ: thcs-an-binh")
            return None
        if is_windows_device(unit_id):  # the id names the unit's folders
            self.fail((*where, "id"), f"id '{unit_id}' là tên thiết bị dành riêng của Windows",
                      f"đặt id khác, ví dụ: {unit_id}-1")
            return None
        if not isinstance(name, str) or not name.strip():
            self.fail((*where, "name"), f"đơn vị '{unit_id}' thiếu tên",
                      "thêm 'name: Trường ...'")
        if kind not in UNIT_TYPES:
            self.fail((*where, "type"), f"loại đơn vị '{kind}' không hợp lệ",
                      "chọn một trong: " + " | ".join(UNIT_TYPES))
        self.check_web_address((*where, "site_url"), entry.get("site_url"))
        return Unit(
            id=unit_id, name=str(name or unit_id), type=str(kind),
            parent=entry.get("parent"), feed=entry.get("feed"),
            short_name=str(entry.get("short_name", "")), site_url=str(entry.get("site_url", "")),
            identity=self.read_identity(where, entry.get("identity") or {}),
            requires_approval=bool(entry.get("requires_approval", False)),
            quota=(self.read_quota((*where, "quota"), entry["quota"])
                   if entry.get("quota") is not None else None),
            line=self.located.line(*where),
            cms=self.read_cms((*where, "cms"), entry["cms"]) if entry.get("cms") is not None else None,
        )

    def read_cms(self, where: tuple[str | int, ...], data: object) -> CmsBackend | None:
        """``cms: {provider: github, repo: so-gddt/trang-tin, branch: main}``."""
        if not isinstance(data, dict):
            self.fail(where, "'cms' phải là một nhóm khóa",
                      "ví dụ: cms: {provider: github, repo: ten-to-chuc/ten-kho, branch: main}")
            return None
        for key in data:
            if key not in CMS_KEYS:
                self.fail((*where, key), f"khóa '{key}' của cms không được hỗ trợ",
                          "các khóa hợp lệ: " + ", ".join(sorted(CMS_KEYS)))
        provider, repo, branch = data.get("provider"), data.get("repo"), data.get("branch", "main")
        api_root = data.get("api_root") or ""
        problems = len(self.problems)
        if provider not in CMS_PROVIDERS:
            self.fail((*where, "provider") if "provider" in data else where,
                      f"nơi lưu bài '{provider}' không được hỗ trợ",
                      "ghi provider là một trong: " + " | ".join(CMS_PROVIDERS))
        elif provider != "test" and not (isinstance(repo, str) and _REPO.match(repo)):
            self.fail((*where, "repo") if "repo" in data else where, f"kho '{repo}' không hợp lệ",
                      "ghi repo dạng chủ-sở-hữu/tên-kho, ví dụ: repo: phong-gd-an-binh/trang-tin")
        if not isinstance(branch, str) or not branch.strip() or any(c.isspace() for c in branch):
            self.fail((*where, "branch"), f"nhánh '{branch}' không hợp lệ", "ví dụ: branch: main")
        if api_root and link_scheme(str(api_root)) != "https":
            self.fail((*where, "api_root"), f"'{api_root}' không phải địa chỉ https",
                      "ví dụ: api_root: https://git.truong.edu.vn/api/v1")
        if len(self.problems) > problems:
            return None
        return CmsBackend(str(provider), str(repo or ""), str(branch), str(api_root))

    def read_identity(self, where: tuple[str | int, ...], data: Any) -> Identity:
        if not isinstance(data, dict):
            self.fail((*where, "identity"), "'identity' phải là một nhóm khóa",
                      "ví dụ: identity: {address: ..., phone: ...}")
            return Identity()
        for key in data:
            if key not in IDENTITY_KEYS:
                self.fail((*where, "identity", key), f"khóa '{key}' không được hỗ trợ",
                          "các khóa hợp lệ: " + ", ".join(sorted(IDENTITY_KEYS)))
        leaders = data.get("leaders") or []
        self.check_web_address((*where, "identity", "website"), data.get("website"))
        return Identity(
            agency=str(data.get("agency", "")), address=str(data.get("address", "")),
            phone=str(data.get("phone", "")), email=str(data.get("email", "")),
            website=str(data.get("website", "")), license=str(data.get("license", "")),
            responsible=_person(data["responsible"]) if data.get("responsible") else None,
            leaders=tuple(_person(p) for p in leaders if isinstance(p, dict)),
            place=str(data.get("place", "")),
            preparer=_person(data["preparer"]) if isinstance(data.get("preparer"), dict) else None,
            logo=self.read_image_path((*where, "identity", "logo"), data.get("logo")),
            banner=self.read_image_path((*where, "identity", "banner"), data.get("banner")),
            color=self.read_color((*where, "identity", "color"), data.get("color")),
        )

    def read_image_path(self, where: tuple[str | int, ...], value: object) -> str:
        """``logo:``/``banner:``: a relative path inside the unit's content folder."""
        if value is None or value == "":
            return ""
        path = str(value).replace("\\", "/")
        if path.startswith("/") or ":" in path or ".." in path.split("/"):
            self.fail(where, f"'{value}' không phải đường dẫn tệp trong thư mục nội dung của đơn vị",
                      "ghi đường dẫn tương đối từ content/<đơn vị>/, ví dụ: logo: anh/logo.png")
            return ""
        return path

    def read_color(self, where: tuple[str | int, ...], value: object) -> str:
        """``color: "#0b5394"``: white text on it must reach WCAG AA (4.5:1)."""
        if value is None or value == "":
            return ""
        if not isinstance(value, str) or not _HEX_COLOR.match(value.strip()):
            self.fail(where, f"màu '{value}' không hợp lệ",
                      'ghi mã màu dạng "#rrggbb" trong dấu ngoặc kép, ví dụ: color: "#0b5394"')
            return ""
        color = value.strip().lower()
        ratio = contrast_with_white(color)
        if ratio < MIN_CONTRAST:
            self.fail(where, f"màu '{color}' quá sáng: chữ trắng trên nền màu này chỉ đạt độ tương phản "
                      f"{ratio:.1f}:1, dưới mức 4.5:1 của WCAG AA nên khó đọc",
                      f'chọn màu đậm hơn, ví dụ: color: "{darkened(color)}"')
            return ""
        return color

    def check_web_address(self, where: tuple[str | int, ...], value: object) -> None:
        """``site_url`` and ``website`` are shown as links: only http(s) addresses."""
        if value and link_scheme(str(value)) not in {"http", "https"}:
            self.fail(where, f"'{value}' không phải là địa chỉ trang web",
                      "viết địa chỉ đầy đủ, ví dụ: https://thcs-anbinh.example.edu.vn/")

    def check_tree(self, units: dict[str, Unit]) -> None:
        index_of = {u["id"]: i for i, u in enumerate(self.located.data.get("units", []))
                    if isinstance(u, dict) and isinstance(u.get("id"), str)}
        for unit in units.values():
            if unit.parent is not None and unit.parent not in units:
                self.fail(("units", index_of.get(unit.id, 0), "parent"),
                          f"đơn vị '{unit.id}' có parent '{unit.parent}' không tồn tại",
                          "sửa parent thành id của một đơn vị đã khai báo")
        for unit in units.values():
            if _in_cycle(unit.id, units):
                self.fail(("units", index_of.get(unit.id, 0), "parent"),
                          f"đơn vị '{unit.id}' nằm trong vòng lặp cấp trên",
                          "một đơn vị không thể là cấp trên của chính nó; sửa các khóa parent")


def _with_declared(categories: list[str], sections: tuple[DeclaredSection, ...],
                   rules: tuple[DisclosureRule, ...]) -> list[str]:
    """The categories a declared section lists or a disclosure rule counts are categories too."""
    known = {fold(c) for c in categories}
    added = []
    for name in [c for s in sections for c in s.categories] + [c for r in rules for c in r.categories]:
        if fold(name) not in known:
            known.add(fold(name))
            added.append(name)
    return categories + added


def contrast_with_white(color: str) -> float:
    """WCAG 2.1 contrast ratio of white text on ``#rrggbb``."""
    return 1.05 / (_luminance(color) + 0.05)


def darkened(color: str) -> str:
    """The nearest darker shade of ``color`` that white text reads on (WCAG AA)."""
    channels = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(100, -1, -1):
        shade = "#" + "".join(f"{round(c * step / 100):02x}" for c in channels)
        if contrast_with_white(shade) >= MIN_CONTRAST:
            return shade
    return "#000000"


def _luminance(color: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _person(data: dict[str, Any]) -> Person:
    return Person(name=str(data.get("name", "")), title=str(data.get("title", "")),
                  phone=str(data.get("phone", "")), email=str(data.get("email", "")))


def _in_cycle(start: str, units: dict[str, Unit]) -> bool:
    seen, current = set(), units[start].parent
    while current is not None and current in units:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = units[current].parent
    return False
