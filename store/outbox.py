"""The sync outbox: one row per approved dossier, and the station's warehouse credential.

States (docs/sync.md)::

    waiting -> uploading(url, offset) -> committed -> acknowledged(receipt)
        any of the first three -> failed(reason, attempts, next try) -> back where it was

Each transition is one transaction with its audit row, guarded by the state it
leaves, so a kill -9 at any point leaves a row in a state the next run resumes
from, and two programs cannot both move the same row. The upload URL is saved
*before* the first byte is sent and ``committed`` *before* the commit request,
so a restart asks the warehouse for the truth (its offset, its receipt) instead
of sending a package twice. Byte progress (``upload_offset``) is not audited:
it is a hint, the warehouse's offset is authoritative.

Who: running sync, pausing and retrying need :data:`Perm.SYNC` (supervisors);
enrolling the station (saving its credential) is an admin's job (site settings).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from store import audit, db, trust
from store.errors import BadInput, Conflict, NotFound
from store.messages import say
from store.roles import Perm
from store.session import Session

STATES = ("waiting", "uploading", "committed", "acknowledged", "failed")
PENDING = ("waiting", "uploading", "committed")
CONTROL_KEYS = ("paused", "parallel", "bandwidth_kbps")

_SELECT = (
    "SELECT o.id, o.dossier_id, d.file_code, b.id, b.name, o.state, o.resume_state,"
    " o.package_sha256, o.package_size, o.upload_url, o.upload_offset, o.attempts,"
    " o.last_error, o.next_try, o.receipt_id, o.received_at, o.queued_at, o.updated_at"
    " FROM outbox o JOIN dossier d ON d.id = o.dossier_id JOIN batch b ON b.id = d.batch_id"
)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    dossier_id: int
    file_code: str
    batch_id: int
    batch_name: str
    state: str
    resume_state: str | None
    package_sha256: str | None
    package_size: int | None
    upload_url: str | None
    upload_offset: int
    attempts: int
    last_error: str | None
    next_try: str | None
    receipt_id: str | None
    received_at: str | None
    queued_at: str
    updated_at: str

    @property
    def step(self) -> str:
        """What is left to do: a failed row resumes the step it failed in."""
        if self.state == "failed":
            return self.resume_state or "waiting"
        return self.state

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Credential:
    """What the warehouse gave this station at enrolment (kept in the encrypted store)."""

    warehouse_url: str
    station_id: str
    secret: str = field(repr=False)
    receipt_key: str  # the warehouse's Ed25519 public key, base64: receipts are checked with it
    enrolled_at: str = ""


@dataclass(frozen=True)
class Controls:
    """The knobs a supervisor sets for every sync run on this station."""

    paused: bool = False
    parallel: int = 2
    bandwidth_kbps: int = 0  # 0 = no limit

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _item(row: Any) -> OutboxItem:
    return OutboxItem(*row)


# -- reading ------------------------------------------------------------------------------------

def list_items(session: Session, *, states: Sequence[str] | None = None) -> list[OutboxItem]:
    trust.require_verified(session, Perm.SYNC)
    sql = _SELECT
    params: tuple[str, ...] = ()
    if states:
        unknown = set(states) - set(STATES)
        if unknown:
            raise BadInput(say("store.unknown_outbox_states",
                               "Unknown outbox state(s): {states}.",
                               states=', '.join(sorted(unknown))))
        sql += f" WHERE o.state IN ({', '.join('?' * len(states))})"
        params = tuple(states)
    return [_item(r) for r in db.rows(session.conn, sql + " ORDER BY o.id", params)]


def get_item(session: Session, item_id: int) -> OutboxItem:
    trust.require_verified(session, Perm.SYNC)
    found = db.rows(session.conn, f"{_SELECT} WHERE o.id = ?", (item_id,))
    if not found:
        raise NotFound(say("store.outbox_not_found",
                           "There is no outbox entry {item_id}.",
                           item_id=item_id))
    return _item(found[0])


def find_item(session: Session, file_code: str) -> OutboxItem | None:
    trust.require_verified(session, Perm.SYNC)
    found = db.rows(session.conn, f"{_SELECT} WHERE d.file_code = ?", (file_code,))
    return _item(found[0]) if found else None


def due_items(session: Session, now: str | None = None) -> list[OutboxItem]:
    """Rows a sync run should work on now: pending ones, and failed ones whose time came."""
    trust.require_verified(session, Perm.SYNC)
    sql = (f"{_SELECT} WHERE o.state IN ('waiting', 'uploading', 'committed')"
           " OR (o.state = 'failed' AND o.next_try IS NOT NULL AND o.next_try <= ?)"
           " ORDER BY o.id")
    return [_item(r) for r in db.rows(session.conn, sql, (now or audit.now(),))]


def next_wakeup(session: Session) -> str | None:
    """The earliest time a failed row will be tried again by itself (None: none will)."""
    trust.require_verified(session, Perm.SYNC)
    row = session.conn.execute(
        "SELECT min(next_try) FROM outbox WHERE state = 'failed' AND next_try IS NOT NULL"
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def summary(session: Session) -> dict[str, int]:
    """How many rows are in each state (the dashboard's counters)."""
    trust.require_verified(session, Perm.SYNC)
    counts = dict.fromkeys(STATES, 0)
    for state, count in session.conn.execute(
            "SELECT state, count(*) FROM outbox GROUP BY state"):
        counts[str(state)] = int(count)
    return counts


def receipt_of(session: Session, item_id: int) -> dict[str, Any] | None:
    trust.require_verified(session, Perm.SYNC)
    row = session.conn.execute("SELECT receipt FROM outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None or row[0] is None:
        return None
    loaded: dict[str, Any] = json.loads(row[0])
    return loaded


# -- queueing -----------------------------------------------------------------------------------

def queue_approved(session: Session) -> int:
    """Put every dossier of an approved batch that is not queued yet into the outbox."""
    trust.require_verified(session, Perm.SYNC)
    ts = audit.now()
    with db.transaction(session.conn) as conn:
        new = conn.execute(
            "SELECT d.id, d.file_code, b.name FROM dossier d JOIN batch b ON b.id = d.batch_id"
            " WHERE b.state = 'approved' AND d.id NOT IN (SELECT dossier_id FROM outbox)"
            " ORDER BY d.id").fetchall()
        for dossier_id, file_code, batch_name in new:
            conn.execute("INSERT INTO outbox (dossier_id, queued_at, updated_at)"
                         " VALUES (?, ?, ?)", (dossier_id, ts, ts))
            audit.append(conn, session.user.name, "sync.queue", object_type="dossier",
                         object_id=file_code, detail={"batch": batch_name})
    return len(new)


# -- transitions --------------------------------------------------------------------------------

def _move(
    session: Session, item: OutboxItem, action: str | None, *, allowed: Sequence[str],
    changes: Mapping[str, Any], detail: Any = None,
) -> OutboxItem:
    """One guarded transition and its audit row, in one transaction."""
    trust.require_verified(session, Perm.SYNC)
    sets = ", ".join(f"{k} = :{k}" for k in changes)
    params = {**changes, "id": item.id, "ts": audit.now()}
    marks = ", ".join(f"'{s}'" for s in allowed)
    with db.transaction(session.conn) as conn:
        moved = conn.execute(
            f"UPDATE outbox SET {sets}, updated_at = :ts WHERE id = :id AND state IN ({marks})",
            params).rowcount
        if moved != 1:
            raise Conflict(say("store.outbox_changed",
                               "The outbox entry for {file_code} was changed by another program; "
                               "look again.",
                               file_code=item.file_code))
        if action:
            audit.append(conn, session.user.name, action, object_type="dossier",
                         object_id=item.file_code, detail=detail)
    return get_item(session, item.id)


def resume(session: Session, item: OutboxItem) -> OutboxItem:
    """A failed row whose time came goes back to the step it failed in (not audited)."""
    if item.state != "failed":
        return item
    return _move(session, item, None, allowed=("failed",),
                 changes={"state": item.step, "resume_state": None})


def set_package(session: Session, item: OutboxItem, sha256: str, size: int) -> OutboxItem:
    """Record the package's checksum; a different package than before restarts the upload.

    Packages are reproducible, so a change means the program that builds them
    changed: the half-sent old package is abandoned and the new one sent whole.
    """
    sha256 = sha256.upper()
    if item.package_sha256 == sha256 and item.package_size == size:
        return item
    if item.package_sha256 is None:
        return _move(session, item, None, allowed=PENDING,
                     changes={"package_sha256": sha256, "package_size": size})
    return _move(session, item, "sync.package.changed", allowed=PENDING,
                 changes={"package_sha256": sha256, "package_size": size, "state": "waiting",
                          "upload_url": None, "upload_offset": 0},
                 detail={"old": item.package_sha256, "new": sha256})


def start_upload(session: Session, item: OutboxItem, url: str) -> OutboxItem:
    """The upload exists on the warehouse; saved before its first byte is sent."""
    if item.state == "uploading" and item.upload_url == url:
        return item
    return _move(session, item, "sync.upload", allowed=PENDING,
                 changes={"state": "uploading", "upload_url": url,
                          "upload_offset": 0 if url != item.upload_url else item.upload_offset},
                 detail={"sha256": item.package_sha256, "size": item.package_size,
                         "url": url})


def record_offset(session: Session, item: OutboxItem, offset: int) -> OutboxItem:
    if not 0 <= offset <= (item.package_size or 0):
        raise BadInput(say("store.upload_offset_outside",
                           "Upload offset {offset} is outside the package.",
                           offset=offset))
    return _move(session, item, None, allowed=("uploading",),
                 changes={"upload_offset": offset})


def mark_committed(session: Session, item: OutboxItem) -> OutboxItem:
    """The whole package is on the warehouse; the commit is about to be asked for."""
    return _move(session, item, "sync.commit", allowed=("uploading", "committed"),
                 changes={"state": "committed", "upload_offset": item.package_size or 0},
                 detail={"sha256": item.package_sha256, "batch": item.batch_name})


def acknowledge(
    session: Session, item: OutboxItem, receipt: Mapping[str, Any]
) -> OutboxItem:
    """Keep the signed receipt; the dossier is done."""
    receipt_id = str(receipt["receipt_id"])
    if str(receipt.get("sha256", "")).upper() != (item.package_sha256 or ""):
        raise Conflict(say("store.receipt_other_package",
                           "The receipt for {file_code} names another package.",
                           file_code=item.file_code))
    return _move(session, item, "sync.receipt", allowed=PENDING,
                 changes={"state": "acknowledged", "receipt_id": receipt_id,
                          "receipt": json.dumps(dict(receipt), ensure_ascii=False,
                                                sort_keys=True),
                          "received_at": str(receipt.get("received_at", "")),
                          "last_error": None, "next_try": None, "resume_state": None},
                 detail={"receipt": receipt_id, "sha256": item.package_sha256})


def restart_upload(session: Session, item: OutboxItem, reason: str) -> OutboxItem:
    """The warehouse no longer has our upload (expired, wiped): start again from zero."""
    return _move(session, item, "sync.restart", allowed=PENDING,
                 changes={"state": "waiting", "upload_url": None, "upload_offset": 0},
                 detail={"reason": reason[:300]})


def fail(
    session: Session, item: OutboxItem, reason: str, *, next_try: str | None
) -> OutboxItem:
    """Record a failure; ``next_try=None`` leaves the row for a supervisor to retry."""
    return _move(session, item, "sync.fail", allowed=(*PENDING, "failed"),
                 changes={"state": "failed", "resume_state": item.step,
                          "attempts": item.attempts + 1, "last_error": reason[:500],
                          "next_try": next_try},
                 detail={"reason": reason[:300], "step": item.step,
                         "attempt": item.attempts + 1, "next_try": next_try})


def retry(session: Session, file_codes: Sequence[str] = ()) -> int:
    """A supervisor sends failed rows (all, or the named dossiers) back to work now."""
    trust.require_verified(session, Perm.SYNC)
    items = [i for i in list_items(session, states=("failed",))
             if not file_codes or i.file_code in file_codes]
    missing = set(file_codes) - {i.file_code for i in items}
    if missing:
        raise NotFound(say("store.outbox_no_failed",
                           "No failed outbox entry for {file_codes}.",
                           file_codes=', '.join(sorted(missing))))
    for item in items:
        _move(session, item, "sync.retry", allowed=("failed",),
              changes={"state": item.step, "resume_state": None, "attempts": 0,
                       "next_try": None},
              detail={"step": item.step, "last_error": item.last_error})
    return len(items)


# -- controls -----------------------------------------------------------------------------------

def load_controls(conn: db.Connection) -> Controls:
    values = dict(conn.execute("SELECT key, value FROM sync_setting").fetchall())
    default = Controls()
    return Controls(paused=values.get("paused", "0") == "1",
                    parallel=int(values.get("parallel", default.parallel)),
                    bandwidth_kbps=int(values.get("bandwidth_kbps", default.bandwidth_kbps)))


def _check_control(key: str, value: str) -> str:
    if key not in CONTROL_KEYS:
        raise BadInput(say("store.unknown_sync_setting",
                           "Unknown sync setting {key!r}: {keys}.",
                           key=key, keys=', '.join(CONTROL_KEYS)))
    if key == "paused":
        if value not in ("0", "1"):
            raise BadInput(say("store.sync_paused_value", "paused is 0 or 1."))
        return value
    if not value.isdigit():
        raise BadInput(say("store.sync_setting_whole_number",
                           "{key} must be a whole number.",
                           key=key))
    if key == "parallel" and not 1 <= int(value) <= 8:
        raise BadInput(say("store.sync_parallel_range",
                           "parallel must be from 1 to 8 uploads at once."))
    return str(int(value))


def set_control(session: Session, key: str, value: str) -> Controls:
    """Pause/resume (``paused``), parallel uploads, bandwidth limit; audited."""
    trust.require_verified(session, Perm.SYNC)
    value = _check_control(key, value.strip())
    audit.set_setting(session.conn, "sync_setting", key, value, user_id=session.user.id,
                      user_name=session.user.name, action="sync.setting")
    return load_controls(session.conn)


# -- the station credential ---------------------------------------------------------------------

def save_credential(session: Session, credential: Credential) -> None:
    """Keep what enrolment returned; replaces an earlier enrolment (admin)."""
    trust.require_verified(session, Perm.SITE_SETTINGS)
    with db.transaction(session.conn) as conn:
        conn.execute(
            "INSERT INTO sync_credential (id, warehouse_url, station_id, secret, receipt_key,"
            " enrolled_at, enrolled_by) VALUES (1, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET warehouse_url = excluded.warehouse_url,"
            " station_id = excluded.station_id, secret = excluded.secret,"
            " receipt_key = excluded.receipt_key, enrolled_at = excluded.enrolled_at,"
            " enrolled_by = excluded.enrolled_by",
            (credential.warehouse_url, credential.station_id, credential.secret,
             credential.receipt_key, credential.enrolled_at or audit.now(), session.user.id))
        audit.append(conn, session.user.name, "sync.enrol", object_type="station",
                     object_id=credential.station_id,
                     detail={"warehouse": credential.warehouse_url})


def load_credential(session: Session) -> Credential | None:
    """The station's credential, for a sync run (supervisor) or to show enrolment (admin)."""
    if not session.user.can(Perm.SITE_SETTINGS):
        trust.require_verified(session, Perm.SYNC)
    row = session.conn.execute(
        "SELECT warehouse_url, station_id, secret, receipt_key, enrolled_at"
        " FROM sync_credential WHERE id = 1").fetchone()
    if row is None:
        return None
    return Credential(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))
