"""Render synthetic NĐ 30 documents as scanned page images, with ground truth.

Layout follows Nghị định 30/2020 Phụ lục I on A4 (margins 20/20/30/15 mm):
agency block top-left with a rule under the organ, the national motto
top-right with a rule under "Độc lập - Tự do - Hạnh phúc", "Số: …" under the
agency, the italic place/date line under the motto, the centred type line and
trích yếu, justified body, "Nơi nhận:" bottom-left and the signer block
bottom-right, sometimes under a red round seal. Page 2 carries its number at
the top centre.

Everything is drawn from ``random.Random(f"{seed}:{index}")`` and a numpy
generator seeded the same way, so a (seed, index) pair always gives the same
pixels on the same FreeType. Rendering goes straight to the target dpi, and
the expensive degradations work on single-channel data where possible, to
stay well under half a second per page.

CLI: ``python -m tests.corpus.generate --out DIR --n 40 --seed 1``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from tests.corpus.templates import DocSpec, Para, make_document

FONT_DIRS = {
    "Liberation Serif": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-",
                         {"regular": "Regular", "bold": "Bold", "italic": "Italic",
                          "bold_italic": "BoldItalic"}),
    "DejaVu Serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif",
                     {"regular": "", "bold": "-Bold", "italic": "-Italic",
                      "bold_italic": "-BoldItalic"}),
    "Noto Serif": ("/usr/share/fonts/truetype/noto/NotoSerif-",
                   {"regular": "Regular", "bold": "Bold", "italic": "Italic",
                    "bold_italic": "BoldItalic"}),
}
# DejaVu is much wider than Times-like faces; shrink it so lines break like a real page.
FAMILY_SCALE = {"Liberation Serif": 1.0, "DejaVu Serif": 0.86, "Noto Serif": 0.95}
A4_MM = (210.0, 297.0)
MARGIN_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
PAPER = 255
INK = 20
SEAL_RGB = (200, 32, 44)
SIGN_RGB = (28, 38, 120)


# ----------------------------------------------------------------------- data


@dataclass(frozen=True)
class Degradation:
    """How a sample was spoiled; all zero/False means a clean scan.

    ``skew_deg``: the content is rotated counter-clockwise by this much
    (``image.rotate(-skew_deg)`` undoes it). ``turned_deg``: the page was fed
    turned clockwise by 0/90/180/270 (``image.rotate(turned_deg, expand=True)``
    undoes it).
    """

    dpi: int = 200
    skew_deg: float = 0.0
    turned_deg: int = 0
    blur_radius: float = 0.0
    noise_sigma: float = 0.0
    speckle_density: float = 0.0
    yellowed: bool = False
    jpeg_quality: int | None = None
    border_mm: float = 0.0
    border_edges: tuple[str, ...] = ()
    perspective: float = 0.0  # largest corner shift, as a fraction of the page width

    @property
    def is_clean(self) -> bool:
        return self == Degradation(dpi=self.dpi)


@dataclass(frozen=True)
class Sample:
    """One document: page images (1–2), truth (JSON-able) and the degradation applied."""

    name: str
    pages: tuple[Image.Image, ...]
    truth: dict[str, Any]
    degradation: Degradation
    encoded: tuple[bytes, ...] = ()  # the JPEG bytes when the scan was JPEG-compressed

    @property
    def dpi(self) -> int:
        return self.degradation.dpi

    @property
    def text(self) -> str:
        return str(self.truth["text"])


# -------------------------------------------------------------------- fonts


class FontBook:
    """Loaded faces of one family at one dpi (per ``generate`` call, not global)."""

    def __init__(self, family: str, dpi: int) -> None:
        self.family, self.dpi = family, dpi
        self._cache: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def get(self, style: str, pt: float) -> ImageFont.FreeTypeFont:
        key = (style, pt)
        if key not in self._cache:
            prefix, suffixes = FONT_DIRS[self.family]
            px = round(pt * FAMILY_SCALE[self.family] * self.dpi / 72)
            self._cache[key] = ImageFont.truetype(f"{prefix}{suffixes[style]}.ttf", px)
        return self._cache[key]


# ------------------------------------------------------------------- layout


@dataclass
class Row:
    """A horizontal band of the page: texts and rules placed relative to its top."""

    height: int
    texts: list[tuple[int, int, str, ImageFont.FreeTypeFont]] = field(default_factory=list)
    rules: list[tuple[int, int, int, int]] = field(default_factory=list)  # x0, dy, x1, width
    lines: list[str] = field(default_factory=list)  # truth text, reading order
    marks: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # seal/signature


class Layout:
    """Turns a DocSpec into rows of positioned text at one dpi."""

    def __init__(self, doc: DocSpec, fonts: FontBook, body_pt: float) -> None:
        self.doc, self.fonts, self.body_pt = doc, fonts, body_pt
        self.dpi = fonts.dpi
        self.left = self.mm(MARGIN_MM["left"])
        self.right = self.mm(A4_MM[0] - MARGIN_MM["right"])

    def mm(self, value: float) -> int:
        return round(value * self.dpi / 25.4)

    def line_height(self, font: ImageFont.FreeTypeFont, factor: float = 1.18) -> int:
        return round(font.size * factor)

    @staticmethod
    def wrap(words: list[str], fonts: list[ImageFont.FreeTypeFont], width: int,
             first_indent: int = 0) -> list[list[int]]:
        """Greedy line breaking; returns the word indices of each line."""
        lines: list[list[int]] = [[]]
        used = 0.0
        for i, word in enumerate(words):
            w = fonts[i].getlength(word)
            limit = width - (first_indent if len(lines) == 1 else 0)
            if not lines[-1]:
                lines[-1].append(i)
                used = w
            elif used + fonts[i].getlength(" ") + w > limit:
                lines.append([i])
                used = w
            else:
                lines[-1].append(i)
                used += fonts[i].getlength(" ") + w
        return lines

    def centred(self, text: str, style: str, pt: float, x0: int, x1: int,
                factor: float = 1.18) -> list[Row]:
        """Centred text within [x0, x1], wrapped when wider."""
        font = self.fonts.get(style, pt)
        words = text.split()
        rows = []
        for idx in self.wrap(words, [font] * len(words), x1 - x0):
            line = " ".join(words[i] for i in idx)
            width = round(font.getlength(line))
            row = Row(self.line_height(font, factor))
            row.texts.append(((x0 + x1 - width) // 2, 0, line, font))
            row.lines.append(line)
            rows.append(row)
        return rows

    def paragraph(self, para: Para) -> list[Row]:
        if para.align == "center":
            return self.centred(para.text, para.style, self.body_pt, self.left, self.right)
        words = para.text.split()
        bold = "bold_italic" if para.style == "italic" else "bold"
        fonts = [self.fonts.get(bold if i < para.bold_words else para.style, self.body_pt)
                 for i in range(len(words))]
        indent = self.mm(10) if para.indent else 0
        breaks = self.wrap(words, fonts, self.right - self.left, indent)
        rows = []
        for n, idx in enumerate(breaks):
            start = self.left + (indent if n == 0 else 0)
            justify = para.align == "justify" and n < len(breaks) - 1
            rows.append(self._justified(words, fonts, idx, start, justify))
        return rows

    def _justified(self, words: list[str], fonts: list[ImageFont.FreeTypeFont],
                   idx: list[int], start: int, justify: bool) -> Row:
        widths = [fonts[i].getlength(words[i]) for i in idx]
        natural_gap = fonts[idx[0]].getlength(" ")
        gap = natural_gap
        if justify and len(idx) > 1:
            gap = (self.right - start - sum(widths)) / (len(idx) - 1)
        row = Row(self.line_height(fonts[idx[0]], 1.25))
        x = float(start)
        for i, w in zip(idx, widths, strict=True):
            row.texts.append((round(x), 0, words[i], fonts[i]))
            x += w + gap
        row.lines.append(" ".join(words[i] for i in idx))
        return row

    @staticmethod
    def stack(columns: list[list[Row]], gap: int = 0) -> Row:
        """Several columns of rows side by side as one row (header, footer)."""
        out = Row(0)
        for rows in columns:
            y = 0
            for row in rows:
                out.texts += [(x, dy + y, t, f) for x, dy, t, f in row.texts]
                out.rules += [(x0, dy + y, x1, w) for x0, dy, x1, w in row.rules]
                out.marks.update({k: (a, b + y, c, d + y) for k, (a, b, c, d) in row.marks.items()})
                out.lines += row.lines
                y += row.height
            out.height = max(out.height, y + gap)
        return out

    def ruled(self, rows: list[Row], fraction: float, pad: int) -> list[Row]:
        """A centred rule under the last row (organ name, motto, QĐ subject)."""
        last = rows[-1]
        x, _, text, font = last.texts[0]
        width = font.getlength(text)
        length = width * fraction
        mid = x + width / 2
        last.rules.append((round(mid - length / 2), last.height + pad // 2, round(mid + length / 2),
                           max(1, self.mm(0.25))))
        return [*rows, Row(pad)]

    def header(self) -> Row:
        doc, organ = self.doc, self.doc.organ
        lx0, lx1 = self.mm(10), self.mm(92)
        rx0, rx1 = self.mm(94), self.mm(206)
        left = self.centred(organ.parent, "regular" if organ.ward == "" else "bold", 12.5, lx0,
                            lx1, 1.1)
        left += self.ruled(self.centred(organ.name, "bold", 13, lx0, lx1, 1.1), 0.4, self.mm(3))
        left += self.centred(f"Số: {doc.code_number}/{doc.code_notation}", "regular", 13, lx0,
                             lx1)
        if not doc.type_line:
            left += self.centred(doc.subject, "regular", 12, lx0 + self.mm(6), lx1 - self.mm(6),
                                 1.1)
        right = self.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 12, rx0, rx1, 1.1)
        right += self.ruled(self.centred("Độc lập - Tự do - Hạnh phúc", "bold", 13, rx0, rx1,
                                         1.1), 1.0, self.mm(3))
        right += self.centred(doc.date_line, "italic", 13, rx0, rx1)
        return self.stack([left, right], gap=self.mm(6))

    def title(self) -> list[Row]:
        doc = self.doc
        rows: list[Row] = []
        if doc.type_line:
            rows += self.centred(doc.type_line, "bold", 14, self.left, self.right)
            subject = self.centred(doc.subject, "bold", 14, self.left + self.mm(12),
                                   self.right - self.mm(12))
            rows += self.ruled(subject, 0.3, self.mm(4)) if doc.kind == "quyet_dinh" else subject
        if doc.recipient_line:
            rows.append(Row(self.mm(3)))
            rows += self.centred(doc.recipient_line, "regular", self.body_pt, self.left, self.right)
        rows.append(Row(self.mm(4)))
        return rows

    def footer(self) -> Row:
        doc = self.doc
        mid = self.mm(105)
        left: list[Row] = []
        if doc.secretary:
            left += self.signer_rows(list(doc.secretary[:1]), doc.secretary[1], self.left, mid,
                                     "secretary")
        elif doc.recipients:
            left += self.centred_left("Nơi nhận:", "bold_italic", 12)
            for item in doc.recipients:
                left += self.centred_left(item, "regular", 11)
        right = self.signer_rows(list(doc.signer_lines), doc.signer_name, mid, self.right,
                                 "signature")
        return self.stack([left, right], gap=self.mm(2))

    def centred_left(self, text: str, style: str, pt: float) -> list[Row]:
        font = self.fonts.get(style, pt)
        row = Row(self.line_height(font, 1.1))
        row.texts.append((self.left - self.mm(8), 0, text, font))
        row.lines.append(text)
        return [row]

    def signer_rows(self, titles: list[str], name: str, x0: int, x1: int, mark: str) -> list[Row]:
        rows: list[Row] = []
        for title in titles:
            rows += self.centred(title, "bold", 13.5, x0, x1, 1.15)
        gap = Row(self.mm(26))
        gap.marks[mark] = (x0 + (x1 - x0) // 4, self.mm(2), x1 - (x1 - x0) // 4, self.mm(22))
        rows.append(gap)
        rows += self.centred(name, "bold", 13.5, x0, x1)
        return rows

    def body(self) -> list[Row]:
        rows: list[Row] = []
        for para in self.doc.body:
            rows.append(Row(self.mm(1.6)))
            rows += self.paragraph(para)
        rows.append(Row(self.mm(6)))
        return rows


@dataclass
class PagePlan:
    rows: list[tuple[int, Row]] = field(default_factory=list)  # (top y, row)


def paginate(layout: Layout, max_pages: int) -> list[PagePlan] | None:
    """Place header, title, body and footer; None when it needs more than max_pages."""
    top, bottom = layout.mm(MARGIN_MM["top"]), layout.mm(A4_MM[1] - MARGIN_MM["bottom"])
    pages = [PagePlan()]
    header = layout.header()
    pages[0].rows.append((top, header))
    y = top + header.height
    for row in [*layout.title(), *layout.body(), layout.footer()]:
        if y + row.height > bottom and row.texts:
            if len(pages) == max_pages:
                return None
            pages.append(PagePlan())
            number = layout.centred(str(len(pages)), "regular", 13, layout.left, layout.right)[0]
            pages[-1].rows.append((layout.mm(10), number))
            y = top + layout.mm(2)
        pages[-1].rows.append((y, row))
        y += row.height
    return pages


def plan_document(doc: DocSpec, fonts: FontBook, body_pt: float,
                  max_pages: int) -> tuple[DocSpec, list[PagePlan]]:
    """Lay out; if it is too long, drop middle body paragraphs until it fits."""
    while True:
        plan = paginate(Layout(doc, fonts, body_pt), max_pages)
        if plan is not None:
            return doc, plan
        if len(doc.body) <= 3:
            body_pt -= 0.5
            if body_pt < 11:
                raise ValueError("document cannot fit the page limit")
            continue
        body = (*doc.body[:-2], doc.body[-1])
        doc = replace(doc, body=body)


# -------------------------------------------------------------------- render


def _seal_mask(doc: DocSpec, dpi: int, rng: random.Random) -> Image.Image:
    """A round seal: two rings, the organ's name along the top arc, a star in the centre."""
    r = round(rng.uniform(16, 19) * dpi / 25.4)
    size = 2 * r + 8
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size // 2
    ring = max(2, round(0.7 * dpi / 25.4))
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    inner = r - round(5.2 * dpi / 25.4)
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=ring // 2 + 1)
    star = [(c + (inner * 0.45 if k % 2 == 0 else inner * 0.18) * math.sin(math.pi * k / 5),
             c - (inner * 0.45 if k % 2 == 0 else inner * 0.18) * math.cos(math.pi * k / 5))
            for k in range(10)]
    draw.polygon(star, fill=255)
    font = ImageFont.truetype(FONT_DIRS["DejaVu Serif"][0] + "-Bold.ttf",
                              round(2.6 * dpi / 25.4))
    text = doc.organ.organ_name
    radius = (r + inner) / 2
    span = min(300.0, 9.5 * len(text))
    for k, ch in enumerate(text):
        angle = -span / 2 + span * (k + 0.5) / len(text)
        half = round(font.size)
        glyph = Image.new("L", (half * 2, half * 2), 0)
        ImageDraw.Draw(glyph).text((half, half), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BILINEAR)
        gx = round(c + radius * math.sin(math.radians(angle))) - half
        gy = round(c - radius * math.cos(math.radians(angle))) - half
        mask.paste(ImageChops.lighter(mask.crop((gx, gy, gx + glyph.width, gy + glyph.height)),
                                      glyph), (gx, gy))
    return mask


def _stamp(page: Image.Image, mask: Image.Image, centre: tuple[int, int], strength: float,
           nrng: np.random.Generator) -> None:
    """Multiply red ink into the page where the mask is (ink over text stays dark)."""
    x0, y0 = centre[0] - mask.width // 2, centre[1] - mask.height // 2
    box = (x0, y0, x0 + mask.width, y0 + mask.height)
    region = np.asarray(page.crop(box), dtype=np.float32)
    patchy = nrng.uniform(0.65, 1.0, size=(8, 8)).astype(np.float32)
    uneven = np.asarray(Image.fromarray(patchy).resize(mask.size, Image.Resampling.BILINEAR))
    alpha = np.asarray(mask, dtype=np.float32)[..., None] / 255.0 * strength * uneven[..., None]
    ink = np.array(SEAL_RGB, dtype=np.float32) / 255.0
    out = region * (1.0 - alpha * (1.0 - ink))
    page.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8), "RGB"), box)


def _signature(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random,
               colour: int | tuple[int, int, int], dpi: int) -> None:
    x0, y0, x1, y1 = box
    width = max(2, round(0.35 * dpi / 25.4))
    for _ in range(rng.randint(2, 4)):
        pts = [(rng.uniform(x0, x1), rng.uniform(y0 + (y1 - y0) * 0.3, y1 - (y1 - y0) * 0.2))
               for _ in range(4)]
        curve = []
        for t in np.linspace(0, 1, 40):
            a = (1 - t) ** 3
            b, c, d = 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            curve.append((a * pts[0][0] + b * pts[1][0] + c * pts[2][0] + d * pts[3][0],
                          a * pts[0][1] + b * pts[1][1] + c * pts[2][1] + d * pts[3][1]))
        draw.line(curve, fill=colour, width=width, joint="curve")


def render_page(doc: DocSpec, plan: PagePlan, dpi: int, colour: bool, rng: random.Random,
                nrng: np.random.Generator) -> tuple[Image.Image, list[str]]:
    size = (round(A4_MM[0] * dpi / 25.4), round(A4_MM[1] * dpi / 25.4))
    page = Image.new("RGB" if colour else "L", size, (PAPER,) * 3 if colour else PAPER)
    draw = ImageDraw.Draw(page)
    ink: int | tuple[int, int, int] = (INK,) * 3 if colour else INK
    lines: list[str] = []
    seal_at: tuple[int, int] | None = None
    for top, row in plan.rows:
        for x, dy, text, font in row.texts:
            draw.text((x, top + dy), text, font=font, fill=ink)
        for x0, dy, x1, w in row.rules:
            draw.line((x0, top + dy, x1, top + dy), fill=ink, width=w)
        for name, (a, b, c, d) in row.marks.items():
            pen = SIGN_RGB if colour else 60
            _signature(draw, (a, top + b, c, top + d), rng, pen, dpi)
            if name == "signature" and doc.seal:
                seal_at = (a - round(2 * dpi / 25.4), top + (b + d) // 2)
        lines += row.lines
    if seal_at is not None and colour:
        _stamp(page, _seal_mask(doc, dpi, rng), seal_at, rng.uniform(0.75, 0.95), nrng)
    return page, lines


# ---------------------------------------------------------------- degradation


def choose_degradation(rng: random.Random, mode: str, dpi: int | None) -> Degradation:
    """Seeded degradations; ``clean`` none, ``upright`` no skew or quarter turn."""
    res = dpi or rng.choice((200, 300))
    if mode == "clean":
        return Degradation(dpi=res)
    upright = mode == "upright"
    edges = tuple(sorted(rng.sample(("top", "right", "bottom", "left"), rng.randint(1, 2))))
    has_border = rng.random() < 0.3
    return Degradation(
        dpi=res,
        skew_deg=0.0 if upright or rng.random() < 0.3 else round(
            rng.choice((-1, 1)) * rng.uniform(0.5, 3.5), 2),
        turned_deg=0 if upright or rng.random() < 0.75 else rng.choice((90, 180, 270)),
        blur_radius=round(rng.uniform(0.4, 1.1), 2) if rng.random() < 0.5 else 0.0,
        noise_sigma=round(rng.uniform(3, 10), 1) if rng.random() < 0.5 else 0.0,
        speckle_density=round(rng.uniform(0.0002, 0.0015), 5) if rng.random() < 0.4 else 0.0,
        yellowed=rng.random() < 0.35,
        jpeg_quality=rng.randint(35, 80) if rng.random() < 0.5 else None,
        border_mm=round(rng.uniform(2, 7), 1) if has_border else 0.0,
        border_edges=edges if has_border else (),
        perspective=round(rng.uniform(0.002, 0.007), 4) if rng.random() < 0.25 else 0.0,
    )


def _lid_colour(img: np.ndarray, grey: int) -> tuple[int, int, int]:
    return (grey, grey, grey)


def _tint(img: Image.Image, rng: random.Random) -> Image.Image:
    """Yellowed paper: a per-channel multiply done with lookup tables (fast)."""
    tint = (255, rng.randint(240, 248), rng.randint(200, 222))
    bands = img.convert("RGB").split()
    return Image.merge("RGB", [b.point([v * t // 255 for v in range(256)])
                               for b, t in zip(bands, tint, strict=True)])


def degrade(img: Image.Image, deg: Degradation, rng: random.Random,
            nrng: np.random.Generator) -> tuple[Image.Image, bytes | None]:
    """Apply ``deg`` in the order a scan suffers it; returns the image and JPEG bytes.

    Geometry and blur go through OpenCV: Pillow's Gaussian blur and bilinear
    rotation of a 300 dpi page cost a quarter of a second each.
    """
    if deg.yellowed:
        img = _tint(img, rng)
    mode = img.mode
    arr = np.asarray(img)
    lid = _lid_colour(arr, rng.randint(30, 90))
    h, w = arr.shape[:2]
    if deg.perspective:
        span = deg.perspective * w
        corners = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float32)
        moved = corners + np.array([(rng.uniform(-span, span), rng.uniform(-span, span))
                                    for _ in range(4)], dtype=np.float32)
        matrix = cv2.getPerspectiveTransform(corners, moved)
        arr = cv2.warpPerspective(arr, matrix, (w, h), flags=cv2.INTER_LINEAR,
                                  borderValue=lid)
    if deg.skew_deg:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), deg.skew_deg, 1.0)
        arr = cv2.warpAffine(arr, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=lid)
    if deg.border_mm:
        arr = _border(arr, deg, lid[0])
    if deg.blur_radius:
        arr = cv2.GaussianBlur(arr, (0, 0), deg.blur_radius * deg.dpi / 300)
    if deg.noise_sigma or deg.speckle_density:
        arr = _noise(arr, deg, nrng)
    if deg.turned_deg:
        arr = np.ascontiguousarray(np.rot90(arr, k=-deg.turned_deg // 90))
    img = Image.fromarray(arr, mode)
    if deg.jpeg_quality is None:
        return img, None
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=deg.jpeg_quality, dpi=(deg.dpi, deg.dpi))
    data = buf.getvalue()
    out = Image.open(io.BytesIO(data))
    out.load()
    return out, data


def _border(arr: np.ndarray, deg: Degradation, grey: int) -> np.ndarray:
    """The dark band a scanner lid leaves where the paper is smaller than the bed."""
    band = round(deg.border_mm * deg.dpi / 25.4)
    arr = arr.copy()
    for edge in deg.border_edges:
        if edge == "top":
            arr[:band] = grey
        elif edge == "bottom":
            arr[-band:] = grey
        elif edge == "left":
            arr[:, :band] = grey
        else:
            arr[:, -band:] = grey
    return arr


def _noise(arr: np.ndarray, deg: Degradation, nrng: np.random.Generator) -> np.ndarray:
    """Sensor noise (one channel, shared by R, G, B: cheap) and dust speckles."""
    h, w = arr.shape[:2]
    delta = np.zeros((h, w), dtype=np.int16)
    if deg.noise_sigma:
        noise = nrng.standard_normal((h, w), dtype=np.float32)
        noise *= deg.noise_sigma
        delta += noise.astype(np.int16)
    if deg.speckle_density:
        n = int(h * w * deg.speckle_density)
        ys, xs = nrng.integers(0, h, n), nrng.integers(0, w, n)
        delta[ys, xs] = np.where(nrng.random(n) < 0.7, -200, 200).astype(np.int16)
    if arr.ndim == 3:
        delta = delta[..., None]
    out = arr.astype(np.int16)
    out += delta
    return np.clip(out, 0, 255, out=out).astype(np.uint8)


# ---------------------------------------------------------------------- api


def make_sample(seed: int, index: int, *, mode: str = "mixed", dpi: int | None = None,
                max_pages: int = 2) -> Sample:
    """Sample ``index`` of the corpus ``seed`` (independent of the others)."""
    rng = random.Random(f"{seed}:{index}")
    nrng = np.random.default_rng([seed, index])
    doc = make_document(rng)
    family = rng.choice(sorted(FONT_DIRS))
    body_pt = rng.choice((13.0, 14.0))
    deg = choose_degradation(rng, mode, dpi)
    doc, plan = plan_document(doc, FontBook(family, deg.dpi), body_pt, max_pages)
    colour = doc.seal or deg.yellowed
    pages, encoded, page_texts = [], [], []
    for page_plan in plan:
        image, lines = render_page(doc, page_plan, deg.dpi, colour, rng, nrng)
        image, jpeg = degrade(image, deg, rng, nrng)
        image.info["dpi"] = (deg.dpi, deg.dpi)
        pages.append(image)
        page_texts.append("\n".join(lines))
        if jpeg is not None:
            encoded.append(jpeg)
    truth: dict[str, Any] = {
        **doc.truth_fields(), "kind": doc.kind, "font": family, "body_pt": body_pt,
        "seal": doc.seal, "text": "\f".join(page_texts), "page_texts": page_texts,
        "degradation": asdict(deg),
    }
    name = f"s{seed}-{index:04d}-{doc.kind.replace('_', '-')}"
    return Sample(name, tuple(pages), truth, deg, tuple(encoded))


def generate(seed: int, n: int, out_dir: Path | None = None, *, mode: str = "mixed",
             dpi: int | None = None, max_pages: int = 2) -> list[Sample]:
    """``n`` samples of corpus ``seed``; written as images + truth JSON when ``out_dir``.

    ``mode``: "mixed" (seeded degradations of every kind), "clean" (none),
    "upright" (degraded, but neither skewed nor turned) or "realistic" (what real
    ward scans show: handwriting, stamps, seals, phone photos…; see
    ``tests.corpus.realistic``, which also defines its truth conventions).
    """
    if mode == "realistic":
        from tests.corpus.realistic import make_realistic, write_dataset

        samples = [make_realistic(seed, i, dpi=dpi) for i in range(n)]
        if out_dir is not None:
            write_dataset(samples, out_dir)
        return samples
    if mode not in ("mixed", "clean", "upright"):
        raise ValueError(f"unknown mode {mode!r}")
    samples = [make_sample(seed, i, mode=mode, dpi=dpi, max_pages=max_pages) for i in range(n)]
    if out_dir is not None:
        write_samples(samples, out_dir)
    return samples


def write_samples(samples: list[Sample], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        files = []
        for k, page in enumerate(sample.pages, start=1):
            if sample.encoded:
                path = out_dir / f"{sample.name}-p{k}.jpg"
                path.write_bytes(sample.encoded[k - 1])
            else:
                path = out_dir / f"{sample.name}-p{k}.png"
                page.save(path, dpi=(sample.dpi, sample.dpi), compress_level=1)
            files.append(path.name)
        truth = {**sample.truth, "name": sample.name, "pages": files}
        (out_dir / f"{sample.name}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")


# ------------------------------------------------------------------ scoring


def _tokens(text: str) -> Iterator[str]:
    yield from re.findall(r"\w+", unicodedata.normalize("NFC", text))


def word_recall(truth: str, ocr: str) -> float:
    """Share of the truth's words (multiset, case and diacritics kept) found by OCR."""
    want = Counter(_tokens(truth))
    if not want:
        return 1.0
    got = Counter(_tokens(ocr))
    return sum((want & got).values()) / sum(want.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=("mixed", "clean", "upright", "realistic"),
                        default="mixed")
    parser.add_argument("--dpi", type=int, choices=(200, 300), default=None)
    args = parser.parse_args(argv)
    start = time.monotonic()
    samples = generate(args.seed, args.n, args.out, mode=args.mode, dpi=args.dpi)
    pages = sum(len(s.pages) for s in samples)
    print(f"{len(samples)} documents, {pages} pages in {time.monotonic() - start:.1f} s "
          f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
