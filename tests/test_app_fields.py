"""Correcting by keyboard: undo from inside a field, a field's state, nothing lost silently,
and the quality gates before check, submit and approve."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.window import MainWindow
from store import audit, batches, documents
from store.session import Session
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, _open, idle, login, type_into

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

CTRL = Qt.KeyboardModifier.ControlModifier


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, format="PNG")
    return buf.getvalue()


def _doc(session: Session, batch: str, code: str, confidence: dict[str, float],
         **metadata: str | None) -> int:
    """A document as capture leaves it, with how sure it was of each field."""
    b = batches.get_or_create_batch(session, batch)
    found = documents.find_dossier(session, code)
    dossier = found[0] if found else documents.add_dossier(session, b, code,
                                                           title="Hồ sơ đọc sai")
    page = documents.PageInput(image=_png(), mime="image/png", dpi=100, ocr_status="done",
                               ocr_text="x", words=[])
    meta = {"type_name": "Quyết định", "issued_date": "2024-03-05",
            "organ_name": "UBND phường", "subject": "Về việc thử",
            "signer_name": "Trần Văn Đúc"} | metadata
    return documents.add_document(session, dossier, [page], meta,
                                  extraction={"confidence": confidence})


def _open_doc(qtbot: Any, w: MainWindow, doc_id: int) -> None:
    assert w.work is not None
    work = w.work
    work.open_document(doc_id)
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.id == doc_id,
                    timeout=WAIT)
    idle(qtbot, w)


def _value(store: StoreFixture, doc_id: int, name: str) -> str | None:
    return documents.get_document(store.login("lan"), doc_id,
                                  audit_open=False).metadata[name]


def test_ctrl_z_in_a_field_undoes_the_documents_last_change(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    first = _doc(lan, "Lô hoàn tác", "H29.2024.11", {})
    second = _doc(lan, "Lô hoàn tác", "H29.2024.12", {})
    login(qtbot, window, "lan")
    _open(qtbot, window, first)
    work = window.work
    assert work is not None
    number = work.form.editor("document", "code_number")
    type_into(qtbot, number, "45")  # Tab: saved, focus on the next field
    idle(qtbot, window)
    assert _value(store, first, "code_number") == "45"
    notation = work.form.editor("document", "code_notation")
    assert notation.hasFocus()
    qtbot.keyClick(notation, Qt.Key.Key_Z, CTRL)  # in a field: the document's history
    idle(qtbot, window)
    assert _value(store, first, "code_number") is None and number.text() == ""
    qtbot.keyClick(notation, Qt.Key.Key_Y, CTRL)
    idle(qtbot, window)
    assert _value(store, first, "code_number") == "45" and number.text() == "45"
    history = work.history.model()  # the history shown: opened, then the change
    assert history.rowCount() == 2 and "Số" in str(history.index(1, 0).data())

    # typed but not saved: Ctrl+Z puts the saved value back, the store is not touched
    number.setFocus()
    qtbot.keyClicks(number, "6")
    qtbot.keyClick(number, Qt.Key.Key_Z, CTRL)
    assert number.text() == "45"
    qtbot.keyClicks(number, "7")
    qtbot.keyClick(number, Qt.Key.Key_Escape)  # Esc too
    assert number.text() == "45"
    idle(qtbot, window)
    assert _value(store, first, "code_number") == "45"

    # each document has its own history: Ctrl+Z on another one does not reach back
    _open_doc(qtbot, window, second)
    assert not work.actions_["undo"].isEnabled()
    subject = work.form.editor("document", "subject")
    subject.setFocus()
    qtbot.keyClick(subject, Qt.Key.Key_Z, CTRL)
    idle(qtbot, window)
    assert _value(store, first, "code_number") == "45"
    _open_doc(qtbot, window, first)
    assert work.actions_["undo"].isEnabled()


def test_a_corrected_field_stays_untinted_and_dossier_fields_are_tinted(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = _doc(lan, "Lô tô màu", "H29.2024.13", {"signer_name": 0.4, "subject": 0.3,
                                                  "organ_name": 0.5})
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    form = work.form
    signer = form.editor("document", "signer_name")
    title = form.editor("dossier", "title")
    assert signer.property("doubtful") is True and "40%" in signer.toolTip()
    assert title.property("doubtful") is True  # from the first document's summary (30 %)
    type_into(qtbot, signer, "Trần Văn Đức", Qt.Key.Key_Return)
    type_into(qtbot, title, "Hồ sơ cấp phép xây dựng", Qt.Key.Key_Return)
    idle(qtbot, window)
    assert signer.property("doubtful") is False and signer.property("fieldstate") == "corrected"
    assert title.property("doubtful") is False
    assert form.editor("document", "organ_name").property("doubtful") is True

    # Ctrl+Enter (with required dossier fields empty: asked first), then opened again
    signer.setFocus()
    qtbot.keyClick(signer, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=WAIT)
    assert any("Thời hạn bảo quản" in q for q in prompts.asked)  # the empty required field
    work.open_document(doc_id)
    idle(qtbot, window)
    assert signer.property("doubtful") is False and signer.property("fieldstate") == "corrected"
    assert title.property("doubtful") is False and title.property("fieldstate") == "corrected"
    organ = form.editor("document", "organ_name")  # checked, never changed: confirmed
    assert organ.property("doubtful") is False and organ.property("fieldstate") == "confirmed"


def test_ctrl_enter_with_required_fields_empty_can_be_refused(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    doc_id = _doc(store.login("lan"), "Lô thiếu", "H29.2024.14", {}, subject=None)
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    prompts.confirms = False
    work.actions_["check"].trigger()
    idle(qtbot, window)
    assert prompts.asked and "Trích yếu" in prompts.asked[-1]
    assert not documents.get_document(store.login("lan"), doc_id, audit_open=False).checked
    assert work.form.editor("document", "subject").hasFocus()


def test_an_invalid_value_is_not_dropped_without_a_word(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    first = _doc(lan, "Lô sai ngày", "H29.2024.15", {})
    second = _doc(lan, "Lô sai ngày", "H29.2024.16", {})
    login(qtbot, window, "lan")
    _open(qtbot, window, first)
    work = window.work
    assert work is not None
    date = work.form.editor("document", "issued_date")
    type_into(qtbot, date, "31/02/2024")
    prompts.confirms = False
    work.open_document(second)  # as a click in the tree would
    idle(qtbot, window)
    assert work.opened is not None and work.opened.document.id == first
    assert "31/02/2024" in prompts.asked[-1] and date.text() == "31/02/2024"
    prompts.confirms = True
    work.open_document(second)
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.id == second,
                    timeout=WAIT)


def test_submit_and_approve_list_the_gaps_and_a_reason_is_kept(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    docs = [_doc(lan, "Lô cổng", "H29.2024.17", {"signer_name": 0.2}) for _ in range(3)]
    documents.set_checked(lan, docs[0], True)
    login(qtbot, window, "lan")
    _open(qtbot, window, docs[0])
    prompts.gate_answer = None  # the clerk goes back
    window.actions_["submit"].trigger()
    idle(qtbot, window)
    assert batches.get_batch(lan, "Lô cổng").state == "open"
    intro, rows = prompts.gates[-1]
    assert intro.startswith("2 trên 3 văn bản chưa kiểm tra")
    assert ["H29.2024.17", "—", "Thời hạn bảo quản", "Bắt buộc, đang trống"] in rows
    prompts.gate_answer = "Hai văn bản chờ bản gốc"
    window.actions_["submit"].trigger()
    idle(qtbot, window)
    assert batches.get_batch(lan, "Lô cổng").state == "submitted"
    note = audit.entries(lan.conn, action="batch.gaps")
    assert note and "Hai văn bản chờ bản gốc" in (note[0].detail or "")

    login(qtbot, window, "minh")
    review = window.review
    assert review is not None
    qtbot.waitUntil(lambda: len(review.rows) == 1, timeout=WAIT)
    cells = [review.table.item(0, c).text() for c in range(review.table.columnCount())]
    assert cells[4:8] == ["3", "1", "3", "2"]  # documents, checked, with gaps, tinted left
    assert "Hai văn bản chờ bản gốc" in review.note.text()
    prompts.gate_answer = None
    approve = window.findChild(QAction, "action-approve")
    approve.trigger()
    idle(qtbot, window)
    assert batches.get_batch(lan, "Lô cổng").state == "submitted"
    prompts.gate_answer = ""
    approve.trigger()
    idle(qtbot, window)
    assert batches.get_batch(lan, "Lô cổng").state == "approved"
    qtbot.waitUntil(lambda: not review.empty.isHidden() and review.table.isHidden(),
                    timeout=WAIT)


def test_a_clean_batch_is_submitted_with_a_plain_question(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô sạch", "H29.2024.18")
    place = documents.get_document(lan, doc_id, audit_open=False).dossier_id
    documents.update_dossier(lan, place, {"maintenance": "01"})
    documents.set_checked(lan, doc_id, True)
    login(qtbot, window, "lan")
    _open_doc(qtbot, window, doc_id)
    window.actions_["submit"].trigger()
    idle(qtbot, window)
    assert prompts.gates == [] and batches.get_batch(lan, "Lô sạch").state == "submitted"


def test_the_dossier_code_takes_the_year_of_the_corrected_date(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    agency = "000.00.00.H29"  # the test store's site
    doc_id = _doc(lan, "Lô năm", f"{agency}.2026.01", {}, issued_date=None)
    dossier = documents.get_document(lan, doc_id, audit_open=False).dossier_id
    login(qtbot, window, "lan")
    _open_doc(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    code = work.form.editor("dossier", "file_code")
    type_into(qtbot, work.form.editor("document", "issued_date"), "05/03/2024")
    qtbot.waitUntil(lambda: code.text() == f"{agency}.2024.01", timeout=WAIT)
    assert views_code(store, dossier) == f"{agency}.2024.01"
    work.undo()
    qtbot.waitUntil(lambda: code.text() == f"{agency}.2026.01", timeout=WAIT)
    assert views_code(store, dossier) == f"{agency}.2026.01"
    assert _value(store, doc_id, "issued_date") is None


def views_code(store: StoreFixture, dossier_id: int) -> str | None:
    from store import views

    return views.get_dossier(store.login("lan"), dossier_id).values["file_code"]


def test_typing_survives_a_page_read_again_and_ctrl_r_in_the_field(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    """A field never silently reverts: text typed (no Tab yet) while a rotated page is read
    again, or typed and then Ctrl+R pressed in the field, is still in the editor when the
    document is read back, unsaved until Tab saves it."""
    from tests.test_app import type_text
    from tests.test_store_pages import make_pdf_document

    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô gõ", ordinal_pages=2)
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None

    def saved(name: str) -> str | None:
        return documents.get_document(lan, doc_id, audit_open=False).metadata.get(name)

    work.actions_["rotate_right"].trigger()
    qtbot.waitUntil(lambda: work._reading is not None, timeout=WAIT)
    subject = work.form.editor("document", "subject")
    subject.setFocus()
    type_text(subject, "Về việc gõ trong lúc đọc lại")
    assert work._reading is not None  # typed while the page is being read again
    qtbot.waitUntil(lambda: work._reading is None, timeout=WAIT)
    idle(qtbot, window)
    qtbot.wait(200)
    idle(qtbot, window)
    assert subject.text() == "Về việc gõ trong lúc đọc lại"
    assert saved("subject") is None  # not saved for the clerk: Tab does that
    qtbot.keyClick(subject, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: saved("subject") == "Về việc gõ trong lúc đọc lại", timeout=WAIT)

    organ = work.form.editor("document", "organ_name")
    organ.setFocus()
    qtbot.keyClick(organ, Qt.Key.Key_A, CTRL)
    type_text(organ, "UBND phường Bến Nghé")
    qtbot.keyClick(organ, Qt.Key.Key_R, CTRL)  # rotate from inside the field
    qtbot.waitUntil(lambda: work._reading is None and work.undo_stack.count() == 3,
                    timeout=WAIT)
    idle(qtbot, window)
    qtbot.wait(200)
    idle(qtbot, window)
    assert organ.text() == "UBND phường Bến Nghé"
    qtbot.keyClick(organ, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: saved("organ_name") == "UBND phường Bến Nghé", timeout=WAIT)


def test_a_field_undone_to_what_capture_read_is_no_longer_corrected(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    """Corrected, then undone back to the value read: the field says what capture read
    (its doubt tinted again), not "Corrected by hand", now and when opened again."""
    lan = store.login("lan")
    doc_id = _doc(lan, "Lô hoàn tác tô", "H29.2024.21", {"signer_name": 0.4},
                  signer_name="Trần Văn Đúc")
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    signer = work.form.editor("document", "signer_name")
    read_tip = signer.toolTip()
    assert signer.property("fieldstate") == "read" and "40%" in read_tip
    type_into(qtbot, signer, "Trần Văn Đức")
    idle(qtbot, window)
    assert signer.property("fieldstate") == "corrected"
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: _value(store, doc_id, "signer_name") == "Trần Văn Đúc",
                    timeout=WAIT)
    idle(qtbot, window)
    assert signer.text() == "Trần Văn Đúc"
    assert signer.property("fieldstate") == "read" and signer.toolTip() == read_tip
    work.actions_["redo"].trigger()
    idle(qtbot, window)
    assert signer.property("fieldstate") == "corrected"
    work.actions_["undo"].trigger()
    idle(qtbot, window)
    work.open_document(doc_id)
    idle(qtbot, window)
    assert signer.property("fieldstate") == "read" and signer.property("doubtful") is True
