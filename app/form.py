"""The correction form: the NĐ 30 / TT 05/2025 fields of a document and its dossier.

Keyboard-first: every field is a line edit, in one Tab order (document
fields, then dossier fields); Enter accepts a field and moves on; a field is
saved when accepted or left, never while typed. Values are checked as they are
typed (``extract.records``: dates, required fields, type names, retention codes,
CCCD structure); a blocking problem keeps the field from being saved and is
named under it.

A field's state is one of (see ``store.quality``): *read* — tinted when capture
was unsure, the reason in its tooltip; *corrected* by a person — never tinted
again, marked with a green edge; *confirmed* — its document was checked. Ctrl+Z
and Ctrl+Y in a field go to the document's history (a value typed but not yet
saved is put back first); Esc puts back the saved value.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import field_labels, parse_date, problem_text, show_date
from app.ui import repolish
from extract import records
from ocr.model import TINT
from store.documents import DOCUMENT_FIELDS, DOSSIER_FIELDS, MAINTENANCE_CODES

MEANING_DASH = "—"  # "01 — <meaning>": a code and the meaning the site's regulation gives it

DOUBTFUL_CONFIDENCE = TINT  # the core's threshold: below it a value is tinted
DATE_FIELDS = ("issued_date", "start_date", "end_date")
IDS = "citizen_ids"

# Rows of (field, share of the row's width): short fields side by side, so that every
# required field is in sight at 1280×720 without scrolling. The dossier's required
# fields are pinned above the scrolled part (they are filled once per dossier and were
# below the fold); Tab still goes through the document's fields first.
Row = tuple[tuple[str, int], ...]
DOCUMENT_ROWS: tuple[Row, ...] = (
    (("type_name", 3), ("issued_date", 2)), (("code_number", 2), ("code_notation", 3)),
    (("organ_name", 1),), (("subject", 1),), (("signer_position", 1), ("signer_name", 1)),
    ((IDS, 1),))
DOSSIER_PINNED: tuple[Row, ...] = ((("title", 3), ("maintenance", 2)),)
DOSSIER_MORE: tuple[Row, ...] = (  # the file code is never empty: capture gives one
    (("file_code", 3), ("paper_file_code", 2)), (("mode", 1), ("language", 1)),
    (("start_date", 1), ("end_date", 1)), (("description", 1),))
WRAPPED = ("subject",)  # long one-line values: shown whole, wrapped over a few lines
TAB_ORDER = (*DOCUMENT_FIELDS, IDS, "title", "maintenance", "file_code", "paper_file_code",
             "mode", "language", "start_date", "end_date", "description")


class WrappingLine(QPlainTextEdit):
    """A one-line value shown whole, wrapped over 2 to ``MAX_LINES`` lines: the subject
    (trích yếu) was cut in a line edit. It speaks the line edit's language to the form
    (text, setText, textEdited, returnPressed, editingFinished), so it is one more field:
    Tab and Shift+Tab move on, Enter accepts and moves on, a line break is never typed nor
    pasted, and its own undo is off (Ctrl+Z/Ctrl+Y go to the document's history)."""

    MIN_LINES, MAX_LINES = 2, 8  # 200 characters take 7 lines at 1280×720
    textEdited = Signal(str)
    returnPressed = Signal()
    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setting = False
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.textChanged.connect(self._changed)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)

    def hasSelectedText(self) -> bool:
        return self.textCursor().hasSelection()

    def selectedText(self) -> str:
        return self.textCursor().selectedText()

    def lines(self) -> int:
        """Lines the value takes at the box's width now."""
        block, count = self.document().firstBlock(), 0
        while block.isValid():
            layout = block.layout()
            count += max(1, layout.lineCount() if layout is not None else 1)
            block = block.next()
        return count

    def _changed(self) -> None:
        if not self._setting:
            self.textEdited.emit(self.toPlainText())
        self._fit()

    def _fit(self) -> None:
        """As tall as its lines, between MIN_LINES and MAX_LINES (then it scrolls)."""
        shown = min(max(self.lines(), self.MIN_LINES), self.MAX_LINES)
        chrome = self.height() - self.viewport().height()  # frame, border, the style's padding
        height = (shown * self.fontMetrics().lineSpacing() + 2 * self.document().documentMargin()
                  + chrome + 1)
        if self.height() != round(height):
            self.setFixedHeight(round(height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()  # the lines re-wrap at the new width

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier
                                     | Qt.KeyboardModifier.ShiftModifier):
                event.ignore()  # Ctrl+Enter and the like belong to the window
            elif not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.returnPressed.emit()
            return  # a subject has no line breaks
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted text is one line: its breaks become spaces."""
        self.textCursor().insertText(" ".join(source.text().split()))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.editingFinished.emit()


class _Field:
    """One editor: its stored value, what it shows, and its problem line."""

    def __init__(self, kind: str, name: str, label: str) -> None:
        self.kind, self.name = kind, name
        self.edit: QLineEdit | WrappingLine = WrappingLine() if name in WRAPPED else QLineEdit()
        self.edit.setObjectName(f"field-{name}")
        self.edit.setMinimumWidth(80)
        self.edit.setAccessibleName(label)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.saved: str | None = None
        self.confidence: float | None = None
        self.corrected = False  # a person changed it (now or before: the audit log says)
        self.confirmed = False  # its document was checked
        self.inherited = False  # a dossier field capture took from the first document
        self.reason: str | None = None  # why capture doubts it ("handwritten", "under_seal")
        self.meanings: dict[str, str] = {}  # retention: code -> meaning (the site file's)

    def state(self) -> str:
        """read | corrected | confirmed (the form's and the review queue's one rule)."""
        if self.corrected:
            return "corrected"
        return "confirmed" if self.confirmed else "read"

    def typed(self) -> bool:
        """Is something typed here that is not saved?"""
        return self.stored() != self.saved

    def stored(self) -> str | None:
        text = " ".join(self.edit.text().split())
        if not text:
            return None
        if self.name in DATE_FIELDS:
            return parse_date(text) or text
        if self.meanings and MEANING_DASH in text:  # "01 — <meaning>" is the code 01
            return text.split(MEANING_DASH, 1)[0].strip() or text
        return text

    def show(self, value: str | None) -> None:
        self.saved = value
        if self.name in DATE_FIELDS:
            text = show_date(value)
        elif value in self.meanings:
            text = f"{value} {MEANING_DASH} {self.meanings[value]}"
        else:
            text = value or ""
        self.edit.setText(text)
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
    history_requested = Signal(str)  # "undo" | "redo": the document's history, not the box's

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
        self._fresh = True
        self._editable = False
        self._regulation = ""  # the regulation the site file names for the retention codes
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
        box.addWidget(self._group(self.tr("Document"), "document", DOCUMENT_ROWS, labels))
        box.addWidget(self._group(self.tr("Dossier: other fields"), "dossier", DOSSIER_MORE,
                                  labels))
        box.addStretch(1)
        self.setWidget(body)
        # Pinned in the scroll area's top margin: always in sight, never scrolled away.
        self.pinned = self._group(self.tr("Dossier"), "dossier", DOSSIER_PINNED, labels)
        self.pinned.setObjectName("dossier-pinned")
        self.pinned.setParent(self)
        self.verticalScrollBar().rangeChanged.connect(self._bar_changed)
        assert {n for _k, n in self.fields} == {*DOCUMENT_FIELDS, IDS, *DOSSIER_FIELDS}
        edits = [self.fields[("dossier" if n in DOSSIER_FIELDS else "document", n)].edit
                 for n in TAB_ORDER]
        for before, after in itertools.pairwise(edits):
            QWidget.setTabOrder(before, after)
        self._completers()
        self.set_editable(False)

    def _group(self, heading: str, kind: str, rows: Sequence[Row],
               labels: dict[str, str]) -> QGroupBox:
        """Rows of fields, each label above its field: a label never wraps beside a narrow
        field ("Tiêu đề hồ sơ" with its "*" alone on a line) and the form fits a third of
        1280 px."""
        group = QGroupBox(heading)
        column = QVBoxLayout(group)
        column.setContentsMargins(6, 4, 6, 4)
        column.setSpacing(4)
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(6)
            for name, share in row:
                line.addLayout(self._cell(kind, name, labels), share)
            column.addLayout(line)
        return group

    def _cell(self, kind: str, name: str, labels: dict[str, str]) -> QVBoxLayout:
        f = self._ids if name == IDS else _Field(kind, name, labels[name])
        self.fields[(kind, name)] = f
        required = name in records.REQUIRED_DOCUMENT or name in records.REQUIRED_DOSSIER
        label = QLabel(labels[name] + (" *" if required else ""))
        label.setBuddy(f.edit)
        cell = QVBoxLayout()
        cell.setSpacing(1)
        cell.addWidget(label)
        cell.addWidget(f.edit)
        cell.addWidget(f.problem)
        cell.addStretch(1)
        self._wire(f)
        return cell

    # -- the pinned dossier fields ------------------------------------------------------------
    def _pin(self) -> None:
        """Keep the scroll area's top margin as tall as the pinned fields need now.

        As wide as the viewport: the vertical scroll bar spans the margin too, and it hid
        the retention field's right end and its label's star."""
        frame = self.frameWidth()
        bar = self.verticalScrollBar()
        width = max(0, self.width() - 2 * frame
                    - (bar.width() if bar.isVisibleTo(self) else 0))
        layout = self.pinned.layout()
        height = (layout.totalHeightForWidth(width) if layout is not None
                  and layout.hasHeightForWidth() else self.pinned.sizeHint().height())
        self.pinned.setGeometry(frame, frame, width, height)
        self.setViewportMargins(0, height, 0, 0)

    def _bar_changed(self, _low: int, _high: int) -> None:
        """The scroll bar comes and goes with the content: the pinned width follows."""
        self._pin()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._pin()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._pin()

    def set_retention(self, regulation: str, meanings: dict[str, str]) -> None:
        """The retention codes' meanings from the regulation the site file names (never the
        program's own); with none, the codes alone and a tooltip that says so."""
        self._regulation = regulation if meanings else ""
        f = self.fields[("dossier", "maintenance")]
        f.meanings = dict(meanings) if self._regulation else {}
        completer = f.edit.completer() if isinstance(f.edit, QLineEdit) else None
        if completer is not None:
            items = [f"{c} {MEANING_DASH} {f.meanings[c]}" if c in f.meanings else c
                     for c in MAINTENANCE_CODES]
            model = completer.model()
            if isinstance(model, QStringListModel):
                model.setStringList(items)
        if not f.typed():
            f.show(f.saved)
        self._validate(f)

    def _retention_tip(self) -> str:
        if self._regulation:
            return self.tr("Retention codes and their meanings as set by {regulation} (the "
                           "site file)").format(regulation=self._regulation)
        return self.tr("The site file names no regulation for the retention codes: the code "
                       "is shown without its meaning")

    def _completers(self) -> None:
        for name, items in (("type_name", list(records.TYPE_NAMES)),
                            ("maintenance", list(MAINTENANCE_CODES))):
            f = self.fields[("document" if name == "type_name" else "dossier", name)]
            completer = QCompleter(items, f.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            assert isinstance(f.edit, QLineEdit)
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
        f = next((f for f in self.fields.values() if f.edit is watched), None)
        if f is None:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.FocusIn:
            self._last = f
            self._fresh = True  # the first word clicked replaces the value, the next ones add
            self.field_focused.emit(f.kind, f.name)
        elif event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                and isinstance(event, QKeyEvent):
            which = _history_key(event)
            if which is not None or event.key() == Qt.Key.Key_Escape:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self._history_key(f, which)
                return True
        return super().eventFilter(watched, event)

    def _history_key(self, f: _Field, which: str | None) -> None:
        """Esc, or Ctrl+Z over unsaved typing: put the saved value back; else the history."""
        if which is None or (which == "undo" and f.typed()):
            self.revert(f)
        else:
            self.history_requested.emit(which)

    def revert(self, f: _Field) -> None:
        f.show(f.saved)
        self._validate(f)

    # -- loading ------------------------------------------------------------------------------
    def load(self, document: dict[str, str | None], citizen_ids: list[str],
             dossier: dict[str, str | None], extraction: dict[str, Any], *, editable: bool,
             checked: bool, reject_reason: str | None,
             corrected: frozenset[tuple[str, str]] = frozenset(),
             dossier_confidence: dict[str, float] | None = None,
             read_only: str | None = None, keep_typed: bool = False) -> None:
        """Show a document; ``corrected`` holds (kind, field) a person already changed.

        ``keep_typed`` (the same document read again: a page rotated or read again, an
        undo) leaves what the clerk is typing in its editor, unsaved, cursor and all, with
        the store's new value behind it: Tab or Enter saves it, Esc puts the new value back.
        It is not saved for them: a reload lands in the middle of a word, and a half-typed
        value saved would be a change in the history and the audit log the clerk never
        made; erasing it silently would be worse (a field never silently reverts)."""
        self.extraction = extraction
        confidence = extraction.get("confidence", {})
        review = extraction.get("review") or {}
        for (kind, name), f in self.fields.items():
            value = (", ".join(citizen_ids) or None if name == IDS
                     else (document if kind == "document" else dossier).get(name))
            if keep_typed and f.typed():
                f.saved = value
            else:
                f.show(value)
            sure = confidence if kind == "document" else (dossier_confidence or {})
            f.confidence = sure.get(name)
            f.inherited = kind == "dossier" and name in sure
            f.corrected = (kind, name) in corrected
            f.confirmed = checked
            f.reason = review.get(name) if kind == "document" else None
            self._validate(f)
        self.set_editable(editable)
        self.set_checked(checked)
        if not editable:  # say so, instead of ignoring typing and offering Ctrl+Enter
            self.status.setText(read_only or self.tr("Read only."))
        notes = [self.tr("This batch was sent back: {reason}").format(reason=reject_reason)
                 ] if reject_reason else []
        cut = self.incomplete_note(extraction)
        if cut:
            notes.append(cut)
        self.banner.setVisible(bool(notes))
        self.banner.setText("\n".join(notes))

    def incomplete_note(self, extraction: dict[str, Any]) -> str | None:
        """A document a cancelled import cut short says so above its fields: it holds only
        the pages read, and the gate lists it until the file is imported whole."""
        record = extraction.get("incomplete")
        if not isinstance(record, dict):
            return None
        read, total = record.get("read"), record.get("total")
        if total:
            return self.tr("Incomplete: the import was cancelled after {read} of {total} pages "
                           "were read. Import the file again to replace this document."
                           ).format(read=read, total=total)
        return self.tr("Incomplete: the import was cancelled after {read} pages were read. "
                       "Import the file again to replace this document.").format(read=read)

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
        for f in self.fields.values():
            f.confirmed = checked
            self._validate(f)
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
        state = f.state()
        doubtful = state == "read" and not f.typed() and (
            (f.confidence is not None and f.confidence < DOUBTFUL_CONFIDENCE)
            or f.reason is not None)  # an empty handwritten number is tinted too
        f.edit.setProperty("doubtful", doubtful)
        f.edit.setProperty("fieldstate", state)
        tip = self._state_tip(f, doubtful)
        if f.name == "maintenance":  # where the codes' meanings come from, or that none do
            tip = "\n".join(t for t in (self._retention_tip(), tip) if t)
        f.edit.setToolTip(tip)
        repolish(f.edit)
        if f.kind == "dossier" and f.name in records.REQUIRED_DOSSIER:
            self._pin()  # its problem line may have come or gone
        return problem

    def _reasons(self) -> dict[str, str]:
        """Why capture doubts a field (extract.metadata's review codes), in the clerk's words."""
        return {
            "handwritten": self.tr("Written by hand on the paper: read it there and type it"),
            "under_seal": self.tr("A seal crosses it on the page: check every letter"),
            "incomplete": self.tr("Part of it could not be read: complete it from the page"),
            "lexicon_repair": self.tr("Marks put back from the word lists: check the page"),
            "spelling": self.tr("A word looks misread: check it against the page"),
            "abbreviation": self.tr("Written with abbreviations: check how the page spells it"),
            "layout": self.tr("The text around it was damaged: check it against the page"),
            "missing": self.tr("Not found on the page: read it on the paper and type it"),
        }

    def _state_tip(self, f: _Field, doubtful: bool) -> str:
        percent = round(100 * (f.confidence or 0))
        if doubtful and f.inherited and f.name == "title":
            return self.tr("Taken from the first document's summary, read with {percent}% "
                           "confidence: check it").format(percent=percent)
        if doubtful and f.inherited:
            return self.tr("Its year comes from a date read with {percent}% confidence: "
                           "check it").format(percent=percent)
        if doubtful and f.reason in self._reasons():
            return self._reasons()[f.reason]
        if doubtful:
            return self.tr("Read with {percent}% confidence: check it against the page").format(
                percent=percent)
        if f.state() == "corrected":
            return self.tr("Corrected by hand")
        if f.state() == "confirmed" and f.saved:
            return self.tr("Confirmed when the document was checked")
        return ""

    def tinted(self) -> list[str]:
        """The fields tinted now (doubtful, neither corrected nor confirmed)."""
        return [name for (_kind, name), f in self.fields.items()
                if f.edit.property("doubtful") is True]

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
                f.corrected = True
                self.ids_requested.emit(old, new)
            return True
        new_value = f.stored()
        if new_value != f.saved:
            previous, f.saved = f.saved, new_value
            f.corrected = True
            self._validate(f)
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

    def unsaved_problems(self) -> list[tuple[str, str, str]]:
        """(kind, field, text) of values typed but kept from saving by a blocking problem."""
        found = []
        for (kind, name), f in self.fields.items():
            problem = self._ids_problem(f) if name == IDS else f.check()
            if f.typed() and problem is not None and problem.blocking:
                found.append((kind, name, f.edit.text()))
        return found

    def typing(self) -> bool:
        """Is a value typed somewhere that is not saved yet?"""
        return any(f.typed() for f in self.fields.values())

    def empty_required(self) -> list[tuple[str, str]]:
        """(kind, field) of required fields left empty (document and dossier)."""
        return [(kind, name) for (kind, name), f in self.fields.items()
                if f.stored() is None and (name in records.REQUIRED_DOCUMENT if kind ==
                                           "document" else name in records.REQUIRED_DOSSIER)]

    def focus_field(self, kind: str, name: str) -> None:
        edit = self.fields[(kind, name)].edit
        edit.setFocus()
        self.ensureWidgetVisible(edit)

    def set_value(self, kind: str, name: str, value: str | None, *,
                  corrected: bool | None = None) -> None:
        """Show a value saved elsewhere (undo, redo, a failed save rolled back), and whether
        a person's change stands in it now (None: unchanged)."""
        f = self.fields[(kind, name)]
        f.show(value)
        if corrected is not None:
            f.corrected = corrected
        self._validate(f)

    def set_ids(self, ids: list[str]) -> None:
        self._ids.show(", ".join(ids) or None)
        self._validate(self._ids)

    def fill_focused(self, text: str) -> bool:
        """A word clicked on the page goes into the field last focused: the first click
        replaces its saved value, the next ones (and clicks after typing) add to it."""
        f = self._last
        if f is None or not self._editable:
            return False
        current = f.edit.text()
        if (f.edit.hasSelectedText() and f.edit.selectedText() == current) or (
                self._fresh and not f.typed()):
            current = ""  # a full field is replaced, not added to
        self._fresh = False
        f.edit.setText(f"{current} {text}".strip() if current else text)
        f.edit.setFocus()
        self._validate(f)
        return True

    def field_region(self, name: str) -> list[float] | None:
        region = self.extraction.get("regions", {}).get(name)
        return [float(v) for v in region] if region else None

    def editor(self, kind: str, name: str) -> QLineEdit | WrappingLine:
        return self.fields[(kind, name)].edit


def _history_key(event: QKeyEvent) -> str | None:
    """Is this key the history's (Ctrl+Z; Ctrl+Y or Ctrl+Shift+Z)?"""
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    combo = QKeySequence(event.keyCombination())
    if event.matches(QKeySequence.StandardKey.Redo) or combo in (
            QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
        return "redo"
    return None


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
