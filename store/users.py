"""User accounts: add, list, change passwords (admins manage, everyone their own)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from store import audit, db
from store.errors import Conflict, NotFound
from store.keyring import Keyring
from store.roles import Perm, Role, User, require
from store.session import Session, check_password, check_user_name, load_user

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
def _keyring_update(session: Session) -> Iterator[Keyring]:
    """Read-modify-write of the key file under its own lock, so two programs
    changing passwords at once cannot lose each other's change."""
    paths = session.settings.paths
    with open(paths.data_dir / "keyring.lock", "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        keyring = Keyring.load(paths.keyring)
        yield keyring
        keyring.save(paths.keyring)
        session.keyring = keyring


def add_user(session: Session, name: str, role: Role, password: str) -> UserInfo:
    require(session.user, Perm.MANAGE_USERS)
    name = check_user_name(name)
    check_password(password)
    exists = session.conn.execute(
        "SELECT 1 FROM user WHERE name = ? COLLATE NOCASE", (name,)
    ).fetchone()
    if exists or session.keyring.has_user(name):
        raise Conflict(f"A user named {name!r} already exists.")
    ts = audit.now()
    with _keyring_update(session) as keyring:
        keyring.set_password(name, password, session.data_key, session.settings.kdf)
        with db.transaction(session.conn) as conn:
            conn.execute(
                "INSERT INTO user (name, role, created_at, created_by) VALUES (?, ?, ?, ?)",
                (name, role.value, ts, session.user.id),
            )
            audit.append(conn, session.user.name, "user.add", object_type="user",
                         object_id=name, field="role", new=role.value)
    return UserInfo(name, role.value, True, ts)


def set_password(session: Session, name: str | None, new_password: str) -> None:
    """Re-wrap the data key for ``name`` (default: yourself); nothing is re-encrypted."""
    target = session.user if name is None else _existing(session, name)
    if target.id != session.user.id:
        require(session.user, Perm.MANAGE_USERS)
    check_password(new_password)
    with _keyring_update(session) as keyring:
        keyring.set_password(target.name, new_password, session.data_key, session.settings.kdf)
        with db.transaction(session.conn) as conn:
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
    try:
        return load_user(session.conn, name)
    except Exception as exc:
        raise NotFound(f"There is no user named {name!r}.") from exc


