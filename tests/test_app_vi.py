"""Vietnamese everywhere: every screen and dialog of every role, opened in Vietnamese, shows
no English word (outside product names, codes and key names).

English words are known from the program itself: every word of its source strings
and of the Qt strings it translates, less those that are also Vietnamese (they appear
in a translation). Qt ships no Vietnamese of its own, so ``qt_vi.ts`` must cover the
buttons and the file dialog Qt draws.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabBar,
    QWidget,
)

from app import i18n
from app.prompts import EnrolDialog, NewUserDialog, _file_dialog, gate_dialog
from app.ui import error_text
from app.window import MainWindow
from store import batches
from store.errors import Conflict, UsageError
from tests import test_app as base
from tests.conftest import REPO, StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, _open, idle, login
from tests.test_store_pages import make_pdf_document

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

ALLOWED = {
    # products, formats, codes and key names a Vietnamese office uses as they are
    "sohoa", "tesseract", "poppler", "sane", "pdf", "csv", "tiff", "jpeg", "png", "cccd",
    "cmnd", "adf", "https", "dpi", "ctrl", "shift", "alt", "del", "enter", "esc", "tab",
    "pgup", "pgdown", "backspace", "admin", "lan", "minh", "hoa", "ocr", "ubnd", "tar", "zip",
    "scan",  # the name of the test's scanned file (scan.pdf), shown as its source
}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _english_words() -> set[str]:
    sources: set[str] = set()
    vietnamese: set[str] = set()
    for ts in ("sohoa_vi.ts", "qt_vi.ts"):
        root = ElementTree.parse(REPO / "resources" / "i18n" / ts).getroot()
        for message in root.iter("message"):
            source = re.sub(r"\{\w+\}|%\d|<[^>]+>", " ", message.findtext("source") or "")
            sources |= {w.lower() for w in WORD.findall(source.replace("&", ""))}
            vietnamese |= {w.lower() for w in WORD.findall(
                (message.findtext("translation") or "").replace("&", ""))}
    return {w for w in sources - vietnamese - ALLOWED if len(w) >= 3}


ENGLISH = _english_words()


def _texts(widget: QWidget) -> list[str]:
    """What a person sees on ``widget`` (its data included: tables, lists, combos)."""
    found = [widget.toolTip()]
    if isinstance(widget, QLabel):
        found.append(widget.text())
    if isinstance(widget, QAbstractButton):
        found.append(widget.text())
    if isinstance(widget, QLineEdit):
        found.append(widget.placeholderText())
    if isinstance(widget, QGroupBox):
        found.append(widget.title())
    if isinstance(widget, QComboBox):
        found += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabBar):
        found += [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        found += _model_texts(widget)
    return found


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()

    def columns(parent: QModelIndex) -> int:
        try:
            return int(model.columnCount(parent))
        except TypeError:  # a list model, whose columnCount PySide keeps private
            return 1

    found = [str(model.headerData(c, Qt.Orientation.Horizontal) or "")
             for c in range(columns(QModelIndex()))]

    def walk(parent: QModelIndex, depth: int) -> None:
        for r in range(min(model.rowCount(parent), 200)):
            for c in range(columns(parent)):
                index = model.index(r, c, parent)
                found.append(str(index.data() or ""))
                found.append(str(index.data(Qt.ItemDataRole.ToolTipRole) or ""))
            if depth < 3:
                walk(model.index(r, 0, parent), depth + 1)

    walk(QModelIndex(), 0)
    return found


def _english_on_screen(w: MainWindow, seen: dict[str, set[str]]) -> None:
    """Collect every English word on ``w`` and its visible windows into ``seen``."""
    for top in QApplication.topLevelWidgets():
        if not top.isVisible() or not (top is w or w.isAncestorOf(top)
                                       or top.parent() is w):
            continue
        texts = [(top.objectName(), top.windowTitle())]
        if hasattr(top, "menuBar"):
            for menu_action in top.menuBar().actions():
                texts.append(("menu", menu_action.text()))
                menu = menu_action.menu()
                for action in menu.actions() if menu is not None else []:
                    texts += [("menu", action.text()), ("menu", action.toolTip())]
        for widget in top.findChildren(QWidget):
            if isinstance(widget.window(), QFileDialog) and isinstance(
                    widget, QAbstractItemView | QComboBox):
                continue  # folder and file names are the clerk's, not the program's words
            if widget.isVisible():
                texts += [(widget.objectName() or type(widget).__name__, t)
                          for t in _texts(widget)]
        for where, text in texts:
            for word in WORD.findall(re.sub(r"<[^>]+>", " ", text or "").replace("&", "")):
                if word.lower() in ENGLISH:
                    seen.setdefault(word, set()).add(f"{where}: {text[:60]}")


def _pump(qtbot: Any, w: MainWindow) -> None:
    idle(qtbot, w)
    qtbot.wait(50)
    idle(qtbot, w)


def _tour(qtbot: Any, w: MainWindow, seen: dict[str, set[str]], doc_id: int | None) -> None:
    """Every screen of the role, every tab, the shortcut list, the capture dialog."""
    if w.work is not None and doc_id is not None:
        _open(qtbot, w, doc_id)
    for row in range(w.nav.count()):
        w.nav.setCurrentRow(row)
        page = w.pages.widget(row)
        tabs = page.findChild(QTabBar) if page is not None else None
        for tab in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(tab)
            _pump(qtbot, w)
            if w.admin_page is not None and page is w.admin_page and tab == 2:
                qtbot.waitUntil(lambda: w.admin_page.health.table.rowCount() >= 6,
                                timeout=60_000)
            _english_on_screen(w, seen)
    w.show_shortcuts()
    _english_on_screen(w, seen)
    for dialog in w.findChildren(QWidget, ""):
        if dialog.isWindow() and dialog is not w and dialog.isVisible():
            dialog.close()
    if "import" in w.actions_:
        w.actions_["import"].trigger()
        assert w.capture_dialog is not None
        for tab in range(2):
            w.capture_dialog.sources.setCurrentIndex(tab)
            _english_on_screen(w, seen)
        w.capture_dialog.close()


def test_every_screen_and_dialog_speaks_vietnamese(store: StoreFixture, window: MainWindow,
                                                   prompts: ScriptedPrompts, qtbot: Any,
                                                   tmp_path: Path) -> None:
    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô xem")
    add_sample_document(lan, "Lô duyệt", "H29.2024.31")
    batches.submit(lan, "Lô duyệt")
    w = window
    seen: dict[str, set[str]] = {}
    for user in ("lan", "minh", "admin"):
        login(qtbot, w, user)
        _tour(qtbot, w, seen, doc_id if user != "admin" else None)
        if w.work is not None:  # the batch's context menu (rename F2, delete Del)
            for action in w.work.tree.actions():
                _english_in(f"{action.text()} {action.toolTip()}", seen, "batch menu")

    # Qt's own dialogs: a question, the file dialog, a quality gate
    box = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Tiếp tục?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel, w)
    box.show()
    files = _file_dialog(w, "Chọn tệp", "PDF (*.pdf)")
    folder = tmp_path / "ho-so"
    folder.mkdir()
    files.setDirectory(str(folder))
    files.show()
    gate, _reason = gate_dialog(w, "Cổng", "Thiếu", ["A"], [["x"]], "Đi", reason_label="Vì sao")
    gate.show()
    new_user = NewUserDialog(w, [("Văn thư", "clerk")], "", "clerk")
    new_user.show()
    enrol = EnrolDialog(w, "http://kho.example")  # its problem line says why, in words
    enrol.show()
    qtbot.wait(100)
    _english_on_screen(w, seen)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Có", "Không", "Hủy"}
    assert enrol.problem.text() and not enrol.go.isEnabled()
    enrol.url.setText("https://kho.example")
    _english_on_screen(w, seen)  # the next problem: the token
    for dialog in (box, files, gate, new_user, enrol):
        dialog.close()

    # the core's English sentences, reworded
    for exc in (Conflict("Batch 'Lô 1' is submitted and can no longer be changed."),
                UsageError("A password needs at least 8 characters.")):
        _english_in(error_text(w.ctx, exc), seen, "error")
    assert not seen, f"English on screen: {seen}"


def _english_in(text: str, seen: dict[str, set[str]], where: str) -> None:
    for word in WORD.findall(text):
        if word.lower() in ENGLISH:
            seen.setdefault(word, set()).add(where)


def test_the_audit_viewer_speaks_in_words_and_dd_mm_yyyy(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "Lô nhật ký", "H29.2024.32")
    batches.submit(lan, "Lô nhật ký")
    login(qtbot, window, "minh")
    page = window.audit_page
    assert page is not None
    window.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() > 3, timeout=WAIT)
    cells = [page.table.item(r, c).text() for r in range(page.table.rowCount())
             for c in range(page.table.columnCount())]
    assert "Lô nhật ký" in cells and "Trạng thái" in cells and "Chờ duyệt" in cells
    assert not any(c.startswith("Lô Lô") for c in cells)  # the word once
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", c) for c in cells), cells
    assert not any(c.startswith("batch ") or c == "state" or "{" in c for c in cells)


def test_qt_words_are_compiled_and_current(tmp_path: Path) -> None:
    ts = REPO / "resources" / "i18n" / "qt_vi.ts"
    qm = tmp_path / "qt_vi.qm"
    i18n.build_qm(ts, qm)
    assert qm.read_bytes() == (REPO / "resources" / "i18n" / "qt_vi.qm").read_bytes()
