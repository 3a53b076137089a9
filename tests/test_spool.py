"""The encrypted spool (store/spool.py): reads back what was written, from anywhere,
and what reaches the disk is ciphertext under a key that dies with the object."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from store.spool import TAG, Spool

SECRET = "Nguyễn Thị Hồng Nhung 079303001270 %PDF-1.7".encode()


def _payload(size: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    body = bytes(rng.getrandbits(8) for _ in range(size))
    return SECRET + body + SECRET


def _disk_bytes(spool: Spool) -> bytes:
    """What is really in the temp file (through its descriptor: it has no name)."""
    fd = spool._file.fileno()  # the raw file, on purpose
    return os.pread(fd, os.fstat(fd).st_size, 0)


def test_reads_back_from_any_offset_like_a_plain_file(tmp_path: Path) -> None:
    data = _payload(10_000)
    with Spool(tmp_path, chunk=1000) as fh:
        for start in range(0, len(data), 333):  # writes that straddle chunk ends
            fh.write(data[start:start + 333])
        rng = random.Random(7)
        for _ in range(200):
            offset, size = rng.randrange(len(data) + 5), rng.randrange(-1, 3000)
            fh.seek(offset)
            plain = io.BytesIO(data)
            plain.seek(offset)
            assert fh.read(size) == plain.read(size), (offset, size)
            assert fh.tell() == plain.tell()
        fh.seek(-10, os.SEEK_END)
        assert fh.read() == data[-10:]


def test_the_disk_holds_only_ciphertext(tmp_path: Path) -> None:
    data = _payload(5000)
    with Spool(tmp_path, chunk=1024) as fh:
        fh.write(data)
        spool = fh  # the object behind the BinaryIO type
        assert isinstance(spool, Spool)
        raw = _disk_bytes(spool)
        assert len(raw) == (len(data) // 1024) * (1024 + TAG)  # the partial chunk: memory only
        assert SECRET[:20] not in raw and b"%PDF" not in raw
        if os.name == "posix":
            assert list(tmp_path.iterdir()) == []  # no name: nothing to find, or to leave


def test_a_small_file_never_reaches_the_disk(tmp_path: Path) -> None:
    with Spool(tmp_path) as fh:
        fh.write(SECRET)
        assert isinstance(fh, Spool)
        assert _disk_bytes(fh) == b""
        fh.seek(0)
        assert fh.read() == SECRET


def test_a_changed_chunk_on_disk_is_refused(tmp_path: Path) -> None:
    with Spool(tmp_path, chunk=100) as fh:
        fh.write(_payload(400))
        assert isinstance(fh, Spool)
        os.pwrite(fh._file.fileno(), b"\0", 5)
        fh.seek(0)
        with pytest.raises(InvalidTag):
            fh.read(10)


def test_written_at_its_end_only_and_dead_once_closed(tmp_path: Path) -> None:
    fh = Spool(tmp_path, chunk=64)
    fh.write(b"x" * 100)
    fh.seek(10)
    with pytest.raises(io.UnsupportedOperation):
        fh.write(b"y")
    fh.seek(0, os.SEEK_END)
    fh.write(b"z")
    fh.seek(0)
    assert fh.read() == b"x" * 100 + b"z"
    fh.close()
    assert fh.closed
    fh.seek(0)
    with pytest.raises(ValueError, match="closed"):
        fh.read(1)
    with pytest.raises(ValueError, match="closed"):
        fh.write(b"x")
