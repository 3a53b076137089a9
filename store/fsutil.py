"""Small file-system helpers: atomic writes and the private temp folder."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from store.errors import BadInput, DiskFull
from store.messages import say


def atomic_write(path: Path, data: bytes) -> None:
    """Write-then-rename, so a crash or a full disk never leaves half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno == errno.ENOSPC:
            raise DiskFull(say("store.disk_full_file",
                               "The disk is full: could not write {name}.",
                               name=path.name)) from exc
        raise
    fsync_dir(path.parent)


@contextlib.contextmanager
def output_file(out: Path, what: str) -> Iterator[Path]:
    """Yield ``out.part`` to write, then rename it to ``out``.

    A reader never sees half a file, a failure leaves nothing behind, and a
    bad path or a full disk becomes one sentence naming ``what`` was not
    written, instead of an OSError.
    """
    part = out.with_name(out.name + ".part")
    try:
        yield part
        os.replace(part, out)
        fsync_dir(out.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        if exc.errno == errno.ENOSPC:
            raise DiskFull(say("store.disk_full_not_written",
                               "The disk is full: {what} {out} was not written.",
                               what=what, out=out)) from exc
        raise BadInput(say("store.cannot_write",
                           "Cannot write {what} to {out}: {reason}.",
                           what=what, out=out, reason=exc.strerror or exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_data_dir(path: Path) -> Path:
    """Create the store's folder readable by its owner only (0700).

    A path that is a file, or a place that cannot hold a folder, is a user's
    mistake and gets one sentence, not an OSError.
    """
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except FileExistsError as exc:
        raise BadInput(say("store.data_dir_is_file",
                           "{path} is a file, not a folder: choose another data folder.",
                           path=path)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull(say("store.disk_full_folder",
                               "The disk is full: could not create {path}.",
                               path=path)) from exc
        raise BadInput(say("store.data_dir_cannot_create",
                           "Cannot create the data folder {path}: {reason}.",
                           path=path, reason=exc.strerror)) from exc
    return path


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (0700) and empty it: leftovers of a crashed run are purged.

    A file or a link in its place is refused in one sentence: a link would send the
    temp files, and the purge, to a folder someone else chose.
    """
    with contextlib.suppress(FileExistsError):  # a file in its place: refused just below
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.is_symlink() or not path.is_dir():
        raise BadInput(say("store.temp_not_folder",
                           "{path} should be sohoa's own temp folder but is a file or a link: "
                           "remove it (nothing of the store is in it), then try again.",
                           path=path))
    os.chmod(path, 0o700)
    purge_dir(path)
    return path


def purge_dir(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                child.unlink()


@contextlib.contextmanager
def private_tempdir(parent: Path) -> Iterator[Path]:
    """A 0700 folder under the store's temp folder, removed on exit whatever happens."""
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
