"""Read-only views the desktop app shows: the work tree, stats, audit filters, sync states.

Why a module of its own: the GUI needs small, cheap, lazily loaded slices of
the store (one batch's dossiers, one dossier's documents) and a few figures
computed from the audit log. Keeping those queries here, typed and tested,
keeps SQL and visibility rules out of the widgets; every function applies the
same visibility rule as the rest of the store (a clerk sees their own batches,
a supervisor all of them, an admin none).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from store import anchor, audit, batches, db, masking, outbox, trust
from store.documents import DOSSIER_FIELDS, DocumentView, get_document
from store.errors import BadInput, NotFound, SohoaError
from store.messages import say
from store.roles import Perm, require
from store.session import Session
from store.textfold import fold, terms


@dataclass(frozen=True)
class DossierRow:
    id: int
    batch_id: int
    file_code: str
    title: str
    documents: int
    unchecked: int


@dataclass(frozen=True)
class DocumentRow:
    id: int
    dossier_id: int
    ordinal: int
    type_name: str | None
    code: str
    subject: str | None
    issued_date: str | None
    checked: bool
    pages: int


@dataclass(frozen=True)
class DossierView:
    id: int
    batch_id: int
    batch: str
    batch_state: str
    owner: str
    values: dict[str, str | None]
    page_total: int


@dataclass(frozen=True)
class Place:
    """Where a document sits in the tree, so the GUI can select it."""

    batch_id: int
    batch: str
    dossier_id: int
    document_id: int


@dataclass(frozen=True)
class HitPlace:
    """The page of a document where a search first matches, and the matching words."""

    page_id: int | None
    ordinal: int | None
    words: tuple[int, ...] = ()  # indexes into the page's words list


@dataclass(frozen=True)
class ClerkDay:
    """One clerk's output on one local day, counted from the audit log."""

    day: str
    user: str
    documents: int
    pages: int
    checked: int
    fields_corrected: int


@dataclass(frozen=True)
class SyncRow:
    """A batch as the sync dashboard shows it.

    ``state`` is the batch's own state; the ``outbox_*`` fields come from the sync
    outbox when one exists (see :func:`outbox_states`), else they stay empty.
    """

    batch_id: int
    name: str
    owner: str
    state: str
    documents: int
    pages: int
    submitted_at: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    reject_reason: str | None
    outbox_state: str | None = None
    progress: float | None = None
    receipt: str | None = None
    last_error: str | None = None
    next_retry: str | None = None


@dataclass(frozen=True)
class OutboxState:
    state: str  # waiting | uploading | sent | acknowledged | failed
    progress: float | None = None
    receipt: str | None = None
    last_error: str | None = None
    next_retry: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    action: str | None = None
    since: str | None = None  # ISO date or time, inclusive
    until: str | None = None  # ISO date (inclusive day) or time (exclusive)
    text: str | None = None  # object id, field or value contains (blind to case and marks)
    limit: int = 500
    # Rows whose action or field the face's words for it match ``text`` (the face owns
    # those words: "phê duyệt" is the GUI's name for batch.approve), also match.
    text_actions: tuple[str, ...] = ()
    text_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditChoices:
    users: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def _require_reader(session: Session) -> None:
    if not (session.user.can(Perm.VIEW_ALL) or session.user.can(Perm.CAPTURE)):
        require(session.user, Perm.VIEW_ALL)


# -- the work tree ------------------------------------------------------------------------

def dossiers(session: Session, batch_id: int) -> list[DossierRow]:
    """The dossiers of one batch, with document and unchecked counts (one query)."""
    _require_reader(session)
    where, params = batches.visible_clause(session.user)
    rows = db.rows(
        session.conn,
        "SELECT d.id, d.batch_id, d.file_code, d.title, count(x.id),"
        " coalesce(sum(x.checked = 0), 0) FROM dossier d JOIN batch b ON b.id = d.batch_id"
        " LEFT JOIN document x ON x.dossier_id = d.id"
        f" WHERE d.batch_id = ? AND {where} GROUP BY d.id ORDER BY d.id",
        (batch_id, *params))
    return [DossierRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]))
            for r in rows]


def documents_of(session: Session, dossier_id: int) -> list[DocumentRow]:
    _require_reader(session)
    where, params = batches.visible_clause(session.user)
    rows = db.rows(
        session.conn,
        "SELECT x.id, x.dossier_id, x.ordinal, x.type_name, x.code_number, x.code_notation,"
        " x.subject, x.issued_date, x.checked, x.page_count FROM document x"
        " JOIN dossier d ON d.id = x.dossier_id JOIN batch b ON b.id = d.batch_id"
        f" WHERE x.dossier_id = ? AND {where} ORDER BY x.ordinal",
        (dossier_id, *params))
    return [_document_row(r) for r in rows]


def _document_row(r: Any) -> DocumentRow:
    code = "/".join(str(v) for v in (r[4], r[5]) if v)
    return DocumentRow(int(r[0]), int(r[1]), int(r[2]), r[3], code, r[6], r[7], bool(r[8]),
                       int(r[9]))


def get_dossier(session: Session, dossier_id: int) -> DossierView:
    """A dossier's fields for the correction form (documents.py only writes them)."""
    _require_reader(session)
    where, params = batches.visible_clause(session.user)
    cols = ", ".join("d." + f for f in DOSSIER_FIELDS)
    row = session.conn.execute(
        f"SELECT d.id, b.id, b.name, b.state, u.name, d.page_total, {cols} FROM dossier d"
        " JOIN batch b ON b.id = d.batch_id JOIN user u ON u.id = b.owner_id"
        f" WHERE d.id = ? AND {where}", (dossier_id, *params)).fetchone()
    if row is None:
        raise NotFound(say("store.dossier_not_visible",
                           "There is no dossier {dossier_id} that you can see.",
                           dossier_id=dossier_id))
    values = dict(zip(DOSSIER_FIELDS, row[6:], strict=True))
    return DossierView(int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4]),
                       values, int(row[5]))


def place_of(session: Session, doc_id: int) -> Place:
    _require_reader(session)
    where, params = batches.visible_clause(session.user)
    row = session.conn.execute(
        "SELECT b.id, b.name, d.id, x.id FROM document x JOIN dossier d ON d.id = x.dossier_id"
        f" JOIN batch b ON b.id = d.batch_id WHERE x.id = ? AND {where}",
        (doc_id, *params)).fetchone()
    if row is None:
        raise NotFound(say("store.document_not_found",
                           "There is no document {doc_id} that you can see.",
                           doc_id=doc_id))
    return Place(int(row[0]), str(row[1]), int(row[2]), int(row[3]))


def can_edit(session: Session, batch: batches.BatchLike) -> bool:
    """Whether the store would accept this user's changes to the batch (the GUI greys out)."""
    try:
        batches.ensure_editable(session, batch)
    except SohoaError:
        return False
    return True


@dataclass(frozen=True)
class OpenedDocument:
    """Everything the correction screen needs for one document, read in one go."""

    document: DocumentView
    dossier: DossierView
    editable: bool
    reject_reason: str | None


def open_document(session: Session, doc_id: int, *, audit_open: bool = True) -> OpenedDocument:
    """Open a document for the correction screen (the opening is audited, not a reload)."""
    view = get_document(session, doc_id, audit_open=audit_open)
    dossier = get_dossier(session, view.dossier_id)
    ref = batches.batch_ref(session, batch_id=dossier.batch_id)
    reason = session.conn.execute("SELECT reject_reason FROM batch WHERE id = ?",
                                  (ref.id,)).fetchone()[0]
    return OpenedDocument(view, dossier, can_edit(session, ref),
                          reason if ref.state == "rejected" else None)


def next_unchecked(session: Session, doc_id: int) -> int | None:
    """The next document of the same batch still to check, in tree order, wrapping round.

    Ctrl+Enter in the correction form marks a document checked and opens this
    one, so a clerk goes through a whole batch without touching the mouse.
    """
    place = place_of(session, doc_id)
    here = session.conn.execute(
        "SELECT dossier_id, ordinal FROM document WHERE id = ?", (doc_id,)).fetchone()
    rows = db.rows(
        session.conn,
        "SELECT x.id, x.dossier_id, x.ordinal FROM document x JOIN dossier d"
        " ON d.id = x.dossier_id WHERE d.batch_id = ? AND x.checked = 0 AND x.id != ?"
        " ORDER BY d.id, x.ordinal", (place.batch_id, doc_id))
    if not rows:
        return None
    current = (int(here[0]), int(here[1]))
    later = [int(r[0]) for r in rows if (int(r[1]), int(r[2])) > current]
    return later[0] if later else int(rows[0][0])


def locate_hit(session: Session, doc_id: int, query: str) -> HitPlace:
    """The first live page whose words match the query, and which words (diacritics ignored).

    A word matches when its folded letters start with one of the query's folded
    tokens, the way the prefix search matched it.
    """
    place_of(session, doc_id)  # visibility
    tokens = [t for group in terms(query) for t in group]
    if not tokens:
        return HitPlace(None, None)
    rows = session.conn.execute(
        "SELECT id, ordinal, words FROM page WHERE document_id = ? AND deleted = 0"
        " ORDER BY ordinal", (doc_id,)).fetchall()
    for page_id, ordinal, words_json in rows:
        hits = tuple(_matching_words(json.loads(words_json), tokens))
        if hits:
            return HitPlace(int(page_id), int(ordinal), hits)
    if rows:
        return HitPlace(int(rows[0][0]), int(rows[0][1]))
    return HitPlace(None, None)


def _matching_words(words: Sequence[Sequence[Any]], tokens: list[str]) -> list[int]:
    found = []
    for index, word in enumerate(words):
        folded = fold(str(word[0])).lower()
        letters = "".join(ch for ch in folded if ch.isalnum())
        if letters and any(letters.startswith(t) for t in tokens):
            found.append(index)
    return found


# -- statistics from the audit log ---------------------------------------------------------

def local_offset() -> timedelta:
    """This station's offset from UTC now (audit times are stored in UTC)."""
    offset = datetime.now().astimezone().utcoffset()
    return offset if offset is not None else timedelta(0)


def clerk_days(
    session: Session, *, since: str | None = None, offset: timedelta | None = None
) -> list[ClerkDay]:
    """Per clerk per local day: documents captured, pages, documents checked, fields corrected.

    Counted from the audit log, which is the one record every change goes
    through, so the figures cannot drift from what actually happened.
    """
    if not session.user.can(Perm.AUDIT):
        require(session.user, Perm.VIEW_ALL)
    shift = f"{int((offset if offset is not None else local_offset()).total_seconds()) // 60:+d}"
    day = f"date(ts, '{shift} minutes')"
    rows = db.rows(
        session.conn,
        f"SELECT {day} AS day, user_name,"
        " sum(action = 'document.create'),"
        " sum(CASE WHEN action = 'document.create'"
        "     THEN coalesce(json_extract(detail, '$.pages'), 0) ELSE 0 END),"
        " sum(action = 'document.check' AND new_value = 'true'),"
        " sum(action IN ('document.update', 'dossier.update'))"
        " FROM audit WHERE user_name IS NOT NULL AND ts >= ? AND action IN"
        " ('document.create', 'document.check', 'document.update', 'dossier.update')"
        " GROUP BY day, user_name ORDER BY day DESC, user_name",
        (since or "",))
    return [ClerkDay(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]))
            for r in rows]


# -- the audit log viewer --------------------------------------------------------------------

def audit_log(session: Session, filters: AuditFilter) -> list[audit.AuditEntry]:
    """Audit rows matching every given filter, newest first (supervisors and admins).

    Who may not read documents (admins) sees citizen IDs in the old and new
    values masked, as in every export: the log is for checking who did what.
    """
    trust.require_verified(session, Perm.AUDIT)
    _check_audit_filter(filters)
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("user_name", filters.user), ("action", filters.action)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if filters.since:
        clauses.append("ts >= ?")
        params.append(filters.since)
    if filters.until:
        until = filters.until
        if len(until) == 10:  # a whole day: everything before the next one
            until = (datetime.fromisoformat(until) + timedelta(days=1)).date().isoformat()
        clauses.append("ts < ?")
        params.append(until)
    if filters.text:
        clauses.append(_text_clause(session, filters, params))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = ("SELECT id, ts, user_name, action, object_type, object_id, field, old_value,"
           f" new_value, detail, prev_hash, hash FROM audit {where} ORDER BY id DESC LIMIT ?")
    found = [audit.AuditEntry(*r) for r in db.rows(session.conn, sql, (*params, filters.limit))]
    if reads_documents(session):
        return found
    return [mask_entry(e) for e in found]


def _text_clause(session: Session, filters: AuditFilter, params: list[Any]) -> str:
    """Object, field or values contain the text, folded as search folds (``phe duyet``
    finds ``phê duyệt``); or the action or field is one the face's words matched."""
    session.conn.create_function("sohoa_fold", 1, lambda v: fold(v or ""), deterministic=True)
    like = f"%{fold(filters.text or '')}%"
    either = [f"sohoa_fold({c}) LIKE ?" for c in ("object_id", "field", "old_value",
                                                    "new_value")]
    params += [like] * 4
    for column, codes in (("action", filters.text_actions), ("field", filters.text_fields)):
        if codes:
            either.append(f"{column} IN ({', '.join('?' * len(codes))})")
            params += list(codes)
    return f"({' OR '.join(either)})"


def reads_documents(session: Session) -> bool:
    """Whether this role may read documents (and so the citizen IDs in them)."""
    return session.user.can(Perm.CAPTURE) or session.user.can(Perm.VIEW_ALL)


def mask_entry(entry: audit.AuditEntry) -> audit.AuditEntry:
    return dataclasses.replace(entry, old_value=masking.mask_text(entry.old_value),
                               new_value=masking.mask_text(entry.new_value),
                               detail=masking.mask_text(entry.detail),
                               object_id=masking.mask_text(entry.object_id))


def _check_audit_filter(filters: AuditFilter) -> None:
    """A date that does not parse would silently match nothing: say so instead."""
    for name, value in (("since", filters.since), ("until", filters.until)):
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise BadInput(say("store.audit_filter_date",
                                   "{bound} {value!r} is not a date (YYYY-MM-DD) or an ISO time.",
                                   bound=name, value=value)) \
                    from None
    if filters.limit < 1:
        raise BadInput(say("store.audit_limit",
                           "The number of audit rows to show must be at least 1."))


def verify_audit(session: Session) -> audit.VerifyResult:
    """Walk the whole hash chain, compare it with the newest signed anchor, and check the
    signed accounts and settings (supervisors and admins).

    The chain alone cannot see a rewrite by someone holding the data key; the anchor
    (signed with a key clerks do not hold, kept outside the database) can, up to its
    row. A log that verifies is anchored anew by a session holding the audit key.
    """
    trust.require_verified(session, Perm.AUDIT)
    chain = audit.verify(session.conn)
    status = anchor.check(session.conn, session.settings.paths, session.keyring)
    problems = trust.roster_problems(session.conn, session.keyring)
    try:
        trust.check_settings(session.conn)
    except SohoaError as exc:
        problems.append(str(exc))
    if status.problem:
        problems.insert(0, status.problem)
    if status.forged:
        problems.append(f"{status.forged} line(s) of the anchor file are not signed by this "
                        "store's audit key")
    ok = chain.ok and not problems
    if ok:
        anchor.write_best_effort(session.conn, session.settings.paths, session.keyring,
                                 session.keys, session.user.name)
        status = anchor.check(session.conn, session.settings.paths, session.keyring)
    return dataclasses.replace(chain, ok=ok, anchored_to=status.anchored_to,
                               anchored_at=status.anchored_at, problems=tuple(problems),
                               reason=chain.reason or "; ".join(problems))


def re_anchor(session: Session, reason: str) -> anchor.Anchor:
    """An admin accepts the log as it is now (after investigating a broken anchor).

    Audited first, so the acceptance itself is inside the newly anchored log;
    the anchors before it stay in the file as evidence.
    """
    trust.require_verified(session, Perm.MANAGE_USERS)
    trust.admin_key(session)  # an admin who holds the keys, not a forged one
    private = session.keys[trust.AUDIT_KEY]
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "audit.re_anchor", object_type="audit",
                     detail={"reason": reason})
    written = anchor.write(session.conn, session.settings.paths, session.keyring, private,
                           session.user.name, kind="reset")
    assert written is not None  # only a "head" anchor is ever withheld
    return written


def audit_choices(session: Session) -> AuditChoices:
    """The user names and actions present, for the viewer's filter lists."""
    require(session.user, Perm.AUDIT)
    users = [str(r[0]) for r in db.rows(
        session.conn, "SELECT DISTINCT user_name FROM audit WHERE user_name IS NOT NULL"
        " ORDER BY user_name")]
    actions = [str(r[0]) for r in db.rows(
        session.conn, "SELECT DISTINCT action FROM audit ORDER BY action")]
    return AuditChoices(users, actions)


# -- the sync dashboard ------------------------------------------------------------------------

def outbox_states(session: Session) -> dict[int, OutboxState]:
    """Adapter to the sync outbox (one row per dossier): batch id -> its upload state.

    A batch is failed if any dossier failed (with the earliest next try),
    uploading while any is on its way (progress = bytes acknowledged of all its
    packages), sent when all are committed, acknowledged when all have receipts,
    else waiting. Users without the sync permission see no outbox states.
    """
    if not session.user.can(Perm.SYNC):
        return {}
    by_batch: dict[int, list[outbox.OutboxItem]] = {}
    for item in outbox.list_items(session):
        by_batch.setdefault(item.batch_id, []).append(item)
    return {batch_id: _batch_state(items) for batch_id, items in by_batch.items()}


def _batch_state(items: list[outbox.OutboxItem]) -> OutboxState:
    states = {i.state for i in items}
    size = sum(i.package_size or 0 for i in items)
    sent = sum((i.package_size or 0) if i.state in ("committed", "acknowledged")
               else i.upload_offset for i in items)
    progress = sent / size if size else None
    receipts = ", ".join(i.receipt_id for i in items if i.receipt_id)
    if "failed" in states:
        failed = [i for i in items if i.state == "failed"]
        retries = sorted(i.next_try for i in failed if i.next_try)
        return OutboxState("failed", progress, receipts or None, failed[-1].last_error,
                           retries[0] if retries else None)
    if "uploading" in states:
        return OutboxState("uploading", progress, receipts or None)
    if states == {"acknowledged"}:
        return OutboxState("acknowledged", 1.0, receipts or None)
    if states <= {"committed", "acknowledged"}:
        return OutboxState("sent", 1.0, receipts or None)
    return OutboxState("waiting", progress, receipts or None)


@dataclass(frozen=True)
class SyncStatus:
    """The station's link to the warehouse, as far as the store knows it (no network call)."""

    enrolled: bool
    warehouse_url: str
    paused: bool
    counts: dict[str, int]
    last_receipt_at: str | None
    next_retry: str | None


def sync_status(session: Session) -> SyncStatus:
    require(session.user, Perm.SYNC)
    credential = outbox.load_credential(session)
    row = session.conn.execute("SELECT max(received_at) FROM outbox").fetchone()
    return SyncStatus(
        enrolled=credential is not None,
        warehouse_url=credential.warehouse_url if credential else "",
        paused=outbox.load_controls(session.conn).paused, counts=outbox.summary(session),
        last_receipt_at=str(row[0]) if row and row[0] else None,
        next_retry=outbox.next_wakeup(session))


def sync_rows(session: Session) -> list[SyncRow]:
    """Every batch the user may see, with its review state and outbox state."""
    if not session.user.can(Perm.SYNC):
        require(session.user, Perm.VIEW_ALL)
    outbox = outbox_states(session)
    rows = []
    for b in batches.list_batches(session):
        box = outbox.get(b.id)
        rows.append(SyncRow(
            b.id, b.name, b.owner, b.state, b.documents, b.pages, b.submitted_at,
            b.reviewed_by, b.reviewed_at, b.reject_reason,
            outbox_state=box.state if box else None,
            progress=box.progress if box else None, receipt=box.receipt if box else None,
            last_error=box.last_error if box else None,
            next_retry=box.next_retry if box else None))
    return rows
