"""What a correct record looks like, citizen IDs on a document, and lists with IDs masked.

Why here and not in the form: the correction screen validates *as the clerk
types*, and the same rules must hold whoever calls the store. The store checks
the syntax of each value (``documents.validate_field``); this module adds what
needs the document-type list and the CCCD structure (both in ``ocr``):
required fields, dates not in the future, start before end, the NĐ 30 type
names, identity numbers. Problems are returned as short codes; the face turns
them into sentences in the clerk's language.

Exports are lists for people outside the station's screen (a printed list, a
spreadsheet for the ward office), so every citizen ID in them is masked
("079******270"), in the ID column and anywhere in free text.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from extract.citizen_id import find_citizen_ids, mask, validate_cccd, validate_cmnd
from extract.doctypes import DOC_TYPES
from store import audit, batches, db, documents
from store.errors import BadInput
from store.messages import say
from store.roles import Perm, require
from store.session import Session
from store.views import AuditFilter, audit_log, place_of

REQUIRED_DOCUMENT = ("type_name", "issued_date", "organ_name", "subject")
REQUIRED_DOSSIER = ("file_code", "title", "maintenance")
DATE_FIELDS = ("issued_date", "start_date", "end_date")
TYPE_NAMES = tuple(t.name for t in DOC_TYPES)


@dataclass(frozen=True)
class Problem:
    """A field's problem: ``code`` names it; ``blocking`` ones are not saved."""

    code: str  # required | date_format | date_invalid | date_future | date_order |
    #            maintenance | too_long | type_unknown | id_invalid
    blocking: bool = True


def field_problem(name: str, value: str | None, *, today: date | None = None) -> Problem | None:
    """Check one field's value as the clerk types it (None: fine)."""
    text = " ".join((value or "").split())
    if not text:
        required = name in REQUIRED_DOCUMENT or name in REQUIRED_DOSSIER
        return Problem("required") if required else None
    if name in DATE_FIELDS:
        return _date_problem(text, today or date.today())
    if name == "maintenance" and text not in documents.MAINTENANCE_CODES:
        return Problem("maintenance")
    if name == "type_name" and text not in TYPE_NAMES:
        return Problem("type_unknown", blocking=False)
    if len(text) > 2000:
        return Problem("too_long")
    return None


def _date_problem(text: str, today: date) -> Problem | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Problem("date_format")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return Problem("date_invalid")
    return Problem("date_future") if day > today else None


def record_problems(
    values: Mapping[str, str | None], fields: Sequence[str], *, today: date | None = None
) -> dict[str, Problem]:
    """Every field's problem, plus a dossier's end date before its start date."""
    found = {}
    for name in fields:
        problem = field_problem(name, values.get(name), today=today)
        if problem is not None:
            found[name] = problem
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and "start_date" not in found and "end_date" not in found and end < start:
        found["end_date"] = Problem("date_order")
    return found


def citizen_id_problem(number: str, *, today: date | None = None) -> Problem | None:
    """A CCCD (12 digits, known province, plausible birth year) or a CMND (9 digits)."""
    digits = re.sub(r"[ .\-]", "", number.strip())
    if len(digits) == 12 and validate_cccd(digits, today):
        return None
    if len(digits) == 9 and validate_cmnd(digits):
        return None
    return Problem("id_invalid")


def set_citizen_ids(session: Session, doc_id: int, numbers: Sequence[str]) -> list[str]:
    """Replace a document's citizen IDs (each checked); audited with old and new lists."""
    clean = []
    for number in numbers:
        digits = re.sub(r"[ .\-]", "", number.strip())
        if not digits:
            continue
        if citizen_id_problem(digits) is not None:
            raise BadInput(say("extract.citizen_id_invalid",
                               "{digits} is not a valid CCCD or CMND number.",
                               digits=mask(digits)))
        clean.append(digits)
    clean = list(dict.fromkeys(clean))
    place = place_of(session, doc_id)
    batches.ensure_editable(session, batches.batch_ref(session, dossier_id=place.dossier_id))
    row = session.conn.execute("SELECT citizen_ids FROM document WHERE id = ?",
                               (doc_id,)).fetchone()
    old = json.loads(row[0])
    if old == clean:
        return clean
    with db.transaction(session.conn) as conn:
        conn.execute("UPDATE document SET citizen_ids = ?, updated_at = ?, updated_by = ?"
                     " WHERE id = ?", (json.dumps(clean), audit.now(), session.user.id, doc_id))
        audit.append(conn, session.user.name, "document.update", object_type="document",
                     object_id=doc_id, field="citizen_ids", old=old, new=clean)
    return clean


# -- masking and exports -------------------------------------------------------------------

def mask_ids_in_text(text: str) -> str:
    """Mask every citizen ID found in free text, whatever separators it was written with."""
    for number in find_citizen_ids(text):
        pattern = r"[ .\-]?".join(re.escape(ch) for ch in number)
        text = re.sub(rf"(?<!\d){pattern}(?!\d)", mask(number), text)
    return text


DOCUMENT_COLUMNS = (
    "batch", "file_code", "dossier_title", "ordinal", "type_name", "code_number",
    "code_notation", "issued_date", "organ_name", "subject", "signer_position", "signer_name",
    "citizen_ids", "pages", "checked",
)
AUDIT_COLUMNS = ("id", "ts", "user_name", "action", "object_type", "object_id", "field",
                 "old_value", "new_value", "detail")


def _document_rows(session: Session, batch_id: int | None) -> list[Any]:
    if not (session.user.can(Perm.VIEW_ALL) or session.user.can(Perm.CAPTURE)):
        require(session.user, Perm.VIEW_ALL)
    where, params = batches.visible_clause(session.user)
    sql = ("SELECT b.name, d.file_code, d.title, x.ordinal, x.type_name, x.code_number,"
           " x.code_notation, x.issued_date, x.organ_name, x.subject, x.signer_position,"
           " x.signer_name, x.citizen_ids, x.page_count, x.checked FROM document x"
           " JOIN dossier d ON d.id = x.dossier_id JOIN batch b ON b.id = d.batch_id"
           f" WHERE {where}")
    if batch_id is not None:
        sql += " AND b.id = ?"
        params = (*params, batch_id)
    return db.rows(session.conn, sql + " ORDER BY b.id, d.id, x.ordinal", params)


def export_documents(
    session: Session, out: TextIO, *, batch_id: int | None = None,
    headers: Sequence[str] = DOCUMENT_COLUMNS, file_name: str = "",
    cell: Callable[[str, Any], Any] | None = None,
) -> int:
    """Write the documents the user may see as CSV (UTF-8), citizen IDs masked; audited.

    ``cell(column, value)`` words a value for the reader (the GUI writes dates the
    way its language writes them); without it, values go out as stored (ISO dates)."""
    if len(headers) != len(DOCUMENT_COLUMNS):
        raise BadInput(say("extract.export_headers",
                           "An export needs {n} column headers.",
                           n=len(DOCUMENT_COLUMNS)))
    rows = _document_rows(session, batch_id)
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        ids = " ".join(mask(n) for n in json.loads(r[12]))
        cells = _worded([*r[:12], ids, r[13], "x" if r[14] else ""], DOCUMENT_COLUMNS, cell)
        writer.writerow([mask_ids_in_text(str(c)) if isinstance(c, str) else c for c in cells])
    _audit_export(session, "export.documents", len(rows), file_name, batch_id)
    return len(rows)


def export_audit(
    session: Session, out: TextIO, filters: AuditFilter, *,
    headers: Sequence[str] = AUDIT_COLUMNS, file_name: str = "",
    cell: Callable[[str, Any], Any] | None = None,
) -> int:
    """Write audit rows matching ``filters`` as CSV, citizen IDs masked; audited (``cell``
    as for :func:`export_documents`)."""
    if len(headers) != len(AUDIT_COLUMNS):
        raise BadInput(say("extract.export_headers",
                           "An export needs {n} column headers.",
                           n=len(AUDIT_COLUMNS)))
    entries = audit_log(session, filters)
    writer = csv.writer(out)
    writer.writerow(headers)
    for e in entries:
        cells = _worded([getattr(e, c) for c in AUDIT_COLUMNS], AUDIT_COLUMNS, cell)
        writer.writerow([mask_ids_in_text(c) if isinstance(c, str) else c for c in cells])
    _audit_export(session, "export.audit", len(entries), file_name, None)
    return len(entries)


def _worded(cells: list[Any], columns: Sequence[str],
            cell: Callable[[str, Any], Any] | None) -> list[Any]:
    return cells if cell is None else [cell(c, v) for c, v in zip(columns, cells, strict=True)]


def _audit_export(session: Session, action: str, rows: int, file_name: str,
                  batch_id: int | None) -> None:
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, action, object_type="export",
                     object_id=file_name or None,
                     detail={"rows": rows, "batch": batch_id, "masked": True})
