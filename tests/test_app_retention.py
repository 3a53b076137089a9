"""Retention codes in the form: with the meaning the site file's regulation gives each code,
or the code alone and a word that no regulation is named (issue 13 item 11: 'retention codes
shown with their meaning from the regulation the site file names (never invented)').

The meanings below are made up for the test and say so: the program ships none.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QLineEdit

from app.window import MainWindow
from store import documents, site
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, _open_plain, idle, login, type_into

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running

REGULATION = "Regulation named for this test"
MEANINGS = {"01": "test meaning one", "03": "test meaning three"}


def _retention_field(window: MainWindow) -> QLineEdit:
    assert window.work is not None
    edit = window.work.form.editor("dossier", "maintenance")
    assert isinstance(edit, QLineEdit)
    return edit


def _opened(qtbot: Any, window: MainWindow, doc_id: int) -> QLineEdit:
    assert window.work is not None
    window.work.opened = None  # open it afresh, as a click in the tree does
    _open_plain(qtbot, window, doc_id)
    idle(qtbot, window)
    return _retention_field(window)


def test_the_code_alone_and_a_word_when_the_site_file_names_no_regulation(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô hạn", "H29.2024.31")
    documents.update_dossier(lan, documents.get_document(lan, doc_id).dossier_id,
                             {"maintenance": "01"})
    login(qtbot, window, "lan")
    field = _opened(qtbot, window, doc_id)
    assert field.text() == "01"
    tip = field.toolTip()
    assert "no regulation" in tip or "không nêu văn bản quy định" in tip, tip
    completer = field.completer()
    assert completer is not None
    model = completer.model()
    assert isinstance(model, QStringListModel)
    assert model.stringList() == list(documents.MAINTENANCE_CODES)


def test_each_code_with_the_meaning_the_site_regulation_gives_it(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    admin = store.login("admin")
    site.set_value(admin, "retention_regulation", REGULATION)
    site.set_value(admin, "retention_codes", json.dumps(MEANINGS))
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô hạn", "H29.2024.32")
    dossier = documents.get_document(lan, doc_id).dossier_id
    documents.update_dossier(lan, dossier, {"maintenance": "01"})
    login(qtbot, window, "lan")
    field = _opened(qtbot, window, doc_id)
    assert field.text() == "01 — test meaning one"
    assert REGULATION in field.toolTip()
    completer = field.completer()
    assert completer is not None
    model = completer.model()
    assert isinstance(model, QStringListModel)
    items = model.stringList()
    assert "03 — test meaning three" in items and "02" in items  # no meaning: the code

    type_into(qtbot, field, "03", Qt.Key.Key_Return)  # the clerk types the code only
    qtbot.waitUntil(lambda: _stored(lan, dossier) == "03", timeout=WAIT)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: field.text() == "03 — test meaning three", timeout=WAIT)
    assert window.work is not None and not window.work.form.pending_problems()


def _stored(session: Any, dossier_id: int) -> str | None:
    row = session.conn.execute("SELECT maintenance FROM dossier WHERE id = ?",
                               (dossier_id,)).fetchone()
    return None if row is None else row[0]
