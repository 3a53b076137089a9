"""Creating a store, logging in, and the Session that every operation takes.

A ``Session`` is one authenticated user on one open database connection. It is
owned by one thread (SQLite's check_same_thread stays on); the GUI runs all
store work on its single database thread and receives results by signal.
"""

from __future__ import annotations

import contextlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from store import audit, crypto, db
from store.errors import (
    Conflict,
    NotInitialised,
    PermissionDenied,
    SohoaError,
    StoreCorrupt,
    UnknownUser,
    UsageError,
)
from store.fsutil import make_data_dir, make_private_dir
from store.keyring import Keyring
from store.lock import StoreLock
from store.roles import Role, User
from store.settings import StorePaths, StoreSettings

MIN_PASSWORD = 8


@dataclass
class Session:
    settings: StoreSettings
    conn: db.Connection
    user: User
    keyring: Keyring
    lock: StoreLock
    _data_key: bytearray = field(repr=False, default_factory=bytearray)

    @property
    def data_key(self) -> bytes:
        return bytes(self._data_key)

    @property
    def temp_dir(self) -> Path:
        return self.settings.paths.temp

    def close(self) -> None:
        """Close the connection and wipe the key copy we hold (best effort in Python)."""
        with contextlib.suppress(Exception):
            self.conn.close()
        for i in range(len(self._data_key)):
            self._data_key[i] = 0
        self.lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"A password needs at least {MIN_PASSWORD} characters.")


def check_user_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise UsageError("A user name is 1 to 64 characters without spaces.")
    return name


def init_store(settings: StoreSettings, admin: str, password: str) -> str:
    """Create an empty store with one admin; returns the recovery key (shown once)."""
    admin = check_user_name(admin)
    check_password(password)
    paths = settings.paths
    make_data_dir(paths.data_dir)
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=True, what="create a store")
    try:
        if paths.keyring.exists() or paths.db.exists():
            raise Conflict(f"A sohoa store already exists in {paths.data_dir}.")
        try:
            return _create(settings, admin, password)
        except BaseException:
            _remove_store_files(paths.db, paths.keyring)  # a retry starts clean
            raise
    finally:
        lock.release()


def _remove_store_files(*paths: Path) -> None:
    for path in paths:
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
            with contextlib.suppress(OSError):
                (path.parent / name).unlink()


def check_store_file(paths: StorePaths) -> None:
    """A missing or empty database file is damage, never a store to create afresh."""
    try:
        size = paths.db.stat().st_size
    except FileNotFoundError:
        raise StoreCorrupt(
            f"The store file is missing from {paths.data_dir}; restore a backup.") from None
    if size == 0:
        raise StoreCorrupt(
            f"The store file {paths.db.name} is empty (0 bytes); restore a backup.")


def _create(settings: StoreSettings, admin: str, password: str) -> str:
    paths = settings.paths
    make_private_dir(paths.temp)
    data_key = crypto.new_key()
    sealing_private, sealing_public = crypto.new_sealing_keypair()
    recovery_key = crypto.new_recovery_key()
    keyring = Keyring.create(sealing_public)
    keyring.set_password(admin, password, data_key, settings.kdf)
    keyring.set_recovery(recovery_key, data_key)
    conn = db.connect(paths.db, data_key, busy_timeout_ms=settings.busy_timeout_ms)
    try:
        db.migrate(conn)
        with db.transaction(conn):
            ts = audit.now()
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('store_id', ?), ('sealing_private', ?),"
                " ('created_at', ?)",
                (keyring.store_id, crypto.b64e(sealing_private), ts),
            )
            conn.execute(
                "INSERT INTO user (name, role, created_at) VALUES (?, 'admin', ?)", (admin, ts)
            )
            audit.append(conn, admin, "store.init", object_type="store",
                         object_id=keyring.store_id, detail={"station": settings.station})
    finally:
        conn.close()
    keyring.save(paths.keyring)
    return recovery_key


def open_session(settings: StoreSettings, user_name: str, password: str) -> Session:
    """Log in: unwrap the data key, open the database, migrate if needed, audit."""
    paths = settings.paths
    keyring = Keyring.load(paths.keyring)
    check_store_file(paths)
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=False)
    try:
        try:
            data_key = keyring.unlock(user_name, password)
        except SohoaError as exc:
            record_failed_login(settings, keyring, user_name, type(exc).__name__)
            raise
        return _start_session(settings, keyring, lock, user_name, data_key)
    except BaseException:
        lock.release()
        raise


def _start_session(
    settings: StoreSettings, keyring: Keyring, lock: StoreLock, user_name: str, data_key: bytes
) -> Session:
    paths = settings.paths
    conn = db.connect(paths.db, data_key, busy_timeout_ms=settings.busy_timeout_ms)
    try:
        _upgrade_if_needed(conn, lock)
        user = load_user(conn, user_name)
        if not user.active:
            _refuse_disabled(conn, paths.failures, user)
        _purge_temp(paths.temp, lock)
        with db.transaction(conn):
            import_failed_logins(conn, paths.failures)
            audit.append(conn, user.name, "login", object_type="user", object_id=user.name)
    except BaseException:
        conn.close()
        raise
    return Session(settings, conn, user, keyring, lock, bytearray(data_key))


def _refuse_disabled(conn: db.Connection, failures: Path, user: User) -> None:
    """A disabled account's attempt goes straight into the audit log (the key is at hand)."""
    with db.transaction(conn):
        import_failed_logins(conn, failures)
        audit.append(conn, user.name, "login.failed", object_type="user", object_id=user.name,
                     detail={"reason": "AccountDisabled"})
    raise PermissionDenied(f"The account {user.name!r} is disabled; ask the admin.")


def _upgrade_if_needed(conn: db.Connection, lock: StoreLock) -> None:
    if not db.needs_migration(conn):
        return
    lock.acquire(exclusive=True, what="upgrade the store")
    try:
        db.migrate(conn)
    finally:
        lock.downgrade()


def _purge_temp(temp: Path, lock: StoreLock) -> None:
    """Leftovers of a crashed run are purged, but only when no other process uses them."""
    try:
        lock.acquire(exclusive=True)
    except SohoaError:
        temp.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    try:
        make_private_dir(temp)
    finally:
        lock.downgrade()


def user_key(name: str) -> str:
    """How user names compare: NFC, then Unicode case folding (``Đức`` is ``đức``),
    the same rule as the key file's entries."""
    return unicodedata.normalize("NFC", name).casefold()


def find_user(conn: db.Connection, name: str) -> User | None:
    """The account called ``name`` in any letter case, or None.

    SQLite's NOCASE folds ASCII only, so the comparison is made here; a ward
    has a few dozen accounts at most.
    """
    wanted = user_key(name)
    for row in conn.execute("SELECT id, name, role, active FROM user"):
        if user_key(str(row[1])) == wanted:
            return User(int(row[0]), str(row[1]), Role(row[2]), bool(row[3]))
    return None


def load_user(conn: db.Connection, name: str) -> User:
    user = find_user(conn, name)
    if user is None:
        raise NotInitialised(f"The user {name!r} has a key but no account; ask the admin.")
    return user


# -- failed logins --------------------------------------------------------------

def record_failed_login(
    settings: StoreSettings, keyring: Keyring, user_name: str, reason: str
) -> None:
    """Seal the attempt to the store's public key; it joins the audit log at next login."""
    event = {"ts": audit.now(), "user": user_name[:64], "reason": reason,
             "station": settings.station}
    box = crypto.seal(keyring.sealing_public, json.dumps(event).encode("utf-8"))
    with contextlib.suppress(OSError), open(settings.paths.failures, "a", encoding="ascii") as fh:
        fh.write(crypto.b64e(box) + "\n")


def import_failed_logins(conn: db.Connection, journal: Path) -> int:
    if not journal.exists():
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'sealing_private'").fetchone()
    private = crypto.b64d(row[0])
    count = 0
    for line in journal.read_text("ascii", errors="replace").splitlines():
        try:
            event = json.loads(crypto.unseal(private, crypto.b64d(line.strip())))
        except (ValueError, crypto.UnwrapError):
            audit.append(conn, None, "login.failed", detail="unreadable journal line")
            continue
        audit.append(conn, event.get("user"), "login.failed", object_type="user",
                     object_id=event.get("user"), detail={"reason": event.get("reason")},
                     ts=event.get("ts"))
        count += 1
    journal.unlink()
    return count


def recover(settings: StoreSettings, user_name: str, recovery_key: str, new_password: str) -> None:
    """Set a new password for an admin who lost theirs, using the recovery key."""
    check_password(new_password)
    paths = settings.paths
    keyring = Keyring.load(paths.keyring)
    check_store_file(paths)
    try:
        data_key = keyring.unlock_recovery(recovery_key)
    except SohoaError as exc:
        record_failed_login(settings, keyring, user_name, f"recovery: {type(exc).__name__}")
        raise
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=False)
    try:
        conn = db.connect(paths.db, data_key, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            user = find_user(conn, user_name)
            if user is None:
                raise UnknownUser(f"There is no user named {user_name!r}.")
            if user.role is not Role.ADMIN:
                raise PermissionDenied("The recovery key resets admin passwords only.")
            keyring.set_password(user.name, new_password, data_key, settings.kdf)
            with db.transaction(conn):  # no audit row if the key file cannot be saved
                audit.append(conn, user.name, "user.recover", object_type="user",
                             object_id=user.name)
                keyring.save(paths.keyring)
        finally:
            conn.close()
    finally:
        lock.release()
