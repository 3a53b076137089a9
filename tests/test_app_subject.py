"""The subject (trích yếu) is shown whole: a long summary wraps over a few lines instead of
being cut in a one-line box (issue 13 item 9), and the box is a field like the others."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.form import WrappingLine
from app.window import MainWindow
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import idle, open_at, type_text
from tests.test_app_fields import _doc, _value

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

CTRL = Qt.KeyboardModifier.ControlModifier
LONG = ("Về việc phê duyệt kế hoạch tổ chức kiểm tra, rà soát và chỉnh lý hồ sơ hộ tịch, "
        "chứng thực bản sao từ bản chính và cấp bản sao trích lục trên địa bàn phường "
        "trong quý II năm 2024 theo chỉ đạo của UBND")


def test_a_long_subject_is_shown_whole_and_edited_like_any_field(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    assert len(LONG) == 200
    lan = store.login("lan")
    doc_id = _doc(lan, "Lô trích yếu", "H29.2024.21", {"subject": 0.3}, subject=LONG)
    work = open_at(qtbot, window, doc_id, (1280, 720))
    form = work.form
    box = form.editor("document", "subject")
    assert isinstance(box, WrappingLine) and box.text() == LONG
    # whole: no sideways scrolling, every line in sight, and no wasted empty lines
    assert box.horizontalScrollBar().maximum() == 0
    assert box.verticalScrollBar().maximum() == 0, (box.lines(), box.height())
    assert box.lines() >= 3
    assert box.property("doubtful") is True  # tinted like the others
    # keys: Tab moves on and back, Shift+Enter types nothing, Enter saves and moves on
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert form.editor("document", "signer_position").hasFocus()
    qtbot.keyClick(form.editor("document", "signer_position"), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ShiftModifier)
    assert box.hasFocus()
    box.moveCursor(box.textCursor().MoveOperation.End)
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert box.text() == LONG and box.hasFocus()
    type_text(box, " năm")
    assert box.property("doubtful") is False  # being typed: no longer the capture's value
    qtbot.keyClick(box, Qt.Key.Key_Return)
    idle(qtbot, window)
    assert form.editor("document", "signer_position").hasFocus()
    assert _value(store, doc_id, "subject") == LONG + " năm"
    assert box.property("fieldstate") == "corrected"
    # Ctrl+Z / Ctrl+Y in the box: the document's history, not the box's own
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    idle(qtbot, window)
    assert _value(store, doc_id, "subject") == LONG and box.text() == LONG
    qtbot.keyClick(box, Qt.Key.Key_Y, CTRL)
    idle(qtbot, window)
    assert _value(store, doc_id, "subject") == LONG + " năm" and box.text() == LONG + " năm"
    # live validation: emptied, the required subject is named under it
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    assert form.fields[("document", "subject")].problem.isVisibleTo(form)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == LONG + " năm"
    # a word clicked on the page: the first replaces the value, the next ones add to it
    form.editor("document", "signer_position").setFocus()
    box.setFocus()
    assert form.fill_focused("Về") and form.fill_focused("việc")
    assert box.text() == "Về việc" and box.hasFocus()
