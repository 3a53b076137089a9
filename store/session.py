"""Creating a store, logging in, and the Session that every operation takes.

A ``Session`` is one authenticated user on one open database connection. It is
owned by one thread (SQLite's check_same_thread stays on); the GUI runs all
store work on its single database thread and receives results by signal.

A login proves the password (Argon2id), opens the database, then checks the
account against the roster signed with the admin key (:mod:`store.trust`): a
role or an account state edited inside the database is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store import anchor, audit, crypto, db, journal, trust
from store.errors import (
    Conflict,
    NotInitialised,
    PermissionDenied,
    SohoaError,
    StoreCorrupt,
    Tampered,
    UnknownUser,
    UsageError,
    WrongPassword,
)
from store.fsutil import fsync_dir, make_data_dir, make_private_dir
from store.keyring import LOGIN_REFUSED, Keyring, Slot
from store.lock import StoreLock
from store.messages import say
from store.roles import Role, User
from store.settings import StorePaths, StoreSettings

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MIN_PASSWORD = 8
# Refused outright: the passwords tried first by anyone guessing (and by the attack audit).
WEAK_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "password",
    "password1", "matkhau1", "matkhau123", "abcd1234", "qwertyui", "qwerty123", "iloveyou",
    "admin123", "admin1234", "administrator", "sohoa123", "12345678a", "a12345678",
    "123123123", "abc12345", "passw0rd", "welcome1", "changeme",
})
USER_NAME_PUNCTUATION = ".-_"


@dataclass
class Session:
    settings: StoreSettings
    conn: db.Connection
    user: User
    keyring: Keyring
    lock: StoreLock
    _data_key: bytearray = field(repr=False, default_factory=bytearray)
    keys: dict[str, bytes] = field(repr=False, default_factory=dict)  # signing keys held

    @property
    def data_key(self) -> bytes:
        return bytes(self._data_key)

    def replace_data_key(self, key: bytes) -> None:
        self._data_key[:] = key

    @property
    def temp_dir(self) -> Path:
        return self.settings.paths.temp

    def close(self) -> None:
        """Anchor the audit head (if we may), close, wipe the key copies (best effort)."""
        with contextlib.suppress(Exception):
            anchor.write_best_effort(self.conn, self.settings.paths, self.keyring, self.keys,
                                     self.user.name)
        with contextlib.suppress(Exception):
            self.conn.close()
        for i in range(len(self._data_key)):
            self._data_key[i] = 0
        self.keys.clear()
        self.lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- names and passwords ------------------------------------------------------------

def check_password(password: str, user_name: str | None = None) -> None:
    """Refuse passwords a guesser tries first (issue 12: 8 spaces, aaaaaaaa, 12345678)."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(say("store.password_too_short",
                             "A password needs at least {n} characters.",
                             n=MIN_PASSWORD))
    folded = unicodedata.normalize("NFC", password).casefold()
    if len(set(folded.strip())) < 3:
        raise UsageError(say("store.password_too_simple",
                             "This password is too simple (one or two characters repeated); "
                             "choose another."))
    if folded in WEAK_PASSWORDS or folded.strip() in WEAK_PASSWORDS or _is_run(folded):
        raise UsageError(say("store.password_common",
                             "This password is on the list of common passwords; choose another."))
    if user_name and folded == user_key(user_name):
        raise UsageError(say("store.password_is_name", "A password may not be the user name."))


def _is_run(text: str) -> bool:
    """1234567890, 98765432, abcdefgh: every step +1 or every step -1."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return steps in ({1}, {-1})


def normalise_user_name(name: str) -> str:
    """NFKC: full-width letters, ligatures and the like become the plain letters."""
    return unicodedata.normalize("NFKC", name).strip()


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNKNOWN").split(" ")[0]


def check_user_name(name: str) -> str:
    """Letters (Vietnamese included) of one script, ASCII digits, '.', '-', '_'.

    Refuses look-alikes (Cyrillic 'а' in a Latin name), zero-width and
    direction characters, escape sequences and spaces.
    """
    name = normalise_user_name(name)
    if not 1 <= len(name) <= 64:
        raise UsageError(say("store.user_name_length", "A user name is 1 to 64 characters."))
    for ch in name:
        if not (ch.isalpha() or ch in "0123456789" or ch in USER_NAME_PUNCTUATION):
            raise UsageError(say("store.user_name_chars",
                                 "A user name may hold letters, digits, '.', '-' and '_' only "
                                 "(not U+{ch:04X}).",
                                 ch=ord(ch)))
        if ch.isalpha() and unicodedata.category(ch) not in ("Lu", "Ll"):
            raise UsageError(say("store.user_name_chars",
                                 "A user name may hold letters, digits, '.', '-' and '_' only "
                                 "(not U+{ch:04X}).",
                                 ch=ord(ch)))
    scripts = {_script(ch) for ch in name if ch.isalpha()}
    if len(scripts) > 1:
        raise UsageError(say("store.user_name_mixed_scripts",
                             "A user name must be written in one alphabet (letters of {scripts} "
                             "are mixed).",
                             scripts=' and '.join(sorted(scripts)).lower()))
    if name[0] in USER_NAME_PUNCTUATION:
        raise UsageError(say("store.user_name_first_char",
                             "A user name starts with a letter or a digit."))
    return name


# -- creating a store ---------------------------------------------------------------

def init_store(settings: StoreSettings, admin: str, password: str) -> str:
    """Create an empty store with one admin; returns the recovery key (shown once)."""
    admin = check_user_name(admin)
    check_password(password, admin)
    paths = settings.paths
    make_data_dir(paths.data_dir)
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=True, what="create a store")
    try:
        if paths.keyring.exists() or paths.db.exists():
            raise Conflict(say("store.already_initialised",
                               "A sohoa store already exists in {data_dir}.",
                               data_dir=paths.data_dir))
        try:
            return _create(settings, admin, password)
        except BaseException:
            _remove_store_files(paths.db, paths.keyring, paths.journal_key)
            raise
    finally:
        lock.release()


def _remove_store_files(*paths: Path) -> None:
    for path in paths:
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
            with contextlib.suppress(OSError):
                (path.parent / name).unlink()


def check_no_restore_pending(paths: StorePaths) -> None:
    """A restore cut short is finished or rolled back here, never answered with `init`."""
    if paths.restore_marker.exists() or any(paths.data_dir.glob("*.restoring")):
        from store import backup  # backup builds on this module

        backup.settle_restore(paths)


def check_store_file(paths: StorePaths) -> None:
    """A missing or empty database file is damage, never a store to create afresh."""
    try:
        size = paths.db.stat().st_size
    except FileNotFoundError:
        raise StoreCorrupt(
            say("store.file_missing",
                "The store file is missing from {data_dir}; restore a backup.",
                data_dir=paths.data_dir)) from None
    except PermissionError:
        raise StoreCorrupt(say("store.file_unreadable",
                               "The store file in {data_dir} cannot be read (permissions); ask IT "
                               "to give the folder back to the sohoa user.",
                               data_dir=paths.data_dir)) from None
    if size == 0:
        raise StoreCorrupt(
            say("store.file_empty",
                "The store file {name} is empty (0 bytes); restore a backup.",
                name=paths.db.name))


def _create(settings: StoreSettings, admin: str, password: str) -> str:
    paths = settings.paths
    make_private_dir(paths.temp)
    data_key = crypto.new_key()
    sealing_private, sealing_public = crypto.new_sealing_keypair()
    recovery_key = crypto.new_recovery_key()
    keyring = Keyring.create(sealing_public)
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
            keys = trust.create_keys(conn, keyring)
            trust.sign_roster(conn, keyring.store_id, keys[trust.ADMIN_KEY])
            trust.sign_settings(conn, keyring.store_id, keys[trust.ADMIN_KEY])
            journal.start(conn, paths)
            audit.append(conn, admin, "store.init", object_type="store",
                         object_id=keyring.store_id, detail={"station": settings.station})
    finally:
        conn.close()
    keyring.set_password(admin, password, data_key, settings.kdf, keys=keys)
    keyring.set_recovery(recovery_key, data_key, keys=keys)
    keyring.save(paths.keyring)
    return recovery_key


# -- the key file and the database, changed as one step ------------------------------

@contextlib.contextmanager
def keyring_update(session: Session) -> Iterator[tuple[Keyring, db.Connection]]:
    """Change the key file and the database as one step, whatever stops the program.

    The new key file is written beside the live one (``keyring.json.pending``) and
    its SHA-256 recorded in ``meta`` inside the database transaction, *before* the
    commit; after the commit it is renamed into place. A full disk fails the write
    and rolls the database back (no account or audit row claims a change that did
    not happen); a kill between the commit and the rename is settled at the next
    login (:func:`_settle_pending`): the database says whether the change committed.
    Two programs changing passwords at once are kept apart by ``keyring.lock``.
    """
    paths = session.settings.paths
    with open(paths.data_dir / "keyring.lock", "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        keyring = Keyring.load(paths.keyring)
        try:
            with db.transaction(session.conn) as conn:
                yield keyring, conn
                keyring.save(paths.keyring_pending)
                _put_meta(conn, _META_PENDING, hashlib.sha256(keyring.to_bytes()).hexdigest())
        except BaseException:
            _drop_pending(paths)
            raise
        _promote_pending(paths)
        session.keyring = keyring


def _drop_pending(paths: StorePaths) -> None:
    with contextlib.suppress(OSError):
        paths.keyring_pending.unlink()


def _promote_pending(paths: StorePaths) -> None:
    os.replace(paths.keyring_pending, paths.keyring)
    fsync_dir(paths.data_dir)


_META_PENDING = "keyring.pending_sha256"


def _put_meta(conn: db.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _settle_pending(conn: db.Connection, paths: StorePaths, keyring: Keyring) -> Keyring:
    """A key file change cut short after or before its commit: finished, or dropped."""
    try:
        data = paths.keyring_pending.read_bytes()
    except FileNotFoundError:
        return keyring
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META_PENDING,)).fetchone()
    if row is not None and row[0] == hashlib.sha256(data).hexdigest():
        _promote_pending(paths)
        return Keyring.load(paths.keyring)
    paths.keyring_pending.unlink()
    return keyring


# -- logging in -----------------------------------------------------------------------

def open_session(settings: StoreSettings, user_name: str, password: str) -> Session:
    """Log in: unwrap the data key, open the database, check the signed account, audit."""
    paths = settings.paths
    user_name = normalise_user_name(user_name)
    check_no_restore_pending(paths)
    keyring = Keyring.load(paths.keyring)
    check_store_file(paths)
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=False)
    try:
        key_id = keyring.key_id(user_name)
        try:
            journal.check_throttle(paths, key_id)
        except SohoaError:
            record_failed_login(settings, keyring, user_name, "Throttled")
            raise
        try:
            slot, from_pending = _open_any_slot(paths, keyring, user_name, password)
        except SohoaError as exc:
            journal.note_attempt(paths, key_id, failed=True)
            record_failed_login(settings, keyring, user_name, type(exc).__name__)
            raise
        conn, keyring, slot = _connect(settings, keyring, user_name, password, slot)
        settled = _settle_pending(conn, paths, keyring)
        if from_pending or settled is not keyring:  # the password must open the settled file
            try:
                slot = settled.open_slot(user_name, password)
            except SohoaError:
                conn.close()
                raise
        keyring = settled
        journal.note_attempt(paths, key_id, failed=False)
        return _start_session(settings, keyring, lock, user_name, slot, conn, password)
    except BaseException:
        lock.release()
        raise


def _open_any_slot(paths: StorePaths, keyring: Keyring, user_name: str,
                   password: str) -> tuple[Slot, bool]:
    """The live key file's slot, or that of a change not yet renamed into place (settled
    once the database is open); True when it came from the pending file."""
    try:
        return keyring.open_slot(user_name, password), False
    except WrongPassword:
        if not paths.keyring_pending.exists():
            raise
        try:
            pending = Keyring.load(paths.keyring_pending)
        except SohoaError:
            raise WrongPassword(say("store.login_refused", LOGIN_REFUSED)) from None
        return pending.open_slot(user_name, password), True


def _connect(settings: StoreSettings, keyring: Keyring, user_name: str, password: str,
             slot: Slot) -> tuple[db.Connection, Keyring, Slot]:
    """Open the database; finish a re-key that a crash cut between its two steps.

    A re-key writes ``keyring.json.next`` (the new key sealed to every slot),
    re-encrypts the database, then renames the file. If the old key no longer
    opens the database, the re-key committed: the new file is the key file.
    If the old key opens it, the re-key never happened: the new file goes.
    """
    paths = settings.paths
    try:
        conn = db.connect(paths.db, slot.data_key, busy_timeout_ms=settings.busy_timeout_ms)
    except StoreCorrupt:
        if not paths.keyring_next.exists():
            raise
        newer = Keyring.load(paths.keyring_next)
        newer_slot = newer.open_slot(user_name, password)
        conn = db.connect(paths.db, newer_slot.data_key, busy_timeout_ms=settings.busy_timeout_ms)
        os.replace(paths.keyring_next, paths.keyring)
        fsync_dir(paths.data_dir)
        return conn, newer, newer_slot
    if paths.keyring_next.exists():  # we hold the shared lock: no re-key is running
        with contextlib.suppress(OSError):
            paths.keyring_next.unlink()
    return conn, keyring, slot


def _start_session(
    settings: StoreSettings, keyring: Keyring, lock: StoreLock, user_name: str, slot: Slot,
    conn: db.Connection, password: str,
) -> Session:
    paths = settings.paths
    try:
        _upgrade_if_needed(conn, lock)
        user = _verified(conn, keyring, load_user(conn, user_name))
        if not user.active:
            _refuse_disabled(conn, paths, user)
        if slot.keys:
            _checked_keys(conn, keyring, user, slot.keys)
        _purge_temp(paths.temp, lock)
        journal.import_then_commit(conn, paths, lambda c: audit.append(
            c, user.name, "login", object_type="user", object_id=user.name))
    except BaseException:
        conn.close()
        raise
    session = Session(settings, conn, user, keyring, lock, bytearray(slot.data_key),
                      dict(slot.keys))
    try:
        _after_login(session, slot, password)
    except BaseException:
        session.close()
        raise
    return session


def _verified(conn: db.Connection, keyring: Keyring, user: User) -> User:
    """The account as the signed roster has it; a mismatch is refused and audited."""
    try:
        return trust.verified_user(conn, keyring, user)
    except Tampered as exc:
        _audit_tamper(conn, user.name, str(exc))
        raise


def _checked_keys(conn: db.Connection, keyring: Keyring, user: User,
                  keys: dict[str, bytes]) -> None:
    try:
        trust.check_held_keys(conn, keyring, keys)
    except Tampered as exc:
        _audit_tamper(conn, user.name, str(exc))
        raise


def _audit_tamper(conn: db.Connection, user_name: str, what: str) -> None:
    with contextlib.suppress(SohoaError), db.transaction(conn):
        audit.append(conn, user_name, "tamper.detected", object_type="user",
                     object_id=user_name, detail={"what": what})


def _after_login(session: Session, slot: Slot, password: str) -> None:
    """Upgrade an old key entry, sign an old store's accounts, hand out keys, re-key, anchor."""
    conn, user = session.conn, session.user
    # An old store's slots stay in the first format until an admin has signed it: a
    # second-format slot in an unsigned store is the mark of keys removed (trust.py).
    upgrade = slot.legacy and (trust.enabled(conn) or user.role is Role.ADMIN)
    if upgrade or (user.role is Role.ADMIN and not trust.enabled(conn)):
        with keyring_update(session) as (keyring, _):
            if user.role is Role.ADMIN and not trust.enabled(conn):
                session.keys = trust.create_keys(conn, keyring)
                trust.sign_roster(conn, keyring.store_id, session.keys[trust.ADMIN_KEY])
                trust.sign_settings(conn, keyring.store_id, session.keys[trust.ADMIN_KEY])
                audit.append(conn, user.name, "store.sign", object_type="store",
                             detail={"what": "accounts and site settings signed"})
            keyring.set_password(user.name, password, session.data_key, session.settings.kdf,
                                 keys=trust.keys_for(user.role, session.keys))
    if trust.ADMIN_KEY in session.keys:
        _grant_missing(session)
    _rekey_if_pending(session)
    anchor.write_best_effort(conn, session.settings.paths, session.keyring, session.keys,
                             user.name)


def _grant_missing(session: Session) -> None:
    """Seal the signing keys for admins and supervisors whose slots lack them."""
    rows = session.conn.execute("SELECT name, role FROM user WHERE active = 1").fetchall()
    lacking = [(str(n), Role(r)) for n, r in rows if Role(r) is not Role.CLERK
               and (e := session.keyring.entries.get(session.keyring.key_id(str(n))))
               and e.get("v") == 2 and "keys" not in e]
    recovery = session.keyring.recovery
    recovery_lacks = recovery.get("v") == "2" and "keys" not in recovery
    if not lacking and not recovery_lacks:
        return
    with keyring_update(session) as (keyring, conn):
        for name, role in lacking:
            keyring.grant(name, trust.keys_for(role, session.keys))
        if recovery_lacks:
            keyring.grant_recovery(trust.keys_for(Role.ADMIN, session.keys))
        audit.append(conn, session.user.name, "user.keys", object_type="user",
                     detail={"granted": [n for n, _ in lacking]})


def _rekey_if_pending(session: Session) -> None:
    row = session.conn.execute("SELECT value FROM meta WHERE key = 'rekey.pending'").fetchone()
    if row is None:
        return
    from store import rekey

    with contextlib.suppress(SohoaError):
        rekey.rekey(session, str(row[0]))


def _refuse_disabled(conn: db.Connection, paths: StorePaths, user: User) -> None:
    """A disabled account's attempt goes straight into the audit log (the key is at hand)."""
    journal.import_then_commit(conn, paths, lambda c: audit.append(
        c, user.name, "login.failed", object_type="user", object_id=user.name,
        detail={"reason": "AccountDisabled"}))
    raise PermissionDenied(say("store.account_disabled",
                               "The account {name!r} is disabled; ask the admin.",
                               name=user.name))


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
    """How user names compare: NFKC, then Unicode case folding (``Đức`` is ``đức``),
    the same rule as the key file's entries."""
    return unicodedata.normalize("NFC", normalise_user_name(name)).casefold()


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
        raise NotInitialised(say("store.key_without_account",
                                 "The user {name!r} has a key but no account; ask the admin.",
                                 name=name))
    return user


# -- failed logins --------------------------------------------------------------

def record_failed_login(
    settings: StoreSettings, keyring: Keyring, user_name: str, reason: str
) -> None:
    """Seal and MAC the attempt (store/journal.py); it joins the audit log at next login."""
    event = {"ts": audit.now(), "user": user_name[:64], "reason": reason,
             "station": settings.station}
    journal.append(settings.paths, keyring.sealing_public, event)


def recover(settings: StoreSettings, user_name: str, recovery_key: str, new_password: str) -> None:
    """Set a new password for an admin who lost theirs, using the recovery key."""
    paths = settings.paths
    user_name = normalise_user_name(user_name)
    check_password(new_password, user_name)
    check_no_restore_pending(paths)
    keyring = Keyring.load(paths.keyring)
    check_store_file(paths)
    try:
        slot = keyring.open_recovery(recovery_key)
    except SohoaError as exc:
        record_failed_login(settings, keyring, user_name, f"recovery: {type(exc).__name__}")
        raise
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=False)
    try:
        conn = db.connect(paths.db, slot.data_key, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            user = find_user(conn, user_name)
            if user is None:
                raise UnknownUser(say("store.user_not_found",
                                      "There is no user named {user_name!r}.",
                                      user_name=user_name))
            user = _verified(conn, keyring, user)
            if user.role is not Role.ADMIN:
                raise PermissionDenied(say("store.recovery_admin_only",
                                           "The recovery key resets admin passwords only."))
            keyring.set_password(user.name, new_password, slot.data_key, settings.kdf,
                                 keys=trust.keys_for(user.role, slot.keys))
            if slot.legacy:  # now the recovery key is known, it gets a sealed slot too
                keyring.set_recovery(recovery_key, slot.data_key, keys=slot.keys)
            try:  # as keyring_update: pending file, its hash committed, then renamed
                with db.transaction(conn):
                    audit.append(conn, user.name, "user.recover", object_type="user",
                                 object_id=user.name)
                    keyring.save(paths.keyring_pending)
                    _put_meta(conn, _META_PENDING,
                              hashlib.sha256(keyring.to_bytes()).hexdigest())
            except BaseException:
                _drop_pending(paths)
                raise
            _promote_pending(paths)
        finally:
            conn.close()
    finally:
        lock.release()
