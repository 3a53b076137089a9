"""Handwritten digits in header slots: finding the slot, reading the ink, offering the value.

The slots are drawn here with OpenCV's Hershey script font (built in, so no font or real
scan is needed: the real scans are in ../shared, which a CI clone does not have; their
figures are in docs/benchmarks.md, "Handwritten digits"). The shipped weights are used.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from capture.prepare import CaptureOptions, capture_task, hand_reads
from extract.handslots import find_slots, slot_line_top
from extract.metadata import extract, page_from_text
from ocr import handdigits
from ocr.model import HandRead, PageText, Word
from ocr.settings import OcrSettings
from ocr.workers import PageJob
from scanning.settings import ScanSettings
from tests.test_metadata import _doc

TINT = 0.75  # app/form.py DOUBTFUL_CONFIDENCE
SCRIPT = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
LINE_TOP, LINE_H = 40, 45  # the printed words' band in the slot images below


def _slot(text: str, *, leaders: bool = True, underline: bool = False, colon: bool = False,
          slash: bool = False, touching: bool = False) -> npt.NDArray[np.uint8]:
    """A slot as a clerk fills it: digits in script over a dotted leader."""
    img = np.full((120, 420), 255, np.uint8)
    if leaders:
        for x in range(6, 410, 12):
            cv2.circle(img, (x, 88), 2, 0, -1)
    if underline:  # a rule the digits stand on: it joins them into one piece of ink
        cv2.line(img, (0, 84), (419, 84), 0, 2)
    if colon:
        cv2.circle(img, (8, 60), 3, 0, -1)
        cv2.circle(img, (8, 78), 3, 0, -1)
    x = 30
    for ch in text:
        cv2.putText(img, ch, (x, 85), SCRIPT, 1.8, 0, 3, cv2.LINE_AA)
        x += 24 if touching else 48
    if slash:  # the notation's printed "/TB", in the print's band
        cv2.line(img, (x + 32, 84), (x + 44, 42), 0, 2)
        cv2.putText(img, "TB", (x + 50, 84), cv2.FONT_HERSHEY_COMPLEX, 1.4, 0, 2)
    return img


def test_segmentation_drops_leaders_and_rules_and_orders_the_digits() -> None:
    img = _slot("2164", underline=True, colon=True)
    ink = handdigits.remove_rules(handdigits.binarise(img), LINE_H)
    pieces = handdigits.segment(ink, LINE_TOP, LINE_H)
    assert pieces is not None and len(pieces) == 4
    lefts = [int(np.nonzero(p.any(axis=0))[0][0]) for p in pieces]
    assert lefts == sorted(lefts)


def test_touching_digits_are_split_by_width() -> None:
    img = _slot("2027", touching=True, leaders=False)
    ink = handdigits.remove_rules(handdigits.binarise(img), LINE_H)
    n, _, _, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    assert n - 1 < 4  # the strokes do touch
    pieces = handdigits.segment(ink, LINE_TOP, LINE_H)
    assert pieces is not None and len(pieces) == 4


def test_a_broken_stroke_is_one_digit() -> None:
    img = _slot("5", leaders=False)
    img[:, :] = 255
    cv2.line(img, (46, 38), (72, 36), 0, 3)  # a 5's flag, lifted off its body
    cv2.ellipse(img, (52, 72), (14, 13), 0, -200, 120, 0, 3)
    cv2.line(img, (40, 47), (38, 64), 0, 3)
    ink = handdigits.binarise(img)
    assert cv2.connectedComponentsWithStats(ink, connectivity=8)[0] - 1 == 2
    pieces = handdigits.segment(ink, LINE_TOP, LINE_H)
    assert pieces is not None and len(pieces) == 1
    assert np.nonzero(pieces[0].any(axis=1))[0][0] <= 36  # the flag is part of the digit


def test_reads_script_digits_with_a_confidence_each() -> None:
    for text in ("2164", "275", "899", "2027", "30", "15", "08", "6078", "1113", "69"):
        got = handdigits.read_slot(_slot(text), LINE_TOP, LINE_H)
        assert got is not None and got.digits == text, (text, got)
        assert len(got.confidence) == len(text) and all(0 <= c <= 1 for c in got.confidence)


def test_the_notations_slash_and_the_labels_colon_are_not_digits() -> None:
    got = handdigits.read_slot(_slot("275", slash=True, colon=True), LINE_TOP, LINE_H)
    assert got is not None and got.digits == "275"


def test_ink_of_the_lines_above_and_below_is_left_out() -> None:
    img = _slot("899")
    cv2.putText(img, "DAI HOC", (20, 14), cv2.FONT_HERSHEY_COMPLEX, 1.2, 0, 2)  # cut by the crop
    cv2.putText(img, "THONG", (200, 128), cv2.FONT_HERSHEY_COMPLEX, 1.2, 0, 2)
    cv2.putText(img, "7", (2, 119), SCRIPT, 1.5, 0, 2, cv2.LINE_AA)  # a note under the line
    got = handdigits.read_slot(img, LINE_TOP, LINE_H)
    assert got is not None and got.digits == "899"


def test_print_in_the_slot_is_not_read_as_digits() -> None:
    for text in ("QB", "KH"):
        img = np.full((120, 420), 255, np.uint8)
        cv2.putText(img, text, (30, 84), cv2.FONT_HERSHEY_COMPLEX, 1.4, 0, 2)
        assert handdigits.read_slot(img, LINE_TOP, LINE_H) is None, text


def test_implausible_slots_are_refused() -> None:
    blank = np.full((120, 420), 255, np.uint8)
    assert handdigits.read_slot(blank, LINE_TOP, LINE_H) is None
    assert handdigits.read_slot(_slot(""), LINE_TOP, LINE_H) is None  # only a dotted leader
    assert handdigits.read_slot(_slot("2164"), LINE_TOP, LINE_H, max_digits=2) is None
    words = np.full((120, 900), 255, np.uint8)  # a line of print is not a number
    cv2.putText(words, "UY BAN NHAN DAN", (10, 84), cv2.FONT_HERSHEY_COMPLEX, 1.4, 0, 2)
    assert handdigits.read_slot(words, LINE_TOP, LINE_H) is None


def test_the_shipped_weights_are_small_and_load() -> None:
    assert handdigits.MODEL_PATH.stat().st_size < 2_000_000
    model = handdigits.load_model()
    probs = model.probabilities(np.zeros((2, 784), np.float32))
    assert probs.shape == (2, handdigits.JUNK + 1)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)


def _header_words() -> tuple[Word, ...]:
    """The OCR words of a header line: "Số:" ... "/TB-ĐHĐL", "ngày" ... "tháng" ... "năm"."""
    def word(text: str, left: int, width: int) -> Word:
        return Word(text, left, 300, width, 40, 95.0, line=2)
    return (word("Số:", 400, 66), word("/TB-ĐHĐL", 700, 230),
            word("ngày", 1400, 110), word("tháng", 1640, 130), word("năm", 1900, 95),
            word("2025", 2015, 100))


def test_slots_are_found_between_the_printed_words() -> None:
    slots = {s.kind: s for s in find_slots(_header_words(), 3500, 2480)}
    assert set(slots) == {"number", "day", "month"}
    assert 466 <= slots["number"].left < slots["number"].right <= 700
    assert 1400 + 80 <= slots["day"].left < slots["day"].right <= 1640
    assert slots["month"].right <= 1900
    assert slots["number"].top < 300 < 340 < slots["number"].bottom
    body = tuple(replace(w, top=w.top + 2500, line=40) for w in _header_words())
    assert find_slots(body, 3500, 2480) == []  # a citation in the body is not the slot


def test_the_worker_reads_the_slots_it_finds_on_the_page() -> None:
    page = np.full((1200, 2480), 255, np.uint8)
    for text, x in (("2164", 480), ("28", 1520), ("10", 1780)):
        cv2.putText(page, text, (x, 338), SCRIPT, 1.6, 0, 3, cv2.LINE_AA)
    text = PageText(_header_words(), 2480, 3500)
    reads = {r.kind: r.digits for r in hand_reads(Image.fromarray(page), text)}
    assert reads == {"number": "2164", "day": "28", "month": "10"}
    for s in find_slots(text.words, 3500, 2480):
        assert s.top + slot_line_top(s) == 300


_SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _header_image() -> Image.Image:
    """A printed header at 150 dpi with the number, day and month written in by hand."""
    font = ImageFont.truetype(_SERIF, 25)
    img = Image.new("L", (1240, 560), 255)
    draw = ImageDraw.Draw(img)
    for xy, text in (((110, 60), "ỦY BAN NHÂN DÂN"),
                     ((620, 60), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                     ((110, 95), "PHƯỜNG BẾN NGHÉ"), ((700, 95), "Độc lập - Tự do - Hạnh phúc"),
                     ((110, 160), "Số:"), ((290, 160), "/QĐ-UBND"),
                     ((640, 160), "Phường Bến Nghé, ngày"), ((950, 160), "tháng"),
                     ((1080, 160), "năm 2024"), ((540, 260), "QUYẾT ĐỊNH"),
                     ((330, 300), "Về việc công nhận Tổ hòa giải khu phố 3"),
                     ((140, 380), "Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;")):
        draw.text(xy, text, font=font, fill=0)
    ink = np.array(img)
    for text, x in (("2164", 165), ("28", 905), ("10", 1025)):
        cv2.putText(ink, text, (x, 185), SCRIPT, 1.1, 0, 2, cv2.LINE_AA)
    return Image.fromarray(ink)


def test_the_ocr_worker_attaches_the_reads_to_the_page_text(tmp_path: Path) -> None:
    """Real Tesseract in the capture task: the slots come from its words, the reads ride on
    the PageText to the parent; extraction offers them tinted, marked handwritten."""
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    job = PageJob.from_image("p", _header_image(), settings=OcrSettings(engine="library"),
                             temp_dir=work, dpi=150, options=CaptureOptions(
                                 scan=ScanSettings(tesseract_cmd="/nonexistent/tesseract")))
    text = capture_task(job).text
    assert text is not None
    assert {r.kind: r.digits for r in text.hand} == {"number": "2164", "day": "28",
                                                      "month": "10"}
    ex = extract([text])
    assert ex.value("code_number") == "2164" and ex.value("issued_date") == "2024-10-28"
    assert ex.review["code_number"] == ex.review["issued_date"] == "handwritten"
    assert max(ex.fields["code_number"].confidence, ex.fields["issued_date"].confidence) < TINT


def _handwritten_page(hand: tuple[HandRead, ...]) -> PageText:
    page = page_from_text(_doc(code="Số:      /QĐ-UBND",
                               date="Phường Bến Nghé, ngày .... tháng .... năm 2024"))
    return replace(page, hand=hand)


def test_a_handwritten_read_fills_the_field_but_stays_tinted_and_handwritten() -> None:
    sure = HandRead("number", "2164", (1.0, 1.0, 1.0, 1.0))
    day, month = HandRead("day", "28", (1.0, 1.0)), HandRead("month", "2", (0.99,))
    ex = extract([_handwritten_page((sure, day, month))])
    assert ex.value("code_number") == "2164" and ex.value("code_notation") == "QĐ-UBND"
    assert ex.fields["code_number"].confidence < TINT
    assert ex.review["code_number"] == "handwritten"
    assert ex.value("issued_date") == "2024-02-28"
    assert ex.fields["issued_date"].confidence < TINT
    assert ex.review["issued_date"] == "handwritten"
    without = extract([_handwritten_page(())])
    assert without.value("code_number") is None and without.value("issued_date") is None


def test_an_implausible_read_is_not_offered() -> None:
    for hand in ((HandRead("number", "0216", (1.0,) * 4),),    # a number does not start with 0
                 (HandRead("number", "2164", (1.0, 0.3, 1.0, 1.0)),),  # a doubtful digit
                 (HandRead("day", "30", (1.0, 1.0)), HandRead("month", "2", (1.0,))),  # 30 Feb
                 (HandRead("day", "28", (1.0, 1.0)),)):          # no month read: no date
        ex = extract([_handwritten_page(hand)])
        assert ex.value("code_number") is None and ex.value("issued_date") is None, hand
        assert ex.review["code_number"] == "handwritten"
        assert ex.review["issued_date"] == "handwritten"


def test_a_printed_number_is_never_replaced_by_a_read() -> None:
    page = replace(page_from_text(_doc(code="Số: 12/QĐ-UBND")),
                   hand=(HandRead("number", "2164", (1.0,) * 4),))
    ex = extract([page])
    assert ex.value("code_number") == "12" and ex.fields["code_number"].confidence >= TINT
