"""Watch folder: hand each new, *complete* file in a folder to a handler once.

Network copiers write scans slowly onto SMB shares, so a file that exists is
not yet a file that is finished. We poll (no inotify: it does not see writes
made by other machines on a network share, and polling works on Windows too)
and only hand a file over when

* its size and mtime have not changed for ``settle_seconds``,
* it can be opened (on Windows: for writing, which fails while the copier
  still holds it), and
* for PDF, JPEG, PNG, TIFF and BMP its structure is complete (trailer, end
  marker, or every strip within the file).

A file that stays unchanged but incomplete (or empty) for ``give_up_seconds``
was abandoned by its writer (a jammed copier, a cut link): it is handed over
anyway, so the ingest reports it as damaged instead of it waiting unseen.

Handled files are remembered by (relative path, size, mtime) in a small JSON
state file so that a restart does not ingest them again; a file replaced by a
new one with the same name is handled again. The state is written *after* the
handler returns, so a crash mid-ingest means the file is offered again (the
caller de-duplicates by SHA-256) rather than lost.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from scanning.sources import natural_key

log = logging.getLogger(__name__)

_PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart")
_TAIL = 2048
_STATE_VERSION = 1

Key = tuple[int, int]  # (size, mtime_ns)


@dataclass
class _Pending:
    size: int
    mtime_ns: int
    since: float  # monotonic time the size/mtime were first seen like this


@dataclass
class _WatchState:
    """What was handled, and what is still settling."""

    processed: dict[str, Key] = field(default_factory=dict)
    pending: dict[str, _Pending] = field(default_factory=dict)


def watch(
    folder: Path,
    handle: Callable[[Path], None],
    *,
    stop: threading.Event,
    poll_seconds: float = 2.0,
    settle_seconds: float = 5.0,
    state_file: Path | None = None,
    on_error: Callable[[Path, Exception], None] | None = None,
    give_up_seconds: float = 60.0,
) -> None:
    """Poll ``folder`` (recursively) until ``stop`` is set, handing over complete files.

    ``handle`` is called in this thread, one file at a time, in natural name
    order. If it raises, the error goes to ``on_error`` (default: logged) and
    the file still counts as handled, so a bad file is not retried forever.
    """
    report = on_error or _log_error
    state = _WatchState(processed=_load_state(state_file))
    timing = _Timing(settle_seconds, max(settle_seconds, give_up_seconds))
    while not stop.is_set():
        _poll_once(folder, handle, state, timing, state_file, report)
        stop.wait(poll_seconds)


@dataclass(frozen=True)
class _Timing:
    settle: float  # unchanged this long: the writer may be done
    give_up: float  # unchanged this long but still incomplete: the writer is gone


def _log_error(path: Path, exc: Exception) -> None:
    log.warning("watch folder: %s: %s", path, exc)


def _poll_once(
    folder: Path,
    handle: Callable[[Path], None],
    state: _WatchState,
    timing: _Timing,
    state_file: Path | None,
    report: Callable[[Path, Exception], None],
) -> None:
    """One pass over the folder; a share that went away is reported and retried."""
    try:
        listing = dict(_list_files(folder))
    except OSError as exc:
        report(folder, exc)
        return
    now = time.monotonic()
    if _forget_vanished(state, listing):
        _save_state(state_file, state.processed, report)
    for rel, (path, key) in listing.items():
        if state.processed.get(rel) == key or not _settled(state, rel, key, now, timing.settle):
            continue
        if not is_complete(path) and not _settled(state, rel, key, now, timing.give_up):
            continue
        try:
            handle(path)
        except Exception as exc:  # the handler's own failure must not stop the watcher
            report(path, exc)
        state.processed[rel] = key
        state.pending.pop(rel, None)
        _save_state(state_file, state.processed, report)


def _forget_vanished(state: _WatchState, listing: dict[str, tuple[Path, Key]]) -> bool:
    """Drop state for files that are gone (keeps the state file small).

    An empty listing is not trusted: an unmounted share looks empty, and
    forgetting everything then would re-ingest the whole share later.
    """
    if not listing:
        return False
    gone = [rel for rel in state.processed if rel not in listing]
    for rel in gone:
        del state.processed[rel]
    for rel in [rel for rel in state.pending if rel not in listing]:
        del state.pending[rel]
    return bool(gone)


def _settled(state: _WatchState, rel: str, key: Key, now: float, settle_seconds: float) -> bool:
    """True once size and mtime have stayed the same for ``settle_seconds``."""
    seen = state.pending.get(rel)
    if seen is None or (seen.size, seen.mtime_ns) != key:
        state.pending[rel] = _Pending(key[0], key[1], now)
        return settle_seconds <= 0
    return now - seen.since >= settle_seconds


def _list_files(folder: Path) -> Iterator[tuple[str, tuple[Path, Key]]]:
    """(relative path, (path, (size, mtime_ns))) of candidate files, in natural order."""
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(current) as it:
            entries = sorted(it, key=lambda e: natural_key(e.name), reverse=True)
        files: list[tuple[str, tuple[Path, Key]]] = []
        for entry in entries:
            if _ignored(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file():
                st = entry.stat()
                rel = Path(entry.path).relative_to(folder).as_posix()
                files.append((rel, (Path(entry.path), (st.st_size, st.st_mtime_ns))))
        yield from reversed(files)


def _ignored(name: str) -> bool:
    """Hidden files and the temporary names copiers and browsers write first."""
    low = name.casefold()
    return (
        low.startswith((".", "~$"))
        or low.endswith(_PARTIAL_SUFFIXES)
        or low in ("thumbs.db", "desktop.ini")
    )


# --------------------------------------------------------------------------- completeness


def is_complete(path: Path) -> bool:
    """Can be opened (Windows: not held by a writer) and is structurally whole."""
    try:
        # on Windows, opening for writing fails while the copier still holds the file
        # (a read-only file cannot be held for writing, so reading is enough there)
        writable = sys.platform == "win32" and os.access(path, os.W_OK)
        mode = "r+b" if writable else "rb"
        with open(path, mode) as fh:
            head = fh.read(16)
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL))
            tail = fh.read()
            return size > 0 and _structure_complete(fh, head, tail, size)
    except OSError:
        return False


def _structure_complete(fh: IO[bytes], head: bytes, tail: bytes, size: int) -> bool:
    if b"%PDF-" in head:
        return b"%%EOF" in tail[-1024:]
    if head.startswith(b"\xff\xd8\xff"):
        return tail.rstrip(b"\x00\r\n\t ").endswith(b"\xff\xd9")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return b"IEND\xaeB`\x82" in tail[-64:]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff_complete(fh, head, size)
    if head.startswith(b"BM") and len(head) >= 6:
        return size >= int(struct.unpack("<I", head[2:6])[0])
    return True  # other types: settling is all we can check


_STRIP_TAGS = {273: 279, 324: 325}  # StripOffsets -> StripByteCounts, TileOffsets -> TileByteCounts
_TYPE_SIZES = {3: 2, 4: 4, 16: 8}  # SHORT, LONG, LONG8


def _tiff_complete(fh: IO[bytes], head: bytes, size: int) -> bool:
    """Every IFD and every strip/tile lies inside the file written so far."""
    order = "<" if head[:2] == b"II" else ">"
    offset = struct.unpack(order + "I", head[4:8])[0]
    seen: set[int] = set()
    while offset:
        if offset in seen or offset + 2 > size:
            return offset in seen  # a loop is the file's problem, not incompleteness
        seen.add(offset)
        entries = _read_ifd(fh, order, offset, size)
        if entries is None:
            return False
        if not _strips_inside(fh, order, entries, size):
            return False
        next_pos = offset + 2 + 12 * len(entries)
        fh.seek(next_pos)
        raw = fh.read(4)
        if len(raw) < 4:
            return False
        offset = struct.unpack(order + "I", raw)[0]
    return True


def _read_ifd(
    fh: IO[bytes], order: str, offset: int, size: int
) -> dict[int, tuple[int, int, bytes]] | None:
    fh.seek(offset)
    raw = fh.read(2)
    if len(raw) < 2:
        return None
    count = struct.unpack(order + "H", raw)[0]
    body = fh.read(12 * count + 4)
    if len(body) < 12 * count + 4:
        return None
    entries: dict[int, tuple[int, int, bytes]] = {}
    for i in range(count):
        tag, typ, n = struct.unpack(order + "HHI", body[12 * i : 12 * i + 8])
        entries[tag] = (typ, n, body[12 * i + 8 : 12 * i + 12])
    return entries


def _tag_values(fh: IO[bytes], order: str, entry: tuple[int, int, bytes]) -> list[int] | None:
    typ, n, field_bytes = entry
    width = _TYPE_SIZES.get(typ)
    if width is None:
        return None
    fmt = {2: "H", 4: "I", 8: "Q"}[width]
    if n * width <= 4:
        data = field_bytes[: n * width]
    else:
        fh.seek(struct.unpack(order + "I", field_bytes)[0])
        data = fh.read(n * width)
        if len(data) < n * width:
            return None
    return list(struct.unpack(order + fmt * n, data))


def _strips_inside(
    fh: IO[bytes], order: str, entries: dict[int, tuple[int, int, bytes]], size: int
) -> bool:
    for offsets_tag, counts_tag in _STRIP_TAGS.items():
        if offsets_tag not in entries or counts_tag not in entries:
            continue
        offsets = _tag_values(fh, order, entries[offsets_tag])
        counts = _tag_values(fh, order, entries[counts_tag])
        if offsets is None or counts is None:
            return False
        if any(o + c > size for o, c in zip(offsets, counts, strict=False)):
            return False
    return True


# --------------------------------------------------------------------------- state


def _load_state(state_file: Path | None) -> dict[str, Key]:
    """Handled files from an earlier run; an unreadable state starts afresh (logged)."""
    if state_file is None or not state_file.exists():
        return {}
    try:
        data = json.loads(state_file.read_text(encoding="utf-8"))
        if data.get("version") != _STATE_VERSION:
            raise ValueError(f"unknown state version {data.get('version')!r}")
        return {str(k): (int(v[0]), int(v[1])) for k, v in data["processed"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.warning("watch folder state %s unreadable (%s); starting afresh", state_file, exc)
        return {}


def _save_state(
    state_file: Path | None, processed: dict[str, Key], report: Callable[[Path, Exception], None]
) -> None:
    """Atomically replace the state file (a crash never leaves half a JSON)."""
    if state_file is None:
        return
    data = {"version": _STATE_VERSION, "processed": {k: list(v) for k, v in processed.items()}}
    tmp = state_file.with_name(state_file.name + ".new")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, state_file)
    except OSError as exc:
        report(state_file, exc)
