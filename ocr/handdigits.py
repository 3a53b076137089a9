"""Read the handwritten digits a clerk wrote into a header slot ("Số: 2164/TB-…", "ngày 04").

Real headers leave the number and the day blank at printing; they are written in by hand
after signing, and Tesseract, trained on print, reads them badly. This module reads one
slot image: binarise, take out dotted leaders and underlines, split the ink into digits
(connected components; broken strokes merged, touching digits split by width), normalise
each digit the way MNIST was (20 x 20 box centred by mass in 28 x 28) and classify it with
a small multilayer perceptron whose weights ship in ``resources/models/handdigits.npz``
(trained offline by ``bench/train_handdigits.py``; numpy only at run time, nothing is
downloaded). A read is never trusted by the caller: it only fills a field for the clerk to
confirm, so every read comes with a per-digit confidence, and a slot whose ink does not
look like 1-5 digits is refused (None).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

MODEL_PATH = Path(__file__).resolve().parent.parent / "resources" / "models" / "handdigits.npz"
JUNK = 10  # the model's eleventh class: ink that is not a digit (print, a slash, a fragment)

Mask = npt.NDArray[np.uint8]
Vec = npt.NDArray[np.float32]

_MIN_DIGIT = 0.45  # a digit stands at least this share of the printed line's height
_MAX_DIGITS = 5
_SPLIT_ASPECT = 0.95  # wider than this times its height: two or more digits touching
_DIGIT_ASPECT = 0.62  # width / height of one handwritten digit, for splitting
_SURE_JUNK = 0.9  # a piece is left out as not a digit only when the model is this sure


@dataclass(frozen=True)
class DigitRead:
    """The digits read in one slot, left to right, with each digit's probability."""

    digits: str
    confidence: tuple[float, ...]


def binarise(grey: npt.NDArray[np.uint8]) -> Mask:
    """Ink as 1, paper as 0 (Otsu). A crop with no contrast has no ink."""
    if grey.size == 0 or int(grey.max()) - int(grey.min()) < 60:
        return np.zeros(grey.shape, np.uint8)
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink.astype(np.uint8)


def remove_rules(ink: Mask, line_h: int) -> Mask:
    """Take out underlines and dotted leader runs: long thin horizontal ink."""
    length = max(8, int(1.5 * line_h))
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    out: Mask = ink.copy()
    out[rules > 0] = 0
    return out


def segment(ink: Mask, line_top: int, line_h: int) -> list[Mask] | None:
    """One mask per digit, left to right (each the size of ``ink``); None when the ink
    does not look like a row of digits (none, or more than five). ``line_top`` is where
    the printed words beside the slot start, in the crop's rows: ink that does not reach
    into their band belongs to the lines above or below."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    floor = _MIN_DIGIT * line_h
    keep = [i for i in range(1, n)
            if stats[i, cv2.CC_STAT_HEIGHT] >= floor or stats[i, cv2.CC_STAT_WIDTH] >= floor]
    keep = [i for i in keep if stats[i, cv2.CC_STAT_AREA] >= max(6, floor * 0.6)
            and _near_band(stats[i], line_top, line_h)]
    groups = _merge_overlapping(keep, np.asarray(stats, np.int32))
    pieces: list[Mask] = []
    for members, (left, right) in groups:
        mask = np.isin(labels, members).astype(np.uint8)
        ys = np.nonzero(mask.any(axis=1))[0]
        height = int(ys[-1] - ys[0] + 1)
        if height < floor or not _in_band(int(ys[0]), height, line_top, line_h):
            continue  # a dash, a fragment of a rule, or ink of the lines above and below
        pieces.extend(_split_wide(mask, left, right, height))
    if not pieces or len(pieces) > 2 * _MAX_DIGITS:
        return None
    return pieces


def _printed_slash(piece: Mask, line_top: int, line_h: int) -> bool:
    """A thin stroke as tall as the print and standing in its band: the notation's slash
    (a handwritten 1 stands taller than the print beside it, or off its band)."""
    ys, xs = np.nonzero(piece)
    top, bottom = int(ys.min()), int(ys.max()) + 1
    width = int(xs.max()) - int(xs.min()) + 1
    quarter = (bottom - top) // 4
    lean = xs[ys < top + quarter].mean() - xs[ys >= bottom - quarter].mean()
    return bool(width < 0.4 * line_h and lean > 0.15 * line_h
                and abs(top - line_top) <= 0.25 * line_h
                and abs(bottom - (line_top + line_h)) <= 0.3 * line_h)


def _near_band(stat: npt.NDArray[np.int32], line_top: int, line_h: int) -> bool:
    """Whether a component comes near the printed line: not wholly in the lines above or
    below (a 5's flag or a 7's bar may stand above the print, but not that far)."""
    top = int(stat[cv2.CC_STAT_TOP])
    bottom = top + int(stat[cv2.CC_STAT_HEIGHT])
    return bottom >= line_top - 0.4 * line_h and top <= line_top + 1.4 * line_h


def _in_band(top: int, height: int, line_top: int, line_h: int) -> bool:
    """Whether ink overlaps the printed line's band by a third of the line's height."""
    overlap = min(top + height, line_top + line_h) - max(top, line_top)
    return overlap >= line_h / 3


def _merge_overlapping(
    keep: list[int], stats: npt.NDArray[np.int32]
) -> list[tuple[list[int], tuple[int, int]]]:
    """Components whose columns overlap belong to one digit (a 5's flag, a 7's bar)."""
    keep = sorted(keep, key=lambda i: int(stats[i, cv2.CC_STAT_LEFT]))
    groups: list[tuple[list[int], tuple[int, int]]] = []
    for i in keep:
        left = int(stats[i, cv2.CC_STAT_LEFT])
        right = left + int(stats[i, cv2.CC_STAT_WIDTH])
        if groups:
            members, (g_left, g_right) = groups[-1]
            overlap = min(g_right, right) - max(g_left, left)
            if overlap > 0.5 * min(right - left, g_right - g_left):
                groups[-1] = ([*members, i], (min(g_left, left), max(g_right, right)))
                continue
        groups.append(([i], (left, right)))
    return groups


def _split_wide(mask: Mask, left: int, right: int, height: int) -> list[Mask]:
    """Split a run of touching digits at the thinnest columns near equal cuts."""
    width = right - left
    if width <= _SPLIT_ASPECT * height:
        return [mask]
    parts = max(2, min(_MAX_DIGITS, round(width / (_DIGIT_ASPECT * height))))
    column = mask[:, left:right].sum(axis=0)
    cuts = [left]
    for k in range(1, parts):
        guess = k * width // parts
        lo, hi = max(1, guess - width // (3 * parts)), min(width - 1, guess + width // (3 * parts))
        cuts.append(left + lo + int(np.argmin(column[lo:hi + 1])))
    cuts.append(right)
    out = []
    for a, b in itertools.pairwise(cuts):
        piece = np.zeros_like(mask)
        piece[:, a:b] = mask[:, a:b]
        if piece.any():
            out.append(piece)
    return out


def normalise(mask: Mask) -> Vec | None:
    """MNIST's form: the digit's box scaled to fit 20 x 20, centred by mass in 28 x 28,
    strokes brought to a common width first (a fine pen and a marker look alike)."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return None
    box = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    size = max(box.shape)
    box = _even_stroke(np.pad(box, 2), size)
    h, w = box.shape
    scale = 20.0 / max(h, w)
    small = cv2.resize(box.astype(np.float32), (max(1, round(w * scale)), max(1, round(h * scale))),
                       interpolation=cv2.INTER_AREA)
    out = np.zeros((28, 28), np.float32)
    h, w = small.shape
    y0, x0 = (28 - h) // 2, (28 - w) // 2
    out[y0:y0 + h, x0:x0 + w] = small
    total = float(out.sum())
    if total <= 0:
        return None
    cy = float((out.sum(axis=1) * np.arange(28)).sum()) / total
    cx = float((out.sum(axis=0) * np.arange(28)).sum()) / total
    shift = np.array([[1, 0, 14 - cx], [0, 1, 14 - cy]], np.float32)
    moved = np.asarray(cv2.warpAffine(out, shift, (28, 28), flags=cv2.INTER_LINEAR), np.float32)
    return np.clip(moved, 0.0, 1.0).reshape(-1).astype(np.float32)


def _even_stroke(box: Mask, size: int) -> Mask:
    """Thicken a thin stroke to about a tenth of the digit's size (MNIST's pen)."""
    dist = cv2.distanceTransform(box, cv2.DIST_L2, 3)
    inside = dist[dist > 0]
    if inside.size == 0:
        return box
    stroke = 2.0 * float(np.percentile(inside, 90))
    want = size / 9.0
    if stroke >= 0.7 * want:
        return box
    k = max(1, round(want - stroke))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
    return cv2.dilate(box, kernel).astype(np.uint8)


@dataclass(frozen=True)
class Model:
    """A multilayer perceptron: ReLU hidden layers, softmax out (JUNK is class 10)."""

    weights: tuple[npt.NDArray[np.float32], ...]
    biases: tuple[npt.NDArray[np.float32], ...]

    def probabilities(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Class probabilities for rows of 784 pixels (0..1)."""
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        e = np.exp(h)
        p: npt.NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return p


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> Model:
    """The shipped weights (float16 on disk, float32 in use)."""
    with np.load(path) as data:
        layers = sum(1 for k in data.files if k.startswith("w"))
        weights = tuple(data[f"w{i}"].astype(np.float32) for i in range(layers))
        biases = tuple(data[f"b{i}"].astype(np.float32) for i in range(layers))
    return Model(weights, biases)


def read_box(page: npt.NDArray[np.uint8], box: tuple[int, int, int, int], line_top: int,
             line_h: int, max_digits: int = _MAX_DIGITS, model: Model | None = None,
             ) -> DigitRead | None:
    """:func:`read_slot` on ``box`` (left, top, right, bottom) of a grey page; ``line_top``
    in page rows. The box is clipped to the page."""
    left, top = max(0, box[0]), max(0, box[1])
    right, bottom = min(page.shape[1], box[2]), min(page.shape[0], box[3])
    if right - left < 4 or bottom - top < line_h:
        return None
    return read_slot(page[top:bottom, left:right], line_top - top, line_h, model=model,
                     max_digits=max_digits)


def read_slot(grey: npt.NDArray[np.uint8], line_top: int, line_h: int,
              model: Model | None = None, max_digits: int = _MAX_DIGITS) -> DigitRead | None:
    """The digits handwritten in a slot crop (grey, ink dark); the printed words beside it
    start at row ``line_top`` and are ``line_h`` tall. None when the ink is not a
    plausible row of 1..``max_digits`` digits. The row is the pieces from the first that may
    be a digit to the first after it that surely is not (the label's colon before, the
    notation's "/TB-…" after, caught by the crop; a handwritten 1 looks like a slash, so
    only a sure "not a digit" ends the row, and a slash standing in the print's band)."""
    if line_h < 4:
        return None
    pieces = segment(remove_rules(binarise(grey), line_h), line_top, line_h)
    if pieces is None:
        return None
    rows = [normalise(p) for p in pieces]
    if any(r is None for r in rows):
        return None
    probs = (model or load_model()).probabilities(np.stack([r for r in rows if r is not None]))
    junk = probs[:, JUNK] >= _SURE_JUNK
    best = [int(c) for c in probs[:, :JUNK].argmax(axis=1)]
    start = next((i for i in range(len(best)) if not junk[i]), None)
    if start is None:
        return None
    stop = next((i for i in range(start, len(best)) if junk[i]), len(best))
    # the notation's "/" (read as a 1): the print starts there, whatever follows reads as
    stop = next((i for i in range(start, stop) if _printed_slash(pieces[i], line_top, line_h)),
                stop)
    run = range(start, stop)
    if not run or len(run) > max_digits:
        return None
    return DigitRead("".join(str(best[i]) for i in run),
                     tuple(round(float(probs[i, best[i]]), 3) for i in run))
