"""The supervisor's review queue: submitted batches, approve (queues for sync) or send back."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.context import AppContext
from app.i18n import show_time
from app.tasks import DbThread
from app.ui import fill_table, icon, make_action, make_table, muted, title
from store import batches, review
from store.batches import BatchInfo


class ReviewPage(QWidget):
    reviewed = Signal(str, str)  # batch name, new state
    open_batch = Signal(object)  # BatchInfo

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("review")
        self.rows: list[BatchInfo] = []
        self.table = make_table("review-table")
        self.approve_action = make_action(ctx, self, self.tr("Approve batch"), "approve",
                                          shortcut="Ctrl+Shift+A", slot=self.approve)
        self.approve_action.setObjectName("action-approve")
        self.reject_action = make_action(ctx, self, self.tr("Send back to the clerk…"),
                                         "reject", shortcut="Ctrl+Shift+B", slot=self.reject)
        self.reject_action.setObjectName("action-reject")
        buttons = QHBoxLayout()
        for action in (self.approve_action, self.reject_action):
            button = QPushButton(action.icon(), action.text())
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        open_button = QPushButton(icon(ctx, "work"), self.tr("Open in the work screen"))
        open_button.clicked.connect(self._open)
        refresh = QPushButton(icon(ctx, "refresh"), self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("Batches waiting for review")))
        layout.addWidget(muted(self.tr("Approving a batch queues its dossiers for sending to "
                                       "the city warehouse; sending back returns it to the "
                                       "clerk with your reason.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def actions_(self) -> list[QAction]:
        return [self.approve_action, self.reject_action]

    def refresh(self) -> None:
        self.db.submit(review.submitted, self._show, owner=self)

    def _show(self, rows: list[BatchInfo]) -> None:
        self.rows = rows
        fill_table(self.table, [self.tr("Batch"), self.tr("Clerk"), self.tr("Submitted"),
                                self.tr("Dossiers"), self.tr("Documents"), self.tr("Pages")],
                   [[b.name, b.owner, show_time(b.submitted_at), b.dossiers, b.documents,
                     b.pages] for b in rows])
        if rows:
            self.table.selectRow(0)

    def selected(self) -> BatchInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, name: str) -> None:
        for row, b in enumerate(self.rows):
            if b.name == name:
                self.table.selectRow(row)

    def approve(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        if not self.ctx.prompts.confirm(self, self.tr("Approve"), self.tr(
                "Approve batch {name} ({documents} documents) and queue it for sync?").format(
                name=batch.name, documents=batch.documents)):
            return
        name = batch.name
        self.db.submit(lambda s: review.approve_and_queue(s, name),
                       lambda b: self._done(b.name, b.state), owner=self)

    def reject(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        reason = self.ctx.prompts.text(self, self.tr("Send back"), self.tr(
            "Why is batch {name} sent back? The clerk will see this.").format(name=batch.name))
        if not reason or not reason.strip():
            return
        name = batch.name
        self.db.submit(lambda s: batches.reject(s, name, reason),
                       lambda b: self._done(b.name, b.state), owner=self)

    def _done(self, name: str, state: str) -> None:
        self.reviewed.emit(name, state)
        self.refresh()

    def _open(self) -> None:
        batch = self.selected()
        if batch is not None:
            self.open_batch.emit(batch)
