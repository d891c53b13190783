"""Photos for the web: rotated upright, resized, re-encoded without any metadata, cached.

Pure functions over paths and bytes (no MkDocs). Teachers upload phone photos of children:
the GPS location, camera serial and embedded thumbnails must never reach the public site
(Nghị định 13/2023/NĐ-CP on personal data), so every published variant is re-encoded from
pixels only. Originals are read, never written.

Processed images are cached by content: the key is the hash of the source bytes plus
everything that shapes the output (widths, formats, quality, crop, ``PIPELINE_VERSION``),
so an unchanged photo costs a hash on the next build and a changed one is made afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import threading
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from trangtin.common.diagnostics import Diagnostic, warning
from trangtin.photos.cache import CACHE_ENV as CACHE_ENV  # re-exported: the cache is part of the API
from trangtin.photos.cache import ImageCache as ImageCache
from trangtin.photos.cache import Processed as Processed
from trangtin.photos.cache import Variant as Variant
from trangtin.photos.cache import cache_dir as cache_dir

# Bump when the pipeline changes its output (new resampling, new encoder settings...).
PIPELINE_VERSION = "2"  # 2: 16-bit and float images keep their tones
# Names that declare a photo. Only for messages: whether a file is a photo is decided by its
# content (``is_raster``), so a ``.jfif`` or a PNG named ``.jpg`` is processed all the same.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".heic", ".heif",
                            ".gif", ".tif", ".tiff", ".bmp", ".ico"})
# Only these decoders are tried: never Pillow's other plugins (EPS would run Ghostscript).
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF", "TIFF", "BMP", "ICO")  # JPEG includes MPO
# Pillow's modes with more than 8 bits a channel (16-bit greyscale PNG and TIFF, 32-bit, float).
_WIDE_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
# 80 megapixels: a 48 MP phone photo passes, a decompression bomb (or a 108 MP RAW-like
# export that would need gigabytes of memory per worker) is refused with a clear message.
MAX_PIXELS = 80_000_000
MAX_WORKERS = 8
_SAVE = {"webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

_renders = 0
_renders_lock = threading.Lock()
_openers_ready = False


@dataclass(frozen=True)
class Profile:
    """What to make of one source image: widths (never upscaled), formats, quality, crop."""

    name: str
    widths: tuple[int, ...]
    formats: tuple[str, ...]
    quality: int
    crop: tuple[int, int] | None = None

    def fingerprint(self) -> str:
        return json.dumps([PIPELINE_VERSION, self.name, self.widths, self.formats,
                           self.quality, self.crop])


PHOTO = Profile("photo", (480, 960, 1600), ("webp", "jpeg"), 80)
# Open Graph (Facebook, Zalo): 1200×630, JPEG for the widest support.
OPEN_GRAPH = Profile("og", (1200,), ("jpeg",), 85, crop=(1200, 630))
# A unit's logo (header and favicon): PNG keeps its transparency.
LOGO = Profile("logo", (96, 192), ("png",), 90)


@dataclass(frozen=True)
class Job:
    """One source image to process with one profile; ``display`` names it in messages."""

    source: Path
    display: str
    profile: Profile = PHOTO


Outcome = Processed | Diagnostic


class ImageProblem(Exception):
    """A source image that cannot be published, with the Vietnamese explanation."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def is_image(name: str) -> bool:
    """Whether the name declares a photo (what the author meant, not what the file is)."""
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


def is_raster(source: Path) -> bool:
    """Whether Pillow recognises a photo in the file's first bytes, whatever its name.

    Only the header is read; an image too large to decode is still a photo (the pipeline
    explains it is too large).
    """
    _ensure_openers()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS):
                return True
    except Image.DecompressionBombError:
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return False


def render_count() -> int:
    """How many images this process has decoded and encoded (cache misses)."""
    return _renders


def cache_key(source: Path, profile: Profile) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    digest.update(b"\0" + profile.fingerprint().encode())
    return digest.hexdigest()


# --- processing --------------------------------------------------------------------------

def process_many(jobs: Iterable[Job], cache: ImageCache,
                 workers: int | None = None) -> dict[Job, Outcome]:
    """Process every job on a bounded thread pool (Pillow releases the GIL while coding)."""
    unique = list(dict.fromkeys(jobs))
    if not unique:
        return {}
    count = max(1, min(workers or MAX_WORKERS, os.cpu_count() or 1, len(unique)))
    # Bomb warnings become errors for the pool's lifetime; threads read the same filters.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="trangtin-img") as pool:
            outcomes = list(pool.map(lambda job: process(job, cache), unique))
    return dict(zip(unique, outcomes, strict=True))


def process(job: Job, cache: ImageCache) -> Outcome:
    """One image: from the cache when its key is known, else rendered and stored. Never raises."""
    try:
        key = cache_key(job.source, job.profile)
    except OSError as exc:
        return _problem(job, f"không đọc được tệp ảnh ({exc.strerror or exc})",
                        "kiểm tra tệp còn tồn tại và có quyền đọc")
    cached = cache.load(key)
    if cached is not None:
        return cached
    try:
        encoded = render(job.source, job.profile)
    except ImageProblem as problem:
        return _problem(job, problem.message, problem.hint)
    except Exception as exc:  # noqa: BLE001 - a bug must name the file, not stop the site
        return _problem(job, f"lỗi nội bộ khi xử lý ảnh ({type(exc).__name__}: {exc})",
                        "ảnh đã được bỏ qua; xin báo lỗi này cho nhóm phát triển kèm tệp ảnh")
    try:
        return cache.store(key, encoded)
    except OSError as exc:
        return _problem(job, f"không ghi được bộ nhớ đệm ảnh vào {cache.root} ({exc})",
                        f"kiểm tra dung lượng đĩa và quyền ghi, hoặc đặt {CACHE_ENV} "
                        "sang thư mục khác")


def inspect(source: Path, display: str) -> Diagnostic | None:
    """Whether a photo will build, without building (for ``trangtin check``): a quick decode.

    JPEGs are decoded at 1/8 scale; the same messages as the build, nothing is written.
    """
    try:
        with (_explained(), _open(source, (1, 0)) as opened,
              MEMORY.hold(opened.width * opened.height)):
            opened.load()
    except ImageProblem as problem:
        return _problem(Job(source, display), problem.message, problem.hint)
    except Exception as exc:  # noqa: BLE001 - a bug must name the file, not stop the check
        return _problem(Job(source, display), f"lỗi nội bộ khi đọc ảnh ({type(exc).__name__}: {exc})",
                        "xin báo lỗi này cho nhóm phát triển kèm tệp ảnh")
    return None


def _problem(job: Job, message: str, hint: str) -> Diagnostic:
    # A warning: the post is still published, only this photo is left out.
    return warning(job.display, None, message, hint)


def render(source: Path, profile: Profile) -> list[tuple[int, int, str, bytes]]:
    """Decode, turn upright, convert to sRGB, resize and encode; metadata never copied."""
    global _renders
    with _explained():
        opened = _open(source, _largest_need(profile))
    with MEMORY.hold(opened.width * opened.height):
        with _explained(), opened:
            image = _decoded(opened)
        with _renders_lock:
            _renders += 1
        try:
            return _encode_all(image, profile)
        finally:
            image.close()


def _largest_need(profile: Profile) -> tuple[int, int]:
    if profile.crop:
        return profile.crop
    return max(profile.widths), 0


def _open(source: Path, need: tuple[int, int]) -> Image.Image:
    """Read the header only: refuse bombs before a single pixel is decoded."""
    _ensure_openers()
    opened = Image.open(source, formats=FORMATS)
    try:
        _check_size(opened)
        _draft(opened, need)
    except BaseException:
        opened.close()
        raise
    return opened


def _decoded(opened: Image.Image) -> Image.Image:
    opened.load()
    upright = ImageOps.exif_transpose(opened)
    narrowed = _to_8bit(upright)
    if narrowed is not upright:
        upright.close()
    converted = _to_srgb(narrowed)
    if converted is not narrowed:
        narrowed.close()
    return converted


def _to_8bit(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit and float greyscale scaled to 0–255 (Pillow's own conversion clips: all white)."""
    if image.mode not in _WIDE_MODES:
        return image
    wide = image.convert("F")
    _, brightest = wide.getextrema()  # one band: (min, max)
    scale = _tone_scale(image.mode, float(brightest))  # type: ignore[arg-type]
    try:
        return wide.point(lambda value: value * scale).convert("L")
    finally:
        wide.close()


def _tone_scale(mode: str, brightest: float) -> float:
    """The factor that brings the mode's full range to 255, from the range its values use."""
    if mode.startswith("I;16"):
        return 255 / 65535
    if mode == "F" and brightest <= 1.0:
        return 255.0  # float images usually hold 0.0–1.0
    if brightest <= 255:
        return 1.0
    if brightest <= 65535:
        return 255 / 65535  # 16-bit data opened as 32-bit integers
    return 255 / brightest


@contextlib.contextmanager
def _explained() -> Iterator[None]:
    """Pillow's errors turned into what the author can do about them."""
    try:
        yield
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big(None) from None
    except UnidentifiedImageError:
        raise ImageProblem(
            "tệp này không phải là ảnh JPEG, PNG, WebP, HEIC, GIF, TIFF hay BMP (có thể chỉ đổi đuôi tên tệp)",
            "mở ảnh bằng trình xem ảnh rồi lưu lại dưới dạng JPEG, hoặc chụp/tải lại ảnh") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        truncated = "truncated" in str(exc) or "broken data stream" in str(exc)
        what = "bị cắt cụt (tải lên hoặc sao chép chưa xong)" if truncated else "bị hỏng"
        raise ImageProblem(f"ảnh {what}, không đọc được",
                           "sao chép lại ảnh gốc từ điện thoại hoặc máy ảnh rồi xây dựng lại") \
            from None


class PixelBudget:
    """At most ``limit`` decoded pixels in memory over all workers; one image always passes."""

    def __init__(self, limit: int):
        self.limit, self.used, self.peak = limit, 0, 0
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self.used == 0 or self.used + pixels <= self.limit)
            self.used += pixels
            self.peak = max(self.peak, self.used)
        try:
            yield
        finally:
            with self._changed:
                self.used -= pixels
                self._changed.notify_all()


# About 1.2 GB at worst (3–4 bytes a pixel, a few copies while turning and converting),
# however many cores: eight 12 MP phone photos at once, or one 80 MP image alone.
MEMORY = PixelBudget(100_000_000)


def _ensure_openers() -> None:
    global _openers_ready
    if not _openers_ready:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _openers_ready = True


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise _too_big((width, height))


def _too_big(size: tuple[int, int] | None) -> ImageProblem:
    shown = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    return ImageProblem(
        f"ảnh quá lớn{shown}, vượt giới hạn {MAX_PIXELS // 1_000_000} triệu điểm ảnh",
        "thu nhỏ ảnh (ví dụ cạnh dài 4000 điểm ảnh) rồi lưu lại; ảnh điện thoại thường đã vừa")


def _draft(image: Image.Image, need: tuple[int, int]) -> None:
    """JPEG only: decode at 1/2, 1/4 or 1/8 scale when that still covers the largest output."""
    if image.format not in ("JPEG", "MPO"):
        return
    width, height = image.size
    if _orientation(image) in (5, 6, 7, 8):
        width, height = height, width
    scale = max(need[0] / width, need[1] / height if need[1] else 0.0)
    if scale >= 1:
        return
    wanted = (math.ceil(width * scale), math.ceil(height * scale))
    if _orientation(image) in (5, 6, 7, 8):
        wanted = (wanted[1], wanted[0])
    image.draft(None, wanted)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (TypeError, ValueError):
        return 1


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB, RGB or RGBA; an embedded colour profile (Display P3) is applied."""
    alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if alpha else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to the plain conversion below
    return image.convert(mode)


def _encode_all(image: Image.Image, profile: Profile) -> list[tuple[int, int, str, bytes]]:
    """Largest first, each size resized from the one before (a cascade: far less work)."""
    encoded = []
    previous = image
    for size in sorted(_sizes(image.size, profile), reverse=True):
        resized = _resize(previous, size, profile)
        for fmt in profile.formats:
            encoded.append((resized.width, resized.height, fmt, _encode(resized, fmt, profile)))
        if previous is not image:
            previous.close()
        previous = resized
    if previous is not image:
        previous.close()
    return encoded


def _sizes(size: tuple[int, int], profile: Profile) -> list[tuple[int, int]]:
    width, height = size
    if profile.crop:
        return [_crop_size(size, profile.crop)]
    widths = sorted({min(w, width) for w in profile.widths})
    return [(w, max(1, round(height * w / width))) for w in widths]


def _crop_size(size: tuple[int, int], crop: tuple[int, int]) -> tuple[int, int]:
    """The crop box, shrunk to the source when the source is smaller (never upscaled)."""
    ratio = crop[0] / crop[1]
    width = min(size[0], size[1] * ratio, crop[0])
    return max(1, round(width)), max(1, round(width / ratio))


def _resize(image: Image.Image, size: tuple[int, int], profile: Profile) -> Image.Image:
    if profile.crop:
        result = ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    elif size == image.size:
        result = image.copy()
    else:
        result = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    result.info = {}
    return result


def favicon_ico(png: Path) -> bytes:
    """``favicon.ico`` (16, 32 and 48 px) from an already processed square icon: browsers and
    feed readers ask a host for /favicon.ico whatever the page declares."""
    with Image.open(png) as opened:
        image = opened.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()


def _encode(image: Image.Image, fmt: str, profile: Profile) -> bytes:
    if fmt == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": profile.quality}
    if fmt == "jpeg":
        options.update(optimize=True, progressive=True)
    elif fmt == "png":
        options = {"optimize": True}
    else:
        options.update(method=4)
    # info is empty, and exif/icc/xmp are not passed: the files carry pixels only.
    image.save(buffer, _SAVE[fmt], **options)
    return buffer.getvalue()

