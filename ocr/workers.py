"""Run one task per page across all cores, surviving pages that crash or hang.

Why not a plain ``ProcessPoolExecutor``: when one worker dies (the OOM killer
on a 600 dpi colour page, a segfault in a native library) the whole pool
breaks and every page in flight fails with it, and a hung task can never be
stopped. Here each worker is a spawned process fed one job at a time over its
own pipe, so the parent always knows which page a dead or late worker was
holding: that page is reported failed, the worker is replaced and the batch
goes on. Workers are recycled after ``max_tasks_per_child`` pages so a slow
leak in a native library cannot grow for a whole 300-page dossier.

``spawn`` (not ``fork``) because the GUI process has Qt threads running, and
forking a threaded process can deadlock the child.

The task is pluggable: any top-level (picklable) function ``PageJob -> R``.
The default :func:`ocr_task` decodes the image, runs the job's optional
``prepare`` step (e.g. the clean-up stage, composed by the caller) and OCRs the
result. :class:`SerialRunner` has the same interface and runs in-process, for
tests and debugging.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from PIL import Image

from ocr.model import PageText
from ocr.settings import OcrSettings
from ocr.tesseract import image_dpi, ocr_page
from store.errors import SohoaError
from store.process import disable_core_dumps

R = TypeVar("R")

Prepare = Callable[[Image.Image, Path], Image.Image]
ProgressCallback = Callable[["Progress"], None]
_KILL_MARGIN_S = 30.0  # the hard kill backs up Tesseract's own timeout, it must not race it
_DEATH_WAIT_S = 5.0  # a worker whose pipe broke is reaped within this
_SHUTDOWN_WAIT_S = 5.0


@dataclass(frozen=True)
class PageJob:
    """Everything a worker needs for one page; small and picklable.

    ``image`` is any encoding Pillow reads (the scanner's JPEG as-is, or the
    lossless PNG made by :meth:`from_image`). ``prepare``, when set, must be a
    top-level function (or ``functools.partial`` of one) so it can be pickled.
    ``page_ref``, with an empty ``image``, names a page the task renders itself
    (the capture task's PDF pages: rendering in the parent was the serial part
    that kept two workers from going twice as fast as one).
    """

    key: str
    image: bytes
    dpi: int
    settings: OcrSettings
    temp_dir: Path
    prepare: Prepare | None = None
    options: object = None  # task-specific picklable options (e.g. the capture task's)
    page_ref: object = None  # task-specific picklable reference to a page not yet rendered

    @classmethod
    def from_image(
        cls,
        key: str,
        image: Image.Image,
        *,
        settings: OcrSettings,
        temp_dir: Path,
        dpi: int | None = None,
        prepare: Prepare | None = None,
        options: object = None,
    ) -> PageJob:
        """Encode ``image`` losslessly for the trip to a worker.

        Uncompressed PNM (30 ms for a 200 dpi colour page, against 600 ms for
        the fastest PNG): the pipe is cheap, the parent's CPU is not. A page is
        10–26 MB this way, so hand the runner a *generator* of jobs — it pulls
        one only when a worker is free — never a list of a whole dossier.
        """
        buf = io.BytesIO()
        if image.mode in ("1", "L", "RGB"):
            image.save(buf, format="PPM")
        else:
            image.save(buf, format="PNG", compress_level=1)
        return cls(key, buf.getvalue(), dpi or image_dpi(image), settings, temp_dir, prepare,
                   options)


@dataclass(frozen=True)
class PageResult(Generic[R]):
    """A page's outcome: ``value`` when it worked, else a one-line ``error``."""

    key: str
    value: R | None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Progress:
    """Handed to the progress callback after every page (done includes failed)."""

    done: int
    failed: int
    total: int | None
    elapsed_s: float

    @property
    def pages_per_min(self) -> float:
        return 60.0 * self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0


def ocr_task(job: PageJob) -> PageText:
    """The default worker task: decode, optionally prepare, OCR."""
    with Image.open(io.BytesIO(job.image)) as opened:
        opened.load()
        image: Image.Image = opened
    if job.prepare is not None:
        image = job.prepare(image, job.temp_dir)
    return ocr_page(image, settings=job.settings, temp_dir=job.temp_dir, dpi=job.dpi,
                    page_label=f"page {job.key}")


def describe_error(exc: BaseException) -> str:
    """One line for the clerk; our own errors are already sentences."""
    if isinstance(exc, SohoaError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _run_one(task: Callable[[PageJob], R], job: PageJob) -> PageResult[R]:
    start = time.monotonic()
    try:
        value = task(job)
    except Exception as exc:  # a page's failure must not end the batch
        return PageResult(job.key, None, describe_error(exc), time.monotonic() - start)
    return PageResult(job.key, value, None, time.monotonic() - start)


class PageRunner(Protocol[R]):
    """What the pipeline needs: run jobs, yield results in any order.

    Closing the generator (``results.close()``, or leaving a ``for`` loop by
    an exception) cancels the batch: workers still busy are killed.
    """

    def run(
        self,
        jobs: Iterable[PageJob],
        *,
        on_progress: ProgressCallback | None = None,
        total: int | None = None,
    ) -> Generator[PageResult[R], None, None]: ...


class _Tally:
    def __init__(self, total: int | None, on_progress: ProgressCallback | None) -> None:
        self.total, self.on_progress = total, on_progress
        self.done = self.failed = 0
        self.start = time.monotonic()

    def count(self, result: PageResult[R]) -> PageResult[R]:
        self.done += 1
        self.failed += 0 if result.ok else 1
        if self.on_progress is not None:
            self.on_progress(Progress(self.done, self.failed, self.total,
                                      time.monotonic() - self.start))
        return result


def _total_of(jobs: Iterable[PageJob], total: int | None) -> int | None:
    return len(jobs) if total is None and isinstance(jobs, Sized) else total


class SerialRunner(Generic[R]):
    """Runs each task in this process, one after another (tests, debugging).

    No isolation: a crash ends the program and only Tesseract's own timeout
    applies. Use :class:`ProcessRunner` for real batches.
    """

    def __init__(self, task: Callable[[PageJob], R]) -> None:
        self.task = task

    def run(
        self,
        jobs: Iterable[PageJob],
        *,
        on_progress: ProgressCallback | None = None,
        total: int | None = None,
    ) -> Generator[PageResult[R], None, None]:
        tally = _Tally(_total_of(jobs, total), on_progress)
        for job in jobs:
            yield tally.count(_run_one(self.task, job))


def _worker_main(conn: Connection, task: Callable[[PageJob], R]) -> None:
    """Worker loop: receive a job, send back its PageResult, until told to stop."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    disable_core_dumps()  # page images and their text live here: no core, no ptrace by peers
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        result = _run_one(task, job)
        try:
            conn.send(result)
        except Exception as exc:  # e.g. a result that cannot be pickled
            conn.send(PageResult(job.key, None, f"result not returned: {describe_error(exc)}",
                                 result.seconds))


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    job: PageJob | None = None
    deadline: float = 0.0
    served: int = 0
    started: float = field(default_factory=time.monotonic)

    def stop(self, *, wait_s: float) -> None:
        """Ask nicely, then kill: used on recycling and at the end of a batch."""
        try:
            if self.job is None:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(wait_s)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class ProcessRunner(Generic[R]):
    """Runs each page in one of ``workers`` spawned processes (see module doc)."""

    def __init__(
        self,
        task: Callable[[PageJob], R],
        *,
        workers: int,
        timeout_s: float,
        max_tasks_per_child: int = 50,
    ) -> None:
        if workers < 1 or timeout_s <= 0 or max_tasks_per_child < 1:
            raise ValueError("workers, timeout_s and max_tasks_per_child must be positive")
        self.task = task
        self.workers = workers
        self.timeout_s = timeout_s
        self.max_tasks_per_child = max_tasks_per_child
        self._ctx = multiprocessing.get_context("spawn")

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child, self.task), daemon=True,
                                 name="sohoa-ocr-worker")
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _assign(self, worker: _Worker, job: PageJob) -> PageResult[R] | None:
        worker.job, worker.deadline = job, time.monotonic() + self.timeout_s
        worker.started = time.monotonic()
        try:
            worker.conn.send(job)
        except (OSError, ValueError) as exc:  # the worker died before taking the job
            worker.job = None
            return PageResult(job.key, None, f"page {job.key}: cannot reach worker ({exc})")
        return None

    def run(
        self,
        jobs: Iterable[PageJob],
        *,
        on_progress: ProgressCallback | None = None,
        total: int | None = None,
    ) -> Generator[PageResult[R], None, None]:
        tally = _Tally(_total_of(jobs, total), on_progress)
        pending = iter(jobs)
        pool: list[_Worker] = []
        try:
            yield from self._loop(pending, pool, tally)
        finally:
            for worker in pool:
                if worker.job is not None:
                    worker.proc.kill()
                worker.stop(wait_s=_SHUTDOWN_WAIT_S)

    def _loop(
        self, pending: Iterator[PageJob], pool: list[_Worker], tally: _Tally
    ) -> Iterator[PageResult[R]]:
        exhausted = False
        while True:
            exhausted, refused = self._fill(pending, pool, exhausted)
            for result in refused:
                yield tally.count(result)
            busy = [w for w in pool if w.job is not None]
            if not busy:
                if exhausted:
                    return
                continue
            for result in self._collect(busy, pool):
                yield tally.count(result)

    def _fill(
        self, pending: Iterator[PageJob], pool: list[_Worker], exhausted: bool
    ) -> tuple[bool, list[PageResult[R]]]:
        """Give a job to every idle worker, starting workers up to the limit."""
        refused: list[PageResult[R]] = []
        while not exhausted:
            idle = next((w for w in pool if w.job is None), None)
            if idle is None and len(pool) >= self.workers:
                break
            job = next(pending, None)
            if job is None:
                return True, refused
            if idle is None:
                idle = self._spawn()
                pool.append(idle)
            failed = self._assign(idle, job)
            if failed is not None:
                refused.append(failed)
                self._replace(idle, pool)
        return exhausted, refused

    def _collect(self, busy: list[_Worker], pool: list[_Worker]) -> list[PageResult[R]]:
        """Wait for the first worker to answer, die or run out of time."""
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout)
        results: list[PageResult[R]] = []
        for worker in busy:
            result = self._check(worker)
            if result is None:
                continue
            results.append(result)
            worker.job = None
            worker.served += 1
            if not worker.proc.is_alive() or worker.served >= self.max_tasks_per_child:
                self._replace(worker, pool)
        return results

    def _check(self, worker: _Worker) -> PageResult[R] | None:
        job = worker.job
        assert job is not None
        try:
            if worker.conn.poll():
                result: PageResult[R] = worker.conn.recv()
                return result
        except (EOFError, OSError):
            # The pipe broke: the worker is dead. Its end of the pipe closes a moment
            # before the process can be reaped, so wait for that instead of calling
            # a dying worker "out of time".
            worker.proc.join(_DEATH_WAIT_S)
        else:
            if worker.proc.is_alive() and time.monotonic() < worker.deadline:
                return None
        seconds = time.monotonic() - worker.started
        if worker.proc.is_alive():  # out of time
            worker.proc.kill()
            worker.proc.join()
            return PageResult(job.key, None,
                              f"page {job.key}: no result within {self.timeout_s:g} s", seconds)
        worker.proc.join()
        return PageResult(job.key, None, _death_message(job.key, worker.proc.exitcode), seconds)

    def _replace(self, worker: _Worker, pool: list[_Worker]) -> None:
        worker.job = None
        worker.stop(wait_s=_SHUTDOWN_WAIT_S)
        pool.remove(worker)


def _death_message(key: str, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (out of memory?)" if exitcode == -signal.SIGKILL else ""
        return f"page {key}: the OCR worker was killed by {name}{hint}"
    return f"page {key}: the OCR worker stopped unexpectedly (exit code {exitcode})"


def make_runner(
    settings: OcrSettings,
    *,
    serial: bool = False,
    task: Callable[[PageJob], R] = ocr_task,  # type: ignore[assignment]
) -> PageRunner[R]:
    """The runner the pipeline uses: processes normally, in-process if ``serial``."""
    if serial:
        return SerialRunner(task)
    return ProcessRunner(
        task,
        workers=settings.workers,
        timeout_s=settings.page_timeout_s + _KILL_MARGIN_S,
        max_tasks_per_child=settings.max_tasks_per_child,
    )
