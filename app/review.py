"""The supervisor's review queue: submitted batches, approve (queues for sync) or send back.

Each batch shows how complete it is (documents, checked, with gaps, tinted
fields left: ``store.quality``) and the clerk's reason if it was submitted with
gaps; approving a batch with gaps lists them first. The same gate (and the same
words) guard the clerk's submit.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.context import AppContext
from app.form import DOUBTFUL_CONFIDENCE
from app.i18n import field_labels, problem_text, show_time
from app.tasks import DbThread
from app.ui import fill_table, icon, make_action, make_table, muted, title
from extract import records
from store import batches, quality, review
from store.batches import BatchInfo
from store.session import Session


def batch_gaps(session: Session, name: str) -> quality.BatchQuality:
    """The batch's gaps by the form's own rules (run on the database thread)."""
    return quality.batch_quality(session, name, records.record_problems,
                                 doubtful_below=DOUBTFUL_CONFIDENCE)


def gate_intro(found: quality.BatchQuality) -> str:
    translate = QCoreApplication.translate
    unchecked = sum(g.kind == "unchecked" for g in found.gaps)
    cut = sum(g.kind == "incomplete" for g in found.gaps)  # listed in the table, not fields
    return translate("Gate", "{unchecked} of {documents} documents are not checked; "
                             "{fields} fields are empty or not valid.").format(
        unchecked=unchecked, documents=found.documents,
        fields=len(found.gaps) - unchecked - cut)


def gap_table(found: quality.BatchQuality) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a gate's list: where, which field, what is wrong."""
    translate = QCoreApplication.translate
    labels = field_labels()
    headers = [translate("Gate", "Dossier"), translate("Gate", "Document"),
               translate("Gate", "Field"), translate("Gate", "Gap")]
    rows = []
    for g in found.gaps:
        where = translate("Gate", "No. {n}").format(n=g.ordinal) if g.ordinal else "—"
        if g.kind == "unchecked":
            what = translate("Gate", "Not checked")
        elif g.kind == "required":
            what = translate("Gate", "Required, empty")
        elif g.kind == "incomplete":  # a cancelled import kept only the pages read
            what = translate("Gate", "Incomplete import: {read} of {total} pages read").format(
                read="?" if g.pages_read is None else g.pages_read, total=g.pages_total or "?")
        else:
            what = problem_text(g.code or "")
        rows.append([g.file_code, where, labels.get(g.field or "", "—"), what])
    return headers, rows


@dataclass(frozen=True)
class QueueRow:
    batch: BatchInfo
    found: quality.BatchQuality
    reason: str | None


def _queue(session: Session) -> list[QueueRow]:
    return [QueueRow(b, batch_gaps(session, b.name), quality.gaps_reason(session, b.name))
            for b in review.submitted(session)]


class ReviewPage(QWidget):
    reviewed = Signal(str, str)  # batch name, new state
    open_batch = Signal(object)  # BatchInfo

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("review")
        self.rows: list[BatchInfo] = []
        self.queue: list[QueueRow] = []
        self.table = make_table("review-table")
        self.empty = muted(self.tr("No batch is waiting for review."))
        self.empty.setObjectName("review-empty")
        self.note = QLabel()
        self.note.setObjectName("banner")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
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
        layout.addWidget(self.empty)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.table.currentCellChanged.connect(lambda *_a: self._show_note())

    def actions_(self) -> list[QAction]:
        return [self.approve_action, self.reject_action]

    def refresh(self) -> None:
        self.db.submit(_queue, self._show, owner=self)

    def _show(self, queue: list[QueueRow]) -> None:
        self.queue = queue
        self.rows = [q.batch for q in queue]
        fill_table(self.table, [self.tr("Batch"), self.tr("Clerk"), self.tr("Submitted"),
                                self.tr("Dossiers"), self.tr("Documents"), self.tr("Checked"),
                                self.tr("With gaps"), self.tr("Tinted fields left"),
                                self.tr("Pages")],
                   [[q.batch.name, q.batch.owner, show_time(q.batch.submitted_at),
                     q.batch.dossiers, q.found.documents, q.found.checked, q.found.with_gaps,
                     q.found.tinted_left, q.batch.pages] for q in queue])
        self.empty.setVisible(not queue)
        self.table.setVisible(bool(queue))
        if queue:
            self.table.selectRow(0)
        self._show_note()

    def _show_note(self) -> None:
        row = self.table.currentRow()
        reason = self.queue[row].reason if 0 <= row < len(self.queue) else None
        self.note.setVisible(bool(reason))
        self.note.setText(self.tr("Submitted with gaps; the clerk says: {reason}").format(
            reason=reason or ""))

    def selected(self) -> BatchInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, name: str) -> None:
        for row, b in enumerate(self.rows):
            if b.name == name:
                self.table.selectRow(row)

    def approve(self) -> None:
        """Approve the selected batch: its gaps, if any, are listed first."""
        batch = self.selected()
        if batch is None:
            return
        name = batch.name
        self.db.submit(lambda s: batch_gaps(s, name), lambda q: self._approve_after_gate(
            batch, q), owner=self)

    def _approve_after_gate(self, batch: BatchInfo, found: quality.BatchQuality) -> None:
        if found.clean:
            if not self.ctx.prompts.confirm(self, self.tr("Approve"), self.tr(
                    "Approve batch {name} ({documents} documents) and queue it for sync?").format(
                    name=batch.name, documents=batch.documents)):
                return
        elif self.ctx.prompts.gate(self, self.tr("Approve batch {name}").format(name=batch.name),
                                   gate_intro(found), *gap_table(found),
                                   self.tr("Approve with these gaps"), reason_label=None) is None:
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
        if reason is None:
            return
        if not reason.strip():
            self.ctx.prompts.error(self, self.tr("Send back"), self.tr(
                "Nothing was sent back: write the reason the clerk will read."))
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
