"""Cancelling a capture keeps what was finished (capture/pipeline.py, real OCR and store).

The app cancels by raising from its progress callback. Every document whose pages were
all read is stored; a file cut short is reported as not stored (and imports again
cleanly); the cancel is still raised to the caller at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capture.pipeline import CaptureSettings, DocumentOutcome, IngestRequest, ingest
from ocr.settings import OcrSettings
from ocr.workers import Progress
from store.errors import ExitCode, SohoaError
from tests.conftest import StoreFixture
from tests.corpus.generate import generate


class Cancelled(SohoaError):
    exit_code = ExitCode.CANCELLED


def _cancel_at(page: int, heard: list[DocumentOutcome]) -> dict[str, object]:
    """Callbacks as the app's: cancelled once ``page`` pages are read; each raises then."""
    cancelled = []

    def progress(p: Progress) -> None:
        if p.done >= page:
            cancelled.append(True)
        if cancelled:
            raise Cancelled("cancelled")

    def document(outcome: DocumentOutcome) -> None:
        heard.append(outcome)
        if cancelled:
            raise Cancelled("cancelled")

    return {"on_progress": progress, "on_document": document}


@pytest.mark.slow
def test_cancel_keeps_the_documents_read_and_reports_a_file_cut_short(
        store: StoreFixture, tmp_path: Path) -> None:
    samples = generate(7, 3, mode="clean", dpi=150, max_pages=1)
    pages = [s.pages[0].convert("RGB") for s in samples]
    one, two = tmp_path / "mot.png", tmp_path / "hai.png"
    pages[0].save(one, dpi=(150, 150))
    pages[1].save(two, dpi=(150, 150))
    three = tmp_path / "ba-trang.pdf"
    pages[2].save(three, save_all=True, append_images=[pages[0].copy(), pages[1].copy()],
                  resolution=150)
    session = store.login("lan")
    settings = CaptureSettings(ocr=OcrSettings(workers=1), serial=True)
    request = IngestRequest([str(one), str(two), str(three)], batch="Lô hủy")

    heard: list[DocumentOutcome] = []
    with pytest.raises(Cancelled):  # cancelled as the second file's only page is read
        ingest(session, request, settings, **_cancel_at(2, heard))  # type: ignore[arg-type]
    assert [(Path(o.source).name, o.id is not None) for o in heard] == [
        ("mot.png", True), ("hai.png", True)]
    count = "SELECT count(*) FROM document"
    assert session.conn.execute(count).fetchone()[0] == 2

    heard.clear()  # again: the two are duplicates; cancelled at the third file's page 2
    with pytest.raises(Cancelled):
        ingest(session, request, settings, **_cancel_at(2, heard))  # type: ignore[arg-type]
    cut = [o for o in heard if o.id is None and o.duplicate_of is None]
    assert [Path(o.source).name for o in cut] == ["ba-trang.pdf"]
    assert "not stored" in cut[0].errors[0] and "2 of its pages" in cut[0].errors[0]
    assert session.conn.execute(count).fetchone()[0] == 2

    report = ingest(session, request, settings)  # the file cut short imports whole
    stored = [o for o in report.outcomes if o.id is not None]
    assert [Path(o.source).name for o in stored] == ["ba-trang.pdf"]
    assert session.conn.execute("SELECT page_count FROM document WHERE id = ?",
                                (stored[0].id,)).fetchone()[0] == 3
