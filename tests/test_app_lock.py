"""Locked means locked: while the screen is locked no action and no shortcut does anything.

Every action of every screen a role has, fired by its shortcuts (typed into the
unlock screen and at the window) and by ``trigger()``; then the store, the
questions asked and the open windows are compared with before.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from app.window import MainWindow
from store import batches
from tests import test_app as base
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, _open, idle, login
from tests.test_store_pages import make_pdf_document

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def _store_state(store: StoreFixture) -> tuple[Any, ...]:
    """Everything a stray action could change: batches, documents, pages, non-lock audit."""
    minh = store.login("minh")
    conn = minh.conn
    rows = [tuple(r) for r in conn.execute(
        "SELECT name, state FROM batch ORDER BY id")]
    docs = [tuple(r) for r in conn.execute(
        "SELECT id, checked, dossier_id, page_count FROM document ORDER BY id")]
    pages = [tuple(r) for r in conn.execute(
        "SELECT id, ordinal, rotation, deleted FROM page ORDER BY id")]
    audit = [tuple(r) for r in conn.execute(
        "SELECT action, object_id, field FROM audit WHERE action NOT IN"
        " ('login', 'lock', 'unlock', 'login.failed', 'document.open') ORDER BY id")]
    minh.close()
    return rows, docs, pages, audit


def _shown_windows(w: MainWindow) -> list[str]:
    """Visible windows this main window opened (dialogs, message boxes, file dialogs)."""
    return [t.objectName() or type(t).__name__ for t in QApplication.topLevelWidgets()
            if t.isVisible() and t is not w and (t.parent() is None or _inside(t, w))]


def _every_action(w: MainWindow) -> list[QAction]:
    found = [*w.findChildren(QAction), *w.actions(), *w.workspace.actions()]
    unlock = w.unlock
    return [a for a in dict.fromkeys(found) if not _inside(a, unlock)]


def _inside(obj: Any, ancestor: QWidget) -> bool:
    while obj is not None:
        if obj is ancestor:
            return True
        obj = obj.parent()
    return False


def _press(qtbot: Any, target: QWidget, sequence: QKeySequence) -> None:
    for i in range(sequence.count()):
        combo = sequence[i]
        qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def _hammer(qtbot: Any, w: MainWindow) -> int:
    """Fire every action by each of its shortcuts and by trigger(); return how many."""
    actions = _every_action(w)
    for action in actions:
        for sequence in action.shortcuts():
            _press(qtbot, w.unlock.password, sequence)
            _press(qtbot, w, sequence)
        action.trigger()
        QApplication.processEvents()
    return len(actions)


def _settle(qtbot: Any, w: MainWindow) -> None:
    """Let any store work a stray action queued finish (the window may have closed it)."""
    qtbot.waitUntil(lambda: w.db.pending == 0 or not w.db._thread.isRunning(), timeout=WAIT)


def _prepare(store: StoreFixture) -> int:
    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô mở")
    add_sample_document(lan, "Lô nộp", "H29.2024.05")
    batches.submit(lan, "Lô nộp")
    lan.close()
    return doc_id


@pytest.mark.parametrize("user", ["lan", "minh", "admin"])
def test_no_action_or_shortcut_works_while_locked(store: StoreFixture, window: MainWindow,
                                                 prompts: ScriptedPrompts, qtbot: Any,
                                                 user: str) -> None:
    doc_id = _prepare(store)
    w = window
    login(qtbot, w, user)
    if w.work is not None:
        _open(qtbot, w, doc_id)
    if w.review is not None:
        qtbot.waitUntil(lambda: len(w.review.rows) == 1, timeout=WAIT)
    idle(qtbot, w)
    before = _store_state(store)
    asked, errors = list(prompts.asked), list(prompts.errors)

    w.actions_["lock"].trigger()
    assert w.locked
    fired = _hammer(qtbot, w)
    _settle(qtbot, w)
    assert fired > 10
    assert prompts.asked == asked, "a question was asked while locked"
    assert w.locked and w.stack.currentWidget() is w.unlock and w.isVisible()
    assert prompts.errors == errors
    assert _shown_windows(w) == []
    assert _store_state(store) == before  # nothing approved, created, moved or checked
    assert w.windowTitle() == "Số hóa hồ sơ phường"  # no name shown while locked

    qtbot.keyClicks(w.unlock.password, PASSWORDS[user])
    qtbot.keyClick(w.unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not w.locked, timeout=WAIT)
    assert user in w.windowTitle()  # the title names the user again
    assert w.actions_["lock"].isEnabled()
    if w.review is not None:
        assert w.review.approve_action.isEnabled()
    if w.work is not None:
        assert w.work.actions_["rotate_right"].isEnabled() == (user == "lan")


def test_a_drop_while_locked_imports_nothing(store: StoreFixture, window: MainWindow,
                                             qtbot: Any, tmp_path: Any) -> None:
    """A drop delivered while locked (without the drag the lock refuses) opens no capture."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from tests.test_app import _sample_pdf

    pdf = tmp_path / "a.pdf"
    _sample_pdf(pdf)
    login(qtbot, window, "lan")
    window.lock()
    assert window.locked
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert window.capture_dialog is None
    assert not drop.isAccepted()
