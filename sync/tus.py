"""A small tus 1.0 client (core + creation + checksum) over :class:`sync.net.Http`.

Why not tuspy: it pulls in aiohttp and a TinyDB URL store of its own, while
the upload URL must live in the encrypted outbox row, written in the same
transaction as its audit entry; the protocol part is a few requests.

Each PATCH carries one chunk with ``Upload-Checksum: sha256 …``: the server
keeps a chunk only if it arrived whole and intact, so after any failure the
client asks the server's offset (HEAD) and goes on from there — at most the
chunk in flight is sent again, and nothing acknowledged ever is.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import urljoin

from store.messages import say
from sync.net import (
    Backoff,
    Http,
    Stopped,
    ThrottledBody,
    TokenBucket,
    WarehouseError,
)

T = TypeVar("T")
STEP = 64 * 1024  # chunk sizes are whole multiples of this
TUS = {"Tus-Resumable": "1.0.0"}
UPLOADS = "/v1/uploads"


def encode_metadata(meta: Mapping[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}"
                    for k, v in sorted(meta.items()))


@dataclass
class Transfer:
    """What one upload needs besides the HTTP connection."""

    chunk_size: int
    retries: int
    backoff: Backoff
    stop: threading.Event
    bucket: TokenBucket | None = None
    max_chunk_size: int = 0       # 0: fixed chunks of chunk_size
    chunk_seconds: float = 2.0

    def next_chunk(self, current: int, sent: int, seconds: float) -> int:
        """Aim the next chunk at ``chunk_seconds`` of sending: at most double, within bounds."""
        if self.max_chunk_size <= self.chunk_size or sent < current:
            return current
        target = int(sent / max(seconds, 1e-3) * self.chunk_seconds)
        size = min(target, current * 2, self.max_chunk_size) // STEP * STEP
        return max(self.chunk_size, size)


class TusClient:
    def __init__(self, http: Http) -> None:
        self.http = http

    def create(self, length: int, meta: Mapping[str, str]) -> str:
        """POST: a new upload of ``length`` bytes; returns its absolute URL."""
        response = self.http.request("POST", UPLOADS, ok=(201,), headers={
            **TUS, "Upload-Length": str(length), "Upload-Metadata": encode_metadata(meta)})
        location = response.headers.get("Location")
        if not location:
            raise WarehouseError(say("sync.upload_no_location",
                                     "The warehouse created an upload without a Location."))
        # on the enrolled origin or not at all: the credential never follows a Location away
        # a relative Location resolves against the URL that was POSTed to (RFC 3986)
        return self.http.url(urljoin(f"{self.http.base_url}/{UPLOADS.lstrip('/')}", location))

    def offset(self, url: str) -> int:
        """HEAD: how many bytes the server holds (the only offset that counts)."""
        response = self.http.request("HEAD", url, ok=(200, 204), headers=TUS)  # both allowed
        value = response.headers.get("Upload-Offset", "")
        if not value.isdigit():
            raise WarehouseError(say("sync.upload_no_offset",
                                     "The warehouse sent no Upload-Offset."))
        return int(value)

    def patch(self, url: str, offset: int, data: bytes, transfer: Transfer) -> int:
        """PATCH one chunk with its checksum; returns the new offset."""
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
        body: bytes | ThrottledBody = data
        if transfer.bucket is not None:
            body = ThrottledBody(data, transfer.bucket, transfer.stop)
        response = self.http.request("PATCH", url, ok=(204,), data=body, headers={
            **TUS, "Upload-Offset": str(offset), "Upload-Checksum": f"sha256 {digest}",
            "Content-Type": "application/offset+octet-stream"})
        value = response.headers.get("Upload-Offset", "")
        return int(value) if value.isdigit() else offset + len(data)

    def terminate(self, url: str) -> None:
        self.http.request("DELETE", url, ok=(204, 404), headers=TUS)

    def send(
        self, url: str, path: Path | BinaryIO, size: int, transfer: Transfer,
        on_progress: Callable[[int, int], None],
    ) -> None:
        """Upload ``path`` (a file, or a seekable one already open: an encrypted spool)
        from wherever the server is; ``on_progress(offset, sent)``."""
        failures, chunk = 0, transfer.chunk_size
        offset: int | None = None
        with open(path, "rb") if isinstance(path, Path) else contextlib.nullcontext(path) as fh:
            while True:
                if transfer.stop.is_set():
                    raise Stopped()
                try:
                    if offset is None:
                        offset = self.offset(url)
                    if offset >= size:
                        return
                    fh.seek(offset)
                    data = fh.read(chunk)
                    started = time.monotonic()
                    offset = self.patch(url, offset, data, transfer)
                    chunk = transfer.next_chunk(chunk, len(data), time.monotonic() - started)
                    on_progress(offset, len(data))
                    failures = 0
                except WarehouseError as exc:
                    chunk = transfer.chunk_size  # a flaky link: small chunks again
                    failures = _give_up_or_wait(exc, failures, transfer)
                    offset = None  # after any failure, ask the server where it is


def _give_up_or_wait(exc: WarehouseError, failures: int, transfer: Transfer) -> int:
    """Sleep before the next try, or re-raise when retrying cannot help (any more)."""
    if exc.status == 409 and failures < transfer.retries:
        return failures + 1  # offset mismatch: ask the server where it is, at once
    if not exc.transient or failures >= transfer.retries:
        raise exc
    failures += 1
    if transfer.stop.wait(transfer.backoff.delay(failures, exc.retry_after)):
        raise Stopped() from exc
    return failures


def with_retries(call: Callable[[], T], transfer: Transfer) -> T:
    """Run ``call`` until it succeeds, retrying transient failures with backoff."""
    failures = 0
    while True:
        if transfer.stop.is_set():
            raise Stopped()
        try:
            return call()
        except WarehouseError as exc:
            if exc.status == 409:
                raise
            failures = _give_up_or_wait(exc, failures, transfer)
