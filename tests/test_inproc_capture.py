"""The capture worker task with the in-process Tesseract: which way up without an OSD pass.

Real pages (rendered Vietnamese documents, noise and skew), the real library;
``ScanSettings.tesseract_cmd`` points nowhere, so any call to the ``tesseract``
program (the old OSD pass) would fail the page's clean-up and show in ``note``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from capture import prepare as capture
from capture.prepare import CaptureOptions, capture_task, upright_share
from ocr.model import PageText, Word
from ocr.settings import OcrSettings
from ocr.workers import PageJob
from scanning.settings import ScanSettings
from tests import imagegen

NO_PROGRAM = ScanSettings(tesseract_cmd="/nonexistent/tesseract")
OCR = OcrSettings(engine="library", workers=1)


@pytest.fixture(autouse=True)
def _fresh_worker() -> None:
    capture._recent_turns.clear()  # as a newly started worker


@pytest.fixture
def work(tmp_path: Path) -> Path:
    private = tmp_path / "work"
    private.mkdir(mode=0o700)
    return private


def _ccw(image: Image.Image, degrees: int) -> Image.Image:
    """Turn a page counter-clockwise: it then needs ``degrees`` clockwise to be upright."""
    return image.rotate(degrees, expand=True) if degrees else image


def _job(image: Image.Image, work: Path) -> PageJob:
    return PageJob.from_image("p", image, settings=OCR, temp_dir=work, dpi=150,
                              options=CaptureOptions(scan=NO_PROGRAM))


@pytest.mark.slow
# 270: the strip turned as the lines say reads upside down (no proof of the quarter turn
# in one read), so the four turns are read and decide at once: one page read, not two.
@pytest.mark.parametrize(("turn", "passes"), [(0, 1), (90, 1), (180, 2), (270, 1)])
def test_turned_pages_are_read_upright_and_re_read_only_when_turned(
    turn: int, passes: int, work: Path
) -> None:
    page = imagegen.noisy(imagegen.skewed(imagegen.document(0), 1.5), seed=4)
    captured = capture_task(_job(_ccw(page, turn), work))
    assert captured.note is None  # the clean-up never ran the tesseract program
    assert captured.rotation == turn
    assert captured.ocr_passes == passes
    assert captured.text is not None and "Độc lập - Tự do - Hạnh phúc" in captured.text.text
    assert (upright_share(captured.text) or 0) > 0.9
    assert abs(captured.skew_angle + 1.5) <= 0.3
    assert list(work.iterdir()) == []


@pytest.mark.slow
def test_after_a_turned_page_the_next_are_checked_before_the_read(work: Path) -> None:
    """A stack fed upside down: one second read for the first page, none for the rest."""
    pages = [imagegen.noisy(imagegen.document(i), seed=i) for i in (0, 1, 2)]
    done = [capture_task(_job(_ccw(p, 180), work)) for p in pages]
    assert [c.rotation for c in done] == [180, 180, 180]
    assert [c.ocr_passes for c in done] == [2, 1, 1]
    upright = capture_task(_job(pages[0], work))  # a page the right way up after them
    assert (upright.rotation, upright.ocr_passes) == (0, 1)
    assert all(c.text is not None and (upright_share(c.text) or 0) > 0.9
               for c in [*done, upright])


def test_a_blank_page_is_never_turned_nor_read(work: Path) -> None:
    captured = capture_task(_job(_ccw(imagegen.blank_back(), 180), work))
    assert captured.blank and (captured.rotation, captured.ocr_passes) == (0, 0)


def test_upright_share_counts_letters_of_confident_words() -> None:
    words = (Word("Quyết", 0, 0, 5, 5, 95.0), Word("định", 0, 0, 5, 5, 40.0),
             Word("-", 0, 0, 1, 1, 99.0))
    assert upright_share(PageText(words, 10, 10)) == pytest.approx(5 / 9)
    assert upright_share(PageText((), 10, 10)) is None
