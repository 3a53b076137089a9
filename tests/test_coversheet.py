"""Cover sheets: printed (Poppler), scanned badly, still recognised."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import segno
from PIL import Image, ImageFilter, ImageFont

from scanning.coversheet import PREFIX, detect_coversheet, find_font, load_font, make_coversheet
from store.errors import BadInput
from tests import imagegen

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no poppler-utils")
TITLE = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất của bà Trần Thị Hoa, phường Đa Kao"


def _qr_image(payload: str, *, scale: int, error: str = "h") -> Image.Image:
    """A QR code as a white-bordered image (segno's PIL export needs a plugin)."""
    matrix = np.array(segno.make(payload, error=error).matrix, dtype=bool)
    matrix = np.pad(matrix, 4)
    pixels = np.where(np.kron(matrix, np.ones((scale, scale), dtype=bool)), 0, 255)
    return Image.fromarray(pixels.astype(np.uint8))


@pytest.fixture(scope="module")
def cover_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cover") / "cover.pdf"
    make_coversheet(path, dossier_code="HS-2024-000123", title=TITLE)
    return path


@pytest.fixture(scope="module")
def printed(cover_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    """The cover sheet as a 150 dpi greyscale scan would see it."""
    prefix = tmp_path_factory.mktemp("png") / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", str(cover_pdf), str(prefix)], check=True
    )
    png = next(prefix.parent.glob("page*.png"))
    with Image.open(png) as im:
        return im.convert("L")


def test_pdf_is_one_a4_page(cover_pdf: Path) -> None:
    with pikepdf.open(cover_pdf) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] == pytest.approx(595.3, abs=0.5) and box[3] == pytest.approx(841.9, abs=0.5)


@needs_poppler
def test_text_survives_pdftotext_with_diacritics(cover_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(cover_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "HS-2024-000123" in flat
    assert TITLE in flat
    assert "PHIẾU BÌA HỒ SƠ" in flat


@needs_poppler
def test_font_is_embedded(cover_pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(cover_pdf)], capture_output=True, text=True, check=True
    ).stdout
    row = fonts.splitlines()[2].split()
    assert "yes" in row[-5:-2][0]  # "emb" column


@needs_poppler
def test_printed_sheet_is_detected(printed: Image.Image) -> None:
    assert detect_coversheet(printed) == "HS-2024-000123"


@needs_poppler
@pytest.mark.parametrize("degrees", [-3.0, 1.5, 90.0, 180.0])
def test_crooked_noisy_scan_is_detected(printed: Image.Image, degrees: float) -> None:
    scan = printed.convert("RGB").rotate(degrees, expand=True, fillcolor=(255, 255, 255))
    scan = imagegen.noisy(imagegen.yellowed(scan), seed=4, sigma=12, speckles=2000)
    scan = scan.filter(ImageFilter.GaussianBlur(0.8))
    assert detect_coversheet(scan) == "HS-2024-000123"


def test_normal_pages_are_not_cover_sheets() -> None:
    assert detect_coversheet(imagegen.document(0)) is None
    assert detect_coversheet(imagegen.blank_back()) is None


def test_foreign_qr_codes_are_ignored() -> None:
    page = imagegen.render_page(("Mã QR của một dịch vụ khác",))
    other = _qr_image("https://dichvucong.gov.vn/p/home", scale=6, error="m")
    page.paste(other.convert("RGB"), (200, 300))
    assert detect_coversheet(page) is None
    ours = _qr_image(PREFIX + "HS-9", scale=6)
    page.paste(ours.convert("RGB"), (200, 700))
    assert detect_coversheet(page) == "HS-9"


@pytest.mark.parametrize("code", ["", "has space", "x" * 65, "bad\x07bell"])
def test_bad_codes_are_refused(tmp_path: Path, code: str) -> None:
    with pytest.raises(BadInput):
        make_coversheet(tmp_path / "c.pdf", dossier_code=code, title="Hồ sơ")
    assert not (tmp_path / "c.pdf").exists()


def test_long_title_wraps_onto_the_page(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    make_coversheet(path, dossier_code="HS-1", title=" ".join([TITLE] * 3))
    assert path.stat().st_size > 10_000


def test_font_parser_maps_vietnamese_letters() -> None:
    font = load_font(imagegen.font_path())
    for ch in "ẮẰẲẴẶắằẳẵặƯỨỪỬỮỰưđĐ":
        assert font.glyph(ch) > 0, ch
    assert font.width("Hồ sơ", 12) > 0
    assert font.glyph("漢") == 0  # no CJK in DejaVu Sans


def test_text_no_font_can_print_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no installed font"):
        find_font("Hồ sơ 漢", [imagegen.font_path()])


def test_detect_accepts_numpy_friendly_modes() -> None:
    ours = _qr_image(PREFIX + "HS-77", scale=8)
    for mode in ("1", "L", "RGB"):
        assert detect_coversheet(ours.convert(mode)) == "HS-77"
    arr = np.asarray(ours.convert("L"))
    assert detect_coversheet(Image.fromarray(arr)) == "HS-77"


def test_font_widths_agree_with_freetype() -> None:
    path = imagegen.font_path()
    font = load_font(path)
    face = ImageFont.truetype(str(path), 200)
    for text in ("Hồ sơ cấp giấy chứng nhận", "ĐƠN ĐỀ NGHỊ", "Nguyễn Thị Ánh Tuyết"):
        unkerned = sum(face.getlength(ch) for ch in text)  # the PDF applies no kerning
        assert font.width(text, 200) == pytest.approx(unkerned, rel=0.005)
