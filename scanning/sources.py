"""Page sources: files and folders of scans turned into a stream of page images.

Pages are produced one at a time (a 1,000-page PDF must not be held in memory)
and every per-file problem becomes a `BadInput` naming the file, so one bad
file in a folder never stops the batch. The file type is read from the content,
not the name: copiers and clerks rename files freely.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import shutil
import stat
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pdf2image
from pdf2image import exceptions as pdf_errors
from PIL import Image, ImageOps, UnidentifiedImageError

from scanning.cleanup import estimate_dpi, tag_plausible
from scanning.settings import ScanSettings
from store.errors import BadInput, ExternalToolError
from store.messages import say

_CHUNK = 1 << 20
_JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini"})  # Windows leaves these in scan folders
_FILE_ATTRIBUTE_HIDDEN = 0x2


@dataclass(frozen=True)
class SourcePage:
    """One page image with where it came from; ``index`` is 0-based within the file."""

    source: str
    index: int
    image: Image.Image
    dpi: int
    file_sha256: str


@dataclass(frozen=True)
class SourceFailure:
    """A path that could not even be listed (missing file, unreadable folder)."""

    source: str
    message: str


@dataclass(frozen=True)
class InputFile:
    """A regular file to read pages from; ``source`` is how the user named it."""

    path: Path
    source: str


# --------------------------------------------------------------------------- inputs


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key so that "page2" < "page10" and "A" == "a" (as clerks expect)."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def _is_hidden(entry: os.DirEntry[str]) -> bool:
    """Dot-files everywhere, plus the hidden attribute on Windows."""
    if entry.name.startswith(".") or entry.name.casefold() in _JUNK_NAMES:
        return True
    try:
        attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attrs & _FILE_ATTRIBUTE_HIDDEN)


def _walk(
    folder: Path, display: str, seen: set[tuple[int, int]]
) -> Iterator[InputFile | SourceFailure]:
    """Files below ``folder`` in natural order; a folder we cannot read is reported."""
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:  # a link back to a folder above: say so
            yield SourceFailure(display, str(say(
                "scanning.symlink_loop", "{source}: a link loops back to a folder already read"
                " (symlink loop); it was skipped", source=display)))
            return
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(folder) as it:
            entries = sorted(
                (e for e in it if not _is_hidden(e)), key=lambda e: natural_key(e.name)
            )
    except OSError as exc:
        yield SourceFailure(display, str(say(
            "scanning.folder_unreadable", "{source}: cannot read this folder ({reason})",
            source=display, reason=exc.strerror or exc)))
        return
    for entry in entries:
        child = os.path.join(display, entry.name)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError as exc:
            yield SourceFailure(child, str(say("scanning.file_unreadable",
                                               "{source}: cannot read ({reason})",
                                               source=child, reason=exc.strerror or exc)))
            continue
        if is_dir:
            yield from _walk(Path(entry.path), child, seen)
        elif is_file:
            yield InputFile(Path(entry.path), child)


def iter_inputs(
    paths: Sequence[Path | str], settings: ScanSettings
) -> Iterator[InputFile | SourceFailure]:
    """Expand files and folders (recursively, natural order, hidden files skipped).

    Paths named explicitly are kept even if hidden: the user asked for them.
    ``settings`` is accepted so callers pass the same object everywhere.
    """
    del settings  # nothing to tune yet; kept for a stable signature
    for raw in paths:
        display = str(raw)
        path = Path(raw)
        try:
            st = path.stat()
        except OSError as exc:
            yield SourceFailure(display, str(say(
                "scanning.path_not_found", "{source}: not found", source=display))
                if isinstance(exc, FileNotFoundError) else f"{display}: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, display, set())
        elif stat.S_ISREG(st.st_mode):
            yield InputFile(path, display)
        else:
            yield SourceFailure(display, str(say("scanning.not_file_or_folder",
                                                 "{source}: not a regular file or folder",
                                                 source=display)))


# --------------------------------------------------------------------------- hashing


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file, read in 1 MiB chunks (scans can be gigabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- type sniffing


def sniff_type(head: bytes) -> str | None:
    """'png', 'jpeg', 'tiff', 'bmp' or 'pdf' from the first bytes, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if b"%PDF-" in head[:1024]:  # the spec tolerates junk before the header
        return "pdf"
    return None


_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "bmp": "BMP"}


def _file_type(path: Path, source: str) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise BadInput(say("scanning.file_unreadable",
                           "{source}: cannot read ({reason})",
                           source=source, reason=exc.strerror or exc)) from exc
    if not head:
        raise BadInput(say("scanning.file_empty",
                           "{source}: the file is empty (0 bytes)",
                           source=source))
    kind = sniff_type(head)
    if kind is None:
        raise BadInput(say("scanning.file_type_unknown",
                           "{source}: not a PNG, JPEG, TIFF, BMP or PDF file (content not "
                           "recognised)",
                           source=source))
    return kind


# --------------------------------------------------------------------------- pages


def iter_pages(input_file: InputFile | Path | str, settings: ScanSettings) -> Iterator[SourcePage]:
    """Yield the pages of one file, one at a time; problems raise `BadInput`.

    A failure in page *n* is raised after pages 0..n-1 were yielded; the caller
    decides whether to keep those.
    """
    if not isinstance(input_file, InputFile):
        input_file = InputFile(Path(input_file), str(input_file))
    path, source = input_file.path, input_file.source
    kind = _file_type(path, source)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        raise BadInput(say("scanning.file_unreadable",
                           "{source}: cannot read ({reason})",
                           source=source, reason=exc.strerror or exc)) from exc
    if kind == "pdf":
        yield from _pdf_pages(path, source, sha, settings)
    else:
        yield from _image_pages(path, source, sha, _PIL_FORMATS[kind], settings)


def _image_pages(
    path: Path, source: str, sha: str, fmt: str, settings: ScanSettings
) -> Iterator[SourcePage]:
    """Frames of a raster file; multi-page TIFFs give several pages."""
    try:
        with Image.open(path, formats=[fmt]) as im:
            frames = getattr(im, "n_frames", 1)
            for index in range(frames):
                im.seek(index)
                _check_pixels(im.size, source, index, settings)
                page = _normalise(im, transpose=fmt == "JPEG")
                yield SourcePage(source, index, page, _image_dpi(im, page, settings), sha)
    except BadInput:
        raise
    except Image.DecompressionBombError as exc:
        raise BadInput(say("scanning.image_too_large",
                           "{source}: the image is too large to be a scanned page ({reason})",
                           source=source, reason=exc)) from exc
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, EOFError) as exc:
        raise BadInput(say("scanning.image_damaged",
                           "{source}: damaged or truncated {fmt} image ({reason})",
                           source=source, fmt=fmt, reason=_one_line(exc))) from exc


def _check_pixels(size: tuple[int, int], source: str, index: int, settings: ScanSettings) -> None:
    """Refuse decompression bombs before decoding, with our own limit (not Pillow's global)."""
    width, height = size
    if width <= 0 or height <= 0:
        raise BadInput(say("scanning.page_no_pixels",
                           "{source}: page {page} has no pixels",
                           source=source, page=index + 1))
    if width * height > settings.max_pixels:
        raise BadInput(
            say("scanning.page_too_many_pixels",
                "{source}: page {page} is {width}x{height} pixels, more than the limit of {limit} "
                "megapixels",
                source=source, page=index + 1, width=width, height=height,
                limit=settings.max_pixels // 1_000_000)
        )


def _image_dpi(im: Image.Image, page: Image.Image, settings: ScanSettings) -> int:
    """Horizontal resolution from the file; else estimated from the page (phone photos,
    small JPEGs: paper size and letter height); else the default.

    A value under 10 is nonsense (some cameras write 1) and counts as absent; so does one
    that makes the page no paper a ward holds (`tag_plausible`: a placeholder 72 dpi on a
    91-dpi photo of an A4 sheet) when the page's letters give an estimate.
    """
    dpi: Any = im.info.get("dpi")
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        value = 0
    if value < 10:
        return estimate_dpi(page) or settings.default_dpi
    if tag_plausible(page.size, value):
        return value
    return estimate_dpi(page, need_text=True) or value


def _normalise(im: Image.Image, *, transpose: bool) -> Image.Image:
    """Decode to 8-bit "L" or "RGB": the only modes later stages have to handle."""
    if transpose:  # phone photos store their rotation in EXIF
        im = ImageOps.exif_transpose(im)
    mode = im.mode
    if mode in ("1", "L"):
        return im.convert("L")
    if mode.startswith("I;16") or mode in ("I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        if mode.startswith("I;16") or float(arr.max(initial=0.0)) > 255.0:
            arr = arr / 257.0
        return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] if text else type(exc).__name__


# --------------------------------------------------------------------------- PDF

_PAGE_SIZE = re.compile(r"^Page\s+(\d+)\s+size$")


def _poppler_kwargs(settings: ScanSettings) -> dict[str, Any]:
    """pdf2image's stubs say ``str`` but it means "or None": only pass it when set."""
    return {} if settings.poppler_path is None else {"poppler_path": settings.poppler_path}


def _pdfinfo(path: Path, source: str, settings: ScanSettings) -> dict[str, Any]:
    """Page count and per-page sizes; turns Poppler's complaints into one-line errors."""
    try:
        info: dict[str, Any] = pdf2image.pdfinfo_from_path(
            str(path),
            **_poppler_kwargs(settings),
            timeout=settings.pdf_timeout_seconds,
            first_page=1,
            last_page=1_000_000,  # pdfinfo clamps to the real count
        )
    except pdf_errors.PDFInfoNotInstalledError as exc:
        raise ExternalToolError(
            say("scanning.pdfinfo_missing",
                "Poppler's pdfinfo was not found; install poppler-utils (Windows: the bundled "
                "Poppler)")
        ) from exc
    except pdf_errors.PDFPopplerTimeoutError as exc:
        raise BadInput(say("scanning.pdf_slow",
                           "{source}: reading the PDF took too long; the file may be damaged",
                           source=source)) from exc
    except pdf_errors.PDFPageCountError as exc:
        detail = str(exc).lower()
        if "password" in detail:
            raise BadInput(
                say("scanning.pdf_password",
                    "{source}: the PDF is password-protected; remove the password and import it "
                    "again",
                    source=source)
            ) from exc
        raise BadInput(say("scanning.pdf_damaged",
                           "{source}: damaged PDF ({reason})",
                           source=source, reason=_poppler_reason(str(exc)))) from exc
    return info


def _poppler_reason(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    useful = [ln for ln in lines if not ln.startswith("Unable to get page count")]
    return (useful or lines or ["unreadable"])[0][:200]


def _page_sizes(info: dict[str, Any]) -> dict[int, tuple[float, float]]:
    """{page number: (width, height) in points} from pdfinfo's "Page N size" lines."""
    sizes: dict[int, tuple[float, float]] = {}
    for key, value in info.items():
        m = _PAGE_SIZE.match(key)
        dims = re.match(r"([\d.]+)\s*x\s*([\d.]+)", str(value))
        if m and dims:
            sizes[int(m.group(1))] = (float(dims.group(1)), float(dims.group(2)))
    return sizes


def _pdf_dpi(
    size_pt: tuple[float, float] | None, source: str, page: int, settings: ScanSettings
) -> int:
    """settings.pdf_dpi, lowered for oversized pages (plans, posters) to stay under max_pixels."""
    if size_pt is None:
        return settings.pdf_dpi
    area_in2 = (size_pt[0] / 72.0) * (size_pt[1] / 72.0)
    if area_in2 <= 0:
        raise BadInput(say("scanning.pdf_page_empty_size",
                           "{source}: page {page} has an empty page size",
                           source=source, page=page))
    limit = math.floor(math.sqrt(settings.max_pixels / area_in2))
    dpi = min(settings.pdf_dpi, limit)
    if dpi < 10:
        raise BadInput(
            say("scanning.pdf_page_too_large",
                "{source}: page {page} is too large to render ({width:.0f}x{height:.0f} pt)",
                source=source, page=page, width=size_pt[0], height=size_pt[1])
        )
    return dpi


def poppler_available(settings: ScanSettings) -> bool:
    """Are Poppler's pdfinfo and pdftoppm here (on PATH, or in ``settings.poppler_path``)?"""
    where = settings.poppler_path
    return all(shutil.which(tool, path=where) for tool in ("pdfinfo", "pdftoppm"))


@dataclass(frozen=True)
class PdfPage:
    """A PDF page not rendered yet: what a worker needs to render it itself.

    Rendering is the heaviest thing the capture's parent process did (pdftoppm,
    about 1 s of a 300 dpi page, on a desk with two cores for two OCR workers);
    handed over as (file, page), it runs in the worker beside the page's OCR.
    """

    path: str
    source: str
    index: int  # 0-based
    dpi: int
    file_sha256: str


def is_pdf(input_file: InputFile) -> bool:
    """Is this input a PDF (by content)? Raises `BadInput` for an unreadable or foreign file."""
    return _file_type(input_file.path, input_file.source) == "pdf"


def pdf_pages(input_file: InputFile, sha: str, settings: ScanSettings) -> list[PdfPage]:
    """The pages of a PDF with the resolution each will be rendered at; nothing rendered.

    A password, a damaged file or an empty page tree raise `BadInput` here, once
    for the file, before any page is handed out.
    """
    path, source = input_file.path, input_file.source
    if not _poppler_renders(settings):
        sizes = _pdfium_sizes(path, source)
    else:
        info = _pdfinfo(path, source, settings)
        by_number = _page_sizes(info)
        sizes = [by_number.get(n) for n in range(1, int(info.get("Pages", 0)) + 1)]
    if not sizes:
        raise BadInput(say("scanning.pdf_no_pages",
                           "{source}: the PDF has no pages",
                           source=source))
    return [PdfPage(str(path), source, i, _pdf_dpi(size, source, i + 1, settings), sha)
            for i, size in enumerate(sizes)]


def _poppler_renders(settings: ScanSettings) -> bool:
    """Poppler where it is installed (every Debian/Ubuntu station), else PDFium (Windows).

    PDFium takes a third of pdftoppm's CPU time, but it smooths a 1-bit scan into
    256 greys where pdftoppm keeps it sharp, and on the six real PDF scans of
    real-dev and real-extra that moved Tesseract's words (0.85-0.97 agreement)
    and lost a signer's name (docs/benchmarks.md): the pages stay pdftoppm's.
    """
    if poppler_available(settings):
        return True
    if _pdfium() is None:
        raise ExternalToolError(
            say("scanning.no_pdf_reader",
                "Neither Poppler nor PDFium can read PDF files here: install poppler-utils "
                "(Windows: reinstall sohoa, which bundles PDFium)"))
    return False


def render_pdf_page(page: PdfPage, settings: ScanSettings) -> Image.Image:
    """One page as an 8-bit "L" or "RGB" image (Poppler or PDFium: `_poppler_renders`)."""
    if _poppler_renders(settings):
        return _render_pdf_page(Path(page.path), page.source, page.index + 1, page.dpi, settings)
    return _pdfium_render(page)


def _pdf_pages(path: Path, source: str, sha: str, settings: ScanSettings) -> Iterator[SourcePage]:
    """Render one page at a time so memory stays flat for any page count."""
    for page in pdf_pages(InputFile(path, source), sha, settings):
        yield SourcePage(source, page.index, render_pdf_page(page, settings), page.dpi, sha)


def _render_pdf_page(
    path: Path, source: str, number: int, dpi: int, settings: ScanSettings
) -> Image.Image:
    """One page through pdftoppm's stdout: nothing is written to disk."""
    try:
        images = pdf2image.convert_from_path(
            str(path),
            dpi=dpi,
            first_page=number,
            last_page=number,
            **_poppler_kwargs(settings),
            timeout=settings.pdf_timeout_seconds,
        )
    except (pdf_errors.PDFInfoNotInstalledError, FileNotFoundError) as exc:
        raise ExternalToolError(say(
            "scanning.pdftoppm_missing",
            "Poppler's pdftoppm was not found; install poppler-utils")) from exc
    except pdf_errors.PDFPopplerTimeoutError as exc:
        raise BadInput(
            say("scanning.pdf_page_slow",
                "{source}: page {page} took too long to render; the file may be damaged",
                source=source, page=number)
        ) from exc
    except pdf_errors.PDFPageCountError as exc:
        raise BadInput(say("scanning.pdf_damaged",
                           "{source}: damaged PDF ({reason})",
                           source=source, reason=_poppler_reason(str(exc)))) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise BadInput(say("scanning.page_not_rendered",
                           "{source}: page {page} could not be rendered ({reason})",
                           source=source, page=number, reason=_one_line(exc))) from exc
    if len(images) != 1:
        raise BadInput(say("scanning.pdf_page_damaged",
                           "{source}: page {page} could not be rendered (damaged PDF)",
                           source=source, page=number))
    image = images[0]
    try:
        return _normalise(image, transpose=False)
    finally:
        image.close()


# --------------------------------------------------------------------------- PDFium

# PDFium is not thread-safe, not even across documents: every call goes under this
# lock (the GUI may capture from two threads; a worker process has one thread).
PDFIUM_LOCK = threading.RLock()


def _pdfium() -> Any:
    """The ``pypdfium2`` module, or None where it cannot be loaded (then Poppler renders)."""
    try:
        import pypdfium2
    except ImportError:
        return None
    return pypdfium2


@contextlib.contextmanager
def open_pdfium(path: Path | str, source: str) -> Iterator[Any]:
    """A PDFium document under `PDFIUM_LOCK`; a password or damage raises `BadInput`."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise BadInput(say("scanning.pdf_password",
                                   "{source}: the PDF is password-protected; remove the password "
                                   "and import it again",
                                   source=source)) from exc
            raise BadInput(say("scanning.pdf_damaged",
                               "{source}: damaged PDF ({reason})",
                               source=source, reason=_one_line(exc))) from exc
        try:
            yield document
        finally:
            document.close()


def _pdfium_sizes(path: Path, source: str) -> list[tuple[float, float] | None]:
    """Each page's size in points, as pdfinfo gives them."""
    with open_pdfium(path, source) as document:
        sizes: list[tuple[float, float] | None] = []
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                sizes.append((float(width), float(height)))
            finally:
                page.close()
        return sizes


def _pdfium_render(page: PdfPage) -> Image.Image:
    with open_pdfium(page.path, page.source) as document:
        try:
            pdf_page = document[page.index]
        except Exception as exc:  # PDFium's errors have no common base beyond this
            raise BadInput(say("scanning.page_unreadable",
                               "{source}: page {page} could not be read ({reason})",
                               source=page.source, page=page.index + 1,
                               reason=_one_line(exc))) from exc
        try:
            bitmap = pdf_page.render(scale=page.dpi / 72.0)
            try:
                image = bitmap.to_pil()
                return _normalise(image, transpose=False)
            finally:
                bitmap.close()
        except Exception as exc:
            raise BadInput(say("scanning.page_not_rendered",
                               "{source}: page {page} could not be rendered ({reason})",
                               source=page.source, page=page.index + 1,
                               reason=_one_line(exc))) from exc
        finally:
            pdf_page.close()


# --------------------------------------------------------------------------- PDF text layer

_INVISIBLE = 3  # PDF text rendering mode 3: neither filled nor stroked (an OCR layer)


@dataclass(frozen=True)
class TextLayer:
    """A PDF page's own text, as PDFium reads it: words with boxes in pixels at ``dpi``.

    ``words`` are (text, left, top, width, height) of *visible* text in content
    order; ``invisible`` counts the letters drawn in rendering mode 3, the way
    scanner software and OCR tools lay their OCR under a page image;
    ``image_share`` is the share of the page that image objects cover (a scan).
    """

    words: tuple[tuple[str, int, int, int, int], ...]
    invisible: int
    image_share: float


def pdf_text_layer(page: PdfPage) -> TextLayer | None:
    """The page's embedded text, or None where PDFium cannot load or the page is rotated.

    A /Rotate page's text boxes would need turning into the rendered image's
    frame; such pages are rare in born-digital documents and are simply OCR'd.
    """
    if _pdfium() is None:
        return None
    with open_pdfium(page.path, page.source) as document:
        pdf_page = document[page.index]
        try:
            if pdf_page.get_rotation() % 360:
                return None
            return _text_layer(pdf_page, page.dpi / 72.0)
        finally:
            pdf_page.close()


def _text_layer(pdf_page: Any, scale: float) -> TextLayer:
    import ctypes

    import pypdfium2.raw as raw

    left, bottom, right, top = pdf_page.get_cropbox()
    textpage = pdf_page.get_textpage()
    try:
        words: list[tuple[str, int, int, int, int]] = []
        current: list[tuple[str, float, float, float, float]] = []
        invisible = 0
        modes: dict[int, int] = {}
        box = [ctypes.c_double() for _ in range(4)]
        for i in range(raw.FPDFText_CountChars(textpage)):
            code = raw.FPDFText_GetUnicode(textpage, i)
            char = chr(code) if code else "\ufffd"  # no Unicode for the glyph: untrusted
            obj = raw.FPDFText_GetTextObject(textpage, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            if key and key not in modes:
                modes[key] = raw.FPDFTextObj_GetTextRenderMode(obj)
            if char.isspace() or raw.FPDFText_IsGenerated(textpage, i):
                _flush(current, words, left, top, scale)
                continue
            if modes.get(key) == _INVISIBLE:
                invisible += 1
                continue
            raw.FPDFText_GetCharBox(textpage, i, *(ctypes.byref(b) for b in box))
            x0, x1, y0, y1 = (b.value for b in box)
            current.append((char, x0, x1, y0, y1))
        _flush(current, words, left, top, scale)
    finally:
        textpage.close()
    area = max((right - left) * (top - bottom), 1.0)
    return TextLayer(tuple(words), invisible, min(1.0, _image_area(pdf_page) / area))


def _flush(chars: list[tuple[str, float, float, float, float]],
           words: list[tuple[str, int, int, int, int]],
           left: float, top: float, scale: float) -> None:
    """One word from its letters: the union of their boxes, in pixels from the top left."""
    if not chars:
        return
    text = unicodedata.normalize("NFC", "".join(c[0] for c in chars))
    x0 = min(c[1] for c in chars)
    x1 = max(c[2] for c in chars)
    y0 = min(c[3] for c in chars)
    y1 = max(c[4] for c in chars)
    px = round((x0 - left) * scale)
    py = round((top - y1) * scale)
    words.append((text, px, py, max(1, round((x1 - x0) * scale)),
                  max(1, round((y1 - y0) * scale))))
    chars.clear()


def _image_area(pdf_page: Any) -> float:
    """Area (pt²) of the page's image objects, top level: a scanned page is one big image."""
    import pypdfium2.raw as raw

    total = 0.0
    for obj in pdf_page.get_objects(max_depth=1):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = obj.get_bounds()
            total += max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return total
