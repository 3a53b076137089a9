"""Cancelling a capture keeps what was finished (capture/pipeline.py, real OCR and store).

The app cancels by raising from its progress callback. Every document whose pages were
all read is stored; a file cut short keeps its pages read as a document marked incomplete
(issue 13: 'cancelling an import throws away pages already read'), which the quality gate
lists and which importing the file again replaces; the cancel is still raised to the
caller at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capture.pipeline import CaptureSettings, DocumentOutcome, IngestRequest, ingest
from extract import records
from ocr.settings import OcrSettings
from ocr.workers import Progress
from store import quality
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
def test_cancel_keeps_the_documents_read_and_a_file_cut_short_as_incomplete(
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
    cut = [o for o in heard if o.incomplete is not None]
    assert [(Path(o.source).name, o.incomplete) for o in cut] == [("ba-trang.pdf", (2, 3))]
    partial = cut[0].id
    assert partial is not None and "2 of 3 of its pages" in cut[0].errors[0]
    assert session.conn.execute(count).fetchone()[0] == 3
    pages_kept, source = session.conn.execute(
        "SELECT page_count, source_sha256 FROM document WHERE id = ?", (partial,)).fetchone()
    assert pages_kept == 2 and source.startswith("incomplete:")
    found = quality.batch_quality(session, "Lô hủy", records.record_problems,
                                  doubtful_below=0.75)
    assert [(g.document_id, g.pages_read, g.pages_total) for g in found.gaps
            if g.kind == "incomplete"] == [(partial, 2, 3)]

    report = ingest(session, request, settings)  # the file cut short imports whole...
    stored = [o for o in report.outcomes if o.id is not None]
    assert [Path(o.source).name for o in stored] == ["ba-trang.pdf"]
    assert session.conn.execute("SELECT page_count FROM document WHERE id = ?",
                                (stored[0].id,)).fetchone()[0] == 3
    assert stored[0].replaced == [partial]  # ...and replaces the incomplete copy
    assert session.conn.execute("SELECT count(*) FROM document WHERE id = ?",
                                (partial,)).fetchone()[0] == 0
    assert session.conn.execute(count).fetchone()[0] == 3
    assert session.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'document.replace' AND object_id = ?",
        (str(partial),)).fetchone()[0] == 1
