"""Phone-sized test photos: 4032×3024 JPEGs with an EXIF orientation, like a phone's."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ORIENTATION = 0x0112


def make_photo(path: Path, seed: int, size: tuple[int, int] = (4032, 3024)) -> None:
    """A photo-like JPEG (gradients, shapes, sensor noise), stored sideways with
    orientation 6 as phones do, so processing must rotate it."""
    width, height = size
    base = Image.radial_gradient("L").resize((width, height))
    red = Image.linear_gradient("L").resize((width, height))
    blue = base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image = Image.merge("RGB", (red, base, blue))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        x, y = (seed * 97 + n * 331) % width, (seed * 53 + n * 211) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6),
                     fill=((seed * 40 + n * 20) % 256, (n * 60) % 256, (seed * 15) % 256))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(image, noise, 0.18)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=88, exif=exif)
