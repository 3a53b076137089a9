"""Born-digital PDFs: their own text layer is used instead of OCR when trustworthy
(issue 11 item 7), and a scan's invisible OCR layer from another tool is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from capture import prepare, textlayer
from capture.pipeline import CaptureSettings, IngestRequest, ingest
from cli.commands_store import document_json
from ocr import tesseract
from scanning.settings import ScanSettings
from scanning.sources import InputFile, TextLayer, pdf_pages, render_pdf_page
from store import documents
from tests.born_digital import Line, write_pdf
from tests.conftest import StoreFixture
from tests.test_signature import signed_pdf

# A quyết định as a ward's office would export it from Word (A4, points from the top left).
DECISION: list[Line] = [
 ("ỦY BAN NHÂN DÂN", 75, 60, 12), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 270, 60, 12),
 ("PHƯỜNG BẾN NGHÉ", 78, 75, 12), ("Độc lập - Tự do - Hạnh phúc", 330, 75, 12),
 ("Số: 45/QĐ-UBND", 82, 100, 12), ("Phường Bến Nghé, ngày 05 tháng 3 năm 2024", 290, 100, 11),
 ("QUYẾT ĐỊNH", 255, 150, 14),
 ("Về việc cấp giấy phép xây dựng cho hộ bà Nguyễn Thị Hồng Nhung", 120, 170, 12),
 ("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ", 160, 210, 12),
 ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 85, 235, 12),
 ("Xét đề nghị của công chức địa chính - xây dựng phường,", 85, 255, 12),
 ("QUYẾT ĐỊNH:", 260, 285, 13),
 ("Điều 1. Cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Nguyễn Thị Hồng Nhung,", 85, 310, 12),
 ("căn cước công dân số 079303001270, cư trú tại phường Bến Nghé.", 85, 328, 12),
 ("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", 85, 350, 12),
 ("Nơi nhận:", 75, 400, 11), ("TM. ỦY BAN NHÂN DÂN", 360, 400, 12),
 ("- Như Điều 2;", 75, 415, 10), ("CHỦ TỊCH", 390, 415, 12),
 ("- Lưu: VT.", 75, 430, 10),
 ("Trần Văn Đức", 375, 490, 12),
]
FIELDS = {
    "type_name": "Quyết định", "code_number": "45", "code_notation": "QĐ-UBND",
    "issued_date": "2024-03-05", "organ_name": "Ủy ban nhân dân phường Bến Nghé",
    "subject": "Về việc cấp giấy phép xây dựng cho hộ bà Nguyễn Thị Hồng Nhung",
    "signer_position": "Chủ tịch", "signer_name": "Trần Văn Đức",
}


def _count_ocr(monkeypatch: pytest.MonkeyPatch, *, refuse: bool) -> list[str]:
    """Every Tesseract read of the (serial, in-process) capture task is noted here."""
    calls: list[str] = []
    real = tesseract.ocr_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(kwargs.get("page_label")))
        if refuse:
            raise AssertionError("OCR was called on a born-digital page")
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "ocr_page", counted)
    return calls


def test_a_signed_born_digital_pdf_is_read_from_its_own_text_not_ocr(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exported = write_pdf(tmp_path / "exported.pdf", [DECISION])
    signed = tmp_path / "qd-45.pdf"
    signed_pdf(signed, base=exported.read_bytes())
    calls = _count_ocr(monkeypatch, refuse=True)
    lan = store.login("lan")
    report = ingest(lan, IngestRequest([str(signed)], batch="b"), CaptureSettings(serial=True))
    (outcome,) = report.outcomes
    assert outcome.id is not None and not outcome.errors, outcome.errors
    assert calls == []
    view = documents.get_document(lan, outcome.id, audit_open=False)
    assert {k: view.metadata[k] for k in FIELDS} == FIELDS
    assert view.citizen_ids == ["079303001270"]
    assert view.extraction["text_layer"] == [1]
    assert view.extraction["signature"][0]["signer"] == "Nguyễn Văn An"
    assert document_json(view)["text_layer"] == [1]  # what `ingest --json` and `show` print
    (page,) = view.pages
    assert page.ocr_status == "done" and page.rotation == 0
    assert "Trần Văn Đức" in page.ocr_text.splitlines()
    assert "Điều 1. Cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Nguyễn Thị Hồng Nhung," \
        in page.ocr_text.splitlines()


def test_a_scan_with_another_tools_invisible_ocr_layer_is_ocr_read(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The layer under a scan is another program's guess: here a wrong one (number 99)."""
    exported = write_pdf(tmp_path / "exported.pdf", [DECISION])
    at_200 = ScanSettings(pdf_dpi=200)
    ref = pdf_pages(InputFile(exported, "x"), "x", at_200)[0]
    picture = render_pdf_page(ref, at_200)  # the page as a scanner would see it
    wrong = [(t.replace("45/", "99/"), x, y, s) for t, x, y, s in DECISION]
    scan = write_pdf(tmp_path / "scan.pdf", [wrong], invisible=True, image=picture)
    calls = _count_ocr(monkeypatch, refuse=False)
    lan = store.login("lan")
    report = ingest(lan, IngestRequest([str(scan)], batch="b"), CaptureSettings(serial=True))
    (outcome,) = report.outcomes
    assert outcome.id is not None
    assert "the page" in calls  # the page was read by Tesseract
    view = documents.get_document(lan, outcome.id, audit_open=False)
    assert view.extraction["text_layer"] == []
    assert view.metadata["code_number"] != "99"


def _layer(text: str, *, invisible: int = 0, image_share: float = 0.0) -> TextLayer:
    return TextLayer(tuple((w, 10 * i, 0, 9, 9) for i, w in enumerate(text.split())),
                     invisible, image_share)


GOOD = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; "
        "Điều 1. Cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Nguyễn Thị Hồng Nhung")


def test_a_good_vietnamese_layer_is_trusted() -> None:
    assert textlayer.trusted(_layer(GOOD))


@pytest.mark.parametrize("layer", [
    # TCVN3 font text extracted without its mapping, as older Vietnamese PDFs hold it
    _layer("Uû ban nh©n d©n tØnh H¶i D­¬ng céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp "
           "Tù do H¹nh phóc sè quyÕt ®Þnh vÒ viÖc ban hµnh quy ®Þnh cña tØnh"),
    # a font without ToUnicode: letters shifted, no Vietnamese letter left
    _layer(" ".join(chr(ord(c) + 1) if c.isalpha() and c.isascii() else c for c in
                    "Can cu Luat To chuc chinh quyen dia phuong ngay 19 thang 6 nam 2015 "
                    "Dieu 1 Cap giay phep xay dung nha o rieng le cho ho ba Nguyen Thi")),
    _layer("Trang 2 / 3 Ủy ban nhân dân"),  # a footer: too little to stand for the page
    _layer(GOOD, invisible=120),  # a scan's OCR layer
    _layer(GOOD, image_share=0.9),  # a scan with visible text drawn on it
])
def test_an_untrustworthy_layer_is_not_used(layer: TextLayer) -> None:
    assert not textlayer.trusted(layer)


def test_words_are_grouped_into_lines_top_to_bottom_left_to_right() -> None:
    layer = TextLayer((("phúc", 300, 52, 40, 20), ("Số:", 10, 50, 30, 20),
                       ("Hạnh", 250, 49, 45, 24), ("QUYẾT", 100, 120, 60, 22)), 0, 0.0)
    text = textlayer.page_text(layer, 400, 300, 300)
    assert text.text == "Số: Hạnh phúc\nQUYẾT"
    assert {w.conf for w in text.words} == {textlayer.LAYER_CONF}
