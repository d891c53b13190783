"""Draw the sample school's logo and banner (Pillow only, deterministic).

Trường THCS An Bình shows identity.logo, identity.banner and identity.color of network.yml;
the other schools keep the default look. The logo is written with a camera model and a
date in its metadata so that the photo pipeline's stripping is exercised. Run from the
repository root:

    python scripts/make_sample_branding.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from PIL.ExifTags import Base

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "thcs-an-binh" / "nhan-dien"
NAVY, GOLD, WHITE, SKY = (14, 74, 110), (240, 180, 40), (255, 255, 255), (170, 210, 235)


def logo() -> Image.Image:
    """A round emblem: a gold ring, an open book and a star, on a transparent background."""
    size = 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=NAVY + (255,), outline=GOLD + (255,), width=28)
    draw.polygon([(112, 330), (256, 370), (256, 220), (112, 180)], fill=WHITE + (255,))
    draw.polygon([(400, 330), (256, 370), (256, 220), (400, 180)], fill=(235, 240, 245, 255))
    draw.line([(256, 220), (256, 370)], fill=NAVY + (255,), width=6)
    star = [(256, 84), (276, 140), (336, 140), (288, 174), (306, 232), (256, 198), (206, 232),
            (224, 174), (176, 140), (236, 140)]
    draw.polygon(star, fill=GOLD + (255,))
    return image


def banner() -> Image.Image:
    """A wide school front under a blue sky, with trees: no text (the page names the school)."""
    width, height = 1600, 400
    image = Image.new("RGB", (width, height), SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, width, height), fill=(120, 170, 90))
    draw.rectangle((420, 120, 1180, 320), fill=(245, 215, 120))
    draw.polygon([(400, 120), (800, 40), (1200, 120)], fill=(180, 60, 50))
    for x in range(460, 1160, 90):
        draw.rectangle((x, 160, x + 50, 210), fill=NAVY)
        draw.rectangle((x, 240, x + 50, 290), fill=NAVY)
    for x in (120, 260, 1320, 1460):
        draw.rectangle((x + 30, 230, x + 50, 310), fill=(110, 80, 50))
        draw.ellipse((x - 20, 130, x + 100, 250), fill=(60, 130, 70))
    return image


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[Base.Model] = "Sample Camera 1"
    exif[Base.DateTime] = "2025:08:20 09:00:00"
    logo().save(FOLDER / "logo.png", optimize=True, exif=exif)
    banner().save(FOLDER / "banner.jpg", quality=82, optimize=True, exif=exif)


if __name__ == "__main__":
    main()
