"""Signed roles, accounts and security settings: what a clerk with the data key cannot forge.

Why: every user can unwrap the data key (that is how she reads her batches), so
anything kept only inside the database (a role, an account's state, the idle
lock) is hers to change. Two Ed25519 keys that clerks never hold fix that:

- the **admin key** (sealed to each admin's slot) signs the *roster* (every
  account's name, role and state, with a serial number) and the site settings
  that weaken security when changed;
- the **audit key** (sealed to admins and supervisors) signs checkpoints of the
  audit head kept outside the database (:mod:`store.anchor`).

The public halves live in the key file and in ``meta``; both must agree. The
roster is checked at every login and again before every privileged action, so
an edited role or a forged account is refused (:class:`Tampered`, exit 23).

Honest limit: a clerk who replaces the public keys in *both* places and re-signs
everything with keys of her own is caught at the next admin or supervisor login
(their sealed private key no longer matches, :func:`check_held_keys`) and by the
warehouse, which pins the key from the first anchor it receives.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from store import crypto, db
from store.errors import Tampered
from store.messages import say
from store.roles import Perm, Role, User, require

if TYPE_CHECKING:
    from store.keyring import Keyring
    from store.session import Session

ADMIN_KEY = "roster-signing"
AUDIT_KEY = "audit-anchoring"
KEYS_OF_ROLE: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: (ADMIN_KEY, AUDIT_KEY),
    Role.SUPERVISOR: (AUDIT_KEY,),
    Role.CLERK: (),
}
# Site settings whose change weakens the station's protection: a long idle lock
# leaves a session open to the next person at the desk; another warehouse
# address or CA bundle sends citizens' data elsewhere.
SIGNED_SETTINGS = ("idle_lock_minutes", "warehouse_url", "ca_bundle")

_META_PUBLIC = "trust.{}_public"


def _get(conn: db.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _put(conn: db.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def enabled(conn: db.Connection) -> bool:
    """False only for a store made before signed roles, until its first admin login."""
    return _get(conn, _META_PUBLIC.format(ADMIN_KEY)) is not None


def public_key(conn: db.Connection, name: str, keyring: Keyring | None = None) -> bytes:
    """The public half of a signing key, the database and the key file agreeing."""
    value = _get(conn, _META_PUBLIC.format(name))
    if value is None:
        raise Tampered(say("store.signing_key_removed",
                           "This store has no {name} signing key: it was removed; restore a "
                           "backup.",
                           name=name))
    if keyring is not None and keyring.trust.get(name) != value:
        raise Tampered(say("store.signing_key_differs",
                           "The {name} signing key in the key file differs from the store's: one "
                           "of them was replaced. Ask the admin; restore a backup.",
                           name=name))
    return crypto.b64d(value)


def create_keys(conn: db.Connection, keyring: Keyring) -> dict[str, bytes]:
    """New admin and audit keys (at init, or the first admin login of an older store)."""
    private: dict[str, bytes] = {}
    for name in (ADMIN_KEY, AUDIT_KEY):
        priv, pub = crypto.new_signing_keypair()
        private[name] = priv
        _put(conn, _META_PUBLIC.format(name), crypto.b64e(pub))
        keyring.trust[name] = crypto.b64e(pub)
    return private


def keys_for(role: Role, held: dict[str, bytes]) -> dict[str, bytes]:
    """The signing keys a user of ``role`` gets, from those the granting session holds."""
    return {name: held[name] for name in KEYS_OF_ROLE[role] if name in held}


def check_held_keys(conn: db.Connection, keyring: Keyring, keys: dict[str, bytes]) -> None:
    """The keys this user's slot opened must be the store's: else someone replaced them."""
    for name, private in keys.items():
        if crypto.signing_public(private) != public_key(conn, name, keyring):
            raise Tampered(
                say("store.signing_key_replaced",
                    "The store's {name} signing key was replaced (it no longer matches the one "
                    "sealed for you): the accounts and the audit log cannot be trusted. Do not "
                    "use this store; restore a backup and tell the ward's IT.",
                    name=name))


# -- the roster: every account, signed ---------------------------------------------------

def _roster_body(conn: db.Connection, store_id: str, serial: int) -> dict[str, Any]:
    users = {str(r[1]): {"id": int(r[0]), "role": str(r[2]), "active": bool(r[3])}
             for r in conn.execute("SELECT id, name, role, active FROM user ORDER BY id")}
    return {"store_id": store_id, "serial": serial, "users": users}


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign_roster(conn: db.Connection, store_id: str, admin_private: bytes) -> int:
    """Sign the account table as it is now (inside the caller's transaction)."""
    serial = roster_serial(conn) + 1
    body = _canonical(_roster_body(conn, store_id, serial))
    _put(conn, "trust.roster", body.decode("utf-8"))
    _put(conn, "trust.roster_sig", crypto.b64e(crypto.sign(admin_private, b"roster\n" + body)))
    return serial


def roster_serial(conn: db.Connection) -> int:
    raw = _get(conn, "trust.roster")
    return int(json.loads(raw)["serial"]) if raw else 0


def _verified_roster(conn: db.Connection, keyring: Keyring) -> dict[str, Any]:
    raw, sig = _get(conn, "trust.roster"), _get(conn, "trust.roster_sig")
    if raw is None or sig is None:
        raise Tampered(say("store.accounts_list_missing",
                           "The signed list of accounts is missing from the store; restore a "
                           "backup."))
    public = public_key(conn, ADMIN_KEY, keyring)
    if not crypto.signature_ok(public, b"roster\n" + raw.encode("utf-8"), crypto.b64d(sig)):
        raise Tampered(say("store.accounts_list_changed",
                           "The list of accounts was changed outside sohoa (its signature does "
                           "not verify); restore a backup and tell the ward's IT."))
    roster: dict[str, Any] = json.loads(raw)
    if roster.get("store_id") != keyring.store_id:
        raise Tampered(say("store.accounts_list_other_store",
                           "The list of accounts belongs to another store; restore a backup."))
    return roster


def check_not_downgraded(conn: db.Connection, keyring: Keyring) -> None:
    """An unsigned store must really be an old one, not a signed one stripped of its keys.

    Slots of the second format and the key file's public keys are only written once
    a store is signed, and a clerk cannot turn another user's slot back into the first
    format without that user's password: so their presence without the keys in the
    database means the keys were removed to make the store trust the table again.
    """
    if enabled(conn):
        return
    v2_slots = [e for e in keyring.entries.values() if e.get("v") == 2]
    if keyring.trust or v2_slots or keyring.recovery.get("v") == "2":
        raise Tampered(say("store.signing_keys_removed",
                           "The store's signing keys were removed from its database: the accounts "
                           "cannot be trusted. Restore a backup and tell the ward's IT."))


def verified_user(conn: db.Connection, keyring: Keyring, user: User) -> User:
    """``user`` as the signed roster has it; refused if the table was edited."""
    if not enabled(conn):
        check_not_downgraded(conn, keyring)
        return user
    entry = _verified_roster(conn, keyring)["users"].get(user.name)
    if entry is None or int(entry["id"]) != user.id:
        raise Tampered(say("store.account_not_signed",
                           "The account {name!r} was not made by an admin (it is not in the "
                           "signed list of accounts): refused.",
                           name=user.name))
    role, active = Role(entry["role"]), bool(entry["active"])
    if role is not user.role or active is not user.active:
        raise Tampered(say("store.account_edited_outside",
                           "The account {name!r} was edited outside sohoa (role or state differs "
                           "from the signed list of accounts): refused.",
                           name=user.name))
    return User(user.id, user.name, role, active)


def roster_problems(conn: db.Connection, keyring: Keyring) -> list[str]:
    """Every account that differs from the signed roster (for `audit verify`)."""
    if not enabled(conn):
        try:
            check_not_downgraded(conn, keyring)
        except Tampered as exc:
            return [str(exc)]
        return []  # an old store, signed at its first admin login
    try:
        users = _verified_roster(conn, keyring)["users"]
    except Tampered as exc:
        return [str(exc)]
    table = _roster_body(conn, keyring.store_id, 0)["users"]
    problems = [f"account {name!r} is not in the signed list" for name in table
                if name not in users]
    problems += [f"account {name!r} differs from the signed list" for name, v in table.items()
                 if name in users and users[name] != v]
    problems += [f"account {name!r} was deleted" for name in users if name not in table]
    return problems


def require_verified(session: Session, perm: Perm) -> None:
    """The role check, made again against the signed roster before a privileged action."""
    require(session.user, perm)
    row = session.conn.execute("SELECT id, name, role, active FROM user WHERE id = ?",
                               (session.user.id,)).fetchone()
    if row is None:
        raise Tampered(say("store.account_deleted_outside",
                           "The account {name!r} was deleted outside sohoa.",
                           name=session.user.name))
    table = User(int(row[0]), str(row[1]), Role(row[2]), bool(row[3]))
    require(verified_user(session.conn, session.keyring, table), perm)


# -- signed site settings -----------------------------------------------------------------

def _settings_body(conn: db.Connection, store_id: str) -> bytes:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'site_setting'").fetchone()
    values = dict(conn.execute("SELECT key, value FROM site_setting").fetchall()) if exists \
        else {}
    return _canonical({"store_id": store_id,
                       "settings": {k: values.get(k) for k in SIGNED_SETTINGS}})


def sign_settings(conn: db.Connection, store_id: str, admin_private: bytes) -> None:
    body = _settings_body(conn, store_id)
    _put(conn, "trust.site_sig", crypto.b64e(crypto.sign(admin_private, b"site\n" + body)))


def check_settings(conn: db.Connection) -> None:
    """Refuse site settings that weaken security unless an admin's key signed them."""
    if not enabled(conn):
        return
    store_id = _get(conn, "store_id") or ""
    sig = _get(conn, "trust.site_sig")
    body = _settings_body(conn, store_id)
    public = public_key(conn, ADMIN_KEY)
    if sig is None or not crypto.signature_ok(public, b"site\n" + body, crypto.b64d(sig)):
        raise Tampered(say("store.site_settings_tampered",
                           "The site settings (idle lock, warehouse address or CA bundle) were "
                           "changed outside sohoa: refused. Ask the admin to set them again."))


def admin_key(session: Session) -> bytes:
    """The admin signing key this session holds, or a clear refusal."""
    key = session.keys.get(ADMIN_KEY)
    if key is None:
        raise Tampered(say("store.no_admin_signing_key",
                           "{name} holds no admin signing key (the key entry was changed or the "
                           "account was not made by an admin).",
                           name=session.user.name))
    return key
