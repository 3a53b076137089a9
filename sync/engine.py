"""A sync run: queue approved dossiers, then build, upload, commit, keep the receipt.

Threads: the caller's thread owns the store session (SQLite connections stay on
their thread) and does all database work, including building each package
from the encrypted blobs; a bounded pool of worker threads does the network
work. A worker that needs the database (save the upload URL, mark the row
committed, keep a receipt) hands a call to the owning thread through
:class:`_Bridge` and waits for it — so the upload URL is in the store before
the first byte leaves, and ``committed`` is in the store before the commit is
asked for. Byte progress is posted without waiting.

Crash safety comes from the outbox (store/outbox.py) and the warehouse's
idempotency: after a kill -9 the next run rebuilds the same package (same
bytes), asks the warehouse where the upload stands, and repeats at most the
chunk in flight or the commit, which returns the same receipt.
"""

from __future__ import annotations

import contextlib
import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from store import anchor, outbox
from store.errors import Conflict, NotInitialised, SohoaError, StoreInUse
from store.lock import StoreLock
from store.messages import say
from store.outbox import Credential, OutboxItem
from store.roles import Perm, require
from store.session import Session
from sync import package
from sync.client import PackageRef, UploadIncomplete, WarehouseClient
from sync.net import (
    Backoff,
    ForeignOrigin,
    Stopped,
    TlsFailure,
    TokenBucket,
    Unauthorized,
    UploadGone,
    WarehouseError,
)
from sync.settings import SyncSettings
from sync.tus import Transfer

T = TypeVar("T")
PUMP_SECONDS = 0.2
MAX_ROUNDS = 6  # upload/commit rounds for one package in one run


@dataclass(frozen=True)
class SyncEvent:
    """How one dossier ended this run (one ``sohoa sync --json`` line)."""

    dossier: str
    state: str
    bytes: int
    size: int | None
    receipt_id: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunReport:
    queued: int = 0
    events: list[SyncEvent] = field(default_factory=list)
    offline: bool = False
    paused: bool = False
    unauthorized: str | None = None
    fatal: WarehouseError | None = None  # TLS failed or sent elsewhere: the run stopped
    anchor_problem: str | None = None  # the warehouse's newer anchor disagrees with the log


    def count(self, state: str) -> int:
        return sum(1 for e in self.events if e.state == state)


class _Bridge:
    """Worker threads ask the session's thread to run a function, and wait for the result."""

    def __init__(self) -> None:
        self._calls: queue.Queue[tuple[Callable[[], Any], Future[Any] | None]] = queue.Queue()
        self._closed = threading.Event()

    def call(self, fn: Callable[[], T]) -> T:
        if self._closed.is_set():
            raise Stopped()
        done: Future[T] = Future()
        self._calls.put((fn, done))
        while True:
            with contextlib.suppress(TimeoutError):
                return done.result(timeout=0.5)
            if self._closed.is_set() and not done.done():
                raise Stopped()

    def post(self, fn: Callable[[], Any]) -> None:
        if not self._closed.is_set():
            self._calls.put((fn, None))

    def pump(self, timeout: float) -> None:
        """Run what the workers asked for (on the session's thread)."""
        try:
            fn, done = self._calls.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            self._run(fn, done)
            try:
                fn, done = self._calls.get_nowait()
            except queue.Empty:
                return

    @staticmethod
    def _run(fn: Callable[[], Any], done: Future[Any] | None) -> None:
        try:
            result = fn()
        except BaseException as exc:  # handed to the waiting worker
            if done is not None:
                done.set_exception(exc)
            elif not isinstance(exc, SohoaError):
                raise
            return
        if done is not None:
            done.set_result(result)

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                _fn, done = self._calls.get_nowait()
            except queue.Empty:
                return
            if done is not None:
                done.set_exception(Stopped())


@dataclass
class _Job:
    item: OutboxItem
    ref: PackageRef
    package: package.SpooledPackage  # encrypted, closed (key dropped) when the job ends


class _Runner:
    def __init__(self, session: Session, settings: SyncSettings, credential: Credential,
                 stop: threading.Event, on_event: Callable[[SyncEvent], None] | None,
                 rng: random.Random) -> None:
        self.session = session
        self.settings = settings
        self.credential = credential
        self.stop = stop
        self.on_event = on_event
        self.rng = rng
        self.report = RunReport()
        self.bridge = _Bridge()
        controls = outbox.load_controls(session.conn)
        self.parallel = settings.parallel or controls.parallel
        kbps = settings.bandwidth_kbps or controls.bandwidth_kbps
        self.bucket = TokenBucket(kbps * 1000 / 8) if kbps else None
        self.backoff = Backoff.from_settings(settings, rng)
        self._anchor_sent = False

    # -- the loop ---------------------------------------------------------------------------

    def run(self, once: bool) -> RunReport:
        """Queue, then send until done; a TLS failure or a redirect elsewhere is raised at
        the first health probe (never retried as if the warehouse were only offline)."""
        self.report.queued = outbox.queue_approved(self.session)
        if self._paused():
            return self.report
        self._anchor_sent = False
        if not outbox.due_items(self.session):
            self._online()  # nothing to send, but the audit anchor still goes
        offline_tries = 0
        while not self.stop.is_set():
            items = outbox.due_items(self.session)
            if items and not self._online():
                offline_tries += 1
                if once or self._sleep(self.backoff.delay(offline_tries) + 1):
                    self.report.offline = True
                    return self.report
                continue
            offline_tries = 0
            if items:
                self._process(items)
            if once or self.stop.is_set() or not self._wait_for_more():
                break
        return self.report

    def _online(self) -> bool:
        client = WarehouseClient(self.credential, self.settings)
        try:
            if not client.health():
                return False
            if not self._anchor_sent:
                self._anchor_sent = True
                self._send_anchor(client)
            return True
        finally:
            client.close()

    def _send_anchor(self, client: WarehouseClient) -> None:
        """The store's newest signed audit anchor, once per run: the warehouse keeps the
        newest, so a store (or anchor file) copied back from an older state is caught
        there; if it holds a newer one, the log is checked against it."""
        newest = anchor.newest(self.session.settings.paths)
        if newest is None:
            return
        try:
            held = client.send_anchor(newest)
        except (TlsFailure, ForeignOrigin):
            raise
        except WarehouseError:
            return  # a warehouse without anchors: nothing to compare with
        if held is None:
            return
        problem = anchor.verify_remote(self.session.conn, held, self.session.keyring) \
            if held else "the warehouse's anchor is not readable"
        if problem:
            self.report.anchor_problem = (
                f"[sync.anchor] The warehouse holds a newer audit anchor of this station"
                f" (row {held.get('audit_id')}, {held.get('ts')}): {problem}.")

    def _paused(self) -> bool:
        if outbox.load_controls(self.session.conn).paused:
            self.report.paused = True
            self.stop.set()
        return self.report.paused

    def _sleep(self, seconds: float) -> bool:
        """Sleep, waking early for a pause or a stop; True if the run should end."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.stop.wait(min(2.0, max(0.0, deadline - time.monotonic()))):
                return True
            if self._paused():
                return True
        return False

    def _wait_for_more(self) -> bool:
        """Sleep until the next failed row is due; False when nothing more will come."""
        if outbox.due_items(self.session):
            return True
        wake = outbox.next_wakeup(self.session)
        if wake is None:
            return False
        seconds = (datetime.fromisoformat(wake) - datetime.now(UTC)).total_seconds()
        return not self._sleep(max(0.1, seconds))

    def _process(self, items: list[OutboxItem]) -> None:
        pending = deque(items)
        running: dict[Future[SyncEvent], _Job] = {}
        executor = ThreadPoolExecutor(max_workers=self.parallel,
                                      thread_name_prefix="sohoa-sync")
        try:
            while pending or running:
                self._paused()
                while pending and len(running) < self.parallel and not self.stop.is_set():
                    job = self._prepare(pending.popleft())
                    if job is not None:
                        running[executor.submit(self._work, job)] = job
                if self.stop.is_set() and not running:
                    break
                self.bridge.pump(PUMP_SECONDS)
                for done in [f for f in running if f.done()]:
                    self._finish(running.pop(done), done)
        except BaseException:
            self.stop.set()
            raise
        finally:
            self.bridge.close()
            executor.shutdown(wait=True)
            self.bridge = _Bridge()
            for job in running.values():  # stopped or failed: drop their spools now
                job.package.close()

    def _emit(self, event: SyncEvent) -> None:
        self.report.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    def _finish(self, job: _Job, done: Future[SyncEvent]) -> None:
        job.package.close()
        self._emit(done.result())

    # -- on the session's thread -----------------------------------------------------------

    def _prepare(self, item: OutboxItem) -> _Job | None:
        """Build the package (same bytes as any earlier run) and record its checksum."""
        try:
            item = outbox.resume(self.session, item)
            built = package.spool_package(self.session, item.dossier_id)
            item = outbox.set_package(self.session, item, built.sha256, built.size)
        except SohoaError as exc:  # cannot be packaged: a supervisor must look at it
            item = outbox.fail(self.session, outbox.get_item(self.session, item.id),
                               str(exc), next_try=None)
            self._emit(self._event(item, error=str(exc)))
            return None
        ref = PackageRef(item.file_code, built.sha256, built.size, item.batch_name, built.name)
        return _Job(item, ref, built)

    def _event(self, item: OutboxItem, *, error: str | None = None) -> SyncEvent:
        done = item.state == "acknowledged"
        return SyncEvent(item.file_code, item.state,
                         item.package_size or 0 if done else item.upload_offset,
                         item.package_size, item.receipt_id, error or item.last_error)

    def _current_event(self, job: _Job) -> SyncEvent:
        return self._event(outbox.get_item(self.session, job.item.id))

    def _transition(self, job: _Job, move: Callable[[OutboxItem], OutboxItem]) -> None:
        job.item = move(outbox.get_item(self.session, job.item.id))

    def _fail(self, job: _Job, exc: WarehouseError) -> SyncEvent:
        item = outbox.get_item(self.session, job.item.id)
        attempt = item.attempts + 1
        next_try = None
        if exc.transient and attempt < self.settings.max_attempts:
            delay = min(self.settings.failed_retry_cap,
                        self.settings.failed_retry_base * 2 ** (attempt - 1))
            delay *= 0.5 + self.rng.random() / 2
            next_try = (datetime.now(UTC) + timedelta(seconds=delay)).isoformat(
                timespec="milliseconds")
        job.item = outbox.fail(self.session, item, str(exc), next_try=next_try)
        return self._event(job.item, error=str(exc))

    # -- on a worker thread ------------------------------------------------------------------

    def _work(self, job: _Job) -> SyncEvent:
        client = WarehouseClient(self.credential, self.settings)
        transfer = Transfer(self.settings.chunk_size, self.settings.retries_per_request,
                            self.backoff, self.stop, self.bucket,
                            self.settings.max_chunk_size, self.settings.chunk_seconds)
        try:
            return self._steps(job, client, transfer)
        except Stopped:
            return self.bridge.call(partial(self._current_event, job))
        except Unauthorized as exc:
            self.report.unauthorized = str(exc)
            self.stop.set()
            return self.bridge.call(partial(self._fail, job, exc))
        except (TlsFailure, ForeignOrigin) as exc:
            self.report.fatal = exc  # every other package would meet it too
            self.stop.set()
            return self.bridge.call(partial(self._fail, job, exc))
        except WarehouseError as exc:
            return self.bridge.call(partial(self._fail, job, exc))
        except (OSError, SohoaError) as exc:
            failure = WarehouseError(say("sync.package_not_sent",
                                         "This package could not be sent ({kind}).",
                                         kind=type(exc).__name__),
                                     transient=isinstance(exc, OSError))
            return self.bridge.call(partial(self._fail, job, failure))
        finally:
            client.close()

    def _steps(self, job: _Job, client: WarehouseClient, transfer: Transfer) -> SyncEvent:
        """waiting -> uploading -> committed -> acknowledged, going back when the server
        says so (upload incomplete or gone) a few times at most."""
        step, url, restarts = job.item.step, job.item.upload_url, 0
        for _round in range(MAX_ROUNDS):
            try:
                if step == "waiting":
                    receipt = client.lookup(job.ref, transfer)
                    if receipt is not None:
                        return self._acknowledge(job, receipt)
                    url = client.create(job.ref, transfer)
                    self.bridge.call(partial(self._transition, job, partial(
                        outbox.start_upload, self.session, url=url)))
                    step = "uploading"
                if step == "uploading":
                    self._upload(job, client, transfer, str(url))
                    step = "committed"
                receipt = client.commit(str(url), job.ref, transfer)
                return self._acknowledge(job, receipt)
            except UploadIncomplete:
                step = "uploading"
            except UploadGone as exc:
                restarts += 1
                if restarts > 2 or url is None:
                    raise
                self.bridge.call(partial(self._transition, job, partial(
                    outbox.restart_upload, self.session, reason=str(exc))))
                step, url = "waiting", None
        raise WarehouseError(say("sync.upload_contradictions",
                                 "The warehouse keeps contradicting itself about this upload."))

    def _upload(self, job: _Job, client: WarehouseClient, transfer: Transfer,
                url: str) -> None:
        if job.item.state != "uploading" or job.item.upload_url != url:
            self.bridge.call(partial(self._transition, job, partial(
                outbox.start_upload, self.session, url=url)))

        def progress(offset: int, _sent: int) -> None:
            self.bridge.post(partial(self._transition, job, partial(
                outbox.record_offset, self.session, offset=offset)))

        client.tus.send(url, job.package.open(), job.ref.size, transfer, progress)
        self.bridge.call(partial(self._transition, job, partial(
            outbox.mark_committed, self.session)))

    def _acknowledge(self, job: _Job, receipt: dict[str, Any]) -> SyncEvent:
        def keep() -> SyncEvent:
            self._transition(job, partial(outbox.acknowledge, self.session, receipt=receipt))
            return self._event(job.item)
        return self.bridge.call(keep)


def _sync_lock(session: Session) -> StoreLock:
    lock = StoreLock(session.settings.paths.data_dir / "sync.lock")
    try:
        lock.acquire(exclusive=True, what="sync")
    except StoreInUse as exc:
        lock.release()
        raise Conflict(say("sync.already_running",
                           "Another sync is already running on this station.")) from exc
    return lock


def run_sync(
    session: Session, settings: SyncSettings, *, once: bool = False,
    on_event: Callable[[SyncEvent], None] | None = None,
    stop: threading.Event | None = None, rng: random.Random | None = None,
) -> RunReport:
    """Send what is due: every approved dossier, until each has its receipt.

    ``once``: one pass, then return (failed rows wait for their next try);
    otherwise keep going (sleeping until failed rows are due) until every row
    is acknowledged or waits for a supervisor. A pause (``sohoa sync pause``)
    or ``stop`` ends the run at the next chunk boundary.
    """
    require(session.user, Perm.SYNC)
    credential = outbox.load_credential(session)
    if credential is None:
        raise NotInitialised(say("sync.not_enrolled",
                                 "This station is not enrolled with the warehouse: an admin runs "
                                 "`sohoa enrol URL TOKEN` first."))
    lock = _sync_lock(session)
    try:
        runner = _Runner(session, settings, credential, stop or threading.Event(), on_event,
                         rng or random.Random())
        return runner.run(once)
    finally:
        lock.release()

