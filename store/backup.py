"""Encrypted backup (online) and verified restore.

A backup is a tar file holding a manifest, the key file (wrapped keys only)
and a page-for-page copy of the database made with SQLite's online backup API
while the store stays in use. The database copy is encrypted with the same
data key, so the backup is as unreadable as the store without a password, and
any user's password (or the recovery key) of the time of the backup opens it.

Restore checks everything first (format, password, integrity, admin role) in
the private temp folder, then swaps files; the previous store is kept beside it
(``*.pre-restore-<time>``), so nothing is lost even by a mistaken restore.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store import audit, db
from store.errors import (
    BadInput,
    PermissionDenied,
    SohoaError,
    StoreCorrupt,
    UnknownUser,
    WrongPassword,
)
from store.fsutil import fsync_dir, make_data_dir, output_file, private_tempdir
from store.keyring import Keyring
from store.lock import StoreLock
from store.roles import Perm, Role, require
from store.session import Session, load_user, record_failed_login
from store.settings import StoreSettings

FORMAT = "sohoa-backup"
VERSION = 1


@dataclass(frozen=True)
class BackupInfo:
    path: str
    size: int
    schema: int
    documents: int
    created_at: str


def backup(session: Session, out: Path) -> BackupInfo:
    require(session.user, Perm.KEYS)
    out = out.expanduser()
    if out.exists():
        raise BadInput(f"{out} already exists; choose a new file name.")
    with private_tempdir(session.temp_dir) as work:
        snapshot = work / "store.db"
        _snapshot(session, snapshot)
        manifest = _manifest(session, snapshot)
        with output_file(out, "the backup") as part:
            _write_tar(part, manifest, session.settings.paths.keyring, snapshot)
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

def restore(settings: StoreSettings, source: Path, user_name: str, password: str) -> BackupInfo:
    """Replace the store in ``settings.data_dir`` with a verified backup."""
    paths = settings.paths
    make_data_dir(paths.data_dir)
    lock = StoreLock(paths.lock)
    lock.acquire(exclusive=True, what="restore a backup")
    try:
        with private_tempdir(paths.temp) as work:
            manifest = _extract(source, work)
            try:
                _verify(work, manifest, user_name, password)
            except (WrongPassword, UnknownUser) as exc:
                _record_failed_restore(settings, work, user_name, exc)
                raise
            _swap_in(paths.data_dir, work)
    finally:
        lock.release()
    return BackupInfo(str(source), source.stat().st_size, int(manifest["schema"]),
                      int(manifest["documents"]), str(manifest["created_at"]))


def _extract(source: Path, work: Path) -> dict[str, Any]:
    try:
        with tarfile.open(source, mode="r:") as tar:
            names = set(tar.getnames())
            if not {"manifest.json", "keyring.json", "store.db"} <= names:
                raise BadInput(f"{source} is not a sohoa backup.")
            for name in ("manifest.json", "keyring.json", "store.db"):
                tar.extract(name, work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text("utf-8"))
    except FileNotFoundError as exc:
        raise BadInput(f"There is no file {source}.") from exc
    except (tarfile.TarError, ValueError, OSError) as exc:
        raise BadInput(f"{source} is not a readable sohoa backup (damaged or truncated).") \
            from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BadInput(f"{source} is not a sohoa backup of a version this program reads.")
    return dict(manifest)


def _record_failed_restore(settings: StoreSettings, work: Path, user_name: str,
                           exc: SohoaError) -> None:
    """A refused restore is a failed login: sealed for the store on this desk if
    there is one, else for the backup's (it joins that log once restored)."""
    current = settings.paths.keyring
    keyring = Keyring.load(current if current.exists() else work / "keyring.json")
    record_failed_login(settings, keyring, user_name, f"restore: {type(exc).__name__}")


def _verify(work: Path, manifest: dict[str, Any], user_name: str, password: str) -> None:
    if file_sha256(work / "store.db") != manifest.get("db_sha256"):
        raise StoreCorrupt("The backup is damaged: its database does not match its checksum.")
    key = Keyring.load(work / "keyring.json").unlock(user_name, password)
    conn = db.connect(work / "store.db", key)
    try:
        with db.translate_errors():
            problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        if problems or quick != "ok":
            raise StoreCorrupt("The backup's database fails its integrity check.")
        db.needs_migration(conn)  # refuses a backup from a newer sohoa
        user = load_user(conn, user_name)
        if user.role is not Role.ADMIN:
            raise PermissionDenied("Only an admin of the backed-up store can restore it.")
        with db.transaction(conn):
            audit.append(conn, user.name, "store.restore", object_type="store",
                         detail={"backup_created_at": manifest.get("created_at")})
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _swap_in(data_dir: Path, work: Path) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("store.db", "store.db-wal", "store.db-shm", "keyring.json"):
        current = data_dir / name
        if current.exists():
            os.replace(current, data_dir / f"{name}.pre-restore-{stamp}")
    os.replace(work / "store.db", data_dir / "store.db")
    os.replace(work / "keyring.json", data_dir / "keyring.json")
    fsync_dir(data_dir)
