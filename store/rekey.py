"""Re-keying: a new data key when a user is disabled or an admin resets a password.

Why: a disabled clerk, or one whose password an admin reset, may still hold a
copy of the old key file (an old backup, a USB stick) and her old password:
with them she would unwrap the *old* data key. A new data key, the database
re-encrypted with it (``PRAGMA rekey``: every page, so page images and PDFs
too, which live inside it), and the new key sealed to every remaining slot
make that copy useless. No password is needed: slots are sealed to each
user's public key (:mod:`store.keyring`).

Crash safety, in three steps: (1) ``keyring.json.next`` holds the new key
sealed to every slot; (2) ``PRAGMA rekey`` re-encrypts the database in one
transaction; (3) the new key file replaces the old one. A crash between any two
steps is settled at the next login (:func:`store.session._connect`): the key
that opens the database decides which key file is right.

It needs the store for itself (an exclusive lock). When another sohoa program
has the store open, the re-key is left pending (``meta rekey.pending``) and is
done by the next login that finds the store free; the disabled user's slot is
removed at once either way.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import audit, crypto, db
from store.fsutil import fsync_dir
from store.keyring import Keyring
from store.settings import StorePaths

if TYPE_CHECKING:
    from store.session import Session

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class RekeyResult:
    seconds: float
    dropped_slots: int  # old-format slots that could not be re-sealed (need a reset)


def mark_pending(conn: db.Connection, reason: str) -> None:
    """Inside the caller's transaction: a re-key is owed (done now or at the next login)."""
    conn.execute("INSERT INTO meta (key, value) VALUES ('rekey.pending', ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (reason,))


def _promote(paths: StorePaths) -> None:
    os.replace(paths.keyring_next, paths.keyring)
    fsync_dir(paths.data_dir)


def rekey(session: Session, reason: str) -> RekeyResult:
    """Re-encrypt the store under a new data key; raises StoreInUse if others have it open."""
    paths = session.settings.paths
    started = time.perf_counter()
    session.lock.acquire(exclusive=True, what="re-encrypt the store")
    try:
        new_key = crypto.new_key()
        with open(paths.data_dir / "keyring.lock", "a+b") as fh:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            keyring = Keyring.load(paths.keyring)
            dropped = keyring.reseal(new_key)
            keyring.save(paths.keyring_next)                       # step 1
            with db.translate_errors():
                session.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")  # step 2
                session.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            _promote(paths)                                        # step 3
        session.replace_data_key(new_key)
        session.keyring = keyring
        with db.transaction(session.conn) as conn:
            conn.execute("DELETE FROM meta WHERE key = 'rekey.pending'")
            audit.append(conn, session.user.name, "store.rekey", object_type="store",
                         detail={"reason": reason, "dropped_slots": len(dropped)})
    finally:
        session.lock.downgrade()
    return RekeyResult(time.perf_counter() - started, len(dropped))
