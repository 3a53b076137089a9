"""User accounts: add, list, change passwords (admins manage, everyone their own)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from store import audit, db
from store.errors import Conflict, NotFound, SohoaError
from store.fsutil import atomic_write
from store.keyring import Keyring
from store.roles import Perm, Role, User, require
from store.session import Session, check_password, check_user_name, find_user

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    active: bool
    created_at: str


@contextlib.contextmanager
def _keyring_update(session: Session) -> Iterator[tuple[Keyring, db.Connection]]:
    """Change the key file and the database as one step.

    The key file is read, changed and saved under its own lock (two programs
    changing passwords at once cannot lose each other's change) while the
    database transaction is still open: a key file that cannot be written (a
    full disk) rolls the database back, so no account or audit row claims a
    change that did not happen. If the commit itself fails after the key file
    was saved, the previous key file is put back.
    """
    paths = session.settings.paths
    with open(paths.data_dir / "keyring.lock", "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        before = paths.keyring.read_bytes()
        keyring = Keyring.load(paths.keyring)
        saved = False
        try:
            with db.transaction(session.conn) as conn:
                yield keyring, conn
                keyring.save(paths.keyring)
                saved = True
        except BaseException:
            if saved:
                with contextlib.suppress(OSError, SohoaError):
                    atomic_write(paths.keyring, before)
            raise
        session.keyring = keyring


def add_user(session: Session, name: str, role: Role, password: str) -> UserInfo:
    may_add_user(session)
    name = check_user_name(name)
    check_password(password)
    if find_user(session.conn, name) is not None:
        raise Conflict(f"A user named {name!r} already exists.")
    # A key entry without an account (left by a failure between the two files)
    # is an orphan: the new account's password replaces it.
    ts = audit.now()
    with _keyring_update(session) as (keyring, conn):
        keyring.set_password(name, password, session.data_key, session.settings.kdf)
        conn.execute(
            "INSERT INTO user (name, role, created_at, created_by) VALUES (?, ?, ?, ?)",
            (name, role.value, ts, session.user.id),
        )
        audit.append(conn, session.user.name, "user.add", object_type="user",
                     object_id=name, field="role", new=role.value)
    return UserInfo(name, role.value, True, ts)


def may_set_password(session: Session, name: str | None) -> User:
    """The account whose password ``session`` may change (yourself, or anyone for
    an admin); raises first, so a front end asks for a new password only when it
    will be used."""
    target = session.user if name is None else _existing(session, name)
    if target.id != session.user.id:
        require(session.user, Perm.MANAGE_USERS)
    return target


def may_add_user(session: Session) -> None:
    require(session.user, Perm.MANAGE_USERS)


def set_password(session: Session, name: str | None, new_password: str) -> None:
    """Re-wrap the data key for ``name`` (default: yourself); nothing is re-encrypted."""
    target = may_set_password(session, name)
    check_password(new_password)
    with _keyring_update(session) as (keyring, conn):
        keyring.set_password(target.name, new_password, session.data_key, session.settings.kdf)
        audit.append(conn, session.user.name, "user.passwd", object_type="user",
                     object_id=target.name)


def set_active(session: Session, name: str, active: bool) -> None:
    """Disable (or enable) an account; a disabled user can no longer log in."""
    require(session.user, Perm.MANAGE_USERS)
    target = _existing(session, name)
    if target.id == session.user.id and not active:
        raise Conflict("You cannot disable your own account.")
    with db.transaction(session.conn) as conn:
        conn.execute("UPDATE user SET active = ? WHERE id = ?", (int(active), target.id))
        audit.append(conn, session.user.name, "user.enable" if active else "user.disable",
                     object_type="user", object_id=target.name)


def list_users(session: Session) -> list[UserInfo]:
    require(session.user, Perm.MANAGE_USERS)
    rows = db.rows(session.conn, "SELECT name, role, active, created_at FROM user ORDER BY name")
    return [UserInfo(str(r[0]), str(r[1]), bool(r[2]), str(r[3])) for r in rows]


def _existing(session: Session, name: str) -> User:
    user = find_user(session.conn, name)
    if user is None:
        raise NotFound(f"There is no user named {name!r}.")
    return user


