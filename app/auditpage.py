"""The audit log viewer: filter by user, action, dates and text; verify the chain; export.

Citizen IDs are masked here as in exports: the viewer is for checking who did
what, not for reading personal data.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.i18n import (
    action_label,
    audit_detail,
    audit_field_label,
    audit_value,
    object_label,
    show_date,
    show_time,
)
from app.tasks import DbThread
from app.ui import fill_table, icon, make_table, muted, show_error, title
from extract import records
from store import audit, views
from store.audit import AuditEntry
from store.documents import DOCUMENT_FIELDS, DOSSIER_FIELDS
from store.session import Session
from store.textfold import fold

AUDIT_FIELDS = (*DOCUMENT_FIELDS, *DOSSIER_FIELDS, "citizen_ids", "state", "checked", "role",
                "rotation", "ordinal", "password", "enabled", "name")


class AuditPage(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("audit")
        self.entries: list[AuditEntry] = []
        self.user = QComboBox()
        self.user.setObjectName("audit-user")
        self.action = QComboBox()
        self.action.setObjectName("audit-action")
        for combo in (self.user, self.action):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumWidth(150)
        self.use_since = QCheckBox(self.tr("From"))
        self.since = QDateEdit(QDate.currentDate().addDays(-7))
        self.use_until = QCheckBox(self.tr("to"))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        self.text = QLineEdit()
        self.text.setObjectName("audit-text")
        self.text.setPlaceholderText(self.tr("object, field or value contains…"))
        self.table = make_table("audit-table")
        self.verdict = muted()
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        for signal in (self.user.currentIndexChanged, self.action.currentIndexChanged,
                       self.use_since.toggled, self.use_until.toggled, self.since.dateChanged,
                       self.until.dateChanged, self.text.textChanged):
            signal.connect(lambda *_: self._timer.start())

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.user)
        filters.addWidget(self.action)
        filters.addWidget(self.use_since)
        filters.addWidget(self.since)
        filters.addWidget(self.use_until)
        filters.addWidget(self.until)
        filters.addWidget(self.text, 1)
        verify = QPushButton(icon(self.ctx, "audit"), self.tr("Verify the chain"))
        verify.clicked.connect(self.verify)
        export = QPushButton(icon(self.ctx, "export"), self.tr("Export…"))
        export.setToolTip(self.tr("A CSV of the rows shown; citizen IDs are masked"))
        export.clicked.connect(self.export)
        buttons = QHBoxLayout()
        buttons.addWidget(verify)
        buttons.addWidget(self.verdict, 1)
        buttons.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("Audit log")))
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def showEvent(self, event: object) -> None:
        self.load_choices()
        super().showEvent(event)  # type: ignore[arg-type]

    def load_choices(self) -> None:
        self.db.submit(views.audit_choices, self._choices, owner=self)

    def _choices(self, choices: views.AuditChoices) -> None:
        for combo, everyone, values, label in (
                (self.user, self.tr("All users"), choices.users, str),
                (self.action, self.tr("All actions"), choices.actions, action_label)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for value in values:
                combo.addItem(label(value), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self.refresh()

    def filters(self) -> views.AuditFilter:
        def iso(edit: QDateEdit) -> str:
            return str(edit.date().toString("yyyy-MM-dd"))

        text = self.text.text().strip() or None
        return views.AuditFilter(
            user=self.user.currentData(), action=self.action.currentData(),
            since=iso(self.since) if self.use_since.isChecked() else None,
            until=iso(self.until) if self.use_until.isChecked() else None,
            text=text, text_actions=self._codes_worded(text, self._action_codes(),
                                                        action_label),
            text_fields=self._codes_worded(text, AUDIT_FIELDS, audit_field_label))

    def _action_codes(self) -> list[str]:
        return [str(self.action.itemData(i)) for i in range(1, self.action.count())]

    @staticmethod
    def _codes_worded(text: str | None, codes: Iterable[str],
                      words: Callable[[str], str]) -> tuple[str, ...]:
        """The codes whose words on screen contain ``text``, blind to case and marks: the
        clerk types what she reads ("phe duyet"), not batch.approve."""
        if not text:
            return ()
        wanted = fold(text)
        return tuple(c for c in codes if wanted in fold(words(c)))

    def refresh(self) -> None:
        wanted = self.filters()
        self.db.submit(lambda s: views.audit_log(s, wanted), self._show, owner=self)

    def _show(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        mask = records.mask_ids_in_text
        fill_table(self.table, [self.tr("Time"), self.tr("User"), self.tr("Action"),
                                self.tr("Object"), self.tr("Field"), self.tr("Old value"),
                                self.tr("New value"), self.tr("Details")],
                   [[show_time(e.ts), e.user_name, action_label(e.action),
                     audit_object(e.object_type, e.object_id),
                     audit_field_label(e.field), mask(audit_value(e.field, e.old_value)),
                     mask(audit_value(e.field, e.new_value)), mask(audit_detail(e.detail))]
                    for e in entries])

    def verify(self) -> None:
        def done(result: audit.VerifyResult) -> None:
            self.verdict.setText(self.tr("Intact: {rows} rows, none changed or missing.").format(
                rows=result.rows) if result.ok else self.tr(
                "BROKEN at row {row}: {reason}").format(row=result.first_bad,
                                                        reason=result.reason))

        self.db.submit(views.verify_audit, done, owner=self)

    def export(self) -> None:
        path = self.ctx.prompts.save_file(self, self.tr("Export the audit log"),
                                          f"nhat-ky-{date.today().isoformat()}.csv",
                                          "CSV (*.csv)")
        if not path:
            return
        wanted = self.filters()
        headers = [self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Action"),
                   self.tr("Object type"), self.tr("Object"), self.tr("Field"),
                   self.tr("Old value"), self.tr("New value"), self.tr("Details")]

        def write(s: Session) -> int:
            buffer = io.StringIO()
            count = records.export_audit(s, buffer, wanted, headers=headers,
                                         file_name=Path(path).name,
                                         cell=export_cell(self.ctx.language()))
            Path(path).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
            return count

        self.db.submit(write, lambda n: self.ctx.prompts.info(
            self, self.tr("Exported"), self.tr("{n} rows written to {path}.").format(
                n=n, path=path)), lambda e: show_error(self.ctx, self, e), owner=self)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def export_cell(language: str) -> Callable[[str, Any], Any]:
    """How a CSV export words a value: in Vietnamese, dates dd/mm/yyyy and audit times
    dd/mm/yyyy HH:MM (local), as the screens show them; in English, as stored (ISO)."""
    def cell(column: str, value: Any) -> Any:
        if language != "vi" or not isinstance(value, str):
            return value
        if column == "ts":
            return show_time(value)
        return show_date(value) if _ISO_DATE.match(value) else value

    return cell


def audit_object(kind: str | None, ident: str | None) -> str:
    """"Lô 7", but a batch named "Lô 2024-03" is not shown as "Lô Lô 2024-03" (clerks
    begin their batch names with the word)."""
    label, name = object_label(kind), (ident or "").strip()
    if label and name.casefold().startswith(label.casefold() + " "):
        return name
    return f"{label} {name}".strip()
