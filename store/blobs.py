"""Page images and PDFs inside the encrypted database, content-addressed.

Why inside SQLCipher rather than a vault of AES-GCM files (docs/security.md):
a page row and its image commit in one transaction, so a kill -9 or a full disk
never leaves an orphan or a dangling reference; one key, one backup, one file
to protect. Blobs are split in chunks so neither writer nor reader ever holds a
whole 100 MB PDF in memory.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import BinaryIO

from store import audit
from store.db import Connection
from store.errors import NotFound
from store.messages import say

DEFAULT_CHUNK = 1024 * 1024


def _hash_stream(stream: BinaryIO, chunk: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while block := stream.read(chunk):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def put_blob(
    conn: Connection, data: bytes | BinaryIO, mime: str, *, chunk: int = DEFAULT_CHUNK
) -> str:
    """Store ``data`` once (dedup by SHA-256); the caller owns the transaction."""
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    start = stream.tell()
    sha, size = _hash_stream(stream, chunk)
    if conn.execute("SELECT 1 FROM blob WHERE sha256 = ?", (sha,)).fetchone():
        return sha
    conn.execute(
        "INSERT INTO blob (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)",
        (sha, size, mime, audit.now()),
    )
    stream.seek(start)
    seq = 0
    while block := stream.read(chunk):
        conn.execute("INSERT INTO blob_chunk (sha256, seq, data) VALUES (?, ?, ?)",
                     (sha, seq, block))
        seq += 1
    return sha


def iter_blob(conn: Connection, sha: str) -> Iterator[bytes]:
    if conn.execute("SELECT 1 FROM blob WHERE sha256 = ?", (sha,)).fetchone() is None:
        raise NotFound(say("store.blob_missing",
                           "The file {sha}… is not in the store.",
                           sha=sha[:12]))
    seq = 0
    while True:
        row = conn.execute(
            "SELECT data FROM blob_chunk WHERE sha256 = ? AND seq = ?", (sha, seq)
        ).fetchone()
        if row is None:
            return
        yield bytes(row[0])
        seq += 1


def read_blob(conn: Connection, sha: str) -> bytes:
    return b"".join(iter_blob(conn, sha))


def blob_size(conn: Connection, sha: str) -> int:
    row = conn.execute("SELECT size FROM blob WHERE sha256 = ?", (sha,)).fetchone()
    if row is None:
        raise NotFound(say("store.blob_missing",
                           "The file {sha}… is not in the store.",
                           sha=sha[:12]))
    return int(row[0])


def put_blob_now(
    conn: Connection, data: bytes | BinaryIO, mime: str, *, chunk: int = DEFAULT_CHUNK
) -> str:
    """Store a blob in its own transaction, before the rows that will use it.

    Capture stores each page image as soon as it is read, so memory stays flat
    whatever the page count; an image whose document never commits (a crash)
    is removed later by :func:`collect_garbage`.
    """
    from store.db import transaction

    with transaction(conn):
        return put_blob(conn, data, mime, chunk=chunk)


def collect_garbage(conn: Connection, *, older_than: str) -> int:
    """Delete blobs no page or document uses, created before ``older_than`` (ISO time).

    A document uses its pages' images, its PDF/A, and its source file's bytes when
    capture kept them (a digitally signed PDF: see capture/pipeline.py).

    The age limit keeps a capture running in another program safe: its images
    are stored minutes before its document rows.
    """
    orphans = [row[0] for row in conn.execute(
        "SELECT sha256 FROM blob WHERE created_at < ? AND sha256 NOT IN"
        " (SELECT image_sha256 FROM page) AND sha256 NOT IN"
        " (SELECT clean_sha256 FROM page WHERE clean_sha256 IS NOT NULL) AND sha256 NOT IN"
        " (SELECT pdf_sha256 FROM document WHERE pdf_sha256 IS NOT NULL) AND sha256 NOT IN"
        # a digitally signed source kept as it came (its signature is the evidence)
        " (SELECT source_sha256 FROM document WHERE source_sha256 IS NOT NULL)", (older_than,))]
    for sha in orphans:
        conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?", (sha,))
        conn.execute("DELETE FROM blob WHERE sha256 = ?", (sha,))
    return len(orphans)
