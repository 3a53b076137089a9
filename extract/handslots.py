"""Where a header's handwritten number, day and month sit, found from the OCR'd words.

A clerk writes the number between the printed "Số:" and the notation's "/" ("Số: 2164
/TB-ĐHĐL"), the day between "ngày" and "tháng", the month between "tháng" and "năm".
This module finds those gaps on a page's words (no image: pure geometry on the OCR
boxes), so that the OCR worker, which holds the image, can crop them and read the ink
(ocr.handdigits). Only the top of the page is searched: a body citation ("số 61/ĐN-PC46
ngày 23/01/2018") is never the document's slot.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from extract.vntext import fold, strip_diacritics
from ocr.model import Word

_HEADER_SHARE = 0.35  # the number and date sit in the top third of the first page
_NOTATION_SLASH = re.compile(r"/\s*(?=[^\W\d_]{1,8}[-–])")  # "/QĐ-UBND", OCR's "/QÐÐ-UBND"
SLOT_ABOVE = 0.8  # the crop reaches this many line heights above the printed words' top
SLOT_BELOW = 0.8  # and this many below their foot
_SO_LABEL = re.compile(r"^\W{0,2}s[o0ơ6][:;.]?")


@dataclass(frozen=True)
class Slot:
    """A gap to read: ``kind`` is "number", "day" or "month"; box in page pixels."""

    kind: str
    left: int
    top: int
    right: int
    bottom: int
    line_height: int  # height of the printed words beside it


def find_slots(words: Sequence[Word], page_height: int, page_width: int) -> list[Slot]:
    """The number slot and the day and month slots of a page's header, as far as found."""
    top = [w for w in words if w.top < page_height * _HEADER_SHARE]
    lines: dict[int, list[Word]] = {}
    for w in top:
        lines.setdefault(w.line, []).append(w)
    slots: list[Slot] = []
    for line in lines.values():
        line.sort(key=lambda w: w.left)
        if not any(s.kind == "number" for s in slots):
            slots.extend(_number_slot(line, page_width))
        if not any(s.kind == "day" for s in slots):
            slots.extend(_date_slots(line))
    return slots


def slot_line_top(slot: Slot) -> int:
    """Row of the crop where the printed words beside the slot start."""
    return int(SLOT_ABOVE * slot.line_height)


# Advance widths of Times New Roman (the font NĐ 30 prescribes) in em, by letter with its
# marks taken off: how far along an OCR word a character sits when the word glues the
# print to the hand ("Số:2027/TB-ĐHĐL", one box: ink of any width between)
_WIDE = dict.fromkeys("ABCDGHKNOQRUVXY", 0.722) | dict.fromkeys("EFLPSTZ", 0.6) | {
    "I": 0.333, "J": 0.389, "M": 0.889, "W": 0.944, "/": 0.278, ":": 0.278, ".": 0.25,
    ",": 0.25, "-": 0.333, "–": 0.5, " ": 0.25, "i": 0.278, "l": 0.278, "j": 0.278,
    "t": 0.278, "f": 0.333, "r": 0.333, "m": 0.778, "w": 0.722, "a": 0.444, "c": 0.444,
    "e": 0.444, "s": 0.389, "(": 0.333, ")": 0.333}


_BOX_SLACK = 1.15  # an OCR box up to this much wider than its print holds print alone
_SLACK = 0.3  # em: the gap starts this much before the print's end, in case the box is off


def _advance(text: str) -> float:
    """The printed width of ``text`` in em (Times New Roman)."""
    plain = strip_diacritics(text).replace("Đ", "D").replace("đ", "d")
    return sum(_WIDE.get(c, 0.5) for c in plain)


def _em(line: Sequence[Word]) -> float:
    """The printed line's em in pixels, from its confidently read words."""
    ems = [w.width / _advance(w.text) for w in line
           if w.conf >= 80 and len(w.text) >= 2 and any(c.isalpha() for c in w.text)]
    if ems:
        return float(statistics.median(ems))
    return 1.1 * statistics.median(w.height for w in line)


def _x_after(w: Word, index: int, em: float, slack: float = 0.0) -> int:
    """The x just after character ``index - 1`` of a word whose head is print ("Số:21…").
    A box wider than its print holds ink as well ("ngày" with "28" written over its
    end): the gap then starts ``slack`` em before where the print should end."""
    printed = _advance(w.text[:index]) * em
    if index >= len(w.text) and w.width <= _BOX_SLACK * printed:
        return w.left + w.width  # the box is the print's
    return min(w.left + w.width, w.left + round(printed - slack * em))


def _x_before(w: Word, index: int, em: float) -> int:
    """The x of character ``index`` of a word whose tail is print ("…27/TB-QL")."""
    if index <= 0:
        return w.left
    return max(w.left, w.left + w.width - round(_advance(w.text[index:]) * em))


def _line_height(line: Sequence[Word], skip: Sequence[Word]) -> int:
    heights = [w.height for w in line if w not in skip and any(c.isalpha() for c in w.text)]
    return int(statistics.median(heights)) if heights else int(statistics.median(
        w.height for w in line))


def _box(kind: str, x0: int, x1: int, line: Sequence[Word], skip: Sequence[Word]) -> Slot:
    """The gap's box: from 0.8 of a line above the printed words to 0.8 below them
    (handwriting stands taller than print, and sits on a dotted leader)."""
    printed = [w for w in line if w not in skip] or list(line)
    h = _line_height(line, skip)
    top = int(statistics.median(w.top for w in printed))
    return Slot(kind, x0, top - int(SLOT_ABOVE * h), x1, top + int((1 + SLOT_BELOW) * h), h)


def _number_slot(line: Sequence[Word], page_width: int) -> list[Slot]:
    """"Số: … /QĐ-UBND": from after the label to the notation's slash."""
    cw = _em(line)
    for i, w in enumerate(line):
        label = _SO_LABEL.match(fold(w.text))
        if label is None or w.left > page_width // 2:
            continue
        x0 = _x_after(w, label.end(), cw)
        for v in line[i:]:
            m = _NOTATION_SLASH.search(v.text, label.end() if v is w else 0)
            if m is not None:
                x1 = _x_before(v, m.start(), cw)
                between = [u for u in line if u.left >= x0 - 2 and u.left + u.width <= x1 + 2]
                mixed = [v] if m.start() > 0 else []  # "2164/TB-ĐHĐL": ink and print in one word
                if x1 - x0 >= 4:
                    return [_box("number", x0, x1, line, [*between, *mixed])]
                return []
        return []
    return []


def _date_slots(line: Sequence[Word]) -> list[Slot]:
    """"ngày … tháng … năm 2025": the day's gap and the month's gap."""
    keys = [fold(w.text) for w in line]
    ngay = next((i for i, k in enumerate(keys) if re.match(r"ng[aà][yu]", k)), None)
    if ngay is None:
        return []
    thang = next((i for i in range(ngay + 1, len(line))
                  if re.match(r"\W*[0-9.,]*th", keys[i])), None)
    if thang is None:
        return []
    nam = next((i for i in range(thang + 1, len(line)) if re.match(r"n[aă]m", keys[i])), None)
    w, t = line[ngay], line[thang]
    cw = _em(line)
    x0 = _x_after(w, 4, cw, _SLACK)
    x1 = _x_before(t, len(t.text) - len(keys[thang].lstrip("0123456789.,{([|")), cw)
    printed = [w, t] + ([line[nam]] if nam is not None else [])
    slots = [_box("day", x0, x1, line, [u for u in line if u not in printed])]
    if nam is not None:
        t0 = _x_after(t, 5, cw, _SLACK)
        slots.append(_box("month", t0, line[nam].left, line,
                          [u for u in line if u not in printed]))
    return [s for s in slots if s.right - s.left >= 4]
