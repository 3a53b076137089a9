"""The audit filter reads as the clerk types (no diacritics), and CSV exports write dates as
the screens show them in Vietnamese (dd/mm/yyyy)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from app.window import MainWindow
from store import batches, documents
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, idle, login

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_the_audit_filter_needs_no_diacritics(store: StoreFixture, window: MainWindow,
                                              qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô nhật ký")
    documents.update_document(lan, doc_id, {"subject": "Về việc cấp phép xây dựng"})
    batches.submit(lan, "Lô nhật ký")
    batches.approve(store.login("minh"), "Lô nhật ký")
    login(qtbot, window, "minh")
    page = window.audit_page
    assert page is not None
    window.show_page(page)
    qtbot.waitUntil(lambda: page.action.count() > 1, timeout=WAIT)

    def shown() -> list[list[str]]:
        return [[page.table.item(r, c).text() for c in range(page.table.columnCount())]
                for r in range(page.table.rowCount())]

    page.text.setText("duyet lo")  # actions as the screen words them: "(Gửi) duyệt lô"
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT)
    assert {row[2] for row in shown()} == {"Duyệt lô", "Gửi duyệt lô"}
    page.text.setText("XAY DUNG")  # a value, blind to case and marks
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    assert any("xây dựng" in cell for cell in shown()[0])
    page.text.setText("trich yeu")  # a field by its label ("Trích yếu nội dung")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    page.text.setText("không có ở đâu")
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=WAIT)


def test_csv_exports_write_dates_dd_mm_yyyy(store: StoreFixture, window: MainWindow,
                                            prompts: ScriptedPrompts, qtbot: Any,
                                            tmp_path: Path) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "Lô xuất")  # issued 2024-03-05
    out = tmp_path / "danh-sach.csv"
    prompts.save_file = lambda *_a, **_k: str(out)  # type: ignore[method-assign]
    login(qtbot, window, "lan")
    window.actions_["export"].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT)
    idle(qtbot, window)
    rows = _rows(out)
    assert "05/03/2024" in rows[1] and "2024-03-05" not in rows[1]

    audit_out = tmp_path / "nhat-ky.csv"
    prompts.save_file = lambda *_a, **_k: str(audit_out)  # type: ignore[method-assign]
    login(qtbot, window, "minh")
    page = window.audit_page
    assert page is not None
    window.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=WAIT)
    page.export()
    qtbot.waitUntil(audit_out.exists, timeout=WAIT)
    idle(qtbot, window)
    times = [r[1] for r in _rows(audit_out)[1:]]
    assert times and all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", t) for t in times), times
