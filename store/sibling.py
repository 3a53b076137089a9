"""A second connection for the logged-in user, and re-checking a password at the lock screen.

Why: a Session is one connection owned by one thread (SQLite's
check_same_thread stays on). The desktop app runs capture in its own thread
while the clerk keeps correcting on the database thread, so capture needs its
own Session for the same user, without asking for the password again. The
database thread hands the capture thread a :class:`Ticket` (plain data); the
capture thread opens its own connection from it. SQLite's WAL lets the two
connections write in turn (each transaction is short).

When the window locks after an idle period the session stays open (a capture
may be running); unlocking only proves the password again, and a wrong one is
journalled like any failed login.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store import audit, db, journal, trust
from store.errors import PermissionDenied, SohoaError
from store.keyring import Keyring
from store.lock import StoreLock
from store.messages import say
from store.session import Session, load_user, record_failed_login
from store.settings import StoreSettings


@dataclass(frozen=True)
class Ticket:
    """What another thread needs to open a connection as the same user."""

    settings: StoreSettings
    keyring: Keyring
    user_name: str
    data_key: bytes = field(repr=False)


def ticket(session: Session) -> Ticket:
    return Ticket(session.settings, session.keyring, session.user.name, session.data_key)


def open_sibling(t: Ticket) -> Session:
    """Open a Session from a ticket, in the thread that will use it.

    The account is loaded again, so a user disabled meanwhile is refused.
    """
    paths = t.settings.paths
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=False)
    try:
        conn = db.connect(paths.db, t.data_key, busy_timeout_ms=t.settings.busy_timeout_ms)
        try:
            user = trust.verified_user(conn, t.keyring, load_user(conn, t.user_name))
            if not user.active:
                raise PermissionDenied(say("store.account_disabled",
                                           "The account {name!r} is disabled; ask the admin.",
                                           name=t.user_name))
        except BaseException:
            conn.close()
            raise
    except BaseException:
        lock.release()
        raise
    return Session(t.settings, conn, user, t.keyring, lock, bytearray(t.data_key))


def verify_password(session: Session, password: str) -> None:
    """Unlock the idle-locked window: prove the password again (audited either way)."""
    paths = session.settings.paths
    keyring = Keyring.load(paths.keyring)
    key_id = keyring.key_id(session.user.name)
    journal.check_throttle(paths, key_id)  # the lock screen is a login like any other
    try:
        keyring.unlock(session.user.name, password)
    except SohoaError as exc:
        journal.note_attempt(paths, key_id, failed=True)
        record_failed_login(session.settings, keyring, session.user.name, type(exc).__name__)
        raise
    journal.note_attempt(paths, key_id, failed=False)
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "unlock", object_type="user",
                     object_id=session.user.name)


def record_lock(session: Session, reason: str) -> None:
    """The window locked itself (or the user locked it): recorded for the audit trail."""
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "lock", object_type="user",
                     object_id=session.user.name, detail={"reason": reason})
