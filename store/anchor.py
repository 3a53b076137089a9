"""Signed checkpoints of the audit head, kept outside the database.

Why: the hash chain and its head live inside ``store.db``, and every user holds
the key to it; a clerk could rewrite rows, recompute the chain and re-point the
head, or copy an older ``store.db`` back (no key needed). A checkpoint
("anchor") of the head (row id and hash) signed with the audit key, which
clerks do not hold (:mod:`store.trust`), is appended to ``audit-anchors.jsonl``
beside the store whenever a supervisor or an admin logs in, runs `audit verify`
or closes a session, and after a restore. `audit verify` then says up to which
row the log is anchored and finds rollback, truncation and rewrites of anchored
rows. The newest anchor is what the sync layer sends to the warehouse
(:func:`newest`), so a local copy-back of both files is caught there too.

Honest limit: rows written after the newest anchor are protected by the hash
chain alone until the next anchor.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from store import audit, crypto, db, trust
from store.errors import SohoaError
from store.keyring import Keyring
from store.settings import StorePaths

MAX_ANCHOR_BYTES = 16 * 1024 * 1024
KEEP = 2000  # anchors kept in the file (older ones are superseded by newer ones)
_META_SEQ = "anchor.seq"


@dataclass(frozen=True)
class Anchor:
    """One signed checkpoint; ``as_dict`` is what the warehouse receives and can verify."""

    store_id: str
    seq: int
    audit_id: int
    audit_hash: str
    ts: str
    by: str
    kind: str  # "head", or "restore" (a restore legitimately moved the head back)
    public: str  # the audit key's public half, base64
    sig: str = ""

    def body(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "sig"}
        return b"anchor\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AnchorStatus:
    anchored_to: int | None  # the newest anchor's row, None if there is none
    anchored_at: str | None
    problem: str = ""  # empty when the log agrees with the newest anchor
    forged: int = 0  # lines whose signature does not verify


def read(path: Path, public: bytes, store_id: str) -> tuple[list[Anchor], int]:
    """The anchors whose signature verifies, oldest first, and the count of the others."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_ANCHOR_BYTES)
    except FileNotFoundError:
        return [], 0
    good, bad = [], 0
    expected_public = crypto.b64e(public)
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            anchor = Anchor(**json.loads(line))
        except (ValueError, TypeError):
            bad += 1
            continue
        if (anchor.public != expected_public or anchor.store_id != store_id
                or not crypto.signature_ok(public, anchor.body(), crypto.b64d(anchor.sig))):
            bad += 1
            continue
        good.append(anchor)
    good.sort(key=lambda a: a.seq)
    return good, bad


def _meta_seq(conn: db.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META_SEQ,)).fetchone()
    return int(row[0]) if row else 0


def check(conn: db.Connection, paths: StorePaths, keyring: Keyring) -> AnchorStatus:
    """Compare the log with the newest anchor the station can see."""
    if not trust.enabled(conn):
        return AnchorStatus(None, None, "")
    public = trust.public_key(conn, trust.AUDIT_KEY, keyring)
    anchors, forged = read(paths.anchors, public, keyring.store_id)
    recorded = _meta_seq(conn)
    if not anchors:
        problem = (f"the audit anchors are missing ({recorded} were written): the anchor file "
                   "was deleted or replaced") if recorded else ""
        return AnchorStatus(None, None, problem, forged)
    newest = anchors[-1]
    return AnchorStatus(newest.audit_id, newest.ts, _disagreement(conn, newest, recorded),
                        forged)


def _disagreement(conn: db.Connection, newest: Anchor, recorded: int) -> str:
    head_id, _ = audit.head(conn)
    if newest.audit_id > head_id:
        return (f"the log ends at row {head_id} but was anchored at row {newest.audit_id} "
                f"on {newest.ts}: rows were cut off or an older store file was copied back")
    row = conn.execute("SELECT hash FROM audit WHERE id = ?", (newest.audit_id,)).fetchone()
    if newest.audit_id and (row is None or str(row[0]) != newest.audit_hash):
        return (f"row {newest.audit_id} differs from the anchor of {newest.ts}: the log up to "
                "it was rewritten")
    if recorded > newest.seq:
        return (f"the newest anchors are missing (the store wrote {recorded}, the file ends "
                f"at {newest.seq}): the anchor file was rolled back")
    return ""


def write(conn: db.Connection, paths: StorePaths, keyring: Keyring, audit_private: bytes,
          by: str, kind: str = "head") -> Anchor | None:
    """Anchor the current head, unless the log disagrees with the newest anchor.

    Refusing to anchor a log that fails the check keeps the evidence: a later
    anchor must never bless a rolled-back or rewritten log.
    """
    public = trust.public_key(conn, trust.AUDIT_KEY, keyring)
    anchors, _ = read(paths.anchors, public, keyring.store_id)
    recorded = _meta_seq(conn)
    if kind == "head" and (_disagreement(conn, anchors[-1], recorded) if anchors else recorded):
        return None
    head_id, head_hash = audit.head(conn)
    seq = max([recorded, *(a.seq for a in anchors)]) + 1
    unsigned = Anchor(keyring.store_id, seq, head_id, head_hash, audit.now(), by, kind,
                      crypto.b64e(public))
    anchor = Anchor(**{**asdict(unsigned),
                       "sig": crypto.b64e(crypto.sign(audit_private, unsigned.body()))})
    _append(paths.anchors, anchor, anchors)
    with db.transaction(conn):
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                     " SET value = excluded.value", (_META_SEQ, str(seq)))
    return anchor


def _append(path: Path, anchor: Anchor, existing: list[Anchor]) -> None:
    line = json.dumps(anchor.as_dict(), sort_keys=True) + "\n"
    if len(existing) >= KEEP:  # rewrite, keeping the newest
        from store.fsutil import atomic_write

        kept = "".join(json.dumps(a.as_dict(), sort_keys=True) + "\n"
                       for a in existing[-KEEP // 2:])
        atomic_write(path, (kept + line).encode("utf-8"))
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def write_best_effort(conn: db.Connection, paths: StorePaths, keyring: Keyring,
                      keys: dict[str, bytes], by: str) -> None:
    """Anchor if this session holds the audit key; never fails the caller's work."""
    private = keys.get(trust.AUDIT_KEY)
    if private is None:
        return
    with contextlib.suppress(SohoaError, OSError):
        write(conn, paths, keyring, private, by)


def newest(paths: StorePaths) -> dict[str, Any] | None:
    """The newest anchor whose signature verifies against the key file's audit key.

    For the sync layer: send it with every upload; the warehouse keeps the
    newest per store, pins ``public`` from the first one it sees, and refuses
    (or flags) an anchor older than one it already holds. Needs no login: the
    anchor holds nothing personal (a row number, a hash, a time, a user name).
    """
    keyring = Keyring.load(paths.keyring)
    public = keyring.trust.get(trust.AUDIT_KEY)
    if public is None:
        return None
    anchors, _ = read(paths.anchors, crypto.b64d(public), keyring.store_id)
    return anchors[-1].as_dict() if anchors else None


def verify_remote(conn: db.Connection, remote: dict[str, Any], keyring: Keyring) -> str:
    """Check the log against an anchor the warehouse returned ("" when it agrees)."""
    public = trust.public_key(conn, trust.AUDIT_KEY, keyring)
    try:
        anchor = Anchor(**remote)
    except TypeError:
        return "the warehouse's anchor is not readable"
    if not crypto.signature_ok(public, anchor.body(), crypto.b64d(anchor.sig)):
        return "the warehouse's anchor was not signed by this store's audit key"
    return _disagreement(conn, anchor, 0)
