"""Synthetic handwritten digits: pen strokes with jitter, slant and varying width.

Real ward documents get their number ("Số: 2164/…") and day ("ngày 04 …")
written by hand after signing, in blue or black ballpoint, often over dotted
leaders. No font looks like that, so digits are drawn here as pen strokes:
each digit is a few control-point polylines in a unit box (x right, y down),
every control point is jittered, the whole digit is slanted and scaled, the
stroke is smoothed (Catmull-Rom) and drawn with a width that swells and thins
like a pen under varying pressure. Everything comes from the ``rng`` given,
so a seed always gives the same strokes.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import ImageDraw

Stroke = list[tuple[float, float]]

# Digit skeletons, unit box about 0.55 wide and 1.0 high; several strokes for 4 and 7.
DIGITS: dict[str, list[Stroke]] = {
    "0": [[(0.28 + 0.26 * math.sin(math.tau * k / 12), 0.5 - 0.5 * math.cos(math.tau * k / 12))
           for k in range(13)]],
    "1": [[(0.12, 0.22), (0.32, 0.0), (0.3, 0.5), (0.3, 1.0)]],
    "2": [[(0.04, 0.22), (0.18, 0.02), (0.42, 0.04), (0.5, 0.28), (0.32, 0.6), (0.02, 1.0),
           (0.3, 0.97), (0.56, 0.98)]],
    "3": [[(0.04, 0.12), (0.26, 0.0), (0.48, 0.12), (0.44, 0.36), (0.2, 0.47), (0.46, 0.58),
           (0.52, 0.82), (0.3, 1.0), (0.02, 0.9)]],
    "4": [[(0.36, 0.02), (0.02, 0.68), (0.56, 0.68)], [(0.42, 0.3), (0.4, 1.0)]],
    "5": [[(0.5, 0.02), (0.12, 0.02), (0.07, 0.44)],
          [(0.07, 0.44), (0.3, 0.36), (0.5, 0.55), (0.48, 0.86), (0.24, 1.0), (0.0, 0.88)]],
    "6": [[(0.46, 0.04), (0.2, 0.18), (0.05, 0.55), (0.1, 0.9), (0.3, 1.0), (0.5, 0.84),
           (0.46, 0.6), (0.24, 0.54), (0.07, 0.7)]],
    "7": [[(0.0, 0.06), (0.55, 0.02), (0.34, 0.5), (0.2, 1.0)]],
    "8": [[(0.3, 0.48), (0.06, 0.3), (0.1, 0.06), (0.3, 0.0), (0.5, 0.1), (0.48, 0.3),
           (0.3, 0.48), (0.06, 0.7), (0.1, 0.94), (0.3, 1.0), (0.52, 0.86), (0.5, 0.64),
           (0.3, 0.48)]],
    "9": [[(0.5, 0.28), (0.3, 0.46), (0.08, 0.36), (0.1, 0.1), (0.3, 0.0), (0.5, 0.14),
           (0.5, 0.42), (0.46, 1.0)]],
    "/": [[(0.45, 0.0), (0.05, 1.0)]],
    ".": [[(0.2, 0.95), (0.24, 1.0)]],
}
ADVANCE = {"1": 0.42, "/": 0.5, ".": 0.35}

BLUE_INKS = ((25, 45, 160), (20, 60, 140), (40, 40, 120), (30, 70, 180))
BLACK_INKS = ((25, 25, 30), (45, 40, 50))


def _catmull_rom(points: np.ndarray, per_segment: int = 8) -> np.ndarray:
    """A smooth curve through the points (ends repeated), as an (n, 2) array."""
    if len(points) < 3:
        t = np.linspace(0, 1, per_segment)[:, None]
        return np.asarray(points[0] + (points[-1] - points[0]) * t)
    padded = np.vstack([points[0], points, points[-1]])
    out = []
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    out.append(padded[-2][None, :])
    return np.vstack(out)


def pick_ink(rng: random.Random) -> tuple[int, int, int]:
    """Blue ballpoint two times in three, else black."""
    return rng.choice(BLUE_INKS) if rng.random() < 0.67 else rng.choice(BLACK_INKS)


def text_width(text: str, height: float) -> float:
    """Roughly how wide ``text`` is when written ``height`` pixels tall."""
    return sum(ADVANCE.get(ch, 0.62) * height for ch in text)


def write_digits(draw: ImageDraw.ImageDraw, text: str, origin: tuple[float, float],
                 height: float, rng: random.Random, ink: int | tuple[int, int, int],
                 dpi: int) -> tuple[int, int, int, int]:
    """Write ``text`` (digits, "/", ".") with its baseline-left at ``origin``; returns the box.

    ``height`` is the digit height in pixels; the pen is 0.3–0.55 mm wide.
    """
    slant = rng.uniform(0.05, 0.35)
    pen = rng.uniform(0.3, 0.55) * dpi / 25.4
    x, base = origin
    xs: list[float] = []
    ys: list[float] = []
    for ch in text:
        if ch == " ":
            x += 0.4 * height
            continue
        h = height * rng.uniform(0.88, 1.12)
        w = h * rng.uniform(0.85, 1.15)
        dy = rng.uniform(-0.08, 0.08) * height
        for stroke in DIGITS.get(ch, []):
            pts = np.array([(px + rng.gauss(0, 0.03), py + rng.gauss(0, 0.03))
                            for px, py in stroke])
            curve = _catmull_rom(pts)
            cx = x + (curve[:, 0] + slant * (1 - curve[:, 1])) * w
            cy = base + dy - (1 - curve[:, 1]) * h
            _pen_line(draw, cx, cy, pen, rng, ink)
            xs += cx.tolist()
            ys += cy.tolist()
        x += ADVANCE.get(ch, 0.62) * w + rng.uniform(0.0, 0.12) * height
    if not xs:
        return (round(origin[0]), round(origin[1]), round(origin[0]), round(origin[1]))
    return (math.floor(min(xs) - pen), math.floor(min(ys) - pen), math.ceil(max(xs) + pen),
            math.ceil(max(ys) + pen))


def _pen_line(draw: ImageDraw.ImageDraw, xs: np.ndarray, ys: np.ndarray, pen: float,
              rng: random.Random, ink: int | tuple[int, int, int]) -> None:
    """Segments whose width follows a slow pressure wave; round caps at the joints."""
    phase, freq = rng.uniform(0, math.tau), rng.uniform(1.0, 3.0)
    n = len(xs)
    for i in range(n - 1):
        t = i / max(1, n - 1)
        width = max(1.0, pen * (0.75 + 0.35 * math.sin(phase + freq * math.tau * t)))
        draw.line((xs[i], ys[i], xs[i + 1], ys[i + 1]), fill=ink, width=round(width))
        r = width / 2
        if r >= 1.0:
            draw.ellipse((xs[i + 1] - r, ys[i + 1] - r, xs[i + 1] + r, ys[i + 1] + r), fill=ink)
