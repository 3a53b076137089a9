"""An encrypted temp file: what must pass through the disk is never there in clear.

Why: the attack audit (issue 12 item 2) carved a whole PDF/A, page image,
text and a citizen's name, from the raw disk after capture had written it to
``DIR/tmp`` and deleted it; sync packages sat there in clear for the length
of an upload. Deleting a file does not erase its blocks. A PDF/A or a package
can be hundreds of MB, so holding it in memory (``BytesIO``) is no answer
either: capture keeps memory flat at one page, whatever the page count.

So the bytes go to an anonymous temp file (``O_TMPFILE`` on Linux: it never
has a name, and vanishes with the process, even after a kill -9), sealed with
AES-256-GCM in fixed-size chunks under a key made for this file alone and
held only in this object's memory. A chunk's nonce is its index: the file is
append-only, so no (key, nonce) pair is ever used twice. Fixed-size chunks
let a reader start anywhere (a tus upload resumes at the warehouse's
offset): only the chunk holding that offset is read and opened. The last,
partial chunk stays in memory until it is full, so a small file never reaches
the disk at all. The key is lost with the process: what a crash leaves behind,
or what is carved from the disk, is noise.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from store.errors import DiskFull
from store.messages import say

CHUNK = 64 * 1024
TAG = 16  # the GCM tag after each sealed chunk


class Spool:
    """A file you append to, then read from anywhere (``seek``/``read``/``tell``).

    Use as ``with Spool(temp_dir) as fh:`` — ``fh`` is typed ``BinaryIO`` for the
    functions that take a file (``write_pdfa``, ``put_blob``, the tar writer).
    Writing is allowed only at the end; reading and writing may alternate.
    """

    def __init__(self, parent: Path, *, chunk: int = CHUNK) -> None:
        if chunk <= 0:
            raise ValueError("chunk must be positive")
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # unbuffered: a sealed chunk goes to the file at once, nothing waits in a buffer
        self._file = tempfile.TemporaryFile(dir=parent, buffering=0)  # noqa: SIM115
        self._aead: AESGCM | None = AESGCM(AESGCM.generate_key(bit_length=256))
        self._chunk = chunk
        self._tail = bytearray()  # the plaintext after the last full chunk: memory only
        self._sealed = 0  # full chunks on disk
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    # -- the file protocol ----------------------------------------------------------------

    @property
    def size(self) -> int:
        return self._sealed * self._chunk + len(self._tail)

    @property
    def closed(self) -> bool:
        return self._aead is None

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._cipher()  # closed: refused, even for bytes that would stay in memory
        if self._pos != self.size:
            raise io.UnsupportedOperation("an encrypted spool is written at its end only")
        view = memoryview(data).cast("B")
        written = len(view)
        if self._tail:
            take = min(self._chunk - len(self._tail), len(view))
            self._tail += view[:take]
            view = view[take:]
            if len(self._tail) == self._chunk:
                self._seal(bytes(self._tail))
                self._tail.clear()
        while len(view) >= self._chunk:
            self._seal(bytes(view[:self._chunk]))
            view = view[self._chunk:]
        self._tail += view
        self._pos += written
        return written

    def read(self, size: int = -1) -> bytes:
        self._cipher()
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        parts = []
        while self._pos < end:
            index, start = divmod(self._pos, self._chunk)
            block = self._block(index)[start:start + end - self._pos]
            parts.append(block)
            self._pos += len(block)
        return b"".join(parts)

    def flush(self) -> None:
        """Nothing to flush: the partial chunk must not reach the disk in clear."""

    def close(self) -> None:
        self._aead = None  # the key goes first: what is on disk can no longer be read
        self._tail = bytearray()
        self._cached = None
        self._file.close()

    def as_file(self) -> BinaryIO:
        """This spool, typed as the binary file it behaves as."""
        return cast(BinaryIO, self)

    def __enter__(self) -> BinaryIO:
        return self.as_file()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # -- chunks ---------------------------------------------------------------------------

    def _cipher(self) -> AESGCM:
        if self._aead is None:
            raise ValueError("I/O operation on a closed spool")
        return self._aead

    def _seal(self, block: bytes) -> None:
        nonce = self._sealed.to_bytes(12, "big")
        sealed = memoryview(self._cipher().encrypt(nonce, block, None))
        self._file.seek(self._sealed * (self._chunk + TAG))
        try:
            while sealed:
                sealed = sealed[self._file.write(sealed) or 0:]
        except OSError as exc:  # a full disk is the user's to fix: one sentence, not a crash
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(say("store.disk_full_temp",
                                   "The disk is full: a temporary file (a PDF or a package being "
                                   "made) could not be written.")) from exc
            raise
        self._sealed += 1

    def _block(self, index: int) -> bytes:
        if index == self._sealed:
            return bytes(self._tail)
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._file.seek(index * (self._chunk + TAG))
        sealed = self._file.read(self._chunk + TAG)  # a regular file: no short reads
        block = self._cipher().decrypt(index.to_bytes(12, "big"), sealed, None)
        self._cached = (index, block)
        return block

