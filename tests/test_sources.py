"""Files and folders to pages, against real Pillow and real Poppler."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from scanning import sources
from scanning.settings import ScanSettings
from scanning.sources import (
    InputFile,
    SourceFailure,
    file_sha256,
    iter_inputs,
    iter_pages,
    natural_key,
    poppler_available,
    sniff_type,
)
from store.errors import BadInput, ExternalToolError
from tests import imagegen

REPO = Path(__file__).resolve().parents[1]
SETTINGS = ScanSettings()


def _page(dpi: int = 100) -> Image.Image:
    return imagegen.render_page(("Hồ sơ số 12", "Trang một"), dpi=dpi, size_mm=(100, 140))


def _write_pdf(path: Path, pages: int, *, dpi: int = 72) -> None:
    """A PDF whose pages all show the same small rendered page (tiny file, many pages)."""
    one = path.with_suffix(".one.pdf")
    _page(dpi).save(one, resolution=dpi)
    with pikepdf.open(one) as src, pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.pages.append(src.pages[0])
        pdf.save(path)
    one.unlink()


# --------------------------------------------------------------------------- inputs


def test_natural_key_orders_numbers_and_ignores_case() -> None:
    names = ["page10.png", "Page2.png", "page1.png", "b.png", "A.png"]
    assert sorted(names, key=natural_key) == [
        "A.png",
        "b.png",
        "page1.png",
        "Page2.png",
        "page10.png",
    ]


def test_iter_inputs_walks_folders_in_natural_order_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "scans"
    (root / "sub10").mkdir(parents=True)
    (root / "sub2").mkdir()
    (root / ".hidden_dir").mkdir()
    for rel in ["page10.png", "page2.png", "Page1.png", "sub10/x.png", "sub2/y.png"]:
        (root / rel).write_bytes(b"x")
    (root / ".DS_Store").write_bytes(b"x")
    (root / "Thumbs.db").write_bytes(b"x")
    (root / ".hidden_dir" / "secret.png").write_bytes(b"x")
    single = tmp_path / "single.pdf"
    single.write_bytes(b"x")

    found = list(iter_inputs([root, single], SETTINGS))
    assert all(isinstance(f, InputFile) for f in found)
    names = [Path(f.source).relative_to(tmp_path).as_posix() for f in found]
    assert names == [
        "scans/Page1.png",
        "scans/page2.png",
        "scans/page10.png",
        "scans/sub2/y.png",
        "scans/sub10/x.png",
        "single.pdf",
    ]


def test_missing_path_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ok.png").write_bytes(b"x")
    found = list(iter_inputs([tmp_path / "nope", tmp_path / "ok.png"], SETTINGS))
    assert isinstance(found[0], SourceFailure)
    assert "nope" in found[0].message and "not found" in found[0].message
    assert isinstance(found[1], InputFile)


def _list_as_nobody(root: Path) -> list[InputFile | SourceFailure]:
    """Root ignores permissions, so list in a forked child that dropped to 'nobody'."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            found = [
                [type(f).__name__, f.source, getattr(f, "message", "")]
                for f in iter_inputs([root], SETTINGS)
            ]
            os.write(write_fd, json.dumps(found).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return [
        SourceFailure(src, msg) if kind == "SourceFailure" else InputFile(Path(src), src)
        for kind, src, msg in json.loads(data)
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_folder_is_a_failure() -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        root = Path(tmp) / "scans"
        (root / "locked").mkdir(parents=True)
        (root / "locked" / "a.png").write_bytes(b"x")
        (root / "z.png").write_bytes(b"x")
        Path(tmp).chmod(0o755)
        (root / "locked").chmod(0o000)
        try:
            if os.geteuid() == 0:
                found = _list_as_nobody(root)
            else:
                found = list(iter_inputs([root], SETTINGS))
        finally:
            (root / "locked").chmod(0o755)
    first, second = found
    assert isinstance(first, SourceFailure)
    assert "locked" in first.message and "cannot read this folder" in first.message
    assert isinstance(second, InputFile) and second.source.endswith("z.png")


# --------------------------------------------------------------------------- images


def test_sniff_type_uses_magic_bytes() -> None:
    assert sniff_type(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_type(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff_type(b"II*\x00") == "tiff"
    assert sniff_type(b"MM\x00*") == "tiff"
    assert sniff_type(b"BM" + b"\x00" * 30) == "bmp"
    assert sniff_type(b"junk\n%PDF-1.7") == "pdf"
    assert sniff_type(b"hello world") is None


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", ".jpg"), ("JPEG", ".png"), ("BMP", ".tif")])
def test_image_types_are_read_by_content_not_name(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"scan{suffix}"
    _page(100).save(path, format=fmt, dpi=(200, 200))
    pages = list(iter_pages(InputFile(path, "scan"), SETTINGS))
    assert len(pages) == 1
    page = pages[0]
    assert page.index == 0 and page.source == "scan"
    assert page.image.mode == "RGB"
    assert page.image.size == _page(100).size
    assert page.dpi == 200
    assert page.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_multipage_tiff_gives_every_page_with_its_own_dpi(tmp_path: Path) -> None:
    path = tmp_path / "multi.tiff"
    a = _page(100).convert("L")
    b = _page(100).convert("1")
    c = _page(100)
    a.save(path, save_all=True, append_images=[b, c], dpi=(300, 300), compression="tiff_lzw")
    pages = list(iter_pages(path, SETTINGS))
    assert [p.index for p in pages] == [0, 1, 2]
    assert [p.image.mode for p in pages] == ["L", "L", "RGB"]
    assert all(p.dpi == 300 for p in pages)


def test_missing_dpi_defaults_to_300_and_low_dpi_is_recorded(tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    Image.new("L", (50, 50), 255).save(plain)
    low = tmp_path / "low.png"
    Image.new("L", (50, 50), 255).save(low, dpi=(72, 72))
    assert next(iter_pages(plain, SETTINGS)).dpi == 300
    assert next(iter_pages(plain, ScanSettings(default_dpi=200))).dpi == 200
    assert next(iter_pages(low, SETTINGS)).dpi == 72


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_page_without_dpi_gets_its_resolution_estimated(tmp_path: Path, dpi: int) -> None:
    """A phone-size JPEG of a typed A4 page: not 300 dpi by assumption (issue 11)."""
    from tests.corpus.generate import generate

    sample = next(s for s in generate(5, 8, mode="mixed", max_pages=1) if s.dpi == dpi)
    page = sample.pages[0].convert("RGB")
    path = tmp_path / "photo.jpg"
    page.save(path, quality=80)  # no dpi written
    with Image.open(path) as im:
        assert "dpi" not in im.info
    assert next(iter_pages(path, SETTINGS)).dpi == dpi
    cropped = tmp_path / "cropped.jpg"  # margins cut off: the paper size says nothing
    page.crop((page.width // 10, page.height // 12, page.width * 9 // 10, page.height * 9 // 10)
              ).save(cropped, quality=80)
    assert abs(next(iter_pages(cropped, SETTINGS)).dpi - dpi) <= 0.2 * dpi


def test_sixteen_bit_and_transparent_images_become_8_bit(tmp_path: Path) -> None:
    grey16 = tmp_path / "g16.png"
    Image.new("I;16", (20, 20), 0xFFFF).save(grey16)
    rgba = tmp_path / "rgba.png"
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(rgba)
    page16 = next(iter_pages(grey16, SETTINGS)).image
    assert page16.mode == "L" and page16.getpixel((5, 5)) == 255
    page_rgba = next(iter_pages(rgba, SETTINGS)).image
    assert page_rgba.mode == "RGB" and page_rgba.getpixel((5, 5)) == (255, 255, 255)


def test_jpeg_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    img = Image.new("RGB", (60, 30), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    img.save(path, exif=exif)
    assert next(iter_pages(path, SETTINGS)).image.size == (30, 60)


# --------------------------------------------------------------------------- bad files


def _bad(path: Path, settings: ScanSettings = SETTINGS) -> str:
    with pytest.raises(BadInput) as info:
        list(iter_pages(InputFile(path, path.name), settings))
    message = str(info.value)
    assert path.name in message and "\n" not in message
    return message


def test_text_file_named_jpg_is_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "letter.jpg"
    path.write_text("Kính gửi Ủy ban nhân dân phường", encoding="utf-8")
    assert "not a PNG, JPEG, TIFF, BMP or PDF" in _bad(path)


def test_zero_byte_file_is_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    assert "empty" in _bad(path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_images_are_clear_failures(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"cut.{fmt.lower()}"
    imagegen.noisy(_page(100)).save(path, format=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or truncated" in _bad(path)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    # 12,000 x 12,000 = 144 Mpx: above our 120 Mpx limit, below Pillow's own error
    path = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000), 1).save(path, optimize=True)
    assert path.stat().st_size < 1_000_000
    assert "megapixels" in _bad(path)
    # above Pillow's own hard limit its DecompressionBombError becomes the same kind of error
    huge = tmp_path / "huge.png"
    Image.new("1", (15_000, 15_000), 1).save(huge, optimize=True)
    assert "huge.png" in _bad(huge)
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # Pillow's global was left alone


def test_small_pixel_limit_comes_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "small.png"
    Image.new("L", (100, 100), 255).save(path)
    with pytest.raises(BadInput, match="megapixels"):
        list(iter_pages(path, ScanSettings(max_pixels=5_000)))


# --------------------------------------------------------------------------- PDF


RENDERERS = ("poppler", "pdfium")


def _without_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    """As where ``pypdfium2`` cannot be loaded: Poppler renders (the fallback)."""
    monkeypatch.setattr(sources, "_pdfium", lambda: None)


@pytest.fixture(params=RENDERERS)
def pdf_settings(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> ScanSettings:
    """Poppler where PDFium cannot load, or PDFium: with a Poppler folder without Poppler
    (as on Windows)."""
    if request.param == "poppler":
        assert poppler_available(SETTINGS)
        _without_pdfium(monkeypatch)
        return SETTINGS
    empty = tmp_path / "no-poppler"
    empty.mkdir()
    settings = ScanSettings(poppler_path=str(empty))
    assert not poppler_available(settings)
    return settings


def test_pdf_pages_are_rasterised_at_settings_dpi(tmp_path: Path,
                                                  pdf_settings: ScanSettings) -> None:
    path = tmp_path / "doc.pdf"
    _write_pdf(path, 3)
    pages = list(iter_pages(path, replace(pdf_settings, pdf_dpi=100)))
    assert [p.index for p in pages] == [0, 1, 2]
    width_pt = 100 / 25.4 * 72  # the rendered page is 100 mm wide
    assert all(p.dpi == 100 for p in pages)
    assert abs(pages[0].image.width - width_pt / 72 * 100) <= 2
    assert pages[0].file_sha256 == file_sha256(path)
    assert all(p.image.mode == "RGB" for p in pages)
    ink = np.asarray(pages[0].image.convert("L")) < 128
    assert 0.001 < ink.mean() < 0.2  # the text was drawn, not a blank page


def test_both_renderers_draw_the_same_page(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.pdf"
    _write_pdf(path, 1, dpi=150)
    empty = tmp_path / "no-poppler"
    empty.mkdir()
    pdfium = next(iter_pages(path, ScanSettings(pdf_dpi=150, poppler_path=str(empty))))
    _without_pdfium(monkeypatch)
    poppler = next(iter_pages(path, ScanSettings(pdf_dpi=150))).image.convert("L")
    other = pdfium.image.convert("L").resize(poppler.size)
    diff = np.abs(np.asarray(poppler, dtype=np.int16) - np.asarray(other, dtype=np.int16))
    assert float(diff.mean()) < 6


def test_oversized_pdf_page_is_rendered_at_lower_dpi(tmp_path: Path,
                                                     pdf_settings: ScanSettings) -> None:
    path = tmp_path / "poster.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(72 * 100, 72 * 100))  # 100 x 100 inches
        pdf.save(path)
    page = next(iter_pages(path, replace(pdf_settings, pdf_dpi=300, max_pixels=4_000_000)))
    assert page.dpi == 20
    assert page.image.width * page.image.height <= 4_000_000


def test_password_protected_pdf_is_a_clear_failure(tmp_path: Path,
                                                   pdf_settings: ScanSettings) -> None:
    path = tmp_path / "locked.pdf"
    _write_pdf(path, 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert "password" in _bad(path, pdf_settings)


def test_broken_pdf_is_a_clear_failure(tmp_path: Path, pdf_settings: ScanSettings) -> None:
    path = tmp_path / "broken.pdf"
    _write_pdf(path, 2)
    path.write_bytes(path.read_bytes()[:400])
    message = _bad(path, pdf_settings)
    assert "damaged" in message or "could not be rendered" in message


@pytest.mark.slow
def test_many_page_pdf_streams_with_bounded_memory(tmp_path: Path) -> None:
    """200 pages at 150 dpi would be ~180 MB if kept; peak RSS must stay flat."""
    path = tmp_path / "many.pdf"
    _write_pdf(path, 200)
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(REPO)!r})
        from scanning.settings import ScanSettings
        from scanning.sources import iter_pages
        def peak_kb():
            # VmHWM is this program's own peak; ru_maxrss can carry the parent's across exec
            try:
                with open("/proc/self/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            return int(line.split()[1])
            except OSError:
                pass
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss = []
        n = 0
        for page in iter_pages({str(path)!r}, ScanSettings(pdf_dpi=150)):
            n += 1
            if n in (5, 200):
                rss.append(peak_kb())
        print(json.dumps({{"pages": n, "rss_kb": rss}}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=240
    )
    result = json.loads(proc.stdout)
    assert result["pages"] == 200
    after5, after200 = result["rss_kb"]
    print(f"peak RSS: 5 pages {after5 / 1024:.1f} MiB, 200 pages {after200 / 1024:.1f} MiB")
    assert after200 - after5 < 20 * 1024  # one page is ~1 MB; 200 kept would be ~180 MB


def test_a_symlink_loop_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    root = tmp_path / "scans"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.png").write_bytes(b"x")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    found = list(iter_inputs([root], SETTINGS))
    assert [Path(f.source).name for f in found if isinstance(f, InputFile)] == ["a.png"]
    (loop,) = [f for f in found if isinstance(f, SourceFailure)]
    assert "symlink loop" in loop.message and loop.source.endswith("back")


def test_without_poppler_or_pdfium_a_pdf_is_a_clear_tool_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.pdf"
    _write_pdf(path, 1)
    empty = tmp_path / "no-poppler"
    empty.mkdir()
    _without_pdfium(monkeypatch)
    with pytest.raises(ExternalToolError, match="Neither Poppler nor PDFium"):
        list(iter_pages(path, ScanSettings(poppler_path=str(empty))))


def test_where_poppler_is_installed_pages_are_pdftoppm_s_pixel_for_pixel(tmp_path: Path) -> None:
    """PDFium smooths 1-bit scans, which moved Tesseract's words on real scans: where
    Poppler is installed, pages must stay exactly what pdftoppm draws."""
    import pdf2image

    path = tmp_path / "bilevel.pdf"
    _page(150).convert("1").save(path, resolution=150)
    assert poppler_available(SETTINGS)
    ours = next(iter_pages(path, ScanSettings(pdf_dpi=200))).image
    theirs = pdf2image.convert_from_path(str(path), dpi=200)[0].convert(ours.mode)
    assert np.array_equal(np.asarray(ours), np.asarray(theirs))


@pytest.mark.parametrize(("tag", "expected"), [(120, None), (72, None), (600, None),
                                               (150, 150)])
def test_a_tag_that_makes_no_paper_of_the_page_is_estimated_again(
        tmp_path: Path, tag: int, expected: int | None) -> None:
    """A whole A4 sheet photographed at 150 dpi: tagged 120 it would be A4-shaped but a
    262 x 371 mm page (a placeholder 72 made real-extra E03 265 x 377 mm), tagged 72
    larger than A3, tagged 600 smaller than A6: re-estimated from the letters. A tag that
    fits the sheet is kept."""
    from tests.corpus.generate import generate

    sample = next(s for s in generate(5, 8, mode="mixed", max_pages=1) if s.dpi == 200)
    page = sample.pages[0].convert("RGB")
    page = page.resize((round(page.width * 0.75), round(page.height * 0.75)))  # 150 dpi
    path = tmp_path / "photo.jpg"
    page.save(path, quality=85, dpi=(tag, tag))
    got = next(iter_pages(path, SETTINGS)).dpi
    if expected is None:
        assert abs(got - 150) <= 0.1 * 150
    else:
        assert got == expected
