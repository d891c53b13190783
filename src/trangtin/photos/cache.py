"""The image cache: one folder per key with the variants and a manifest, safe to delete.

Keys are made by :mod:`trangtin.images` (source bytes + profile + pipeline version); this
module only stores and finds. An entry is written into a temporary folder and moved into
place in one rename, so parallel builds never see half an entry.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "TRANGTIN_CACHE_DIR"
DEFAULT_CACHE = Path(".cache") / "images"
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Variant:
    """One output file in the cache."""

    width: int
    height: int
    format: str
    path: Path

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def media_type(self) -> str:
        return f"image/{self.format}"


@dataclass(frozen=True)
class Processed:
    """The variants made from one source image, largest first within each format."""

    key: str
    variants: tuple[Variant, ...]

    def of_format(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width)

    @property
    def largest(self) -> Variant:
        """The largest JPEG: what a plain link to the photo shows."""
        return self.of_format("jpeg")[-1]


def cache_dir(network_root: Path, option: str | None = None) -> Path:
    """The cache folder: env ``TRANGTIN_CACHE_DIR``, else the option, else ``.cache/images``."""
    chosen = os.environ.get(CACHE_ENV) or option
    path = Path(chosen) if chosen else DEFAULT_CACHE
    return path if path.is_absolute() else network_root / path


class ImageCache:
    """A folder of ``<key>/manifest.json`` + variants; safe to delete at any time."""

    def __init__(self, root: Path):
        self.root = root

    def entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def load(self, key: str) -> Processed | None:
        folder = self.entry(key)
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            variants = tuple(Variant(int(v["width"]), int(v["height"]), str(v["format"]),
                                     folder / str(v["file"])) for v in manifest["variants"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not variants or not all(v.path.is_file() for v in variants):
            return None
        return Processed(key, variants)

    def store(self, key: str, encoded: list[tuple[int, int, str, bytes]]) -> Processed:
        """Write the variants into a temporary folder, then move it into place at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root))
        try:
            records = []
            for width, height, fmt, data in encoded:
                name = f"{width}.{EXTENSIONS[fmt]}"
                (staging / name).write_bytes(data)
                records.append({"width": width, "height": height, "format": fmt, "file": name})
            manifest = {"variants": records}
            (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            target = self.entry(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and self.load(key) is None:
                shutil.rmtree(target, ignore_errors=True)  # a damaged entry: made again
            try:
                staging.rename(target)
            except OSError:  # another worker or site stored the same key first
                if self.load(key) is None:
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        stored = self.load(key)
        assert stored is not None
        return stored


