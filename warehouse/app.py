"""The warehouse as a plain ASGI application (no framework): tus 1.0 uploads, commits,
receipts and enrolment. docs/warehouse-api.md and docs/warehouse-openapi.yaml
describe the contract; this module is its reference implementation.

Plain ASGI because the upload path must stream a request body to disk as it
arrives and decide, per chunk, whether to keep it (tus checksum extension):
a framework's request object would only be in the way.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from warehouse import checkpkg
from warehouse.index import Index, Station, Upload

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,expiration,checksum,termination"
SWEEP_SECONDS = 60.0  # expired uploads are swept at most this often (and at start)
CHECKSUMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}
OCTETS = "application/offset+octet-stream"
_SAFE_DOSSIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


class ClientGone(Exception):
    """The client went away in the middle of its request body."""


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, obj: Any, **headers: str) -> Reply:
        data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return cls(status, data, {"Content-Type": "application/json", **headers})

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> Reply:
        return cls.json(status, {"error": message}, **headers)


@dataclass
class Request:
    scope: Scope
    receive: Receive
    headers: dict[str, str]

    @classmethod
    def of(cls, scope: Scope, receive: Receive) -> Request:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        return cls(scope, receive, headers)

    @property
    def method(self) -> str:
        """The method, or X-HTTP-Method-Override on a POST (tus 1.0.0: for clients and
        proxies that cannot send PATCH or DELETE)."""
        method = str(self.scope["method"])
        override = self.headers.get("x-http-method-override", "").strip().upper()
        return override if method == "POST" and override else method

    @property
    def path(self) -> str:
        return str(self.scope["path"])

    @property
    def query(self) -> dict[str, str]:
        raw = self.scope.get("query_string", b"").decode("latin-1")
        return dict(p.split("=", 1) for p in raw.split("&") if "=" in p)

    async def body(self, limit: int = 64 * 1024) -> bytes:
        data = bytearray()
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            data += message.get("body", b"")
            if len(data) > limit:
                raise ValueError("request body too large")
            if not message.get("more_body", False):
                return bytes(data)

    async def json(self) -> dict[str, Any]:
        try:
            value = json.loads(await self.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("The body must be a JSON object.") from exc
        if not isinstance(value, dict):
            raise BadRequest("The body must be a JSON object.")
        return value


class BadRequest(Exception):
    pass


def parse_metadata(header: str) -> dict[str, str]:
    """tus ``Upload-Metadata``: ``key base64value,key2 base64value2``."""
    found = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise BadRequest(f"Upload-Metadata {key!r} is not base64 UTF-8.") from exc
    return found


class WarehouseApp:
    """Routes a request to its handler; every handler returns a :class:`Reply`."""

    def __init__(self, index: Index, *, bench_sink: bool = False,
                 max_size: int = 4 * 1024**3) -> None:
        self.index = index
        self.bench_sink = bench_sink
        self.max_size = max_size
        self._swept = -SWEEP_SECONDS
        self._upload_locks: dict[str, asyncio.Lock] = {}
        self._dossier_locks: dict[str, asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request.of(scope, receive)
        self._sweep()
        try:
            reply = await self.dispatch(request)
        except BadRequest as exc:
            reply = Reply.error(400, str(exc))
        except ClientGone:
            return
        headers = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **reply.headers}
        if reply.status not in (204, 304) and request.method != "HEAD":
            headers["Content-Length"] = str(len(reply.body))
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1"))
                                for k, v in headers.items()]})
        await send({"type": "http.response.body",
                    "body": b"" if request.method == "HEAD" else reply.body})

    def _sweep(self) -> None:
        """Delete expired uploads now and then (tus Expiration), between requests."""
        stamp = time.monotonic()
        if stamp - self._swept >= min(SWEEP_SECONDS,
                                      self.index.upload_lifetime.total_seconds() / 2):
            self._swept = stamp
            self.index.expire_uploads()

    async def dispatch(self, request: Request) -> Reply:
        method, path = request.method, request.path
        if path == "/v1/health" and method == "GET":
            return Reply.json(200, {"status": "ok", "tus": TUS_VERSION,
                                    "warehouse_id": self.index.warehouse_id})
        if path == "/v1/key" and method == "GET":
            return Reply.json(200, {"receipt_key": self.index.public_key,
                                    "key_id": self.index.key_id})
        if path == "/v1/enrol" and method == "POST":
            return await self.enrol(request)
        if path.startswith("/v1/uploads") and method == "OPTIONS":
            return self.options()
        station, denied = self._auth(request)
        if station is None:
            return denied
        return await self._authenticated(request, station)

    async def _authenticated(self, request: Request, station: Station) -> Reply:
        method, path = request.method, request.path
        if path.startswith("/v1/uploads") and request.headers.get(
                "tus-resumable") != TUS_VERSION:
            return Reply.error(412, "Tus-Resumable 1.0.0 is required.", **{
                "Tus-Version": TUS_VERSION})
        if path == "/v1/uploads" and method == "POST":
            return self.create(request, station)
        match = re.fullmatch(r"/v1/uploads/([0-9a-f]{32})", path)
        if match:
            handler = {"HEAD": self.head, "PATCH": self.patch,
                       "DELETE": self.delete}.get(method)
            if handler is None:
                return Reply.error(405, "Use HEAD, PATCH or DELETE on an upload.")
            return await handler(request, station, match.group(1))
        if path == "/v1/commits" and method == "POST":
            return await self.commit(request, station)
        if path == "/v1/anchors" and method == "POST":
            return await self.anchor(request, station)
        if path == "/v1/anchors" and method == "GET":
            held = self.index.anchor_of(station.id)
            return Reply.json(200, held) if held else Reply.error(404, "No anchor yet.")
        match = re.fullmatch(r"/v1/receipts/([^/]+)", path)
        if match and method == "GET":
            return self.receipt(request, station, match.group(1))
        if path == "/v1/sink" and method == "PUT" and self.bench_sink:
            return await self.sink(request)
        return Reply.error(404, "No such endpoint.")

    def _auth(self, request: Request) -> tuple[Station | None, Reply]:
        header = request.headers.get("authorization", "")
        scheme, _, credential = header.partition(" ")
        unknown = Reply.error(401, "This station is not enrolled (or its credential is wrong).",
                              **{"WWW-Authenticate": 'Bearer realm="warehouse"'})
        if scheme.lower() != "bearer" or not credential:
            return None, unknown
        station = self.index.authenticate(credential.strip())
        if station is None:
            return None, unknown
        if station.revoked:
            return None, Reply.error(403, "This station's credential was revoked.")
        return station, unknown

    # -- enrolment ---------------------------------------------------------------------------

    async def enrol(self, request: Request) -> Reply:
        body = await request.json()
        token = str(body.get("token", ""))
        name = body.get("station_name")
        enrolled = self.index.enrol(token, str(name)[:100] if name else None) if token else None
        if enrolled is None:
            return Reply.error(401, "This enrolment token is unknown, used or expired.")
        station_id, secret = enrolled
        return Reply.json(201, {"station_id": station_id,
                                "credential": f"{station_id}.{secret}",
                                "receipt_key": self.index.public_key,
                                "key_id": self.index.key_id,
                                "warehouse_id": self.index.warehouse_id})

    # -- tus -----------------------------------------------------------------------------------

    def options(self) -> Reply:
        return Reply(204, headers={"Tus-Version": TUS_VERSION, "Tus-Extension": TUS_EXTENSIONS,
                                   "Tus-Checksum-Algorithm": ",".join(CHECKSUMS),
                                   "Tus-Max-Size": str(self.max_size)})

    def create(self, request: Request, station: Station) -> Reply:
        try:
            length = int(request.headers.get("upload-length", ""))
        except ValueError:
            return Reply.error(400, "Upload-Length is required (tus creation).")
        if not 0 < length <= self.max_size:
            return Reply.error(413, f"An upload is 1 byte to {self.max_size} bytes.")
        meta = parse_metadata(request.headers.get("upload-metadata", ""))
        dossier = meta.get("dossier", "")
        if dossier and not _SAFE_DOSSIER.match(dossier):
            return Reply.error(400, "The dossier code cannot name a package.")
        if dossier and not station.may_submit(dossier):
            return _not_yours(dossier)
        upload = self.index.create_upload(station.id, length, meta,
                                          request.headers.get("upload-metadata", "").strip())
        return Reply(201, headers={"Location": f"/v1/uploads/{upload.id}",
                                   "Upload-Offset": "0", **_expires(upload)})

    def _own_upload(self, station: Station, upload_id: str) -> Upload | None:
        upload = self.index.get_upload(upload_id)
        if upload is None or upload.station_id != station.id:
            return None
        if upload.expired():
            self.index.delete_upload(upload.id)
            return self.index.get_upload(upload.id)
        return upload

    async def head(self, request: Request, station: Station, upload_id: str) -> Reply:
        upload = self._own_upload(station, upload_id)
        if upload is None or upload.committed < 0:
            return Reply(404)
        headers = {"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length),
                   **_expires(upload)}
        metadata = self.index.upload_metadata(upload.id)
        if metadata:
            headers["Upload-Metadata"] = metadata
        return Reply(200, headers=headers)

    async def delete(self, request: Request, station: Station, upload_id: str) -> Reply:
        upload = self._own_upload(station, upload_id)
        if upload is None:
            return Reply(404)
        if not upload.committed:
            self.index.delete_upload(upload_id)
        return Reply(204)

    async def patch(self, request: Request, station: Station, upload_id: str) -> Reply:
        upload = self._own_upload(station, upload_id)
        if upload is None or upload.committed < 0:
            return Reply.error(404, "No such upload.")
        if request.headers.get("content-type", "").split(";")[0].strip() != OCTETS:
            return Reply.error(415, f"A PATCH body is {OCTETS}.")
        try:
            offset = int(request.headers.get("upload-offset", ""))
        except ValueError:
            return Reply.error(400, "Upload-Offset is required.")
        checksum = _checksum(request.headers.get("upload-checksum"))
        lock = self._upload_locks.setdefault(upload_id, asyncio.Lock())
        if lock.locked():
            return Reply.error(423, "Another request is writing this upload.",
                               **{"Retry-After": "1"})
        async with lock:
            current = self.index.get_upload(upload_id)
            assert current is not None
            if offset != current.offset:
                return Reply.error(409, "Upload-Offset does not match the upload.",
                                   **{"Upload-Offset": str(current.offset)})
            return await self._write_chunk(request, current, checksum)

    async def _write_chunk(
        self, request: Request, upload: Upload, checksum: tuple[str, bytes] | None
    ) -> Reply:
        """Append the body at the offset; keep it only if it is whole and its checksum holds."""
        digest = CHECKSUMS[checksum[0]]() if checksum else None
        start, received = upload.offset, 0
        complete = overflow = False
        path = self.index.upload_path(upload.id)
        with open(path, "r+b" if path.exists() else "w+b") as fh:
            fh.seek(start)
            try:
                while True:
                    message = await request.receive()
                    if message["type"] == "http.disconnect":
                        raise ClientGone()
                    data = message.get("body", b"")
                    received += len(data)
                    if start + received > upload.length:
                        overflow = True
                        break
                    fh.write(data)
                    if digest is not None:
                        digest.update(data)
                    if not message.get("more_body", False):
                        complete = True
                        break
            finally:
                kept = received if (complete or digest is None) and not overflow else 0
                if complete and checksum and digest is not None \
                        and digest.digest() != checksum[1]:
                    kept = 0
                fh.flush()
                fh.truncate(start + kept)
                self.index.record_patch(upload.id, start + kept if kept else None, received)
        if overflow:
            return Reply.error(400, "The body goes past Upload-Length.")
        if kept != received:
            return Reply.error(460, "Checksum mismatch: the chunk was not kept.",
                               **{"Upload-Offset": str(start)})
        updated = self.index.get_upload(upload.id)
        return Reply(204, headers={"Upload-Offset": str(start + kept),
                                   **_expires(updated or upload)})

    # -- commit and receipts -------------------------------------------------------------------

    async def commit(self, request: Request, station: Station) -> Reply:
        body = await request.json()
        dossier = str(body.get("dossier", ""))
        sha256 = str(body.get("sha256", "")).upper()
        batch = str(body.get("batch_id", ""))
        upload_id = str(body.get("upload", "")).rstrip("/").rsplit("/", 1)[-1]
        if not _SAFE_DOSSIER.match(dossier) or not re.fullmatch(r"[0-9A-F]{64}", sha256):
            return Reply.error(400, "A commit names a dossier code and a SHA-256.")
        if not station.may_submit(dossier):
            return _not_yours(dossier)
        lock = self._dossier_locks.setdefault(dossier, asyncio.Lock())
        async with lock:
            return await self._commit_locked(station, dossier, sha256, batch, upload_id)

    async def _commit_locked(
        self, station: Station, dossier: str, sha256: str, batch: str, upload_id: str
    ) -> Reply:
        # The upload is looked at first: without one of its own, a station learns nothing
        # about which dossiers the warehouse holds (the same 404 either way).
        upload = self._own_upload(station, upload_id)
        if upload is None or upload.committed < 0:
            return Reply.error(404, "No such upload: send the package again.")
        existing = self.index.receipt_for(dossier)
        if existing is not None:
            known_sha, receipt = existing
            if known_sha == sha256 and receipt.get("station_id") == station.id:
                return Reply.json(200, receipt)
            return Reply.error(409, f"Dossier {dossier} was already received with another"
                               " package.")
        if upload.offset < upload.length:
            return Reply.error(409, "The upload is not complete.",
                               **{"Upload-Offset": str(upload.offset)})
        if (upload.dossier or dossier) != dossier or (upload.sha256 or sha256) != sha256:
            return Reply.error(422, "The commit does not match what was uploaded.")
        try:
            placed = await asyncio.to_thread(self._place, upload, dossier, sha256)
        except checkpkg.PackageInvalid as exc:
            return Reply.error(422, str(exc))
        except FileNotFoundError:
            return Reply.error(404, "The upload's data is gone: send the package again.")
        receipt = self.index.record_package(upload, dossier=dossier, sha256=sha256,
                                            batch=batch, station_id=station.id, path=placed)
        return Reply.json(201, receipt)

    def _place(self, upload: Upload, dossier: str, sha256: str) -> Path:
        """Check the package, then move it into place (durably) before it gets a row."""
        source = self.index.upload_path(upload.id)
        if not source.exists():
            for container in ("tar", "zip"):  # crash recovery: moved, but no row yet
                target = self.index.package_path(dossier, sha256, container)
                if target.exists():
                    checkpkg.check_package(target, dossier=dossier, sha256=sha256)
                    return target
        checkpkg.check_package(source, dossier=dossier, sha256=sha256)
        target = self.index.package_path(dossier, sha256, checkpkg.container_of(source))
        with open(source, "rb") as fh:
            os.fsync(fh.fileno())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return target

    def receipt(self, request: Request, station: Station, dossier: str) -> Reply:
        existing = self.index.receipt_for(dossier)
        wanted = request.query.get("sha256", "").upper()
        if existing is None or existing[1].get("station_id") != station.id or (
                wanted and existing[0] != wanted):
            return Reply.error(404, "No receipt for that package.")
        return Reply.json(200, existing[1])

    # -- audit anchors -----------------------------------------------------------------------

    async def anchor(self, request: Request, station: Station) -> Reply:
        """Keep the newest signed checkpoint of the station's audit log (sent every sync).

        Outside the station, a copy-back of its store and anchor file is still caught:
        an anchor older than the one held is refused and the held one returned.
        """
        body = await request.json()
        problem = _anchor_problem(body)
        if problem:
            return Reply.json(422, {"error": problem, "code": "anchor_invalid"})
        verdict, held = self.index.keep_anchor(station.id, body)
        if verdict == "kept":
            return Reply.json(201, held)
        if verdict == "same":
            return Reply.json(200, held)
        message = ("This anchor is older than the one the warehouse holds for this station."
                   if verdict == "older" else
                   "This anchor is signed by another key than this station's first anchor.")
        return Reply.json(409, {"error": message, "code": f"anchor_{verdict}", "anchor": held})

    # -- the benchmark's plain PUT ----------------------------------------------------------

    async def sink(self, request: Request) -> Reply:
        """One plain PUT, written and hashed like an upload (bench/sync.py compares them)."""
        path = self.index.data / "uploads" / f"sink-{os.getpid()}.bin"
        digest, size = hashlib.sha256(), 0
        try:
            with open(path, "wb") as fh:
                while True:
                    message = await request.receive()
                    if message["type"] == "http.disconnect":
                        raise ClientGone()
                    data = message.get("body", b"")
                    fh.write(data)
                    digest.update(data)
                    size += len(data)
                    if not message.get("more_body", False):
                        break
        finally:
            path.unlink(missing_ok=True)
        return Reply.json(200, {"size": size, "sha256": digest.hexdigest().upper()})


_ANCHOR_FIELDS = {"store_id": str, "seq": int, "audit_id": int, "audit_hash": str, "ts": str,
                  "by": str, "kind": str, "public": str, "sig": str}


def _anchor_problem(anchor: dict[str, Any]) -> str:
    """Why this is not a well-formed anchor signed by its own ``public`` key ("" if it is).

    The signed bytes are the line ``anchor`` then the canonical JSON of every field but
    ``sig`` (store/anchor.py, ``Anchor.body``); the warehouse does not import the
    station's code, so the format is restated here.
    """
    if set(anchor) != set(_ANCHOR_FIELDS) or any(
            not isinstance(anchor[k], t) or isinstance(anchor[k], bool)
            for k, t in _ANCHOR_FIELDS.items()):
        return "An anchor has exactly the fields " + ", ".join(sorted(_ANCHOR_FIELDS)) + "."
    fields = {k: v for k, v in anchor.items() if k != "sig"}
    signed = b"anchor\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(anchor["public"]))
        key.verify(base64.b64decode(anchor["sig"]), signed)
    except (InvalidSignature, ValueError, binascii.Error):
        return "The anchor's signature does not verify with its key."
    return ""


def _expires(upload: Upload) -> dict[str, str]:
    """tus Expiration: ``Upload-Expires`` (an HTTP date) while the upload is open."""
    if upload.committed != 0 or not upload.expires_at:
        return {}
    when = datetime.fromisoformat(upload.expires_at).astimezone(UTC)
    return {"Upload-Expires": format_datetime(when, usegmt=True)}


def _not_yours(dossier: str) -> Reply:
    return Reply.json(403, {"error": f"This station may not submit dossier {dossier}: its"
                            " code is not of an agency the station was enrolled for.",
                            "code": "dossier_not_allowed"})


def _checksum(header: str | None) -> tuple[str, bytes] | None:
    if not header:
        return None
    algorithm, _, value = header.strip().partition(" ")
    if algorithm not in CHECKSUMS:
        raise BadRequest(f"Checksum algorithm {algorithm!r} is not supported.")
    try:
        return algorithm, base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise BadRequest("Upload-Checksum is not base64.") from exc


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
