"""Dossiers, documents and pages: create, read (audited), correct (audited).

Every read of a document by a person is logged (Nghị định 13/2023 asks who saw
personal data); every field change records old and new values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, BinaryIO

import sqlcipher3

from store import audit, blobs, db, search
from store.batches import (
    BatchInfo,
    BatchRef,
    batch_ref,
    ensure_editable,
    visible_clause,
)
from store.errors import BadInput, Conflict, NotFound
from store.messages import say
from store.roles import Perm, require
from store.session import Session

DOCUMENT_FIELDS = (
    "type_name", "code_number", "code_notation", "issued_date", "organ_name", "subject",
    "signer_position", "signer_name",
)
DOSSIER_FIELDS = (
    "file_code", "paper_file_code", "title", "maintenance", "mode", "language",
    "start_date", "end_date", "description",
)
MAINTENANCE_CODES = ("01", "02", "03", "04", "05", "06", "07")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PageInput:
    """A page as capture hands it to the store.

    Either ``image`` (encoded bytes or a stream) or ``image_sha256`` of a blob the
    capture pipeline already stored (so a 300-page document never sits in memory).
    """

    image: bytes | BinaryIO | None
    mime: str
    dpi: int | None = None
    width: int | None = None
    height: int | None = None
    rotation: int = 0
    skew_angle: float = 0.0
    blank: bool = False
    ocr_status: str = "pending"
    ocr_error: str | None = None
    ocr_text: str = ""
    words: Sequence[Sequence[Any]] = ()
    image_sha256: str | None = None
    clean_sha256: str | None = None  # the cleaned image the words were measured on (0004)


@dataclass(frozen=True)
class PageView:
    id: int
    ordinal: int
    image_sha256: str
    dpi: int | None
    width: int | None
    height: int | None
    rotation: int
    skew_angle: float
    blank: bool
    deleted: bool
    ocr_status: str
    ocr_error: str | None
    ocr_text: str


@dataclass(frozen=True)
class DocumentView:
    id: int
    dossier_id: int
    file_code: str
    batch: str
    ordinal: int
    metadata: dict[str, str | None]
    citizen_ids: list[str]
    page_count: int
    checked: bool
    source: str | None
    pdf_sha256: str | None
    extraction: dict[str, Any]
    pages: list[PageView] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- validation ------------------------------------------------------------------

def validate_field(name: str, value: str | None) -> str | None:
    """Check one field; raise BadInput with a sentence a clerk understands."""
    if value is None:
        return None
    value = " ".join(value.split())
    if value == "":
        return None
    if name in ("issued_date", "start_date", "end_date"):
        _check_date(name, value)
    if name == "maintenance" and value not in MAINTENANCE_CODES:
        raise BadInput(say("store.field_not_in_list",
                           "{field} must be one of {codes} (got {value!r}).",
                           field=name, codes=', '.join(MAINTENANCE_CODES), value=value))
    if len(value) > 2000:
        raise BadInput(say("store.field_too_long",
                           "{field} is longer than 2000 characters.",
                           field=name))
    return value


def _check_date(name: str, value: str) -> None:
    if not _ISO_DATE.match(value):
        raise BadInput(say("store.field_date_format",
                           "{field} must be a date written YYYY-MM-DD (got {value!r}).",
                           field=name, value=value))
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise BadInput(say("store.field_date_not_real",
                           "{field}: {value!r} is not a real date.",
                           field=name, value=value)) from exc


# -- creating ------------------------------------------------------------------------

def add_dossier(
    session: Session,
    batch: BatchRef | BatchInfo,
    file_code: str,
    title: str = "",
    **fields: str | None,
) -> int:
    ensure_editable(session, batch)
    values = {k: validate_field(k, v) for k, v in fields.items() if k in DOSSIER_FIELDS}
    values.update(file_code=validate_field("file_code", file_code), title=title.strip())
    if not values["file_code"]:
        raise BadInput(say("store.dossier_needs_code", "A dossier needs a file code (mã hồ sơ)."))
    ts, uid = audit.now(), session.user.id
    with db.transaction(session.conn) as conn:
        if conn.execute("SELECT 1 FROM dossier WHERE file_code = ?",
                        (values["file_code"],)).fetchone():
            raise Conflict(say("store.dossier_exists",
                               "A dossier with file code {file_code!r} already exists.",
                               file_code=values['file_code']))
        cols = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cur = conn.execute(
            f"INSERT INTO dossier (batch_id, {cols}, created_at, created_by, updated_at,"
            f" updated_by) VALUES (?, {marks}, ?, ?, ?, ?)",
            (batch.id, *values.values(), ts, uid, ts, uid))
        dossier_id = int(cur.lastrowid or 0)
        audit.append(conn, session.user.name, "dossier.create", object_type="dossier",
                     object_id=values["file_code"], detail={"batch": batch.name})
    return dossier_id


def drop_empty_dossier(session: Session, dossier_id: int) -> bool:
    """Remove a dossier that holds no document (audited); False if it holds one.

    A capture makes a dossier for its document first; when another capture stored the
    same file a moment earlier, the document is refused and the dossier would stay
    empty in the batch (issue 12's audit: 12 dossiers for 6 documents).
    """
    with db.transaction(session.conn) as conn:
        row = conn.execute("SELECT file_code FROM dossier WHERE id = ?", (dossier_id,)).fetchone()
        if row is None or conn.execute("SELECT 1 FROM document WHERE dossier_id = ? LIMIT 1",
                                       (dossier_id,)).fetchone():
            return False
        conn.execute("DELETE FROM dossier WHERE id = ?", (dossier_id,))
        audit.append(conn, session.user.name, "dossier.delete", object_type="dossier",
                     object_id=str(row[0]), detail={"reason": "empty after a duplicate"})
    return True


def find_dossier(session: Session, file_code: str) -> tuple[int, BatchRef] | None:
    row = session.conn.execute("SELECT id FROM dossier WHERE file_code = ?",
                               (file_code,)).fetchone()
    if row is None:
        return None
    return int(row[0]), batch_ref(session, dossier_id=int(row[0]))


def add_document(
    session: Session,
    dossier_id: int,
    pages: Sequence[PageInput],
    metadata: Mapping[str, str | None] | None = None,
    *,
    citizen_ids: Sequence[str] = (),
    extraction: Mapping[str, Any] | None = None,
    source: str | None = None,
    source_sha256: str | None = None,
    pdf: BinaryIO | None = None,
    source_part: int = 0,
) -> int:
    """Store one document with its pages (and its PDF/A) in a single transaction."""
    batch = _batch_of_dossier(session, dossier_id)
    ensure_editable(session, batch)
    meta = {k: validate_field(k, (metadata or {}).get(k)) for k in DOCUMENT_FIELDS}
    ts, uid = audit.now(), session.user.id
    chunk = session.settings.blob_chunk_size
    with db.transaction(session.conn) as conn:
        ordinal = int(conn.execute(
            "SELECT coalesce(max(ordinal), 0) + 1 FROM document WHERE dossier_id = ?",
            (dossier_id,)).fetchone()[0])
        cur = conn.execute(
            f"INSERT INTO document (dossier_id, ordinal, {', '.join(meta)}, citizen_ids,"
            " page_count, source, source_sha256, extraction, created_at, created_by,"
            f" updated_at, updated_by) VALUES (?, ?, {', '.join('?' * len(meta))},"
            " ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (dossier_id, ordinal, *meta.values(), json.dumps(list(citizen_ids)),
             sum(1 for p in pages if not p.blank), source, source_sha256,
             json.dumps(extraction or {}, ensure_ascii=False), ts, uid, ts, uid))
        doc_id = int(cur.lastrowid or 0)
        if source_sha256:
            _claim_source(conn, batch.id, (source_sha256, source_part), doc_id, source)
        for number, page in enumerate(pages, start=1):
            _insert_page(conn, doc_id, number, page, ts, uid, chunk)
        if pdf is not None:
            pdf_sha = blobs.put_blob(conn, pdf, "application/pdf", chunk=chunk)
            conn.execute("UPDATE document SET pdf_sha256 = ? WHERE id = ?", (pdf_sha, doc_id))
        _refresh_dossier_totals(conn, dossier_id)
        search.queue_new_document(conn, doc_id)
        audit.append(conn, session.user.name, "document.create", object_type="document",
                     object_id=doc_id, detail={"pages": len(pages), "source": source})
    return doc_id


def _claim_source(conn: db.Connection, batch_id: int, part: tuple[str, int], doc_id: int,
                  source: str | None) -> None:
    """One document per source file part per batch (migration 0006), even for two captures
    running at once: the second one's transaction is refused here and rolled back.
    ``part`` is the file's SHA-256 and the index of the document's first page in it."""
    sha, first_page = part
    try:
        conn.execute("INSERT INTO source_claim (batch_id, source_sha256, part, document_id)"
                     " VALUES (?, ?, ?, ?)", (batch_id, sha, first_page, doc_id))
    except sqlcipher3.IntegrityError:
        row = conn.execute("SELECT document_id FROM source_claim WHERE batch_id = ? AND"
                           " source_sha256 = ? AND part = ?",
                           (batch_id, sha, first_page)).fetchone()
        raise Conflict(say("store.document_duplicate",
                           "{source} is already stored in this batch as document {document}.",
                           source=source or 'This file', document=row[0] if row else '?')) from None


def _insert_page(
    conn: db.Connection, doc_id: int, ordinal: int, page: PageInput, ts: str, uid: int,
    chunk: int,
) -> None:
    if page.image_sha256 is not None:
        sha = page.image_sha256
    elif page.image is not None:
        sha = blobs.put_blob(conn, page.image, page.mime, chunk=chunk)
    else:
        raise BadInput(say("store.page_no_image", "Page {ordinal} has no image.", ordinal=ordinal))
    conn.execute(
        "INSERT INTO page (document_id, ordinal, image_sha256, clean_sha256, sha256, dpi, width,"
        " height, rotation, skew_angle, blank, ocr_status, ocr_error, ocr_text, words,"
        " created_at, created_by, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, ordinal, sha, page.clean_sha256, sha, page.dpi, page.width, page.height,
         page.rotation,
         page.skew_angle, int(page.blank), page.ocr_status, page.ocr_error, page.ocr_text,
         json.dumps([list(w) for w in page.words], ensure_ascii=False), ts, uid, ts, uid))


def _refresh_dossier_totals(conn: db.Connection, dossier_id: int) -> None:
    conn.execute(
        "UPDATE dossier SET page_total = (SELECT count(*) FROM page p JOIN document d"
        " ON d.id = p.document_id WHERE d.dossier_id = ? AND p.deleted = 0 AND p.blank = 0)"
        " WHERE id = ?", (dossier_id, dossier_id))


def find_by_source(session: Session, source_sha256: str) -> int | None:
    """The document already made from this exact file, if any (ingest dedup)."""
    row = session.conn.execute(
        "SELECT id FROM document WHERE source_sha256 = ? ORDER BY id LIMIT 1", (source_sha256,)
    ).fetchone()
    return int(row[0]) if row else None


# -- reading ---------------------------------------------------------------------------

def _batch_of_dossier(session: Session, dossier_id: int) -> BatchRef:
    return batch_ref(session, dossier_id=dossier_id)


def _document_row(session: Session, doc_id: int) -> Any:
    where, params = visible_clause(session.user)
    row = session.conn.execute(
        "SELECT x.id, x.dossier_id, d.file_code, b.name, x.ordinal,"
        f" {', '.join('x.' + f for f in DOCUMENT_FIELDS)}, x.citizen_ids, x.page_count,"
        " x.checked, x.source, x.pdf_sha256, x.extraction"
        " FROM document x JOIN dossier d ON d.id = x.dossier_id JOIN batch b"
        f" ON b.id = d.batch_id WHERE x.id = ? AND {where}", (doc_id, *params)).fetchone()
    if row is None:
        raise NotFound(say("store.document_not_found",
                           "There is no document {doc_id} that you can see.",
                           doc_id=doc_id))
    return row


def get_document(session: Session, doc_id: int, *, audit_open: bool = True) -> DocumentView:
    """Read a document with its pages' text; the opening is audited."""
    if not (session.user.can(Perm.VIEW_ALL) or session.user.can(Perm.CAPTURE)):
        require(session.user, Perm.VIEW_ALL)
    row = _document_row(session, doc_id)
    n = len(DOCUMENT_FIELDS)
    metadata = dict(zip(DOCUMENT_FIELDS, row[5 : 5 + n], strict=True))
    rest = row[5 + n :]
    pages = [
        PageView(int(r[0]), int(r[1]), str(r[2]), r[3], r[4], r[5], int(r[6]), float(r[7]),
                 bool(r[8]), bool(r[9]), str(r[10]), r[11], str(r[12]))
        for r in session.conn.execute(
            "SELECT id, ordinal, image_sha256, dpi, width, height, rotation, skew_angle,"
            " blank, deleted, ocr_status, ocr_error, ocr_text FROM page"
            " WHERE document_id = ? ORDER BY ordinal", (doc_id,))
    ]
    view = DocumentView(
        id=int(row[0]), dossier_id=int(row[1]), file_code=str(row[2]), batch=str(row[3]),
        ordinal=int(row[4]), metadata=metadata, citizen_ids=json.loads(rest[0]),
        page_count=int(rest[1]), checked=bool(rest[2]), source=rest[3], pdf_sha256=rest[4],
        extraction=json.loads(rest[5]), pages=pages)
    if audit_open:
        with db.transaction(session.conn) as conn:
            audit.append(conn, session.user.name, "document.open", object_type="document",
                         object_id=doc_id)
    return view


def page_words(session: Session, page_id: int) -> list[list[Any]]:
    row = session.conn.execute("SELECT document_id, words FROM page WHERE id = ?",
                               (page_id,)).fetchone()
    if row is None:
        raise NotFound(say("store.page_not_found", "There is no page {page_id}.", page_id=page_id))
    _document_row(session, int(row[0]))
    return list(json.loads(row[1]))


# -- correcting ------------------------------------------------------------------------

def update_document(
    session: Session, doc_id: int, changes: Mapping[str, str | None]
) -> DocumentView:
    """Correct metadata fields; each changed field gets its own audit row."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise BadInput(say("store.unknown_document_fields",
                           "Unknown document field(s): {fields}.",
                           fields=', '.join(sorted(unknown))))
    current = get_document(session, doc_id, audit_open=False)
    ensure_editable(session, batch_ref(session, dossier_id=current.dossier_id))
    new = {k: validate_field(k, v) for k, v in changes.items()}
    ts = audit.now()
    with db.transaction(session.conn) as conn:
        for name, value in new.items():
            old = current.metadata.get(name)
            if value == old:
                continue
            conn.execute(f"UPDATE document SET {name} = ?, updated_at = ?, updated_by = ?"
                         " WHERE id = ?", (value, ts, session.user.id, doc_id))
            audit.append(conn, session.user.name, "document.update", object_type="document",
                         object_id=doc_id, field=name, old=old, new=value)
        search.reindex_document(conn, doc_id)
    return get_document(session, doc_id, audit_open=False)


def set_checked(session: Session, doc_id: int, checked: bool = True) -> None:
    current = get_document(session, doc_id, audit_open=False)
    ensure_editable(session, batch_ref(session, dossier_id=current.dossier_id))
    with db.transaction(session.conn) as conn:
        conn.execute("UPDATE document SET checked = ?, updated_at = ?, updated_by = ?"
                     " WHERE id = ?", (int(checked), audit.now(), session.user.id, doc_id))
        audit.append(conn, session.user.name, "document.check", object_type="document",
                     object_id=doc_id, field="checked", old=current.checked, new=checked)


def update_dossier(session: Session, dossier_id: int, changes: Mapping[str, str | None]) -> None:
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise BadInput(say("store.unknown_dossier_fields",
                           "Unknown dossier field(s): {fields}.",
                           fields=', '.join(sorted(unknown))))
    batch = _batch_of_dossier(session, dossier_id)
    ensure_editable(session, batch)
    cols = ", ".join(DOSSIER_FIELDS)
    row = session.conn.execute(f"SELECT {cols} FROM dossier WHERE id = ?",
                               (dossier_id,)).fetchone()
    old_values = dict(zip(DOSSIER_FIELDS, row, strict=True))
    ts = audit.now()
    with db.transaction(session.conn) as conn:
        for name, value in changes.items():
            value = validate_field(name, value)
            if value == old_values[name]:
                continue
            conn.execute(f"UPDATE dossier SET {name} = ?, updated_at = ?, updated_by = ?"
                         " WHERE id = ?", (value, ts, session.user.id, dossier_id))
            audit.append(conn, session.user.name, "dossier.update", object_type="dossier",
                         object_id=old_values["file_code"], field=name,
                         old=old_values[name], new=value)
        for doc_id, in conn.execute("SELECT id FROM document WHERE dossier_id = ?",
                                    (dossier_id,)).fetchall():
            search.reindex_document(conn, int(doc_id))


def set_pdf(session: Session, doc_id: int, pdf: bytes | BinaryIO) -> str:
    """Attach the document's two-layer PDF/A (stored encrypted like everything else)."""
    current = get_document(session, doc_id, audit_open=False)
    ensure_editable(session, batch_ref(session, dossier_id=current.dossier_id))
    with db.transaction(session.conn) as conn:
        sha = blobs.put_blob(conn, pdf, "application/pdf",
                             chunk=session.settings.blob_chunk_size)
        conn.execute("UPDATE document SET pdf_sha256 = ? WHERE id = ?", (sha, doc_id))
    return sha


def next_file_code(session: Session, agency_code: str, year: int) -> str:
    """The next free mã hồ sơ: ``<agency code>.<year>.<sequence>`` (Thông tư 05/2025).

    E.g. ``000.00.12.H29.2024.07``; the sequence restarts each year per agency.
    """
    prefix = f"{agency_code}.{year}."
    highest = 0
    for (code,) in session.conn.execute(
            "SELECT file_code FROM dossier WHERE file_code LIKE ? || '%'", (prefix,)):
        tail = str(code)[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:02d}"
