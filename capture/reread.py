"""Reading a page again: after the clerk turned it, or when its first reading failed.

Capture reads each page once, in the orientation clean-up chose. When that
choice was wrong (a sideways page read as noise) or the reading failed, turning
the page only turns the noise; the clerk needs the page read again.

Three steps, so that neither the GUI thread nor the database thread waits for
Tesseract:

1. :func:`reading_input` (database thread): the page's cleaned image, as it is
   now, and a token of that image;
2. :func:`read` (any thread): Tesseract in a worker process, one page per
   process like capture, on the red channel like capture;
3. :func:`store_reading` (database thread): the words replace the old ones
   if the image is still the one that was read; the document's empty fields
   are filled from a fresh extraction (a field that has a value, perhaps
   corrected by the clerk, is never overwritten); PDF/A and search entry are
   rebuilt; all audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from capture import pages
from capture.prepare import ocr_view
from extract import metadata
from ocr.model import PageText
from ocr.settings import OcrSettings
from ocr.workers import PageJob, make_runner, ocr_task
from store import audit, blobs, db
from store.errors import Conflict, ExternalToolError
from store.fsutil import private_tempdir
from store.messages import say
from store.session import Session


@dataclass(frozen=True)
class Reading:
    """What a worker needs to read one page, and how to tell it was not changed since."""

    page_id: int
    image: bytes
    dpi: int
    clean_sha256: str
    temp_dir: Path


def reading_input(session: Session, page_id: int) -> Reading:
    """The page's cleaned image as it is now (the user must be able to edit it)."""
    doc_id = pages.document_of_page(session, page_id)
    pages.editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        pages.materialise(session, doc_id)
    row = conn.execute("SELECT clean_sha256, dpi FROM page WHERE id = ?", (page_id,)).fetchone()
    return Reading(page_id, blobs.read_blob(conn, str(row[0])), int(row[1] or 300),
                   str(row[0]), session.temp_dir)


def _reading_view(image: Image.Image, _temp_dir: Path) -> Image.Image:
    return ocr_view(image)


def read(reading: Reading, settings: OcrSettings, *, serial: bool = False) -> PageText:
    """OCR the page in a worker process (in this one if ``serial``); raises if it fails."""
    with private_tempdir(reading.temp_dir) as work:
        job = PageJob(f"page {reading.page_id}", reading.image, reading.dpi, settings, work,
                      prepare=_reading_view)
        runner = make_runner(settings, serial=serial, task=ocr_task)
        (result,) = list(runner.run(iter([job]), total=1))
    if result.value is None:
        raise ExternalToolError(say("capture.page_unreadable",
                                    "The page could not be read: {error}",
                                    error=result.error))
    return result.value


def store_reading(session: Session, reading: Reading, text: PageText) -> list[str]:
    """Keep the new words; returns the document fields it filled.

    The page may have moved to another document meanwhile (a split): the
    document is looked up again, only the image must be the one that was read.
    """
    doc_id = pages.document_of_page(session, reading.page_id)
    pages.editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        current = conn.execute("SELECT clean_sha256 FROM page WHERE id = ?",
                               (reading.page_id,)).fetchone()
        if current is None or current[0] != reading.clean_sha256:
            raise Conflict(say("capture.page_changed_during_read",
                               "The page changed while it was being read; read it again."))
        words = [[w.text, w.left, w.top, w.width, w.height, w.conf, w.line] for w in text.words]
        conn.execute(
            "UPDATE page SET words = ?, ocr_text = ?, ocr_status = 'done', ocr_error = NULL,"
            " updated_at = ?, updated_by = ? WHERE id = ?",
            (json.dumps(words, ensure_ascii=False), text.text, audit.now(), session.user.id,
             reading.page_id))
        extraction = metadata.extract(pages.page_texts(conn, doc_id))
        filled = pages.fill_empty_fields(
            session, doc_id, {k: f.value for k, f in extraction.fields.items()},
            list(extraction.citizen_ids), detail={"reread_page": reading.page_id})
        pages.rebuild(session, doc_id)
        audit.append(conn, session.user.name, "page.reread", object_type="page",
                     object_id=reading.page_id, detail={"document": doc_id, "words": len(words)})
    return filled


def reread_page(session: Session, page_id: int, settings: OcrSettings, *,
                serial: bool = False) -> list[str]:
    """All three steps in one thread (the command line; tests)."""
    reading = reading_input(session, page_id)
    return store_reading(session, reading, read(reading, settings, serial=serial))
