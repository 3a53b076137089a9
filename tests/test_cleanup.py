"""Page clean-up against real Tesseract on rendered Vietnamese pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from scanning.cleanup import CleanResult, clean, estimate_dpi
from scanning.settings import ScanSettings
from store.errors import ExternalToolError
from tests import imagegen

SETTINGS = ScanSettings()
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


@pytest.fixture
def temp_dir(tmp_path: Path) -> Path:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    return private


def _clean(image: Image.Image, temp_dir: Path, settings: ScanSettings = SETTINGS) -> CleanResult:
    result = clean(image, settings=settings, temp_dir=temp_dir)
    assert list(temp_dir.iterdir()) == []  # nothing left on disk
    return result


def _dark(image: Image.Image, level: int = 128) -> int:
    return int((np.asarray(image.convert("L")) < level).sum())


def _ccw(image: Image.Image, degrees: int) -> Image.Image:
    """Turn a page counter-clockwise: it then needs ``degrees`` clockwise to be upright."""
    turned = image.rotate(degrees, expand=True)
    turned.info["dpi"] = image.info["dpi"]
    return turned


# --------------------------------------------------------------------------- orientation


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("doc", [0, 1, 2])
def test_quarter_turns_of_rendered_documents(doc: int, temp_dir: Path) -> None:
    page = imagegen.noisy(imagegen.skewed(imagegen.document(doc), 1.5), seed=doc)
    for turn in (0, 90, 180, 270):
        result = _clean(_ccw(page, turn), temp_dir)
        assert result.rotation == turn, (doc, turn, result)
        assert result.orientation_method in ("osd", "confidence")
        assert abs(result.skew_angle + 1.5) <= 0.3
        assert result.image.size == page.size  # portrait again


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_sparse_page_falls_back_to_word_confidence(turn: int, temp_dir: Path) -> None:
    """OSD refuses pages with a single line ("Too few characters")."""
    page = imagegen.noisy(
        imagegen.render_page(("Trang này để trống",), top_mm=100, margin_mm=45, font_pt=12)
    )
    result = _clean(_ccw(page, turn), temp_dir)
    assert not result.blank
    assert result.rotation == turn
    assert result.orientation_method == "confidence"


@needs_tesseract
@pytest.mark.slow
def test_without_osd_the_fallback_alone_orients_full_pages(temp_dir: Path) -> None:
    settings = ScanSettings(osd=False)
    page = imagegen.document(1)
    for turn in (90, 180, 270):
        result = _clean(_ccw(page, turn), temp_dir, settings)
        assert (result.rotation, result.orientation_method) == (turn, "confidence")


@needs_tesseract
def test_orientation_can_be_switched_off(temp_dir: Path) -> None:
    result = _clean(_ccw(imagegen.document(0), 180), temp_dir, ScanSettings(orientation=False))
    assert (result.rotation, result.orientation_method) == (0, "off")


# --------------------------------------------------------------------------- deskew


@needs_tesseract
@pytest.mark.parametrize("skew", [0.5, 1.2, 2.0, 3.5, -0.8, -2.7])
def test_deskew_accuracy(skew: float, temp_dir: Path) -> None:
    page = imagegen.document(2)
    result = _clean(imagegen.skewed(page, skew), temp_dir)
    assert result.rotation == 0
    # skewed() turns the page clockwise by ``skew``; the fix is the opposite
    assert abs(result.skew_angle + skew) <= 0.3, result.skew_angle


@needs_tesseract
def test_deskewed_page_matches_the_straight_original(temp_dir: Path) -> None:
    page = imagegen.document(0)
    skewed = imagegen.skewed(page, 3.0)
    result = _clean(skewed, temp_dir)
    original = np.asarray(page.convert("L"), dtype=np.float32)
    before = np.abs(np.asarray(skewed.convert("L"), dtype=np.float32) - original).mean()
    after = np.abs(np.asarray(result.image.convert("L"), dtype=np.float32) - original).mean()
    assert result.image.size == page.size
    assert after < before / 3


@needs_tesseract
def test_straight_page_is_not_touched(temp_dir: Path) -> None:
    page = imagegen.document(1)
    result = _clean(page, temp_dir)
    assert (result.rotation, result.skew_angle, result.crop, result.blank) == (0, 0.0, None, False)
    assert np.array_equal(np.asarray(result.image), np.asarray(page))


@needs_tesseract
def test_colour_is_kept_and_ink_near_corners_is_not_cut(temp_dir: Path) -> None:
    page = imagegen.render_page(imagegen.DOCUMENTS[0], margin_mm=3, top_mm=3, font_pt=10)
    draw = ImageDraw.Draw(page)
    draw.ellipse((400, 900, 560, 1060), outline=(200, 20, 20), width=8)  # a red stamp
    skewed = imagegen.skewed(page, 4.0)
    result = _clean(skewed, temp_dir)
    assert result.image.mode == "RGB"
    arr = np.asarray(result.image).astype(int)
    red = (arr[..., 0] > 150) & (arr[..., 1] < 90) & (arr[..., 2] < 90)
    assert red.sum() > 1000
    assert result.image.width >= page.width and result.image.height >= page.height
    assert _dark(result.image) >= 0.97 * _dark(skewed)  # no text lost at the corners


# --------------------------------------------------------------------------- blank pages


@pytest.mark.parametrize(
    "name",
    ["back", "heavy_speckle", "dust", "strong_show_through", "punch_holes", "on_scanner_bed",
     "duplex_show_through"],
)
def test_empty_backs_are_blank(name: str, temp_dir: Path) -> None:
    back = imagegen.blank_back()
    if name == "heavy_speckle":
        back = imagegen.noisy(imagegen.render_page(()), seed=9, sigma=10, speckles=3000)
    elif name == "strong_show_through":
        paper = imagegen.show_through(imagegen.render_page(()), imagegen.document(2), strength=0.25)
        back = imagegen.noisy(imagegen.yellowed(paper))
    elif name == "punch_holes":
        draw = ImageDraw.Draw(back)
        for cy in (400, 840):  # two 6 mm binder holes, 12 mm from the edge, dark lid
            draw.ellipse((71 - 18, cy - 18, 71 + 18, cy + 18), fill=(15, 15, 15))
    elif name == "dust":
        draw = ImageDraw.Draw(back)
        for i in range(12):  # specks of dirt 0.8-2.4 mm across
            x, y, r = 100 + 53 * i, 150 + 80 * i, 2 + i % 5
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(40, 40, 40))
    elif name == "on_scanner_bed":
        back = imagegen.on_scanner_bed(back, border_px=40, degrees_clockwise=1.5)
    elif name == "duplex_show_through":  # thin paper: the front's print clearly seen (issue 11)
        paper = imagegen.show_through(imagegen.render_page(()), imagegen.document(0), strength=0.45)
        back = _ccw(imagegen.noisy(imagegen.yellowed(paper)), 180)
    result = _clean(back, temp_dir)
    assert result.blank, result.ink_mm2
    assert (result.rotation, result.skew_angle) == (0, 0.0)


@needs_tesseract
@pytest.mark.parametrize("name", ["few_words", "signature_line", "small_page_number",
                                  "blurred_few_words", "pencil_note"])
def test_nearly_empty_pages_are_not_blank(name: str, temp_dir: Path) -> None:
    if name == "few_words":
        page = imagegen.noisy(imagegen.render_page(("Trang này để trống",), top_mm=100))
    elif name == "blurred_few_words":  # soft like show-through, but dark: ink
        page = imagegen.noisy(imagegen.render_page(("Trang này để trống",), top_mm=100)
                              .filter(ImageFilter.GaussianBlur(2.0)))
    elif name == "pencil_note":  # faint like show-through, but sharp: ink
        page = imagegen.render_page(())
        ImageDraw.Draw(page).text((300, 500), "Đã nhận bản chính ngày 12/3",
                                  fill=(165, 165, 165), font=imagegen.font(22))
        page = imagegen.noisy(page)
    elif name == "signature_line":
        page = imagegen.signature_line_page()
    else:
        page = imagegen.noisy(imagegen.render_page(("- 2 -",), top_mm=190, margin_mm=70, font_pt=9))
    result = _clean(page, temp_dir)
    assert not result.blank, result.ink_mm2
    assert result.ink_mm2 >= SETTINGS.blank_min_ink_mm2


# --------------------------------------------------------------------------- border trim


@needs_tesseract
def test_scanner_border_is_trimmed_without_cutting_text(temp_dir: Path) -> None:
    sheet = imagegen.render_page(imagegen.DOCUMENTS[1], margin_mm=4, top_mm=4, font_pt=10)
    bed = imagegen.with_border(sheet, border_px=40)  # sheet at (40, 80) on the bed
    result = _clean(bed, temp_dir)
    assert result.crop is not None
    left, top, right, bottom = result.crop
    assert abs(left - 40) <= 3 and abs(top - 80) <= 3
    assert abs(right - (40 + sheet.width)) <= 3 and abs(bottom - (80 + sheet.height)) <= 3
    text_dark = _dark(sheet)
    assert _dark(result.image) >= 0.99 * text_dark  # all text is still there
    assert _dark(result.image) <= 1.02 * text_dark  # and no dark bed is left


@needs_tesseract
def test_crooked_sheet_on_the_bed_comes_out_clean(temp_dir: Path) -> None:
    sheet = imagegen.yellowed(imagegen.document(2))
    bed = imagegen.on_scanner_bed(sheet, border_px=40, degrees_clockwise=-2.5)
    result = _clean(_ccw(bed, 180), temp_dir)
    assert result.crop is not None
    assert result.rotation == 180
    assert abs(result.skew_angle - 2.5) <= 0.3
    grey = np.asarray(result.image.convert("L"))
    corners = [grey[:15, :15], grey[:15, -15:], grey[-15:, :15], grey[-15:, -15:]]
    assert all(float(c.mean()) > 200 for c in corners)  # no dark bed triangles left


def test_page_without_border_is_not_cropped(temp_dir: Path) -> None:
    result = _clean(imagegen.blank_back(), temp_dir)
    assert result.crop is None


# --------------------------------------------------------------------------- general


@needs_tesseract
def test_clean_is_deterministic(temp_dir: Path) -> None:
    page = imagegen.on_scanner_bed(
        imagegen.noisy(imagegen.document(0)), border_px=30, degrees_clockwise=1.8
    )
    first = _clean(page, temp_dir)
    second = _clean(page, temp_dir)
    assert first.image.tobytes() == second.image.tobytes()
    assert (first.rotation, first.skew_angle, first.crop) == (
        second.rotation,
        second.skew_angle,
        second.crop,
    )


def test_original_image_is_not_modified(temp_dir: Path) -> None:
    page = imagegen.with_border(imagegen.blank_back(), border_px=30)
    before = page.tobytes()
    _clean(page, temp_dir)
    assert page.tobytes() == before


def test_missing_tesseract_is_a_clear_error(temp_dir: Path) -> None:
    settings = ScanSettings(tesseract_cmd=str(temp_dir / "no-tesseract"))
    with pytest.raises(ExternalToolError, match="tesseract-ocr"):
        clean(imagegen.document(0), settings=settings, temp_dir=temp_dir)


def test_grey_pages_stay_grey(temp_dir: Path) -> None:
    result = _clean(imagegen.blank_back().convert("L"), temp_dir)
    assert result.image.mode == "L" and result.blank


# --------------------------------------------------------------------------- resolution


def test_dpi_is_estimated_from_paper_size_and_letter_height() -> None:
    from tests.corpus.generate import generate

    for sample in generate(5, 6, mode="mixed", max_pages=1):
        assert estimate_dpi(sample.pages[0]) == sample.dpi
    assert estimate_dpi(Image.new("L", (50, 50), 255)) is None  # no text, no paper size
    assert estimate_dpi(Image.new("L", (1240, 1754), 255)) == 150  # an empty A4 at 150 dpi


@pytest.mark.parametrize("degrees", [0.23, -1.7])
def test_deskew_warps_like_pillow_without_a_half_pixel_shift(degrees: float) -> None:
    """A half-pixel offset blurs every pixel: on real scans it cost the diacritics."""
    from scanning.cleanup import _rotate_keep_ink

    page = imagegen.noisy(imagegen.document(0, dpi=300))
    none = (np.zeros(0), np.zeros(0))
    ours = _rotate_keep_ink(page, degrees, none, 1.0)
    pillow = page.rotate(-degrees, resample=Image.Resampling.BICUBIC, expand=True,
                         fillcolor=(255, 255, 255))
    left, top = (pillow.width - page.width) // 2, (pillow.height - page.height) // 2
    pillow = pillow.crop((left, top, left + page.width, top + page.height))
    assert ours.size == page.size
    diff = np.abs(np.asarray(ours.convert("L"), dtype=np.float32)
                  - np.asarray(pillow.convert("L"), dtype=np.float32))
    assert float(diff.mean()) < 1.0, float(diff.mean())
