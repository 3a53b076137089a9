"""Page clean-up: scanner border, quarter turns, skew, blank backs.

Every decision is measured on a downscaled grey copy (about 150 dpi, enough
for layout and far cheaper) and then applied once to the full-resolution
colour page. Nothing is decided silently: `CleanResult` carries each choice
so the review screen can show and undo it, and the original image is never
modified (the caller keeps it).

Order of operations, which is also how the returned numbers apply:

1. ``crop`` — the paper's bounding box, in pixels of the *original* image,
   found by separating the bright sheet from the dark scanner lid/bed; what is
   outside the sheet inside that box is painted white.
2. ``rotation`` — a quarter turn **clockwise** by 0, 90, 180 or 270 degrees.
3. ``skew_angle`` — a small rotation in degrees, **clockwise** positive,
   about the page centre, with white fill; the canvas keeps its size unless
   ink would be cut, then it grows just enough to keep it.

Orientation: the direction of the text lines (horizontal or vertical) comes
from projection profiles, which work on sparse pages too. Which way up:

- with a ``reader`` (the capture workers pass the in-process Tesseract that
  will read the page anyway), no OSD pass: when the lines are clear, 0 vs 180
  is left to the page's own OCR read (``defer_flip``; the caller asks
  :func:`upside_down` only when that read is poor), or decided at once by
  Tesseract's word confidence on a small strip of text read both ways. OSD
  cost as much as the page's whole OCR (2.2 s of a 300 dpi page, measured).
- without one, the ``tesseract`` program: OSD, and when OSD is unsure or
  refuses (sparse pages) the same strip confidence. Through stdin/stdout so
  no page image touches the disk.

Everything is deterministic: fixed parameters, no randomness, Tesseract
limited to one thread.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from scanning.settings import ScanSettings
from store.errors import ExternalToolError
from store.messages import say

WORK_DPI = 150  # resolution of the analysis copy
_MAX_POINTS = 150_000  # ink pixels used for the skew search
_SHOW_THROUGH_CONTRAST = 0.38  # a component this faint on average may be show-through ...
_SHOW_THROUGH_EDGE = 0.17  # ... if its edges are also this soft (see _seen_through)
_COARSE_POINTS = 40_000  # the coarse angle sweep needs fewer (the fine one uses them all)
_COARSE_STEP = 0.25
_FINE_STEP = 0.02
_DIRECTION_RATIO = 1.6  # horizontal vs vertical line score needed to trust the direction
_STRIP_MM = 40.0  # height of the text strip read for the confidence check
_FLIP_STRIP_MM = 20.0  # the 0-vs-180 check on an already level page needs fewer lines
_FLIP_STRIP_WIDTH_MM = 70.0  # ... and fewer words per line (a strip's read costs its width)

Gray = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
Points = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]
Box = tuple[int, int, int, int]
# (grey strip, its dpi) -> (confidence 0..100, text) of each word Tesseract read in it
WordReader = Callable[[npt.NDArray[np.uint8], int], Sequence[tuple[float, str]]]


@dataclass(frozen=True)
class CleanResult:
    """The cleaned page and every decision taken to make it (see module doc)."""

    image: Image.Image
    rotation: int  # quarter turn applied, clockwise degrees: 0, 90, 180 or 270
    skew_angle: float  # degrees applied after the rotation, clockwise positive
    blank: bool
    crop: Box | None  # (left, top, right, bottom) in the original image, or None
    orientation_method: str  # "osd", "confidence", "lines", "none", "blank" or "off"
    orientation_confidence: float  # OSD confidence, or word-confidence margin
    ink_mm2: float  # real ink found (what the blank test measured)
    flip_pending: bool = False  # "lines": 0 vs 180 is left to the page's OCR read


@dataclass(frozen=True)
class _Analysis:
    """The downscaled grey page and its ink, at ``scale`` of the full image."""

    grey: Gray
    ink: Mask
    scale: float
    px_per_mm: float
    ink_mm2: float


# =========================================================================== entry point


def clean(
    image: Image.Image,
    *,
    settings: ScanSettings,
    temp_dir: Path,
    dpi: int | None = None,
    reader: WordReader | None = None,
    defer_flip: bool = False,
) -> CleanResult:
    """Clean one page; ``dpi`` defaults to the image's own, else settings.default_dpi.

    ``reader`` and ``defer_flip``: see the module doc (orientation).
    """
    dpi = _resolution(image, dpi, settings)
    page = image  # never changed in place: every step below makes a new image
    if image.mode not in ("L", "RGB"):
        page = image.convert("L" if image.mode in ("1", "I;16", "I") else "RGB")
    crop: Box | None = None
    shared: tuple[Gray, float] | None = None
    if settings.trim_borders:
        page, crop, shared = _trim_border(page, dpi)
    analysis = _analyse(page, dpi, settings, shared)
    if analysis.ink_mm2 < settings.blank_min_ink_mm2 or not analysis.ink.any():
        return CleanResult(page, 0, 0.0, True, crop, "blank", 0.0, analysis.ink_mm2)
    reading = _Reading(settings, temp_dir, reader, defer_flip)
    rotation, method, confidence, skew = _orient_and_skew(analysis, dpi, reading)
    if rotation:
        page = page.transpose(_TRANSPOSE[rotation])
    if skew:
        points = _rotate_points(_ink_points(analysis.ink), analysis.ink.shape, rotation)
        page = _rotate_keep_ink(page, skew, points, analysis.scale)
    return CleanResult(page, rotation, skew, False, crop, method, confidence, analysis.ink_mm2,
                       flip_pending=method == "lines")


def _resolution(image: Image.Image, dpi: int | None, settings: ScanSettings) -> int:
    if dpi:
        return int(dpi)
    info = image.info.get("dpi")
    try:
        value = round(float(info[0])) if info else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value >= 10 else settings.default_dpi


_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL names counter-clockwise turns
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def _white(page: Image.Image) -> int | tuple[int, int, int]:
    return 255 if page.mode == "L" else (255, 255, 255)


# =========================================================================== resolution

# Paper sizes a ward files (portrait long/short side, mm): A4, A5, Letter.
_PAPERS_MM = ((297.0, 210.0), (210.0, 148.0), (279.4, 215.9))
_PAPER_ASPECT_TOLERANCE = 0.03
_LETTER_MM = 2.4  # median letter height of 13-14 pt body text (Nghị định 30's typography)
_MIN_LETTERS = 50
_DPI_RANGE = (72, 600)


def estimate_dpi(image: Image.Image, *, need_text: bool = False) -> int | None:
    """The resolution of an image that carries none (phone photos, small JPEGs), or None.

    From the page size when the image is a whole sheet of a known paper size
    (its aspect ratio within 3 %; A4 and A5 share one, so the text picks),
    checked against the text: the median letter height of body text (about
    2.4 mm in administrative documents). When they disagree (a photo with
    margins around the sheet), the text decides. Assuming 300 dpi for a
    150-dpi photo made Tesseract lose words at line ends. ``need_text``: None without
    enough letters to measure (the paper's shape alone does not overrule a file's tag).
    """
    text = _dpi_from_text(image)
    papers = _dpi_from_paper(image.size)
    if text is None:
        return _clamp_dpi(papers[0]) if papers and not need_text else None
    near = [p for p in papers if abs(text - p) <= 0.3 * p]
    return _clamp_dpi(min(near, key=lambda p: abs(text - p)) if near else text)


# Whole sheets a tagged image may show (portrait long/short side, mm): A3 to A6.
_SHEETS_MM = ((420.0, 297.0), *_PAPERS_MM, (148.0, 105.0))
_SHEET_SIZE_TOLERANCE = 0.08  # a whole A4 sheet tagged right is within a few % of 297 mm


def tag_plausible(size: tuple[int, int], dpi: int) -> bool:
    """Whether a file's resolution tag gives a page a ward could hold.

    Not when the page would be larger than A3 or smaller than A6, nor when the image has
    a paper's shape but at that tag not its size: a placeholder 72 dpi made a whole A4
    photo at 91 dpi a 265 x 377 mm page (real-extra E03), and its OCR and PDF/A wrong.
    """
    long_mm, short_mm = (v / dpi * 25.4 for v in (max(size), min(size)))
    (a3_long, a3_short), (a6_long, _) = _SHEETS_MM[0], _SHEETS_MM[-1]
    over, under = 1 + _SHEET_SIZE_TOLERANCE, 1 - _SHEET_SIZE_TOLERANCE
    if long_mm > a3_long * over or short_mm > a3_short * over or long_mm < a6_long * under:
        return False
    shapes = [sheet for sheet in _SHEETS_MM if abs(long_mm / short_mm - sheet[0] / sheet[1])
              <= _PAPER_ASPECT_TOLERANCE * sheet[0] / sheet[1]]
    return not shapes or any(abs(long_mm - sheet[0]) <= _SHEET_SIZE_TOLERANCE * sheet[0]
                             for sheet in shapes)


def _clamp_dpi(value: float) -> int:
    return int(min(max(round(value), _DPI_RANGE[0]), _DPI_RANGE[1]))


def _dpi_from_paper(size: tuple[int, int]) -> list[float]:
    """The dpi the image would have as each paper size its aspect ratio matches (A4 first)."""
    long_px, short_px = max(size), min(size)
    if short_px <= 0:
        return []
    return [long_px / (long_mm / 25.4) for long_mm, short_mm in _PAPERS_MM
            if abs(long_px / short_px - long_mm / short_mm)
            <= _PAPER_ASPECT_TOLERANCE * (long_mm / short_mm)]


def _dpi_from_text(image: Image.Image) -> float | None:
    """Median height of the letters -> dpi, or None with too few letters to tell.

    On the development corpus (13-14 pt, 200/300 dpi) the median letter
    component is 2.0-2.7 mm high, so the estimate is good to about 15 %.
    """
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    _, dark = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    letters = h[(h >= 4) & (h < 0.05 * grey.shape[0]) & (w < 3 * h) & (w > 0.2 * h)]
    if len(letters) < _MIN_LETTERS:
        return None
    return float(np.median(letters)) / (_LETTER_MM / 25.4)


# =========================================================================== analysis copy


def _downscale(page: Image.Image, dpi: int) -> tuple[Gray, float]:
    grey = np.asarray(page.convert("L"), dtype=np.uint8)
    scale = min(1.0, WORK_DPI / dpi)
    if scale < 1.0:
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = np.asarray(cv2.resize(grey, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    return grey, scale


def _analyse(
    page: Image.Image, dpi: int, settings: ScanSettings,
    downscaled: tuple[Gray, float] | None = None,
) -> _Analysis:
    """The analysis copy and its ink; ``downscaled`` is the border trim's copy when uncropped."""
    grey, scale = downscaled or _downscale(page, dpi)
    px_per_mm = dpi * scale / 25.4
    ink, ink_mm2 = _real_ink(grey, px_per_mm, settings)
    return _Analysis(grey, ink, scale, px_per_mm, ink_mm2)


def _odd(value: float) -> int:
    n = max(3, round(value))
    return n if n % 2 else n + 1


def _contrast(grey: Gray, px_per_mm: float) -> npt.NDArray[np.float32]:
    """How much darker than the local paper colour each pixel is (0 = paper, 1 = black).

    The paper colour is a max filter over ~3 mm (wider than any pen stroke),
    so yellowing and uneven lighting cancel out.
    """
    k = _odd(3.0 * px_per_mm)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    paper = cv2.dilate(grey, kernel).astype(np.float32)
    ratio = grey.astype(np.float32) / np.maximum(paper, np.float32(1.0))
    contrast: npt.NDArray[np.float32] = (np.float32(1.0) - ratio).astype(np.float32)
    return contrast


def _real_ink(grey: Gray, px_per_mm: float, settings: ScanSettings) -> tuple[Mask, float]:
    """Ink without speckle, dust, punch holes, show-through or the paper's edges; area in mm²."""
    contrast = _contrast(grey, px_per_mm)
    mask: Mask = contrast > settings.blank_ink_contrast
    margin = round(settings.blank_margin_mm * px_per_mm)
    if margin and min(mask.shape) > 4 * margin:
        mask[:margin, :] = False
        mask[-margin:, :] = False
        mask[:, :margin] = False
        mask[:, -margin:] = False
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    keep = np.zeros(count, dtype=bool)
    min_size = settings.blank_min_component_mm * px_per_mm
    paper = float(np.percentile(grey, 90))
    seen_through = _seen_through(grey, contrast, np.asarray(labels, dtype=np.int32), count)
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if max(w, h) < min_size or _dust(w, h, area, px_per_mm) or seen_through[label]:
            continue
        keep[label] = not _punch_hole(grey[y : y + h, x : x + w], paper, px_per_mm)
    kept: Mask = keep[labels]
    area_mm2 = float(stats[1:, cv2.CC_STAT_AREA][keep[1:]].sum()) / (px_per_mm * px_per_mm)
    return kept, area_mm2


def _seen_through(
    grey: Gray, contrast: npt.NDArray[np.float32], labels: npt.NDArray[np.int32], count: int
) -> npt.NDArray[np.bool_]:
    """Components that are the other side's print showing through: faint and soft-edged.

    Measured at 150 dpi on rendered duplex backs: print and pen on this side
    average 0.7-0.9 contrast with edges of 0.23-0.30 (mean grey step per pixel,
    over the contrast); text seen through the paper averages 0.31-0.35 with
    edges of 0.08-0.14. Pencil (0.40, 0.20) and a heavily blurred page (0.41,
    0.17) stay ink: a page wrongly called blank is never read.
    """
    inside = labels > 0
    ids = labels[inside]
    pixels = np.maximum(np.bincount(ids, minlength=count), 1).astype(np.float64)
    mean_contrast = np.bincount(ids, weights=contrast[inside], minlength=count) / pixels
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    step = np.hypot(cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1))
    paper = np.maximum(grey.astype(np.float32) / np.maximum(1.0 - contrast, 1e-3), 1.0)
    edge = np.bincount(ids, weights=(step / (8.0 * paper))[inside], minlength=count) / pixels
    sharpness = edge / np.maximum(mean_contrast, 1e-3)
    faint = mean_contrast < _SHOW_THROUGH_CONTRAST
    result: npt.NDArray[np.bool_] = faint & (sharpness < _SHOW_THROUGH_EDGE)
    return result


def _dust(w: int, h: int, area: int, px_per_mm: float) -> bool:
    """A small solid blob (up to 2.5 mm): dirt on the glass, not writing.

    Pen and print make strokes, which fill little of their bounding box or
    are thin (a dash); dust specks are compact and fill most of it.
    """
    small = max(w, h) <= 2.5 * px_per_mm and min(w, h) >= 0.5 * px_per_mm
    return small and area >= 0.6 * w * h


def _punch_hole(patch: Gray, paper: float, px_per_mm: float) -> bool:
    """A solid dark disc 4-9 mm across: a binder hole seen against a dark lid.

    Judged on the grey patch, not the ink mask: the local-contrast mask only
    sees the rim of a blob this large.
    """
    h, w = patch.shape
    lo, hi = 4.0 * px_per_mm, 9.0 * px_per_mm
    if not (lo <= w <= hi and lo <= h <= hi and abs(w - h) <= 0.25 * max(w, h)):
        return False
    solid = float((patch < 0.6 * paper).mean())
    return 0.65 <= solid <= 0.9  # a disc fills pi/4 of its box; a letter far less


# =========================================================================== border trim


def _trim_border(
    page: Image.Image, dpi: int
) -> tuple[Image.Image, Box | None, tuple[Gray, float] | None]:
    """Cut the page to the bright sheet and paint leftover scanner bed white.

    An uncropped page's downscaled copy is handed on, so the analysis does not
    make it again (a grey conversion and a resize of the whole page).
    """
    grey, scale = _downscale(page, dpi)
    found = _paper_region(grey)
    if found is None:
        return page, None, (grey, scale)
    (x0, y0, x1, y1), hull = found
    box = (
        max(0, math.floor(x0 / scale)),
        max(0, math.floor(y0 / scale)),
        min(page.width, math.ceil(x1 / scale)),
        min(page.height, math.ceil(y1 / scale)),
    )
    cropped = page.crop(box)
    sheet = Image.new("L", cropped.size, 0)
    polygon = [((x + 0.5) / scale - box[0], (y + 0.5) / scale - box[1]) for x, y in hull]
    ImageDraw.Draw(sheet).polygon(polygon, fill=255)
    white = Image.new(cropped.mode, cropped.size, _white(cropped))
    return Image.composite(cropped, white, sheet), box, None


def _paper_region(grey: Gray) -> tuple[Box, list[tuple[int, int]]] | None:
    """Bounding box (exclusive end) and outline of the sheet, or None if no border.

    The sheet is the largest bright region after an Otsu split; text is dark
    but lies inside it, so it cannot move the box. Nothing is trimmed unless
    a real dark band surrounds the sheet.
    """
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    level, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    if count <= 1:
        return None
    label = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[label])
    height, width = grey.shape
    if area < 0.25 * width * height:
        return None  # mostly dark: a photo, not a sheet on a scanner bed
    margins = (x, y, width - x - w, height - y - h)
    if max(margins) <= max(2, round(0.005 * min(width, height))):
        return None
    outside = grey[labels != label]
    if outside.size == 0 or float(np.median(outside)) > level:
        return None  # what surrounds the sheet is not darker than it: no scanner bed
    sheet = (labels == label).astype(np.uint8)
    sheet = cv2.erode(sheet, np.ones((3, 3), np.uint8))  # drop the grey paper/bed transition
    contours, _ = cv2.findContours(sheet, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(max(contours, key=cv2.contourArea)).reshape(-1, 2)
    x0, y0 = max(0, x - 1), max(0, y - 1)
    box = (x0, y0, min(width, x + w + 1), min(height, y + h + 1))
    return box, [(int(px), int(py)) for px, py in hull]


# =========================================================================== skew


def _ink_points(ink: Mask) -> Points:
    ys, xs = np.nonzero(ink)
    step = max(1, math.ceil(len(xs) / _MAX_POINTS))
    return xs[::step].astype(np.float64), ys[::step].astype(np.float64)


def _rotate_points(points: Points, shape: tuple[int, ...], rotation: int) -> Points:
    """Ink coordinates after a clockwise quarter turn of an image of ``shape``."""
    xs, ys = points
    height, width = shape[0], shape[1]
    if rotation == 90:
        return height - 1 - ys, xs
    if rotation == 180:
        return width - 1 - xs, height - 1 - ys
    if rotation == 270:
        return ys, width - 1 - xs
    return xs, ys


def _line_score(points: Points, degrees: float) -> float:
    """How sharply ink falls into rows when the page is turned back by ``degrees``.

    Rows of text give a profile of tall peaks and empty gaps; the sum of
    squared differences between neighbouring rows is largest when the rows
    are exactly horizontal.
    """
    xs, ys = points
    t = math.radians(degrees)
    proj = ys * math.cos(t) - xs * math.sin(t)
    hist = np.bincount((proj - proj.min()).astype(np.int64)).astype(np.float64)
    diff = np.diff(hist)
    return float(diff @ diff)


def _skew_search(points: Points, max_degrees: float) -> tuple[float, float, float]:
    """(clockwise skew of the text lines in degrees, best score, median coarse score)."""
    coarse = np.arange(-max_degrees, max_degrees + 1e-9, _COARSE_STEP)
    step = max(1, math.ceil(len(points[0]) / _COARSE_POINTS))
    sample = (points[0][::step], points[1][::step])
    coarse_scores = np.array([_line_score(sample, a) for a in coarse])
    best = float(coarse[int(np.argmax(coarse_scores))])
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    fine_scores = np.array([_line_score(points, a) for a in fine])
    i = int(np.argmax(fine_scores))
    angle = float(fine[i]) + _parabola_offset(fine_scores, i) * _FINE_STEP
    return angle, float(fine_scores[i]), float(np.median(coarse_scores))


def _parabola_offset(scores: npt.NDArray[np.float64], i: int) -> float:
    """Sub-step position of a peak from its two neighbours."""
    if i <= 0 or i >= len(scores) - 1:
        return 0.0
    left, mid, right = scores[i - 1], scores[i], scores[i + 1]
    denom = left - 2 * mid + right
    return 0.0 if denom == 0 else float(np.clip(0.5 * (left - right) / denom, -0.5, 0.5))


@dataclass(frozen=True)
class _Lines:
    """Text-line direction: ``base`` is 0 (horizontal) or 90 (needs a quarter turn)."""

    base: int
    ambiguous: bool
    skew: float  # clockwise skew of the lines once turned by ``base``
    reliable: bool  # the profile has a clear peak (text lines, not a picture)
    resolution: float  # smallest skew this much text can measure, degrees


def _text_lines(analysis: _Analysis, settings: ScanSettings) -> _Lines:
    points = _ink_points(analysis.ink)
    turned = _rotate_points(points, analysis.ink.shape, 90)
    limit = settings.deskew_max_degrees
    skew0, score0, median0 = _skew_search(points, limit)
    skew90, score90, median90 = _skew_search(turned, limit)
    base = 0 if score0 >= score90 else 90
    ratio = max(score0, score90) / max(min(score0, score90), 1e-9)
    skew, score, median = (skew0, score0, median0) if base == 0 else (skew90, score90, median90)
    at_edge = abs(skew) > limit - _COARSE_STEP
    reliable = score > 1.15 * median and not at_edge
    xs = (points if base == 0 else turned)[0]
    extent = float(xs.max() - xs.min()) if len(xs) else 0.0
    # a line N pixels long cannot be levelled more finely than about 1/N radian
    resolution = math.degrees(math.atan(1.5 / extent)) if extent > 0 else 90.0
    return _Lines(base, ratio < _DIRECTION_RATIO, skew, reliable, resolution)


def _applied_skew(lines: _Lines, settings: ScanSettings) -> float:
    """Clockwise correction to apply: the opposite of the lines' skew, or 0."""
    threshold = max(settings.deskew_min_degrees, lines.resolution)
    if not settings.deskew or not lines.reliable or abs(lines.skew) < threshold:
        return 0.0
    return round(-lines.skew, 2)


def _rotate_keep_ink(
    page: Image.Image, clockwise: float, points: Points, scale: float
) -> Image.Image:
    """Rotate about the centre; keep the page size unless that would cut ink.

    The geometry is Pillow's ``rotate(-clockwise, expand=True)`` then a crop to
    the page (or the ink), pixel for pixel, but OpenCV warps only the final box:
    Pillow took 1.2 s of a 300 dpi colour page, OpenCV's bicubic a fifth of it.
    The expanded canvas is a whole number of pixels as Pillow makes it: with a
    half-pixel offset every pixel is interpolated halfway between two, which
    blurred diacritics away (measured: "công bố quyết" read "công bô quyềt").
    """
    w, h = page.size
    t = math.radians(clockwise)
    cos, sin = round(math.cos(t), 15), round(math.sin(t), 15)
    # Pillow's inverse map (output -> input) about the centre, for the expanded canvas
    cx, cy = w / 2.0, h / 2.0
    corners_x = [cos * x - sin * y for x, y in ((-cx, -cy), (cx, -cy), (cx, cy), (-cx, cy))]
    corners_y = [sin * x + cos * y for x, y in ((-cx, -cy), (cx, -cy), (cx, cy), (-cx, cy))]
    rw = math.ceil(max(corners_x) + cx) - math.floor(min(corners_x) + cx)
    rh = math.ceil(max(corners_y) + cy) - math.floor(min(corners_y) + cy)
    left, top = (rw - w) / 2, (rh - h) / 2
    box = [left, top, left + w, top + h]
    xs, ys = points
    if len(xs):
        dx, dy = (xs + 0.5) / scale - w / 2, (ys + 0.5) / scale - h / 2
        nx = rw / 2 + dx * cos - dy * sin
        ny = rh / 2 + dx * sin + dy * cos
        pad = 2 / scale
        box = [
            min(box[0], float(nx.min()) - pad),
            min(box[1], float(ny.min()) - pad),
            max(box[2], float(nx.max()) + pad),
            max(box[3], float(ny.max()) + pad),
        ]
    x0, y0 = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    x1 = min(rw, math.floor(box[0]) + math.ceil(box[2] - box[0]))
    y1 = min(rh, math.floor(box[1]) + math.ceil(box[3] - box[1]))
    # output pixel centre (u + 0.5 + x0) -> input, as Pillow maps it; then in OpenCV's
    # convention (pixel centres at whole numbers)
    a, b, d, e = cos, sin, -sin, cos
    c = cx + a * (x0 + 0.5 - rw / 2) + b * (y0 + 0.5 - rh / 2) - 0.5
    f = cy + d * (x0 + 0.5 - rw / 2) + e * (y0 + 0.5 - rh / 2) - 0.5
    matrix = np.array([[a, b, c], [d, e, f]], dtype=np.float64)
    white = _white(page)
    border = (white, white, white) if isinstance(white, int) else white
    out = cv2.warpAffine(np.asarray(page), matrix, (x1 - x0, y1 - y0),
                         flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return Image.fromarray(out, mode=page.mode)


# =========================================================================== orientation


@dataclass(frozen=True)
class _Reading:
    """How orientation reads text: the caller's reader or the program, and what to defer."""

    settings: ScanSettings
    temp_dir: Path
    reader: WordReader | None
    defer_flip: bool

    def confidence(self, grey: Gray, dpi: int) -> float:
        if self.reader is None:
            return _read_confidence(grey, dpi, self.settings, self.temp_dir)
        return confidence_score(self.reader(grey, dpi))


def _orient_and_skew(
    analysis: _Analysis, dpi: int, reading: _Reading
) -> tuple[int, str, float, float]:
    """(rotation, method, confidence, clockwise skew to apply)."""
    settings = reading.settings
    lines = _text_lines(analysis, settings)
    if not settings.orientation:
        skew = _applied_skew(lines, settings) if lines.base == 0 else 0.0
        return 0, "off", 0.0, skew
    upright = _upright_copy(analysis.grey, lines)
    work_dpi = round(dpi * analysis.scale)
    if reading.defer_flip and reading.reader is not None and not lines.ambiguous \
            and (lines.base == 0 or _reads_across(upright, work_dpi, reading)):
        return lines.base, "lines", 0.0, _applied_skew(lines, settings)
    rotation, method, confidence = _decide_rotation(upright, lines, work_dpi, reading)
    if rotation is None:
        skew = _applied_skew(lines, settings) if lines.base == 0 else 0.0
        return 0, "none", 0.0, skew
    turned_from_base = (rotation - lines.base) % 360
    skew = _applied_skew(lines, settings) if turned_from_base in (0, 180) else 0.0
    return rotation, method, confidence, skew


_ACROSS_SURE = 40.0  # strip score of text read across (upright or upside down): ~100+;
# text read along its lines scores 0-12 (real-extra E06: 0.4, 0.8, 11.7)


def _reads_across(upright: Gray, dpi: int, reading: _Reading) -> bool:
    """Whether a quarter turn is proved by one read: the strip turned as the lines say reads
    as text (0 vs 180 is left to the deferred check). If not, all four turns are read."""
    return reading.confidence(_text_strip(upright, dpi), dpi) >= _ACROSS_SURE


def _upright_copy(grey: Gray, lines: _Lines) -> Gray:
    """The analysis copy turned by ``base`` and deskewed: what OSD reads best."""
    img = Image.fromarray(grey)
    if lines.base:
        img = img.transpose(_TRANSPOSE[lines.base])
    if lines.reliable and abs(lines.skew) >= 0.1:
        img = img.rotate(lines.skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.asarray(img, dtype=np.uint8)


def _decide_rotation(
    upright: Gray, lines: _Lines, dpi: int, reading: _Reading
) -> tuple[int | None, str, float]:
    """OSD when it is sure and agrees with the line direction; else word confidence.

    With a reader, OSD is not asked: the strip read both ways decides alone.
    """
    settings = reading.settings
    osd = None
    if settings.osd and reading.reader is None:
        osd = _osd(upright, dpi, settings, reading.temp_dir)
    if osd is not None:
        turn, conf = osd
        agrees = turn in (0, 180) or lines.ambiguous
        if agrees and conf >= settings.osd_min_confidence:
            return (lines.base + turn) % 360, "osd", conf
    # Lines alone never turn a page a quarter: a phone photo's curved, 2 mm text lines at
    # 96 dpi projected better across than along (real-extra E06, turned and lost 7 of 8
    # fields), so the strip read across must also beat it read along.
    candidates = [0, 90, 180, 270] if lines.ambiguous or lines.base else [0, 180]
    if osd is not None and osd[0] not in candidates:
        candidates.append(osd[0])
    strip = _text_strip(upright, dpi)
    scores = {turn: reading.confidence(_turn(strip, turn), dpi) for turn in candidates}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best_turn, best = ranked[0]
    if best <= 0:
        return None, "none", 0.0
    margin = best - (ranked[1][1] if len(ranked) > 1 else 0.0)
    return (lines.base + best_turn) % 360, "confidence", round(margin, 2)


def upside_down(image: Image.Image, *, dpi: int, reader: WordReader) -> tuple[bool, float]:
    """Is this level page upside down? (answer, confidence margin), from a small text strip.

    Asked by the capture worker only when the page's own OCR read was poor (a
    page read upside down gives few confident words), so an upright page pays
    nothing. A block of the densest text, about 20 x 70 mm at 150 dpi, is read
    both ways; the confident letters decide.
    """
    grey, scale = _downscale(image, dpi)
    work_dpi = max(1, round(dpi * scale))
    strip = _densest_columns(_text_strip(grey, work_dpi, band_mm=_FLIP_STRIP_MM), work_dpi)
    upright = confidence_score(reader(strip, work_dpi))
    turned = confidence_score(reader(_turn(strip, 180), work_dpi))
    return turned > upright, round(abs(turned - upright), 2)


def _turn(grey: Gray, clockwise: int) -> Gray:
    if clockwise == 0:
        return grey
    return np.asarray(Image.fromarray(grey).transpose(_TRANSPOSE[clockwise]), dtype=np.uint8)


def _densest_columns(strip: Gray, dpi: int, width_mm: float = _FLIP_STRIP_WIDTH_MM) -> Gray:
    """The ``width_mm`` of ``strip`` with the most ink: a few words a line are enough."""
    width = round(width_mm / 25.4 * dpi)
    if strip.shape[1] <= width:
        return strip
    cols = (strip < 160).sum(axis=0).astype(np.float64)
    start = int(np.argmax(np.convolve(cols, np.ones(width), mode="valid")))
    return np.ascontiguousarray(strip[:, start : start + width])


def _text_strip(upright: Gray, dpi: int, band_mm: float = _STRIP_MM) -> Gray:
    """A band of the densest text, about ``band_mm`` high: enough words, quick to read."""
    dark = upright < 160
    rows = dark.sum(axis=1).astype(np.float64)
    cols = np.nonzero(dark.any(axis=0))[0]
    if not rows.any() or cols.size == 0:
        return upright
    band = max(1, round(band_mm / 25.4 * dpi))
    window = np.convolve(rows, np.ones(band), mode="valid") if len(rows) > band else rows
    start = int(np.argmax(window)) if len(rows) > band else 0
    pad = round(2 / 25.4 * dpi)
    x0, x1 = max(0, int(cols[0]) - pad), min(upright.shape[1], int(cols[-1]) + pad + 1)
    y0, y1 = max(0, start - pad), min(upright.shape[0], start + band + pad)
    return np.ascontiguousarray(upright[y0:y1, x0:x1])


# =========================================================================== tesseract


def _png(grey: Gray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _tesseract(
    grey: Gray, args: list[str], settings: ScanSettings, temp_dir: Path
) -> subprocess.CompletedProcess[bytes]:
    """Run Tesseract on an in-memory image (stdin -> stdout; nothing on disk)."""
    env = dict(os.environ)
    env.update(
        {
            "OMP_THREAD_LIMIT": "1",
            "TMPDIR": str(temp_dir),
            "TMP": str(temp_dir),
            "TEMP": str(temp_dir),
        }
    )
    try:
        return subprocess.run(
            [settings.tesseract_cmd, "stdin", "stdout", *args],
            input=_png(grey),
            capture_output=True,
            timeout=settings.tesseract_timeout_seconds,
            env=env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ExternalToolError(
            say("scanning.tesseract_not_found",
                "Tesseract was not found; install tesseract-ocr with the osd and vie languages")
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(
            say("scanning.tesseract_timeout",
                "Tesseract took more than {seconds:.0f} s on one page",
                seconds=settings.tesseract_timeout_seconds)
        ) from exc


def _osd(
    upright: Gray, dpi: int, settings: ScanSettings, temp_dir: Path
) -> tuple[int, float] | None:
    """(clockwise turn Tesseract says the page needs, confidence), or None if it cannot tell."""
    proc = _tesseract(upright, ["--psm", "0", "--dpi", str(dpi), "-l", "osd"], settings, temp_dir)
    text = proc.stdout.decode("utf-8", "replace")
    turn = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if proc.returncode != 0 or not turn or not conf:
        return None  # "Too few characters": the fallback decides
    return int(turn.group(1)) % 360, float(conf.group(1))


def _read_confidence(grey: Gray, dpi: int, settings: ScanSettings, temp_dir: Path) -> float:
    """How readable the strip is this way up: letters of confident words, weighted.

    Upside-down text still yields "words", but with low confidence; counting
    only letters of words above 50 makes the right way up clearly win.
    """
    args = ["--psm", "6", "--dpi", str(dpi), "-l", settings.tesseract_lang, "tsv"]
    proc = _tesseract(grey, args, settings, temp_dir)
    if proc.returncode != 0:
        if b"Failed loading language" in proc.stderr or b"Error opening data file" in proc.stderr:
            raise ExternalToolError(
                say("scanning.tesseract_language_missing",
                    "Tesseract has no '{language}' language data; install tesseract-ocr-vie",
                    language=settings.tesseract_lang)
            )
        return 0.0
    words = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 12 and cells[0] == "5":
            words.append((float(cells[10]), cells[11].strip()))
    return confidence_score(words)


def confidence_score(words: Sequence[tuple[float, str]]) -> float:
    """How readable a strip is this way up: letters of confident words, weighted.

    Upside-down text still yields "words", but with low confidence; counting
    only letters of words above 50 makes the right way up clearly win.
    """
    score = 0.0
    for conf, word in words:
        letters = sum(ch.isalnum() for ch in word)
        if conf > 50 and letters >= 2:
            score += (conf - 50) * letters
    return score / 100.0
