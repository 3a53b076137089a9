"""Dossier cover sheets: a printed QR separator that the scanner stream recognises.

A clerk prints one sheet per dossier and puts it on top of the dossier's
pages; when a stack of several dossiers goes through the feeder, every page
after a cover sheet belongs to that dossier. The sheet carries the code twice:
as a large QR code (``SOHOA-DOSSIER:<code>``, error correction H so staples
and stamps do not matter) and as large Vietnamese text for people.

The PDF is written directly with pikepdf: the QR as vector squares (sharp on
any printer) and the text in an embedded TrueType font with a ToUnicode map,
so ``pdftotext`` gives the diacritics back. Only the TrueType tables needed
for that (cmap, hmtx, head, hhea) are read here; no font library is needed.
"""

from __future__ import annotations

import struct
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pikepdf
import segno
import zxingcpp
from PIL import Image

from store.errors import BadInput
from store.messages import say

PREFIX = "SOHOA-DOSSIER:"
A4 = (595.276, 841.89)  # points
FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("C:/Windows/Fonts/arial.ttf"),
    Path("C:/Windows/Fonts/tahoma.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)
_MAX_CODE = 64
_HEADING = "PHIẾU BÌA HỒ SƠ"
_FOOTER = "Đặt phiếu này lên trên trang đầu của hồ sơ khi quét."
_QR_ONLY = zxingcpp.barcode_formats_from_str("QRCode")


# =========================================================================== TrueType


@dataclass(frozen=True)
class TrueTypeFont:
    """What a PDF needs from a TrueType file: glyph ids, widths and metrics."""

    path: Path
    data: bytes
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cmap: dict[int, int]  # code point -> glyph id
    advances: tuple[int, ...]  # glyph id -> advance width (font units)

    def glyph(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def covers(self, text: str) -> bool:
        return all(self.glyph(ch) for ch in text if not ch.isspace() or ch == " ")

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points."""
        units = sum(self._advance(self.glyph(ch)) for ch in text)
        return units * size / self.units_per_em

    def _advance(self, gid: int) -> int:
        return self.advances[min(gid, len(self.advances) - 1)] if self.advances else 0

    def pdf_width(self, gid: int) -> int:
        return round(self._advance(gid) * 1000 / self.units_per_em)


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not a TrueType-outline font")
    (count,) = struct.unpack(">H", data[4:6])
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag] = (offset, length)
    for needed in (b"cmap", b"head", b"hhea", b"hmtx", b"glyf"):
        if needed not in tables:
            raise ValueError(f"font has no {needed.decode()} table")
    return tables


@cache
def load_font(path: Path) -> TrueTypeFont:
    """Parse the few tables we need; raises ValueError for fonts we cannot embed."""
    data = path.read_bytes()
    tables = _tables(data)
    head = tables[b"head"][0]
    (units,) = struct.unpack(">H", data[head + 18 : head + 20])
    bbox = struct.unpack(">hhhh", data[head + 36 : head + 44])
    hhea = tables[b"hhea"][0]
    ascent, descent = struct.unpack(">hh", data[hhea + 4 : hhea + 8])
    (metrics,) = struct.unpack(">H", data[hhea + 34 : hhea + 36])
    hmtx = tables[b"hmtx"][0]
    advances = tuple(
        struct.unpack(">H", data[hmtx + 4 * i : hmtx + 4 * i + 2])[0] for i in range(metrics)
    )
    return TrueTypeFont(
        path, data, units, (bbox[0], bbox[1], bbox[2], bbox[3]), ascent, descent,
        _read_cmap(data, tables[b"cmap"][0]), advances,
    )  # fmt: skip


def _read_cmap(data: bytes, cmap: int) -> dict[int, int]:
    """Unicode cmap: format 12 (full Unicode) when present, else format 4 (BMP)."""
    (count,) = struct.unpack(">H", data[cmap + 2 : cmap + 4])
    subtables: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(
            ">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i]
        )
        subtables[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            start = subtables[key]
            (fmt,) = struct.unpack(">H", data[start : start + 2])
            if fmt == 12:
                return _cmap_format12(data, start)
            if fmt == 4:
                return _cmap_format4(data, start)
    raise ValueError("font has no Unicode character map")


def _cmap_format12(data: bytes, start: int) -> dict[int, int]:
    (groups,) = struct.unpack(">I", data[start + 12 : start + 16])
    mapping: dict[int, int] = {}
    for i in range(groups):
        first, last, glyph = struct.unpack(">III", data[start + 16 + 12 * i : start + 28 + 12 * i])
        for code in range(first, min(last, 0x10FFFF) + 1):
            mapping[code] = glyph + code - first
    return mapping


def _cmap_format4(data: bytes, start: int) -> dict[int, int]:
    (seg2,) = struct.unpack(">H", data[start + 6 : start + 8])
    segs = seg2 // 2
    ends = struct.unpack(f">{segs}H", data[start + 14 : start + 14 + seg2])
    base = start + 16 + seg2
    starts = struct.unpack(f">{segs}H", data[base : base + seg2])
    deltas = struct.unpack(f">{segs}h", data[base + seg2 : base + 2 * seg2])
    range_at = base + 2 * seg2
    ranges = struct.unpack(f">{segs}H", data[range_at : range_at + seg2])
    mapping: dict[int, int] = {}
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if ranges[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack(">H", data[at : at + 2])
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                mapping[code] = glyph
    return mapping


def find_font(text: str, candidates: Sequence[Path] = FONT_CANDIDATES) -> TrueTypeFont:
    """The first installed font that has a glyph for every character of ``text``."""
    for path in candidates:
        if not path.is_file():
            continue
        try:
            font = load_font(path)
        except (OSError, ValueError, struct.error):
            continue
        if font.covers(text):
            return font
    missing_hint = "install fonts-dejavu-core" if sys.platform != "win32" else "Arial is missing"
    raise BadInput(say("scanning.cover_sheet_font",
                       "no installed font can print this cover sheet's text ({missing})",
                       missing=missing_hint))


# =========================================================================== PDF


def _font_dict(pdf: pikepdf.Pdf, font: TrueTypeFont, used: set[int]) -> pikepdf.Dictionary:
    """A Type0/CIDFontType2 font with the whole TrueType embedded (Identity-H)."""
    scale = 1000 / font.units_per_em
    stream = pikepdf.Stream(pdf, font.data)
    stream.Length1 = len(font.data)
    name = pikepdf.Name("/" + "".join(ch for ch in font.path.stem if ch.isalnum()))
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=[round(v * scale) for v in font.bbox],
        ItalicAngle=0,
        Ascent=round(font.ascent * scale),
        Descent=round(font.descent * scale),
        CapHeight=round(font.ascent * scale * 0.7),
        StemV=80,
        FontFile2=stream,
    )
    widths: list[object] = []
    for gid in sorted(used):
        widths += [gid, [font.pdf_width(gid)]]
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=descriptor,
        DW=1000,
        W=widths,
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=name,
        Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=[cid_font],
        ToUnicode=pikepdf.Stream(pdf, _to_unicode(font, used)),
    )


def _to_unicode(font: TrueTypeFont, used: set[int]) -> bytes:
    """CMap from glyph ids back to text, so copy/paste and pdftotext see Vietnamese."""
    reverse: dict[int, int] = {}
    for code, gid in sorted(font.cmap.items()):
        if gid in used and gid not in reverse:
            reverse[gid] = code
    pairs = [
        f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
        for gid, code in sorted(reverse.items())
    ]
    blocks = []
    for i in range(0, len(pairs), 100):
        chunk = pairs[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    y: float  # baseline, points from the bottom


def _wrap(font: TrueTypeFont, text: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a single over-long word is kept whole (it will be shrunk)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _text_ops(font: TrueTypeFont, lines: Sequence[_Line], used: set[int]) -> str:
    ops = ["0 g"]
    for line in lines:
        width = font.width(line.text, line.size)
        x = (A4[0] - width) / 2
        gids = [font.glyph(ch) for ch in line.text]
        used.update(gids)
        hexed = "".join(f"{gid:04X}" for gid in gids)
        ops.append(f"BT /F1 {line.size:.2f} Tf {x:.2f} {line.y:.2f} Td <{hexed}> Tj ET")
    return "\n".join(ops)


def _qr_ops(payload: str, left: float, bottom: float, size: float) -> str:
    """The QR code as filled squares, merged into horizontal runs (small, sharp)."""
    qr = segno.make(payload, error="h", micro=False, boost_error=False)
    matrix = [list(row) for row in qr.matrix]
    modules = len(matrix)
    unit = size / modules
    ops = ["0 g"]
    for r, row in enumerate(matrix):
        y = bottom + size - (r + 1) * unit
        c = 0
        while c < modules:
            if row[c]:
                start = c
                while c < modules and row[c]:
                    c += 1
                ops.append(
                    f"{left + start * unit:.3f} {y:.3f} {(c - start) * unit:.3f} {unit:.3f} re"
                )
            else:
                c += 1
    ops.append("f")
    return "\n".join(ops)


def _layout(font: TrueTypeFont, code: str, title: str) -> list[_Line]:
    """Heading, code (as large as fits) and wrapped title below the QR code."""
    usable = A4[0] - 2 * 50
    code_size = min(40.0, usable / max(font.width(code, 1.0), 1e-6))
    lines = [
        _Line(_HEADING, 16, A4[1] - 70),
        _Line(code, code_size, 290),
    ]
    y = 290 - code_size - 10
    title_size = 20.0
    for text in _wrap(font, title, title_size, usable)[:5]:
        size = min(title_size, usable / max(font.width(text, 1.0), 1e-6))
        lines.append(_Line(text, size, y))
        y -= size * 1.3
    lines.append(_Line(_FOOTER, 11, 45))
    return lines


def _check_inputs(dossier_code: str, title: str) -> tuple[str, str]:
    code = unicodedata.normalize("NFC", dossier_code.strip())
    clean_title = unicodedata.normalize("NFC", " ".join(title.split()))
    if not code or len(code) > _MAX_CODE or any(ch.isspace() for ch in code):
        raise BadInput(say("scanning.cover_sheet_code_length",
                           "dossier code must be 1-{max_code} characters without spaces",
                           max_code=_MAX_CODE))
    if any(unicodedata.category(ch).startswith("C") for ch in code + clean_title):
        raise BadInput(say("scanning.cover_sheet_control_chars",
                           "dossier code and title must not contain control characters"))
    return code, clean_title


def make_coversheet(path: Path, *, dossier_code: str, title: str) -> None:
    """Write a one-page A4 PDF cover sheet for a dossier (see module doc)."""
    code, clean_title = _check_inputs(dossier_code, title)
    font = find_font(code + clean_title + _HEADING + _FOOTER)
    used: set[int] = set()
    qr_size = 300.0
    content = "\n".join(
        [
            _qr_ops(PREFIX + code, (A4[0] - qr_size) / 2, 350, qr_size),
            _text_ops(font, _layout(font, code, clean_title), used),
        ]
    )
    pdf = pikepdf.new()
    pdf.docinfo["/Title"] = f"Phiếu bìa hồ sơ {code}"
    page = pdf.add_blank_page(page_size=A4)
    page.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=pdf.make_indirect(_font_dict(pdf, font, used)))
    )
    page.Contents = pdf.make_stream(content.encode("ascii"))
    pdf.save(path, compress_streams=True)


# =========================================================================== detection


def detect_coversheet(image: Image.Image) -> str | None:
    """The dossier code if ``image`` is one of our cover sheets, else None."""
    grey = np.ascontiguousarray(np.asarray(image.convert("L"), dtype=np.uint8))
    for barcode in zxingcpp.read_barcodes(grey, formats=_QR_ONLY):
        text = barcode.text
        if text.startswith(PREFIX):
            code = text[len(PREFIX) :].strip()
            if code and len(code) <= _MAX_CODE:
                return code
    return None
