"""Pages you can handle: a thumbnail grid without overlap, click to show, keyboard reorder."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt

from app.window import MainWindow
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import WAIT, _open, idle, login
from tests.test_store_pages import make_pdf_document

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _pages(store: StoreFixture, doc_id: int, column: str) -> list[int]:
    """One column of a document's pages, in page order (id, rotation, deleted)."""
    conn = store.login("lan").conn
    return [int(r[0]) for r in conn.execute(
        f"SELECT {column} FROM page WHERE document_id = ? ORDER BY ordinal", (doc_id,))]


def _order(store: StoreFixture, doc_id: int) -> list[int]:
    return _pages(store, doc_id, "id")


def _open_strip(store: StoreFixture, window: MainWindow, qtbot: Any,
                batch: str) -> tuple[int, Any, Any, list[int]]:
    """A 3-page document opened by the clerk: (its id, the work page, the strip, page ids)."""
    doc_id = make_pdf_document(store.login("lan"), batch=batch)
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    return doc_id, work, work.thumbs, work.thumbs.page_ids()


def test_thumbnails_are_a_grid_a_click_shows_a_page_and_keys_move_it(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    doc_id, work, strip, ids = _open_strip(store, window, qtbot, "Lô trang")
    assert len(ids) == 3
    qtbot.waitUntil(lambda: all(not strip.item(r).icon().isNull() for r in range(3)),
                    timeout=WAIT)
    idle(qtbot, window)
    rects = [strip.visualItemRect(strip.item(r)) for r in range(3)]
    for upper, lower in itertools.pairwise(rects):
        assert not upper.intersects(lower) and lower.top() >= upper.bottom()
        assert upper.height() >= 120  # a page, not a smear

    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton,
                     pos=rects[1].center())  # a click shows that page
    qtbot.waitUntil(lambda: work.page_id == ids[1], timeout=WAIT)

    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Right, CTRL_SHIFT)  # one place later
    qtbot.waitUntil(lambda: _order(store, doc_id) == [ids[0], ids[2], ids[1]], timeout=WAIT)
    idle(qtbot, window)
    assert strip.page_ids() == [ids[0], ids[2], ids[1]] and work.page_id == ids[1]
    date = work.form.editor("document", "issued_date")
    date.setFocus()  # from a field: Ctrl+Shift+PgUp (Ctrl+Shift+← selects a word there)
    qtbot.keyClick(date, Qt.Key.Key_PageUp, CTRL_SHIFT)
    qtbot.waitUntil(lambda: _order(store, doc_id) == ids, timeout=WAIT)
    idle(qtbot, window)
    qtbot.keyClick(date, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the move
    qtbot.waitUntil(lambda: _order(store, doc_id) == [ids[0], ids[2], ids[1]], timeout=WAIT)


def test_a_split_starts_with_its_fields_and_undo_leaves_the_first_as_it_was(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    import json

    from store import documents, views
    from tests.test_capture_split import LETTER, _words

    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô tách")
    ids = _order(store, doc_id)
    lan.conn.execute("UPDATE page SET words = ? WHERE id = ?",
                     (json.dumps(_words(LETTER), ensure_ascii=False), ids[1]))
    lan.conn.commit()
    before = documents.get_document(lan, doc_id, audit_open=False).metadata
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    work.show_page(ids[1])
    qtbot.waitUntil(lambda: work.page_id == ids[1], timeout=WAIT)
    work.actions_["split"].trigger()
    idle(qtbot, window)
    dossier = views.place_of(lan, doc_id).dossier_id
    new = [r.id for r in views.documents_of(lan, dossier) if r.id != doc_id]
    assert len(new) == 1
    assert documents.get_document(lan, new[0], audit_open=False).metadata["code_number"] == "45"
    work.actions_["undo"].trigger()  # merges them back: the letter's fields go with it
    idle(qtbot, window)
    assert _order(store, doc_id) == ids
    assert documents.get_document(lan, doc_id, audit_open=False).metadata == before


def test_100_percent_and_keyboard_pan_from_a_field(store: StoreFixture, window: MainWindow,
                                                   qtbot: Any) -> None:
    """Zoom to width / fit / 100 % and keyboard pan (issue 13, Pages): Ctrl+Alt+0 shows the
    page at 100 %, Alt+arrows scroll it, with the focus left in a field."""
    doc_id = make_pdf_document(store.login("lan"), batch="Lô cuộn")
    window.resize(1366, 768)
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    viewer = work.viewer
    qtbot.waitUntil(lambda: viewer.image is not None, timeout=WAIT)
    idle(qtbot, window)
    field = work.form.editor("document", "subject")
    field.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(field, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier | alt)
    assert viewer.transform().m11() == 1.0 and viewer.fit_mode is None
    across, down = viewer.horizontalScrollBar(), viewer.verticalScrollBar()
    # this test page is small: room for a step (a fifth of the view) each way
    while across.maximum() < viewer.viewport().width() or down.maximum() < 200:
        viewer.zoom_by(1.25)
    across.setValue(across.maximum() // 2)
    down.setValue(down.maximum() // 2)
    x, y = across.value(), down.value()
    qtbot.keyClick(field, Qt.Key.Key_Down, alt)
    qtbot.keyClick(field, Qt.Key.Key_Right, alt)
    assert down.value() > y and across.value() > x
    qtbot.keyClick(field, Qt.Key.Key_Up, alt)
    qtbot.keyClick(field, Qt.Key.Key_Left, alt)
    assert (across.value(), down.value()) == (x, y)
    assert window.focusWidget() is field  # the clerk goes on typing where she was
    window.actions_["work_fit_width"].trigger()
    assert viewer.fit_mode == "width"


def _rotations(store: StoreFixture, doc_id: int) -> list[int]:
    return _pages(store, doc_id, "rotation")


def _deleted(store: StoreFixture, doc_id: int) -> list[bool]:
    return [bool(x) for x in _pages(store, doc_id, "deleted")]


def test_the_strip_selects_several_pages_and_each_command_acts_on_them_as_one_step(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    """Ctrl+click, Shift+click, Shift+↓ and Ctrl+A select pages; rotate, delete, move
    (Ctrl+Shift+←/→) and split act on the selection, each one step to undo (issue 13,
    Pages: 'a selection model')."""
    from store import views

    doc_id, work, strip, ids = _open_strip(store, window, qtbot, "Lô chọn")
    assert len(ids) == 3
    idle(qtbot, window)
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

    def click(row: int, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        strip.scrollToItem(strip.item(row))
        qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, mods,
                         strip.visualItemRect(strip.item(row)).center())

    click(1)
    qtbot.waitUntil(lambda: work.page_id == ids[1], timeout=WAIT)
    click(2, shift)
    assert strip.selected_ids() == ids[1:]
    click(0, ctrl)
    assert strip.selected_ids() == ids
    click(0, ctrl)  # again: out of the selection
    assert strip.selected_ids() == ids[1:]
    strip.setFocus()
    click(0)
    qtbot.keyClick(strip, Qt.Key.Key_Down, shift)
    assert strip.selected_ids() == ids[:2]
    click(2)
    qtbot.keyClick(strip, Qt.Key.Key_A, ctrl)
    assert strip.selected_ids() == ids
    idle(qtbot, window)

    click(0)
    click(1, shift)  # pages 1 and 2
    stack = work.undo_stack
    steps = stack.index()
    qtbot.keyClick(strip, Qt.Key.Key_Right, CTRL_SHIFT)  # the block one place later
    qtbot.waitUntil(lambda: _order(store, doc_id) == [ids[2], ids[0], ids[1]], timeout=WAIT)
    idle(qtbot, window)
    assert stack.index() == steps + 1 and strip.selected_ids() == ids[:2]  # still selected
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _order(store, doc_id) == ids, timeout=WAIT)
    idle(qtbot, window)

    click(1)
    click(2, shift)  # pages 2 and 3 from here on
    qtbot.keyClick(strip, Qt.Key.Key_Left, CTRL_SHIFT)  # the block one place earlier
    qtbot.waitUntil(lambda: _order(store, doc_id) == [ids[1], ids[2], ids[0]], timeout=WAIT)
    idle(qtbot, window)
    assert stack.index() == steps + 1
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _order(store, doc_id) == ids, timeout=WAIT)
    idle(qtbot, window)
    assert strip.selected_ids() == ids[1:]

    work.actions_["rotate_right"].trigger()
    qtbot.waitUntil(lambda: _rotations(store, doc_id) == [0, 90, 90], timeout=WAIT)
    qtbot.waitUntil(lambda: work._reading is None and not work._reread_next, timeout=WAIT)
    idle(qtbot, window)
    assert stack.index() == steps + 1
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _rotations(store, doc_id) == [0, 0, 0], timeout=WAIT)
    qtbot.waitUntil(lambda: work._reading is None and not work._reread_next, timeout=WAIT)
    idle(qtbot, window)

    work.actions_["delete_page"].trigger()
    qtbot.waitUntil(lambda: _deleted(store, doc_id) == [False, True, True], timeout=WAIT)
    idle(qtbot, window)
    assert stack.index() == steps + 1 and work.actions_["restore_page"].isEnabled()
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _deleted(store, doc_id) == [False] * 3, timeout=WAIT)
    idle(qtbot, window)

    work.show_page(ids[2])  # the page shown is not the first selected: split at the first
    idle(qtbot, window)
    click(1)
    click(2, shift)
    idle(qtbot, window)
    work.actions_["split"].trigger()  # before the first selected page
    idle(qtbot, window)
    assert stack.index() == steps + 1
    assert _order(store, doc_id) == ids[:1]
    dossier = views.place_of(store.login("lan"), doc_id).dossier_id
    new = [r.id for r in views.documents_of(store.login("lan"), dossier) if r.id != doc_id]
    assert len(new) == 1 and _order(store, new[0]) == ids[1:]
    work.actions_["undo"].trigger()
    idle(qtbot, window)
    assert _order(store, doc_id) == ids


def test_block_moves_and_whole_orders_in_the_core(store: StoreFixture) -> None:
    """The core behind the strip: a block (even one with gaps) moves as one, a new order must
    name every page once, and a command's pages must be of one document."""
    import pytest

    from capture import pages
    from store.errors import BadInput

    assert pages.block_moved([1, 2, 3, 4, 5], {2, 4}, -1) == [2, 4, 1, 3, 5]
    assert pages.block_moved([1, 2, 3, 4, 5], {2, 4}, 1) == [1, 3, 5, 2, 4]  # ends 1 later
    assert pages.block_moved([1, 2, 3], {1}, -1) == [1, 2, 3]
    assert pages.block_moved([1, 2, 3], {3}, 1) == [1, 2, 3]
    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô lõi")
    other = make_pdf_document(lan, batch="Lô lõi", file_code="H29.P.02")
    ids = _order(store, doc_id)
    with pytest.raises(BadInput):
        pages.reorder_pages(lan, doc_id, ids[:2])
    with pytest.raises(BadInput):
        pages.set_pages_deleted(lan, [ids[0], _order(store, other)[0]], True)
    assert pages.reorder_pages(lan, doc_id, ids[::-1]) == ids
    assert _order(store, doc_id) == ids[::-1]
    assert pages.set_pages_deleted(lan, ids[:2], True) == ids[:2]
    assert pages.set_pages_deleted(lan, ids, True) == ids[2:]  # only those that changed


def test_a_tree_saved_folded_in_a_narrow_window_unfolds_when_it_reopens_wide(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    """The splitter is remembered between logins, but the window's width decides whether the
    tree folds: saved folded at 1280 px it came back folded at 1920 px when the saved sizes
    were applied after the screen was laid out (no resize followed to unfold it), and saved
    unfolded at 1920 px it came back unfolded at 1280 px. A tree unfolded by hand (F9) in a
    narrow window stays unfolded there."""
    window.resize(1280, 720)
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    qtbot.waitUntil(lambda: work.splitter.sizes()[0] == 0, timeout=WAIT)  # folded
    window.logout()  # the layout is saved
    folded = window.ctx.qsettings.value("work/splitter")
    window.resize(1920, 1080)
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    qtbot.waitUntil(lambda: work.splitter.width() > 1700, timeout=WAIT)
    idle(qtbot, window)
    assert work.splitter.sizes()[0] > 100  # the tree is back
    window.ctx.qsettings.setValue("work/splitter", folded)
    window._restore_splitter()  # saved sizes applied once the screen is laid out
    assert work.splitter.sizes()[0] > 100

    window.logout()  # saved unfolded, wide
    window.resize(1280, 720)
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    qtbot.waitUntil(lambda: work.splitter.width() < 1300, timeout=WAIT)
    idle(qtbot, window)
    assert work.splitter.sizes()[0] == 0  # folded: the page gets the width

    work.toggle_tree()  # F9: unfolded by hand in the narrow window
    window.logout()
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    idle(qtbot, window)
    assert work.splitter.sizes()[0] > 100  # the clerk's choice, at the same width


def test_a_drop_of_several_pages_is_one_reorder(store: StoreFixture, window: MainWindow,
                                                qtbot: Any) -> None:
    """A drop of a selection moves its rows one at a time (QListWidget's dropEvent): the
    strip says the new order once, so the store is written once and undo takes it back."""
    from PySide6.QtCore import QModelIndex

    doc_id, work, strip, ids = _open_strip(store, window, qtbot, "Lô kéo")
    idle(qtbot, window)
    steps = work.undo_stack.index()
    model = strip.model()
    model.moveRow(QModelIndex(), 0, QModelIndex(), 3)  # page 1 to the end...
    model.moveRow(QModelIndex(), 0, QModelIndex(), 3)  # ...then page 2 after it
    qtbot.waitUntil(lambda: _order(store, doc_id) == [ids[2], ids[0], ids[1]], timeout=WAIT)
    idle(qtbot, window)
    assert work.undo_stack.index() == steps + 1
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _order(store, doc_id) == ids, timeout=WAIT)


def test_a_refused_page_step_leaves_the_history_as_it_was(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    """A split at page 1 is refused before anything changes: the clerk is told, and the
    field edit and the rotation before it can still be undone (the history was dropped)."""
    from store import documents
    from tests.test_app import type_into

    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô từ chối", ordinal_pages=2)
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None and isinstance(window.ctx.prompts, base.ScriptedPrompts)
    prompts = window.ctx.prompts
    type_into(qtbot, work.form.editor("document", "code_number"), "12")
    idle(qtbot, window)
    work.actions_["rotate_right"].trigger()
    idle(qtbot, window)
    ids = _order(store, doc_id)
    before = [work.undo_stack.text(i) for i in range(work.undo_stack.count())]
    assert len(before) == 2
    work.thumbs.setFocus()
    work.thumbs.setCurrentRow(0)
    qtbot.keyClick(work.thumbs, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(prompts.errors) == 1, timeout=WAIT)
    idle(qtbot, window)
    assert [work.undo_stack.text(i) for i in range(work.undo_stack.count())] == before
    assert work.undo_stack.index() == 2 and work.actions_["undo"].isEnabled()
    assert _order(store, doc_id) == ids  # nothing changed
    work.actions_["undo"].trigger()  # the rotation
    idle(qtbot, window)
    work.actions_["undo"].trigger()  # the number
    qtbot.waitUntil(lambda: documents.get_document(
        lan, doc_id, audit_open=False).metadata.get("code_number") is None, timeout=WAIT)
    assert _rotations(store, doc_id) == [0, 0]
