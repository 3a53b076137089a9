"""The sync dashboard: every batch's state, the warehouse link, and each clerk's day.

It shows what the store holds (it works fully offline): review state, the
outbox state of approved batches (waiting, uploading n %, sent, acknowledged
with the receipt, failed with the last error and next retry), and per clerk
per day the documents, pages and fields corrected, counted from the audit log.

The supervisor sends now, retries, pauses and resumes here with the core's own
functions (``sync.engine.run_sync``, ``store.outbox.retry`` / ``set_control``),
the ones ``sohoa sync`` calls. A run takes minutes, so it runs in a thread of its
own on a sibling session (``store.sibling``), never on the database thread the
screens share; the link is probed the same way (``sync.health``), so "not
enrolled" is only said of a station that is not.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.auditpage import export_cell
from app.context import AppContext
from app.coremsg import translate_detail
from app.i18n import batch_state_label, outbox_label, show_date, show_time
from app.tasks import DbThread, OneShot
from app.ui import fill_table, icon, make_table, muted, show_error, title
from extract import records
from ocr.health import Check
from store import outbox, sibling, views
from store.errors import PermissionDenied
from store.session import Session
from sync import engine, health, station

REFRESH_MS = 10_000
SENDING_REFRESH_MS = 1_000  # while a run is on, the byte progress moves
STATS_DAYS = 30

Loaded = tuple[list[views.SyncRow], views.SyncStatus, list[views.ClerkDay], station.Link]


def _load(session: Session, since: str) -> Loaded:
    """The dashboard's data. A batch approved elsewhere (``sohoa batch approve``, the demo)
    is queued here as the next run would queue it, so it never shows as nothing to send."""
    rows = views.sync_rows(session)
    if any(r.state == "approved" and r.outbox_state is None for r in rows):
        outbox.queue_approved(session)
        rows = views.sync_rows(session)
    return (rows, views.sync_status(session), views.clerk_days(session, since=since),
            station.link(session))


def _send(ticket: sibling.Ticket, stop: threading.Event,
          on_event: Callable[[engine.SyncEvent], None]) -> engine.RunReport:
    """One pass of ``sohoa sync --once``, on a session of this thread's own."""
    with sibling.open_sibling(ticket) as session:
        return engine.run_sync(session, station.sync_settings(session), once=True,
                               on_event=on_event, stop=stop)


_SYNC_ERRORS: tuple[tuple[re.Pattern[str], Callable[[dict[str, str]], str]], ...] = (
    # sync's own sentences (sync/net.py, client.py), by shape
    (re.compile(r"^The warehouse cannot be reached \((?P<kind>\w+)\)\.$"),
     lambda g: QCoreApplication.translate(
         "SyncErrors", "The warehouse could not be reached ({kind}).").format(**g)),
    (re.compile(r"^The warehouse answered (?P<status>\d+): (?P<message>.*)$"),
     lambda g: QCoreApplication.translate(
         "SyncErrors", "The warehouse answered with an error {status}: {message}").format(**g)),
    (re.compile(r"^\[sync\.tls\] TLS with the warehouse failed \((?P<reason>[^)]*)\)"),
     lambda g: QCoreApplication.translate(
         "SyncErrors", "TLS with the warehouse failed ({reason}); IT checks its certificate."
     ).format(**g)),
    (re.compile(r"^The warehouse's receipt "),
     lambda g: QCoreApplication.translate(
         "SyncErrors", "The warehouse's receipt was not valid; the dossier is sent again.")),
)


def sync_error_text(text: str | None) -> str | None:
    """A dossier's last error from sync (English, for IT) in the supervisor's language;
    an unknown sentence is kept as it is."""
    if not text:
        return text
    for pattern, wording in _SYNC_ERRORS:
        m = pattern.match(text)
        if m:
            return wording(m.groupdict())
    return translate_detail(text) or text  # any other core sentence, by its code's wording


class _Relay(QObject):
    """Carries the run's per-dossier events from its thread to the GUI (queued)."""

    happened = Signal(object)


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("sync")
        self.status = muted()
        self.status.setObjectName("sync-status")
        self.batches = make_table("sync-table")
        self.stats = make_table("stats-table")
        self.rows: list[views.SyncRow] = []
        refresh = QPushButton(icon(ctx, "refresh"), self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        export = QPushButton(icon(ctx, "export"), self.tr("Export document list…"))
        export.setToolTip(self.tr("A CSV list of documents; citizen IDs are masked"))
        export.clicked.connect(self.export_documents)
        self.retry_button = QPushButton(icon(ctx, "refresh"), self.tr("Retry failed"))
        self.retry_button.setObjectName("sync-retry")
        self.retry_button.setToolTip(self.tr("Send the failed dossiers again now"))
        self.retry_button.clicked.connect(self.retry)
        self.pause_button = QPushButton(self.tr("Pause sending"))
        self.pause_button.setObjectName("sync-pause")
        self.pause_button.setCheckable(True)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.send_button = QPushButton(icon(ctx, "sync"), self.tr("Send now"))
        self.send_button.setObjectName("sync-send")
        self.send_button.setToolTip(self.tr("Send the approved batches to the warehouse now"))
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send_now)
        self.link_label = muted()
        self.link_label.setObjectName("sync-link")
        self.progress = QProgressBar()
        self.progress.setObjectName("sync-progress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.link: station.Link | None = None
        self.reachable: list[Check] | None = None
        self.sent = 0
        self._paused = False
        self._stop = threading.Event()
        self._sender: OneShot | None = None
        self._sending = False  # from the click to the report (the thread starts later)
        self._prober: OneShot | None = None
        self._probe_again = False
        self._relay = _Relay(self)
        self._relay.happened.connect(self._on_event)
        buttons = QHBoxLayout()
        buttons.addWidget(export)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(refresh)
        split = QSplitter()
        split.setOrientation(split.orientation().Vertical)
        top = QWidget()
        tbox = QVBoxLayout(top)
        tbox.setContentsMargins(0, 0, 0, 0)
        tbox.addWidget(self.batches)
        bottom = QWidget()
        bbox = QVBoxLayout(bottom)
        bbox.setContentsMargins(0, 0, 0, 0)
        bbox.addWidget(title(self.tr("Work per clerk per day")))
        bbox.addWidget(self.stats)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("Sync")))
        layout.addWidget(self.link_label)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event: object) -> None:
        self._timer.start()
        self.refresh()
        self.probe()
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        self._timer.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    def retry(self) -> None:
        """Failed dossiers go back to work at once (the sync service sends them)."""
        self.db.submit(lambda s: outbox.retry(s), lambda n: self._said(self.tr(
            "{n} dossiers will be sent again.").format(n=n)), owner=self)

    def toggle_pause(self) -> None:
        paused = "1" if self.pause_button.isChecked() else "0"
        self.db.submit(lambda s: outbox.set_control(s, "paused", paused),
                       lambda _c: self._said(self.tr("Sending paused.") if paused == "1"
                                             else self.tr("Sending resumed.")), owner=self)

    def _said(self, text: str) -> None:
        self.refresh()
        self.ctx.prompts.info(self, self.tr("Sync"), text)

    def refresh(self) -> None:
        since = (date.today() - timedelta(days=STATS_DAYS)).isoformat()

        self.db.submit(lambda s: _load(s, since), self._show, owner=self)

    def _show(self, found: Loaded) -> None:
        rows, status, days, link = found
        self.rows, self.link, self._paused = rows, link, status.paused
        self.status.setText(self._status_text(status))
        self._show_link()
        self._enable_send()
        self.pause_button.setChecked(status.paused)
        self.pause_button.setText(self.tr("Resume sending") if status.paused
                                  else self.tr("Pause sending"))
        self.retry_button.setEnabled(any(r.outbox_state == "failed" for r in rows))
        fill_table(
            self.batches,
            [
                self.tr("Batch"),
                self.tr("Clerk"),
                self.tr("Review"),
                self.tr("Sync"),
                self.tr("Documents"),
                self.tr("Pages"),
                self.tr("Reviewed by"),
                self.tr("Receipt"),
                self.tr("Last error"),
                self.tr("Next try"),
            ],
            [
                [
                    r.name,
                    r.owner,
                    batch_state_label(r.state),
                    outbox_label(r.outbox_state, r.progress),
                    r.documents,
                    r.pages,
                    r.reviewed_by,
                    r.receipt,
                    sync_error_text(r.last_error),
                    show_time(r.next_retry),
                ]
                for r in rows
            ],
        )
        fill_table(
            self.stats,
            [
                self.tr("Day"),
                self.tr("Clerk"),
                self.tr("Documents"),
                self.tr("Pages"),
                self.tr("Checked"),
                self.tr("Fields corrected"),
            ],
            [
                [show_date(d.day), d.user, d.documents, d.pages, d.checked, d.fields_corrected]
                for d in days
            ],
        )

    def _status_text(self, s: views.SyncStatus) -> str:
        paused = self.tr("Sync is paused.") if s.paused else ""
        last = (
            self.tr(" Last receipt: {when}.").format(when=show_time(s.last_receipt_at))
            if s.last_receipt_at
            else ""
        )
        retry = (
            self.tr(" Next retry: {when}.").format(when=show_time(s.next_retry))
            if s.next_retry
            else ""
        )
        counts = self.tr(
            " Waiting {w}, uploading {u}, sent {c}, acknowledged {a}, failed {f}."
        ).format(
            w=s.counts.get("waiting", 0),
            u=s.counts.get("uploading", 0),
            c=s.counts.get("committed", 0),
            a=s.counts.get("acknowledged", 0),
            f=s.counts.get("failed", 0),
        )
        return (paused + counts + last + retry).strip()

    def _show_link(self) -> None:
        """Enrolled or not (from the store), and reachable or not (from the last probe)."""
        link = self.link
        if link is None:
            return
        safe = self.tr("Approved batches wait here, safely encrypted.")
        if not link.enrolled and link.enrolment_pending:
            text = self.tr(
                "This station is not enrolled yet: the warehouse {url} could not be reached "
                "when the site file was applied. An admin enrols it under Administration → "
                "Warehouse and backup.").format(url=link.warehouse_url)
        elif not link.enrolled:
            text = self.tr(
                "This station is not enrolled with the city warehouse yet; an admin enrols it "
                "under Administration → Warehouse and backup.")
        else:
            text = self._reach_text(link.warehouse_url)
        self.link_label.setText(f"{text} {safe}")

    def _reach_text(self, url: str) -> str:
        checks = {c.key: c for c in self.reachable or []}
        where, tls = checks.get("warehouse"), checks.get("tls")
        if where is None:
            return self.tr("Warehouse: {url} (checking the link…).").format(url=url)
        if where.ok:
            return self.tr("Warehouse: {url} — reachable.").format(url=url)
        if tls is not None and not tls.ok and where.error == "tls":
            return self.tr(
                "Warehouse: {url} — its TLS certificate is not trusted ({reason}); IT checks "
                "it or sets the site's CA file.").format(url=url, reason=tls.error)
        return self.tr(
            "Warehouse: {url} — cannot be reached now; sending resumes when it answers."
        ).format(url=url)

    # -- the link and sending ------------------------------------------------------------------

    def probe(self) -> None:
        """Ask the warehouse whether it answers, off the GUI and database threads (once
        more after a probe under way: it may have started before the link changed)."""
        if self._prober is not None:
            self._probe_again = True
            return
        self.db.submit(health.read_target, self._start_probe, lambda _e: None, owner=self)

    def _start_probe(self, target: health.Target) -> None:
        if not target.link.enrolled or self._prober is not None or self._stop.is_set():
            return
        self._prober = OneShot(lambda: health.check_warehouse(target), self)
        self._prober.finished.connect(self._probed)
        self._prober.start()

    def _probed(self, checks: list[Check] | None, _error: BaseException | None) -> None:
        if self._prober is not None:
            self._prober.deleteLater()
            self._prober = None
        self.reachable = checks
        self._show_link()
        if self._probe_again:
            self._probe_again = False
            self.probe()

    def _enable_send(self) -> None:
        running = self._sending
        enrolled = self.link is not None and self.link.enrolled
        self.send_button.setEnabled(enrolled and not self._paused and not running)
        if not enrolled:
            self.send_button.setToolTip(self.tr("An admin enrols this station first."))
        elif self._paused:
            self.send_button.setToolTip(self.tr("Sending is paused; resume it first."))
        else:
            self.send_button.setToolTip(
                self.tr("Send the approved batches to the warehouse now"))

    def send_now(self) -> None:
        """One pass of the sync run (``sohoa sync --once``) in its own thread."""
        if self._sending:
            return
        self._sending = True
        self.sent = 0
        self._stop.clear()
        self.send_button.setEnabled(False)
        self.progress.setFormat(self.tr("Sending…"))
        self.progress.setVisible(True)
        self.db.submit(sibling.ticket, self._launch, self._send_failed, owner=self)

    def _launch(self, ticket: sibling.Ticket) -> None:
        relay, stop = self._relay, self._stop
        self._sender = OneShot(lambda: _send(ticket, stop, relay.happened.emit), self)
        self._sender.finished.connect(self._sent)
        self._sender.start()
        self._timer.setInterval(SENDING_REFRESH_MS)

    def _on_event(self, event: engine.SyncEvent) -> None:
        if event.state == "acknowledged":
            self.sent += 1
        self.progress.setFormat(self.tr("Sending… {n} dossiers sent").format(n=self.sent))

    def _send_failed(self, exc: BaseException) -> None:
        self._sending = False
        self.progress.setVisible(False)
        self._enable_send()
        show_error(self.ctx, self, exc)

    def _sent(self, report: engine.RunReport | None, error: BaseException | None) -> None:
        if self._sender is not None:
            self._sender.deleteLater()
            self._sender = None
        self._sending = False
        self._timer.setInterval(REFRESH_MS)
        self.progress.setVisible(False)
        self.refresh()
        self.probe()
        if error is not None:
            self._send_failed(error)
        elif report is not None:
            self._report(report)

    def _report(self, report: engine.RunReport) -> None:
        """What the run did, as ``sohoa sync`` says it, in the supervisor's words."""
        if report.unauthorized:
            show_error(self.ctx, self, PermissionDenied(report.unauthorized))
        elif report.fatal is not None:
            show_error(self.ctx, self, report.fatal)
        elif report.offline:
            self.reachable = [Check("warehouse", False, error="unreachable")]
            self._show_link()
            self.ctx.prompts.error(self, self.tr("Sync"), self.tr(
                "The warehouse cannot be reached; nothing is lost: the batches wait here "
                "and are sent at the next try."))
        elif report.paused:
            self.ctx.prompts.info(self, self.tr("Sync"), self.tr(
                "Sending is paused; nothing was sent."))
        else:
            self.ctx.prompts.info(self, self.tr("Sync"), self.tr(
                "{sent} dossiers sent and acknowledged, {failed} failed.").format(
                sent=report.count("acknowledged"), failed=report.count("failed")))
        if report.anchor_problem:
            self.ctx.prompts.error(self, self.tr("Sync"), self.tr(
                "The warehouse holds a newer audit record of this station than this store: "
                "tell IT at once.") + "\n" + report.anchor_problem)

    def is_sending(self) -> bool:
        return self._sending

    def stop(self) -> None:
        """End a run at its next chunk (the outbox resumes it later) and wait for the
        threads: the window calls this before the page goes."""
        self._stop.set()
        self._timer.stop()
        for shot in (self._sender, self._prober):
            if shot is not None:
                shot.wait()

    def row_states(self) -> dict[str, tuple[str, str | None]]:
        return {r.name: (r.state, r.outbox_state) for r in self.rows}

    def export_documents(self) -> None:
        export_document_list(self.ctx, self.db, self)


def export_document_list(ctx: AppContext, db: DbThread, parent: QWidget) -> None:
    """Ask where, then write the list of documents the user may see, citizen IDs masked."""
    translate = QCoreApplication.translate
    path = ctx.prompts.save_file(
        parent,
        translate("Exports", "Export document list"),
        f"danh-sach-van-ban-{date.today().isoformat()}.csv",
        "CSV (*.csv)",
    )
    if not path:
        return
    headers = [
        translate("Exports", "Batch"),
        translate("Exports", "Dossier code"),
        translate("Exports", "Dossier title"),
        translate("Exports", "No."),
        translate("Exports", "Document type"),
        translate("Exports", "Number"),
        translate("Exports", "Notation"),
        translate("Exports", "Date issued"),
        translate("Exports", "Issuing agency"),
        translate("Exports", "Summary"),
        translate("Exports", "Signer's position"),
        translate("Exports", "Signed by"),
        translate("Exports", "Citizen IDs (masked)"),
        translate("Exports", "Pages"),
        translate("Exports", "Checked"),
    ]
    name = Path(path).name

    def write(s: Session) -> int:
        buffer = io.StringIO()
        count = records.export_documents(s, buffer, headers=headers, file_name=name,
                                         cell=export_cell(ctx.language()))
        Path(path).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
        return count

    def done(count: int) -> None:
        ctx.prompts.info(
            parent,
            translate("Exports", "Exported"),
            translate("Exports", "{n} documents written to {path}.").format(n=count, path=path),
        )

    db.submit(write, done, lambda e: show_error(ctx, parent, e), owner=parent)
