"""What a package says about a dossier, read from the store as plain frozen records.

Everything here is fixed once the batch is approved (approved batches cannot be
edited, the audit log is append-only), which is what makes a package
reproducible: the same dossier gives the same records, hence the same bytes.
Provenance takes only the audit rows that shaped the dossier up to its
approval (creation, corrections, checks, review), never later reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extract import doctypes
from store import db, site
from store.errors import BadInput, Conflict, NotFound
from store.messages import say
from store.roles import Perm, require
from store.session import Session

PROVENANCE_ACTIONS = (
    "dossier.create", "dossier.update", "document.create", "document.update",
    "document.check", "batch.submit", "batch.reject", "batch.approve",
)


@dataclass(frozen=True)
class PageRecord:
    ordinal: int
    image_sha256: str
    dpi: int | None
    width: int | None
    height: int | None
    blank: bool
    words: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    ordinal: int
    type_name: str | None
    code_number: str | None
    code_notation: str | None
    issued_date: str | None
    organ_name: str | None
    subject: str | None
    signer_position: str | None
    signer_name: str | None
    page_count: int
    pdf_sha256: str | None  # the store's key (lower-case hex); None: built from the pages
    created_at: str
    created_by: str
    pages: tuple[PageRecord, ...]
    original_sha256: str | None = None  # a digitally signed source kept byte for byte
    signatures: tuple[dict[str, Any], ...] = ()  # its signatures, as capture read them

    @property
    def type_code(self) -> str | None:
        """The kind's abbreviation from Nghị định 30 Phụ lục III ("QĐ"), if known."""
        kind = doctypes.by_name(self.type_name) if self.type_name else None
        return kind.abbreviation if kind else None


@dataclass(frozen=True)
class ProvenanceEvent:
    id: int
    ts: str
    user: str | None
    action: str
    object_type: str | None
    object_id: str | None
    field: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DossierRecord:
    id: int
    file_code: str
    paper_file_code: str | None
    title: str
    maintenance: str | None
    mode: str | None
    language: str
    start_date: str | None
    end_date: str | None
    description: str | None
    page_total: int
    created_at: str
    created_by: str
    batch_id: int
    batch_name: str
    batch_owner: str
    approved_by: str | None
    approved_at: str
    store_id: str
    station: str
    agency_code: str
    ward_name: str
    archive_name: str  # the archive that keeps the package (site setting; may be empty)
    archive_code: str
    documents: tuple[DocumentRecord, ...]
    events: tuple[ProvenanceEvent, ...]


_DOSSIER_SQL = (
    "SELECT d.id, d.file_code, d.paper_file_code, d.title, d.maintenance, d.mode, d.language,"
    " d.start_date, d.end_date, d.description, d.page_total, d.created_at, cu.name,"
    " b.id, b.name, bo.name, r.name, b.reviewed_at, b.state"
    " FROM dossier d JOIN batch b ON b.id = d.batch_id JOIN user cu ON cu.id = d.created_by"
    " JOIN user bo ON bo.id = b.owner_id LEFT JOIN user r ON r.id = b.reviewed_by"
    " WHERE d.id = ?"
)
_DOCUMENT_SQL = (
    "SELECT x.id, x.ordinal, x.type_name, x.code_number, x.code_notation, x.issued_date,"
    " x.organ_name, x.subject, x.signer_position, x.signer_name, x.page_count, x.pdf_sha256,"
    " x.created_at, u.name, x.extraction FROM document x JOIN user u ON u.id = x.created_by"
    " WHERE x.dossier_id = ? ORDER BY x.ordinal"
)


def load_dossier(session: Session, dossier_id: int) -> DossierRecord:
    """Everything the package of an approved dossier needs (supervisors: Perm.SYNC)."""
    require(session.user, Perm.SYNC)
    conn = session.conn
    row = conn.execute(_DOSSIER_SQL, (dossier_id,)).fetchone()
    if row is None:
        raise NotFound(say("sync.dossier_not_found",
                           "There is no dossier {dossier_id}.",
                           dossier_id=dossier_id))
    if row[18] != "approved" or not row[17]:
        raise Conflict(say("sync.dossier_not_approved",
                           "Dossier {file_code} is in a batch that is {state}, not approved: only "
                           "approved batches are sent.",
                           file_code=row[1], state=row[18]))
    docs = tuple(_document(conn, r) for r in db.rows(conn, _DOCUMENT_SQL, (dossier_id,)))
    if not docs:
        raise BadInput(say("sync.dossier_empty",
                           "Dossier {file_code} has no documents to send.",
                           file_code=row[1]))
    settings = site.load(conn)
    store_id, station = _store_identity(conn)
    return DossierRecord(
        id=int(row[0]), file_code=str(row[1]), paper_file_code=row[2], title=str(row[3]),
        maintenance=row[4], mode=row[5], language=str(row[6] or "vi"), start_date=row[7],
        end_date=row[8], description=row[9], page_total=int(row[10]),
        created_at=str(row[11]), created_by=str(row[12]), batch_id=int(row[13]),
        batch_name=str(row[14]), batch_owner=str(row[15]), approved_by=row[16],
        approved_at=str(row[17]), store_id=store_id, station=station,
        agency_code=settings.agency_code, ward_name=settings.ward_name,
        archive_name=settings.archive_name, archive_code=settings.archive_code, documents=docs,
        events=_events(conn, str(row[1]), str(row[14]), [d.id for d in docs]))


def _signed_original(raw: str | None) -> tuple[str | None, tuple[dict[str, Any], ...]]:
    """The kept original's key and its signatures, from the capture record."""
    try:
        record = json.loads(raw or "{}")
    except ValueError:
        return None, ()
    original = record.get("original") if isinstance(record, dict) else None
    sha = original.get("sha256") if isinstance(original, dict) else None
    sigs = record.get("signature") if isinstance(record, dict) else None
    return (str(sha) if sha else None,
            tuple(s for s in sigs if isinstance(s, dict)) if isinstance(sigs, list) else ())


def _document(conn: db.Connection, row: Any) -> DocumentRecord:
    pages = tuple(
        PageRecord(int(p[0]), str(p[1]), p[2], p[3], p[4], bool(p[5]),
                   tuple(tuple(w) for w in json.loads(p[6])))
        for p in conn.execute(
            "SELECT ordinal, image_sha256, dpi, width, height, blank, words FROM page"
            " WHERE document_id = ? AND deleted = 0 ORDER BY ordinal", (row[0],)))
    original, signatures = _signed_original(row[14])
    return DocumentRecord(
        id=int(row[0]), ordinal=int(row[1]), type_name=row[2], code_number=row[3],
        code_notation=row[4], issued_date=row[5], organ_name=row[6], subject=row[7],
        signer_position=row[8], signer_name=row[9], page_count=int(row[10]),
        pdf_sha256=row[11], created_at=str(row[12]), created_by=str(row[13]), pages=pages,
        original_sha256=original, signatures=signatures)


def _store_identity(conn: db.Connection) -> tuple[str, str]:
    """The store's id and the desk it was created on (stable, unlike a process's setting)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    store_id = str(row[0]) if row else ""
    init = conn.execute(
        "SELECT detail FROM audit WHERE action = 'store.init' ORDER BY id LIMIT 1").fetchone()
    station = ""
    if init and init[0]:
        try:
            station = str(json.loads(init[0]).get("station") or "")
        except (ValueError, AttributeError):
            station = ""
    return store_id, station


def _events(
    conn: db.Connection, file_code: str, batch_name: str, doc_ids: Sequence[int]
) -> tuple[ProvenanceEvent, ...]:
    """These actions cannot happen once the batch is approved, so the list is final."""
    marks = ", ".join("?" * len(doc_ids))
    actions = ", ".join("?" * len(PROVENANCE_ACTIONS))
    rows = db.rows(
        conn,
        "SELECT id, ts, user_name, action, object_type, object_id, field, old_value, new_value"
        f" FROM audit WHERE action IN ({actions}) AND ("
        " (object_type = 'dossier' AND object_id = ?)"
        f" OR (object_type = 'document' AND object_id IN ({marks}))"
        " OR (object_type = 'batch' AND object_id = ?)) ORDER BY id",
        (*PROVENANCE_ACTIONS, file_code, *(str(i) for i in doc_ids), batch_name))
    return tuple(ProvenanceEvent(int(r[0]), str(r[1]), r[2], str(r[3]), r[4], r[5], r[6],
                                 r[7], r[8]) for r in rows)
