"""A born-digital PDF page's own text, used instead of OCR when it can be trusted.

A PDF exported from Word, or a digitally signed one, carries its text exactly:
OCR of its rendering can only lose diacritics. But not every text layer is the
document's text. The layer is trusted only when all of these hold:

- **Visible text, no scan under it.** Scanner software and OCR tools (OCRmyPDF,
  ABBYY, a copier's "searchable PDF") draw their OCR in rendering mode 3
  (invisible) over a page image; that text is another program's guess, often a
  poor one, so such a page is read again (``invisible`` letters, or images over
  half the page, mean OCR).
- **Enough of it.** At least ``MIN_WORDS`` words: a page with only a stamp's or
  a footer's text is read by OCR, which also sees what the layer does not hold.
- **Vietnamese as Unicode spells it.** Older Vietnamese PDFs use TCVN3 or VNI
  fonts whose text extracts as "Uû ban nh©n d©n"; a font without a ToUnicode map
  extracts as shifted letters or nothing. So at least ``MIN_GOOD`` of the words
  must be written only in Vietnamese letters, digits and ordinary punctuation,
  with no syllable Vietnamese cannot have (``extract.spelling``), and at least
  ``MIN_MARKED`` of them must carry a Vietnamese letter (ă, ơ, đ, a tone mark):
  shifted ASCII passes the first test but not this one.

A trusted page is not cleaned (it is not a scan: nothing to turn, level or trim)
nor OCR'd; its words keep PDFium's boxes, scaled to the rendered image.
"""

from __future__ import annotations

import statistics
import unicodedata

from extract.spelling import not_vietnamese
from ocr.model import PageText, Word
from scanning.sources import TextLayer

MIN_WORDS = 20
MIN_GOOD = 0.9
MIN_MARKED = 0.2
MAX_IMAGE_SHARE = 0.5
LAYER_CONF = 99.0  # the words are the document's own: as sure as any OCR word gets

_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_MARKED = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in _BASES + _BASES.upper()
    for tone in _TONES) - frozenset("aeiouyAEIOUY") | frozenset("đĐ")
_LETTERS = _MARKED | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PUNCT = frozenset("0123456789.,:;!?-–—/()[]\"'“”‘’%&+*=<>§°…·_")


def trusted(layer: TextLayer | None) -> bool:
    """Is this layer the page's own text (module doc)?"""
    if layer is None or layer.invisible or layer.image_share > MAX_IMAGE_SHARE:
        return False
    words = [w[0] for w in layer.words if any(ch.isalpha() for ch in w[0])]
    if len(words) < MIN_WORDS:
        return False
    good = sum(1 for w in words if _well_spelt(w))
    marked = sum(1 for w in words if any(ch in _MARKED for ch in w))
    return good >= MIN_GOOD * len(words) and marked >= MIN_MARKED * len(words)


def _well_spelt(word: str) -> bool:
    if any(ch not in _LETTERS and ch not in _PUNCT for ch in word):
        return False
    parts = "".join(ch if ch in _LETTERS else " " for ch in word).split()
    return not any(not_vietnamese(part) for part in parts)


def page_text(layer: TextLayer, width: int, height: int, dpi: int) -> PageText:
    """The layer's words as OCR gives them: grouped into lines top to bottom, left to right.

    Two words share a line when their vertical middles are within half a line
    of each other; ``extract.metadata`` splits a line at wide gaps into columns
    itself, as it does for Tesseract's lines.
    """
    boxes = sorted(layer.words, key=lambda w: (w[2] + w[4] / 2, w[1]))
    tall = statistics.median(w[4] for w in boxes) if boxes else 1
    lines: list[list[tuple[str, int, int, int, int]]] = []
    for box in boxes:
        middle = box[2] + box[4] / 2
        if lines and abs(middle - _middle(lines[-1])) <= tall / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    words = tuple(
        Word(text, left, top, w, h, LAYER_CONF, block=1, par=1, line=number)
        for number, line in enumerate(lines, start=1)
        for text, left, top, w, h in sorted(line, key=lambda b: b[1]))
    return PageText(words, width, height, dpi)


def _middle(line: list[tuple[str, int, int, int, int]]) -> float:
    return statistics.median(w[2] + w[4] / 2 for w in line)
