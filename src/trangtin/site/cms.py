"""The browser editor of a school: ``admin/`` running the vendored Sveltia CMS.

``admin/config.yml`` is generated from ``network.yml`` at build time: one collection for
the school's posts writing exactly the front matter ``content/posts`` reads (tổ and
categories as selects of the school's tổ and the network's categories), the Văn bản and
Công khai registers and the section pages. The CMS code is vendored in
``shared_theme/vendor/sveltia-cms/`` (``scripts/vendor_cms.py`` refreshes it from the npm
registry) and patched by :func:`patch_bundle` so that the page asks no other host for
anything. Only ``admin/`` loads it: readers' pages never do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup

from trangtin.content.posts import POSTS_DIR
from trangtin.network.model import Network, Unit
from trangtin.network.sections import sections_for

CMS_PACKAGE = "@sveltia/cms"
CMS_VERSION = "0.221.1"
VENDOR_PARTS = ("shared_theme", "vendor", "sveltia-cms")
VENDOR_DIR = Path(__file__).resolve().parents[3].joinpath(*VENDOR_PARTS)  # in a source checkout
VENDOR_MANIFEST = "VENDOR.json"
ADMIN_DIR = "admin"
DATE_FORMAT = "YYYY-MM-DD HH:mm"  # the local time posts write ("2025-09-05 07:30"), no zone


@dataclass(frozen=True)
class Substitution:
    """One documented rewrite of the bundle; ``count`` matches are required, or vendoring stops."""

    why: str
    pattern: str
    replacement: str
    count: int


# Paths are relative: fetches and CSS resolve against admin/, imports against the script,
# which sits in admin/ too. Files not vendored answer 404: that feature is switched off.
SUBSTITUTIONS = (
    Substitution("translations, package.json (version check), lazily imported helpers",
                 r"https://unpkg\.com/", "./npm/", 4),
    Substitution("fonts of the interface (Source Sans 3, Noto Mono, Material Symbols)",
                 r"https://cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(?::vf)?@[0-9.]+/([a-z0-9-]+)\.woff2",
                 r"./fonts/\1-\2.woff2", 3),
    Substitution("GitHub's status page, asked when signed in with GitHub: unknown instead",
                 r"https://www\.githubstatus\.com/api/v2/status\.json", "./status/github.json", 1),
    Substitution("GitLab's status page, asked when signed in with GitLab: unknown instead",
                 r"https://status-api\.hostedstatus\.com/1\.0/status/[0-9a-f]+", "./status/gitlab.json", 1),
    Substitution("source map not vendored", r"\n//# sourceMappingURL=[^\n]*\s*$", "\n", 1),
)
# Hosts the patched bundle may still name, but only for what a school configures itself
# (its backend's API, an image service with its own key): never at load time.
FOREIGN_AT_LOAD = ("unpkg.com", "cdn.jsdelivr.net", "githubstatus.com/api", "hostedstatus.com")


class BundleChanged(Exception):
    """The bundle does not look like the one the substitutions were written for."""


def patch_bundle(bundle: str) -> str:
    for substitution in SUBSTITUTIONS:
        bundle, found = re.subn(substitution.pattern, substitution.replacement, bundle)
        if found != substitution.count:
            raise BundleChanged(f"{substitution.why}: {found} matches of {substitution.pattern!r}, "
                                f"expected {substitution.count}")
    left = [host for host in FOREIGN_AT_LOAD if host in bundle]
    if left:
        raise BundleChanged(f"the bundle still names {', '.join(left)}")
    return bundle


@dataclass(frozen=True)
class FontFile:
    """A font the bundle's CSS names on the fontsource CDN, and its npm package."""

    name: str
    variable: bool
    version: str
    file: str  # in the package's files/ folder

    @property
    def package(self) -> str:
        return f"@fontsource-variable/{self.name}" if self.variable else f"@fontsource/{self.name}"

    @property
    def local_path(self) -> str:
        return f"fonts/{self.file}"


def font_packages(bundle: str) -> list[FontFile]:
    """Fonts of the original bundle (before :func:`patch_bundle`)."""
    found = re.finditer(r"https://cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(:vf)?@([0-9.]+)/"
                        r"([a-z0-9-]+)\.woff2", bundle)
    return [FontFile(m[1], bool(m[2]), m[3], f"{m[1]}-{m[4]}.woff2") for m in found]


def vendor_dir(network: Network) -> Path:
    """The vendored CMS of this network (sites share ``shared_theme``)."""
    return network.root.joinpath(*VENDOR_PARTS)


def is_available(network: Network) -> bool:
    return (vendor_dir(network) / "sveltia-cms.js").is_file()


def vendored_files(network: Network) -> Iterator[tuple[str, Path]]:
    """(path under admin/, file) for every file of the vendored CMS."""
    root = vendor_dir(network)
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != VENDOR_MANIFEST:
            yield f"{ADMIN_DIR}/{path.relative_to(root).as_posix()}", path


def has_editor(unit: Unit) -> bool:
    """Schools get the editor; portals (built from aggregation) and tổ (no site) do not."""
    return unit.type == "truong"


# --- config.yml ---------------------------------------------------------------------------


def config(network: Network, unit: Unit) -> dict[str, object]:
    """Sveltia CMS's configuration for the school (Decap's format)."""
    content = _repository_path(network, unit)
    settings: dict[str, object] = {
        "backend": backend(network, unit),
        "site_url": unit.site_url or None,
        "display_url": unit.site_url or None,
        "media_folder": f"{content}/files",
        "public_folder": "files",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "output": {"omit_empty_optional_fields": True},  # no "cover: ''" for check to refuse
        "collections": [
            posts_collection(network, unit, content),
            registers_collection(content),
            pages_collection(network, unit, content),
        ],
    }
    if unit.requires_approval and unit.cms is not None and unit.cms.provider in ("github", "gitlab"):
        settings["publish_mode"] = "editorial_workflow"
    return {key: value for key, value in settings.items() if value is not None}


def backend(network: Network, unit: Unit) -> dict[str, object]:
    """The unit's ``cms:`` of network.yml; without one, a local folder (Chromium-based
    browsers open the network's folder on the teacher's computer, on http://127.0.0.1)."""
    cms = unit.cms
    if cms is None:
        # The repository's name is what the CMS asks the teacher to open: the network's folder.
        return {"name": "github", "repo": f"may-tinh/{network.root.name}", "branch": "main"}
    if cms.provider == "test":
        return {"name": "test-repo"}
    found: dict[str, object] = {"name": cms.provider, "repo": cms.repo, "branch": cms.branch}
    if cms.api_root:
        found["api_root"] = cms.api_root
        if cms.provider == "gitea":
            found["base_url"] = cms.api_root.split("/api/")[0]
    return found


def _repository_path(network: Network, unit: Unit) -> str:
    """The unit's content folder from the repository root (the folder of network.yml)."""
    return network.content_dir(unit.id).relative_to(network.root).as_posix()


def posts_collection(network: Network, unit: Unit, content: str) -> dict[str, object]:
    teams = [team.name for team in network.teams(unit.id)]
    approval_hint = ("Ban Giám hiệu ghi họ tên khi duyệt; bài chưa có người duyệt chưa được đăng"
                     if unit.requires_approval else "Chỉ cần khi trường yêu cầu duyệt bài")
    fields: list[dict[str, object]] = [
        {"name": "title", "label": "Tiêu đề", "widget": "string"},
        {"name": "date", "label": "Ngày đăng (giờ Việt Nam)", "widget": "datetime",
         "format": DATE_FORMAT, "date_format": "DD/MM/YYYY", "time_format": "HH:mm",
         "picker_utc": False},
        {"name": "authors", "label": "Tác giả", "widget": "list", "field":
         {"name": "author", "label": "Họ tên", "widget": "string"}},
        {"name": "to", "label": "Tổ chuyên môn", "widget": "select", "options": teams,
         "required": False},
        {"name": "categories", "label": "Chuyên mục", "widget": "select", "multiple": True,
         "options": list(network.categories), "min": 1},
        {"name": "tags", "label": "Từ khóa", "widget": "list", "required": False},
        {"name": "description", "label": "Tóm tắt", "widget": "text", "required": False},
        {"name": "cover", "label": "Ảnh đại diện", "widget": "image", "required": False},
        {"name": "highlight", "label": "Nổi bật (gợi ý đăng lại trên cổng của xã/phòng)",
         "widget": "boolean", "default": False, "required": False},
        {"name": "draft", "label": "Bản nháp (chưa đăng)", "widget": "boolean", "default": True,
         "required": False},
        {"name": "approved_by", "label": "Người duyệt", "widget": "string", "required": False,
         "hint": approval_hint},
        {"name": "body", "label": "Nội dung", "widget": "markdown"},
    ]
    if not teams:
        fields = [f for f in fields if f["name"] != "to"]
    return {
        "name": "posts", "label": "Bài viết", "label_singular": "bài viết",
        "folder": f"{content}/{POSTS_DIR}", "path": "{{year}}/{{month}}/{{slug}}",
        "create": True, "format": "frontmatter", "extension": "md",
        "slug": "{{slug}}", "summary": "{{title}} – {{date}}",
        # Photos beside the post, linked by their name: the CMS takes the entry's path
        # (…/mm/<slug>) as its folder, so the post file's own folder is "..".
        "media_folder": "..", "public_folder": "",
        "sortable_fields": ["date", "title"], "fields": fields,
    }


def _register_file(content: str, section: str, title: str, key: str, entry: list[dict[str, object]],
                   ) -> dict[str, object]:
    return {
        "name": section, "label": title, "file": f"{content}/{section}/index.md",
        "media_folder": "files", "public_folder": "files",
        "fields": [
            {"name": "title", "label": "Tiêu đề trang", "widget": "string", "required": False},
            {"name": key, "label": title, "widget": "list", "required": False, "fields": entry},
            {"name": "body", "label": "Nội dung", "widget": "markdown", "required": False},
        ],
    }


def registers_collection(content: str) -> dict[str, object]:
    document_file: dict[str, object] = {"name": "tep", "label": "Tệp đính kèm", "widget": "file", "required": False}
    day: dict[str, object] = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY",
           "time_format": False}
    documents: list[dict[str, object]] = [
        {"name": "so_ky_hieu", "label": "Số, ký hiệu", "widget": "string"},
        {"name": "ngay_ban_hanh", "label": "Ngày ban hành", **day},
        {"name": "co_quan_ban_hanh", "label": "Cơ quan ban hành", "widget": "string"},
        {"name": "trich_yeu", "label": "Trích yếu", "widget": "text"},
        document_file,
    ]
    disclosures: list[dict[str, object]] = [
        {"name": "nam_hoc", "label": "Năm học", "widget": "string", "pattern":
         ["^\\d{4}[-–]\\d{4}$", "Năm học viết dạng 2025-2026"]},
        {"name": "noi_dung", "label": "Nội dung công khai", "widget": "text"},
        {"name": "ngay", "label": "Ngày công khai", **day},
        document_file,
    ]
    return {
        "name": "registers", "label": "Văn bản và Công khai", "format": "frontmatter",
        "files": [
            _register_file(content, "van-ban", "Văn bản", "documents", documents),
            _register_file(content, "cong-khai", "Công khai", "disclosures", disclosures),
        ],
    }


def pages_collection(network: Network, unit: Unit, content: str) -> dict[str, object]:
    """The section pages an author writes (not the generated listings and registers)."""
    written = [s for s in sections_for(unit, network)
               if not s.listing and s.src_uri not in ("van-ban/index.md", "cong-khai/index.md")]
    return {
        "name": "pages", "label": "Các trang", "format": "frontmatter",
        "files": [{
            "name": section.key.replace(":", "-"), "label": section.title,
            "file": f"{content}/{section.src_uri}",
            "media_folder": "", "public_folder": "",
            "fields": [
                {"name": "title", "label": "Tiêu đề", "widget": "string", "required": False},
                {"name": "body", "label": "Nội dung", "widget": "markdown", "required": False},
            ],
        } for section in written],
    }


def config_yaml(network: Network, unit: Unit) -> str:
    header = (f"# Trình soạn thảo của {unit.name}: tạo tự động từ network.yml khi build.\n"
              "# Sửa network.yml (khóa cms: của đơn vị), không sửa tệp này.\n")
    return header + yaml.safe_dump(config(network, unit), allow_unicode=True, sort_keys=False, width=100)


# --- admin/index.html ---------------------------------------------------------------------

# The interface in Vietnamese unless the editor chose another language (its strings are vendored).
LOCALE_SCRIPT = """
  try {
    if (!localStorage.getItem("sveltia-cms.prefs")) {
      localStorage.setItem("sveltia-cms.prefs", JSON.stringify({ locale: "vi" }));
    }
  } catch (error) {}
"""
CMS_SCRIPT = "sveltia-cms.js"

_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>Viết bài – {name}</title>
<script>{locale_script}</script>
</head>
<body>
<noscript>Trang viết bài cần JavaScript. Hãy bật JavaScript hoặc dùng Chrome, Edge.</noscript>
<script src="{cms_script}"></script>
</body>
</html>
"""


def admin_page(unit: Unit) -> str:
    return _PAGE.format(name=Markup.escape(unit.name), locale_script=LOCALE_SCRIPT, cms_script=CMS_SCRIPT)
