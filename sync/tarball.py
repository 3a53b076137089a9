"""A reproducible tar or ZIP archive, written as a stream, hashed while it is written.

Reproducible: members in path order (each folder before what it holds), one
fixed time, owner 0:0 with no names, modes 0644/0755, POSIX ustar headers (no
pax records, which would carry times and process-dependent fields). Streamed:
a member's bytes come from an iterator (a blob read chunk by chunk from the
store) and go straight to the output, so a 500 MB dossier never sits in memory.
The ZIP form (what RODA and commons-ip2 read) follows the same rules: stored,
not deflated (PDF/A pages are already compressed), one fixed time, Unix modes,
sizes declared before each member so the bytes do not depend on the output.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from store.errors import StoreCorrupt
from store.messages import say

READ_SIZE = 256 * 1024


@dataclass(frozen=True)
class Member:
    """One file of the archive; ``chunks`` is called once, when the file is written."""

    path: str  # "/"-separated, relative to the archive root folder
    size: int
    chunks: Callable[[], Iterator[bytes]]


def bytes_member(path: str, data: bytes) -> Member:
    return Member(path, len(data), lambda: iter((data,)))


def file_chunks(path: Path) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        with open(path, "rb") as fh:
            while block := fh.read(READ_SIZE):
                yield block
    return read


class HashingWriter:
    """A write-only file that passes bytes on and keeps their SHA-256 and count."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest().upper()


class _ChunkReader(io.RawIOBase):
    """``read(n)`` over an iterator of byte strings, for tarfile's copy loop."""

    def __init__(self, chunks: Iterator[bytes], path: str, size: int) -> None:
        self._chunks = chunks
        self._pending = b""
        self._path = path
        self._left = size

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while len(self._pending) < max(size, 1):
            block = next(self._chunks, None)
            if block is None:
                break
            self._pending += block
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        self._left -= len(out)
        if self._left < 0:
            raise StoreCorrupt(say("sync.blob_too_long",
                                   "{path} is longer than the store says; restore a backup.",
                                   path=self._path))
        return out


def _folders(paths: Sequence[str]) -> set[str]:
    folders: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folders.add("/".join(parts[:i]))
    return folders


def _ordered(members: Sequence[Member]) -> tuple[list[str], dict[str, Member]]:
    """Every path of the archive in writing order (each folder before what it holds)."""
    by_path = {m.path: m for m in members}
    if len(by_path) != len(members):
        raise ValueError("two package members share a path")
    return sorted([*_folders(list(by_path)), *by_path]), by_path


def _info(name: str, mtime: int, size: int | None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if size is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = size, 0o644
    return info


def write_tar(out: BinaryIO, root: str, members: Sequence[Member], mtime: int) -> HashingWriter:
    """Write ``root/…`` holding ``members``; returns the writer with size and SHA-256."""
    writer = HashingWriter(out)
    names, by_path = _ordered(members)
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.USTAR_FORMAT) as tar:  # type: ignore[call-overload]
        tar.addfile(_info(root, mtime, None))
        for name in names:
            member = by_path.get(name)
            if member is None:
                tar.addfile(_info(f"{root}/{name}", mtime, None))
                continue
            reader = _ChunkReader(member.chunks(), name, member.size)
            tar.addfile(_info(f"{root}/{name}", mtime, member.size), reader)
    writer.flush()
    return writer


def _zip_info(name: str, mtime: int, size: int | None) -> zipfile.ZipInfo:
    stamp = datetime.fromtimestamp(max(mtime, 315532800), UTC)  # ZIP dates start in 1980
    info = zipfile.ZipInfo(name + ("/" if size is None else ""), stamp.timetuple()[:6])
    info.create_system = 3  # Unix, so the modes below are read
    info.compress_type = zipfile.ZIP_STORED
    if size is None:
        info.external_attr = (0o40755 << 16) | 0x10
    else:
        info.external_attr = 0o100644 << 16
        info.file_size = size
    return info


def write_zip(out: BinaryIO, root: str, members: Sequence[Member], mtime: int) -> HashingWriter:
    """The same archive as :func:`write_tar`, as a ZIP (zip64 where a member needs it)."""
    writer = HashingWriter(out)
    names, by_path = _ordered(members)
    with zipfile.ZipFile(writer, mode="w", allowZip64=True) as archive:  # type: ignore[call-overload]
        archive.writestr(_zip_info(root, mtime, None), b"")
        for name in names:
            member = by_path.get(name)
            if member is None:
                archive.writestr(_zip_info(f"{root}/{name}", mtime, None), b"")
                continue
            info = _zip_info(f"{root}/{name}", mtime, member.size)
            written = 0
            with archive.open(info, "w", force_zip64=member.size >= zipfile.ZIP64_LIMIT) as dst:
                for block in member.chunks():
                    written += len(block)
                    dst.write(block)
            if written != member.size:
                raise StoreCorrupt(say("sync.blob_wrong_size",
                                       "{path} has {written} bytes, not {size}.",
                                       path=name, written=written, size=member.size))
    writer.flush()
    return writer


def write_tree(folder: Path, members: Sequence[Member]) -> None:
    """The same members as plain files under ``folder`` (for a USB hand-over or a validator)."""
    for member in sorted(members, key=lambda m: m.path):
        target = folder.joinpath(*member.path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with open(target, "wb") as fh:
            for block in member.chunks():
                written += len(block)
                fh.write(block)
        if written != member.size:
            raise StoreCorrupt(say("sync.blob_wrong_size",
                                   "{path} has {written} bytes, not {size}.",
                                   path=member.path, written=written, size=member.size))
