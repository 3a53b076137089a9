"""Process-level lock on a store folder.

Normal use takes a *shared* lock: the GUI, a `sohoa backup` or `sohoa search`
can run side by side (SQLite's WAL handles concurrent writers with a busy
timeout). Operations that replace or reshape the database (init, restore,
schema upgrade) need it *exclusively* and fail fast with a clear message.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from store.errors import StoreInUse
from store.messages import Message, say

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every lock is exclusive
    fcntl = None  # type: ignore[assignment]


class StoreLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None
        self.exclusive = False
        self._shared = False  # a shared flock is held (Linux)
        self._held = False  # the byte lock is held (Windows)

    def acquire(self, *, exclusive: bool, what: str = "") -> None:
        if self._fh is None:
            self._fh = open(self.path, "a+b")  # noqa: SIM115 - held for the process
        self._flock(exclusive, what)
        self.exclusive = exclusive

    def _flock(self, exclusive: bool, what: str) -> None:
        assert self._fh is not None
        if fcntl is None:  # pragma: no cover
            if self._held:
                # Windows' lock is exclusive already, and LockFile on a byte this handle
                # holds fails: a store's schema upgrade at login refused itself as "in use".
                return
            import msvcrt

            try:
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError as exc:
                raise StoreInUse(self._busy_message(what)) from exc
            self._held = True
            return
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        held_shared = self._shared
        try:
            fcntl.flock(self._fh.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            if held_shared:
                # Linux drops the shared lock before a conversion it then refuses: take it
                # back, or another program gets the exclusive lock and purges our temp files.
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_SH)
            raise StoreInUse(self._busy_message(what)) from exc
        self._shared = not exclusive

    @staticmethod
    def _busy_message(what: str) -> Message:
        if what:
            return say("store.in_use_for", "The store is in use by another sohoa program; close"
                       " it to {task} and try again.", task=what)
        return say("store.in_use",
                   "The store is in use by another sohoa program; close it and try again.")

    def downgrade(self) -> None:
        """Exclusive -> shared, once the reshaping is done."""
        if self.exclusive and fcntl is not None and self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_SH)
            self.exclusive = False
            self._shared = True

    def release(self) -> None:
        if self._fh is not None:
            if fcntl is not None:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._shared = False
            self._held = False
            self._fh.close()
            self._fh = None


