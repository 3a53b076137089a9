"""Editing a document's pages after capture: rotate, reorder, delete/restore, split, merge.

Why this lives beside the PDF writer: every edit must leave the document's
two-layer PDF/A, its search index and its page count telling the same story
as its page rows, in the same transaction, and without a second OCR pass.

The OCR word boxes are measured on the *cleaned* page image (cropped,
turned, deskewed), which capture embeds in the PDF/A but does not keep per
page. So before the first edit of a document its cleaned images are taken out
of the PDF (losslessly: the JPEG bytes as they are) and kept per page in
``page.clean_sha256`` (migration 0004); from then on the PDF is rebuilt from
those images and the stored words. A blank page, or a document without a PDF,
uses the original scan.

Every edit checks that the user may change the batch (the owning clerk, batch
open or sent back) and is written to the audit log.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pikepdf
from PIL import Image

from capture.pdfa import EncodedImage, encode_image, write_pdfa
from capture.pipeline import _extraction_record as extraction_record
from extract import metadata
from ocr.model import PageText, Word
from store import audit, batches, blobs, db, search
from store.documents import DOCUMENT_FIELDS
from store.errors import BadInput, Conflict, NotFound
from store.messages import say
from store.session import Session
from store.spool import Spool
from store.views import place_of

THUMBNAIL_PX = 200
_PARKED = -1_000_000_000  # a new row's ordinal until the rows around it are renumbered


@dataclass(frozen=True)
class PageImage:
    """A page as the viewer shows it; ``words`` are in this image's pixels."""

    page_id: int
    ordinal: int
    data: bytes
    mime: str
    width: int
    height: int
    words: list[list[Any]]  # [text, left, top, width, height, conf, line]
    cleaned: bool  # False: only the original scan exists, boxes may not line up
    deleted: bool
    blank: bool


@dataclass(frozen=True)
class _PageRow:
    id: int
    ordinal: int
    image_sha256: str
    clean_sha256: str | None
    dpi: int | None
    blank: bool
    deleted: bool
    words: str


def _page_rows(conn: db.Connection, doc_id: int) -> list[_PageRow]:
    return [
        _PageRow(int(r[0]), int(r[1]), str(r[2]), r[3], r[4], bool(r[5]), bool(r[6]), str(r[7]))
        for r in conn.execute(
            "SELECT id, ordinal, image_sha256, clean_sha256, dpi, blank, deleted, words"
            " FROM page WHERE document_id = ? ORDER BY ordinal", (doc_id,))
    ]


def document_of_page(session: Session, page_id: int) -> int:
    row = session.conn.execute("SELECT document_id FROM page WHERE id = ?",
                               (page_id,)).fetchone()
    if row is None:
        raise NotFound(say("store.page_not_found", "There is no page {page_id}.", page_id=page_id))
    return int(row[0])


# -- reading ----------------------------------------------------------------------------

def _pdf_images(conn: db.Connection, doc_id: int, rows: list[_PageRow],
                wanted: Collection[int] | None = None) -> dict[int, bytes]:
    """Cleaned images of a never-edited document, taken from its PDF, by page id.

    Capture writes one PDF page per non-blank page, in order; if the count does
    not match (an unexpected PDF), nothing is taken and the originals are used.
    """
    if any(r.clean_sha256 for r in rows) or (wanted is not None and not wanted):
        return {}
    row = conn.execute("SELECT pdf_sha256 FROM document WHERE id = ?", (doc_id,)).fetchone()
    if row is None or row[0] is None:
        return {}
    live = [r for r in rows if not r.blank]
    with pikepdf.open(io.BytesIO(blobs.read_blob(conn, str(row[0])))) as pdf:
        if len(pdf.pages) != len(live):
            return {}
        return {r.id: _page_image_bytes(page) for r, page in zip(live, pdf.pages, strict=True)
                if wanted is None or r.id in wanted}


def _page_image_bytes(page: pikepdf.Page) -> bytes:
    """The page's image: JPEG bytes as stored, anything else decoded to PNG."""
    xobjects = page.Resources.XObject
    name = next(iter(xobjects.keys()))
    stream = xobjects[name]
    if stream.get("/Filter") == pikepdf.Name.DCTDecode:
        return bytes(stream.read_raw_bytes())
    image = pikepdf.PdfImage(cast(pikepdf.Stream, stream)).as_pil_image()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _mime_of(data: bytes) -> str:
    return "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png"


def _display(conn: db.Connection, row: _PageRow, from_pdf: dict[int, bytes]) -> tuple[bytes,
                                                                                        bool]:
    if row.clean_sha256:
        return blobs.read_blob(conn, row.clean_sha256), row.clean_sha256 != row.image_sha256
    if row.id in from_pdf:
        return from_pdf[row.id], True
    return blobs.read_blob(conn, row.image_sha256), False


def _image_of(row: _PageRow, data: bytes, cleaned: bool) -> PageImage:
    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
    except Exception:  # an unreadable stored image: the viewer shows a placeholder
        width = height = 0
    return PageImage(row.id, row.ordinal, data, _mime_of(data), width, height,
                     json.loads(row.words), cleaned, row.deleted, row.blank)


def page_images(session: Session, doc_id: int,
                only: Collection[int] | None = None) -> list[PageImage]:
    """The document's pages (deleted ones too, marked) with the image their words fit.

    ``only``: just these page ids (the app loads thumbnails a few at a time).
    """
    place_of(session, doc_id)  # may this user see it?
    rows = [r for r in _page_rows(session.conn, doc_id) if only is None or r.id in only]
    from_pdf = _pdf_images(session.conn, doc_id, _page_rows(session.conn, doc_id),
                           [r.id for r in rows if not r.clean_sha256])
    return [_image_of(r, *_display(session.conn, r, from_pdf)) for r in rows]


def page_image(session: Session, page_id: int) -> PageImage:
    return page_images(session, document_of_page(session, page_id), [page_id])[0]


def thumbnail(image: PageImage, max_px: int = THUMBNAIL_PX) -> bytes:
    """A small JPEG of a page for the thumbnail strip (made in memory, never on disk)."""
    try:
        with Image.open(io.BytesIO(image.data)) as im:
            im.draft("RGB", (max_px * 2, max_px * 2))  # JPEG: decode at a fraction of the size
            small = im.convert("RGB")
    except Exception:
        small = Image.new("RGB", (max_px * 7 // 10, max_px), (235, 235, 235))
    small.thumbnail((max_px, max_px))
    buf = io.BytesIO()
    small.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


# -- keeping the PDF, index and counts in step ---------------------------------------------

def editable_doc(session: Session, doc_id: int) -> int:
    """Check the user may edit the document's batch; returns its dossier id."""
    place = place_of(session, doc_id)
    batches.ensure_editable(session, batches.batch_ref(session, dossier_id=place.dossier_id))
    return place.dossier_id


def materialise(session: Session, doc_id: int) -> None:
    """Give every page of the document its own cleaned image (see the module doc)."""
    conn = session.conn
    rows = _page_rows(conn, doc_id)
    if all(r.clean_sha256 for r in rows):
        return
    from_pdf = _pdf_images(conn, doc_id, rows)
    chunk = session.settings.blob_chunk_size
    for r in rows:
        if r.clean_sha256:
            continue
        data = from_pdf.get(r.id)
        sha = blobs.put_blob(conn, data, _mime_of(data), chunk=chunk) if data else r.image_sha256
        conn.execute("UPDATE page SET clean_sha256 = ? WHERE id = ?", (sha, r.id))


def _encoded(data: bytes) -> EncodedImage:
    with Image.open(io.BytesIO(data)) as im:
        if im.format == "JPEG":  # as it is: no second lossy encoding
            return EncodedImage(data, im.width, im.height, im.mode == "L", 8, "/DCTDecode")
        im.load()
        return encode_image(im)


def _page_text(words: Sequence[Sequence[Any]], width: int, height: int, dpi: int) -> PageText:
    return PageText(tuple(Word(str(w[0]), int(w[1]), int(w[2]), int(w[3]), int(w[4]),
                               float(w[5]), line=int(w[6]) if len(w) > 6 else 0)
                          for w in words), width, height, dpi)


def _pdf_pages(conn: db.Connection, doc_id: int) -> Iterator[tuple[EncodedImage, PageText, int]]:
    for r in _page_rows(conn, doc_id):
        if r.deleted or r.blank or not r.clean_sha256:
            continue
        enc = _encoded(blobs.read_blob(conn, r.clean_sha256))
        words = json.loads(r.words)
        inside = [w for w in words if int(w[1]) + int(w[3]) <= enc.width
                  and int(w[2]) + int(w[4]) <= enc.height]
        dpi = r.dpi or 300
        yield enc, _page_text(inside, enc.width, enc.height, dpi), dpi


def rebuild(session: Session, doc_id: int) -> None:
    """New PDF/A, page count, dossier totals and search entry for one document."""
    conn = session.conn
    meta = conn.execute("SELECT subject, organ_name, type_name, source, dossier_id FROM document"
                        " WHERE id = ?", (doc_id,)).fetchone()
    pages = list(_pdf_pages(conn, doc_id))
    sha = None
    if pages:
        with Spool(session.temp_dir) as fh:  # encrypted: never in clear on disk
            write_pdfa(fh, iter(pages), title=meta[0] or meta[3] or "", author=meta[1] or "",
                       subject=meta[2] or "", created=datetime.now(UTC))
            fh.seek(0)
            sha = blobs.put_blob(conn, fh, "application/pdf",
                                 chunk=session.settings.blob_chunk_size)
    conn.execute(
        "UPDATE document SET pdf_sha256 = ?, page_count = (SELECT count(*) FROM page"
        " WHERE document_id = ? AND deleted = 0 AND blank = 0), updated_at = ?, updated_by = ?"
        " WHERE id = ?", (sha, doc_id, audit.now(), session.user.id, doc_id))
    _refresh_totals(conn, int(meta[4]))
    search.reindex_document(conn, doc_id)


def _refresh_totals(conn: db.Connection, dossier_id: int) -> None:
    conn.execute(
        "UPDATE dossier SET page_total = (SELECT count(*) FROM page p JOIN document d"
        " ON d.id = p.document_id WHERE d.dossier_id = ? AND p.deleted = 0 AND p.blank = 0)"
        " WHERE id = ?", (dossier_id, dossier_id))


def _renumber(conn: db.Connection, table: str, parent: str, parent_id: int,
              ids: Sequence[int]) -> None:
    """Give ``ids`` the ordinals 1..n under their parent (two steps: ordinals are unique)."""
    for i, row_id in enumerate(ids, start=1):
        conn.execute(f"UPDATE {table} SET ordinal = ?, {parent} = ? WHERE id = ?",
                     (-i, parent_id, row_id))
    for row_id in ids:
        conn.execute(f"UPDATE {table} SET ordinal = -ordinal WHERE id = ?", (row_id,))


def _page_ids(conn: db.Connection, doc_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute(
        "SELECT id FROM page WHERE document_id = ? ORDER BY ordinal", (doc_id,))]


def _doc_ids(conn: db.Connection, dossier_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute(
        "SELECT id FROM document WHERE dossier_id = ? ORDER BY ordinal", (dossier_id,))]


# -- the edits ---------------------------------------------------------------------------------

def _turn_words(words: list[list[Any]], width: int, height: int, turns: int) -> list[list[Any]]:
    """Word boxes after turning the page ``turns`` quarter turns clockwise."""
    out = []
    for w in words:
        left, top, bw, bh = int(w[1]), int(w[2]), int(w[3]), int(w[4])
        if turns == 1:
            box = [height - (top + bh), left, bh, bw]
        elif turns == 2:
            box = [width - (left + bw), height - (top + bh), bw, bh]
        else:
            box = [top, width - (left + bw), bh, bw]
        out.append([w[0], *box, *w[5:]])
    return out


_TRANSPOSE = {1: Image.Transpose.ROTATE_270, 2: Image.Transpose.ROTATE_180,
              3: Image.Transpose.ROTATE_90}


def rotate_page(session: Session, page_id: int, quarter_turns: int) -> None:
    """Turn a page by quarter turns (positive: clockwise); its word boxes turn with it."""
    rotate_pages(session, [page_id], quarter_turns)


def _same_document(session: Session, page_ids: Sequence[int]) -> int:
    """The one document all these pages belong to (the clerk selects within one)."""
    docs = {document_of_page(session, p) for p in page_ids}
    if len(docs) != 1:
        raise BadInput(say("capture.pages_of_one_document", "Choose pages of one document."))
    return docs.pop()


def rotate_pages(session: Session, page_ids: Sequence[int], quarter_turns: int) -> None:
    """Turn the selected pages of one document together: one transaction, one rebuilt
    PDF/A, so the clerk's one command is one step to undo."""
    turns = quarter_turns % 4
    doc_id = _same_document(session, page_ids)
    editable_doc(session, doc_id)
    if turns == 0:
        return
    with db.transaction(session.conn) as conn:
        materialise(session, doc_id)
        rows = {r.id: r for r in _page_rows(conn, doc_id)}
        for page_id in dict.fromkeys(page_ids):
            _turn_one(session, rows[page_id], turns)
            audit.append(conn, session.user.name, "page.rotate", object_type="page",
                         object_id=page_id, detail={"document": doc_id, "degrees": 90 * turns})
        rebuild(session, doc_id)


def _turn_one(session: Session, row: _PageRow, turns: int) -> None:
    conn = session.conn
    assert row.clean_sha256 is not None
    with Image.open(io.BytesIO(blobs.read_blob(conn, row.clean_sha256))) as im:
        im.load()
        turned = im.transpose(_TRANSPOSE[turns])
        words = _turn_words(json.loads(row.words), im.width, im.height, turns)
    enc = encode_image(turned)
    buf = io.BytesIO()
    if enc.filter == "/DCTDecode":
        buf.write(enc.data)
    else:
        turned.save(buf, format="PNG")
    sha = blobs.put_blob(conn, buf.getvalue(), _mime_of(buf.getvalue()),
                         chunk=session.settings.blob_chunk_size)
    conn.execute(
        "UPDATE page SET clean_sha256 = ?, words = ?, width = ?, height = ?,"
        " rotation = (rotation + ?) % 360, updated_at = ?, updated_by = ? WHERE id = ?",
        (sha, json.dumps(words, ensure_ascii=False), turned.width, turned.height,
         90 * turns, audit.now(), session.user.id, row.id))


def reorder_pages(session: Session, doc_id: int, order: Sequence[int]) -> list[int]:
    """Give the document's pages this order (every page once); returns the order before.

    Moving a selected block is one call, and undoing it is the same call with
    the order it returned.
    """
    editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        ids = _page_ids(conn, doc_id)
        if sorted(ids) != sorted(order) or len(set(order)) != len(order):
            raise BadInput(say("capture.page_order_incomplete",
                               "The new page order must list each page of the document once."))
        if list(order) == ids:
            return ids
        materialise(session, doc_id)
        _renumber(conn, "page", "document_id", doc_id, order)
        rebuild(session, doc_id)
        audit.append(conn, session.user.name, "page.reorder", object_type="document",
                     object_id=doc_id, old=json.dumps(ids), new=json.dumps(list(order)))
    return ids


def block_moved(ids: Sequence[int], selected: Collection[int], delta: int) -> list[int]:
    """The order after moving the selected pages one place earlier (``delta`` -1) or later
    (+1) as one block: gathered where the first (or last) of them was, then shifted."""
    chosen = [p for p in ids if p in selected]
    if not chosen:
        return list(ids)
    others = [p for p in ids if p not in selected]
    if delta < 0:
        at = max(0, ids.index(chosen[0]) - 1)
    else:
        at = min(len(others), ids.index(chosen[-1]) - (len(chosen) - 1) + 1)
    return others[:at] + chosen + others[at:]


def move_page(session: Session, page_id: int, position: int) -> None:
    """Put a page at ``position`` (1-based) within its document."""
    doc_id = document_of_page(session, page_id)
    editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        ids = _page_ids(conn, doc_id)
        old = ids.index(page_id) + 1
        if not 1 <= position <= len(ids):
            raise BadInput(say("capture.page_position_outside",
                               "Page position {position} is outside 1..{n}.",
                               position=position, n=len(ids)))
        if position == old:
            return
        materialise(session, doc_id)
        ids.remove(page_id)
        ids.insert(position - 1, page_id)
        _renumber(conn, "page", "document_id", doc_id, ids)
        rebuild(session, doc_id)
        audit.append(conn, session.user.name, "page.move", object_type="page",
                     object_id=page_id, old=old, new=position, detail={"document": doc_id})


def set_pages_deleted(session: Session, page_ids: Sequence[int], deleted: bool) -> list[int]:
    """Delete (or restore) the selected pages of one document in one transaction; returns
    the pages that changed, so that undo puts back only those."""
    doc_id = _same_document(session, page_ids)
    editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        changed = [p for p in dict.fromkeys(page_ids) if bool(conn.execute(
            "SELECT deleted FROM page WHERE id = ?", (p,)).fetchone()[0]) != deleted]
        if not changed:
            return []
        materialise(session, doc_id)
        for page_id in changed:
            conn.execute("UPDATE page SET deleted = ?, updated_at = ?, updated_by = ?"
                         " WHERE id = ?", (int(deleted), audit.now(), session.user.id, page_id))
            audit.append(conn, session.user.name, "page.delete" if deleted else "page.restore",
                         object_type="page", object_id=page_id, detail={"document": doc_id})
        rebuild(session, doc_id)
    return changed


def delete_page(session: Session, page_id: int) -> None:
    """Take a page out of the document (kept, marked deleted, restorable)."""
    set_pages_deleted(session, [page_id], True)


def restore_page(session: Session, page_id: int) -> None:
    set_pages_deleted(session, [page_id], False)


def split_document(session: Session, page_id: int) -> int:
    """Cut a document before ``page_id``: that page and the ones after become a new document.

    The new document follows the old one in its dossier, its fields read from
    its pages' stored text as capture reads them (no OCR again): a split-off
    letter starts with its number, date and subject, not an empty form. The
    pages keep their words, so search finds the new document at once. Returns
    its id.
    """
    doc_id = document_of_page(session, page_id)
    dossier_id = editable_doc(session, doc_id)
    with db.transaction(session.conn) as conn:
        ids = _page_ids(conn, doc_id)
        at = ids.index(page_id)
        if at == 0:
            raise BadInput(say("capture.split_after_first", "Split at a page after the first one."))
        materialise(session, doc_id)
        new_id = _insert_after(session, doc_id, dossier_id)
        _renumber(conn, "page", "document_id", new_id, ids[at:])
        _extract_into(session, new_id, detail={"split_from": doc_id})
        _carry_incomplete(conn, doc_id, new_id)
        for changed in (doc_id, new_id):
            rebuild(session, changed)
        audit.append(conn, session.user.name, "document.split", object_type="document",
                     object_id=doc_id, detail={"new": new_id, "at_page": at + 1,
                                               "pages": len(ids) - at})
    return new_id


def _carry_incomplete(conn: db.Connection, doc_id: int, new_id: int) -> None:
    """A part split off a document a cancelled import cut short is as incomplete: it keeps
    the mark (``_insert_after`` copied the source) and the count of pages read, so the form
    and the gate say so of both parts."""
    row = conn.execute("SELECT json_extract(extraction, '$.incomplete') FROM document"
                       " WHERE id = ?", (doc_id,)).fetchone()
    if row is not None and row[0]:
        conn.execute("UPDATE document SET extraction = json_set(extraction, '$.incomplete',"
                     " json(?)) WHERE id = ?", (row[0], new_id))


def _extract_into(session: Session, doc_id: int, *, detail: Any) -> list[str]:
    """Fill the document's empty fields from its pages' stored words, and keep what the
    correction form needs (confidence, where each field was read) as capture does."""
    conn = session.conn
    rows = conn.execute("SELECT ordinal, words, width, height, dpi FROM page WHERE"
                        " document_id = ? AND deleted = 0 AND blank = 0 ORDER BY ordinal",
                        (doc_id,)).fetchall()
    texts = [_page_text(json.loads(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 300))
             for r in rows]
    extraction = metadata.extract(texts)
    record = extraction_record(extraction, [int(r[0]) - 1 for r in rows], [])
    conn.execute("UPDATE document SET extraction = ? WHERE id = ?",
                 (json.dumps(record, ensure_ascii=False), doc_id))
    return fill_empty_fields(session, doc_id, {k: f.value for k, f in extraction.fields.items()},
                             list(extraction.citizen_ids), detail=detail)


def _insert_after(session: Session, doc_id: int, dossier_id: int) -> int:
    conn = session.conn
    docs = _doc_ids(conn, dossier_id)
    src = conn.execute("SELECT source, source_sha256 FROM document WHERE id = ?",
                       (doc_id,)).fetchone()
    ts, uid = audit.now(), session.user.id
    cur = conn.execute(
        "INSERT INTO document (dossier_id, ordinal, citizen_ids, page_count, source,"
        " source_sha256, extraction, created_at, created_by, updated_at, updated_by)"
        " VALUES (?, ?, '[]', 0, ?, ?, '{}', ?, ?, ?, ?)",
        (dossier_id, _PARKED, src[0], src[1], ts, uid, ts, uid))
    new_id = int(cur.lastrowid or 0)
    docs.insert(docs.index(doc_id) + 1, new_id)
    _renumber(conn, "document", "dossier_id", dossier_id, docs)
    search.reindex_document(conn, new_id, new=True)
    return new_id


def merge_documents(session: Session, first_id: int, second_id: int, *,
                    absorb: bool = True) -> None:
    """Append the second document's pages to the first, then remove the second.

    Empty fields of the first are filled from the second, and the citizen IDs
    are joined (not when ``absorb`` is False: undoing a split, whose new
    document's fields were read from its own pages); both must be in the same
    batch.
    """
    if first_id == second_id:
        raise BadInput(say("capture.merge_two_documents",
                           "Choose two different documents to merge."))
    first_dossier = editable_doc(session, first_id)
    second_dossier = editable_doc(session, second_id)
    if place_of(session, first_id).batch_id != place_of(session, second_id).batch_id:
        raise Conflict(say("capture.merge_same_batch",
                           "Only documents of the same batch can be merged."))
    with db.transaction(session.conn) as conn:
        materialise(session, first_id)
        materialise(session, second_id)
        moved = _page_ids(conn, second_id)
        _renumber(conn, "page", "document_id", first_id, _page_ids(conn, first_id) + moved)
        if absorb:
            _absorb_metadata(session, first_id, second_id)
        conn.execute("DELETE FROM document WHERE id = ?", (second_id,))
        search.reindex_document(conn, second_id)  # removes its index entry
        _renumber(conn, "document", "dossier_id", second_dossier,
                  _doc_ids(conn, second_dossier))
        _refresh_totals(conn, second_dossier)
        rebuild(session, first_id)
        audit.append(conn, session.user.name, "document.merge", object_type="document",
                     object_id=first_id, detail={"merged": second_id, "pages": len(moved),
                                                 "from_dossier": second_dossier,
                                                 "dossier": first_dossier})


def _absorb_metadata(session: Session, first_id: int, second_id: int) -> None:
    """Fill the first document's empty fields from the second and join the citizen IDs."""
    cols = ", ".join(DOCUMENT_FIELDS)
    b = session.conn.execute(f"SELECT {cols}, citizen_ids FROM document WHERE id = ?",
                             (second_id,)).fetchone()
    fill_empty_fields(session, first_id, dict(zip(DOCUMENT_FIELDS, b, strict=False)),
                      json.loads(b[-1]), detail={"merged": second_id})


def fill_empty_fields(session: Session, doc_id: int, values: Mapping[str, Any],
                      citizen_ids: Sequence[str], *, detail: Any) -> list[str]:
    """Give the document's empty fields these values and add the citizen IDs it lacks.

    A field that has a value (perhaps the clerk's correction) is never
    overwritten. Each field that changes gets its own audit row (field, old,
    new). Returns the names of the fields that changed.
    """
    conn = session.conn
    cols = ", ".join(DOCUMENT_FIELDS)
    row = conn.execute(f"SELECT {cols}, citizen_ids FROM document WHERE id = ?",
                       (doc_id,)).fetchone()
    changes: dict[str, tuple[Any, Any]] = {
        name: (None, values[name]) for i, name in enumerate(DOCUMENT_FIELDS)
        if row[i] is None and values.get(name)}
    old_ids = json.loads(row[-1])
    ids = list(dict.fromkeys([*old_ids, *citizen_ids]))
    if ids != old_ids:
        changes["citizen_ids"] = (json.dumps(old_ids), json.dumps(ids))
    if not changes:
        return []
    sets = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE document SET {sets}, updated_at = ?, updated_by = ? WHERE id = ?",
                 (*(new for _, new in changes.values()), audit.now(), session.user.id, doc_id))
    for name, (old, new) in changes.items():
        audit.append(conn, session.user.name, "document.update", object_type="document",
                     object_id=doc_id, field=name, old=old, new=new, detail=detail)
    return list(changes)


def page_texts(conn: db.Connection, doc_id: int) -> list[PageText]:
    """The stored words of the document's kept, non-blank pages, as extraction reads them."""
    found = []
    for r in conn.execute("SELECT words, width, height, dpi FROM page WHERE document_id = ?"
                          " AND deleted = 0 AND blank = 0 ORDER BY ordinal", (doc_id,)):
        found.append(_page_text(json.loads(r[0]), int(r[1] or 0), int(r[2] or 0),
                                int(r[3] or 300)))
    return found
