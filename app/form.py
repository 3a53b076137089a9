"""The correction form: the NĐ 30 / TT 05/2025 fields of a document and its dossier.

Keyboard-first: every field is a line edit, in one Tab order (document
fields, then dossier fields); Enter accepts a field and moves on; a field is
saved when accepted or left, never while typed. Values are checked as they are
typed (``ocr.records``: dates, required fields, type names, retention codes,
CCCD structure); a blocking problem keeps the field from being saved and is
named under it. Fields the extraction was unsure of are tinted until changed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import field_labels, parse_date, problem_text, show_date
from app.ui import repolish
from ocr import records
from store.documents import DOCUMENT_FIELDS, DOSSIER_FIELDS, MAINTENANCE_CODES

DOUBTFUL_CONFIDENCE = 0.75
DATE_FIELDS = ("issued_date", "start_date", "end_date")
IDS = "citizen_ids"


class _Field:
    """One editor: its stored value, what it shows, and its problem line."""

    def __init__(self, kind: str, name: str, label: str) -> None:
        self.kind, self.name = kind, name
        self.edit = QLineEdit()
        self.edit.setObjectName(f"field-{name}")
        self.edit.setMinimumWidth(80)
        self.edit.setAccessibleName(label)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.saved: str | None = None
        self.confidence: float | None = None

    def stored(self) -> str | None:
        text = " ".join(self.edit.text().split())
        if not text:
            return None
        if self.name in DATE_FIELDS:
            return parse_date(text) or text
        return text

    def show(self, value: str | None) -> None:
        self.saved = value
        self.edit.setText(show_date(value) if self.name in DATE_FIELDS else (value or ""))
        self.edit.setCursorPosition(0)

    def check(self) -> records.Problem | None:
        value = self.stored()
        if self.name in DATE_FIELDS and value is not None and parse_date(value) is None:
            return records.Problem("date_format")
        return records.field_problem(self.name, value)


class CorrectionForm(QScrollArea):
    commit_requested = Signal(str, str, object, object)  # kind, field, old, new
    ids_requested = Signal(object, object)  # old list, new list
    field_focused = Signal(str, str)  # kind, field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correction-form")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        labels = field_labels()
        self.fields: dict[tuple[str, str], _Field] = {}
        self._ids = _Field("document", IDS, labels[IDS])
        self._ids.edit.setPlaceholderText(self.tr("12 digits; several separated by commas"))
        self._last: _Field | None = None
        self._editable = False
        self.extraction: dict[str, Any] = {}
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(self.banner)
        box.addWidget(self.status)
        box.addWidget(self._group(self.tr("Document"), "document",
                                  [*DOCUMENT_FIELDS, IDS], labels))
        box.addWidget(self._group(self.tr("Dossier"), "dossier", DOSSIER_FIELDS, labels))
        box.addStretch(1)
        self.setWidget(body)
        self._completers()
        self.set_editable(False)

    def _group(self, heading: str, kind: str, names: Sequence[str],
               labels: dict[str, str]) -> QGroupBox:
        group = QGroupBox(heading)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in names:
            f = self._ids if name == IDS else _Field(kind, name, labels[name])
            self.fields[(kind, name)] = f
            required = name in records.REQUIRED_DOCUMENT or name in records.REQUIRED_DOSSIER
            text = labels[name] + (" *" if required else "")
            holder = QWidget()
            rows = QVBoxLayout(holder)
            rows.setContentsMargins(0, 0, 0, 0)
            rows.setSpacing(1)
            rows.addWidget(f.edit)
            rows.addWidget(f.problem)
            label = QLabel(text)
            label.setWordWrap(True)
            label.setBuddy(f.edit)
            label.setMinimumWidth(90)
            label.setMaximumWidth(190)
            form.addRow(label, holder)
            self._wire(f)
        return group

    def _completers(self) -> None:
        for name, items in (("type_name", list(records.TYPE_NAMES)),
                            ("maintenance", list(MAINTENANCE_CODES))):
            f = self.fields[("document" if name == "type_name" else "dossier", name)]
            completer = QCompleter(items, f.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            f.edit.setCompleter(completer)
        for name in DATE_FIELDS:
            kind = "document" if name == "issued_date" else "dossier"
            self.fields[(kind, name)].edit.setPlaceholderText(self.tr("dd/mm/yyyy"))

    def _wire(self, f: _Field) -> None:
        f.edit.textEdited.connect(lambda _t, f=f: self._validate(f))
        f.edit.returnPressed.connect(lambda f=f: self._accept(f, advance=True))
        f.edit.editingFinished.connect(lambda f=f: self._accept(f, advance=False))
        f.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for f in self.fields.values():
                if f.edit is watched:
                    self._last = f
                    self.field_focused.emit(f.kind, f.name)
        return super().eventFilter(watched, event)

    # -- loading ------------------------------------------------------------------------------
    def load(self, document: dict[str, str | None], citizen_ids: list[str],
             dossier: dict[str, str | None], extraction: dict[str, Any], *, editable: bool,
             checked: bool, reject_reason: str | None) -> None:
        self.extraction = extraction
        confidence = extraction.get("confidence", {})
        for (kind, name), f in self.fields.items():
            if name == IDS:
                f.show(", ".join(citizen_ids) or None)
            else:
                f.show((document if kind == "document" else dossier).get(name))
            f.confidence = confidence.get(name) if kind == "document" else None
            self._validate(f)
        self.set_editable(editable)
        self.set_checked(checked)
        self.banner.setVisible(bool(reject_reason))
        self.banner.setText(self.tr("This batch was sent back: {reason}").format(
            reason=reject_reason or ""))

    def clear(self) -> None:
        for f in self.fields.values():
            f.show(None)
            f.problem.setVisible(False)
            f.edit.setProperty("problem", False)
            f.edit.setProperty("doubtful", False)
            repolish(f.edit)
        self.set_editable(False)
        self.status.clear()
        self.banner.setVisible(False)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for f in self.fields.values():
            f.edit.setReadOnly(not editable)

    def set_checked(self, checked: bool) -> None:
        self.status.setText(self.tr("Checked ✓") if checked else self.tr(
            "Not checked yet — Ctrl+Enter marks it checked and opens the next one."))

    def focus_first(self) -> None:
        self.fields[("document", DOCUMENT_FIELDS[0])].edit.setFocus()

    # -- editing ------------------------------------------------------------------------------
    def _validate(self, f: _Field) -> records.Problem | None:
        problem = self._ids_problem(f) if f.name == IDS else f.check()
        shown = problem is not None and (f.edit.text().strip() != "" or problem.code
                                         == "required")
        f.problem.setText(problem_text(problem.code) if problem else "")
        f.problem.setVisible(shown)
        f.edit.setProperty("problem", bool(problem and problem.blocking))
        doubtful = (f.confidence is not None and f.confidence < DOUBTFUL_CONFIDENCE
                    and f.stored() == f.saved)
        f.edit.setProperty("doubtful", doubtful)
        f.edit.setToolTip(self.tr("Read with {percent}% confidence: check it against the page")
                          .format(percent=round(100 * (f.confidence or 0))) if doubtful else "")
        repolish(f.edit)
        return problem

    @staticmethod
    def _ids_problem(f: _Field) -> records.Problem | None:
        for number in _split_ids(f.edit.text()):
            problem = records.citizen_id_problem(number)
            if problem:
                return problem
        return None

    def _accept(self, f: _Field, *, advance: bool) -> None:
        if self._editable:
            self.commit(f)
        if advance:
            self.focusNextChild()

    def commit(self, f: _Field) -> bool:
        """Ask for the field to be saved if it changed and has no blocking problem."""
        problem = self._validate(f)
        if problem is not None and problem.blocking:
            return False
        if f.name == IDS:
            old = _split_ids(f.saved or "")
            new = _split_ids(f.edit.text())
            if [n.replace(" ", "") for n in old] != [n.replace(" ", "") for n in new]:
                f.saved = ", ".join(new) or None
                self.ids_requested.emit(old, new)
            return True
        new_value = f.stored()
        if new_value != f.saved:
            previous, f.saved = f.saved, new_value
            self.commit_requested.emit(f.kind, f.name, previous, new_value)
        return True

    def commit_focused(self) -> None:
        """Save the field being typed in (before Ctrl+Enter marks the document checked)."""
        for f in self.fields.values():
            if f.edit.hasFocus() and self._editable:
                self.commit(f)

    def pending_problems(self) -> list[str]:
        """Names of fields whose typed value has a blocking problem."""
        found = []
        for (_kind, name), f in self.fields.items():
            problem = self._ids_problem(f) if name == IDS else f.check()
            if problem is not None and problem.blocking and problem.code != "required":
                found.append(name)
        return found

    def set_value(self, kind: str, name: str, value: str | None) -> None:
        """Show a value saved elsewhere (undo, redo, a failed save rolled back)."""
        f = self.fields[(kind, name)]
        f.show(value)
        self._validate(f)

    def set_ids(self, ids: list[str]) -> None:
        self._ids.show(", ".join(ids) or None)
        self._validate(self._ids)

    def fill_focused(self, text: str) -> bool:
        """A word clicked on the page goes into the field last focused (appended if typed in)."""
        f = self._last
        if f is None or not self._editable:
            return False
        current = f.edit.text()
        if f.edit.hasSelectedText() and f.edit.selectedText() == current:
            current = ""
        f.edit.setText(f"{current} {text}".strip() if current else text)
        f.edit.setFocus()
        self._validate(f)
        return True

    def field_region(self, name: str) -> list[float] | None:
        region = self.extraction.get("regions", {}).get(name)
        return [float(v) for v in region] if region else None

    def editor(self, kind: str, name: str) -> QLineEdit:
        return self.fields[(kind, name)].edit


def _split_ids(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    return [p for p in parts if p]


def extraction_of(raw: Any) -> dict[str, Any]:
    """The document's stored extraction record, tolerant of old or empty ones."""
    if isinstance(raw, dict):
        return raw
    try:
        loaded = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
