"""The form says why capture doubts a field (extract.metadata's review reasons), empty or not."""

from __future__ import annotations

from typing import Any

from app.window import MainWindow
from store import batches, documents
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import ScriptedPrompts, _open, login
from tests.test_app_fields import _png

translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def test_a_handwritten_number_left_empty_is_tinted_with_its_reason(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts,
        qtbot: Any) -> None:
    lan = store.login("lan")
    batch = batches.get_or_create_batch(lan, "Lô viết tay")
    dossier = documents.add_dossier(lan, batch, "H29.2024.21", title="Hồ sơ viết tay")
    page = documents.PageInput(image=_png(), mime="image/png", dpi=100, ocr_status="done",
                               ocr_text="x", words=[])
    doc_id = documents.add_document(
        lan, dossier, [page], {"type_name": "Thông báo", "code_notation": "TB-UBND",
                               "signer_name": "Thu Nga"},
        extraction={"confidence": {"code_notation": 0.9, "signer_name": 0.5,
                                   "type_name": 0.95},
                    "review": {"code_number": "handwritten", "signer_name": "incomplete",
                               "subject": "missing"}})
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    assert window.work is not None
    form = window.work.form
    number = form.editor("document", "code_number")
    assert number.text() == "" and number.property("doubtful") is True
    assert "tay" in number.toolTip()  # "Viết tay trên giấy: …" (the app runs in Vietnamese)
    signer = form.editor("document", "signer_name")
    assert signer.property("doubtful") is True and "bổ sung" in signer.toolTip()
    assert form.editor("document", "type_name").property("doubtful") is False
    subject = form.editor("document", "subject")  # not found at all: said so, not "0 %"
    assert subject.property("doubtful") is True and "Không tìm thấy" in subject.toolTip()
