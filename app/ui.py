"""Small shared pieces of the UI: icons, actions with their shortcut shown, errors, the look."""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QFont, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.context import AppContext
from app.coremsg import core_text
from store.errors import (
    Conflict,
    ExitCode,
    NotFound,
    PermissionDenied,
    SohoaError,
    StoreInUse,
    UnknownUser,
    WrongPassword,
)

FONT_FAMILIES = ("Noto Sans", "DejaVu Sans", "Liberation Sans")
INKS = ("#2f5d62", "#3d8b4f", "#b23b3b")  # the icons' stroke colours

STYLE = """
QMainWindow, QDialog { background: #f6f7f5; }
QWidget { color: #1f2d2f; }
QToolBar { background: #eef1ee; border: none; spacing: 4px; padding: 3px; }
QToolButton { padding: 4px; border-radius: 4px; }
QToolButton:hover { background: #dde6e2; }
QListWidget#nav { background: #2f5d62; color: #eef4f2; border: none; outline: none; }
/* no ::item padding on #nav: with it the names were laid on one line and elided */
QListWidget#nav::item:selected { background: #3f7479; color: white; }
QLineEdit, QComboBox, QPlainTextEdit {
    background: white; border: 1px solid #b9c6c2; border-radius: 3px; padding: 3px 5px; }
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus { border: 1px solid #2f5d62; }
QLineEdit[readOnly="true"], QPlainTextEdit#field-subject[readOnly="true"] {
    background: #eef1ee; color: #44524f; }
QLineEdit[problem="true"], QComboBox[problem="true"],
QPlainTextEdit#field-subject[problem="true"] {
    border: 1px solid #b23b3b; background: #fff1f0; }
QLineEdit[doubtful="true"], QComboBox[doubtful="true"],
QPlainTextEdit#field-subject[doubtful="true"] { background: #fff6e0; }
QLineEdit[fieldstate="corrected"], QPlainTextEdit#field-subject[fieldstate="corrected"] {
    border-left: 3px solid #3d8b4f; }
QLabel#problem { color: #b23b3b; }
QLabel#title { font-size: 15pt; font-weight: 600; color: #2f5d62; }
QLabel#banner { background: #fdecea; color: #7a1f1f; padding: 6px; border-radius: 3px; }
QLabel#muted { color: #5f6f6c; }
QPushButton { padding: 5px 12px; border: 1px solid #9fb3ae; border-radius: 4px;
    background: #ffffff; }
QPushButton:hover { background: #e8efec; }
QPushButton:default { background: #2f5d62; color: white; border-color: #2f5d62; }
QHeaderView::section { background: #e8ece9; border: none; padding: 4px;
    border-right: 1px solid #d3dbd8; }
QTableView, QTreeView, QListView { background: white; alternate-background-color: #f4f7f5;
    border: 1px solid #d3dbd8; }
QTabWidget::pane { border: 1px solid #d3dbd8; }
"""


def apply_look(app: QApplication) -> None:
    """A calm look with a font that has every Vietnamese letter."""
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(STYLE)


def icon(ctx: AppContext, name: str, color: str | None = None) -> QIcon:
    """An icon from resources/icons; ``color`` redraws its ink (white on the dark nav bar)."""
    path = ctx.icons / f"{name}.svg"
    if color is None:
        return QIcon(str(path))
    svg = path.read_text("utf-8")
    for ink in INKS:
        svg = svg.replace(ink, color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(48, 48)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return QIcon(pixmap)


def make_action(
    ctx: AppContext, parent: QObject, text: str, icon_name: str | None = None, *,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str | None = None, slot: Callable[[], object] | None = None,
) -> QAction:
    """An action whose tooltip names its shortcut, so the keyboard is learnt by hovering."""
    action = QAction(text, parent)
    if icon_name:
        action.setIcon(icon(ctx, icon_name))
    if shortcut is not None:
        keys = (QKeySequence.keyBindings(shortcut)
                if isinstance(shortcut, QKeySequence.StandardKey) else [QKeySequence(shortcut)])
        action.setShortcuts(keys)
    label = (tip or text).replace("&", "")
    keys_text = shown_keys(action.shortcut())
    action.setToolTip(f"{label} ({keys_text})" if keys_text else label)
    action.setStatusTip(label)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


def shown_keys(keys: QKeySequence) -> str:
    """A shortcut as printed on the keyboard (``Ctrl+Enter``, not Qt's ``Ctrl+Return``).

    Not done by translating Qt's key names: QKeySequence parses strings with the
    translated names too, and "Return" shown as "Enter" made Ctrl+Return and
    Ctrl+Enter one ambiguous shortcut.
    """
    text = keys.toString(QKeySequence.SequenceFormat.NativeText).replace("Return", "Enter")
    for name, arrow in (("Left", "←"), ("Right", "→"), ("Up", "↑"), ("Down", "↓")):
        text = re.sub(rf"\b{name}\b", arrow, text)
    return text


def error_title(exc: BaseException) -> str:
    translate = QCoreApplication.translate
    if isinstance(exc, WrongPassword | UnknownUser):
        return translate("Errors", "Cannot log in")
    if isinstance(exc, PermissionDenied):
        return translate("Errors", "Not allowed")
    if isinstance(exc, Conflict):
        return translate("Errors", "Cannot be changed")
    if isinstance(exc, NotFound):
        return translate("Errors", "Not found")
    if isinstance(exc, StoreInUse):
        return translate("Errors", "Store in use")
    return translate("Errors", "Could not do that")


def _advice() -> dict[ExitCode, str]:
    """What each kind of store error means for the person at the desk, in their language.

    The core's sentences are English and carry the specifics (which batch, which
    file); the GUI leads with this translated sentence and keeps the core's as detail.
    """
    translate = QCoreApplication.translate
    return {
        ExitCode.USAGE: translate("Errors", "The request is incomplete."),
        ExitCode.BAD_INPUT: translate("Errors", "This input cannot be used."),
        ExitCode.PARTIAL: translate("Errors", "Some inputs failed; the others were stored."),
        ExitCode.WRONG_PASSWORD: translate("Errors", "The password is wrong."),
        ExitCode.UNKNOWN_USER: translate("Errors", "There is no such user on this station."),
        ExitCode.PERMISSION_DENIED: translate("Errors", "Your role does not allow this."),
        ExitCode.STORE_CORRUPT: translate(
            "Errors", "The store is damaged; ask IT to restore the latest backup."),
        ExitCode.STORE_IN_USE: translate(
            "Errors", "Another sohoa program is using the store; try again in a moment."),
        ExitCode.DISK_FULL: translate(
            "Errors", "The disk is full: nothing was changed. Free some space and try again."),
        ExitCode.NOT_FOUND: translate("Errors", "It no longer exists, or you cannot see it."),
        ExitCode.CONFLICT: translate("Errors", "This cannot be done in its present state."),
        ExitCode.NOT_INITIALISED: translate("Errors", "This station or account is not set up yet."),
        ExitCode.AUDIT_BROKEN: translate(
            "Errors", "The audit log was altered: tell your supervisor at once."),
        ExitCode.STORE_TOO_NEW: translate(
            "Errors", "A newer sohoa made this store; ask IT to update this station."),
        ExitCode.EXTERNAL_TOOL: translate(
            "Errors", "A program sohoa needs (Tesseract, Poppler or SANE) failed; ask IT."),
        ExitCode.NETWORK: translate(
            "Errors", "The warehouse cannot be reached; the data waits here and is sent later."),
        ExitCode.TLS: translate(
            "Errors", "The warehouse's TLS certificate is not trusted: nothing was sent. IT "
                      "checks it or sets the site's CA file."),
        ExitCode.CANCELLED: translate("Errors", "Cancelled."),
    }


def error_text(ctx: AppContext, exc: BaseException) -> str:
    """A known error: a translated sentence, then the core's specifics; a bug gets one
    line and a log entry."""
    if isinstance(exc, SohoaError):
        said = core_text(exc)  # the core's sentence in the UI language (store/messages_vi.py)
        advice = _advice().get(exc.exit_code)
        if advice is None:
            return said
        detail = QCoreApplication.translate("Errors", "Details: {detail}").format(detail=said)
        return f"{advice}\n{detail}"
    log = _log_internal(ctx.log_dir, exc)
    where = QCoreApplication.translate("Errors", " Details were written to {log}.").format(
        log=log) if log else ""
    return QCoreApplication.translate(
        "Errors", "An internal error occurred ({kind}); please report it.").format(
        kind=type(exc).__name__) + where


def _log_internal(folder: Path, exc: BaseException) -> Path | None:
    """Tracebacks go to a log file, never on screen (messages may hold personal data)."""
    if os.environ.get("SOHOA_DEBUG"):
        traceback.print_exception(exc)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "error.log"
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{type(exc).__name__} (message withheld: it may hold personal data)\n")
            fh.write("".join(traceback.format_tb(exc.__traceback__)) + "\n")
        return log
    except OSError:
        return None


def show_error(ctx: AppContext, parent: QWidget | None, exc: BaseException) -> None:
    ctx.prompts.error(parent, error_title(exc), error_text(ctx, exc))


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("title")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[object]]) -> None:
    """Replace a table's contents; None shows as empty, every cell read-only."""
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if len(item.text()) > 40:  # a long cell is elided: its tooltip shows it whole
                item.setToolTip(item.text())
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def make_table(name: str) -> QTableWidget:
    table = QTableWidget()
    table.setObjectName(name)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table
