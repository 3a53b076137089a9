"""Encrypted backup (online) and verified restore.

A backup is a tar file holding a manifest, the key file (wrapped keys only)
and a page-for-page copy of the database made with SQLite's online backup API
while the store stays in use. The database copy is encrypted with the same
data key, so the backup is as unreadable as the store without a password, and
any user's password (or the recovery key) of the time of the backup opens it.

Restore checks everything first (format, store id, password, integrity, signed
admin role) in the private temp folder, then swaps files crash-safely; the
previous store is kept beside it (``*.pre-restore-<time>``), so nothing is lost
even by a mistaken restore. A backup of another store is refused unless the
current store's admin asks for it (``--replace-store``), audited in both.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store import anchor, audit, db, journal, trust
from store.errors import (
    BadInput,
    Conflict,
    PermissionDenied,
    RestorePending,
    SohoaError,
    StoreCorrupt,
    StoreInUse,
    UnknownUser,
    WrongPassword,
)
from store.fsutil import atomic_write, fsync_dir, make_data_dir, output_file, private_tempdir
from store.keyring import Keyring, Slot
from store.lock import StoreLock
from store.messages import say
from store.roles import Perm, Role
from store.session import Session, load_user, open_session, record_failed_login
from store.settings import StorePaths, StoreSettings
from store.trust import require_verified

FORMAT = "sohoa-backup"
VERSION = 1


@dataclass(frozen=True)
class BackupInfo:
    path: str
    size: int
    schema: int
    documents: int
    created_at: str
    kept_previous: bool = False  # restore: the store it replaced was kept beside it


def backup(session: Session, out: Path) -> BackupInfo:
    require_verified(session, Perm.KEYS)
    out = out.expanduser()
    if out.exists():
        raise BadInput(say("store.backup_file_exists",
                           "{out} already exists; choose a new file name.",
                           out=out))
    with private_tempdir(session.temp_dir) as work:
        snapshot = work / "store.db"
        _snapshot(session, snapshot)
        manifest = _manifest(session, snapshot)
        with output_file(out, "the backup") as part:
            _write_tar(part, manifest, session.settings.paths.keyring, snapshot)
            # Audited before the file gets its name: a kill in between leaves a row for a
            # backup that is not there, never a backup that no row mentions.
            with db.transaction(session.conn) as conn:
                audit.append(conn, session.user.name, "store.backup", object_type="store",
                             detail={"file": out.name, "sha256": manifest["db_sha256"]})
    return BackupInfo(str(out), out.stat().st_size, int(manifest["schema"]),
                      int(manifest["documents"]), str(manifest["created_at"]))


def _snapshot(session: Session, target: Path) -> None:
    """Copy the live database page by page (SQLite online backup; others keep working)."""
    dest = db.connect(target, session.data_key, hmac=db.hmac_algorithm(session.conn))
    try:
        with db.translate_errors():
            dest.execute("PRAGMA journal_mode = DELETE")
            session.conn.backup(dest, pages=256)
    finally:
        dest.close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _manifest(session: Session, snapshot: Path) -> dict[str, Any]:
    return {
        "format": FORMAT, "version": VERSION, "store_id": session.keyring.store_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": session.user.name, "schema": db.user_version(session.conn),
        "documents": session.conn.execute("SELECT count(*) FROM document").fetchone()[0],
        "db_sha256": file_sha256(snapshot),
    }


def _write_tar(part: Path, manifest: dict[str, Any], keyring: Path, snapshot: Path) -> None:
    with open(part, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        body = json.dumps(manifest, indent=1).encode("utf-8")
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        tar.add(keyring, arcname="keyring.json")
        tar.add(snapshot, arcname="store.db")
        raw.flush()
        os.fsync(raw.fileno())


# -- restore --------------------------------------------------------------------------
#
# The swap is crash-safe: the verified files are first staged beside the live ones
# (``store.db.restoring``, ``keyring.json.restoring``, fsynced), then a marker is
# written, then the live files move aside and the staged ones in, then the marker
# goes. A restore cut short is settled by the next start (:func:`settle_restore`):
# with the marker, every staged file is complete, so the swap is finished; without
# it, staging was not complete, so the staged files are removed and nothing changed.

STAGED = ".restoring"
SWAPPED = ("store.db", "keyring.json", "login-failures.key")
ASIDE = ("store.db-wal", "store.db-shm", "login-failures.jsonl")


def restore(settings: StoreSettings, source: Path, user_name: str, password: str, *,
            replace_store: bool = False) -> BackupInfo:
    """Replace the store in ``settings.data_dir`` with a verified backup.

    A backup of *another* store (another store id) is refused unless
    ``replace_store`` is given and ``user_name``/``password`` are those of an admin
    of the current store: the replacement is audited in the current store (kept
    beside) and in the restored one.
    """
    paths = settings.paths
    make_data_dir(paths.data_dir)
    settle_restore(paths)
    current_id = _current_store_id(paths)
    other_id = str(_peek_manifest(source).get("store_id"))
    if current_id and other_id != current_id:  # before extracting: a login purges DIR/tmp
        _authorise_replacement(settings, source, user_name, password, replace_store, other_id)
    with private_tempdir(paths.temp) as work:
        manifest = _extract(source, work)
        if current_id and manifest.get("store_id") != other_id:
            raise BadInput(say("store.backup_changed_during_restore",
                               "{source} changed while it was being restored.",
                               source=source))
        lock = StoreLock(paths.lock)
        lock.acquire(exclusive=True, what="restore a backup")
        try:
            try:
                slot = _verify(work, manifest, user_name, password, replaced=current_id)
            except (WrongPassword, UnknownUser) as exc:
                _record_failed_restore(settings, work, user_name, exc)
                raise
            kept = _swap_in(paths, work)
            _anchor_restored(settings, slot, user_name)
        finally:
            lock.release()
    return BackupInfo(str(source), source.stat().st_size, int(manifest["schema"]),
                      int(manifest["documents"]), str(manifest["created_at"]), kept)


def _peek_manifest(source: Path) -> dict[str, Any]:
    """The manifest alone, read in memory (the backup is checked in full later)."""
    try:
        with tarfile.open(source, mode="r:") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest = json.loads(member.read(1 << 20))
    except FileNotFoundError as exc:
        raise BadInput(say("store.backup_no_file",
                           "There is no file {source}.",
                           source=source)) from exc
    except (tarfile.TarError, ValueError, OSError, KeyError) as exc:
        raise BadInput(say("store.backup_unreadable",
                           "{source} is not a readable sohoa backup (damaged or truncated).",
                           source=source)) \
            from exc
    if not isinstance(manifest, dict):
        raise BadInput(say("store.backup_not_sohoa",
                           "{source} is not a sohoa backup.",
                           source=source))
    return manifest


def _current_store_id(paths: StorePaths) -> str | None:
    if not paths.keyring.exists():
        return None
    return Keyring.load(paths.keyring).store_id


def _authorise_replacement(settings: StoreSettings, source: Path, user_name: str,
                           password: str, replace_store: bool, other_id: str) -> None:
    """Only the current store's admin, proven against it, replaces it with another store."""
    if not replace_store:
        raise Conflict(say("store.backup_other_store",
                           "{source} is a backup of another store (id {other_id}…), not of the "
                           "store in this folder: nothing was changed. An admin of this store "
                           "replaces it with --replace-store.",
                           source=source, other_id=other_id[:8]))
    with open_session(settings, user_name, password) as current:
        require_verified(current, Perm.KEYS)
        with db.transaction(current.conn) as conn:
            audit.append(conn, current.user.name, "store.replace", object_type="store",
                         object_id=current.keyring.store_id,
                         detail={"by_store": other_id, "backup": source.name})


def _extract(source: Path, work: Path) -> dict[str, Any]:
    try:
        with tarfile.open(source, mode="r:") as tar:
            names = set(tar.getnames())
            if not {"manifest.json", "keyring.json", "store.db"} <= names:
                raise BadInput(say("store.backup_not_sohoa",
                                   "{source} is not a sohoa backup.",
                                   source=source))
            for name in ("manifest.json", "keyring.json", "store.db"):
                tar.extract(name, work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text("utf-8"))
    except FileNotFoundError as exc:
        raise BadInput(say("store.backup_no_file",
                           "There is no file {source}.",
                           source=source)) from exc
    except (tarfile.TarError, ValueError, OSError) as exc:
        raise BadInput(say("store.backup_unreadable",
                           "{source} is not a readable sohoa backup (damaged or truncated).",
                           source=source)) \
            from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BadInput(say("store.backup_version_unknown",
                           "{source} is not a sohoa backup of a version this program reads.",
                           source=source))
    return dict(manifest)


def _record_failed_restore(settings: StoreSettings, work: Path, user_name: str,
                           exc: SohoaError) -> None:
    """A refused restore is a failed login: sealed for the store on this desk if
    there is one, else for the backup's (it joins that log once restored)."""
    current = settings.paths.keyring
    keyring = Keyring.load(current if current.exists() else work / "keyring.json")
    record_failed_login(settings, keyring, user_name, f"restore: {type(exc).__name__}")


def _verify(work: Path, manifest: dict[str, Any], user_name: str, password: str,
            replaced: str | None) -> Slot:
    if file_sha256(work / "store.db") != manifest.get("db_sha256"):
        raise StoreCorrupt(say("store.backup_checksum",
                               "The backup is damaged: its database does not match its checksum."))
    keyring = Keyring.load(work / "keyring.json")
    slot = keyring.open_slot(user_name, password)
    conn = db.connect(work / "store.db", slot.data_key)
    try:
        with db.translate_errors():
            problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if problems or quick != "ok":
            raise StoreCorrupt(say("store.backup_integrity",
                                   "The backup's database fails its integrity check."))
        db.needs_migration(conn)  # refuses a backup from a newer sohoa
        user = trust.verified_user(conn, keyring, load_user(conn, user_name))
        if user.role is not Role.ADMIN:
            raise PermissionDenied(say("store.restore_admin_only",
                                       "Only an admin of the backed-up store can restore it."))
        with db.transaction(conn):
            if trust.enabled(conn):
                journal.start(conn, StorePaths(work))  # a fresh journal for the restored store
            audit.append(conn, user.name, "store.restore", object_type="store",
                         detail={"backup_created_at": manifest.get("created_at"),
                                 "replaced_store": replaced
                                 if replaced and replaced != keyring.store_id else None})
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return slot


def _swap_in(paths: StorePaths, work: Path) -> bool:
    """Stage, mark, swap, unmark (see above); True if a previous store was kept aside."""
    data_dir = paths.data_dir
    staged = [name for name in SWAPPED if (work / name).exists()]
    for name in staged:
        shutil.copyfile(work / name, data_dir / (name + STAGED))
        _fsync(data_dir / (name + STAGED))
    fsync_dir(data_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    atomic_write(paths.restore_marker, json.dumps({"stamp": stamp, "staged": staged}).encode())
    kept = _finish_swap(paths, stamp, staged)
    return kept


def _finish_swap(paths: StorePaths, stamp: str, staged: list[str]) -> bool:
    data_dir, kept = paths.data_dir, False
    for name in (*SWAPPED, *ASIDE):
        current, incoming = data_dir / name, data_dir / (name + STAGED)
        if current.exists() and (incoming.exists() or name in ASIDE or name not in staged):
            os.replace(current, data_dir / f"{name}.pre-restore-{stamp}")
            kept = kept or name == "store.db"
        if incoming.exists():
            os.replace(incoming, current)
    fsync_dir(data_dir)
    paths.restore_marker.unlink()
    fsync_dir(data_dir)
    return kept


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def settle_restore(paths: StorePaths) -> str:
    """Finish (marker present) or roll back (staging incomplete) a restore cut short.

    Returns "finished", "rolled back" or "" (nothing to do). Needs the store for
    itself; if another sohoa program has it, :class:`RestorePending` says so.
    """
    marker = paths.restore_marker
    leftovers = [p for p in paths.data_dir.glob(f"*{STAGED}")] if paths.data_dir.exists() \
        else []
    if not marker.exists() and not leftovers:
        return ""
    lock = StoreLock(paths.lock)
    try:
        lock.acquire(exclusive=True, what="finish the interrupted restore")
    except StoreInUse:
        raise RestorePending(say("store.restore_interrupted",
                                 "A restore into {data_dir} was interrupted; close every sohoa "
                                 "program and start again: it will be finished.",
                                 data_dir=paths.data_dir)) from None
    try:
        if marker.exists():
            doc = json.loads(marker.read_text("utf-8"))
            _finish_swap(paths, str(doc["stamp"]), [str(n) for n in doc["staged"]])
            return "finished"
        for path in leftovers:
            path.unlink()
        return "rolled back"
    finally:
        lock.release()


def _anchor_restored(settings: StoreSettings, slot: Slot, user_name: str) -> None:
    """A restore moves the audit head back on purpose: say so in a signed anchor."""
    private = slot.keys.get(trust.AUDIT_KEY)
    if private is None:
        return
    paths = settings.paths
    with contextlib.suppress(SohoaError, OSError):
        conn = db.connect(paths.db, slot.data_key, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            anchor.write(conn, paths, Keyring.load(paths.keyring), private, user_name,
                         kind="restore")
        finally:
            conn.close()
