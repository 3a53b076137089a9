"""A quarter turn needs the text's word, not the projection's alone.

At 72-96 dpi, on a phone photo's grey, unevenly lit paper, the ink mask keeps
little more than the letters' stems, and the projection finds "lines" across the
page: real-extra E06 (600 x 740 px, 96 dpi) was turned 90 degrees and lost 7 of
its 8 fields. The page's text strip read both across and along decides.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from capture.prepare import strip_reader
from ocr.settings import OcrSettings
from scanning.cleanup import clean
from scanning.settings import ScanSettings
from tests import imagegen

DPI = 96


def _photo() -> Image.Image:
    """A small, soft, low-contrast page lit from one side, as a phone takes it."""
    lines = [line for doc in imagegen.DOCUMENTS for line in doc][:40]
    page = imagegen.render_page(lines, dpi=DPI, size_mm=(160, 200), font_pt=10.0,
                                margin_mm=10)
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    grey = np.asarray(page.convert("L"), dtype=np.float32) / 255.0
    h, w = grey.shape
    light = np.linspace(200, 160, w)[None, :] * np.linspace(1.0, 0.85, h)[:, None]
    out = Image.fromarray(np.clip(90 + grey * (light - 90), 0, 255).astype(np.uint8))
    out = imagegen.noisy(out.convert("RGB"), sigma=3, speckles=0)
    out.info["dpi"] = (DPI, DPI)
    return out


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return _photo()


@pytest.mark.parametrize("reader", [True, False], ids=["worker", "program"])
def test_an_upright_photo_is_not_turned(photo: Image.Image, tmp_path: Path,
                                        reader: bool) -> None:
    read = strip_reader(OcrSettings(), tmp_path) if reader else None
    result = clean(photo, settings=ScanSettings(), temp_dir=tmp_path, dpi=DPI, reader=read,
                   defer_flip=reader)
    assert result.rotation == 0
    assert result.image.width < result.image.height  # portrait, as photographed


@pytest.mark.parametrize("dpi", [DPI, 150])
def test_a_sideways_page_is_still_turned(tmp_path: Path, dpi: int) -> None:
    """A page whose lines the projection does see across is turned, by the worker too."""
    sideways = imagegen.document(0, dpi=dpi).transpose(Image.Transpose.ROTATE_90)  # on its left
    sideways.info["dpi"] = (dpi, dpi)
    result = clean(sideways, settings=ScanSettings(), temp_dir=tmp_path, dpi=dpi,
                   reader=strip_reader(OcrSettings(), tmp_path), defer_flip=True)
    assert result.rotation == 90  # clockwise, back upright
    assert result.image.width < result.image.height
