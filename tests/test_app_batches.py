"""Renaming and deleting a batch from the tree: F2, Del, the context menu, and what is refused."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.window import MainWindow
from store import batches
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, idle, login

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def _choose(qtbot: Any, w: MainWindow, name: str) -> None:
    """Click the batch's row in the tree and leave the focus there."""
    work = w.work
    assert work is not None
    tree = work.tree
    qtbot.waitUntil(lambda: name in tree.batch_names(), timeout=WAIT)
    for row in range(tree.model_.rowCount()):
        item = tree.model_.item(row)
        if item is not None and item.text().startswith(name + " —"):
            tree.setCurrentIndex(item.index())
    chosen = tree.current_batch()
    assert chosen is not None and chosen.name == name
    tree.setFocus()


def test_f2_renames_and_del_deletes_the_batch_chosen_in_the_tree(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts, qtbot: Any) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "/home/lan/scan", "H29.2024.61")
    batches.create_batch(lan, "Lô trống")
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    tree = work.tree
    rename, delete = window.actions_["rename_batch"], window.actions_["delete_batch"]
    assert rename in tree.actions() and delete in tree.actions()  # the context menu
    assert tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu

    _choose(qtbot, window, "/home/lan/scan")
    prompts.texts.append("Lô tháng 3")
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "Lô tháng 3" in tree.batch_names(), timeout=WAIT)
    assert any(q.endswith("[/home/lan/scan]") for q in prompts.asked)  # the old name, to edit
    qtbot.waitUntil(lambda: tree.current_batch() is not None
                    and tree.current_batch().name == "Lô tháng 3", timeout=WAIT)

    _choose(qtbot, window, "Lô trống")
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "Lô trống" not in tree.batch_names(), timeout=WAIT)
    assert "trống" in prompts.asked[-1]

    _choose(qtbot, window, "Lô tháng 3")  # documents in it: said how many, asked first
    prompts.confirms = False
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    idle(qtbot, window)
    assert "1 văn bản" in prompts.asked[-1]
    assert batches.get_batch(store.login("lan"), "Lô tháng 3").documents == 1
    prompts.confirms = True
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tree.batch_names() == [], timeout=WAIT)
    assert batches.list_batches(store.login("lan")) == []


def test_del_in_a_field_deletes_a_letter_and_a_submitted_batch_stays(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts, qtbot: Any) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "Lô đã nộp", "H29.2024.62")
    batches.submit(lan, "Lô đã nộp")
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    work.search.setFocus()
    qtbot.keyClicks(work.search, "abc")
    qtbot.keyClick(work.search, Qt.Key.Key_Home)
    qtbot.keyClick(work.search, Qt.Key.Key_Delete)  # a letter, not the batch
    assert work.search.text() == "bc" and not prompts.asked
    qtbot.keyClick(work.search, Qt.Key.Key_Escape)
    work.thumbs.setFocus()
    qtbot.keyClick(work.thumbs, Qt.Key.Key_Delete)  # only the tree's Del deletes a batch
    idle(qtbot, window)
    assert not prompts.asked and not prompts.errors

    _choose(qtbot, window, "Lô đã nộp")
    qtbot.keyClick(work.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    assert "không thể thay đổi" in prompts.errors[-1]  # the store's reason, in Vietnamese
    assert batches.get_batch(store.login("lan"), "Lô đã nộp").state == "submitted"
    prompts.texts.append("Tên khác")
    qtbot.keyClick(work.tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: len(prompts.errors) == 2, timeout=WAIT)
    assert batches.get_batch(store.login("lan"), "Lô đã nộp").name == "Lô đã nộp"


def test_a_supervisor_has_no_rename_or_delete(store: StoreFixture, window: MainWindow,
                                              qtbot: Any) -> None:
    login(qtbot, window, "minh")
    assert "rename_batch" not in window.actions_ and "delete_batch" not in window.actions_
