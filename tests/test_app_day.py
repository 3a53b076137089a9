"""A clerk's day, end to end on the real store and OCR, by keyboard where a clerk would:
import three files, correct fields, move and turn a page, undo, check, submit through the
gate; the supervisor approves through hers; the screen is locked and no shortcut acts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.window import MainWindow
from store import batches, documents, quality
from tests import test_app as base
from tests.conftest import PASSWORDS, StoreFixture
from tests.test_app import OCR_WAIT, WAIT, ScriptedPrompts, idle, login, type_into
from tests.test_app_lock import _hammer, _settle, _store_state

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def _pdfs(folder: Path) -> list[str]:
    from tests.corpus.generate import make_sample

    paths = []
    for i in range(3):
        images = [p.convert("RGB") for p in make_sample(23, i, mode="clean", dpi=150,
                                                         max_pages=1).pages]
        if i == 0:  # a two-page document: a second sample's page follows
            images += [p.convert("RGB") for p in make_sample(23, 9, mode="clean", dpi=150,
                                                             max_pages=1).pages]
        path = folder / f"van-ban-{i}.pdf"
        images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
        paths.append(str(path))
    return paths


@pytest.mark.slow
def test_a_clerks_day(store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
                      qtbot: Any, tmp_path: Path) -> None:
    w = window
    login(qtbot, w, "lan")
    dialog = w.import_paths(_pdfs(tmp_path))
    with qtbot.waitSignal(dialog.captured, timeout=OCR_WAIT) as done:
        pass
    stored = done.args[0].stored
    assert len(stored) >= 3, prompts.errors
    dialog.close()
    work = w.work
    assert work is not None
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.id == stored[0],
                    timeout=WAIT)  # the first new document opens by itself
    idle(qtbot, w)
    w.activateWindow()  # keys and focus go to the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    lan = store.login("lan")
    doc = stored[0]
    ids = work.thumbs.page_ids()

    # correct by keyboard; the page moved and turned; one change undone from a field
    type_into(qtbot, work.form.editor("document", "code_number"), "7799")
    type_into(qtbot, work.form.editor("dossier", "maintenance"), "01", Qt.Key.Key_Return)
    date = work.form.editor("document", "issued_date")
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_PageDown, CTRL_SHIFT)  # page 1 goes after page 2
    qtbot.waitUntil(lambda: work.thumbs.page_ids() == [ids[1], ids[0]], timeout=WAIT)
    qtbot.keyClick(date, Qt.Key.Key_R, CTRL)  # turn it (then it is read again)
    stack = work.undo_stack
    qtbot.waitUntil(lambda: work._reading is None and stack.count() == 4, timeout=OCR_WAIT)
    idle(qtbot, w)
    qtbot.keyClick(date, Qt.Key.Key_Z, CTRL)  # undo the turn, from inside a field
    idle(qtbot, w)
    qtbot.waitUntil(lambda: work._reading is None, timeout=OCR_WAIT)
    idle(qtbot, w)
    view = documents.get_document(lan, doc, audit_open=False)
    assert view.metadata["code_number"] == "7799"
    assert [p.id for p in view.pages] == [ids[1], ids[0]]
    assert [p.rotation for p in view.pages] == [0, 0]

    # check each document with Ctrl+Enter (the next opens by itself)
    for _ in stored:
        opened = work.opened
        assert opened is not None
        field = work.form.editor("document", "subject")
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda o=opened: work.opened is not o, timeout=WAIT)
        idle(qtbot, w)
    assert all(documents.get_document(lan, d, audit_open=False).checked for d in stored)

    # submit: whatever gaps remain are listed and need a reason
    prompts.gate_answer = "Hồ sơ 2, 3 chưa có thời hạn bảo quản: chờ tổ trưởng"
    work.form.editor("document", "subject").setFocus()
    qtbot.keyClick(work.form.editor("document", "subject"), Qt.Key.Key_Return, CTRL_SHIFT)
    idle(qtbot, w)
    batch = view.batch
    assert batches.get_batch(lan, batch).state == "submitted", prompts.errors
    assert len(prompts.gates) == 1 and prompts.gates[0][1], "submitted without the gate"
    assert quality.gaps_reason(lan, batch) == prompts.gate_answer  # kept for the supervisor
    idle(qtbot, w)  # the open document is read-only now: said, and nothing to undo
    assert not work.actions_["undo"].isEnabled() and "Chỉ xem" in work.form.status.text()

    login(qtbot, w, "minh")
    assert w.review is not None
    qtbot.waitUntil(lambda: any(b.name == batch for b in w.review.rows), timeout=WAIT)
    w.review.select(batch)
    approve = w.findChild(QAction, "action-approve")
    approve.trigger()
    idle(qtbot, w)
    assert batches.get_batch(lan, batch).state == "approved", prompts.errors
    assert len(prompts.gates) == 2 and prompts.gates[1][1], "approved blind"

    # locked: nothing acts
    before, asked = _store_state(store), list(prompts.asked)
    qtbot.keyClick(w, Qt.Key.Key_L, CTRL_SHIFT)
    assert w.locked
    _hammer(qtbot, w)
    _settle(qtbot, w)
    assert prompts.asked == asked and _store_state(store) == before and w.locked
    qtbot.keyClicks(w.unlock.password, PASSWORDS["minh"])
    qtbot.keyClick(w.unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not w.locked, timeout=WAIT)
    assert "minh" in w.windowTitle()
