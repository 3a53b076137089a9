"""Born-digital PDFs for tests: real text in an embedded TrueType font, made with PDFium.

What a PDF exported from Word or LibreOffice holds: visible text objects in a
subset-able TrueType font with a ToUnicode map, no page image. PDFium writes
them here (``FPDFText_LoadFont`` + text objects), so no office suite is needed.
``invisible=True`` draws the same text in rendering mode 3 over an optional
page image, as scanner software lays an OCR layer under a scan.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
A4 = (595.0, 842.0)  # points

# (text, x from the left in pt, baseline from the top in pt, size in pt)
Line = tuple[str, float, float, float]


def write_pdf(path: Path, pages: Sequence[Sequence[Line]], *, invisible: bool = False,
              image: Image.Image | None = None, font: Path = FONT) -> Path:
    """A PDF of A4 pages with these text lines (and ``image`` under each, full page)."""
    pdf = pdfium.PdfDocument.new()
    data = font.read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    handle = raw.FPDFText_LoadFont(pdf.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True)
    assert handle, "PDFium could not load the font"
    try:
        for lines in pages:
            page = pdf.new_page(*A4)
            if image is not None:
                _add_image(pdf, page, image)
            for text, x, y, size in lines:
                _add_text(pdf, page, handle, text, x, A4[1] - y, size, invisible)
            page.gen_content()
            page.close()
        pdf.save(str(path))
    finally:
        raw.FPDFFont_Close(handle)
        pdf.close()
    return path


def _add_text(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, font: object, text: str,
              x: float, y: float, size: float, invisible: bool) -> None:
    obj = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
    encoded = (text + "\0").encode("utf-16-le")
    wide = ctypes.create_string_buffer(encoded, len(encoded))
    assert raw.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(raw.FPDF_WCHAR)))
    if invisible:
        raw.FPDFTextObj_SetTextRenderMode(obj, raw.FPDF_TEXTRENDERMODE_INVISIBLE)
    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
    raw.FPDFPage_InsertObject(page.raw, obj)


def _add_image(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, image: Image.Image) -> None:
    obj = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.from_pil(image.convert("RGB"))
    obj.set_bitmap(bitmap)
    obj.set_matrix(pdfium.PdfMatrix().scale(*A4))
    page.insert_obj(obj)
