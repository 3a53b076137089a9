"""The GUI shows core errors in Vietnamese, with their specifics filled in (issue 13, item 8).

The errors come from the real store, site-settings, user and file-reading code;
the GUI's own error path (``show_error``) words them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app import i18n
from app.context import AppContext
from app.coremsg import translate_detail
from app.syncpage import sync_error_text
from app.ui import show_error
from app.window import MainWindow
from scanning import sources
from scanning.settings import ScanSettings
from store import batches, site, users
from store.errors import SohoaError
from store.messages_vi import WORDS
from store.roles import Role
from tests import test_app as base
from tests.conftest import StoreFixture, add_sample_document
from tests.test_app import WAIT, ScriptedPrompts, login

translated, prompts, window = base.translated, base.prompts, base.window


def _shown(tmp_path: Path, exc: SohoaError) -> str:
    prompts = ScriptedPrompts()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(store=None, qsettings=settings,  # type: ignore[arg-type]
                     prompts=prompts, log_dir=tmp_path / "log")
    show_error(ctx, None, exc)
    assert len(prompts.errors) == 1
    return prompts.errors[0]


def _raised(call: object, *args: object) -> SohoaError:
    with pytest.raises(SohoaError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


def test_real_core_errors_are_shown_in_vietnamese(store: StoreFixture, tmp_path: Path,
                                                  translated: QApplication) -> None:
    lan, admin = store.login("lan"), store.login("admin")
    add_sample_document(lan, "Lô 2024-03")
    batches.submit(lan, "Lô 2024-03")
    submitted = _raised(batches.submit, lan, "Lô 2024-03")
    assert _shown(tmp_path, submitted).endswith(
        "Lô “Lô 2024-03” đang ở trạng thái “Chờ duyệt” nên không thể thay đổi nữa.")
    short = _raised(users.add_user, admin, "tuan", Role.CLERK, "ngan")
    assert "Mật khẩu cần ít nhất 8 ký tự." in _shown(tmp_path, short)
    http = _raised(site.set_value, admin, "warehouse_url", "kho.example.vn")
    assert ("Địa chỉ kho dữ liệu thành phố (warehouse_url) phải bắt đầu bằng https:// "
            "(đã nhập: “kho.example.vn”).") in _shown(tmp_path, http)
    empty = tmp_path / "trang.png"
    empty.write_bytes(b"")
    unreadable = _raised(lambda: list(sources.iter_pages(empty, ScanSettings())))
    assert f"{empty}: tệp trống (0 byte)" in _shown(tmp_path, unreadable)
    for exc in (submitted, short, http, unreadable):
        assert exc.code and str(exc) in (  # the English is kept for logs and the CLI
            "Batch 'Lô 2024-03' is submitted and can no longer be changed.",
            "A password needs at least 8 characters.",
            "warehouse_url must be an https:// address (got 'kho.example.vn').",
            f"{empty}: the file is empty (0 bytes)")


def test_english_mode_shows_the_english_and_text_is_reworded(
        store: StoreFixture, tmp_path: Path, translated: QApplication) -> None:
    lan = store.login("lan")
    missing = _raised(batches.get_batch, lan, "Lô 9")
    # a capture outcome carries the sentence as text: it is matched back to its code
    assert translate_detail(str(missing)) == "Không có lô nào tên “Lô 9” mà bạn được xem."
    resources = AppContext(store=None, qsettings=QSettings()).i18n  # type: ignore[arg-type]
    i18n.switch(translated, resources, "en")
    try:
        assert _shown(tmp_path, missing).endswith(
            "There is no batch named 'Lô 9' that you can see.")
        assert translate_detail(str(missing)) is None
    finally:
        i18n.switch(translated, resources, "vi")


def test_store_words_are_the_words_on_screen(translated: QApplication) -> None:
    """A batch state or a field inside a core sentence reads as it does on the screens."""
    assert WORDS["field"] == i18n.field_labels()
    assert WORDS["state"] == {s: i18n.batch_state_label(s) for s in WORDS["state"]}
    assert {r: i18n.role_label(r) for r in WORDS["role"]} == {
        r: w[:1].upper() + w[1:] for r, w in WORDS["role"].items()}


def test_the_window_says_why_a_batch_cannot_be_submitted(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts, qtbot: Any) -> None:
    """Through the window: the batch was submitted meanwhile (from another desk)."""
    lan = store.login("lan")
    add_sample_document(lan, "Lô 2024-03")
    login(qtbot, window, "lan")
    assert window.work is not None
    qtbot.waitUntil(lambda: "Lô 2024-03" in window.work.tree.batch_names(), timeout=WAIT)
    window.work.tree.select_batch(batches.get_batch(lan, "Lô 2024-03").id)
    assert window.work.current_batch_name() == "Lô 2024-03"
    batches.submit(lan, "Lô 2024-03")  # the other desk
    window.actions_["submit"].trigger()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    assert prompts.errors[-1].endswith(
        "Lô “Lô 2024-03” đang ở trạng thái “Chờ duyệt” nên không thể thay đổi nữa."), prompts.errors


def test_the_sync_dashboard_words_any_core_sentence(translated: QApplication) -> None:
    """An outbox row keeps its last error as English text; the dashboard words it."""
    assert sync_error_text("Dossier H29.2024.07 has no documents to send.") == (
        "Hồ sơ H29.2024.07 không có văn bản nào để gửi.")
    assert sync_error_text("Nobody catalogued this.") == "Nobody catalogued this."
