"""Refresh the vendored browser editor (Sveltia CMS) from the npm registry.

    .venv/bin/python scripts/vendor_cms.py                 # the pinned version again
    .venv/bin/python scripts/vendor_cms.py --version 0.222.0
    .venv/bin/python scripts/vendor_cms.py --check         # offline: the folder is what VENDOR.json says

Every tarball is checked against the registry's integrity hash (``dist.integrity``, SHA-512)
before anything is unpacked. The bundle is then patched (``site/cms.py``'s ``patch_bundle``)
so that the admin page asks no other host for anything: fonts, translations, the version
check, the backends' status files and the lazily loaded helpers all come from the site's own
``admin/`` folder, or fail there (a feature switched off). ``VENDOR.json`` records the
version, the integrity of every tarball and the SHA-256 of every vendored file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import httpx

from trangtin.site.cms import (
    CMS_PACKAGE,
    CMS_VERSION,
    VENDOR_DIR,
    VENDOR_MANIFEST,
    font_packages,
    patch_bundle,
)

REGISTRY = "https://registry.npmjs.org"
# What the admin page uses of the CMS package, where it goes in the vendored folder.
CMS_FILES = {
    "dist/sveltia-cms.js": "sveltia-cms.js",
    "dist/chunks/react-dom.js": "chunks/react-dom.js",
    "LICENSE.txt": "LICENSE.txt",
    "package.json": f"npm/{CMS_PACKAGE}/package.json",  # the version check reads it: same version
    "locales/vi.json": "npm/{package}@{version}/locales/vi.json",
}
# Helpers the CMS imports lazily from a CDN; served from the site (the others stay off).
HELPERS = {
    "exifr": ("dist/lite.esm.mjs", "LICENSE"),  # reads a photo's date when one is uploaded
    "immutable": ("dist/immutable.es.js", "LICENSE"),  # Decap's preview API
}
# Files left off on purpose: the status of hosted backends is unknown rather than asked for.
STATUS_FILES = {"status/github.json": "{}\n", "status/gitlab.json": "{}\n"}


def package_metadata(client: httpx.Client, name: str, version: str) -> dict[str, str]:
    response = client.get(f"{REGISTRY}/{quote(name, safe='@')}/{version}")
    response.raise_for_status()
    dist = response.json()["dist"]
    return {"tarball": dist["tarball"], "integrity": dist["integrity"]}


def verified_tarball(client: httpx.Client, name: str, version: str) -> tuple[tarfile.TarFile, str]:
    """The package's tarball, refused unless its SHA-512 is the registry's integrity hash."""
    meta = package_metadata(client, name, version)
    algorithm, _, expected = meta["integrity"].partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"{name}@{version}: unexpected integrity algorithm {algorithm}")
    response = client.get(meta["tarball"])
    response.raise_for_status()
    actual = base64.b64encode(hashlib.sha512(response.content).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{name}@{version}: checksum mismatch (registry {expected}, got {actual})")
    return tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz"), meta["integrity"]


def member(archive: tarfile.TarFile, path: str) -> bytes:
    extracted = archive.extractfile(f"package/{path}")
    if extracted is None:
        raise SystemExit(f"{path} is not a file of the package")
    return extracted.read()


def helper_versions(bundle: str) -> dict[str, str]:
    """The helpers' versions, as the bundle names them in the dependencies it embeds."""
    dependencies = json.loads(embedded_dependencies(bundle))
    return {name: dependencies[name].lstrip("^~") for name in HELPERS}


def embedded_dependencies(bundle: str) -> str:
    """The ``dependencies`` object the bundle embeds (its own package.json), as JSON."""
    start = bundle.index("dependencies:{", bundle.index("name:`@sveltia/cms`")) + len("dependencies:")
    end = bundle.index("}", start) + 1
    body = bundle[start:end].replace("`", '"')
    return _quote_keys(body)


def _quote_keys(body: str) -> str:
    """``{exifr:"^7.1.3","@a/b":"1"}`` → valid JSON (bare keys quoted)."""
    return re.sub(r'([{,])([A-Za-z_$][\w$-]*):', r'\1"\2":', body)


def write(target: Path, relative: str, data: bytes, files: dict[str, str]) -> None:
    path = target / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    files[relative] = hashlib.sha256(data).hexdigest()


def refresh(version: str, target: Path) -> dict[str, object]:
    files: dict[str, str] = {}
    packages: dict[str, str] = {}
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        archive, packages[f"{CMS_PACKAGE}@{version}"] = verified_tarball(client, CMS_PACKAGE, version)
        original = member(archive, "dist/sveltia-cms.js").decode("utf-8")
        for source, relative in CMS_FILES.items():
            data = member(archive, source)
            if source == "dist/sveltia-cms.js":
                data = patch_bundle(original).encode("utf-8")
            write(staging, relative.format(package=CMS_PACKAGE, version=version), data, files)
        for font in font_packages(original):
            archive, packages[f"{font.package}@{font.version}"] = verified_tarball(
                client, font.package, font.version)
            write(staging, font.local_path, member(archive, f"files/{font.file}"), files)
            write(staging, f"fonts/LICENSE-{font.name}.txt", member(archive, "LICENSE"), files)
        for name, helper_version in helper_versions(original).items():
            archive, packages[f"{name}@{helper_version}"] = verified_tarball(client, name, helper_version)
            module, licence = HELPERS[name]
            write(staging, f"npm/{name}@{helper_version}/{module}", member(archive, module), files)
            write(staging, f"npm/{name}@{helper_version}/{licence}", member(archive, licence), files)
    for relative, content in STATUS_FILES.items():
        write(staging, relative, content.encode(), files)
    manifest = {"package": CMS_PACKAGE, "version": version, "license": "MIT",
                "packages": packages, "files": dict(sorted(files.items()))}
    (staging / VENDOR_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return manifest


def check(target: Path) -> list[str]:
    """Differences between the vendored folder and its manifest (empty when they agree)."""
    manifest = json.loads((target / VENDOR_MANIFEST).read_text(encoding="utf-8"))
    problems = []
    for relative, digest in manifest["files"].items():
        path = target / relative
        if not path.is_file():
            problems.append(f"missing: {relative}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"changed: {relative}")
    listed = set(manifest["files"]) | {VENDOR_MANIFEST}
    problems += [f"not listed: {p.relative_to(target).as_posix()}" for p in sorted(target.rglob("*"))
                 if p.is_file() and p.relative_to(target).as_posix() not in listed]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=CMS_VERSION, help=f"version of {CMS_PACKAGE} (default: pinned)")
    parser.add_argument("--check", action="store_true", help="verify the vendored folder offline")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(VENDOR_DIR)
        print("\n".join(problems) or f"{VENDOR_DIR.name}: every file matches {VENDOR_MANIFEST}")
        return 1 if problems else 0
    manifest = refresh(args.version, VENDOR_DIR)
    size = sum((VENDOR_DIR / p).stat().st_size for p in manifest["files"])  # type: ignore[union-attr]
    print(f"{CMS_PACKAGE}@{args.version}: {len(manifest['files'])} files, {size / 1024:.0f} KiB")  # type: ignore[arg-type]
    if args.version != CMS_VERSION:
        print(f"update CMS_VERSION in src/trangtin/site/cms.py to {args.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
