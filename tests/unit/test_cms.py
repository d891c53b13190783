"""The browser editor: its configuration from network.yml, the ``cms:`` key, the vendored bundle."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from trangtin.common.diagnostics import TrangtinError
from trangtin.content.posts import POST_KEYS
from trangtin.network.model import load_network
from trangtin.site import cms

REPO = Path(__file__).resolve().parents[2]
SCHOOL = "thcs-an-binh"
FRONT_MATTER = ["title", "date", "authors", "to", "categories", "tags", "description", "cover",
                "highlight", "draft", "approved_by"]


def vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_cms", REPO / "scripts" / "vendor_cms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def network_with(tmp_path: Path, unit_lines: str):
    path = tmp_path / "network.yml"
    path.write_text("units:\n  - id: xa\n    name: Xã\n    type: xa\n"
                    "  - id: truong-a\n    name: Trường A\n    type: truong\n    parent: xa\n"
                    f"{unit_lines}", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(TrangtinError) as caught:
        load_network(path)
    return [d.render() for d in caught.value.diagnostics]


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def field(collection: dict, name: str) -> dict:
    return next(f for f in collection["fields"] if f["name"] == name)


def test_posts_collection_writes_exactly_our_front_matter():
    network = load_network(REPO / "network.yml")
    config = yaml.safe_load(cms.config_yaml(network, network.units[SCHOOL]))
    posts = collection(config, "posts")
    names = [f["name"] for f in posts["fields"]]
    assert names == [*FRONT_MATTER, "body"]
    assert set(FRONT_MATTER) <= POST_KEYS
    assert field(posts, "to")["options"] == [t.name for t in network.teams(SCHOOL)]
    assert field(posts, "categories")["options"] == network.categories
    assert field(posts, "categories")["multiple"] is True
    assert field(posts, "date")["format"] == "YYYY-MM-DD HH:mm"  # local time, as posts write it
    assert field(posts, "draft")["default"] is True
    assert posts["folder"] == f"content/{SCHOOL}/posts"
    assert posts["path"] == "{{year}}/{{month}}/{{slug}}"
    assert (posts["media_folder"], posts["public_folder"]) == ("..", "")  # photos beside the post
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def test_registers_and_section_pages_are_collections():
    network = load_network(REPO / "network.yml")
    config = cms.config(network, network.units[SCHOOL])
    registers = {f["name"]: f for f in collection(config, "registers")["files"]}
    assert registers["van-ban"]["file"] == f"content/{SCHOOL}/van-ban/index.md"
    documents = [f["name"] for f in field(registers["van-ban"], "documents")["fields"]]
    assert documents == ["so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "trich_yeu", "tep"]
    disclosures = [f["name"] for f in field(registers["cong-khai"], "disclosures")["fields"]]
    assert disclosures == ["nam_hoc", "noi_dung", "ngay", "tep"]
    pages = {f["file"] for f in collection(config, "pages")["files"]}
    assert f"content/{SCHOOL}/gioi-thieu/index.md" in pages
    assert f"content/{SCHOOL}/tuyen-sinh/index.md" in pages
    assert not any("van-ban" in p or "tin-tuc" in p for p in pages)


def test_without_cms_key_the_local_folder_mode_is_configured():
    network = load_network(REPO / "network.yml")
    config = cms.config(network, network.units[SCHOOL])
    assert config["backend"] == {"name": "github", "repo": f"may-tinh/{REPO.name}", "branch": "main"}
    assert "publish_mode" not in config


def test_cms_key_sets_the_backend_and_approval_uses_the_editorial_workflow(tmp_path):
    path = network_with(tmp_path, "    requires_approval: true\n"
                                  "    cms: {provider: gitea, repo: phong-gd/trang-tin, branch: xuat-ban,"
                                  " api_root: https://git.phong.edu.vn/api/v1}\n"
                                  "  - id: truong-b\n    name: Trường B\n    type: truong\n    parent: xa\n"
                                  "    requires_approval: true\n"
                                  "    cms: {provider: github, repo: phong-gd/trang-tin}\n")
    network = load_network(path)
    gitea = cms.config(network, network.units["truong-a"])
    assert gitea["backend"] == {"name": "gitea", "repo": "phong-gd/trang-tin", "branch": "xuat-ban",
                                "api_root": "https://git.phong.edu.vn/api/v1",
                                "base_url": "https://git.phong.edu.vn"}
    assert "publish_mode" not in gitea  # the CMS has no editorial workflow on Gitea: draft/approved_by
    github = cms.config(network, network.units["truong-b"])
    assert github["backend"] == {"name": "github", "repo": "phong-gd/trang-tin", "branch": "main"}
    assert github["publish_mode"] == "editorial_workflow"


def test_cms_key_mistakes_name_the_line(tmp_path):
    path = network_with(tmp_path, "    cms:\n      provider: bitbucket\n      repo: a/b\n"
                                  "  - id: truong-b\n    name: Trường B\n    type: truong\n    parent: xa\n"
                                  "    cms: {provider: github, repo: khong-co-chu}\n"
                                  "  - id: truong-c\n    name: Trường C\n    type: truong\n    parent: xa\n"
                                  "    cms: {provider: gitlab, repo: a/b, nhanh: main}\n")
    assert problems(path) == [
        "network.yml:10: lỗi: nơi lưu bài 'bitbucket' không được hỗ trợ — "
        "ghi provider là một trong: github | gitlab | gitea | test",
        "network.yml:16: lỗi: kho 'khong-co-chu' không hợp lệ — "
        "ghi repo dạng chủ-sở-hữu/tên-kho, ví dụ: repo: phong-gd-an-binh/trang-tin",
        "network.yml:21: lỗi: khóa 'nhanh' của cms không được hỗ trợ — "
        "các khóa hợp lệ: api_root, branch, provider, repo",
    ]


def test_admin_page_escapes_the_unit_name_and_loads_only_the_cms():
    network = load_network(REPO / "network.yml")
    unit = network.units[SCHOOL]
    page = cms.admin_page(type(unit)(**{**unit.__dict__, "name": "Trường <b>A</b> & B"}))
    assert "<title>Viết bài – Trường &lt;b&gt;A&lt;/b&gt; &amp; B</title>" in page
    assert page.count("<script src=") == 1 and '<script src="sveltia-cms.js">' in page
    assert 'name="robots" content="noindex, nofollow"' in page


def test_vendored_bundle_names_no_host_it_would_load_from():
    bundle = (cms.VENDOR_DIR / "sveltia-cms.js").read_text(encoding="utf-8")
    for host in cms.FOREIGN_AT_LOAD:
        assert host not in bundle, host
    assert "./fonts/material-symbols-outlined-latin-wght-normal.woff2" in bundle
    assert f"./npm/{cms.CMS_PACKAGE}`" in bundle  # translations and version check from admin/npm/
    assert "sourceMappingURL" not in bundle


def test_patch_bundle_rewrites_each_documented_url_and_refuses_a_changed_bundle():
    original = ("a=`https://unpkg.com/@shikijs`,b=`https://unpkg.com/@sveltia/ui`,"
                "c=`https://unpkg.com/@sveltia/cms`,d=e=>`https://unpkg.com/${e}`,"
                "f='url(https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2)"
                " url(https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2)"
                " url(https://cdn.jsdelivr.net/fontsource/fonts/x:vf@1.0/latin-wght-normal.woff2)',"
                "g=`https://www.githubstatus.com/api/v2/status.json`,"
                "h=`https://status-api.hostedstatus.com/1.0/status/5b36dc6502d06804c08349f7`\n"
                "//# sourceMappingURL=sveltia-cms.js.map\n")
    patched = cms.patch_bundle(original)
    assert "c=`./npm/@sveltia/cms`" in patched and "d=e=>`./npm/${e}`" in patched
    assert "./fonts/source-sans-3-latin-wght-normal.woff2" in patched
    assert "./fonts/noto-mono-latin-400-normal.woff2" in patched
    assert "g=`./status/github.json`" in patched and "h=`./status/gitlab.json`" in patched
    assert [f.package for f in cms.font_packages(original)] == [
        "@fontsource-variable/source-sans-3", "@fontsource/noto-mono", "@fontsource-variable/x"]
    with pytest.raises(cms.BundleChanged):
        cms.patch_bundle(original.replace("`https://unpkg.com/@shikijs`", "`https://esm.sh/@shikijs`"))


def test_vendored_folder_matches_its_manifest_and_pinned_version():
    script = vendor_script()
    assert script.check(cms.VENDOR_DIR) == []
    manifest = yaml.safe_load((cms.VENDOR_DIR / cms.VENDOR_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == cms.CMS_VERSION
    assert manifest["license"] == "MIT"
    assert manifest["packages"][f"{cms.CMS_PACKAGE}@{cms.CMS_VERSION}"].startswith("sha512-")
    assert "MIT License" in (cms.VENDOR_DIR / "LICENSE.txt").read_text(encoding="utf-8")
