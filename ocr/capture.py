"""The capture task that runs in a worker process: one page in, decisions and text out.

Cover-sheet check, clean-up (orientation, deskew, blank, border), OCR and the
cleaned page's encoding for the PDF, all in the worker, so the parent (the
GUI's process, or the CLI) only moves bytes and writes the store. The parent
stores each page's original image *before* sending it here, so a worker that
crashes loses no page. Everything in
and out is picklable; nothing touches disk but Tesseract's private temp folder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from PIL import Image

from ocr.model import PageText
from ocr.pdfa import EncodedImage, encode_image
from ocr.tesseract import ocr_page
from ocr.workers import PageJob
from scanning.cleanup import clean
from scanning.coversheet import detect_coversheet
from scanning.settings import ScanSettings
from store.errors import SohoaError

ORIGINAL_JPEG_QUALITY = 92


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
    with Image.open(io.BytesIO(job.image)) as opened:
        opened.load()
        image: Image.Image = opened
    base = CapturedPage(width=image.width, height=image.height, dpi=job.dpi)
    if options.cover_sheets:
        code = detect_coversheet(image)
        if code:
            return replace(base, cover_code=code)
    try:
        result = clean(image, settings=options.scan, temp_dir=job.temp_dir, dpi=job.dpi)
    except SohoaError as exc:
        return _read(replace(base, note=f"clean-up skipped: {exc}"), image, job)
    if result.blank:
        return replace(base, rotation=result.rotation, skew_angle=result.skew_angle, blank=True)
    return _read(replace(base, rotation=result.rotation, skew_angle=result.skew_angle),
                 result.image, job)


def ocr_view(image: Image.Image) -> Image.Image:
    """What Tesseract reads: the red channel of a colour page ("colour dropout").

    Red seals and red stamps over the signer block turn white in the red channel,
    while black and blue ink stay dark, and yellowed paper gets lighter. The PDF
    keeps the page in colour; only the reading uses this view (same geometry).
    """
    if image.mode == "RGB":
        return image.getchannel("R")
    return image


def _read(page: CapturedPage, image: Image.Image, job: PageJob) -> CapturedPage:
    text = ocr_page(ocr_view(image), settings=job.settings, temp_dir=job.temp_dir, dpi=job.dpi,
                    page_label="the page")  # the caller names it (file, page number)
    return replace(page, text=text,
                   cleaned=encode_image(image, jpeg_quality=job.settings.jpeg_quality))
