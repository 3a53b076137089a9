"""The admin's screens against the real store and a real warehouse on 127.0.0.1: enrolment
and backup from the UI (in their own thread, with the CLI's errors in Vietnamese), health
that checks the warehouse, site settings that save what is valid and keep what is not."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QSpinBox, QWidget

from app.window import MainWindow
from store import outbox, site
from store.site import MAX_IDLE_LOCK_MINUTES
from sync import station
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import WAIT, ScriptedPrompts, idle, login
from tests.test_sync_support import Warehouse, running_warehouse
from tests.test_warehouse_support import token

translated, window = base.translated, base.window
no_thread_left_running = base.no_thread_left_running


class AdminPrompts(ScriptedPrompts):
    """ScriptedPrompts that also answer the enrolment dialog and the folder chooser."""

    def __init__(self) -> None:
        super().__init__()
        self.enrols: list[tuple[str, str]] = []
        self.folder: str | None = None

    def enrol(self, parent: QWidget | None, url: str = "") -> tuple[str, str] | None:
        self.asked.append(f"enrol: {url}")
        return self.enrols.pop(0) if self.enrols else None

    def open_folder(self, parent: QWidget | None, title: str) -> str | None:
        self.asked.append(f"folder: {title}")
        return self.folder


@pytest.fixture
def prompts() -> AdminPrompts:
    return AdminPrompts()


def _tab(qtbot: Any, w: MainWindow, index: int) -> Any:
    login(qtbot, w, "admin")
    admin = w.admin_page
    assert admin is not None
    w.show_page(admin)
    admin.tabs.setCurrentIndex(index)
    idle(qtbot, w)
    return admin


def test_the_admin_enrols_the_station_and_a_refused_token_is_asked_again(
        store: StoreFixture, window: MainWindow, prompts: AdminPrompts, qtbot: Any,
        tmp_path: Path) -> None:
    with running_warehouse(tmp_path / "wh") as house:
        admin = _tab(qtbot, window, 3)
        tab = admin.warehouse
        assert "Chưa đăng ký" in tab.state.text()
        prompts.enrols = [(house.url, "khong-phai-ma-that-1234"), (house.url, token(house))]
        tab.enrol_button.click()
        assert tab.progress.isVisible() and not tab.enrol_button.isEnabled()
        qtbot.waitUntil(lambda: "Đã đăng ký là máy trạm" in tab.state.text(), timeout=WAIT)
        assert prompts.errors and "từ chối mã" in prompts.errors[0]
        assert prompts.asked.count(f"enrol: {house.url}") == 1  # asked again, address kept
        credential = outbox.load_credential(store.login("admin"))
        assert credential is not None and credential.warehouse_url == house.url
        assert tab.enrol_button.isEnabled() and not tab.progress.isVisible()


def test_a_backup_goes_to_the_chosen_folder_and_a_bad_one_is_said_in_words(
        store: StoreFixture, window: MainWindow, prompts: AdminPrompts, qtbot: Any,
        tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    prompts.folder = str(usb)
    admin = _tab(qtbot, window, 3)
    tab = admin.warehouse
    for n in (1, 2):
        tab.backup_button.click()
        assert tab.progress.isVisible() and not tab.backup_button.isEnabled()
        qtbot.waitUntil(lambda n=n: len(prompts.infos) == n, timeout=60_000)
        assert "Đã ghi bản sao lưu" in prompts.infos[-1]
    made = sorted(p.name for p in usb.iterdir())
    assert len(made) == 2 and made[0].endswith("-2.sohoa")  # never over an earlier one
    with tarfile.open(usb / made[1]) as tar:
        assert {"manifest.json", "keyring.json", "store.db"} <= set(tar.getnames())
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    prompts.folder = str(not_a_folder)
    tab.backup_button.click()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=60_000)
    assert "Chi tiết" in prompts.errors[-1] and "Traceback" not in prompts.errors[-1]
    assert tab.backup_button.isEnabled()


def test_health_checks_the_warehouse_with_a_progress_bar(
        store: StoreFixture, window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    house = Warehouse(tmp_path / "wh")
    house.start()
    try:
        station.enrol(store.login("admin"), house.url, token(house))
    finally:
        house.stop()
    admin = _tab(qtbot, window, 2)
    health = admin.health
    assert health.progress.isVisible()
    qtbot.waitUntil(lambda: not health.progress.isVisible(), timeout=60_000)
    rows = {health.table.item(r, 0).text(): (health.table.item(r, 1).text(),
                                             health.table.item(r, 2).text())
            for r in range(health.table.rowCount())}
    assert rows["Đã đăng ký với kho dữ liệu"][0] == "✓"
    assert rows["Kết nối tới kho dữ liệu"] == ("✗", f"không kết nối được {house.url}")
    assert rows["Chứng chỉ TLS của kho dữ liệu"][0] == "✓"  # loopback http: no TLS to trust
    assert rows["Xác nhận gần nhất của kho"] == ("✓", "chưa có")
    assert "Tesseract OCR" in rows  # the station's own checks are still there


def test_a_refused_site_setting_keeps_its_text_and_the_others_are_saved(
        store: StoreFixture, window: MainWindow, prompts: AdminPrompts, qtbot: Any) -> None:
    admin = _tab(qtbot, window, 1)
    edits = admin.site.edits
    qtbot.waitUntil(lambda: edits["agency_code"].text() != "", timeout=WAIT)
    spin = edits["idle_lock_minutes"]
    assert isinstance(spin, QSpinBox) and spin.maximum() == MAX_IDLE_LOCK_MINUTES
    edits["agency_code"].setText("sai mã")
    spin.setValue(7)  # after agency_code in the form: once lost with it
    admin.site.save()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    idle(qtbot, window)
    assert edits["agency_code"].text() == "sai mã" and spin.value() == 7
    assert site.load(store.login("admin").conn).idle_lock_minutes == 7
    qtbot.waitUntil(lambda: window.idle.seconds == 7 * 60, timeout=WAIT)  # at once


def test_a_weak_password_is_refused_in_the_dialog_before_anything_is_sent(
        window: MainWindow, qtbot: Any) -> None:
    from app.prompts import NewUserDialog

    dialog = NewUserDialog(window, [("Văn thư", "clerk")], "", "clerk")
    dialog.show()
    qtbot.keyClicks(dialog.name, "thuy")
    for weak, said in (("12345678", "đoán"), ("aaaaaaaaaa", "quá đơn giản"),
                       ("thuy", "ít nhất"), ("THUY1234", "")):
        dialog.password.setText(weak)
        dialog.again.setText(weak)
        assert dialog.add.isEnabled() == (said == ""), weak
        assert said in dialog.problem.text()
    dialog.password.setText("thuythuy")
    dialog.name.setText("thuythuy")
    assert not dialog.add.isEnabled() and "tên người dùng" in dialog.problem.text()
    assert dialog.name.text() == "thuythuy"  # nothing typed is lost
    dialog.close()


def _site_file(folder: Path, url: str, token_: str) -> Path:
    path = folder / "site.toml"
    path.write_text(f'ward_name = "Phường Bến Nghé"\nagency_code = "000.00.12.H29"\n'
                    f'warehouse_url = "{url}"\nenrolment_token = "{token_}"\n', encoding="utf-8")
    return path


def test_the_admins_login_enrols_from_the_site_file_or_says_it_is_pending(
        store: StoreFixture, window: MainWindow, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from store import sitefile

    house = Warehouse(tmp_path / "wh")
    down = _site_file(tmp_path, house.url, "a" * 8 + "-one-time-token")  # nobody answers yet
    monkeypatch.setattr(sitefile, "default_site_file", lambda: down)  # not /etc/sohoa
    admin = _tab(qtbot, window, 3)
    qtbot.waitUntil(lambda: "không kết nối được kho" in admin.warehouse.state.text(),
                    timeout=WAIT)  # pending, and said why: not "not enrolled" alone
    house.start()
    try:
        up = _site_file(tmp_path, house.url, token(house))
        monkeypatch.setattr(sitefile, "default_site_file", lambda: up)
        window.logout()
        admin = _tab(qtbot, window, 3)  # the next admin login tries again, with sync's enrolment
        qtbot.waitUntil(lambda: "Đã đăng ký là máy trạm" in admin.warehouse.state.text(),
                        timeout=WAIT)
    finally:
        house.stop()


def test_disabling_a_user_says_when_the_rekey_must_wait(
        window: MainWindow, qtbot: Any, store: StoreFixture, prompts: AdminPrompts) -> None:
    """With another program on the store the re-key waits, and an old key file still opens
    it until then: the admin is told, as the CLI tells her (the screen said nothing)."""
    from store.session import open_session
    from tests.conftest import PASSWORDS

    admin = _tab(qtbot, window, 0)
    users_tab = admin.users
    row = next(i for i, u in enumerate(users_tab.rows) if u.name == "lan")
    users_tab.table.setCurrentCell(row, 0)
    with open_session(store.settings, "hoa", PASSWORDS["hoa"]):
        users_tab.toggle()
        qtbot.waitUntil(lambda: bool(prompts.infos), timeout=WAIT)
    assert any("khóa" in t.lower() or "key" in t.lower() for t in prompts.infos), prompts.infos
