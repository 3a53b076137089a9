"""The realistic corpus generator itself (no OCR): deterministic, complete, truthful.

These tests guard the development data of issue 11: every real-world feature
appears in a 40-document set, the truth keeps handwriting, seals, stamps and
citations apart from the document's own values, and the files carry a DPI
exactly when a scanner would write one. Rendering at 60 dpi keeps them fast.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.corpus.generate import Sample, generate
from tests.corpus.realistic import FEATURES, GT_KEYS, make_realistic, write_dataset

SEED = 11
DPI = 60


@pytest.fixture(scope="module")
def corpus() -> list[Sample]:
    return generate(SEED, 40, mode="realistic", dpi=DPI)


def test_same_seed_same_pixels_and_truth() -> None:
    a, b = make_realistic(3, 5, dpi=DPI), make_realistic(3, 5, dpi=DPI)
    assert a.truth == b.truth
    assert [p.tobytes() for p in a.pages] == [p.tobytes() for p in b.pages]
    assert a.encoded == b.encoded
    c = make_realistic(3, 6, dpi=DPI)
    assert c.truth["text"] != a.truth["text"]


def test_every_feature_appears_in_forty_documents(corpus: list[Sample]) -> None:
    seen = {f for s in corpus for f in s.truth["features"]}
    assert seen == set(FEATURES), sorted(set(FEATURES) - seen)


def test_handwritten_values_are_not_in_the_printed_text(corpus: list[Sample]) -> None:
    checked = 0
    for s in corpus:
        t = s.truth
        assert set(t["handwritten"]) <= {"code_number", "issued_date"}
        lines = t["page_texts"][0].splitlines()
        number_line = next(line for line in lines if line.startswith("Số:"))
        motto = next(k for k, line in enumerate(lines) if line.startswith("Độc lập"))
        date_line = next(line for line in lines[motto:] if "năm" in line)
        if "code_number" in t["handwritten"]:
            assert t["code_number"] not in number_line, s.name
            assert number_line.endswith(f"/{t['code_notation']}"), s.name
            checked += 1
        else:
            assert number_line == f"Số: {t['code_number']}/{t['code_notation']}", s.name
        if "issued_date" in t["handwritten"]:
            assert "day" in t["handwritten_parts"]["issued_date"]
            day = date.fromisoformat(t["issued_date"]).day
            assert not re.search(rf"ngày 0?{day} tháng", date_line), s.name
            assert date_line.endswith(f"năm {t['issued_date'][:4]}"), s.name
        else:
            assert "issued_date" not in t["handwritten_parts"]
            day = date.fromisoformat(t["issued_date"]).day
            assert re.search(rf"ngày 0?{day} tháng", date_line), s.name
    assert checked >= 10


def test_stamps_and_citations_never_carry_the_documents_values(corpus: list[Sample]) -> None:
    kinds = set()
    for s in corpus:
        t = s.truth
        own_number = t["code_number"].lstrip("0")
        for stamp in t["stamps"]:
            kinds.add(stamp["kind"])
            assert stamp["kind"] in ("den", "sao_y")
            assert stamp["number"].lstrip("0") != own_number, s.name
            assert stamp["date"] != t["issued_date"], s.name
        for cited in t["citations"]:
            assert cited["number"].lstrip("0") != own_number, s.name
            assert cited["date"] < t["issued_date"], s.name
            assert f"số {cited['number']}/" in t["text"], s.name
            year = re.search(rf"số {cited['number']}/(\d{{4}})/", t["text"])
            assert year is None or year.group(1) == cited["date"][:4], (s.name, cited)
        for note in t["margin_notes"]:
            kinds.add("margin")
            assert note["date"] != t["issued_date"] and note["text"] not in t["text"], s.name
    assert kinds == {"den", "sao_y", "margin"}


def test_organ_names_are_written_as_nd30_writes_them(corpus: list[Sample]) -> None:
    for s in corpus:
        organ = s.truth["organ_name"]
        assert organ[0].isupper() and organ == " ".join(organ.split()), s.name
        # "Ủy ban nhân dân quận Gò Vấp", but "Ủy ban nhân dân Quận 5" / "Phường 12"
        assert not re.search(r"\b(Quận|Huyện|Phường) [^\d\s]", organ[1:]), (s.name, organ)
        assert organ.startswith(("Ủy ban nhân dân ", "Sở ")), (s.name, organ)


def test_seals_cross_only_the_signer_and_e_signed_documents_have_a_box(
        corpus: list[Sample]) -> None:
    for s in corpus:
        t = s.truth
        assert set(t["under_seal"]) <= {"signer_position", "signer_name"}
        if t["under_seal"]:
            assert t["seal"], s.name
        if t["esign"] is not None:
            assert {"signer", "organ", "time"} <= set(t["esign"])
            assert t["esign"]["time"].startswith(
                date.fromisoformat(t["issued_date"]).strftime("%d.%m.%Y"))
            assert "esign" in t["features"]


def test_pages_are_images_with_a_dpi_only_when_scanned(corpus: list[Sample]) -> None:
    for s in corpus:
        t = s.truth
        assert s.pages and len(s.pages) == len(t["page_texts"])
        if t["scan"] == "phone":
            assert t["file_dpi"] is None and len(s.encoded) == len(s.pages) == 1
            photo = Image.open(io.BytesIO(s.encoded[0]))
            assert photo.format == "JPEG" and "dpi" not in photo.info, s.name
            assert photo.width != round(210 / 25.4 * DPI)  # not a flat A4 page
        else:
            assert t["file_dpi"] == DPI
            assert all(p.info.get("dpi") == (DPI, DPI) for p in s.pages), s.name
        if t["scan"] == "bilevel":
            assert all(p.mode == "1" for p in s.pages), s.name


def test_duplex_backs_are_blank_but_show_through(corpus: list[Sample]) -> None:
    backs = 0
    for s in corpus:
        for k in s.truth["blank_pages"]:
            backs += 1
            assert s.truth["page_texts"][k - 1] == "", s.name
            back = np.asarray(s.pages[k - 1].convert("L"), dtype=np.float32)
            front = np.asarray(s.pages[k - 2].convert("L"), dtype=np.float32)
            h, w = back.shape
            inner = (slice(h // 8, -h // 8), slice(w // 8, -w // 8))
            # ink above the paper's own tone (yellowed paper darkens both sides alike)
            ink_back = np.median(back[inner]) - back[inner].mean()
            ink_front = np.median(front[inner]) - front[inner].mean()
            assert ink_back < 0.3 * ink_front, s.name
    assert backs >= 3


def test_written_dataset_has_the_layout_bench_real_reads(tmp_path: Path,
                                                          corpus: list[Sample]) -> None:
    pick = [next(s for s in corpus if s.truth["scan"] == kind)
            for kind in ("phone", "bilevel", "colour")]
    meta = write_dataset(pick, tmp_path)
    on_disk = json.loads((tmp_path / "meta_gt.json").read_text(encoding="utf-8"))
    assert on_disk == meta and len(meta) == 3
    for stem, gt in meta.items():
        assert set(GT_KEYS) <= set(gt) and "notes" in gt
        (doc,) = list((tmp_path / "docs").glob(f"{stem}.*"))
        truth = json.loads((tmp_path / "truth" / f"{stem}.json").read_text(encoding="utf-8"))
        assert truth["file"] == doc.name
        if doc.suffix == ".jpg":
            assert "dpi" not in Image.open(doc).info
        elif doc.suffix == ".tiff":
            with Image.open(doc) as img:
                assert img.info.get("dpi") == (DPI, DPI) and img.n_frames == len(
                    truth["page_texts"])
        else:
            assert doc.read_bytes().startswith(b"%PDF")


def test_bench_scorer_splits_handwritten_misses_and_catches_stamp_leaks() -> None:
    """bench/realistic.py's score: left empty vs wrong, stamp numbers, confident misses."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bench" / "realistic.py"
    spec = importlib.util.spec_from_file_location("bench_realistic", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    base = {"type_name": "Quyết định", "code_number": "12", "code_notation": "QĐ-UBND",
            "issued_date": "2024-03-05", "organ_name": "Ủy ban nhân dân phường Sài Gòn",
            "subject": "Về việc x", "signer_position": "Chủ tịch", "signer_name": "Lê Văn An",
            "text": "Về việc x", "blank_pages": [], "features": ["hw_number", "den_stamp"],
            "handwritten": ["code_number", "issued_date"], "under_seal": ["signer_name"],
            "stamps": [{"kind": "den", "number": "345", "date": "2024-03-07"}],
            "citations": []}
    truths = {"a": base, "b": base}
    conf = {f: 0.95 for f in bench.FIELDS}
    got = {"a": {**base, "code_number": None, "issued_date": None, "confidence": conf},
           "b": {**base, "code_number": "345", "issued_date": "2024-03-07",
                 "signer_name": "Văn An", "confidence": conf}}
    result = bench.score(truths, got)
    assert result["handwritten"] == {"left empty": 2, "wrong": 2}
    assert result["leaks"] == {"stamp": 2}
    assert result["under_seal"] == {"right": 1, "wrong": 1}
    assert result["per_field"]["code_number"] == "0/2"
    assert len(result["confident_wrong"]) == 3  # b's number, date and name, all at 0.95
    # a: 6 filled, all right; b: 8 filled, 3 wrong (empty fields are never "confident")
    assert result["calibration"]["0.90-1.00"] == {"right": 11, "count": 14}
