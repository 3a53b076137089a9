"""Background work for the GUI: one database thread, a capture thread, a lag meter.

Why this shape: a ``Session`` is one SQLCipher connection and SQLite's
``check_same_thread`` stays on, so exactly one thread may touch it. The
:class:`DbThread` owns that thread and the session; widgets hand it a function
``fn(session) -> result`` and get the result (or the error) back in the GUI
thread by a queued signal, like Anki's ``CollectionOp(...).success(...)``.
The GUI thread never waits on the database.

Capture (clean-up, OCR, PDF/A) takes minutes, so it runs in its own thread on
its own connection (``store.sibling``), while the clerk keeps correcting on
the database thread; SQLite's WAL lets the two take turns writing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, QThread, QTimer, Signal, Slot

from capture.pipeline import CaptureSettings, DocumentOutcome, IngestReport, IngestRequest, ingest
from capture.scan_ingest import ScanRequest, scan_and_ingest
from ocr.workers import Progress
from store import sibling
from store.errors import ExitCode, SohoaError
from store.session import Session, open_session
from store.settings import StoreSettings

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass
class Job:
    """One piece of store work and where its answer goes."""

    fn: Callable[[Session], Any]
    done: Done | None = None
    failed: Failed | None = None
    owner: QObject | None = None
    needs_session: bool = True


class _DbWorker(QObject):
    """Lives in the database thread; the only code that ever touches the session."""

    finished = Signal(object, object, object)  # job, result, error

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None

    @Slot(object)
    def run(self, job: Job) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            if job.needs_session and self.session is None:
                raise SohoaError("Not logged in.")
            result = job.fn(self.session)  # type: ignore[arg-type]
        except BaseException as exc:  # every error goes back to the GUI, never lost
            error = exc
        self.finished.emit(job, result, error)

    def login(self, settings: StoreSettings, user: str, password: str) -> Session:
        self.logout()
        self.session = open_session(settings, user, password)
        return self.session

    def logout(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            session.close()


class DbThread(QObject):
    """The GUI's handle on the database thread (create and use it in the GUI thread)."""

    busy_changed = Signal(bool)
    _submit = Signal(object)

    def __init__(self, on_error: Failed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._pending = 0
        self._thread = QThread()
        self._thread.setObjectName("sohoa-db")
        self._worker = _DbWorker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._deliver)
        self._thread.start()

    def submit(self, fn: Callable[[Session], Any], done: Done | None = None,
               failed: Failed | None = None, owner: QObject | None = None) -> None:
        """Run ``fn(session)`` on the database thread; ``done(result)`` back in this thread."""
        self._queue(Job(fn, done, failed, owner))

    def login(self, settings: StoreSettings, user: str, password: str, done: Done,
              failed: Failed) -> None:
        worker = self._worker
        self._queue(Job(lambda _s: worker.login(settings, user, password).user, done, failed,
                        needs_session=False))

    def logout(self, done: Done | None = None) -> None:
        worker = self._worker
        self._queue(Job(lambda _s: worker.logout(), done, None, needs_session=False))

    def _queue(self, job: Job) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job)

    @Slot(object, object, object)
    def _deliver(self, job: Job, result: Any, error: BaseException | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return  # the widget that asked is gone
        if error is not None:
            (job.failed or self._on_error)(error)
        elif job.done is not None:
            job.done(result)

    @property
    def pending(self) -> int:
        return self._pending

    def close(self) -> None:
        """Close the session and stop the thread; waits for the job in hand to finish."""
        if not self._thread.isRunning():
            return
        worker = self._worker
        done = threading.Event()

        def finish(_s: Session | None) -> None:
            worker.logout()
            done.set()

        self._submit.emit(Job(finish, needs_session=False))
        done.wait(60)
        self._thread.quit()
        self._thread.wait()


# -- capture -----------------------------------------------------------------------------------

class CaptureCancelled(SohoaError):
    exit_code = ExitCode.CANCELLED


@dataclass(frozen=True)
class CaptureJob:
    """What to capture: files/folders, or a scanner, into which batch."""

    request: IngestRequest
    scan: ScanRequest | None = None
    sane_env: dict[str, str] | None = None


@dataclass
class CaptureSummary:
    stored: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line a file, in English
    failures: list[tuple[str, list[str]]] = field(default_factory=list)  # (source, errors)
    pages: int = 0


class _CaptureWorker(QObject):
    progress = Signal(int, int, int, float)  # done, failed, total (0 = unknown), pages/min
    page_status = Signal(int, bool)  # page number, read without error
    sheet = Signal(int)  # sheets scanned so far
    document = Signal(object)  # DocumentOutcome
    finished = Signal(object, object)  # CaptureSummary | None, error | None

    def __init__(self, ticket: sibling.Ticket, job: CaptureJob, settings: CaptureSettings,
                 cancel: threading.Event) -> None:
        super().__init__()
        self.ticket, self.job, self.settings, self.cancel = ticket, job, settings, cancel
        self._failed = 0

    @Slot()
    def run(self) -> None:
        summary: CaptureSummary | None = None
        error: BaseException | None = None
        try:
            with sibling.open_sibling(self.ticket) as session:
                summary = _summarise(self._ingest(session))
        except BaseException as exc:
            error = exc
        self.finished.emit(summary, error)

    def _ingest(self, session: Session) -> IngestReport:
        if self.job.scan is not None:
            return scan_and_ingest(session, self.job.scan, self.job.request, self.settings,
                                   on_sheet=self._on_sheet, on_progress=self._on_progress,
                                   on_document=self._on_document, env=self.job.sane_env)
        return ingest(session, self.job.request, self.settings, on_progress=self._on_progress,
                      on_document=self._on_document)

    def _check(self) -> None:
        if self.cancel.is_set():
            raise CaptureCancelled("Capture cancelled; the documents finished so far are kept.")

    def _on_sheet(self, count: int) -> None:
        self._check()
        self.sheet.emit(count)

    def _on_progress(self, p: Progress) -> None:
        ok = p.failed == self._failed
        self._failed = p.failed
        self.page_status.emit(p.done, ok)
        self.progress.emit(p.done, p.failed, p.total or 0, p.pages_per_min)
        self._check()

    def _on_document(self, outcome: DocumentOutcome) -> None:
        self.document.emit(outcome)
        self._check()


def _summarise(report: IngestReport) -> CaptureSummary:
    return summary_of(report.outcomes, report.pages)


def summary_of(outcomes: Sequence[DocumentOutcome], pages: int = 0) -> CaptureSummary:
    """What a run stored, found again and failed, from its outcomes (a whole report's, or
    those a cancelled run reported one by one)."""
    summary = CaptureSummary(pages=pages)
    for o in outcomes:
        if o.id is not None:
            summary.stored.append(o.id)
        elif o.duplicate_of is not None:
            summary.duplicates.append(o.duplicate_of)
        else:
            summary.failed.append(failure_line(o.source, o.errors))
            summary.failures.append((o.source, list(o.errors)))
    return summary


def failure_line(source: str, errors: Sequence[str]) -> str:
    """``source: why``, the source named once: the core's errors about a file already
    start with it ("<path>: not found")."""
    said = "; ".join(errors)
    return said if errors and all(e.startswith(source) for e in errors) else f"{source}: {said}"


class CaptureRunner(QObject):
    """One capture run in its own thread with its own session; cancellable."""

    progress = Signal(int, int, int, float)
    page_status = Signal(int, bool)
    sheet = Signal(int)
    document = Signal(object)
    finished = Signal(object, object)

    def __init__(self, ticket: sibling.Ticket, job: CaptureJob, settings: CaptureSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("sohoa-capture")
        self._worker = _CaptureWorker(ticket, job, settings, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        for name in ("progress", "page_status", "sheet", "document"):
            getattr(self._worker, name).connect(getattr(self, name))
        self._worker.finished.connect(self._finish)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    @Slot(object, object)
    def _finish(self, summary: CaptureSummary | None, error: BaseException | None) -> None:
        self._thread.quit()
        self._thread.wait()
        self.finished.emit(summary, error)

    def stop(self) -> None:
        """Cancel and wait (used when the window closes mid-capture)."""
        self._cancel.set()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()


# -- measuring the event loop ------------------------------------------------------------------

class LagMeter(QObject):
    """How late the event loop runs a timer: the GUI's responsiveness, measured.

    A timer is due every ``interval_ms``; each time it fires, its lateness is
    recorded. A frozen GUI shows as one long lateness.
    """

    def __init__(self, interval_ms: int = 20, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.samples: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(self._timer.timerType().PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.samples.clear()
        self._clock.start()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self._last) * 1000.0 - self.interval_ms))
        self._last = now

    def percentile(self, p: float) -> float:
        if not self.samples:
            return 0.0
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(p / 100.0 * (len(ordered) - 1)))]


# -- one call off the GUI thread (no session) --------------------------------------------------

class _OneShotWorker(QObject):
    finished = Signal(object, object)

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result, error = self.fn(), None
        except BaseException as exc:
            result, error = None, exc
        self.finished.emit(result, error)


class OneShot(QObject):
    """Run a slow call that needs no store (listing scanners) in its own short-lived thread."""

    finished = Signal(object, object)  # result, error

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("sohoa-oneshot")
        self._worker = _OneShotWorker(fn)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._done)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    @Slot(object, object)
    def _done(self, result: Any, error: BaseException | None) -> None:
        self._thread.quit()
        self._thread.wait()
        self.finished.emit(result, error)

    def wait(self) -> None:
        self._thread.quit()
        self._thread.wait()
