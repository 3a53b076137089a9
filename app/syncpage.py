"""The sync dashboard: every batch's state, the warehouse link, and each clerk's day.

It shows what the store holds (it works fully offline): review state, the
outbox state of approved batches (waiting, uploading n %, sent, acknowledged
with the receipt, failed with the last error and next retry), and per clerk
per day the documents, pages and fields corrected, counted from the audit log.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.context import AppContext
from app.i18n import batch_state_label, outbox_label, show_date, show_time
from app.tasks import DbThread
from app.ui import fill_table, icon, make_table, muted, show_error, title
from extract import records
from store import outbox, views
from store.session import Session

REFRESH_MS = 10_000
STATS_DAYS = 30


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
        buttons = QHBoxLayout()
        buttons.addWidget(export)
        buttons.addStretch(1)
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
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event: object) -> None:
        self._timer.start()
        self.refresh()
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

        def load(s: Session) -> tuple[list[views.SyncRow], views.SyncStatus, list[views.ClerkDay]]:
            return views.sync_rows(s), views.sync_status(s), views.clerk_days(s, since=since)

        self.db.submit(load, self._show, owner=self)

    def _show(
        self, found: tuple[list[views.SyncRow], views.SyncStatus, list[views.ClerkDay]]
    ) -> None:
        rows, status, days = found
        self.rows = rows
        self.status.setText(self._status_text(status))
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
                    r.last_error,
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
        if not s.enrolled:
            link = self.tr(
                "This station is not enrolled with the city warehouse yet; "
                "approved batches wait here, safely encrypted."
            )
        else:
            link = self.tr("Warehouse: {url}").format(url=s.warehouse_url)
        paused = self.tr(" Sync is paused.") if s.paused else ""
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
        return link + paused + counts + last + retry

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
        count = records.export_documents(s, buffer, headers=headers, file_name=name)
        Path(path).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
        return count

    def done(count: int) -> None:
        ctx.prompts.info(
            parent,
            translate("Exports", "Exported"),
            translate("Exports", "{n} documents written to {path}.").format(n=count, path=path),
        )

    db.submit(write, done, lambda e: show_error(ctx, parent, e), owner=parent)
