"""Page edits after capture (capture/pages.py) and migration 0004, on the real store and PDF writer.

Documents are built the way capture stores them: an original scan per page
and a PDF/A whose pages hold the *cleaned* images (here: the originals cropped
by a border) with the OCR words measured on them.
"""

from __future__ import annotations

import io
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageDraw

from capture import pages
from capture.pdfa import encode_image, write_pdfa
from ocr.model import PageText, Word
from store import audit, batches, blobs, db, documents, search
from store.errors import BadInput, Conflict, PermissionDenied
from store.session import Session
from tests.conftest import StoreFixture

BORDER = 30
WORDS = ("Quyết", "Biên", "Thông")  # one distinctive word per page
SIZES = ((420, 594), (420, 594), (594, 420))  # cleaned sizes; page 3 is landscape


def _clean_image(index: int) -> Image.Image:
    width, height = SIZES[index]
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 40 + 60 * (index + 1), 80), fill=20)  # tells pages apart
    return image


def _words(index: int) -> list[list[Any]]:
    return [[WORDS[index], 40, 40, 60 * (index + 1), 40, 95.0, 1],
            ["trang", 40, 120, 50, 20, 40.0, 2]]


def make_pdf_document(session: Session, batch: str = "lô-ảnh", file_code: str = "H29.P.01",
                      ordinal_pages: int = 3) -> int:
    """A document as capture stores it: originals, cleaned images only inside its PDF/A."""
    b = batches.get_or_create_batch(session, batch)
    found = documents.find_dossier(session, file_code)
    dossier = found[0] if found else documents.add_dossier(session, b, file_code, title="Ảnh")
    inputs, pdf_pages = [], []
    for i in range(ordinal_pages):
        clean = _clean_image(i)
        original = Image.new("L", (clean.width + 2 * BORDER, clean.height + 2 * BORDER), 40)
        original.paste(clean, (BORDER, BORDER))
        buf = io.BytesIO()
        original.save(buf, format="PNG")
        words = _words(i)
        inputs.append(documents.PageInput(
            image=buf.getvalue(), mime="image/png", dpi=100, width=clean.width,
            height=clean.height, ocr_status="done", ocr_text=f"{WORDS[i]} trang",
            words=words))
        text = PageText(tuple(Word(str(t), int(x), int(y), int(w), int(h), float(c), line=int(n))
                              for t, x, y, w, h, c, n in words), clean.width, clean.height, 100)
        pdf_pages.append((encode_image(clean.convert("RGB")), text, 100))
    out = io.BytesIO()
    write_pdfa(out, iter(pdf_pages), title="t", author="", subject="",
               created=datetime(2024, 3, 5, tzinfo=UTC))
    out.seek(0)
    return documents.add_document(session, dossier, inputs, {"type_name": "Quyết định"},
                                  pdf=out, source="scan.pdf")


def _pdf(session: Session, doc_id: int) -> pikepdf.Pdf:
    sha = session.conn.execute("SELECT pdf_sha256 FROM document WHERE id = ?",
                               (doc_id,)).fetchone()[0]
    return pikepdf.open(io.BytesIO(blobs.read_blob(session.conn, sha)))


def _pdf_text(session: Session, doc_id: int, tmp_path: Path) -> list[str]:
    """Each PDF page's text layer, through Poppler as a reader would get it."""
    path = tmp_path / f"doc-{doc_id}.pdf"
    with _pdf(session, doc_id) as pdf:
        pdf.save(path)
        count = len(pdf.pages)
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout.strip()
            for n in range(1, count + 1)]


def _first_words(session: Session, doc_id: int) -> list[str]:
    return [json.loads(r[0])[0][0] for r in session.conn.execute(
        "SELECT words FROM page WHERE document_id = ? AND deleted = 0 ORDER BY ordinal",
        (doc_id,))]


# -- migration ---------------------------------------------------------------------------------

def test_0004_from_0003_adds_the_clean_image_column(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "m.db", b"p" * 32)
    db.migrate(conn, target=3)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(page)")}
    assert "clean_sha256" not in columns
    assert 4 in db.migrate(conn)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(page)")}
    assert "clean_sha256" in columns


# -- reading -----------------------------------------------------------------------------------

def test_viewer_images_are_the_cleaned_ones_from_the_pdf(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    shown = pages.page_images(lan, doc)
    assert [(p.width, p.height) for p in shown] == list(SIZES)
    assert all(p.cleaned and p.mime == "image/jpeg" for p in shown)
    assert shown[0].words[0][0] == "Quyết"
    assert Image.open(io.BytesIO(pages.thumbnail(shown[2]))).size[0] == pages.THUMBNAIL_PX
    hoa = store.login("hoa")
    with pytest.raises(Exception, match="no document"):
        pages.page_images(hoa, doc)


# -- edits -------------------------------------------------------------------------------------

def test_rotate_turns_image_words_and_pdf(store: StoreFixture, tmp_path: Path) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    first = pages.page_images(lan, doc)[0]
    pages.rotate_page(lan, first.page_id, 1)  # a quarter turn clockwise
    turned = pages.page_image(lan, first.page_id)
    assert (turned.width, turned.height) == (first.height, first.width)
    left, top, w, h = turned.words[0][1:5]
    assert (left, top, w, h) == (first.height - (40 + 40), 40, 40, 60)
    with _pdf(lan, doc) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] < box[3] * 2 and box[2] == pytest.approx(first.height * 72 / 100, 0.01)
    assert "Quyết" in _pdf_text(lan, doc, tmp_path)[0]
    pages.rotate_page(lan, first.page_id, -1)
    back = pages.page_image(lan, first.page_id)
    assert back.words[0][1:5] == first.words[0][1:5]
    actions = [e.action for e in audit.entries(lan.conn, action="page.rotate")]
    assert actions == ["page.rotate", "page.rotate"]


def test_move_delete_restore_keep_pdf_index_and_counts(store: StoreFixture,
                                                       tmp_path: Path) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    ids = [p.page_id for p in pages.page_images(lan, doc)]
    pages.move_page(lan, ids[2], 1)
    assert _first_words(lan, doc) == ["Thông", "Quyết", "Biên"]
    assert [t.split()[0] for t in _pdf_text(lan, doc, tmp_path)] == ["Thông", "Quyết", "Biên"]
    pages.delete_page(lan, ids[1])  # "Biên"
    view = documents.get_document(lan, doc, audit_open=False)
    assert view.page_count == 2 and [p.deleted for p in view.pages] == [False, False, True]
    assert len(_pdf_text(lan, doc, tmp_path)) == 2
    assert search.search(lan, "bien") == []
    total = lan.conn.execute("SELECT page_total FROM dossier").fetchone()[0]
    assert total == 2
    pages.restore_page(lan, ids[1])
    assert [h.document_id for h in search.search(lan, "bien")] == [doc]
    assert len(_pdf_text(lan, doc, tmp_path)) == 3
    with pytest.raises(BadInput):
        pages.move_page(lan, ids[0], 9)


def test_split_then_merge_is_a_round_trip(store: StoreFixture, tmp_path: Path) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    later = make_pdf_document(lan, ordinal_pages=1)  # a second document in the dossier
    ids = [p.page_id for p in pages.page_images(lan, doc)]
    new = pages.split_document(lan, ids[1])
    order = [r[0] for r in lan.conn.execute("SELECT id FROM document ORDER BY ordinal")]
    assert order == [doc, new, later]
    assert _first_words(lan, doc) == ["Quyết"] and _first_words(lan, new) == ["Biên", "Thông"]
    assert [t.split()[0] for t in _pdf_text(lan, new, tmp_path)] == ["Biên", "Thông"]
    assert [h.document_id for h in search.search(lan, "thong")] == [new]
    with pytest.raises(BadInput):
        pages.split_document(lan, ids[0])

    pages.merge_documents(lan, doc, new)
    assert _first_words(lan, doc) == ["Quyết", "Biên", "Thông"]
    order = [r[0] for r in lan.conn.execute("SELECT id, ordinal FROM document ORDER BY ordinal")]
    assert order == [doc, later]
    ordinals = [r[0] for r in lan.conn.execute("SELECT ordinal FROM document ORDER BY ordinal")]
    assert ordinals == [1, 2]
    assert [h.document_id for h in search.search(lan, "thong")] == [doc]
    assert len(_pdf_text(lan, doc, tmp_path)) == 3
    merged = audit.entries(lan.conn, action="document.merge")[0]
    assert json.loads(merged.detail or "{}")["merged"] == new


def test_only_the_owner_edits_an_open_batch(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    page = pages.page_images(lan, doc)[0].page_id
    minh = store.login("minh")
    with pytest.raises(PermissionDenied):
        pages.delete_page(minh, page)
    batches.submit(lan, "lô-ảnh")
    with pytest.raises(Conflict):
        pages.rotate_page(lan, page, 1)
    assert pages.page_images(minh, doc)[0].cleaned  # the supervisor still sees the pages


def test_garbage_collection_keeps_edited_page_images(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    page = pages.page_images(lan, doc)[1].page_id
    pages.rotate_page(lan, page, 2)
    with db.transaction(lan.conn) as conn:
        removed = blobs.collect_garbage(conn, older_than="9999")
    assert removed >= 1  # the PDF replaced by the edit
    assert [p.cleaned for p in pages.page_images(lan, doc)] == [True, True, True]
