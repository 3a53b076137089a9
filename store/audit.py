"""Append-only, hash-chained audit log.

Each row's hash covers its own fields and the previous row's hash, so changing
or deleting any row breaks the chain from that row on. SQL triggers refuse
UPDATE and DELETE; the head (last id and hash) is kept in ``meta`` so that
cutting rows off the end is caught too. Appends happen inside the caller's
transaction: a change and its audit row commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from store.db import Connection
from store.messages import say

GENESIS = "0" * 64
_COLUMNS = (
    "id", "ts", "user_name", "action", "object_type", "object_id",
    "field", "old_value", "new_value", "detail",
)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    ts: str
    user_name: str | None
    action: str
    object_type: str | None
    object_id: str | None
    field: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (*_COLUMNS, "prev_hash", "hash")}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def row_hash(values: tuple[Any, ...], prev_hash: str) -> str:
    payload = json.dumps([*values, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def head(conn: Connection) -> tuple[int, str]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if row is None:
        return 0, GENESIS
    last_id, last_hash = str(row[0]).split(":", 1)
    return int(last_id), last_hash


def append(
    conn: Connection,
    user_name: str | None,
    action: str,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    detail: Any = None,
    ts: str | None = None,
) -> int:
    """Add one row; the caller owns the transaction."""
    last_id, last_hash = head(conn)
    if last_id == 0 and conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone():
        from store.errors import AuditBroken

        raise AuditBroken(say("store.audit_head_deleted",
                              "The audit log's head record was deleted: the log cannot be "
                              "continued. Run `sohoa audit verify` and restore a backup."))
    values = (
        last_id + 1, ts or now(), user_name, action, object_type, _text(object_id),
        field, _text(old), _text(new), _text(detail),
    )
    digest = row_hash(values, last_hash)
    conn.execute(
        f"INSERT INTO audit ({', '.join(_COLUMNS)}, prev_hash, hash) "
        f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})",
        (*values, last_hash, digest),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{last_id + 1}:{digest}",),
    )
    return last_id + 1


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    first_bad: int | None = None
    reason: str = ""
    anchored_to: int | None = None  # the newest signed anchor's row (store/anchor.py)
    anchored_at: str | None = None
    problems: tuple[str, ...] = ()  # accounts, settings or anchors that do not verify


def verify(conn: Connection) -> VerifyResult:
    """Walk the chain; name the first row that was changed, inserted or deleted."""
    expected_prev, expected_id, count = GENESIS, 1, 0
    cursor = conn.execute(
        f"SELECT {', '.join(_COLUMNS)}, prev_hash, hash FROM audit ORDER BY id"
    )
    for row in cursor:
        values, prev_hash, digest = tuple(row[: len(_COLUMNS)]), row[-2], row[-1]
        row_id = int(values[0])
        if row_id != expected_id:
            return VerifyResult(False, count, expected_id, f"row {expected_id} was deleted")
        if prev_hash != expected_prev:
            return VerifyResult(False, count, row_id, f"row {row_id} does not follow row "
                                f"{row_id - 1} (a row was deleted or replaced)")
        if row_hash(values, prev_hash) != digest:
            return VerifyResult(False, count, row_id, f"row {row_id} was changed")
        expected_prev, expected_id, count = digest, row_id + 1, count + 1
    head_id, head_hash = head(conn)
    if head_id != count or head_hash != expected_prev:
        missing = count + 1
        return VerifyResult(False, count, missing, f"rows from {missing} on were deleted")
    return VerifyResult(True, count)


def entries(
    conn: Connection,
    *,
    user_name: str | None = None,
    action: str | None = None,
    since: str | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    clauses, params = [], []
    for column, value in (("user_name", user_name), ("action", action)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since:
        clauses.append("ts >= ?")
        params.append(since)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = (
        f"SELECT {', '.join(_COLUMNS)}, prev_hash, hash FROM audit {where} "
        "ORDER BY id DESC LIMIT ?"
    )
    return [AuditEntry(*row) for row in conn.execute(sql, (*params, limit))]


def set_setting(
    conn: Connection, table: str, key: str, value: str, *, user_id: int, user_name: str,
    action: str, then: Callable[[Connection], None] | None = None,
) -> None:
    """Upsert one key of a settings table (site_setting, sync_setting) with its audit row.

    ``table`` is one of ours, never user input. One transaction: both or neither
    (``then``, e.g. re-signing the settings, runs inside it too).
    """
    from store.db import transaction

    old = conn.execute(f"SELECT value FROM {table} WHERE key = ?", (key,)).fetchone()
    with transaction(conn):
        conn.execute(
            f"INSERT INTO {table} (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (key, value, now(), user_id))
        append(conn, user_name, action, object_type="setting", object_id=key, field=key,
               old=old[0] if old else None, new=value)
        if then is not None:
            then(conn)
