"""The two-layer PDF/A-2b writer, checked with pikepdf and the Poppler tools."""

from __future__ import annotations

import io
import re
import struct
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from capture.pdfa import glyphless_font, srgb_icc_profile, write_pdfa
from ocr.model import PageText, Word

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
ICT = timezone(timedelta(hours=7))
CREATED = datetime(2024, 3, 5, 14, 30, 0, tzinfo=ICT)
LINES = (
    "Quyết định số 12/QĐ-UBND",
    "Ủy ban nhân dân phường Bến Nghé",
    "Ông Nguyễn Văn Được, CCCD 079203001270",
)


def typed_page(mode: str = "RGB", dpi: int = 200) -> tuple[Image.Image, PageText, int]:
    """A small page with typed lines and the exact word boxes (no OCR needed)."""
    font = ImageFont.truetype(SERIF, round(12 * dpi / 72))
    img = Image.new("RGB", (round(4.1 * dpi), round(2.0 * dpi)), (250, 246, 232))
    draw = ImageDraw.Draw(img)
    words: list[Word] = []
    for n, line in enumerate(LINES):
        x, y = 40, 40 + n * round(0.45 * dpi)
        for text in line.split():
            left, top, right, bottom = draw.textbbox((x, y), text, font=font)
            draw.text((x, y), text, font=font, fill=(20, 20, 20))
            x0, y0, x1, y1 = (round(v) for v in (left, top, right, bottom))
            words.append(Word(text, x0, y0, x1 - x0, y1 - y0, 95.0, block=1, par=n, line=n))
            x = round(right + font.getlength(" "))
    img = img.convert(mode)
    return img, PageText(tuple(words), img.width, img.height, dpi), dpi


def write(
    pages: list[tuple[Image.Image, PageText, int]], title: str = "Quyết định số 12/QĐ-UBND"
) -> bytes:
    buf = io.BytesIO()
    write_pdfa(
        buf,
        iter(pages),
        title=title,
        author="UBND phường Bến Nghé",
        subject="Về việc cấp giấy chứng nhận",
        created=CREATED,
    )
    return buf.getvalue()


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_pdftotext_gets_the_exact_vietnamese(tmp_path: Path) -> None:
    text = poppler("pdftotext", write([typed_page()]), tmp_path)
    for line in LINES:
        assert line in text
    assert "Quyết định" in text and "Ủy ban nhân dân" in text and "Nguyễn" in text


def test_text_is_invisible_and_on_the_word_boxes(tmp_path: Path) -> None:
    img, page, dpi = typed_page()
    pdf = pikepdf.open(io.BytesIO(write([(img, page, dpi)])))
    content = pdf.pages[0].Contents.read_bytes().decode()
    assert "3 Tr" in content and "/Im0 Do" in content
    bbox = poppler("pdftotext", write([(img, page, dpi)]), tmp_path, "-bbox")
    found = re.search(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">Nguyễn<', bbox
    )
    assert found is not None
    word = next(w for w in page.words if w.text == "Nguyễn")
    scale = 72 / dpi
    assert abs(float(found.group(1)) - word.left * scale) < 1.0
    assert abs(float(found.group(3)) - (word.left + word.width) * scale) < 6.0


def test_images_keep_scan_resolution_and_colour(tmp_path: Path) -> None:
    img, text, dpi = typed_page("1", 200)
    binarised = (img.convert("L"), text, dpi)  # black and white stored as greyscale
    pages = [typed_page("RGB", 200), typed_page("L", 300), typed_page("1", 200), binarised]
    listing = poppler("pdfimages", write(pages), tmp_path, "-list").splitlines()[2:]
    rows = [line.split() for line in listing]
    assert [(r[3], r[4], r[5], r[7], r[8]) for r in rows] == [
        ("820", "400", "rgb", "8", "jpeg"),
        ("1230", "600", "gray", "8", "jpeg"),
        ("820", "400", "gray", "1", "image"),
        ("820", "400", "gray", "1", "image"),
    ]
    assert [(r[12], r[13]) for r in rows] == [("200", "200"), ("300", "300")] + [("200", "200")] * 2


def test_pdfa_2b_structure() -> None:
    pdf = pikepdf.open(io.BytesIO(write([typed_page()])))
    assert pdf.pdf_version >= "1.4" and not pdf.is_encrypted
    xmp = pdf.Root.Metadata
    assert "/Filter" not in xmp.stream_dict  # PDF/A: metadata stays readable
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
    assert meta["dc:title"] == str(pdf.docinfo.Title) == "Quyết định số 12/QĐ-UBND"
    assert meta["dc:description"] == str(pdf.docinfo.Subject)
    assert list(meta["dc:creator"]) == [str(pdf.docinfo.Author)]
    assert meta["xmp:CreateDate"] == "2024-03-05T14:30:00+07:00"
    assert str(pdf.docinfo.CreationDate) == "D:20240305143000+07'00'" == str(pdf.docinfo.ModDate)
    assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
    assert meta["xmp:CreatorTool"] == str(pdf.docinfo.Creator)
    assert str(pdf.Root.Lang) == "vi"
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFA1
    icc = intent.DestOutputProfile
    assert icc.N == 3 and icc.read_bytes()[12:20] == b"mntrRGB "
    assert len(pdf.trailer.ID) == 2 and bytes(pdf.trailer.ID[0]) == bytes(pdf.trailer.ID[1])
    for key in ("/AA", "/OpenAction", "/Names", "/AcroForm", "/OCProperties"):
        assert key not in pdf.Root
    for page in pdf.pages:
        assert "/Group" not in page.obj and "/Annots" not in page.obj
        for font in page.Resources.Font.values():
            descendant = font.DescendantFonts[0]
            assert "/FontFile2" in descendant.FontDescriptor
            assert font.Encoding == pikepdf.Name("/Identity-H") and "/ToUnicode" in font
            assert descendant.DW == 500


def test_embedded_font_is_a_valid_truetype() -> None:
    data = glyphless_font()
    face = ImageFont.truetype(io.BytesIO(data), 40)  # FreeType parses it
    assert face.getname() == ("SohoaGlyphless", "Regular")
    assert face.getlength("x") == 20  # advance 500/1000 em, as the PDF's DW says
    padded = data + b"\0" * (-len(data) % 4)
    assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA


def test_output_is_byte_reproducible() -> None:
    pages = [typed_page(), typed_page("L", 300)]
    first, second = write(pages), write(pages)
    assert first == second
    assert srgb_icc_profile() == srgb_icc_profile()
    changed = write(pages, title="Quyết định số 13/QĐ-UBND")
    assert changed != first
    assert (
        pikepdf.open(io.BytesIO(changed)).trailer.ID[0]
        != pikepdf.open(io.BytesIO(first)).trailer.ID[0]
    )


def test_pages_are_consumed_lazily_and_sized_from_dpi(tmp_path: Path) -> None:
    seen: list[int] = []

    def pages() -> Iterator[tuple[Image.Image, PageText, int]]:
        for dpi in (200, 300):
            seen.append(dpi)
            yield typed_page("L", dpi)

    out = tmp_path / "out.pdf"
    write_pdfa(out, pages(), title="t", author="", subject="", created=CREATED)
    pdf = pikepdf.open(out)
    assert seen == [200, 300] and len(pdf.pages) == 2
    for page, dpi in zip(pdf.pages, (200, 300), strict=True):
        width_px = 820 if dpi == 200 else 1230
        assert float(page.MediaBox[2]) == pytest.approx(width_px * 72 / dpi, abs=0.01)
    assert "/Author" not in pdf.docinfo and "dc:creator" not in pdf.open_metadata()


def test_refuses_bad_input() -> None:
    img, page, dpi = typed_page()
    with pytest.raises(ValueError, match="timezone"):
        write_pdfa(
            io.BytesIO(),
            [(img, page, dpi)],
            title="",
            author="",
            subject="",
            created=datetime(2024, 1, 1),
        )
    with pytest.raises(ValueError, match="at least one page"):
        write_pdfa(io.BytesIO(), [], title="", author="", subject="", created=CREATED)
    with pytest.raises(ValueError, match="different size"):
        write_pdfa(
            io.BytesIO(),
            [(img.resize((100, 50)), page, dpi)],
            title="",
            author="",
            subject="",
            created=CREATED,
        )


def test_ocr_of_a_corpus_page_becomes_searchable_pdf(tmp_path: Path) -> None:
    from ocr.settings import OcrSettings
    from ocr.tesseract import ocr_page
    from tests.corpus.generate import generate, word_recall

    (sample,) = generate(21, 1, mode="clean", dpi=200, max_pages=1)
    header = sample.pages[0].crop((0, 0, sample.pages[0].width, sample.pages[0].height // 3))
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    page = ocr_page(header, settings=OcrSettings(), temp_dir=work, dpi=200)
    text = poppler("pdftotext", write([(header, page, 200)]), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert word_recall(page.text, text) == 1.0


def test_file_structure_needs_no_repair(tmp_path: Path) -> None:
    """The hand-written xref and stream lengths are exact: qpdf reads them without recovery."""
    data = write([typed_page(), typed_page("1", 200)])
    assert data.startswith(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") and data.endswith(b"%%EOF\n")
    pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    assert pdf.check_pdf_syntax() == []
    descriptor = pdf.pages[0].Resources.Font.F1.DescendantFonts[0].FontDescriptor
    assert descriptor.FontFile2.Length1 == len(glyphless_font())
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert info.stderr == "" and re.search(r"^Pages: +2$", info.stdout, re.M)


def test_memory_stays_at_one_page_whatever_the_page_count() -> None:
    """Pages go to the output as they come: 40 pages of 1 MB must not be held at once."""
    import os
    import tracemalloc

    from capture.pdfa import EncodedImage

    class Sink(io.RawIOBase):
        def __init__(self) -> None:
            self.size = 0

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            self.size += len(b)
            return len(b)

    def pages() -> Iterator[tuple[EncodedImage, PageText, int]]:
        for _ in range(40):
            enc = EncodedImage(os.urandom(1 << 20), 1654, 2339, True, 8, "/DCTDecode")
            yield enc, PageText((), 1654, 2339, 200), 200

    sink = Sink()
    tracemalloc.start()
    try:
        write_pdfa(sink, pages(), title="t", author="", subject="", created=CREATED)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size > 40 << 20
    assert peak < 4 << 20, f"peak {peak / 2**20:.1f} MiB for 40 MiB of pages"
