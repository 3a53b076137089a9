"""The capture task that runs in a worker process: one page in, decisions and text out.

Cover-sheet check, clean-up (orientation, deskew, blank, border), OCR and the
cleaned page's encoding for the PDF, all in the worker, so the parent (the
GUI's process, or the CLI) only moves bytes and writes the store. The parent
stores each image file's page *before* sending it here, so a worker that
crashes loses no page; a PDF page is rendered here from (file, page) and its
original comes back with the result (the file stays on disk: the parent renders
the page again if the worker fails). Everything in
and out is picklable; nothing touches disk but Tesseract's private temp folder.

Which way up, without a second full Tesseract pass: the clean-up finds the
direction of the text lines (0 or 90) by projection and levels the page; the
page is then read once. A page read the right way up gives mostly confident
words (on the development corpus 95-100 % of the letters, against 16-29 %
upside down), so only a poor read asks :func:`scanning.cleanup.upside_down`
(a 20 x 70 mm block read both ways), and only a page found turned is read again.
Turned pages come in runs (a stack fed the wrong way up): after one, the
worker asks the block *before* reading the next few pages, so a turned stack
costs a block per page instead of a second full read.
"""

from __future__ import annotations

import io
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from capture import textlayer
from capture.pdfa import EncodedImage, encode_image
from extract.handslots import find_slots, slot_line_top
from ocr import handdigits
from ocr.model import HandRead, PageText
from ocr.settings import OcrSettings
from ocr.tesseract import ocr_page
from ocr.workers import PageJob
from scanning.cleanup import WordReader, clean, upside_down
from scanning.coversheet import detect_coversheet
from scanning.settings import ScanSettings
from scanning.sources import PdfPage, pdf_text_layer, render_pdf_page
from store.errors import SohoaError

ORIGINAL_JPEG_QUALITY = 92
UPRIGHT_SHARE = 0.6  # under this share of confident letters, the read may be upside down
_STRIP_PSM = 6  # a strip of text is one block
_RECENT_PAGES = 4
_recent_turns: deque[bool] = deque(maxlen=_RECENT_PAGES)  # this worker's last pages: turned?


@dataclass(frozen=True)
class CaptureOptions:
    scan: ScanSettings
    cover_sheets: bool = False


@dataclass(frozen=True)
class Original:
    data: bytes
    mime: str


@dataclass(frozen=True)
class CapturedPage:
    """What one page became. ``cleaned`` is None for blank pages and cover sheets."""

    width: int
    height: int
    dpi: int
    cover_code: str | None = None
    rotation: int = 0
    skew_angle: float = 0.0
    blank: bool = False
    cleaned: EncodedImage | None = None
    text: PageText | None = None
    note: str | None = None  # a step that failed but did not stop the page
    ocr_passes: int = 0  # full-page reads: 1, or 2 when the first read found it upside down
    original: Original | None = None  # a page this worker rendered (PDF): the parent stores it
    text_layer: bool = False  # text taken from the PDF's own text layer, not OCR


def encode_original(image: Image.Image) -> Original:
    """Lossless PNG for black-and-white pages, high-quality JPEG for grey and colour."""
    buf = io.BytesIO()
    if image.mode in ("1", "P", "LA", "RGBA"):
        image.save(buf, format="PNG", optimize=False)
        return Original(buf.getvalue(), "image/png")
    image.convert("L" if image.mode in ("L", "I", "I;16", "F") else "RGB").save(
        buf, format="JPEG", quality=ORIGINAL_JPEG_QUALITY)
    return Original(buf.getvalue(), "image/jpeg")


def capture_task(job: PageJob) -> CapturedPage:
    """Runs in a worker. Top-level so it can be pickled by name.

    A clean-up failure (say, orientation detection timing out) is noted and the
    page is read as scanned; only an OCR failure fails the page.
    """
    options = job.options
    assert isinstance(options, CaptureOptions)
    cv2.setNumThreads(1)  # one worker per core already: OpenCV's threads would fight them
    if isinstance(job.page_ref, PdfPage):  # rendered here, not in the parent (module doc)
        image = render_pdf_page(job.page_ref, options.scan)
        layer = pdf_text_layer(job.page_ref)
        own = textlayer.page_text(layer, image.width, image.height, job.dpi) \
            if layer is not None and textlayer.trusted(layer) else None
        captured = _capture(image, job, options, own)
        return replace(captured, original=encode_original(image))
    with Image.open(io.BytesIO(job.image)) as opened:
        opened.load()
        image = opened
    return _capture(image, job, options)


def _capture(image: Image.Image, job: PageJob, options: CaptureOptions,
             own_text: PageText | None = None) -> CapturedPage:
    """Cover sheet, clean-up, OCR; with ``own_text`` (a born-digital page's trusted text
    layer, `capture.textlayer`) neither clean-up nor OCR: the page is taken as drawn."""
    base = CapturedPage(width=image.width, height=image.height, dpi=job.dpi)
    if options.cover_sheets:
        code = detect_coversheet(image)
        if code:
            return replace(base, cover_code=code)
    if own_text is not None:
        return replace(base, text=own_text, text_layer=True,
                       cleaned=encode_image(image, jpeg_quality=job.settings.jpeg_quality))
    reader = strip_reader(job.settings, job.temp_dir)
    try:
        result = clean(image, settings=options.scan, temp_dir=job.temp_dir, dpi=job.dpi,
                       reader=reader, defer_flip=True)
    except SohoaError as exc:
        return _read(replace(base, note=f"clean-up skipped: {exc}"), image, job)
    if result.blank:
        return replace(base, rotation=result.rotation, skew_angle=result.skew_angle, blank=True)
    page = replace(base, rotation=result.rotation, skew_angle=result.skew_angle)
    return _read(page, result.image, job, reader if result.flip_pending else None)


def strip_reader(settings: OcrSettings, temp_dir: Path) -> WordReader:
    """The clean-up's orientation reader: this worker's Tesseract on a grey strip."""
    def read(grey: npt.NDArray[np.uint8], dpi: int) -> list[tuple[float, str]]:
        text = ocr_page(Image.fromarray(grey), settings=settings, temp_dir=temp_dir, dpi=dpi,
                        psm=_STRIP_PSM, page_label="a strip (orientation)")
        return [(w.conf, w.text) for w in text.words]
    return read


def upright_share(text: PageText) -> float | None:
    """Share of the read's letters in confident words (conf >= 70); None with no letters."""
    good = total = 0
    for word in text.words:
        letters = sum(ch.isalnum() for ch in word.text)
        total += letters
        if word.conf >= 70 and letters >= 2:
            good += letters
    return good / total if total else None


def ocr_view(image: Image.Image) -> Image.Image:
    """What Tesseract reads: the red channel of a colour page ("colour dropout").

    Red seals and red stamps over the signer block turn light in the red channel,
    while black and blue ink stay dark, and yellowed paper gets lighter. The PDF
    keeps the page in colour; only the reading uses this view (same geometry).

    The red channel alone leaves a seal as a grey ring of about 200 (its ink is not
    pure red), and on real scans that ring cost the signer's surname: "Phùng Thị
    Xuân Bình" was read "`Phững #ñj Xuân Bình" (real-dev R02), "Vũ Thị Thu Nga"
    "V#Thị Thu Nga" (R05). So pixels clearly redder than they are green or blue
    (R - max(G, B) > RED_MARGIN) become paper white; black text printed under the
    seal stays, since black is not red. Measured: both names then read whole.
    """
    if image.mode == "RGB":
        return Image.fromarray(drop_red(np.asarray(image)))
    return image


RED_MARGIN = 40  # black, grey and blue ink: <= 0; yellowed paper ~10-20; seal ink 60-150
# Seal ink reads R 160-230; where a black letter's edge blends into it the pixel is
# still redder than green, but darker: it belongs to the letter and must stay
# ("Phùng" over a seal was read "Phàng" when its edges went white).
RED_LIGHT = 140


def drop_red(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The red channel with red ink (seals, received stamps) turned to white."""
    red, green, blue = cv2.split(rgb)
    redness = cv2.subtract(red, cv2.max(green, blue))  # saturates at 0
    view: npt.NDArray[np.uint8] = np.array(red, dtype=np.uint8)
    view[(redness > RED_MARGIN) & (red >= RED_LIGHT)] = 255
    return view


SealBox = tuple[int, int, int, int]  # left, top, width, height in pixels of the page
_SEAL_DPI = 50  # the search runs on a copy this coarse: a seal is 60-90 px across there
_SEAL_MM = (22.0, 50.0)  # round seals of ward and city organs are 30-42 mm across
_SEAL_ROUND = 0.7  # ink's convex hull / its enclosing circle: a disc ~1, a square 0.64
_RING_PERFECT = 0.8  # HOUGH_GRADIENT_ALT's circle perfectness (0..1); 0 false rings measured


def find_seals(image: Image.Image, dpi: int) -> tuple[SealBox, ...]:
    """Round seals on a page: boxes in the page's pixels (``PageText.seals``).

    OCR reads the page with red ink dropped (:func:`ocr_view`), so nothing in its words
    says a name was read through a seal; extraction (extract.seals) doubts a value whose
    box a seal crosses. Two finders on a copy at _SEAL_DPI, their boxes merged: round red
    ink (:func:`_red_seals`) and a seal's outer ring on any page, red, grey or 1-bit
    (:func:`_ring_seals`). Measured on 100 pages (real-dev, real-extra, the realistic
    corpus): every seal found, no box on a page without one; 10-40 ms a page.
    """
    if dpi <= 0 or image.width < 8 or image.height < 8:
        return ()
    if image.mode not in ("RGB", "L"):  # 1-bit cannot be reduced; a palette may hold red
        image = image.convert("RGB" if image.mode in ("P", "RGBA", "CMYK") else "L")
    k = max(1, round(dpi / _SEAL_DPI))
    small = image.reduce(k) if k > 1 else image
    mm = small.width / (image.width / dpi * 25.4)  # pixels of the copy per mm
    found = [*(_red_seals(small, mm) if small.mode == "RGB" else []), *_ring_seals(small, mm)]
    merged: list[SealBox] = []
    for box in sorted(found, key=lambda b: -b[2]):  # the largest first: outer ring, not inner
        if not any(_overlap(box, kept) for kept in merged):
            merged.append(box)
    return tuple((round(x * k), round(y * k), round(w * k), round(h * k))
                 for x, y, w, h in merged)


def _overlap(a: SealBox, b: SealBox) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _red_seals(small: Image.Image, mm: float) -> list[SealBox]:
    """Red ink (:func:`drop_red`'s mask, dilated so a patchy ring holds together) in a
    component 22-50 mm across, as wide as high and round: received stamps ("ĐẾN") and
    e-signature boxes are red too, but square-cornered."""
    red, green, blue = cv2.split(np.asarray(small))
    redness = cv2.subtract(red, cv2.max(green, blue))
    ink = ((redness > RED_MARGIN // 2) & (red >= RED_LIGHT)).astype(np.uint8)
    mask = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    seals: list[SealBox] = []
    for n in range(1, count):
        left, top, width, height, _area = (int(v) for v in stats[n])
        if not (_SEAL_MM[0] * mm <= max(width, height) <= _SEAL_MM[1] * mm) \
                or not 0.75 <= width / max(height, 1) <= 1.33:
            continue
        ys, xs = np.nonzero(mask[top:top + height, left:left + width])
        points = np.column_stack((xs, ys)).astype(np.int32)
        hull = cv2.contourArea(cv2.convexHull(points))
        _, radius = cv2.minEnclosingCircle(points)
        if hull >= _SEAL_ROUND * np.pi * radius * radius:
            seals.append((left, top, width, height))
    return seals


def _ring_seals(small: Image.Image, mm: float) -> list[SealBox]:
    """A seal's ring, whatever its ink (black seals on 1-bit scans, grey photocopies):
    circles 22-50 mm across found by OpenCV's gradient Hough transform, the variant that
    scores how perfect a circle is, so curved letters and table corners do not pass."""
    grey = cv2.GaussianBlur(np.asarray(small.convert("L")), (3, 3), 0)
    circles = cv2.HoughCircles(grey, cv2.HOUGH_GRADIENT_ALT, 1.5, 20 * mm, param1=150,
                               param2=_RING_PERFECT, minRadius=round(_SEAL_MM[0] / 2 * mm),
                               maxRadius=round(_SEAL_MM[1] / 2 * mm))
    if circles is None:
        return []
    return [(round(x - r), round(y - r), round(2 * r), round(2 * r)) for x, y, r in circles[0]]


def _ocr(image: Image.Image, job: PageJob) -> PageText:
    return ocr_page(ocr_view(image), settings=job.settings, temp_dir=job.temp_dir, dpi=job.dpi,
                    page_label="the page")  # the caller names it (file, page number)


_SLOT_DIGITS = {"number": 5, "day": 2, "month": 2}


def hand_reads(image: Image.Image, text: PageText) -> tuple[HandRead, ...]:
    """The header's handwritten number, day and month, read from the page image.

    Only the worker holds the image, so the slots are found here from the words
    (extract.handslots), cropped from the view Tesseract read, and read by
    ocr.handdigits; extraction decides whether a read is offered (never trusted).
    A page without such slots costs nothing but the search of its words.
    """
    slots = find_slots(text.words, text.height, text.width)
    if not slots or not handdigits.MODEL_PATH.is_file():
        return ()
    reads = []
    for slot in slots:
        box = (max(0, slot.left), max(0, slot.top),
               min(image.width, slot.right), min(image.height, slot.bottom))
        if box[2] - box[0] < 4 or box[3] - box[1] < slot.line_height:
            continue
        grey = np.asarray(ocr_view(image.crop(box)).convert("L"))  # the view, of the slot only
        got = handdigits.read_slot(grey, slot.top + slot_line_top(slot) - box[1],
                                   slot.line_height, max_digits=_SLOT_DIGITS[slot.kind])
        if got is not None:
            reads.append(HandRead(slot.kind, got.digits, got.confidence))
    return tuple(reads)


def _read(page: CapturedPage, image: Image.Image, job: PageJob,
          flip_reader: WordReader | None = None) -> CapturedPage:
    """Read the page; with ``flip_reader``, make sure it is not upside down (module doc)."""
    turned = False
    if flip_reader is not None and any(_recent_turns):
        turned, _ = upside_down(ocr_view(image), dpi=job.dpi, reader=flip_reader)
        if turned:
            image = image.transpose(Image.Transpose.ROTATE_180)
    text, passes = _ocr(image, job), 1
    share = upright_share(text)
    if flip_reader is not None and share is not None and share < UPRIGHT_SHARE:
        over_too, _ = upside_down(ocr_view(image), dpi=job.dpi, reader=flip_reader)
        if over_too:
            over = image.transpose(Image.Transpose.ROTATE_180)
            again = _ocr(over, job)
            passes += 1
            if (upright_share(again) or 0.0) > share:
                image, text, turned = over, again, not turned
    if flip_reader is not None:
        _recent_turns.append(turned)
    if turned:
        page = replace(page, rotation=(page.rotation + 180) % 360)
    text = replace(text, hand=hand_reads(image, text), seals=find_seals(image, job.dpi))
    return replace(page, text=text, ocr_passes=passes,
                   cleaned=encode_image(image, jpeg_quality=job.settings.jpeg_quality))
