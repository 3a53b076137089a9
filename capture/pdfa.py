"""Two-layer PDF/A-2b: the scanned page image with an invisible OCR text layer.

Why we draw the text layer ourselves instead of grafting Tesseract's own
``textonly_pdf`` page under the image (as OCRmyPDF does): the text must come
from :class:`~ocr.model.PageText`, which the clerk may have corrected in the
GUI after OCR, and re-running Tesseract at export time would lose those
corrections, cost a second OCR pass and write its output to disk.

The text uses a *glyphless* font generated here (no binary in git): a Type0
font with Identity-H encoding whose CIDs are the UTF-16 code units of the
text, a CIDToGIDMap sending every CID to one empty glyph 500/1000 em wide, and
a ToUnicode CMap that maps each code back to itself. So any Vietnamese letter
(precomposed, NFC) can be written without subsetting a real font, copy/paste
and ``pdftotext`` give the exact letters with their diacritics, and the font
program is still embedded as PDF/A requires. Text is drawn in rendering mode 3
(invisible); each word is stretched with ``Tz`` over its box so selection and
search highlights land on the scanned word.

PDF/A-2b parts we can guarantee structurally (no veraPDF here): XMP with
``pdfaid:part=2``/``conformance=B`` matching the Info dictionary, an sRGB
OutputIntent from Little CMS (via Pillow), every font embedded, no
encryption, transparency, JavaScript or annotations, and a trailer ``/ID``.
The output is byte-reproducible: dates are passed in, the ICC profile's
creation date is pinned and the document ID is derived from the content.

Memory: pages are consumed from an iterator and each page is written to the
output as soon as it arrives (:mod:`capture.pdfwrite`), so one page's image is in
memory at a time, whatever the page count.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from PIL import Image, ImageCms

from capture.pdfwrite import PdfWriter, array, dictionary, name, ref, text_string
from ocr.model import PageText, Word

PRODUCER = "sohoa"
FONT_NAME = "SohoaGlyphless"
_UNITS_PER_EM = 1000
_GLYPH_ADVANCE = 500  # em/2: a typical Latin letter, so Tz stays near 100 %
_ASCENT, _DESCENT = 800, -200
_ICC_FIXED_DATE = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
_REPLACEMENT = 0xFFFD
_MIN_DPI = 50

# A page: its image (decoded, or already encoded by a worker process), OCR text, dpi.
PageInput = tuple["Image.Image | EncodedImage", PageText, int]


# --------------------------------------------------------------------------- font


def _sfnt_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def _glyf_and_loca() -> tuple[bytes, bytes]:
    """GID 0 (.notdef) is a plain box; GID 1, used for every character, is empty."""
    flags = b"\x01" * 4  # on-curve points, 16-bit deltas
    notdef = (
        struct.pack(">hhhhhHH", 1, 50, 0, 450, 700, 3, 0)
        + flags
        + struct.pack(">4h", 50, 0, 400, 0)
        + struct.pack(">4h", 0, 700, 0, -700)
    )
    notdef += b"\0" * (-len(notdef) % 4)
    loca = struct.pack(">3H", 0, len(notdef) // 2, len(notdef) // 2)
    return notdef, loca


def _name_table() -> bytes:
    names = {1: FONT_NAME, 2: "Regular", 3: f"{FONT_NAME}-1", 4: FONT_NAME, 5: "Version 1.0",
             6: FONT_NAME}
    records, strings = b"", b""
    for name_id, text in names.items():
        raw = text.encode("utf-16-be")
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), len(strings))
        strings += raw
    return struct.pack(">3H", 0, len(names), 6 + len(records)) + records + strings


def _os2_table() -> bytes:
    return struct.pack(
        ">HhHHH11h10s4I4sHHHhhhHHIIhhHHH",
        4, _GLYPH_ADVANCE, 400, 5, 0,  # version, avg width, weight, width, fsType 0 = installable
        650, 600, 0, 75, 650, 600, 0, 350, 50, 250, 0,  # sub/superscript, strikeout, class
        b"\0" * 10, 1, 0, 0, 0, b"SOHO", 0x40, 0x20, 0xFFFD,
        _ASCENT, _DESCENT, 0, _ASCENT, -_DESCENT, 1, 0, 500, 700, 0, 0x20, 1,
    )


def _font_tables() -> dict[bytes, bytes]:
    glyf, loca = _glyf_and_loca()
    cmap_sub = struct.pack(">7H4H", 4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1) + b"\0\0"
    return {
        b"OS/2": _os2_table(),
        b"cmap": struct.pack(">HHHHI", 0, 1, 3, 1, 12) + cmap_sub,
        b"glyf": glyf,
        b"head": struct.pack(
            ">IIIIHHqqhhhhHHhhh", 0x10000, 0x10000, 0, 0x5F0F3CF5, 0x000B, _UNITS_PER_EM,
            0, 0, 50, 0, 450, 700, 0, 8, 2, 0, 0,  # bbox = the .notdef box
        ),
        b"hhea": struct.pack(
            ">IhhhHhhhhhhhhhhhH", 0x10000, _ASCENT, _DESCENT, 0, _GLYPH_ADVANCE,
            50, 50, 450, 1, 0, 0, 0, 0, 0, 0, 0, 2,
        ),
        b"hmtx": struct.pack(">HhHh", _GLYPH_ADVANCE, 50, _GLYPH_ADVANCE, 0),
        b"loca": loca,
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x10000, 2, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0,
                             0, 0),
        b"name": _name_table(),
        b"post": struct.pack(">IIhhIIIII", 0x30000, 0, -100, 50, 0, 0, 0, 0, 0),
    }


def glyphless_font() -> bytes:
    """A valid two-glyph TrueType font program (built, not shipped)."""
    tables = _font_tables()
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x10000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    offset = len(header) + 16 * count
    directory, body = b"", b""
    for tag in sorted(tables):
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, _sfnt_checksum(data), offset + len(body),
                                 len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _sfnt_checksum(bytes(font))) & 0xFFFFFFFF
    head_offset = font.index(b"head") + 8
    (head_start,) = struct.unpack_from(">I", font, head_offset)
    struct.pack_into(">I", font, head_start + 8, adjustment)
    return bytes(font)


def _to_unicode_cmap() -> bytes:
    """Identity ToUnicode over the BMP, in rows of 256 (bfrange may not cross a row)."""
    rows = [r for r in range(256) if not 0xD8 <= r <= 0xDF]  # no lone surrogates
    blocks = []
    for start in range(0, len(rows), 100):
        chunk = rows[start : start + 100]
        lines = "\n".join(f"<{r:02X}00> <{r:02X}FF> <{r:02X}00>" for r in chunk)
        blocks.append(f"{len(chunk)} beginbfrange\n{lines}\nendbfrange")
    body = "\n".join(blocks)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _add_font(w: PdfWriter) -> int:
    """The glyphless Type0 font, written once per document; returns its object number."""
    font = glyphless_font()
    font_file = w.write_stream({"Length1": str(len(font))}, font)
    descriptor = w.write(dictionary({
        "Type": "/FontDescriptor", "FontName": name(FONT_NAME), "Flags": "4",
        "FontBBox": array(["0", str(_DESCENT), str(_GLYPH_ADVANCE), str(_ASCENT)]),
        "ItalicAngle": "0", "Ascent": str(_ASCENT), "Descent": str(_DESCENT),
        "CapHeight": "700", "StemV": "80", "FontFile2": ref(font_file),
    }))
    gid_map = w.write_stream({}, b"\x00\x01" * 65536)
    cid_font = w.write(dictionary({
        "Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": name(FONT_NAME),
        "CIDSystemInfo": dictionary({"Registry": "(Adobe)", "Ordering": "(Identity)",
                                     "Supplement": "0"}),
        "FontDescriptor": ref(descriptor), "DW": str(_GLYPH_ADVANCE),
        "CIDToGIDMap": ref(gid_map),
    }))
    to_unicode = w.write_stream({}, _to_unicode_cmap())
    return w.write(dictionary({
        "Type": "/Font", "Subtype": "/Type0", "BaseFont": name(FONT_NAME),
        "Encoding": "/Identity-H", "DescendantFonts": array([ref(cid_font)]),
        "ToUnicode": ref(to_unicode),
    }))


# ------------------------------------------------------------------------- images


@dataclass(frozen=True)
class EncodedImage:
    """A page image as it goes into the PDF: compressed bytes and how to read them."""

    data: bytes
    width: int
    height: int
    gray: bool
    bits: int
    filter: str  # "/DCTDecode" or "/FlateDecode"


def _is_bilevel(image: Image.Image) -> bool:
    histogram = image.histogram()
    return all(count == 0 for count in histogram[1:255])


def encode_image(image: Image.Image, *, jpeg_quality: int = 85) -> EncodedImage:
    """JPEG for grey/colour scans (colour kept as scanned), lossless Flate for 1-bit.

    A greyscale image holding only black and white (a binarised page) is
    stored as 1-bit Flate too: lossless, and JPEG would only add ringing.

    Alpha and palettes are flattened: PDF/A-2b allows transparency but an
    archive page has no use for it, and a soft mask would only complicate it.
    """
    if image.mode == "L" and _is_bilevel(image):
        image = image.convert("1")  # a binarised page: lossless and ~10x smaller than JPEG
    if image.mode == "1":
        return EncodedImage(zlib.compress(image.tobytes(), 9), image.width, image.height,
                            True, 1, "/FlateDecode")
    gray = image.mode in ("L", "LA", "I", "I;16", "F")
    flat = image.convert("L" if gray else "RGB")
    buf = io.BytesIO()
    flat.save(buf, format="JPEG", quality=jpeg_quality, optimize=False, progressive=False)
    return EncodedImage(buf.getvalue(), image.width, image.height, gray, 8, "/DCTDecode")


def _image_xobject(w: PdfWriter, enc: EncodedImage) -> int:
    """The encoded bytes go in as they are: no second JPEG generation."""
    return w.write_stream({
        "Type": "/XObject", "Subtype": "/Image", "Width": str(enc.width),
        "Height": str(enc.height), "ColorSpace": "/DeviceGray" if enc.gray else "/DeviceRGB",
        "BitsPerComponent": str(enc.bits), "Filter": enc.filter,
    }, enc.data, compress=False)


# --------------------------------------------------------------------- text layer


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _hex_utf16(text: str) -> str:
    """Identity-H codes: one UTF-16 unit per character (outside the BMP → U+FFFD)."""
    units = (ord(c) if ord(c) <= 0xFFFF and not 0xD800 <= ord(c) <= 0xDFFF else _REPLACEMENT
             for c in unicodedata.normalize("NFC", text))
    return "".join(f"{u:04X}" for u in units)


def _lines(words: Sequence[Word]) -> Iterator[list[Word]]:
    current: list[Word] = []
    for word in words:
        if current and (word.block, word.par, word.line) != (
                current[-1].block, current[-1].par, current[-1].line):
            yield current
            current = []
        current.append(word)
    if current:
        yield current


def _line_ops(line: list[Word], *, scale: float, page_h: float) -> list[str]:
    """Operators for one OCR line: the em box spans the line box, words stretched by Tz.

    Each word but the last carries a trailing space stretched to the next
    word's start, so text extractors see real spaces instead of guessing them.
    """
    top = min(w.top for w in line)
    bottom = max(w.top + w.height for w in line)
    size = max((bottom - top) * scale, 1.0)
    baseline = page_h - bottom * scale - _DESCENT / _UNITS_PER_EM * size
    ops = [f"/F1 {_num(size)} Tf"]
    for i, word in enumerate(line):
        text = word.text if i == len(line) - 1 else word.text + " "
        end = word.left + word.width if i == len(line) - 1 else line[i + 1].left
        if end <= word.left:
            end = word.left + word.width
        natural = len(text) * _GLYPH_ADVANCE / _UNITS_PER_EM * size
        stretch = max(1.0, (end - word.left) * scale / natural * 100)
        ops.append(f"{_num(stretch)} Tz 1 0 0 1 {_num(word.left * scale)} {_num(baseline)} Tm "
                   f"<{_hex_utf16(text)}> Tj")
    return ops


def _content(page: PageText, *, width_pt: float, height_pt: float, dpi: int) -> bytes:
    scale = 72.0 / dpi
    ops = ["q", f"{_num(width_pt)} 0 0 {_num(height_pt)} 0 0 cm", "/Im0 Do", "Q"]
    words = [w for w in page.words if w.text.strip() and w.width > 0 and w.height > 0]
    if words:
        ops += ["BT", "3 Tr"]
        for line in _lines(words):
            ops += _line_ops(line, scale=scale, page_h=height_pt)
        ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")


def _add_page(w: PdfWriter, tree: int, font: int, item: PageInput, quality: int) -> int:
    """Write one page (image, text layer, page object) at once; returns the page's number."""
    image, text, dpi = item
    if dpi < _MIN_DPI:
        raise ValueError(f"page resolution {dpi} dpi is implausible")
    enc = image if isinstance(image, EncodedImage) else encode_image(image, jpeg_quality=quality)
    if text.words and (text.width, text.height) != (enc.width, enc.height):
        raise ValueError("OCR boxes were measured on an image of a different size")
    width_pt, height_pt = enc.width * 72.0 / dpi, enc.height * 72.0 / dpi
    xobject = _image_xobject(w, enc)
    contents = w.write_stream({}, _content(text, width_pt=width_pt, height_pt=height_pt,
                                            dpi=dpi))
    return w.write(dictionary({
        "Type": "/Page", "Parent": ref(tree),
        "MediaBox": array(["0", "0", _num(width_pt), _num(height_pt)]),
        "Resources": dictionary({"XObject": dictionary({"Im0": ref(xobject)}),
                                 "Font": dictionary({"F1": ref(font)})}),
        "Contents": ref(contents),
    }))


# ----------------------------------------------------------------------- metadata


def srgb_icc_profile() -> bytes:
    """Little CMS's sRGB profile with its creation date pinned (for reproducible files)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile[:24] + _ICC_FIXED_DATE + profile[36:]


def _clean(text: str) -> str:
    """Drop characters XML 1.0 and PDF text strings cannot carry."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", unicodedata.normalize(
        "NFC", text)).strip()


def _pdf_date(when: datetime) -> str:
    offset = when.strftime("%z")  # +0700
    return when.strftime("D:%Y%m%d%H%M%S") + f"{offset[0]}{offset[1:3]}'{offset[3:5]}'"


def _xmp(*, title: str, author: str, subject: str, lang: str, created: datetime) -> bytes:
    when = created.isoformat(timespec="seconds")

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    props = [
        "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
        "<dc:format>application/pdf</dc:format>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>", f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>",
        f"<pdf:Producer>{PRODUCER}</pdf:Producer>",
    ]
    if title:
        props.append(f"<dc:title>{alt(title)}</dc:title>")
    if author:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        props.append(f"<dc:description>{alt(subject)}</dc:description>")
    body = "\n   ".join(props)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _write_catalog(w: PdfWriter, root: int, tree: int, *, lang: str, xmp: bytes) -> None:
    """Catalog with XMP (unfiltered, as PDF/A requires) and the sRGB output intent."""
    metadata = w.write_stream({"Type": "/Metadata", "Subtype": "/XML"}, xmp, compress=False)
    icc = w.write_stream({"N": "3"}, srgb_icc_profile())
    intent = dictionary({
        "Type": "/OutputIntent", "S": "/GTS_PDFA1",
        "OutputConditionIdentifier": text_string("sRGB IEC61966-2.1"),
        "Info": text_string("sRGB IEC61966-2.1"), "DestOutputProfile": ref(icc),
    })
    w.write(dictionary({"Type": "/Catalog", "Pages": ref(tree), "Metadata": ref(metadata),
                        "Lang": text_string(lang), "OutputIntents": array([intent])}), num=root)


def _write_info(w: PdfWriter, *, title: str, author: str, subject: str,
                created: datetime) -> int:
    """The Info dictionary; it carries the same values as the XMP (PDF/A requires it)."""
    entries = {"Creator": text_string(PRODUCER), "Producer": text_string(PRODUCER),
               "CreationDate": text_string(_pdf_date(created)),
               "ModDate": text_string(_pdf_date(created))}
    for key, value in (("Title", title), ("Author", author), ("Subject", subject)):
        if value:
            entries[key] = text_string(value)
    return w.write(dictionary(entries))


# -------------------------------------------------------------------------- write


def write_pdfa(
    out: BinaryIO | Path,
    pages: Iterable[PageInput],
    *,
    title: str,
    author: str,
    subject: str,
    created: datetime,
    lang: str = "vi",
    jpeg_quality: int = 85,
) -> None:
    """Write a searchable PDF/A-2b of ``pages`` (image, its OCR text, its dpi) to ``out``.

    ``created`` must carry a time zone: PDF/A validators compare the Info and
    XMP dates, and a naive time would mean different instants on different
    stations. The page size is the image size at its dpi, so the embedded
    image keeps the scan's resolution.
    """
    if created.tzinfo is None or created.utcoffset() is None:
        raise ValueError("created must be timezone-aware")
    title, author, subject, lang = (_clean(v) for v in (title, author, subject, lang))
    items = iter(pages)
    first = next(items, None)
    if first is None:
        raise ValueError("a PDF needs at least one page")
    if isinstance(out, Path):
        with open(out, "wb") as fh:
            _write(fh, itertools.chain([first], items), quality=jpeg_quality, title=title,
                   author=author, subject=subject, lang=lang or "vi", created=created)
    else:
        _write(out, itertools.chain([first], items), quality=jpeg_quality, title=title,
               author=author, subject=subject, lang=lang or "vi", created=created)


def _write(out: BinaryIO, pages: Iterator[PageInput], *, quality: int, title: str, author: str,
           subject: str, lang: str, created: datetime) -> None:
    w = PdfWriter(out)
    root, tree = w.reserve(), w.reserve()
    font = _add_font(w)
    kids = [ref(_add_page(w, tree, font, item, quality)) for item in pages]
    w.write(dictionary({"Type": "/Pages", "Kids": array(kids), "Count": str(len(kids))}),
            num=tree)
    _write_catalog(w, root, tree, lang=lang,
                   xmp=_xmp(title=title, author=author, subject=subject, lang=lang,
                            created=created))
    w.finish(root=root, info=_write_info(w, title=title, author=author, subject=subject,
                                         created=created))
