"""Draw the placeholder "photos" of the sample network (Pillow only, deterministic).

The pictures are simple scenes (sky, ground, a school building, people, lanterns…) with
no text in them. Some are written the way a phone writes them: a portrait picture stored
sideways with EXIF Orientation 6, a camera model, a capture date and a GPS position, so
that the image pipeline is exercised with realistic input. One is a PNG (a child's
drawing). Run from the repository root:

    python scripts/make_sample_photos.py

Each output goes next to the post that shows it, under content/<unit>/posts/<yyyy>/<mm>/.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from PIL.ExifTags import GPS, IFD, Base

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LANDSCAPE = (1600, 1200)
PORTRAIT = (1200, 1600)
MAX_BYTES = 200_000
Color = tuple[int, int, int]


@dataclass(frozen=True)
class Photo:
    path: str            # relative to content/
    scene: str           # a key of SCENES
    portrait: bool = False
    phone: bool = False  # stored sideways with Orientation 6 and GPS, like a phone camera
    taken: str = "2025:09:05 08:00:00"
    seed: int = 1


PHOTOS: tuple[Photo, ...] = (
    # Trường Mầm non Hoa Sen
    Photo("mn-hoa-sen/posts/2025/09/be-vui-ngay-khai-truong.jpg", "schoolyard",
          taken="2025:09:05 07:45:00", seed=11),
    Photo("mn-hoa-sen/posts/2025/10/trung-thu-ruoc-den.jpg", "lanterns",
          taken="2025:10:04 19:10:00", seed=12),
    Photo("mn-hoa-sen/posts/2025/10/trung-thu-pha-co.jpg", "party", portrait=True, phone=True,
          taken="2025:10:04 19:40:00", seed=13),
    Photo("mn-hoa-sen/posts/2025/10/trung-thu-mua-lan.jpg", "lanterns",
          taken="2025:10:04 20:05:00", seed=14),
    # Trường Tiểu học An Bình
    Photo("th-an-binh/posts/2025/09/khai-giang-tieu-hoc.jpg", "schoolyard",
          taken="2025:09:05 07:30:00", seed=21),
    Photo("th-an-binh/posts/2025/11/hoi-khoe-chay-tiep-suc.jpg", "sports",
          taken="2025:11:08 08:15:00", seed=22),
    Photo("th-an-binh/posts/2025/11/hoi-khoe-keo-co.jpg", "sports", portrait=True, phone=True,
          taken="2025:11:08 09:05:00", seed=23),
    Photo("th-an-binh/posts/2025/11/hoi-khoe-trao-giai.jpg", "meeting",
          taken="2025:11:08 10:40:00", seed=24),
    Photo("th-an-binh/posts/2025/10/tranh-an-toan-giao-thong.png", "drawing",
          taken="2025:10:20 15:00:00", seed=25),
    # Trường THCS An Bình
    Photo("thcs-an-binh/posts/2025/09/le-khai-giang-thcs.jpg", "schoolyard",
          taken="2025:09:05 07:35:00", seed=31),
    Photo("thcs-an-binh/posts/2025/10/trai-nghiem-vuon-rau.jpg", "garden",
          taken="2025:10:18 08:30:00", seed=32),
    Photo("thcs-an-binh/posts/2025/10/trai-nghiem-do-dat.jpg", "garden", portrait=True,
          phone=True, taken="2025:10:18 09:10:00", seed=33),
    Photo("thcs-an-binh/posts/2025/10/trai-nghiem-bao-cao.jpg", "classroom",
          taken="2025:10:18 10:20:00", seed=34),
    # UBND xã An Bình
    Photo("xa-an-binh/posts/2025/09/hoi-nghi-trien-khai-nam-hoc.jpg", "meeting",
          taken="2025:09:12 08:10:00", seed=41),
)

# A fictional place in the south-central highlands, written as a phone writes it.
LATITUDE = (11, 56, 31.2)
LONGITUDE = (108, 26, 12.6)
ALTITUDE = 1480.0


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    """A vertical colour gradient (one line per row, then stretched: fast and smooth)."""
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size, Image.Resampling.BILINEAR)


def vary(color: Color, rng: random.Random, amount: int = 18) -> Color:
    r, g, b = (max(0, min(255, c + rng.randint(-amount, amount))) for c in color)
    return (r, g, b)


def person(draw: ImageDraw.ImageDraw, x: float, ground: float, height: float,
           shirt: Color, rng: random.Random) -> None:
    """A standing figure: legs, body, head (seen from afar, no face)."""
    head = height * 0.16
    body_top = ground - height * 0.78
    draw.rectangle((x - height * 0.09, ground - height * 0.42, x - height * 0.02, ground),
                   fill=(40, 48, 70))
    draw.rectangle((x + height * 0.02, ground - height * 0.42, x + height * 0.09, ground),
                   fill=(40, 48, 70))
    draw.rounded_rectangle((x - height * 0.14, body_top, x + height * 0.14, ground - height * 0.38),
                           radius=int(height * 0.05), fill=shirt)
    skin = vary((224, 180, 140), rng, 12)
    draw.ellipse((x - head / 2, body_top - head, x + head / 2, body_top), fill=skin)
    draw.pieslice((x - head / 2, body_top - head, x + head / 2, body_top - head * 0.2),
                  180, 360, fill=(25, 22, 20))


def crowd(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, ground: float,
          count: int, height: float, shirts: list[Color]) -> None:
    for _ in range(count):
        x = rng.uniform(width * 0.05, width * 0.95)
        scale = rng.uniform(0.8, 1.1)
        person(draw, x, ground + rng.uniform(-height * 0.1, height * 0.25), height * scale,
               vary(rng.choice(shirts), rng), rng)


def tree(draw: ImageDraw.ImageDraw, x: float, ground: float, size: float, rng: random.Random) -> None:
    draw.rectangle((x - size * 0.06, ground - size * 0.7, x + size * 0.06, ground), fill=(96, 66, 40))
    for _ in range(6):
        dx, dy = rng.uniform(-0.35, 0.35) * size, rng.uniform(-1.1, -0.65) * size
        r = rng.uniform(0.22, 0.34) * size
        draw.ellipse((x + dx - r, ground + dy - r, x + dx + r, ground + dy + r),
                     fill=vary((58, 128, 60), rng, 20))


def building(draw: ImageDraw.ImageDraw, left: float, top: float, right: float, bottom: float,
             wall: Color, rng: random.Random) -> None:
    """A two-storey school block with a red tile roof and rows of windows."""
    draw.rectangle((left, top, right, bottom), fill=wall)
    draw.polygon([(left - 30, top), (right + 30, top), (right - 20, top - 70), (left + 20, top - 70)],
                 fill=(168, 62, 44))
    floors, height = 2, (bottom - top)
    columns = int((right - left) // 90)
    for floor in range(floors):
        y0 = top + height * floor / floors + 25
        for c in range(columns):
            x0 = left + 25 + c * (right - left - 50) / columns
            draw.rectangle((x0, y0, x0 + 48, y0 + height / floors - 60), fill=vary((70, 110, 140), rng, 10))
    draw.line((left, top + height / 2, right, top + height / 2), fill=(200, 190, 170), width=8)


def flag(draw: ImageDraw.ImageDraw, x: float, ground: float, height: float) -> None:
    draw.rectangle((x - 5, ground - height, x + 5, ground), fill=(190, 190, 190))
    top = ground - height
    draw.rectangle((x + 5, top, x + 5 + height * 0.3, top + height * 0.2), fill=(218, 37, 29))
    cx, cy, r = x + 5 + height * 0.15, top + height * 0.1, height * 0.06
    star = [(cx + r * math.cos(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4),
             cy + r * math.sin(math.radians(-90 + i * 36)) * (1 if i % 2 == 0 else 0.4))
            for i in range(10)]
    draw.polygon(star, fill=(255, 221, 0))


def scene_schoolyard(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (120, 176, 232), (214, 232, 246))
    draw = ImageDraw.Draw(image)
    ground = h * 0.62
    draw.rectangle((0, ground, w, h), fill=(176, 170, 160))
    building(draw, w * 0.12, h * 0.28, w * 0.88, ground, (236, 214, 120), rng)
    for x in (w * 0.05, w * 0.95):
        tree(draw, x, ground + 10, h * 0.3, rng)
    flag(draw, w * 0.5, ground + 40, h * 0.36)
    crowd(draw, rng, w, h * 0.86, 46, h * 0.16, [(245, 245, 245), (40, 70, 150), (230, 230, 235)])
    return image


def scene_lanterns(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (16, 20, 52), (58, 42, 80))
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.72, h * 0.08, w * 0.72 + h * 0.14, h * 0.22), fill=(250, 238, 190))
    draw.rectangle((0, h * 0.7, w, h), fill=(60, 52, 58))
    for i in range(9):
        x, y = w * (0.06 + i * 0.11), h * rng.uniform(0.35, 0.5)
        draw.line((x, h * 0.2, x, y), fill=(120, 110, 90), width=3)
        color = rng.choice([(236, 60, 40), (250, 180, 30), (240, 110, 40), (200, 40, 90)])
        r = h * 0.045
        points = [(x + r * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.45),
                   y + r + r * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.45))
                  for k in range(10)]
        draw.polygon(points, fill=color)
    glow = image.filter(ImageFilter.GaussianBlur(12))
    image = Image.blend(image, glow, 0.35)
    draw = ImageDraw.Draw(image)
    crowd(draw, rng, w, h * 0.92, 28, h * 0.2, [(230, 60, 60), (250, 200, 60), (90, 160, 220)])
    return image


def scene_party(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (120, 40, 40), (170, 70, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h * 0.55, w, h), fill=(110, 78, 52))
    draw.rectangle((w * 0.08, h * 0.55, w * 0.92, h * 0.62), fill=(232, 226, 210))
    for _ in range(14):
        x, y = rng.uniform(w * 0.12, w * 0.88), h * rng.uniform(0.5, 0.56)
        fruit = rng.choice([(240, 170, 40), (120, 170, 60), (220, 60, 60), (250, 220, 120)])
        r = rng.uniform(0.025, 0.045) * w
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fruit)
    for i in range(4):
        x, y = w * (0.2 + i * 0.2), h * 0.18
        draw.ellipse((x - 50, y - 60, x + 50, y + 60), fill=rng.choice([(250, 190, 40), (240, 80, 50)]))
    crowd(draw, rng, w, h * 0.95, 10, h * 0.26, [(250, 200, 210), (140, 200, 240), (250, 240, 160)])
    return image


def scene_sports(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (140, 190, 236), (226, 238, 248))
    draw = ImageDraw.Draw(image)
    ground = h * 0.45
    draw.rectangle((0, ground, w, h), fill=(92, 150, 72))
    for i in range(5):
        y = ground + (h - ground) * (0.25 + i * 0.15)
        draw.rectangle((0, y, w, y + (h - ground) * 0.1), fill=(186, 92, 64))
        draw.line((0, y, w, y), fill=(240, 240, 240), width=4)
    for x in range(0, w, 160):
        tree(draw, x + rng.uniform(0, 60), ground, h * 0.18, rng)
    crowd(draw, rng, w, h * 0.82, 16, h * 0.22, [(250, 250, 250), (220, 40, 40), (40, 90, 180)])
    return image


def scene_meeting(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (236, 230, 214), (210, 200, 184))
    draw = ImageDraw.Draw(image)
    draw.rectangle((w * 0.1, h * 0.08, w * 0.9, h * 0.42), fill=(176, 30, 36))
    draw.rectangle((w * 0.14, h * 0.13, w * 0.86, h * 0.2), fill=(196, 46, 46))
    draw.rectangle((0, h * 0.42, w, h * 0.5), fill=(120, 84, 56))
    draw.rectangle((w * 0.25, h * 0.44, w * 0.75, h * 0.5), fill=(60, 110, 70))
    for row in range(5):
        y = h * (0.62 + row * 0.09)
        for col in range(14):
            x = w * (0.05 + col * 0.067) + rng.uniform(-8, 8)
            r = h * (0.026 + row * 0.004)
            draw.rectangle((x - r * 1.6, y, x + r * 1.6, y + r * 2.4), fill=vary((230, 230, 236), rng, 10))
            draw.ellipse((x - r, y - r * 2, x + r, y), fill=(30, 26, 24))
    return image


def scene_garden(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (150, 196, 240), (236, 240, 236))
    draw = ImageDraw.Draw(image)
    ground = h * 0.38
    draw.rectangle((0, ground, w, h), fill=(120, 86, 56))
    for row in range(6):
        y = ground + (h - ground) * (0.1 + row * 0.15)
        draw.rectangle((0, y, w, y + (h - ground) * 0.08), fill=(98, 70, 46))
        for x in range(20, w, 70):
            r = 18 + row * 6
            draw.ellipse((x - r, y - r * 1.2, x + r, y + r * 0.4), fill=vary((70, 150, 60), rng, 25))
    crowd(draw, rng, w, h * 0.75, 9, h * 0.3, [(250, 250, 250), (40, 80, 160)])
    return image


def scene_classroom(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    image = gradient(size, (244, 236, 210), (230, 220, 196))
    draw = ImageDraw.Draw(image)
    draw.rectangle((w * 0.18, h * 0.1, w * 0.82, h * 0.45), fill=(40, 80, 60))
    draw.rectangle((w * 0.18, h * 0.45, w * 0.82, h * 0.47), fill=(150, 110, 70))
    for line in range(4):
        y = h * (0.17 + line * 0.07)
        draw.line((w * 0.24, y, w * rng.uniform(0.5, 0.76), y), fill=(220, 226, 220), width=6)
    draw.rectangle((0, h * 0.62, w, h), fill=(170, 120, 80))
    for row in range(3):
        for col in range(5):
            x, y = w * (0.08 + col * 0.2), h * (0.7 + row * 0.1)
            draw.rectangle((x, y, x + w * 0.14, y + h * 0.03), fill=(130, 86, 52))
    person(draw, w * 0.88, h * 0.9, h * 0.5, (250, 250, 250), rng)
    return image


def scene_drawing(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A child's crayon drawing on white paper: road, zebra crossing, traffic light, car."""
    w, h = size
    image = Image.new("RGB", size, (252, 250, 244))
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.05, h * 0.05, w * 0.2, h * 0.25), fill=(255, 210, 40))
    draw.rectangle((0, h * 0.6, w, h * 0.85), fill=(110, 110, 120))
    for i in range(8):
        x = w * (0.4 + i * 0.03)
        draw.rectangle((x, h * 0.6, x + w * 0.018, h * 0.85), fill=(250, 250, 250))
    draw.rectangle((w * 0.8, h * 0.2, w * 0.82, h * 0.6), fill=(60, 60, 60))
    draw.rounded_rectangle((w * 0.77, h * 0.12, w * 0.85, h * 0.36), radius=14, fill=(30, 30, 30))
    for k, color in enumerate([(230, 40, 40), (250, 200, 30), (40, 190, 70)]):
        y = h * (0.15 + k * 0.07)
        draw.ellipse((w * 0.79, y, w * 0.83, y + h * 0.05), fill=color)
    draw.rounded_rectangle((w * 0.08, h * 0.55, w * 0.32, h * 0.7), radius=20, fill=(40, 120, 220))
    for x in (w * 0.12, w * 0.27):
        draw.ellipse((x - 28, h * 0.67, x + 28, h * 0.73), fill=(20, 20, 20))
    person(draw, w * 0.5, h * 0.58, h * 0.3, (240, 80, 80), rng)
    person(draw, w * 0.58, h * 0.58, h * 0.24, (80, 160, 240), rng)
    return image


SCENES: dict[str, Callable[[tuple[int, int], random.Random], Image.Image]] = {
    "schoolyard": scene_schoolyard, "lanterns": scene_lanterns, "party": scene_party,
    "sports": scene_sports, "meeting": scene_meeting, "garden": scene_garden,
    "classroom": scene_classroom, "drawing": scene_drawing,
}


def _dms(value: tuple[int, int, float]) -> tuple[float, float, float]:
    return (float(value[0]), float(value[1]), float(value[2]))


def phone_exif(photo: Photo) -> Image.Exif:
    """EXIF as a phone writes it: sideways (Orientation 6), camera, date, GPS position."""
    exif = Image.Exif()
    exif[Base.Make] = "Samsung"
    exif[Base.Model] = "Galaxy A15"
    exif[Base.Orientation] = 6
    exif[Base.DateTime] = photo.taken
    exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = photo.taken
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = _dms(LATITUDE)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = _dms(LONGITUDE)
    gps[GPS.GPSAltitudeRef] = b"\x00"
    gps[GPS.GPSAltitude] = ALTITUDE
    return exif


def camera_exif(photo: Photo) -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Make] = "Canon"
    exif[Base.Model] = "Canon EOS 2000D"
    exif[Base.DateTime] = photo.taken
    exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = photo.taken
    return exif


def render(photo: Photo) -> Image.Image:
    rng = random.Random(photo.seed)
    image = SCENES[photo.scene](PORTRAIT if photo.portrait else LANDSCAPE, rng)
    # A light blur softens the hard edges of drawn shapes, like a real lens would.
    return image if photo.scene == "drawing" else image.filter(ImageFilter.GaussianBlur(1.2))


def save(photo: Photo, image: Image.Image) -> Path:
    target = CONTENT / photo.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix == ".png":
        image.quantize(colors=32).save(target, optimize=True)
        return target
    if photo.phone:
        # Stored sideways: a viewer must turn it 90° clockwise (Orientation 6) to show it upright.
        image = image.transpose(Image.Transpose.ROTATE_90)
        exif = phone_exif(photo)
    else:
        exif = camera_exif(photo)
    for quality in (82, 72, 62, 52):
        image.save(target, "JPEG", quality=quality, exif=exif, optimize=True)
        if target.stat().st_size <= MAX_BYTES:
            break
    return target


def main() -> int:
    total = 0
    for photo in PHOTOS:
        target = save(photo, render(photo))
        size = target.stat().st_size
        total += size
        print(f"{target.relative_to(ROOT)}: {size // 1024} KB")
    print(f"{len(PHOTOS)} ảnh, tổng {total // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
