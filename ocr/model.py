"""Plain data passed between the capture stages (picklable, no behaviour).

A page goes: source image -> clean-up decisions -> OCR words -> metadata.
Each stage's output is one of these frozen dataclasses so that it can cross a
process boundary and be stored as JSON without a custom encoder.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One OCR word; the box is in pixels of the *cleaned* page image."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0..100, Tesseract's word confidence
    block: int = 0
    par: int = 0
    line: int = 0  # line number, unique within the page


@dataclass(frozen=True)
class HandRead:
    """Digits read in a header slot written in by hand (ocr.handdigits): never trusted."""

    kind: str  # "number" (after "Số:"), "day" (after "ngày") or "month" (after "tháng")
    digits: str
    confidence: tuple[float, ...]  # per digit, the reader's probability


@dataclass(frozen=True)
class PageText:
    """Tesseract's reading of one cleaned page."""

    words: tuple[Word, ...]
    width: int
    height: int
    dpi: int = 300
    hand: tuple[HandRead, ...] = ()  # the header's handwritten slots, read by the worker
    # Round seals found on the page image by the worker (left, top, width, height in pixels
    # of this page): OCR reads a view with red ink dropped, so only the image knows a value
    # was read through one (extract.seals).
    seals: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def text(self) -> str:
        """Full text in reading order, one output line per OCR line."""
        lines: list[str] = []
        current: list[str] = []
        last: tuple[int, int, int] | None = None
        for w in self.words:
            key = (w.block, w.par, w.line)
            if last is not None and key != last:
                lines.append(" ".join(current))
                current = []
            current.append(w.text)
            last = key
        if current:
            lines.append(" ".join(current))
        return "\n".join(lines)


@dataclass(frozen=True)
class Region:
    """Where on which page a value was read (pixels of the cleaned page)."""

    page: int  # 0-based page index within the document
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Field:
    """One extracted metadata value with how sure we are and where it came from."""

    value: str
    confidence: float  # 0..1
    region: Region | None = None


# Below this confidence the form tints a value for the clerk's eye; at or above it a value
# is trusted (docs/benchmarks.md: calibrated on real and realistic scans).
TINT = 0.75


@dataclass(frozen=True)
class Extraction:
    """Metadata read from a document (Nghị định 30/2020 fields)."""

    fields: dict[str, Field] = field(default_factory=dict)
    citizen_ids: tuple[str, ...] = ()
    # Why a field needs the clerk's eye, by field name (present or not): "handwritten",
    # "under_seal", "outside_slot", "lexicon_repair", "casing", "incomplete", "missing",
    # "low_confidence" (OCR unsure of its letters, no sharper reason known).
    review: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None
