"""The supervisor's sync dashboard against a real warehouse on 127.0.0.1: send now (in its
own thread), the link said as it is (enrolled but unreachable is not "not enrolled"), an
approved batch counted as waiting, pause holding sending back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.window import MainWindow
from store import batches, outbox
from sync import station
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import WAIT, ScriptedPrompts, idle, login
from tests.test_sync_support import Warehouse, approve, make_dossier
from tests.test_warehouse_support import code, token

translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def _sync_page(qtbot: Any, w: MainWindow) -> Any:
    login(qtbot, w, "minh")
    page = w.sync_page
    assert page is not None
    w.show_page(page)
    qtbot.waitUntil(lambda: page.link is not None, timeout=WAIT)
    return page


def test_an_approved_batch_waits_to_be_sent_and_not_enrolled_is_said(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    make_dossier(lan, "Lô duyệt ngoài", code(1), 1, seed=1)
    approve(lan, minh, "Lô duyệt ngoài")  # approved as `sohoa batch approve` does: not queued
    page = _sync_page(qtbot, window)
    qtbot.waitUntil(lambda: "Chờ gửi 1," in page.status.text(), timeout=WAIT)
    assert page.row_states()["Lô duyệt ngoài"] == ("approved", "waiting")
    assert "chưa đăng ký" in page.link_label.text()
    assert not page.send_button.isEnabled()  # nothing to send to


def test_send_now_sends_in_the_background_and_an_unreachable_warehouse_is_said(
        store: StoreFixture, window: MainWindow, prompts: ScriptedPrompts, qtbot: Any,
        tmp_path: Path) -> None:
    lan, minh, admin = store.login("lan"), store.login("minh"), store.login("admin")
    for n in (1, 2):
        make_dossier(lan, "Lô gửi", code(n), 1, seed=n)
    house = Warehouse(tmp_path / "wh")
    house.start()
    try:
        station.enrol(admin, house.url, token(house))
        batches.submit(lan, "Lô gửi")
        batches.approve(minh, "Lô gửi")
        page = _sync_page(qtbot, window)
        qtbot.waitUntil(lambda: "kết nối được" in page.link_label.text(), timeout=WAIT)
        assert "chưa đăng ký" not in page.link_label.text()
        qtbot.waitUntil(lambda: page.send_button.isEnabled(), timeout=WAIT)
        page.send_button.click()
        assert page.progress.isVisible() and not page.send_button.isEnabled()
        qtbot.waitUntil(lambda: not page.is_sending(), timeout=60_000)
        assert prompts.infos and prompts.infos[-1].startswith("2 "), prompts.infos
        assert {p["dossier"] for p in house.packages()} == {code(1), code(2)}
        qtbot.waitUntil(lambda: page.row_states()["Lô gửi"] == ("approved", "acknowledged"),
                        timeout=WAIT)
        make_dossier(lan, "Lô sau", code(3), 1, seed=3)
        approve(lan, minh, "Lô sau")
    finally:
        house.stop()
    page.refresh()
    page.probe()
    qtbot.waitUntil(lambda: "không kết nối được" in page.link_label.text(), timeout=WAIT)
    assert "chưa đăng ký" not in page.link_label.text()  # enrolled: only the link is down
    page.send_button.click()
    qtbot.waitUntil(lambda: not page.is_sending() and bool(prompts.errors), timeout=60_000)
    said = prompts.errors[-1]
    assert "không kết nối được" in said.lower() and "Traceback" not in said
    idle(qtbot, window)
    assert outbox.find_item(minh, code(3)).state == "waiting"  # nothing lost


def test_a_paused_station_does_not_send(
        store: StoreFixture, window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    admin, minh = store.login("admin"), store.login("minh")
    house = Warehouse(tmp_path / "wh")
    house.start()
    try:
        station.enrol(admin, house.url, token(house))
        outbox.set_control(minh, "paused", "1")
        page = _sync_page(qtbot, window)
        qtbot.waitUntil(lambda: "Tiếp tục" in page.pause_button.text(), timeout=WAIT)
        assert not page.send_button.isEnabled()
        page.pause_button.click()
        qtbot.waitUntil(lambda: page.send_button.isEnabled(), timeout=WAIT)
        idle(qtbot, window)
    finally:
        house.stop()


def test_a_dossiers_last_error_is_shown_in_words(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    make_dossier(lan, "Lô lỗi", code(1), 1, seed=1)
    approve(lan, minh, "Lô lỗi")
    outbox.queue_approved(minh)
    outbox.fail(minh, outbox.list_items(minh)[0],
                "The warehouse cannot be reached (ConnectionError).", next_try=None)
    page = _sync_page(qtbot, window)
    qtbot.waitUntil(lambda: page.batches.rowCount() == 1, timeout=WAIT)
    cells = [page.batches.item(0, c).text() for c in range(page.batches.columnCount())]
    assert "Không kết nối được kho dữ liệu (ConnectionError)." in cells


def test_closing_the_window_stops_a_run_at_once_and_it_resumes_later(
        store: StoreFixture, window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    import time

    lan, minh, admin = store.login("lan"), store.login("minh"), store.login("admin")
    make_dossier(lan, "Lô chậm", code(1), 4, seed=1, pages_per_doc=3)
    approve(lan, minh, "Lô chậm")
    outbox.set_control(minh, "bandwidth_kbps", "16")  # 2 kB/s: the upload takes minutes
    house = Warehouse(tmp_path / "wh")
    house.start()
    try:
        station.enrol(admin, house.url, token(house))
        page = _sync_page(qtbot, window)
        qtbot.waitUntil(lambda: page.send_button.isEnabled(), timeout=WAIT)
        page.send_button.click()
        qtbot.waitUntil(lambda: outbox.find_item(minh, code(1)).state == "uploading",
                        timeout=60_000)
        started = time.monotonic()
        window.close()
        assert time.monotonic() - started < 10  # not the minutes the upload would take
        item = outbox.find_item(minh, code(1))
        assert item.state == "uploading" and item.upload_url  # resumed by the next run
    finally:
        house.stop()
