"""Smaller things a clerk meets all day: read-only said, Esc, clicked words, settings that
apply at once and are not lost, send-back without a reason, an empty queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.window import MainWindow
from store import batches, documents
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, _doc_with_words, _open, idle, login

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def _open_doc(qtbot: Any, w: MainWindow, doc_id: int) -> None:
    assert w.work is not None
    work = w.work
    work.open_document(doc_id)
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.id == doc_id,
                    timeout=WAIT)
    idle(qtbot, w)


def test_a_submitted_document_says_it_is_read_only(store: StoreFixture, window: MainWindow,
                                                    qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô đã nộp", "H29.2024.41")
    batches.submit(lan, "Lô đã nộp")
    login(qtbot, window, "lan")
    _open_doc(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    assert "Chỉ xem" in work.form.status.text() and "Chờ duyệt" in work.form.status.text()
    assert "Ctrl+Enter" not in work.form.status.text()
    assert work.form.editor("document", "subject").isReadOnly()
    assert not work.actions_["undo"].isEnabled() and not work.actions_["check"].isEnabled()


def test_esc_empties_the_search_and_a_clicked_word_replaces_a_full_field(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = _doc_with_words(lan)
    documents.update_document(lan, doc_id, {"signer_name": "Tên đọc sai"})
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    work.search.setFocus()
    qtbot.keyClicks(work.search, "nguyen")
    qtbot.keyClick(work.search, Qt.Key.Key_Escape)
    assert work.search.text() == "" and work.left_stack.currentWidget() is work.tree
    signer = work.form.editor("document", "signer_name")
    signer.setFocus()
    work.viewer.click_word(2)
    assert signer.text() == "Nguyễn"  # replaced, not "Tên đọc sai Nguyễn"
    work.viewer.click_word(3)
    assert signer.text() == "Nguyễn Văn"


def test_site_settings_apply_at_once_and_a_bad_one_loses_nothing(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    login(qtbot, window, "admin")
    admin = window.admin_page
    assert admin is not None
    window.show_page(admin)
    admin.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: admin.site.edits["agency_code"].text() != "", timeout=WAIT)
    admin.site.edits["idle_lock_minutes"].setValue(7)  # type: ignore[union-attr]
    admin.site.save()
    qtbot.waitUntil(lambda: window.idle.seconds == 7 * 60, timeout=WAIT)  # no new login
    admin.site.edits["ward_name"].setText("Phường Đa Kao")  # type: ignore[union-attr]
    admin.site.edits["agency_code"].setText("sai mã")  # type: ignore[union-attr]
    admin.site.save()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    idle(qtbot, window)
    assert admin.site.edits["agency_code"].text() == "sai mã"  # type: ignore[union-attr]
    assert admin.site.edits["ward_name"].text() == "Phường Đa Kao"  # type: ignore[union-attr]


def test_send_back_needs_a_reason_and_an_empty_queue_says_so(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "Lô trả", "H29.2024.42")
    batches.submit(lan, "Lô trả")
    login(qtbot, window, "minh")
    review = window.review
    assert review is not None
    qtbot.waitUntil(lambda: len(review.rows) == 1, timeout=WAIT)
    prompts.texts.append("   ")
    review.reject_action.trigger()
    idle(qtbot, window)
    assert prompts.errors and "lý do" in prompts.errors[-1]
    assert batches.get_batch(lan, "Lô trả").state == "submitted"
    prompts.texts.append("Thiếu trang")
    review.reject_action.trigger()
    qtbot.waitUntil(lambda: not review.empty.isHidden(), timeout=WAIT)
    assert "Không có lô nào" in review.empty.text()


def test_site_form_chooses_the_language_browses_for_the_ca_and_health_shows_progress(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts, qtbot: Any,
        tmp_path: Any) -> None:
    from PySide6.QtWidgets import QComboBox, QPushButton

    login(qtbot, window, "admin")
    admin = window.admin_page
    assert admin is not None
    window.show_page(admin)
    admin.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: admin.site.edits["agency_code"].text() != "", timeout=WAIT)
    language = admin.site.edits["language"]
    assert isinstance(language, QComboBox) and language.currentData() == "vi"
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    prompts.files = [str(ca)]
    browse = admin.findChild(QPushButton, "site-ca-browse")
    assert browse is not None
    browse.click()
    assert admin.site.edits["ca_bundle"].text() == str(ca)  # type: ignore[union-attr]
    admin.tabs.setCurrentIndex(2)
    assert admin.health.progress.isVisible()  # checking: said at once, not a blank table
    qtbot.waitUntil(lambda: admin.health.table.rowCount() >= 6, timeout=60_000)
    assert not admin.health.progress.isVisible()


def test_a_new_user_is_one_dialog_that_checks_as_you_type(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    from app.prompts import NewUserDialog

    dialog = NewUserDialog(window, [("Văn thư", "clerk"), ("Giám sát", "supervisor")], "", "clerk")
    dialog.show()
    qtbot.keyClicks(dialog.name, "thu")
    dialog.role.setCurrentIndex(1)
    qtbot.keyClicks(dialog.password, "ngan")
    assert not dialog.add.isEnabled() and "ít nhất 8" in dialog.problem.text()
    qtbot.keyClicks(dialog.password, "-mat-khau")
    qtbot.keyClicks(dialog.again, "ngan-mat-khau")
    assert dialog.add.isEnabled() and dialog.answer() == ("thu", "supervisor", "ngan-mat-khau")
    dialog.close()

    login(qtbot, window, "admin")
    admin = window.admin_page
    assert admin is not None
    prompts.new_users.append(("lan", "clerk", "mat-khau-moi"))  # taken: asked again
    admin.users.add_user()
    qtbot.waitUntil(lambda: "new user: lan clerk" in prompts.asked, timeout=WAIT)
    assert prompts.errors and "lan" in prompts.errors[-1]


def test_the_supervisor_pauses_resumes_and_retries_sync(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    from store import outbox, review

    lan = store.login("lan")
    add_sample_document(lan, "Lô gửi", "H29.2024.51")
    batches.submit(lan, "Lô gửi")
    minh = store.login("minh")
    review.approve_and_queue(minh, "Lô gửi")
    item = outbox.list_items(minh)[0]
    outbox.fail(minh, item, "warehouse said 503", next_try=None)
    login(qtbot, window, "minh")
    page = window.sync_page
    assert page is not None
    window.show_page(page)
    qtbot.waitUntil(lambda: page.retry_button.isEnabled(), timeout=WAIT)
    page.retry_button.click()
    qtbot.waitUntil(lambda: not page.retry_button.isEnabled(), timeout=WAIT)
    assert outbox.list_items(store.login("minh"))[0].state != "failed"
    page.pause_button.click()
    qtbot.waitUntil(lambda: "Tiếp tục" in page.pause_button.text(), timeout=WAIT)
    assert outbox.load_controls(store.login("minh").conn).paused
    page.pause_button.click()
    qtbot.waitUntil(lambda: "Tạm dừng" in page.pause_button.text(), timeout=WAIT)
    assert not outbox.load_controls(store.login("minh").conn).paused
