"""The synthetic NĐ 30 corpus: deterministic, truthful, fast, and readable by our OCR."""

from __future__ import annotations

import json
import random
import re
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.settings import OcrSettings
from ocr.tesseract import ocr_page
from tests.corpus.generate import (
    FONT_DIRS,
    Degradation,
    choose_degradation,
    degrade,
    generate,
    main,
    make_sample,
    word_recall,
)
from tests.corpus.templates import KINDS, make_document, nd30_case, vn_date

FIELDS = (
    "organ_name",
    "code_number",
    "code_notation",
    "issued_date",
    "type_name",
    "subject",
    "signer_position",
    "signer_name",
    "citizen_ids",
)


def test_same_seed_same_pixels_and_truth() -> None:
    first, again = make_sample(5, 1), make_sample(5, 1)
    assert first.truth == again.truth and first.degradation == again.degradation
    assert [p.tobytes() for p in first.pages] == [p.tobytes() for p in again.pages]
    other = make_sample(6, 1)
    assert other.truth["text"] != first.truth["text"]


def test_truth_matches_what_is_printed() -> None:
    for sample in generate(9, 6, mode="clean", dpi=200):
        truth, text = sample.truth, sample.truth["text"]
        assert set(FIELDS) <= set(truth)
        printed = truth["printed"]
        assert f"Số: {truth['code_number']}/{truth['code_notation']}" in text
        assert printed["number_line"] in text and printed["date_line"] in text
        assert truth["signer_name"] in text
        assert all(line in text for line in printed["signer_lines"])
        assert truth["subject"].split()[-1] in text
        assert truth["organ_name"].upper().endswith(printed["organ_lines"][1])
        for cccd in truth["citizen_ids"]:
            assert re.fullmatch(r"079[0-3]\d{8}", cccd) and cccd in text
        assert vn_date(date.fromisoformat(truth["issued_date"])) in text
        assert len(sample.pages) == len(truth["page_texts"]) in (1, 2)
        assert all(p.info["dpi"] == (200, 200) for p in sample.pages)


def test_every_kind_has_its_layout() -> None:
    rng = random.Random(3)
    for kind in KINDS:
        doc = make_document(rng, kind)
        assert (doc.type_line == "") == (kind == "cong_van")
        if kind == "cong_van":
            assert doc.subject.startswith("V/v ")
        assert doc.organ.parent in ("ỦY BAN NHÂN DÂN", "UBND THÀNH PHỐ HỒ CHÍ MINH")


def test_signer_titles_are_cased_as_nd30() -> None:
    assert nd30_case("KT. CHỦ TỊCH") == "KT. Chủ tịch"
    assert nd30_case("PHÓ GIÁM ĐỐC") == "Phó Giám đốc"
    assert nd30_case("TM. ỦY BAN NHÂN DÂN") == "TM. Ủy ban nhân dân"


def test_dates_follow_nd30() -> None:
    assert vn_date(date(2021, 2, 5)) == "ngày 05 tháng 02 năm 2021"
    assert vn_date(date(2021, 11, 15)) == "ngày 15 tháng 11 năm 2021"


def test_only_liberation_2_dejavu_and_noto_faces() -> None:
    for prefix, _ in FONT_DIRS.values():
        assert "liberation/" not in prefix  # never fonts-liberation 1.x
        assert Path(prefix).parent.is_dir()


def test_degradations_are_applied_and_recorded() -> None:
    page = Image.new("L", (400, 600), 255)
    turned, _ = degrade(page, Degradation(dpi=200, turned_deg=90), random.Random(1), _nrng())
    assert turned.size == (600, 400)
    jpeg, data = degrade(
        page,
        Degradation(
            dpi=200,
            jpeg_quality=40,
            noise_sigma=8,
            yellowed=True,
            border_mm=5,
            border_edges=("left",),
        ),
        random.Random(1),
        _nrng(),
    )
    assert data is not None and data[:2] == b"\xff\xd8" and jpeg.mode == "RGB"
    assert jpeg.convert("L").getpixel((5, 300)) < 120  # type: ignore[operator]  # lid band
    mixed = [choose_degradation(random.Random(i), "mixed", None) for i in range(40)]
    assert all(not d.is_clean for d in mixed)
    assert {d.turned_deg for d in mixed} == {0, 90, 180, 270}
    assert {d.dpi for d in mixed} == {200, 300}
    assert all(0.5 <= abs(d.skew_deg) <= 3.5 for d in mixed if d.skew_deg)
    upright = [choose_degradation(random.Random(i), "upright", 200) for i in range(40)]
    assert all(d.turned_deg == 0 == d.skew_deg and d.dpi == 200 for d in upright)
    assert choose_degradation(random.Random(1), "clean", 300) == Degradation(dpi=300)


def _nrng() -> np.random.Generator:
    return np.random.default_rng(0)


def test_fast_enough() -> None:
    start = time.monotonic()
    samples = generate(4, 4)
    per_page = (time.monotonic() - start) / sum(len(s.pages) for s in samples)
    assert per_page < 1.0  # ~0.25 s measured; slack for a loaded CI machine


def test_cli_writes_images_and_truth(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--n", "2", "--seed", "1"]) == 0
    truths = sorted(tmp_path.glob("*.json"))
    assert len(truths) == 2
    for path in truths:
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert set(FIELDS) <= set(truth) and "degradation" in truth and "text" in truth
        for name in truth["pages"]:
            with Image.open(tmp_path / name) as img:
                assert img.size[0] in (1654, 2339, 2480, 3508)


def test_word_recall() -> None:
    assert word_recall("Quyết định số 12", "Quyết định số 12") == 1.0
    assert word_recall("Quyết định số 12", "Quyet dinh số 12") == 0.5
    assert word_recall("", "x") == 1.0


@pytest.mark.slow
def test_clean_page_is_read_by_our_ocr(tmp_path: Path) -> None:
    (sample,) = generate(1, 1, mode="clean", dpi=200, max_pages=1)
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    page = ocr_page(sample.pages[0], settings=OcrSettings(), temp_dir=work)
    assert page.dpi == 200
    assert word_recall(sample.truth["text"], page.text) >= 0.95
    assert sample.truth["code_number"] in page.text
