"""The warehouse's state on disk: a SQLite index, upload files, packages, the signing key.

Layout of ``--data DIR``::

    index.db             stations, enrolment tokens, uploads, received packages
    signing.key          Ed25519 private key (PEM, 0600): signs every receipt
    uploads/<id>.part    tus uploads in progress (deleted when they expire: tus Expiration)
    packages/<dossier>/<SHA-256>.tar|.zip   committed packages, never changed again

A station is bound when IT issues its token to the agency codes (mã định danh
of Quyết định 20/2020/QĐ-TTg) it may submit dossiers for: a dossier code is
``<agency code>.<year>.<number>``, so a station of ward A cannot claim a code
of ward B. The station keeps the name IT gave the token (what ``revoke`` uses);
the name the PC reports at enrolment is kept beside it as ``host``.

Secrets are kept only as SHA-256 hashes (tokens and station credentials are
256-bit random values, so a plain hash is enough). Every write is one SQLite
transaction; a package file is moved into place *before* its row is written,
and a commit that finds the file already there (a crash in between) finishes
the job, so a kill -9 never loses or duplicates a package.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS station (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS enrol_token (
    token_hash TEXT PRIMARY KEY, station_name TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT, station_id TEXT);
CREATE TABLE IF NOT EXISTS upload (
    id TEXT PRIMARY KEY, station_id TEXT NOT NULL, length INTEGER NOT NULL,
    "offset" INTEGER NOT NULL DEFAULT 0, dossier TEXT, sha256 TEXT, batch TEXT,
    filename TEXT, bytes_received INTEGER NOT NULL DEFAULT 0, patches INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, committed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS upload_package ON upload(dossier, sha256);
CREATE TABLE IF NOT EXISTS upload_meta (upload_id TEXT PRIMARY KEY, metadata TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS package (
    receipt_id TEXT PRIMARY KEY, dossier TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, batch TEXT NOT NULL, station_id TEXT NOT NULL, upload_id TEXT,
    received_at TEXT NOT NULL, path TEXT NOT NULL, receipt TEXT NOT NULL);
"""
# Columns added after the first release (an older index.db gets them at open).
ADDED_COLUMNS = (
    ("station", "agencies", "TEXT NOT NULL DEFAULT '[]'"),
    ("station", "host", "TEXT"),
    ("station", "anchor", "TEXT"),
    ("enrol_token", "agencies", "TEXT NOT NULL DEFAULT '[]'"),
    ("upload", "expires_at", "TEXT"),
)
TOKEN_LIFETIME = timedelta(days=7)
UPLOAD_LIFETIME = timedelta(days=7)
AGENCY = re.compile(r"[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){3}")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def canonical(obj: dict[str, Any]) -> bytes:
    """The bytes a receipt signature covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Upload:
    id: str
    station_id: str
    length: int
    offset: int
    dossier: str | None
    sha256: str | None
    batch: str | None
    filename: str | None
    bytes_received: int
    committed: int  # 0 open, 1 committed, -1 terminated or expired
    expires_at: str | None = None  # tus Expiration: an open upload untouched until then goes

    def expired(self, at: datetime | None = None) -> bool:
        return (self.committed == 0 and self.expires_at is not None
                and datetime.fromisoformat(self.expires_at) <= (at or datetime.now(UTC)))


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    revoked: bool
    agencies: tuple[str, ...] = ()

    def may_submit(self, dossier: str) -> bool:
        """A dossier code is ``<agency code>.<year>.<number>``: its agency must be ours."""
        return any(dossier.startswith(agency + ".") for agency in self.agencies)


class Index:
    """One warehouse data folder. Owned by one thread (the server's event loop)."""

    def __init__(self, data: Path, *, upload_lifetime: timedelta = UPLOAD_LIFETIME) -> None:
        self.data = data
        self.upload_lifetime = upload_lifetime
        for sub in ("uploads", "packages"):
            (data / sub).mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(data / "index.db", isolation_level=None, timeout=10)
        self.conn.execute("PRAGMA journal_mode = WAL")
        # Chunk offsets need not survive a power cut (the chunk data is not fsynced
        # either: the client just resends from the older offset); receipts must.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.executescript(SCHEMA)
        self._add_columns()
        self._key = self._signing_key()
        self.warehouse_id = self._meta("warehouse_id", lambda: "wh-" + secrets.token_hex(6))

    def close(self) -> None:
        self.conn.close()

    def _add_columns(self) -> None:
        for table, column, decl in ADDED_COLUMNS:
            have = {str(r[1]) for r in self.conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _meta(self, key: str, make: Any) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row:
            return str(row[0])
        with self._tx() as conn:
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, make()))
        return str(self.conn.execute("SELECT value FROM meta WHERE key = ?",
                                     (key,)).fetchone()[0])

    # -- signing -------------------------------------------------------------------------------

    def _signing_key(self) -> Ed25519PrivateKey:
        path = self.data / "signing.key"
        if not path.exists():
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())
            fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            os.replace(path.with_suffix(".tmp"), path)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key

    @property
    def public_key(self) -> str:
        raw = self._key.public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return hashlib.sha256(base64.b64decode(self.public_key)).hexdigest()[:16]

    def sign(self, body: dict[str, Any]) -> dict[str, Any]:
        signature = base64.b64encode(self._key.sign(canonical(body))).decode("ascii")
        return {**body, "signature": signature}

    # -- stations ------------------------------------------------------------------------------

    def new_token(self, station_name: str, agencies: tuple[str, ...] = ()) -> str:
        """A one-time token for ``station_name``, bound to the agency codes it may submit for.

        Without agencies the station can enrol but every commit is refused (403).
        """
        for agency in agencies:
            if not AGENCY.fullmatch(agency):
                raise ValueError(f"{agency!r} is not an agency code like 000.00.12.H29.")
        token = secrets.token_hex(24)  # hex: never starts with "-", which a CLI reads as an option
        created = datetime.now(UTC)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO enrol_token (token_hash, station_name, created_at, expires_at,"
                " agencies) VALUES (?, ?, ?, ?, ?)",
                (_hash(token), station_name, created.isoformat(),
                 (created + TOKEN_LIFETIME).isoformat(), json.dumps(sorted(set(agencies)))))
        return token

    def enrol(self, token: str, host: str | None) -> tuple[str, str] | None:
        """Exchange a one-time token for (station id, secret); None if the token is no good.

        The station is named as IT named the token; ``host`` (what the PC calls itself)
        is only kept beside it, so `revoke --station NAME` finds what IT issued.
        """
        with self._tx() as conn:
            row = conn.execute(
                "SELECT station_name, expires_at, used_at, agencies FROM enrol_token"
                " WHERE token_hash = ?", (_hash(token),)).fetchone()
            if (row is None or row[2] is not None
                    or datetime.fromisoformat(row[1]) < datetime.now(UTC)):
                return None
            station_id = "st-" + secrets.token_hex(6)
            secret = secrets.token_urlsafe(32)
            conn.execute("INSERT INTO station (id, name, secret_hash, created_at, agencies, host)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         (station_id, str(row[0]), _hash(secret), now(), str(row[3]), host))
            conn.execute("UPDATE enrol_token SET used_at = ?, station_id = ? WHERE"
                         " token_hash = ?", (now(), station_id, _hash(token)))
        return station_id, secret

    def authenticate(self, credential: str) -> Station | None:
        station_id, _, secret = credential.partition(".")
        row = self.conn.execute("SELECT id, name, secret_hash, revoked_at, agencies FROM station"
                                " WHERE id = ?", (station_id,)).fetchone()
        if row is None or not secrets.compare_digest(str(row[2]), _hash(secret)):
            return None
        return Station(str(row[0]), str(row[1]), row[3] is not None,
                       tuple(json.loads(row[4] or "[]")))

    def keep_anchor(self, station_id: str, anchor: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Keep the station's newest signed audit anchor; (verdict, the anchor now held).

        Verdicts: "kept" (newer than what was held), "same", "older" (the station's
        log or anchor file went back in time: the held one is returned so the
        station can check its log against it), "key_changed" (signed by another
        key than the first anchor this station sent, which pins it).
        """
        with self._tx() as conn:
            row = conn.execute("SELECT anchor FROM station WHERE id = ?",
                               (station_id,)).fetchone()
            held = json.loads(row[0]) if row and row[0] else None
            if held is not None:
                if held.get("public") != anchor.get("public"):
                    return "key_changed", held
                if int(held["seq"]) > int(anchor["seq"]):
                    return "older", held
                if int(held["seq"]) == int(anchor["seq"]):
                    return ("same" if held == anchor else "older"), held
            conn.execute("UPDATE station SET anchor = ? WHERE id = ?",
                         (json.dumps(anchor, sort_keys=True), station_id))
        return "kept", anchor

    def anchor_of(self, station_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT anchor FROM station WHERE id = ?",
                                (station_id,)).fetchone()
        return dict(json.loads(row[0])) if row and row[0] else None

    def bind(self, station: str, agencies: tuple[str, ...]) -> int:
        """Set the agency codes an enrolled station may submit for (stations enrolled before
        tokens carried agencies have none, and can commit nothing until bound)."""
        for agency in agencies:
            if not AGENCY.fullmatch(agency):
                raise ValueError(f"{agency!r} is not an agency code like 000.00.12.H29.")
        with self._tx() as conn:
            return conn.execute("UPDATE station SET agencies = ? WHERE (id = ? OR name = ?)"
                                " AND revoked_at IS NULL",
                                (json.dumps(sorted(set(agencies))), station, station)).rowcount

    def revoke(self, station: str) -> int:
        with self._tx() as conn:
            return conn.execute("UPDATE station SET revoked_at = ? WHERE (id = ? OR name = ?)"
                                " AND revoked_at IS NULL", (now(), station, station)).rowcount

    # -- uploads -------------------------------------------------------------------------------

    def upload_path(self, upload_id: str) -> Path:
        return self.data / "uploads" / f"{upload_id}.part"

    def create_upload(self, station_id: str, length: int, meta: dict[str, str],
                      raw_metadata: str = "") -> Upload:
        upload_id = secrets.token_hex(16)
        self.upload_path(upload_id).touch()
        ts = now()
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO upload (id, station_id, length, dossier, sha256, batch, filename,"
                " created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (upload_id, station_id, length, meta.get("dossier"),
                 (meta.get("sha256") or "").upper() or None, meta.get("batch"),
                 meta.get("filename"), ts, ts, self._expiry()))
            if raw_metadata:
                conn.execute("INSERT INTO upload_meta (upload_id, metadata) VALUES (?, ?)",
                             (upload_id, raw_metadata))
        found = self.get_upload(upload_id)
        assert found is not None
        return found

    def get_upload(self, upload_id: str) -> Upload | None:
        row = self.conn.execute(
            'SELECT id, station_id, length, "offset", dossier, sha256, batch, filename,'
            " bytes_received, committed, expires_at FROM upload WHERE id = ?",
            (upload_id,)).fetchone()
        if row is None:
            return None
        return Upload(str(row[0]), str(row[1]), int(row[2]), int(row[3]), row[4], row[5], row[6],
                      row[7], int(row[8]), int(row[9]), row[10])

    def upload_metadata(self, upload_id: str) -> str:
        """The Upload-Metadata header the upload was created with, as the client wrote it
        (tus creation: a HEAD MUST echo it)."""
        row = self.conn.execute("SELECT metadata FROM upload_meta WHERE upload_id = ?",
                                (upload_id,)).fetchone()
        return str(row[0]) if row else ""

    def _expiry(self) -> str:
        return (datetime.now(UTC) + self.upload_lifetime).isoformat(timespec="milliseconds")

    def record_patch(self, upload_id: str, new_offset: int | None, received: int) -> None:
        """Count the bytes that arrived; move the offset only if the chunk was kept.

        Every PATCH pushes the upload's expiry on: only an upload left alone expires."""
        with self._tx() as conn:
            conn.execute(
                'UPDATE upload SET "offset" = coalesce(?, "offset"), bytes_received ='
                " bytes_received + ?, patches = patches + 1, updated_at = ?, expires_at = ?"
                " WHERE id = ?", (new_offset, received, now(), self._expiry(), upload_id))

    def expire_uploads(self) -> int:
        """Drop every open upload past its expiry (row kept as -1, data deleted)."""
        stamp = now()
        with self._tx() as conn:
            ids = [str(r[0]) for r in conn.execute(
                "SELECT id FROM upload WHERE committed = 0 AND expires_at IS NOT NULL"
                " AND expires_at <= ?", (stamp,))]
            conn.executemany("UPDATE upload SET committed = -1, updated_at = ? WHERE id = ?"
                             " AND committed = 0", [(stamp, i) for i in ids])
        for upload_id in ids:
            self.upload_path(upload_id).unlink(missing_ok=True)
        return len(ids)

    def delete_upload(self, upload_id: str) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE upload SET committed = -1, updated_at = ? WHERE id = ?"
                         " AND committed = 0", (now(), upload_id))
        self.upload_path(upload_id).unlink(missing_ok=True)

    # -- packages ------------------------------------------------------------------------------

    def package_path(self, dossier: str, sha256: str, container: str = "tar") -> Path:
        return self.data / "packages" / dossier / f"{sha256.upper()}.{container}"

    def receipt_for(self, dossier: str) -> tuple[str, dict[str, Any]] | None:
        """(sha256, receipt) of the package received for ``dossier``, if any."""
        row = self.conn.execute("SELECT sha256, receipt FROM package WHERE dossier = ?",
                                (dossier,)).fetchone()
        return (str(row[0]), json.loads(row[1])) if row else None

    def record_package(
        self, upload: Upload, *, dossier: str, sha256: str, batch: str, station_id: str,
        path: Path,
    ) -> dict[str, Any]:
        """The package file is in place: write its row and signed receipt (one transaction)."""
        body = {
            "receipt_id": "R-" + secrets.token_hex(10), "dossier": dossier,
            "batch_id": batch, "sha256": sha256.upper(), "size": upload.length,
            "station_id": station_id, "received_at": now(),
            "warehouse_id": self.warehouse_id, "key_id": self.key_id,
        }
        receipt = self.sign(body)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO package (receipt_id, dossier, sha256, size, batch, station_id,"
                " upload_id, received_at, path, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (body["receipt_id"], dossier, sha256.upper(), upload.length, batch, station_id,
                 upload.id, body["received_at"],
                 str(path.relative_to(self.data)),
                 json.dumps(receipt, ensure_ascii=False)))
            conn.execute("UPDATE upload SET committed = 1, updated_at = ? WHERE id = ?",
                         (now(), upload.id))
        return receipt

    def packages(self) -> list[dict[str, Any]]:
        """Every received package with what it cost to receive it."""
        rows = self.conn.execute(
            "SELECT p.dossier, p.sha256, p.size, p.receipt_id, p.batch, p.station_id,"
            " p.received_at, p.path,"
            " (SELECT coalesce(sum(u.bytes_received), 0) FROM upload u"
            "  WHERE u.dossier = p.dossier AND u.sha256 = p.sha256),"
            " (SELECT count(*) FROM upload u WHERE u.dossier = p.dossier"
            '  AND u.sha256 = p.sha256 AND u."offset" = u.length),'
            " (SELECT count(*) FROM upload u WHERE u.dossier = p.dossier)"
            " FROM package p ORDER BY p.dossier").fetchall()
        keys = ("dossier", "sha256", "size", "receipt_id", "batch_id", "station_id",
                "received_at", "path", "bytes_received", "complete_uploads", "uploads")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def stations(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, name, host, agencies, created_at, revoked_at,"
                                 " anchor FROM station ORDER BY created_at").fetchall()
        return [{"id": r[0], "name": r[1], "host": r[2], "agencies": json.loads(r[3] or "[]"),
                 "created_at": r[4], "revoked_at": r[5],
                 "anchor": json.loads(r[6]) if r[6] else None} for r in rows]
