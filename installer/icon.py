"""Draw sohoa's icon (a page with text lines and a red seal) as PNGs and a Windows .ico.

The icon is drawn by code rather than committed as binary files so that one
source gives every size, and a build gives the same bytes each time (Pillow
writes no timestamps into PNG or ICO). Run it with a Python that has Pillow,
e.g. the package's own environment:

    python installer/icon.py --hicolor DIR     # DIR/48x48/apps/sohoa.png, …
    python installer/icon.py --ico sohoa.ico   # Windows: 16 to 256 px in one file
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = (30, 90, 168, 255)
PAPER = (255, 255, 255, 255)
FOLD = (205, 220, 240, 255)
INK = (90, 100, 120, 255)
SEAL = (200, 32, 44, 255)
CANVAS = 1024


def draw() -> Image.Image:
    """The icon at 1024 px; smaller sizes are resampled from it."""
    image = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((40, 40, 984, 984), radius=180, fill=BLUE)
    left, top, right, bottom, fold = 250, 150, 774, 874, 150
    pen.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom),
                 (left, bottom)], fill=PAPER)
    pen.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)],
                fill=FOLD)
    for i, width in enumerate((300, 420, 420, 380, 420, 260)):
        y = 330 + i * 80
        pen.rounded_rectangle((left + 60, y, left + 60 + width, y + 34), radius=17, fill=INK)
    pen.ellipse((560, 640, 740, 820), outline=SEAL, width=34)
    pen.ellipse((618, 698, 682, 762), fill=SEAL)
    return image


def write_hicolor(theme_dir: Path) -> list[Path]:
    big = draw()
    written = []
    for size in SIZES:
        out = theme_dir / f"{size}x{size}" / "apps" / "sohoa.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        big.resize((size, size), Image.Resampling.LANCZOS).save(out, optimize=True)
        written.append(out)
    return written


def write_ico(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    draw().resize((256, 256), Image.Resampling.LANCZOS).save(
        out, format="ICO", sizes=[(s, s) for s in SIZES])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hicolor", type=Path, metavar="DIR",
                        help="write DIR/<n>x<n>/apps/sohoa.png for each size")
    parser.add_argument("--ico", type=Path, metavar="FILE", help="write a Windows .ico")
    args = parser.parse_args(argv)
    if not (args.hicolor or args.ico):
        parser.error("say --hicolor DIR and/or --ico FILE")
    if args.hicolor:
        write_hicolor(args.hicolor)
    if args.ico:
        write_ico(args.ico)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
