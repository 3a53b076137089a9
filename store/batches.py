"""Batches: a clerk's unit of work, reviewed as a whole by a supervisor.

States: open -> submitted -> approved (queued for sync) or rejected (back to
the clerk with a reason) -> submitted again. Every transition is audited.

A clerk may rename a batch while it is hers to change (open or sent back), and
delete it while it was never submitted (open): see :func:`delete_batch` for why
no later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from store import audit, db, trust
from store.errors import Conflict, NotFound, UsageError
from store.messages import say
from store.roles import Perm, User, require
from store.session import Session

_SELECT = (
    "SELECT b.id, b.name, b.state, u.name, b.reject_reason, b.created_at, b.submitted_at,"
    " r.name, b.reviewed_at,"
    " (SELECT count(*) FROM dossier d WHERE d.batch_id = b.id),"
    " (SELECT count(*) FROM document x JOIN dossier d ON d.id = x.dossier_id"
    "   WHERE d.batch_id = b.id),"
    " (SELECT count(*) FROM page p JOIN document x ON x.id = p.document_id"
    "   JOIN dossier d ON d.id = x.dossier_id WHERE d.batch_id = b.id AND p.deleted = 0)"
    " FROM batch b JOIN user u ON u.id = b.owner_id LEFT JOIN user r ON r.id = b.reviewed_by"
)


@dataclass(frozen=True)
class BatchInfo:
    id: int
    name: str
    state: str
    owner: str
    reject_reason: str | None
    created_at: str
    submitted_at: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    dossiers: int
    documents: int
    pages: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class BatchLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def owner(self) -> str: ...


@dataclass(frozen=True)
class BatchRef:
    """Just what permission checks need: cheap to load on every write."""

    id: int
    name: str
    state: str
    owner: str


def batch_ref(session: Session, *, batch_id: int | None = None,
              dossier_id: int | None = None) -> BatchRef:
    where, params = visible_clause(session.user)
    if dossier_id is not None:
        key = "b.id = (SELECT batch_id FROM dossier WHERE id = ?)"
        value = dossier_id
    else:
        key, value = "b.id = ?", batch_id or 0
    row = session.conn.execute(
        "SELECT b.id, b.name, b.state, u.name FROM batch b JOIN user u ON u.id = b.owner_id"
        f" WHERE {key} AND {where}", (value, *params)).fetchone()
    if row is None:
        raise NotFound(say("store.batch_not_visible",
                           "That batch does not exist or is not yours to see."))
    return BatchRef(int(row[0]), str(row[1]), str(row[2]), str(row[3]))


def _info(row: Any) -> BatchInfo:
    return BatchInfo(*row)


def visible_clause(user: User, alias: str = "b") -> tuple[str, tuple[Any, ...]]:
    """Clerks see their own batches; supervisors see all; admins see none."""
    if user.can(Perm.VIEW_ALL):
        return "1", ()
    if user.can(Perm.CAPTURE):
        return f"{alias}.owner_id = ?", (user.id,)
    return "0", ()


def list_batches(session: Session, state: str | None = None) -> list[BatchInfo]:
    if not (session.user.can(Perm.VIEW_ALL) or session.user.can(Perm.CAPTURE)):
        require(session.user, Perm.VIEW_ALL)
    where, params = visible_clause(session.user)
    sql = f"{_SELECT} WHERE {where}"
    if state:
        sql += " AND b.state = ?"
        params = (*params, state)
    return [_info(r) for r in db.rows(session.conn, sql + " ORDER BY b.id", params)]


def get_batch(session: Session, name: str) -> BatchInfo:
    where, params = visible_clause(session.user)
    found = db.rows(session.conn, f"{_SELECT} WHERE b.name = ? AND {where}", (name, *params))
    if not found:
        raise NotFound(say("store.batch_not_found",
                           "There is no batch named {name!r} that you can see.",
                           name=name))
    return _info(found[0])


def create_batch(session: Session, name: str) -> BatchInfo:
    require(session.user, Perm.CAPTURE)
    name = name.strip()
    if not name or len(name) > 120:
        raise UsageError(say("store.batch_name_length", "A batch name is 1 to 120 characters."))
    ts = audit.now()
    with db.transaction(session.conn) as conn:
        if conn.execute("SELECT 1 FROM batch WHERE name = ?", (name,)).fetchone():
            raise Conflict(say("store.batch_exists",
                               "A batch named {name!r} already exists.",
                               name=name))
        uid = session.user.id
        conn.execute(
            "INSERT INTO batch (name, owner_id, created_at, created_by, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?)", (name, uid, ts, uid, ts, uid))
        audit.append(conn, session.user.name, "batch.create", object_type="batch", object_id=name)
    return get_batch(session, name)


EDITABLE_STATES = ("open", "rejected")


def default_batch_name(user_name: str, own: Mapping[str, str], today: date | None = None) -> str:
    """Today's batch for a clerk who named none: ``Lô 2024-03-05 lan``.

    ``own`` maps the names of this clerk's batches to their states. The clerk's
    name keeps two clerks from meeting on one name; once today's batch was
    submitted, the next capture goes to ``… (2)``, then ``(3)``.
    """
    base = f"Lô {(today or date.today()).isoformat()} {user_name}"
    n = 1
    while True:
        name = base if n == 1 else f"{base} ({n})"
        if own.get(name, "open") in EDITABLE_STATES:
            return name
        n += 1


def default_batch(session: Session) -> str:
    """:func:`default_batch_name` for the session's clerk."""
    rows = db.rows(session.conn, "SELECT name, state FROM batch WHERE owner_id = ?",
                   (session.user.id,))
    return default_batch_name(session.user.name, {str(r[0]): str(r[1]) for r in rows})


def get_or_create_batch(session: Session, name: str) -> BatchInfo:
    """The batch ``name``, made if it does not exist yet.

    Two captures started at once into a new batch both find it missing; the one that
    loses the race to make it takes the one just made (if the user may see it)."""
    try:
        batch = get_batch(session, name)
    except NotFound:
        try:
            return create_batch(session, name)
        except Conflict:
            batch = get_batch(session, name)  # made by the other capture a moment ago
    ensure_editable(session, batch)
    return batch


def ensure_editable(session: Session, batch: BatchLike) -> None:
    """Only the owning clerk edits, and only while the batch is open or sent back."""
    require(session.user, Perm.CAPTURE)
    if batch.owner != session.user.name:
        raise Conflict(say("store.batch_not_owner",
                           "Batch {name!r} belongs to {owner}.",
                           name=batch.name, owner=batch.owner))
    if batch.state not in EDITABLE_STATES:
        raise Conflict(say("store.batch_locked",
                           "Batch {name!r} is {state} and can no longer be changed.",
                           name=batch.name, state=batch.state))


def submit(session: Session, name: str) -> BatchInfo:
    batch = get_batch(session, name)
    ensure_editable(session, batch)
    if batch.documents == 0:
        raise Conflict(say("store.batch_empty",
                           "Batch {name!r} has no documents to submit.",
                           name=name))
    return _transition(session, batch, "submitted", "batch.submit",
                       extra="submitted_at = :ts, reject_reason = NULL")


def approve(session: Session, name: str) -> BatchInfo:
    trust.require_verified(session, Perm.REVIEW)
    batch = get_batch(session, name)
    _require_state(batch, "submitted")
    return _transition(session, batch, "approved", "batch.approve",
                       extra="reviewed_by = :uid, reviewed_at = :ts")


def reject(session: Session, name: str, reason: str) -> BatchInfo:
    trust.require_verified(session, Perm.REVIEW)
    if not reason.strip():
        raise UsageError(say("store.send_back_reason",
                             "Say why the batch is sent back (--reason)."))
    batch = get_batch(session, name)
    _require_state(batch, "submitted")
    return _transition(session, batch, "rejected", "batch.reject",
                       extra="reviewed_by = :uid, reviewed_at = :ts, reject_reason = :reason",
                       reason=reason.strip())


def _require_state(batch: BatchInfo, state: str) -> None:
    if batch.state != state:
        raise Conflict(say("store.batch_wrong_state",
                           "Batch {name!r} is {state}, not {want}.",
                           name=batch.name, state=batch.state, want=state))


def _transition(
    session: Session, batch: BatchInfo, state: str, action: str, *, extra: str,
    reason: str | None = None,
) -> BatchInfo:
    params = {"state": state, "ts": audit.now(), "uid": session.user.id, "id": batch.id,
              "old": batch.state, "reason": reason}
    with db.transaction(session.conn) as conn:
        changed = conn.execute(
            f"UPDATE batch SET state = :state, updated_at = :ts, updated_by = :uid, {extra}"
            " WHERE id = :id AND state = :old", params).rowcount
        if changed != 1:
            raise Conflict(say("store.batch_changed",
                               "Batch {name!r} was changed by someone else; look again.",
                               name=batch.name))
        audit.append(conn, session.user.name, action, object_type="batch",
                     object_id=batch.name, field="state", old=batch.state, new=state,
                     detail={"reason": reason} if reason else None)
    return get_batch(session, batch.name)


def rename_batch(session: Session, name: str, new_name: str) -> BatchInfo:
    """Give the clerk's batch a better name (a typed path, a typo); audited old -> new.

    Only while the batch is the clerk's to change: once submitted, the supervisor
    and the audit log know it by its name."""
    batch = get_batch(session, name)
    ensure_editable(session, batch)
    new_name = new_name.strip()
    if not new_name or len(new_name) > 120:
        raise UsageError(say("store.batch_name_length", "A batch name is 1 to 120 characters."))
    if new_name == batch.name:
        return batch
    with db.transaction(session.conn) as conn:
        if conn.execute("SELECT 1 FROM batch WHERE name = ?", (new_name,)).fetchone():
            raise Conflict(say("store.batch_exists",
                               "A batch named {name!r} already exists.",
                               name=new_name))
        changed = conn.execute(
            "UPDATE batch SET name = ?, updated_at = ?, updated_by = ? WHERE id = ? AND name = ?"
            " AND state = ?", (new_name, audit.now(), session.user.id, batch.id, batch.name,
                               batch.state)).rowcount
        if changed != 1:
            raise Conflict(say("store.batch_changed",
                               "Batch {name!r} was changed by someone else; look again.",
                               name=batch.name))
        audit.append(conn, session.user.name, "batch.rename", object_type="batch",
                     object_id=new_name, field="name", old=batch.name, new=new_name)
    return get_batch(session, new_name)


def delete_batch(session: Session, name: str, *, with_documents: bool = False) -> BatchInfo:
    """Delete a batch the clerk made by mistake; returns what it held.

    Why only an open batch: a submitted or approved one is the supervisor's
    evidence (and may be on its way to the warehouse); a batch sent back is
    awaited again by the supervisor, who named what to fix. An open batch that
    holds documents goes only when the clerk said so (``with_documents``): a
    wrong folder imported into a new batch is the usual case, and re-capturing
    it is cheaper than finding it weeks later. The audit row keeps the counts
    and dossier codes; the deleted pages' images leave the store at once when
    nothing else uses them.
    """
    batch = get_batch(session, name)
    ensure_editable(session, batch)
    if batch.state != "open":
        raise Conflict(say("store.batch_sent_back_delete",
                           "Batch {name!r} was sent back for corrections; correct and submit it "
                           "again instead of deleting it.",
                           name=batch.name))
    if batch.documents and not with_documents:
        raise Conflict(say("store.batch_delete_documents",
                           "Batch {name!r} holds {documents} documents; delete them with it only "
                           "on purpose (--with-documents).",
                           name=batch.name, documents=batch.documents))
    with db.transaction(session.conn) as conn:
        codes = [str(r[0]) for r in conn.execute(
            "SELECT file_code FROM dossier WHERE batch_id = ? ORDER BY id", (batch.id,))]
        used = _delete_contents(conn, batch.id)
        changed = conn.execute("DELETE FROM batch WHERE id = ? AND state = 'open'",
                               (batch.id,)).rowcount
        if changed != 1:
            raise Conflict(say("store.batch_changed",
                               "Batch {name!r} was changed by someone else; look again.",
                               name=batch.name))
        _drop_unused_blobs(conn, used)
        audit.append(conn, session.user.name, "batch.delete", object_type="batch",
                     object_id=batch.name, field="state", old=batch.state, new=None,
                     detail={"dossiers": codes, "documents": batch.documents,
                             "pages": batch.pages})
    return batch


_DOCS_OF_BATCH = "SELECT x.id FROM document x JOIN dossier d ON d.id = x.dossier_id" \
    " WHERE d.batch_id = ?"


def _delete_contents(conn: db.Connection, batch_id: int) -> set[str]:
    """Pages, documents, their index entries and dossiers of a batch; returns the blobs used."""
    from store import search  # search imports this module (visible_clause)

    doc_ids = [int(r[0]) for r in conn.execute(_DOCS_OF_BATCH, (batch_id,))]
    used: set[str] = set()
    for doc_id in doc_ids:
        for row in conn.execute(
                "SELECT image_sha256, clean_sha256 FROM page WHERE document_id = ?", (doc_id,)):
            used.update(str(v) for v in row if v)
        for row in conn.execute("SELECT pdf_sha256, source_sha256 FROM document WHERE id = ?",
                                (doc_id,)):
            used.update(str(v) for v in row if v)
        conn.execute("DELETE FROM page WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM source_claim WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM document WHERE id = ?", (doc_id,))
        search.reindex_document(conn, doc_id)  # removes its index entry (or its queue row)
    conn.execute("DELETE FROM source_claim WHERE batch_id = ?", (batch_id,))
    conn.execute("DELETE FROM dossier WHERE batch_id = ?", (batch_id,))
    return used


def _drop_unused_blobs(conn: db.Connection, shas: set[str]) -> None:
    """Remove the deleted rows' blobs that no other page or document uses."""
    for sha in sorted(shas):
        if conn.execute(
                "SELECT EXISTS (SELECT 1 FROM page WHERE image_sha256 = ?1 OR clean_sha256 = ?1)"
                " OR EXISTS (SELECT 1 FROM document WHERE pdf_sha256 = ?1"
                " OR source_sha256 = ?1)", (sha,)).fetchone()[0]:
            continue
        conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?", (sha,))
        conn.execute("DELETE FROM blob WHERE sha256 = ?", (sha,))
