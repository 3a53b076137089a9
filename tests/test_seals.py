"""Seals: found on the page image by the worker, and a value read through one is tinted.

OCR reads a view with red ink dropped, so only the image knows where a seal was
(capture.prepare.find_seals); extraction caps a field whose box a seal crosses
below the form's tint threshold (extract.seals).
"""

from __future__ import annotations

from dataclasses import replace

from PIL import ImageDraw

from capture.prepare import find_seals
from extract import metadata
from extract.seals import SEAL_CAP, crosses
from ocr.model import Region
from tests import imagegen

TINT = 0.75  # app/form.py DOUBTFUL_CONFIDENCE
DPI = 150
SEAL_RED = (200, 32, 44)

SIGNED = """UBND PHƯỜNG BẾN NGHÉ           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/QĐ-UBND                      Độc lập - Tự do - Hạnh phúc
                                   Phường Bến Nghé, ngày 05 tháng 3 năm 2024

QUYẾT ĐỊNH
Về việc cấp giấy phép xây dựng nhà ở

Điều 1. Cấp giấy phép xây dựng cho ông Nguyễn Văn Hùng.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN
- Như Điều 2;                                      CHỦ TỊCH
- Lưu: VT.

                                               Trần Thị Thu Hà
"""


def _seal(draw: ImageDraw.ImageDraw, centre: tuple[int, int], ink: int | tuple[int, ...]) -> None:
    """A round seal 36 mm across: two rings and a star, as ward seals are."""
    r, cx, cy = imagegen.mm(18, DPI), *centre
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=imagegen.mm(0.7, DPI))
    inner = r - imagegen.mm(5, DPI)
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=ink, width=2)
    star = r // 4
    draw.polygon([(cx, cy - star), (cx + star, cy + star), (cx - star, cy + star)], fill=ink)


def test_a_red_seal_over_the_signer_is_found_where_it_is() -> None:
    page = imagegen.document(0, dpi=DPI).convert("RGB")
    centre = (page.width * 2 // 3, page.height * 3 // 4)
    _seal(ImageDraw.Draw(page), centre, SEAL_RED)
    seals = find_seals(page, DPI)
    assert len(seals) == 1
    left, top, width, height = seals[0]
    assert abs(left + width / 2 - centre[0]) < imagegen.mm(3, DPI)
    assert abs(top + height / 2 - centre[1]) < imagegen.mm(3, DPI)
    assert abs(width - imagegen.mm(36, DPI)) < imagegen.mm(4, DPI)


def test_a_black_seal_on_a_one_bit_scan_is_found() -> None:
    page = imagegen.document(1, dpi=DPI).convert("L")
    _seal(ImageDraw.Draw(page), (page.width // 2, page.height * 3 // 4), 0)
    assert len(find_seals(page.convert("1"), DPI)) == 1


def test_no_seal_is_found_on_pages_without_one() -> None:
    """Text, a red square-cornered received stamp and a small red mark are not seals."""
    for index in range(3):
        page = imagegen.document(index, dpi=DPI).convert("RGB")
        draw = ImageDraw.Draw(page)
        x, y = imagegen.mm(70, DPI), imagegen.mm(20, DPI)
        draw.rectangle((x, y, x + imagegen.mm(45, DPI), y + imagegen.mm(40, DPI)),
                       outline=SEAL_RED, width=4)
        draw.ellipse((x, y + 400, x + imagegen.mm(8, DPI), y + 400 + imagegen.mm(8, DPI)),
                     outline=SEAL_RED, width=3)
        assert find_seals(page, DPI) == ()
        assert find_seals(page.convert("L"), DPI) == ()


def test_a_name_read_through_a_seal_is_tinted_and_says_why() -> None:
    page = metadata.page_from_text(SIGNED)
    clean = metadata.extract([page])
    name = clean.fields["signer_name"]
    assert name.value == "Trần Thị Thu Hà" and name.confidence >= TINT
    assert name.region is not None
    r = name.region
    seal = (r.left + r.width // 2 - 100, r.top - 150, 200, 200)  # centred above the name
    sealed = metadata.extract([replace(page, seals=(seal,))])
    assert sealed.fields["signer_name"].value == "Trần Thị Thu Hà"
    assert sealed.fields["signer_name"].confidence <= SEAL_CAP < TINT
    assert sealed.review["signer_name"] == "under_seal"
    assert sealed.fields["code_number"].confidence == clean.fields["code_number"].confidence
    assert "code_number" not in sealed.review


def test_a_seal_beside_a_line_does_not_cross_it() -> None:
    """A box only the seal's square corner reaches is read whole."""
    line = Region(0, 100, 100, 200, 30)
    assert crosses((50, 0, 200, 200), line)
    assert not crosses((300, 130, 100, 100), line)  # the circle's top-left corner: paper
    assert not crosses((0, 0, 0, 0), line)


def test_a_seal_between_the_title_and_the_name_doubts_both() -> None:
    """A seal may swallow a title line whole; what is left was read beside it."""
    page = metadata.page_from_text(SIGNED)
    clean = metadata.extract([page])
    title, name = clean.fields["signer_position"].region, clean.fields["signer_name"].region
    assert title is not None and name is not None
    gap_top, gap_bottom = title.top + title.height, name.top
    seal = (name.left, gap_top + 4, gap_bottom - gap_top - 8, gap_bottom - gap_top - 8)
    assert not crosses(seal, title) and not crosses(seal, name)
    sealed = metadata.extract([replace(page, seals=(seal,))])
    for field in ("signer_position", "signer_name"):
        assert sealed.fields[field].confidence <= SEAL_CAP
        assert sealed.review[field] == "under_seal"
