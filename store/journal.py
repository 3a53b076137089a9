"""The failed-login journal (authenticated, its loss detected) and the login slowdown.

A failed login cannot be written to a database that did not open, so it is
sealed to the store's public key (nobody reads it without unlocking the store)
and appended to ``login-failures.jsonl``. Sealing alone let anyone forge or
delete lines, so each line also carries a MAC under a *ratcheting* key
(forward-secure, after Bellare and Yee): line ``i`` is MACed with ``K_i``, then
the key file moves on to ``K_{i+1} = SHA-256(K_i)`` and ``K_i`` is gone. The
store remembers the key and index it expects next. So:

- a line written before someone read the key file cannot be altered or forged;
- cutting lines off the end leaves the key file ahead of the last line, and the
  old keys cannot be recomputed: the gap is seen;
- deleting the journal and its key file is seen (the store expected them).

Honest limit: someone who copies the key file before her own failed attempts
can later rewrite those (and only those) lines.

The slowdown: failed attempts per hashed user name live in
``login-throttle.json``; from the fifth one on, the next try waits 5, 10, 20 ...
seconds (at most 5 minutes) after the last failure, and a try during the wait
counts as a failure. The same applies to names
that do not exist, so the slowdown tells nothing about which accounts exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from store import audit, crypto, db, trust
from store.errors import WrongPassword
from store.fsutil import atomic_write
from store.messages import say
from store.settings import StorePaths

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MAX_JOURNAL_BYTES = 8 * 1024 * 1024
FREE_ATTEMPTS = 4
MAX_DELAY_S = 300
_META = "journal.expected"


@contextlib.contextmanager
def _locked(paths: StorePaths) -> Iterator[None]:
    """One writer of the journal files at a time (logins in several programs)."""
    with open(paths.data_dir / "journal.lock", "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield


def _mac(key: bytes, index: int, box: str) -> str:
    return hmac.new(key, f"{index}:{box}".encode("ascii"), hashlib.sha256).hexdigest()


def _next(key: bytes) -> bytes:
    return hashlib.sha256(b"sohoa journal ratchet\n" + key).digest()


def _read_key(paths: StorePaths) -> tuple[int, bytes] | None:
    try:
        doc = json.loads(paths.journal_key.read_text("ascii"))
        return int(doc["i"]), crypto.b64d(doc["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_key(paths: StorePaths, index: int, key: bytes) -> None:
    atomic_write(paths.journal_key,
                 json.dumps({"i": index, "key": crypto.b64e(key)}).encode("ascii"))


def append(paths: StorePaths, sealing_public: bytes, event: dict[str, Any]) -> None:
    """Seal and MAC one event; best effort (a full disk must not hide the refusal)."""
    box = crypto.b64e(crypto.seal(sealing_public, json.dumps(event).encode("utf-8")))
    with contextlib.suppress(OSError), _locked(paths):
        state = _read_key(paths)
        if state is None:  # lost or never made: a fresh chain the store will not expect
            state = (0, os.urandom(32))
        index, key = state
        line = json.dumps({"i": index, "box": box, "mac": _mac(key, index, box)})
        with open(paths.failures, "a", encoding="ascii") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        _write_key(paths, index + 1, _next(key))


def start(conn: db.Connection, paths: StorePaths) -> None:
    """A new chain the store expects (init, and after each import); caller's transaction."""
    key = os.urandom(32)
    with _locked(paths):
        _write_key(paths, 0, key)
    _expect(conn, 0, key)


def _expect(conn: db.Connection, index: int, key: bytes) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                 " SET value = excluded.value",
                 (_META, json.dumps({"i": index, "key": crypto.b64e(key)})))


def _expected(conn: db.Connection) -> tuple[int, bytes] | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META,)).fetchone()
    if row is None:
        return None
    doc = json.loads(row[0])
    return int(doc["i"]), crypto.b64d(doc["key"])


def import_then_commit(conn: db.Connection, paths: StorePaths,
                       also: Callable[[db.Connection], object]) -> int:
    """Move the journal into the audit log in one transaction (with ``also``'s rows).

    The journal stays locked from reading to emptying, and is emptied only after the
    commit: a kill in between leaves lines the store already holds, which the next
    import recognises by their index and skips (the store expects the index after
    them). A rolled-back transaction leaves the journal as it was.
    """
    private = crypto.b64d(conn.execute(
        "SELECT value FROM meta WHERE key = 'sealing_private'").fetchone()[0])
    with _locked(paths):
        with db.transaction(conn):
            count, fresh_key = _import(conn, paths, private)
            also(conn)
        if fresh_key is not None:
            _write_key(paths, 0, fresh_key)
        with contextlib.suppress(FileNotFoundError):
            paths.failures.unlink()
    return count


def _import(conn: db.Connection, paths: StorePaths, private: bytes) -> tuple[int, bytes | None]:
    """Audit rows for every new line and every problem; the fresh key to start, if any."""
    lines = _read_lines(paths.failures)
    expected = _expected(conn)
    key_state = _read_key(paths)
    count, problems, end = _import_lines(conn, private, lines, expected)
    problems += _end_problems(expected, key_state, end, lines)
    if expected is None and trust.enabled(conn):  # a signed store always has the state
        problems.append("the failed-login journal's state was removed from the store: its "
                        "lines could not be checked")
    for problem in problems:
        audit.append(conn, None, "login.journal", object_type="journal",
                     detail={"problem": problem})
    if problems or expected is None or key_state is None or end is None:
        fresh = os.urandom(32)
        _expect(conn, 0, fresh)
        return count, fresh
    _expect(conn, *end)  # the chain goes on where the key file is
    return count, None


def _read_lines(path: Path) -> list[str] | None:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_JOURNAL_BYTES)
    except FileNotFoundError:
        return None
    return raw.decode("ascii", errors="replace").splitlines()


def _import_lines(conn: db.Connection, private: bytes, lines: list[str] | None,
                  expected: tuple[int, bytes] | None
                  ) -> tuple[int, list[str], tuple[int, bytes] | None]:
    index, key = expected if expected else (0, b"")
    count = 0
    problems: list[str] = []
    for number, line in enumerate(lines or [], start=1):
        try:
            doc = json.loads(line)
            box = str(doc.get("box", line)) if isinstance(doc, dict) else line
        except ValueError:
            doc, box = None, line.strip()
        if expected is not None and isinstance(doc, dict) and _already_imported(doc, expected):
            continue  # imported before a kill stopped the journal from being emptied
        authentic = (expected is not None and isinstance(doc, dict) and doc.get("i") == index
                     and hmac.compare_digest(str(doc.get("mac", "")), _mac(key, index, box)))
        if expected is not None and not authentic:
            problems.append(f"line {number} of the failed-login journal was altered, inserted "
                            "or forged")
        if authentic:
            index, key = index + 1, _next(key)
        try:
            event = json.loads(crypto.unseal(private, crypto.b64d(box)))
        except (ValueError, crypto.UnwrapError):
            audit.append(conn, None, "login.failed", detail="unreadable journal line")
            continue
        audit.append(conn, event.get("user"), "login.failed", object_type="user",
                     object_id=event.get("user"),
                     detail={"reason": event.get("reason"), "authentic": authentic},
                     ts=event.get("ts"))
        count += 1
    return count, problems, ((index, key) if expected is not None else None)


def _already_imported(doc: dict[str, Any], expected: tuple[int, bytes]) -> bool:
    """A line below the expected index: the store holds it (its key is gone, so it cannot
    be checked again; a forger could only add such lines, never hide others with them)."""
    index = doc.get("i")
    return isinstance(index, int) and index < expected[0]


def _end_problems(expected: tuple[int, bytes] | None, key_state: tuple[int, bytes] | None,
                  end: tuple[int, bytes] | None, lines: list[str] | None) -> list[str]:
    if expected is None or end is None:
        return []  # a store made before the authenticated journal
    if key_state is None:
        return ["the failed-login journal's key file was deleted: attempts may be lost"]
    if key_state[0] > end[0]:
        if lines is None:
            return ["the failed-login journal was deleted: attempts were lost"]
        return [f"the failed-login journal lost lines: {key_state[0] - end[0]} attempt(s) "
                "were removed"]
    if key_state != end:
        return ["the failed-login journal's key file was replaced or rolled back"]
    return []


# -- the slowdown ------------------------------------------------------------------------

def _load_throttle(paths: StorePaths) -> dict[str, Any]:
    try:
        with open(paths.throttle, "rb") as fh:
            doc = json.loads(fh.read(1 << 20))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}


def check_throttle(paths: StorePaths, key_id: str, now: float | None = None) -> None:
    """Refuse (without trying the password) while this name must still wait."""
    entry = _load_throttle(paths).get(key_id)
    if not isinstance(entry, dict):
        return
    wait = delay(int(entry.get("n", 0))) - ((now or time.time()) - float(entry.get("last", 0)))
    if wait > 0:
        note_attempt(paths, key_id, failed=True)  # hammering during the wait lengthens it
        raise WrongPassword(say("store.login_throttled",
                                "Too many failed attempts for this name: wait {seconds} s and try "
                                "again.",
                                seconds=int(wait) + 1))


def delay(failures: int) -> float:
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return float(min(5 * 2 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_S))


def note_attempt(paths: StorePaths, key_id: str, failed: bool) -> None:
    """Count a failure (or clear the count after a success); best effort."""
    with contextlib.suppress(OSError), _locked(paths):
        doc = _load_throttle(paths)
        if failed:
            old = doc.get(key_id)
            n = int(old.get("n", 0)) if isinstance(old, dict) else 0
            doc[key_id] = {"n": n + 1, "last": time.time()}
        elif key_id in doc:
            del doc[key_id]
        else:
            return
        atomic_write(paths.throttle, json.dumps(doc).encode("ascii"))
