"""A batch's gaps: what a clerk has not yet looked at or filled, for the gates and the queue.

Why here: the gate before submit, the gate before approve and the review
queue's counts must agree, and the GUI must not grow its own SQL. The field
rules (which fields are required, what a valid date is) live in ``extract.records``,
a layer above the store, so the caller passes its checker in.

A field's state, the same everywhere:

- *read*: as capture read it; *doubtful* (tinted) when read with a confidence
  below the caller's threshold;
- *corrected*: a person changed it (an audit row ``document.update`` or
  ``dossier.update`` without a ``detail``: fills by a re-read or a merge carry
  one, so they do not count);
- *confirmed*: its document was marked checked.

A tinted field *left* is doubtful, neither corrected nor confirmed. A dossier's
title was taken from its first document's summary at capture, so it inherits
that field's confidence; its code's year was guessed (today's) when the first
document's date was not read.

A clerk who submits a batch with gaps says why; :func:`note_gaps` keeps that
reason (and the counts) in the audit log, where the supervisor's queue reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from store import audit, batches, db
from store.documents import DOCUMENT_FIELDS, DOSSIER_FIELDS, get_document
from store.errors import Conflict
from store.messages import say
from store.session import Session
from store.views import get_dossier


class ProblemLike(Protocol):
    """What ``extract.records.Problem`` offers: a code and whether it blocks saving."""

    @property
    def code(self) -> str: ...

    @property
    def blocking(self) -> bool: ...


# A document a cancel cut short has this before its file's SHA-256 as source_sha256
# (capture.pipeline): it claims no file, so importing the file again is no duplicate.
INCOMPLETE = "incomplete:"

# values, field names -> {field: problem}; ``extract.records.record_problems`` fits.
Checker = Callable[[Mapping[str, str | None], Sequence[str]], Mapping[str, ProblemLike]]


@dataclass(frozen=True)
class Gap:
    """One thing missing: an unchecked document, an empty required field, an invalid value."""

    kind: str  # unchecked | required | invalid | incomplete (a cancel cut its import short)
    dossier_id: int
    file_code: str
    document_id: int | None = None  # None: a dossier field
    ordinal: int | None = None
    field: str | None = None
    code: str | None = None  # the problem's code (invalid values)
    pages_read: int | None = None  # incomplete: pages kept of the file...
    pages_total: int | None = None  # ...and how many it has (None: not known)


@dataclass(frozen=True)
class BatchQuality:
    """What the review queue shows of a batch, and the gate lists."""

    batch: str
    documents: int
    checked: int
    with_gaps: int  # documents with an empty required or invalid field (or dossier field)
    tinted_left: int
    gaps: list[Gap] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.gaps


# -- a field's state -----------------------------------------------------------------------------

def corrected_fields(session: Session, doc_id: int) -> frozenset[str]:
    """The document's fields a person changed (its dossier's are in :func:`dossier_corrected`).

    A field changed and then put back (undone) to the value before the first change, what
    capture read, is not corrected: it shows what capture read, doubts and all."""
    current = get_document(session, doc_id, audit_open=False).metadata  # visibility too
    rows = db.rows(
        session.conn,
        "SELECT field, old_value FROM audit WHERE action = 'document.update'"
        " AND object_type = 'document' AND object_id = ? AND detail IS NULL"
        " AND field IS NOT NULL ORDER BY id", (str(doc_id),))
    before: dict[str, object] = {}
    for name, old in rows:
        before.setdefault(str(name), old)
    return frozenset(name for name, old in before.items() if current.get(name) != old)


def dossier_corrected(session: Session, dossier_id: int) -> frozenset[str]:
    """The dossier's fields a person changed (its audit rows name it by its code, which
    may itself have been corrected: every code it had counts)."""
    codes = _codes_of(session, get_dossier(session, dossier_id).values.get("file_code") or "")
    marks = ",".join("?" * len(codes))
    rows = db.rows(
        session.conn,
        "SELECT DISTINCT field FROM audit WHERE action = 'dossier.update'"
        f" AND object_type = 'dossier' AND object_id IN ({marks}) AND detail IS NULL"
        " AND field IS NOT NULL", tuple(codes))
    return frozenset(str(r[0]) for r in rows)


def _codes_of(session: Session, code: str) -> list[str]:
    """``code`` and the codes it replaced, newest first."""
    codes = [code]
    while len(codes) < 20:
        row = session.conn.execute(
            "SELECT old_value FROM audit WHERE action = 'dossier.update' AND field = 'file_code'"
            " AND new_value = ? ORDER BY id DESC LIMIT 1", (codes[-1],)).fetchone()
        if row is None or row[0] is None or str(row[0]) in codes:
            break
        codes.append(str(row[0]))
    return codes


def dossier_confidence(session: Session, dossier_id: int) -> dict[str, float]:
    """How sure capture was of the dossier fields it filled from its first document."""
    get_dossier(session, dossier_id)  # visibility
    row = session.conn.execute(
        "SELECT extraction FROM document WHERE dossier_id = ? ORDER BY ordinal LIMIT 1",
        (dossier_id,)).fetchone()
    return _dossier_confidence(_confidence(row[0]) if row else {})


def _dossier_confidence(first: Mapping[str, float]) -> dict[str, float]:
    found = {}
    if "subject" in first:
        found["title"] = first["subject"]
    if "issued_date" in first:
        found["file_code"] = first["issued_date"]
    return found


def _confidence(raw: Any) -> dict[str, float]:
    try:
        record = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    values = record.get("confidence", {}) if isinstance(record, dict) else {}
    return {str(k): float(v) for k, v in values.items() if isinstance(v, int | float)}


# -- a batch's gaps ------------------------------------------------------------------------------

def batch_quality(session: Session, batch_name: str, check: Checker, *,
                  doubtful_below: float) -> BatchQuality:
    """Every gap of one batch the session can see, and the counts the review queue shows."""
    batch = batches.get_batch(session, batch_name)
    dossier_rows = db.rows(
        session.conn,
        f"SELECT id, {', '.join(DOSSIER_FIELDS)} FROM dossier WHERE batch_id = ? ORDER BY id",
        (batch.id,))
    gaps: list[Gap] = []
    documents = checked = with_gaps = tinted = 0
    for row in dossier_rows:
        dossier_id = int(row[0])
        values = dict(zip(DOSSIER_FIELDS, row[1:], strict=True))
        code = str(values.get("file_code") or "")
        dossier_gaps = _field_gaps(check, values, DOSSIER_FIELDS,
                                   Gap("required", dossier_id, code))
        gaps += dossier_gaps
        docs = db.rows(
            session.conn,
            f"SELECT id, ordinal, checked, extraction, source_sha256,"
            f" {', '.join(DOCUMENT_FIELDS)}"
            " FROM document WHERE dossier_id = ? ORDER BY ordinal", (dossier_id,))
        first: dict[str, float] = _confidence(docs[0][3]) if docs else {}
        for doc in docs:
            doc_id, is_checked = int(doc[0]), bool(doc[2])
            documents += 1
            checked += is_checked
            here = Gap("required", dossier_id, code, doc_id, int(doc[1]))
            if not is_checked:
                gaps.append(_with(here, kind="unchecked"))
            cut_short = str(doc[4] or "").startswith(INCOMPLETE)
            if cut_short:
                gaps.append(_incomplete(here, doc[3]))
            doc_values = dict(zip(DOCUMENT_FIELDS, doc[5:], strict=True))
            doc_gaps = _field_gaps(check, doc_values, DOCUMENT_FIELDS, here)
            gaps += doc_gaps
            with_gaps += bool(doc_gaps or dossier_gaps or cut_short)
            if not is_checked:
                tinted += _tinted(_confidence(doc[3]), doubtful_below,
                                  corrected_fields(session, doc_id))
        if docs and not all(bool(d[2]) for d in docs):
            tinted += _tinted(_dossier_confidence(first), doubtful_below,
                              dossier_corrected(session, dossier_id))
    return BatchQuality(batch.name, documents, checked, with_gaps, tinted, gaps)


def _incomplete(where: Gap, raw: Any) -> Gap:
    """A document a cancel cut short: listed by every gate until the file is imported whole
    (or the document deleted), so it never passes for whole; checking it does not clear it."""
    try:
        record = json.loads(raw or "{}").get("incomplete") or {}
    except (AttributeError, TypeError, ValueError):
        record = {}
    read, total = record.get("read"), record.get("total")
    return _with(where, kind="incomplete", code="incomplete_import",
                 pages_read=read if isinstance(read, int) else None,
                 pages_total=total if isinstance(total, int) else None)


def _field_gaps(check: Checker, values: Mapping[str, str | None], names: Sequence[str],
                where: Gap) -> list[Gap]:
    found = []
    for name, problem in check(values, names).items():
        if problem.code == "required":
            found.append(_with(where, kind="required", field=name))
        elif problem.blocking:
            found.append(_with(where, kind="invalid", field=name, code=problem.code))
    return found


def _tinted(confidence: Mapping[str, float], below: float, corrected: frozenset[str]) -> int:
    return sum(1 for name, value in confidence.items()
               if value < below and name not in corrected
               and (name in DOCUMENT_FIELDS or name in DOSSIER_FIELDS))


def _with(gap: Gap, **changes: Any) -> Gap:
    values = {**gap.__dict__, **changes}
    return Gap(**values)


# -- submitting with gaps ------------------------------------------------------------------------

def note_gaps(session: Session, batch_name: str, reason: str, found: BatchQuality) -> None:
    """Record why a batch goes to review with gaps (after :func:`batches.submit`)."""
    batch = batches.get_batch(session, batch_name)
    if batch.owner != session.user.name or batch.state != "submitted":
        raise Conflict(say("store.gap_reason_submitter_only",
                           "Only the clerk who submitted batch {name!r} says why it has gaps.",
                           name=batch.name))
    counts = {kind: sum(g.kind == kind for g in found.gaps)
              for kind in ("unchecked", "required", "invalid")}
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "batch.gaps", object_type="batch",
                     object_id=batch.name, field="state", new=batch.state,
                     detail={"reason": reason.strip(), **counts})


def gaps_reason(session: Session, batch_name: str) -> str | None:
    """The reason the clerk gave when submitting this batch with gaps (this submission)."""
    batch = batches.get_batch(session, batch_name)
    if batch.submitted_at is None:
        return None
    row = session.conn.execute(
        "SELECT json_extract(detail, '$.reason') FROM audit WHERE action = 'batch.gaps'"
        " AND object_id = ? AND ts >= ? ORDER BY id DESC LIMIT 1",
        (batch.name, batch.submitted_at)).fetchone()
    return str(row[0]) if row and row[0] else None
