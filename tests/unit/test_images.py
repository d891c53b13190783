"""Photo processing on real files made with Pillow: rotation, sizes, no metadata, bad files, cache."""

from __future__ import annotations

import struct
import threading
import time
import warnings
import zlib
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from trangtin.common.diagnostics import Diagnostic, Severity
from trangtin.photos import pipeline

RED, BLUE = (220, 20, 20), (20, 40, 220)
MARKERS = (b"GPS", b"WGS-84", b"Exif", b"Canon", b"SERIAL-12345", b"http://ns.adobe.com/xap")


def phone_jpeg(path: Path, size: tuple[int, int] = (1200, 800), orientation: int = 6) -> Path:
    """A JPEG as a phone writes it: EXIF orientation, camera make, serial number and GPS.

    The stored top-left corner is red, the rest blue: after rotation the red corner shows
    where the photo was turned to.
    """
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    exif = image.getexif()
    exif[0x0112] = orientation
    exif[0x010F] = "Canon"
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 45.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 40.0, 12.0)
    gps[0x12] = "WGS-84"
    gps[0x1B] = b"ASCII\0\0\0GPS"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/xap/1.0/"/></x:xmpmeta>'
    image.save(path, "JPEG", exif=exif, quality=90, xmp=xmp)
    return path


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header declares a huge size (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))
    return path


@pytest.fixture()
def cache(tmp_path: Path) -> pipeline.ImageCache:
    return pipeline.ImageCache(tmp_path / "cache")


def process(path: Path, cache: pipeline.ImageCache,
            profile: pipeline.Profile = pipeline.PHOTO) -> pipeline.Outcome:
    return pipeline.process(pipeline.Job(path, f"content/truong/{path.name}", profile), cache)


def processed(path: Path, cache: pipeline.ImageCache) -> pipeline.Processed:
    outcome = process(path, cache)
    assert isinstance(outcome, pipeline.Processed), outcome
    return outcome


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    for marker in MARKERS:
        assert marker not in data, (path.name, marker)
    with Image.open(path) as image:
        assert not image.getexif()
        assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info


def test_rotated_by_exif_and_stripped_of_every_metadata(tmp_path, cache):
    source = phone_jpeg(tmp_path / "chao-co.jpg")
    original = source.read_bytes()
    assert b"GPS" in original and b"WGS-84" in original and b"SERIAL-12345" in original

    result = processed(source, cache)

    assert {(v.width, v.height, v.format) for v in result.variants} == {
        (480, 720, "webp"), (480, 720, "jpeg"), (800, 1200, "webp"), (800, 1200, "jpeg")}
    for variant in result.variants:
        assert_clean(variant.path)
        with Image.open(variant.path) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == variant.format.upper()
            rgb = image.convert("RGB")
            # Orientation 6: the stored top-left corner is now the top-right one.
            w, h = rgb.size
            assert _near(rgb.getpixel((w - 5, 5)), RED)
            assert _near(rgb.getpixel((5, 5)), BLUE)
            assert _near(rgb.getpixel((w - 5, h - 5)), BLUE)
    assert source.read_bytes() == original, "the original is never modified"


def _near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_widths_are_never_upscaled(tmp_path, cache):
    large = processed(phone_jpeg(tmp_path / "lon.jpg", (4000, 3000), orientation=1), cache)
    assert sorted({v.width for v in large.variants}) == [480, 960, 1600]
    assert large.largest.height == 1200
    small = processed(phone_jpeg(tmp_path / "nho.jpg", (300, 200), orientation=1), cache)
    assert {(v.width, v.height) for v in small.variants} == {(300, 200)}


def test_heic_from_an_iphone_is_converted(tmp_path, cache):
    pillow_heif.register_heif_opener()
    source = tmp_path / "IMG_0001.HEIC"
    image = Image.new("RGB", (1000, 750), BLUE)
    exif = image.getexif()
    exif[0x010F] = "Apple"
    exif.get_ifd(0x8825)[0x12] = "WGS-84"
    image.save(source, format="HEIF", exif=exif.tobytes(), quality=80)
    assert b"Apple" in source.read_bytes() and b"WGS-84" in source.read_bytes()
    result = processed(source, cache)
    assert sorted(v.width for v in result.of_format("jpeg")) == [480, 960, 1000]
    for variant in result.variants:
        assert_clean(variant.path)
        assert b"Apple" not in variant.path.read_bytes()


def test_png_with_transparency_and_gif(tmp_path, cache):
    png = tmp_path / "logo.png"
    Image.new("RGBA", (600, 400), (0, 0, 0, 0)).save(png)
    result = processed(png, cache)
    with Image.open(result.largest.path) as jpeg:
        assert jpeg.convert("RGB").getpixel((10, 10)) == (255, 255, 255)  # flattened on white
    with Image.open(result.of_format("webp")[-1].path) as webp:
        assert webp.mode == "RGBA"
    gif = tmp_path / "dong.gif"
    Image.new("P", (200, 100), 3).save(gif)
    assert processed(gif, cache).largest.width == 200


def test_open_graph_profile_crops_1200_by_630(tmp_path, cache):
    source = phone_jpeg(tmp_path / "bia.jpg", (3000, 2000), orientation=1)
    result = process(source, cache, pipeline.OPEN_GRAPH)
    assert isinstance(result, pipeline.Processed)
    assert [(v.width, v.height, v.format) for v in result.variants] == [(1200, 630, "jpeg")]
    assert_clean(result.largest.path)
    small = process(phone_jpeg(tmp_path / "bia-nho.jpg", (800, 800), orientation=1), cache,
                    pipeline.OPEN_GRAPH)
    assert isinstance(small, pipeline.Processed)
    assert (small.largest.width, small.largest.height) == (800, 420)  # cropped, not upscaled


def assert_problem(outcome: pipeline.Outcome, name: str, words: str) -> Diagnostic:
    assert isinstance(outcome, Diagnostic), outcome
    assert outcome.path == f"content/truong/{name}"
    assert outcome.severity is Severity.WARNING
    assert words in outcome.message
    assert outcome.hint
    assert outcome.render().startswith(f"content/truong/{name}: cảnh báo: ")
    return outcome


def test_truncated_jpeg_is_explained(tmp_path, cache):
    whole = phone_jpeg(tmp_path / "whole.jpg", (1600, 1200), orientation=1).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    problem = assert_problem(process(cut, cache), "cut.jpg", "bị cắt cụt")
    assert "sao chép lại ảnh gốc" in problem.hint


def test_text_named_jpg_is_explained(tmp_path, cache):
    fake = tmp_path / "anh.jpg"
    fake.write_text("Đây là ghi chú, không phải ảnh\n", encoding="utf-8")
    assert_problem(process(fake, cache), "anh.jpg", "không phải là ảnh JPEG, PNG, WebP, HEIC, GIF, TIFF hay BMP")


def test_decompression_bombs_are_refused_without_decoding(tmp_path, cache):
    huge = png_bomb(tmp_path / "bom.png", 100_000, 100_000)
    assert huge.stat().st_size < 200
    assert_problem(process(huge, cache), "bom.png", "ảnh quá lớn")
    over_limit = png_bomb(tmp_path / "bom2.png", 9_000, 9_000)  # 81 MP: over trangtin's limit
    assert_problem(process(over_limit, cache), "bom2.png", "ảnh quá lớn (9000×9000 điểm ảnh)")
    # 100 MP: Pillow warns before trangtin's own check; the pool turns the warning into a refusal.
    warned = png_bomb(tmp_path / "bom3.png", 10_000, 10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcomes = pipeline.process_many([pipeline.Job(warned, "content/truong/bom3.png")], cache)
    assert_problem(next(iter(outcomes.values())), "bom3.png", "ảnh quá lớn")
    assert not list(cache.root.rglob("manifest.json"))


def test_unchanged_photo_is_not_processed_again(tmp_path, cache):
    source = phone_jpeg(tmp_path / "a.jpg")
    first = processed(source, cache)
    renders = pipeline.render_count()
    mtimes = {p: p.stat().st_mtime_ns for p in cache.root.rglob("*") if p.is_file()}

    again = processed(source, cache)

    assert pipeline.render_count() == renders
    assert again == first
    assert {p: p.stat().st_mtime_ns for p in cache.root.rglob("*") if p.is_file()} == mtimes


def test_changed_photo_is_processed_afresh(tmp_path, cache):
    source = phone_jpeg(tmp_path / "a.jpg")
    first = processed(source, cache)
    phone_jpeg(source, (1000, 900))
    renders = pipeline.render_count()

    second = processed(source, cache)

    assert pipeline.render_count() == renders + 1
    assert second.key != first.key
    assert second.largest.height == 1000


def test_key_covers_the_profile_and_the_pipeline(tmp_path):
    source = phone_jpeg(tmp_path / "a.jpg")
    keys = {pipeline.cache_key(source, p) for p in (
        pipeline.PHOTO, pipeline.OPEN_GRAPH,
        pipeline.Profile("photo", (480, 960), ("webp", "jpeg"), 80),
        pipeline.Profile("photo", (480, 960, 1600), ("jpeg",), 80),
        pipeline.Profile("photo", (480, 960, 1600), ("webp", "jpeg"), 70))}
    assert len(keys) == 5
    assert pipeline.PIPELINE_VERSION in pipeline.PHOTO.fingerprint()


def test_cache_is_safe_to_delete_or_damage(tmp_path, cache):
    source = phone_jpeg(tmp_path / "a.jpg")
    first = processed(source, cache)
    first.largest.path.unlink()  # a damaged entry is made again
    renders = pipeline.render_count()
    assert processed(source, cache).largest.path.is_file()
    assert pipeline.render_count() == renders + 1
    for path in sorted(cache.root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert processed(source, cache).largest.path.is_file()


def test_many_photos_on_a_bounded_pool(tmp_path, cache):
    jobs = [pipeline.Job(phone_jpeg(tmp_path / f"{i}.jpg", (700 + i, 500), 1), f"{i}.jpg")
            for i in range(6)]
    jobs.append(jobs[0])  # the same photo in two posts is processed once
    renders = pipeline.render_count()
    outcomes = pipeline.process_many(jobs, cache, workers=3)
    assert len(outcomes) == 6
    assert pipeline.render_count() == renders + 6
    assert all(isinstance(o, pipeline.Processed) for o in outcomes.values())
    assert sorted(o.largest.width for o in outcomes.values()  # type: ignore[union-attr]
                  ) == [700, 701, 702, 703, 704, 705]


def test_cache_folder_choice(tmp_path, monkeypatch):
    monkeypatch.delenv(pipeline.CACHE_ENV, raising=False)
    assert pipeline.cache_dir(tmp_path) == tmp_path / ".cache" / "images"
    assert pipeline.cache_dir(tmp_path, "bo-nho-dem") == tmp_path / "bo-nho-dem"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "env"))
    assert pipeline.cache_dir(tmp_path, "bo-nho-dem") == tmp_path / "env"


def test_unreadable_file_is_explained(tmp_path, cache):
    assert_problem(process(tmp_path / "khong-co.jpg", cache), "khong-co.jpg", "không đọc được tệp ảnh")


def test_large_jpeg_is_decoded_at_a_reduced_scale(tmp_path, cache):
    source = phone_jpeg(tmp_path / "48mp.jpg", (6400, 4800), orientation=1)
    pipeline.MEMORY.peak = 0
    result = processed(source, cache)
    assert result.largest.width == 1600
    assert pipeline.MEMORY.peak == 1600 * 1200  # JPEG draft: 1/4 of the pixels ever decoded


def test_pixel_budget_holds_back_a_second_large_image():
    budget = pipeline.PixelBudget(10)
    order: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with budget.hold(8):
            first_in.set()
            time.sleep(0.2)
            order.append("first done")

    def second() -> None:
        first_in.wait()
        with budget.hold(5):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["first done", "second in"]
    assert budget.peak == 8 and budget.used == 0
    with budget.hold(50):  # alone, an image over the budget still passes
        assert budget.used == 50


def test_inspect_finds_the_same_problems_without_writing(tmp_path):
    good = phone_jpeg(tmp_path / "tot.jpg", (3000, 2000))
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[:4000])
    fake = tmp_path / "gia.jpg"
    fake.write_text("không phải ảnh", encoding="utf-8")
    bomb = png_bomb(tmp_path / "bom.png", 50_000, 50_000)
    renders = pipeline.render_count()
    assert pipeline.inspect(good, "content/truong/tot.jpg") is None
    problems = {p.name: pipeline.inspect(p, f"content/truong/{p.name}") for p in (cut, fake, bomb)}
    assert_problem(problems["cut.jpg"], "cut.jpg", "bị cắt cụt")
    assert_problem(problems["gia.jpg"], "gia.jpg", "không phải là ảnh")
    assert_problem(problems["bom.png"], "bom.png", "ảnh quá lớn, vượt giới hạn 80 triệu điểm ảnh")
    assert pipeline.render_count() == renders
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bom.png", "cut.jpg", "gia.jpg", "tot.jpg"]


def grey_gradient_16bit(path: Path, width: int = 512, height: int = 64) -> Path:
    """A 16-bit greyscale PNG (a scanner's or a microscope camera's), black on the left to white on the right."""
    image = Image.new("I;16", (width, height))
    image.putdata([round(x * 65535 / (width - 1)) for _ in range(height) for x in range(width)])
    image.save(path)
    return path


def rgb_16bit_png(path: Path, width: int = 256, height: int = 16) -> Path:
    """A 16-bit-per-channel RGB PNG, written chunk by chunk (Pillow writes only 8-bit RGB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + b"".join(struct.pack(">HHH", x * 257, 32768, 65535 - x * 257) for x in range(width))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
    return path


def _grey_stats(path: Path) -> tuple[int, int, float]:
    with Image.open(path) as image:
        grey = image.convert("L")
        low, high = grey.getextrema()
        mean = sum(i * n for i, n in enumerate(grey.histogram())) / (grey.width * grey.height)
        return int(low), int(high), mean


def test_a_16_bit_greyscale_gradient_keeps_its_tones(tmp_path, cache):
    source = grey_gradient_16bit(tmp_path / "quet-16bit.png")
    with Image.open(source) as opened:
        assert opened.mode == "I;16"
    result = processed(source, cache)
    low, high, mean = _grey_stats(result.largest.path)
    assert low <= 5 and high >= 250, (low, high)  # black to white, not all white
    assert 115 <= mean <= 140, mean  # a linear ramp averages mid-grey
    with Image.open(result.largest.path) as jpeg:
        left, right = jpeg.convert("L").getpixel((10, 30)), jpeg.convert("L").getpixel((500, 30))
        assert isinstance(left, int) and isinstance(right, int) and left < 20 < 235 < right


@pytest.mark.parametrize(("mode", "values", "expected"), [
    ("I", [0, 20000, 40000, 65535], [0, 78, 156, 255]),  # 16-bit data opened as 32-bit integers
    ("F", [0.0, 0.25, 0.5, 1.0], [0, 64, 128, 255]),  # floats from 0 to 1
])
def test_wide_modes_are_scaled_to_8_bits(tmp_path, cache, mode, values, expected):
    image = Image.new(mode, (400, 100))
    image.putdata([values[x // 100] for _ in range(100) for x in range(400)])
    source = tmp_path / f"rong-{mode}.tif"
    image.save(source, "TIFF")
    with Image.open(processed(source, cache).largest.path) as jpeg:
        grey = jpeg.convert("L")
        seen = [grey.getpixel((x * 100 + 50, 50)) for x in range(4)]
    assert all(abs(int(s) - e) <= 3 for s, e in zip(seen, expected, strict=True)), seen  # type: ignore[arg-type]


def test_a_16_bit_rgb_png_keeps_its_colours(tmp_path, cache):
    result = processed(rgb_16bit_png(tmp_path / "mau-16bit.png"), cache)
    with Image.open(result.largest.path) as jpeg:
        rgb = jpeg.convert("RGB")
        left, right = rgb.getpixel((4, 8)), rgb.getpixel((250, 8))
    assert _near(left, (0, 128, 255), 12) and _near(right, (250, 128, 5), 12), (left, right)
