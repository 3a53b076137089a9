"""PDF pages through capture: rendered in the OCR worker, not in the parent (issue 15).

The parent used to rasterise every PDF page (pdftoppm) before handing it to a
worker: on a 2-core desk that serial work kept two workers from going twice as
fast as one. Now a PDF page travels as (file, page) and the worker renders it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from capture.pipeline import CaptureSettings, IngestRequest, ingest
from ocr.settings import OcrSettings
from scanning import sources
from store import blobs, documents
from tests.conftest import StoreFixture
from tests.corpus.generate import Sample, generate


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return generate(5, 2, mode="clean", dpi=150, max_pages=1)


def _pdf(tmp_path: Path, samples: list[Sample]) -> Path:
    path = tmp_path / "ho-so.pdf"
    first, *rest = [s.pages[0].convert("RGB") for s in samples]
    first.save(path, save_all=True, append_images=rest, resolution=150)
    return path


def _no_rendering_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any PDF rendering in this (the parent) process fails the test; workers are spawned
    afresh and do not see this."""
    def refuse(*args: object, **kwargs: object) -> Image.Image:
        raise AssertionError("a PDF page was rendered in the parent process")

    monkeypatch.setattr(sources, "_pdfium_render", refuse)
    monkeypatch.setattr(sources, "_render_pdf_page", refuse)


def test_pdf_pages_are_rendered_in_the_worker_and_their_originals_stored(
        store: StoreFixture, samples: list[Sample], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _pdf(tmp_path, samples)
    _no_rendering_here(monkeypatch)
    session = store.login("lan")
    report = ingest(session, IngestRequest([str(pdf)], batch="b"),
                    CaptureSettings(ocr=OcrSettings(workers=2)))
    (outcome,) = report.outcomes
    assert outcome.id is not None, outcome.errors
    assert not outcome.errors
    view = documents.get_document(session, outcome.id, audit_open=False)
    assert [p.ocr_status for p in view.pages] == ["done", "done"]
    for page, sample in zip(view.pages, samples, strict=True):
        with Image.open(io.BytesIO(blobs.read_blob(session.conn, page.image_sha256))) as im:
            assert abs(im.width - 2 * sample.pages[0].width) <= 2  # 150 dpi drawn at 300
        assert page.dpi == 300
    assert "QUYẾT ĐỊNH" in view.pages[0].ocr_text.upper() or view.pages[0].ocr_text


@pytest.mark.slow
def test_a_pdf_page_whose_worker_fails_keeps_its_original(
        store: StoreFixture, samples: list[Sample], tmp_path: Path) -> None:
    """The worker's OCR times out: the parent renders the page itself for the store."""
    pdf = _pdf(tmp_path, samples[:1])
    session = store.login("lan")
    report = ingest(session, IngestRequest([str(pdf)], batch="b"),
                    CaptureSettings(ocr=OcrSettings(page_timeout_s=0.05, workers=1)))
    (outcome,) = report.outcomes
    assert outcome.id is not None and outcome.errors
    view = documents.get_document(session, outcome.id, audit_open=False)
    (page,) = view.pages
    assert page.ocr_status == "failed" and view.pdf_sha256 is not None
    with Image.open(io.BytesIO(blobs.read_blob(session.conn, page.image_sha256))) as im:
        assert abs(im.width - 2 * samples[0].pages[0].width) <= 2
