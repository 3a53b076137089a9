"""What Tesseract reads of a colour page: red seals and stamps dropped, ink kept.

Real scans (real-dev R02, R05): the red channel alone left a seal's ring as grey
strokes through the signer's family name, read "`Phững #ñj" and "V#Thị".
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw

from capture.prepare import RED_MARGIN, drop_red, ocr_view
from ocr.settings import OcrSettings
from ocr.tesseract import ocr_page
from tests.imagegen import font

SEAL = (165, 45, 60)  # seal ink as scanned: not pure red, R well under 255
BLACK, BLUE, YELLOWED = (20, 20, 20), (30, 40, 160), (244, 236, 214)


def test_red_ink_turns_to_paper_and_other_ink_stays() -> None:
    rgb = np.array([[SEAL, BLACK, BLUE, YELLOWED, (255, 255, 255)]], dtype=np.uint8)
    view = drop_red(rgb)[0]
    assert view[0] == 255  # the seal is gone
    assert view[1] < 60 and view[2] < 60  # black and blue pen stay dark
    assert view[3] >= 230 and view[4] == 255  # paper stays paper
    assert int(SEAL[0]) - max(SEAL[1:]) > RED_MARGIN


def _sealed_name(name: str) -> Image.Image:
    """A signer's name in black under a seal: three red rings and red letters across
    the family name, multiplied in as ink is (black stays black where they cross)."""
    page = Image.new("RGB", (900, 260), (250, 248, 242))
    ImageDraw.Draw(page).text((120, 100), name, font=font(44), fill=BLACK)
    seal = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    for r in (150, 130, 110):
        draw.ellipse((40, -60, 40 + r * 2, -60 + r * 2), outline=SEAL, width=9)
    draw.text((100, 95), "ĐẢNG ỦY", font=font(40), fill=SEAL)
    draw.text((80, 140), "PHƯỜNG", font=font(34), fill=SEAL)
    return ImageChops.multiply(page, seal)


@pytest.mark.slow
def test_a_name_under_a_red_seal_is_read_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _sealed_name("Phùng Thị Xuân Bình")
    text = ocr_page(ocr_view(page), settings=OcrSettings(), temp_dir=tmp_path, dpi=300)
    assert "Phùng Thị Xuân Bình" in " ".join(w.text for w in text.words)
    # the red channel alone (the view before) loses the family name here
    alone = ocr_page(page.getchannel("R"), settings=OcrSettings(), temp_dir=tmp_path, dpi=300)
    assert "Phùng" not in " ".join(w.text for w in alone.words)
