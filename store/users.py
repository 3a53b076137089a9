"""User accounts: add, list, change passwords (admins manage, everyone their own).

Every change to an account re-signs the roster with the admin key
(:mod:`store.trust`). Disabling an account, or an admin resetting someone
else's password, also removes the old key slot and re-keys the store
(:mod:`store.rekey`), so an old copy of the key file and the old password open
nothing of today's store.
"""

from __future__ import annotations

from dataclasses import dataclass

from store import audit, db, rekey, trust
from store.errors import Conflict, NotFound, StoreInUse
from store.messages import say
from store.roles import Perm, Role, User
from store.session import (
    Session,
    check_password,
    check_user_name,
    find_user,
    keyring_update,
)


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    active: bool
    created_at: str


def add_user(session: Session, name: str, role: Role, password: str) -> UserInfo:
    may_add_user(session)
    name = check_user_name(name)
    check_password(password, name)
    if find_user(session.conn, name) is not None:
        raise Conflict(say("store.user_exists", "A user named {name!r} already exists.", name=name))
    admin_key = trust.admin_key(session)
    # A key entry without an account (left by a failure between the two files)
    # is an orphan: the new account's password replaces it.
    ts = audit.now()
    with keyring_update(session) as (keyring, conn):
        keyring.set_password(name, password, session.data_key, session.settings.kdf,
                             keys=trust.keys_for(role, session.keys))
        conn.execute(
            "INSERT INTO user (name, role, created_at, created_by) VALUES (?, ?, ?, ?)",
            (name, role.value, ts, session.user.id),
        )
        trust.sign_roster(conn, keyring.store_id, admin_key)
        audit.append(conn, session.user.name, "user.add", object_type="user",
                     object_id=name, field="role", new=role.value)
    return UserInfo(name, role.value, True, ts)


def may_set_password(session: Session, name: str | None) -> User:
    """The account whose password ``session`` may change (yourself, or anyone for
    an admin); raises first, so a front end asks for a new password only when it
    will be used."""
    target = session.user if name is None else _existing(session, name)
    if target.id != session.user.id:
        trust.require_verified(session, Perm.MANAGE_USERS)
    return target


def may_add_user(session: Session) -> None:
    trust.require_verified(session, Perm.MANAGE_USERS)


def set_password(session: Session, name: str | None, new_password: str) -> bool:
    """Re-wrap ``name``'s slot (default: yourself).

    Your own change re-wraps your slot only. An admin resetting another's
    password also re-keys the store, so the old password with an old copy of
    the key file opens nothing. Returns False if that re-key is left pending.
    """
    target = may_set_password(session, name)
    check_password(new_password, target.name)
    own = target.id == session.user.id
    keys = session.keys if own else trust.keys_for(target.role, session.keys)
    with keyring_update(session) as (keyring, conn):
        keyring.set_password(target.name, new_password, session.data_key, session.settings.kdf,
                             keys=keys)
        audit.append(conn, session.user.name, "user.passwd", object_type="user",
                     object_id=target.name)
        if not own:
            rekey.mark_pending(conn, f"password reset for {target.name}")
    return own or _rekey_now(session, f"password reset for {target.name}")


def set_active(session: Session, name: str, active: bool) -> bool:
    """Disable (or enable) an account; a disabled user can no longer log in.

    Disabling removes the user's key slot and re-keys the store (an enabled
    account needs a new password from the admin). Returns False if the re-key is
    left pending because another sohoa program has the store open.
    """
    trust.require_verified(session, Perm.MANAGE_USERS)
    target = _existing(session, name)
    if target.id == session.user.id and not active:
        raise Conflict(say("store.disable_self", "You cannot disable your own account."))
    admin_key = trust.admin_key(session)
    with keyring_update(session) as (keyring, conn):
        conn.execute("UPDATE user SET active = ? WHERE id = ?", (int(active), target.id))
        trust.sign_roster(conn, keyring.store_id, admin_key)
        audit.append(conn, session.user.name, "user.enable" if active else "user.disable",
                     object_type="user", object_id=target.name)
        if not active:
            keyring.remove_user(target.name)
            rekey.mark_pending(conn, f"{target.name} disabled")
    return active or _rekey_now(session, f"{target.name} disabled")


def _rekey_now(session: Session, reason: str) -> bool:
    try:
        rekey.rekey(session, reason)
    except StoreInUse:
        return False
    return True


def list_users(session: Session) -> list[UserInfo]:
    trust.require_verified(session, Perm.MANAGE_USERS)
    rows = db.rows(session.conn, "SELECT name, role, active, created_at FROM user ORDER BY name")
    return [UserInfo(str(r[0]), str(r[1]), bool(r[2]), str(r[3])) for r in rows]


def _existing(session: Session, name: str) -> User:
    user = find_user(session.conn, name)
    if user is None:
        raise NotFound(say("store.user_not_found",
                           "There is no user named {user_name!r}.",
                           user_name=name))
    return user
