"""Opening the SQLCipher database, its pragmas, migrations and transactions.

All pragmas are set here and nowhere else. Migrations are numbered SQL files in
``store/migrations``; ``PRAGMA user_version`` records the last one applied, and
each runs in one transaction with the version bump, so a crash mid-upgrade
leaves the previous schema intact.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import sqlcipher3

from store.errors import (
    AccessDenied,
    BadInput,
    DiskFull,
    SohoaError,
    StoreCorrupt,
    StoreInUse,
    StoreTooNew,
)
from store.messages import say

# sqlcipher3 ships no type information; its Connection has the stdlib's API.
Connection = sqlite3.Connection
PAGE_SIZE = 4096
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration shipped, in order."""
    found = []
    for entry in MIGRATIONS_DIR.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migration numbers must be 1..N without gaps: {numbers}")
    return found


def latest_version() -> int:
    return len(migrations())


# Page authentication, newest first. New stores use HMAC-SHA256: on CPUs with the SHA
# extensions (every x86 since 2017-2019, and ARMv8) it costs half of SHA-512, which is
# the largest single cost of writing through SQLCipher, and a 256-bit HMAC is as strong a
# page MAC as a store needs. Stores made before that keep HMAC-SHA512 and still open.
HMAC_ALGORITHMS = ("HMAC_SHA256", "HMAC_SHA512")
# Every pragma but the key and the HMAC; shared with the benchmark's plain-SQLite peer so
# the ratio it reports is the cost of encryption alone.
CACHE_PRAGMAS = ("temp_store = MEMORY",  # no plaintext temp files
                 "cache_size = -32768")  # 32 MiB of decrypted pages


def connect(path: Path, key: bytes, *, busy_timeout_ms: int = 5000,
            hmac: str | None = None) -> Connection:
    """Open (or create) an encrypted database with a raw 256-bit key.

    ``hmac`` forces a page-MAC algorithm (a backup copy must match its source);
    otherwise a new file gets the first of :data:`HMAC_ALGORITHMS` and an
    existing one is opened with whichever of them it was written with.
    """
    if path.exists():
        size = path.stat().st_size
        if size % PAGE_SIZE:
            raise StoreCorrupt(
                say("store.file_truncated",
                    "The store file {name} is truncated ({size} bytes); restore a backup.",
                    name=path.name, size=size)
            )
    existing = path.exists() and path.stat().st_size > 0
    candidates = [hmac] if hmac else list(HMAC_ALGORITHMS if existing else HMAC_ALGORITHMS[:1])
    for i, algorithm in enumerate(candidates):
        try:
            return _open(path, key, algorithm, busy_timeout_ms)
        except StoreCorrupt:
            if i == len(candidates) - 1:
                raise
    raise AssertionError("unreachable")


def _open(path: Path, key: bytes, hmac: str, busy_timeout_ms: int) -> Connection:
    if hmac not in HMAC_ALGORITHMS:
        raise ValueError(f"unknown page MAC {hmac!r}")
    with translate_errors():
        conn = cast(Connection, sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=True))
    try:
        with translate_errors():
            conn.execute("PRAGMA cipher_log_level = NONE")  # our errors speak for it
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
            for pragma in CACHE_PRAGMAS:
                conn.execute(f"PRAGMA {pragma}")
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def hmac_algorithm(conn: Connection) -> str:
    """The page MAC this connection reads and writes with (for a matching copy)."""
    return str(conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0])


def user_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def needs_migration(conn: Connection) -> bool:
    current, latest = user_version(conn), latest_version()
    if current > latest:
        raise StoreTooNew(
            say("store.too_new",
                "This store was written by a newer sohoa (schema {current}, this program knows "
                "{latest}); install the newer version — downgrades are not supported.",
                current=current, latest=latest)
        )
    return current < latest


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Apply every migration above the current version (up to ``target``)."""
    applied = []
    for number, _name, sql in migrations():
        if number <= user_version(conn) or (target is not None and number > target):
            continue
        with translate_errors():
            try:
                conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        applied.append(number)
    return applied


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (nothing half-written)."""
    with translate_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _message(exc: BaseException) -> str:
    return str(exc).lower()


_TRANSLATIONS: list[tuple[tuple[str, ...], Callable[[str], SohoaError]]] = [
    (("disk is full", "disk full"), lambda m: DiskFull(
        say("store.disk_full_change",
            "The disk is full: the change in progress was not saved (what was saved before it "
            "stays). Free some space and try again."))),
    (("disk i/o error",), lambda m: DiskFull(
        say("store.write_failed",
            "The store could not be written: the disk is full or failing. The change in progress "
            "was not saved; free some space and try again."))),
    (("not a database", "malformed", "encrypted"), lambda m: StoreCorrupt(
        say("store.file_damaged",
            "The store file is damaged or is not a sohoa store; restore a backup."))),
    (("readonly", "read-only"), lambda m: AccessDenied(
        say("store.read_only",
            "The store's files cannot be written (read-only: a file, such as store.db-shm, or the "
            "folder); ask IT to give them back to the sohoa user. Nothing was changed."))),
    (("unable to open",), lambda m: BadInput(
        say("store.cannot_open",
            "Cannot open the store file: check that the folder exists and is writable."))),
    (("locked", "busy"), lambda m: StoreInUse(
        say("store.busy", "The store is busy with another sohoa program; try again in a moment."))),
]


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn SQLite's errors into errors a clerk can act on."""
    try:
        yield
    except sqlcipher3.Error as exc:
        message = _message(exc)
        for needles, make in _TRANSLATIONS:
            if any(n in message for n in needles):
                raise make(message) from exc
        raise
    except OSError as exc:
        if exc.errno == 28:
            raise DiskFull(say("store.disk_full_unsaved",
                               "The disk is full: the change in progress was not saved.")) from exc
        raise


def rows(conn: Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
    with translate_errors():
        return list(conn.execute(sql, params).fetchall())
