"""The desktop app end to end (pytest-qt, offscreen) on the real core: store, OCR, audit.

Only modal dialogs are answered by a scripted ``Prompts`` (they cannot run
unattended); everything else is the real window driven by keys and clicks.
Every test fails if it leaves a QThread running.
"""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PIL import Image, ImageDraw
from PySide6.QtCore import QEvent, QMimeData, QPointF, QSettings, Qt, QThread, QUrl
from PySide6.QtGui import QAction, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app import i18n
from app.context import AppContext
from app.main import prepare
from app.prompts import Prompts
from app.tasks import LagMeter
from app.window import MainWindow
from app.work import WorkPage
from capture.pipeline import CaptureSettings
from ocr.settings import OcrSettings
from scanning.settings import ScanSettings
from store import audit, batches, documents, views
from store.session import Session
from tests.conftest import PASSWORDS, REPO, StoreFixture, add_sample_document
from tests.test_store_pages import make_pdf_document

WAIT = 20_000  # ms, for store work on the database thread
OCR_WAIT = 180_000


class ScriptedPrompts(Prompts):
    """Answers the modal dialogs a test would otherwise have to click through."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.texts: list[str] = []
        self.confirms = True
        self.asked: list[str] = []  # every question put, in order (title: text)
        self.files: list[str] = []  # what the next file dialog answers
        self.gates: list[tuple[str, list[list[str]]]] = []  # quality gates shown: intro, rows
        self.new_users: list[tuple[str, str, str]] = []  # answers of the new-user dialog
        self.gate_answer: str | None = "Hồ sơ giấy còn thiếu, đã báo tổ trưởng"

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(f"{title}: {text}")

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.infos.append(text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.asked.append(f"{title}: {text}")
        return self.confirms

    def text(self, parent: QWidget | None, title: str, label: str, *,
             secret: bool = False, value: str = "") -> str | None:
        self.asked.append(f"{title}: {label}" + (f" [{value}]" if value else ""))
        return self.texts.pop(0) if self.texts else None

    def choose(self, parent: QWidget | None, title: str, label: str,
               items: list[str]) -> str | None:
        self.asked.append(f"{title}: {label}")
        return None

    def new_user(self, parent: QWidget | None, roles: list[tuple[str, str]],
                 name: str = "", role: str = "clerk") -> tuple[str, str, str] | None:
        self.asked.append(f"new user: {name} {role}")
        return self.new_users.pop(0) if self.new_users else None

    def gate(self, parent: QWidget | None, title: str, intro: str, headers: list[str],
             rows: list[list[str]], go: str, *, reason_label: str | None) -> str | None:
        self.asked.append(f"{title}: {intro}")
        self.gates.append((intro, rows))
        if self.gate_answer is None:
            return None
        return self.gate_answer if reason_label is not None else ""

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        self.asked.append(f"files: {title}")
        files, self.files = self.files, []
        return files

    def open_folder(self, parent: QWidget | None, title: str) -> str | None:
        self.asked.append(f"folder: {title}")
        return None

    def save_file(self, parent: QWidget | None, title: str, suggested: str,
                  filters: str) -> str | None:
        self.asked.append(f"save: {title}")
        return None

    def show_file(self, path: str) -> None:
        self.infos.append(f"shown {path}")


@pytest.fixture(scope="session")
def translated(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> QApplication:
    """One QApplication for the session, in Vietnamese, with the app's look."""
    settings = QSettings(str(tmp_path_factory.mktemp("ui") / "ui.ini"),
                         QSettings.Format.IniFormat)
    settings.setValue("ui/language", "vi")
    ctx = AppContext(store=None, qsettings=settings)  # type: ignore[arg-type]
    # Each module re-exports this fixture, so pytest runs it once per module: restyling an
    # app full of widgets is slow and stacking translators slows every tr(), so the look is
    # applied once and later modules only get Vietnamese back (a test may have switched it).
    if qapp.property("sohoa-prepared"):
        i18n.switch(qapp, ctx.i18n, "vi")
    else:
        prepare(qapp, ctx)
        qapp.setProperty("sohoa-prepared", True)
    return qapp


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    yield
    gc.collect()
    running = [t.objectName() for t in gc.get_objects()
               if isinstance(t, QThread) and shiboken6.isValid(t) and t.isRunning()
               and t is not QThread.currentThread()]
    assert running == [], f"threads left running: {running}"


def _context(store: StoreFixture, tmp_path: Path, prompts: ScriptedPrompts,
             **extra: Any) -> AppContext:
    qsettings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    capture = CaptureSettings(scan=ScanSettings(pdf_dpi=150), ocr=OcrSettings(workers=1))
    return AppContext(store=store.settings, qsettings=qsettings, prompts=prompts,
                      capture=capture, log_dir=tmp_path / "log", **extra)


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def window(store: StoreFixture, tmp_path: Path, prompts: ScriptedPrompts, qtbot: Any,
           translated: QApplication) -> Iterator[MainWindow]:
    w = MainWindow(_context(store, tmp_path, prompts))
    w.show()
    yield w
    w.close()
    w.deleteLater()  # a closed window is only hidden: left alive, every later restyle walks it
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def login(qtbot: Any, w: MainWindow, user: str, password: str | None = None) -> None:
    """Type the user name and password and press Enter, as a clerk does."""
    if w.user is not None and not w.locked:
        w.logout()
    w.unlock.user.clear()
    qtbot.keyClicks(w.unlock.user, user)
    qtbot.keyClick(w.unlock.user, Qt.Key.Key_Return)
    qtbot.keyClicks(w.unlock.password, password or PASSWORDS[user])
    qtbot.keyClick(w.unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.user is not None and w.stack.currentWidget() is w.workspace,
                    timeout=WAIT)
    w.activateWindow()  # window shortcuts (Ctrl+Enter, PgDn...) need the active window


def idle(qtbot: Any, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: w.db.pending == 0, timeout=WAIT)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest's keyClicks stops at Latin-1: no "Đ")."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def type_into(qtbot: Any, widget: QWidget, text: str, key: Qt.Key = Qt.Key.Key_Tab) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(widget, text)
    qtbot.keyClick(widget, key)


def _sample_pdf(path: Path) -> Path:
    from tests.corpus.generate import make_sample

    sample = make_sample(21, 0, mode="clean", dpi=150, max_pages=1)
    sample.pages[0].convert("RGB").save(path, resolution=150)
    return path


# -- the main flow ----------------------------------------------------------------------------

@pytest.mark.slow
def test_capture_correct_check_submit_approve(store: StoreFixture, window: MainWindow,
                                              prompts: ScriptedPrompts, qtbot: Any,
                                              tmp_path: Path) -> None:
    w = window
    login(qtbot, w, "lan")
    assert w.work is not None and w.review is None

    pdf = _sample_pdf(tmp_path / "quyet-dinh.pdf")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    lag = LagMeter()
    lag.start()
    w.dropEvent(drop)  # dropping a file on the window imports it
    dialog = w.capture_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.captured, timeout=OCR_WAIT) as done:
        pass
    lag.stop()
    summary = done.args[0]
    assert len(summary.stored) == 1, prompts.errors
    assert any("Trang 1" in dialog.status.item(i).text() for i in range(dialog.status.count()))
    assert lag.percentile(99) < 500, f"the GUI froze: p99 lag {lag.percentile(99):.0f} ms"
    doc_id = summary.stored[0]

    work = w.work
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.id == doc_id,
                    timeout=WAIT)
    qtbot.waitUntil(lambda: work.viewer.has_image(), timeout=WAIT)
    dialog.close()
    w.activateWindow()  # keyboard shortcuts go to the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)
    type_into(qtbot, work.form.editor("document", "code_number"), "99")
    type_into(qtbot, work.form.editor("document", "issued_date"), "05/03/2024",
              Qt.Key.Key_Return)
    qtbot.keyClick(work.form.editor("document", "organ_name"), Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter: checked, next
    qtbot.waitUntil(lambda: bool(prompts.infos) and "kiểm tra" in prompts.infos[-1],
                    timeout=WAIT)

    lan = store.login("lan")
    view = documents.get_document(lan, doc_id, audit_open=False)
    assert view.metadata["code_number"] == "99"
    assert view.metadata["issued_date"] == "2024-03-05"
    assert view.checked
    changed = {e.field for e in audit.entries(lan.conn, action="document.update")}
    assert {"code_number", "issued_date"} <= changed

    work.actions_["undo"].trigger()  # undo "checked"
    idle(qtbot, w)
    assert not documents.get_document(lan, doc_id, audit_open=False).checked
    work.actions_["redo"].trigger()
    idle(qtbot, w)
    assert documents.get_document(lan, doc_id, audit_open=False).checked

    w.actions_["submit"].trigger()
    idle(qtbot, w)
    batch = view.batch
    assert batches.get_batch(lan, batch).state == "submitted", prompts.errors

    login(qtbot, w, "minh")
    assert w.review is not None and w.work is not None
    qtbot.waitUntil(lambda: any(b.name == batch for b in w.review.rows), timeout=WAIT)
    w.review.select(batch)
    approve = w.findChild(QAction, "action-approve")
    assert approve is not None and approve.isEnabled()
    approve.trigger()
    idle(qtbot, w)
    assert w.sync_page is not None
    w.show_page(w.sync_page)
    qtbot.waitUntil(lambda: batch in w.sync_page.row_states(), timeout=WAIT)
    assert w.sync_page.row_states()[batch] == ("approved", "waiting")  # queued for sync
    assert w.sync_page.stats.rowCount() >= 1
    assert not prompts.errors


def test_a_clerk_does_not_see_review_actions(store: StoreFixture, window: MainWindow,
                                             qtbot: Any) -> None:
    add_sample_document(store.login("lan"))
    login(qtbot, window, "lan")
    names = {a.objectName() for a in window.findChildren(QAction) if a.isVisible()}
    assert "action-approve" not in names and "action-reject" not in names
    assert window.review is None and window.sync_page is None and window.audit_page is None
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav == ["Làm việc"]  # Vietnamese by default
    login(qtbot, window, "minh")
    approve = window.findChild(QAction, "action-approve")
    assert approve is not None and approve.isVisible()
    assert "Duyệt lô" in [window.nav.item(i).text() for i in range(window.nav.count())]


def test_the_language_switches_at_once_and_keeps_the_open_document(
        store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    doc_id = make_pdf_document(store.login("lan"), batch="Lô ngôn ngữ")
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    try:
        window.set_language("en")
        assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Work"]
        assert [m.text() for m in window.menuBar().actions()][-2:] == ["&View", "&Help"]
        qtbot.waitUntil(lambda: window.work is not None and window.work.opened is not None
                        and window.work.opened.document.id == doc_id, timeout=WAIT)
        window.logout()
        assert window.unlock.isVisible() and window.stack.currentWidget() is window.unlock
        login(qtbot, window, "lan")
    finally:
        window.set_language("vi")  # the QApplication is shared by every test
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Làm việc"]


def test_the_window_locks_itself_when_idle(store: StoreFixture, tmp_path: Path,
                                           prompts: ScriptedPrompts, qtbot: Any,
                                           translated: QApplication) -> None:
    w = MainWindow(_context(store, tmp_path, prompts, idle_lock_seconds=0.4))
    w.show()
    qtbot.addWidget(w)  # deleted after the test, not left hidden
    try:
        login(qtbot, w, "lan")
        qtbot.waitUntil(lambda: w.locked, timeout=5000)
        assert w.stack.currentWidget() is w.unlock and not w.menuBar().isEnabled()
        assert w.unlock.user.text() == "lan"
        qtbot.keyClicks(w.unlock.password, "sai-mat-khau")
        qtbot.keyClick(w.unlock.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: w.unlock.message.text() != "" and w.unlock.button.isEnabled(),
                        timeout=WAIT)
        assert w.locked
        w.unlock.password.clear()
        qtbot.keyClicks(w.unlock.password, PASSWORDS["lan"])
        qtbot.keyClick(w.unlock.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not w.locked, timeout=WAIT)
        assert w.stack.currentWidget() is w.workspace
        idle(qtbot, w)
        entries = audit.entries(store.login("minh").conn, user_name="lan")
        actions = [e.action for e in entries if e.action != "login.failed"]
        assert actions[:2] == ["unlock", "lock"]
        assert "login.failed" in [e.action for e in entries]  # the wrong password, journalled
    finally:
        w.close()


# -- correcting -------------------------------------------------------------------------------

def _page_png(words: list[list[Any]]) -> bytes:
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for w in words:
        draw.rectangle((w[1], w[2], w[1] + w[3], w[2] + w[4]), outline="black")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _doc_with_words(session: Session) -> int:
    words = [["QUYẾT", 60, 60, 120, 30, 93.0, 1], ["ĐỊNH", 190, 60, 90, 30, 41.0, 1],
             ["Nguyễn", 60, 120, 110, 25, 95.0, 2], ["Văn", 180, 120, 60, 25, 95.0, 2],
             ["Tám", 250, 120, 60, 25, 35.0, 2]]
    batch = batches.get_or_create_batch(session, "Lô sửa")
    dossier = documents.add_dossier(session, batch, "H29.T.01", title="Hồ sơ thử")
    page = documents.PageInput(image=_page_png(words), mime="image/png", dpi=100,
                               ocr_status="done", ocr_text="QUYẾT ĐỊNH\nNguyễn Văn Tám",
                               words=words)
    extraction = {"confidence": {"signer_name": 0.4, "type_name": 0.95},
                  "regions": {"signer_name": [1, 60, 120, 250, 25]}}
    return documents.add_document(session, dossier, [page], {"type_name": "Quyết định"},
                                  extraction=extraction)


def _open(qtbot: Any, w: MainWindow, doc_id: int) -> None:
    assert w.work is not None
    w.work.open_document(doc_id)
    qtbot.waitUntil(lambda: w.work.opened is not None and w.work.viewer.has_image(),
                    timeout=WAIT)


def open_at(qtbot: Any, w: MainWindow, doc_id: int, size: tuple[int, int]) -> WorkPage:
    """The clerk's window at ``size`` with the document open and the layout settled."""
    w.resize(*size)
    login(qtbot, w, "lan")
    _open(qtbot, w, doc_id)
    idle(qtbot, w)
    qtbot.wait(50)
    assert w.work is not None
    return w.work


def test_form_validates_as_you_type_and_words_fill_fields(store: StoreFixture,
                                                          window: MainWindow,
                                                          qtbot: Any) -> None:
    doc_id = _doc_with_words(store.login("lan"))
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    form = work.form

    signer = form.editor("document", "signer_name")
    assert signer.property("doubtful") is True  # read with 40 % confidence
    assert work.viewer.doubtful_count() == 2
    signer.setFocus()
    qtbot.waitUntil(lambda: work.viewer.marked_count() == 1, timeout=WAIT)  # where it was read
    work.viewer.click_word(2)
    work.viewer.click_word(3)
    work.viewer.click_word(4)
    assert signer.text() == "Nguyễn Văn Tám"
    qtbot.keyClick(signer, Qt.Key.Key_Return)

    date = form.editor("document", "issued_date")
    type_into(qtbot, date, "31/02/2024", Qt.Key.Key_Return)
    problem = form.fields[("document", "issued_date")].problem
    assert problem.isVisible() and "không có thật" in problem.text()
    ids = form.editor("document", "citizen_ids")
    type_into(qtbot, ids, "999303001270", Qt.Key.Key_Return)
    assert form.fields[("document", "citizen_ids")].problem.isVisible()
    type_into(qtbot, ids, "079303001270", Qt.Key.Key_Return)
    kind = form.editor("document", "type_name")
    type_into(qtbot, kind, "Đơn xin", Qt.Key.Key_Return)  # not an NĐ 30 type: a warning
    idle(qtbot, window)

    view = documents.get_document(store.login("lan"), doc_id, audit_open=False)
    assert view.metadata["signer_name"] == "Nguyễn Văn Tám"
    assert view.metadata["issued_date"] is None  # never saved while impossible
    assert view.citizen_ids == ["079303001270"]
    assert view.metadata["type_name"] == "Đơn xin"

    work.actions_["undo"].trigger()
    idle(qtbot, window)
    assert documents.get_document(store.login("lan"), doc_id,
                                  audit_open=False).metadata["type_name"] == "Quyết định"
    assert kind.text() == "Quyết định"


def test_search_opens_the_page_with_the_hit_highlighted(store: StoreFixture,
                                                        window: MainWindow,
                                                        qtbot: Any) -> None:
    doc_id = _doc_with_words(store.login("lan"))
    add_sample_document(store.login("lan"), file_code="H29.T.02")
    login(qtbot, window, "lan")
    work = window.work
    assert work is not None
    qtbot.keyClick(work, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert work.search.hasFocus()
    qtbot.keyClicks(work.search, "nguyen van tam")  # no diacritics
    qtbot.waitUntil(lambda: work.search.result_count() == 1, timeout=WAIT)
    assert work.left_stack.currentWidget() is work.search.results
    qtbot.keyClick(work.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: work.opened is not None and work.viewer.marked_count() == 3,
                    timeout=WAIT)
    assert work.opened.document.id == doc_id


def test_page_edits_are_undoable(store: StoreFixture, window: MainWindow, qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô trang")
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    first = work.viewer.image
    assert first is not None
    work.actions_["rotate_right"].trigger()
    qtbot.waitUntil(lambda: work.viewer.image is not None
                    and work.viewer.image.width == first.height, timeout=WAIT)
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: work.viewer.image is not None
                    and work.viewer.image.width == first.width, timeout=WAIT)

    ids = work.thumbs.page_ids()
    date = work.form.editor("document", "issued_date")
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_PageDown)  # pages turn while typing in the form
    qtbot.waitUntil(lambda: work.page_id == ids[1], timeout=WAIT)
    qtbot.keyClick(date, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: work.page_id == ids[0], timeout=WAIT)
    work.thumbs.move_page(ids[2], 1)  # as a drag in the thumbnail strip
    idle(qtbot, window)
    assert [r[0] for r in lan.conn.execute(
        "SELECT id FROM page WHERE document_id = ? ORDER BY ordinal", (doc_id,))] == [
        ids[2], ids[0], ids[1]]

    work.show_page(ids[1])
    qtbot.waitUntil(lambda: work.page_id == ids[1] and work.viewer.image is not None,
                    timeout=WAIT)
    work.actions_["delete_page"].trigger()
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.page_count == 2,
                    timeout=WAIT)
    work.actions_["undo"].trigger()
    qtbot.waitUntil(lambda: work.opened is not None and work.opened.document.page_count == 3,
                    timeout=WAIT)

    work.show_page(ids[0])
    qtbot.waitUntil(lambda: work.page_id == ids[0], timeout=WAIT)
    work.actions_["split"].trigger()
    idle(qtbot, window)
    place = views.place_of(lan, doc_id)
    assert len(views.documents_of(lan, place.dossier_id)) == 2
    work.actions_["undo"].trigger()  # merges them back
    idle(qtbot, window)
    assert len(views.documents_of(lan, place.dossier_id)) == 1
    assert len(documents.get_document(lan, doc_id, audit_open=False).pages) == 3


@pytest.mark.slow
def test_turning_a_page_reads_it_again(store: StoreFixture, window: MainWindow,
                                       prompts: ScriptedPrompts, qtbot: Any,
                                       tmp_path: Path) -> None:
    """A page clean-up left upside down: two quarter turns, each read again in the
    background (the first reading is overtaken by the second), fields filled."""
    from capture.pipeline import IngestRequest, ingest
    from tests.corpus.generate import make_sample

    sample = make_sample(21, 0, mode="clean", dpi=200, max_pages=1)
    path = tmp_path / "nguoc.png"
    sample.pages[0].convert("RGB").rotate(180).save(path, dpi=(200, 200))
    lan = store.login("lan")
    blind = CaptureSettings(scan=ScanSettings(orientation=False), ocr=OcrSettings(workers=1),
                            serial=True)
    doc_id = ingest(lan, IngestRequest([str(path)], batch="Lô ngược"), blind).stored[0].id
    assert doc_id is not None
    login(qtbot, window, "lan")
    _open(qtbot, window, doc_id)
    work = window.work
    assert work is not None
    work.actions_["rotate_right"].trigger()
    idle(qtbot, window)
    work.actions_["rotate_right"].trigger()

    def filled() -> bool:
        return documents.get_document(lan, doc_id, audit_open=False).metadata[
            "code_number"] == sample.truth["code_number"]

    qtbot.waitUntil(lambda: work._reading is None and filled(), timeout=OCR_WAIT)
    assert prompts.errors == []  # the overtaken reading was dropped without a word
    assert audit.entries(lan.conn, action="page.reread")


# -- supervisors and admins --------------------------------------------------------------------

def test_send_back_with_a_reason_the_clerk_sees(store: StoreFixture, window: MainWindow,
                                                prompts: ScriptedPrompts, qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan)
    batches.submit(lan, "lô-1")
    login(qtbot, window, "minh")
    assert window.review is not None
    qtbot.waitUntil(lambda: len(window.review.rows) == 1, timeout=WAIT)
    prompts.texts.append("Thiếu trang 2 của quyết định")
    window.review.reject_action.trigger()
    idle(qtbot, window)
    assert batches.get_batch(lan, "lô-1").state == "rejected"
    login(qtbot, window, "lan")
    _open_plain(qtbot, window, doc_id)
    assert window.work is not None
    assert "Thiếu trang 2" in window.work.form.banner.text()
    assert window.work.opened is not None and window.work.opened.editable


def _open_plain(qtbot: Any, w: MainWindow, doc_id: int) -> None:
    assert w.work is not None
    w.work.open_document(doc_id)
    qtbot.waitUntil(lambda: w.work.opened is not None, timeout=WAIT)


def test_audit_viewer_filters_and_masks(store: StoreFixture, window: MainWindow,
                                        qtbot: Any) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan)
    documents.update_document(lan, doc_id, {"subject": "Cấp phép cho CCCD 079303001270"})
    login(qtbot, window, "minh")
    page = window.audit_page
    assert page is not None
    window.show_page(page)
    qtbot.waitUntil(lambda: page.action.count() > 1, timeout=WAIT)
    page.action.setCurrentIndex(page.action.findData("document.update"))
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    cells = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert "Sửa văn bản" in cells
    assert any("079******270" in c for c in cells) and not any("001270" in c for c in cells)


def test_admin_users_site_settings_and_health(store: StoreFixture, window: MainWindow,
                                              prompts: ScriptedPrompts, qtbot: Any) -> None:
    login(qtbot, window, "admin")
    admin = window.admin_page
    assert admin is not None and window.work is None  # admins see no documents
    window.show_page(admin)
    qtbot.waitUntil(lambda: admin.users.table.rowCount() == 4, timeout=WAIT)
    prompts.new_users.append(("thu", "clerk", "thu-pass-1"))
    admin.users.add_user()
    qtbot.waitUntil(lambda: admin.users.table.rowCount() == 5, timeout=WAIT)
    admin.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: admin.site.edits["agency_code"].text() == "000.00.00.H29",
                    timeout=WAIT)
    admin.site.edits["ward_name"].setText("Phường Bến Nghé")  # type: ignore[union-attr]
    admin.site.edits["idle_lock_minutes"].setValue(15)  # type: ignore[union-attr]
    admin.site.save()
    qtbot.waitUntil(lambda: "Đã lưu." in prompts.infos, timeout=WAIT)
    admin.site.edits["agency_code"].setText("not a code")  # type: ignore[union-attr]
    admin.site.save()
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    assert "Mã định danh cơ quan phải có dạng 000.00.12.H29" in prompts.errors[-1]
    admin.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: admin.health.table.rowCount() >= 6, timeout=60_000)
    states = {c.key: c.ok for c in admin.health.checks}
    assert states["tesseract"] and states["languages"] and states["audit"]


# -- look, language, layout, entry point -------------------------------------------------------

def test_every_string_is_translated_and_the_qm_is_current(tmp_path: Path) -> None:
    ts = REPO / "resources" / "i18n" / "sohoa_vi.ts"
    fresh = tmp_path / "fresh.ts"
    fresh.write_bytes(ts.read_bytes())
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (REPO / "app").glob("*.py"))
    subprocess.run([str(tool), "-no-obsolete", "-locations", "none", *sources, "-ts",
                    str(fresh)], check=True, capture_output=True, timeout=120)
    text = fresh.read_text("utf-8")
    assert 'type="unfinished"' not in text, "untranslated strings: run lupdate and translate"
    assert text.count("<message>") == ts.read_text("utf-8").count("<message>")
    qm = tmp_path / "fresh.qm"
    i18n.build_qm(ts, qm)
    assert qm.read_bytes() == (REPO / "resources" / "i18n" / "sohoa_vi.qm").read_bytes()


def test_store_errors_lead_with_a_sentence_in_the_clerks_language(
        translated: QApplication, tmp_path: Path) -> None:
    from app.ui import error_text
    from store.errors import DiskFull, PermissionDenied

    ctx = AppContext(store=None, qsettings=QSettings(str(tmp_path / "ui.ini"),  # type: ignore[arg-type]
                                                     QSettings.Format.IniFormat),
                     log_dir=tmp_path / "log")
    first, detail = error_text(ctx, DiskFull("The disk is full: could not write x.")).split("\n")
    assert first == "Ổ đĩa đã đầy: chưa có gì bị thay đổi. Hãy giải phóng dung lượng rồi thử lại."
    assert detail == "Chi tiết: Ổ đĩa đã đầy: không ghi được x."  # the core's own words too
    assert error_text(ctx, PermissionDenied("A clerk cannot approve.")).startswith(
        "Vai trò của bạn không được phép")


def test_dates_are_shown_the_vietnamese_way() -> None:
    assert i18n.show_date("2024-03-05") == "05/03/2024"
    assert i18n.parse_date("5/3/2024") == "2024-03-05"
    assert i18n.parse_date("05-03-2024") == "2024-03-05"
    assert i18n.parse_date("2024-3-5") == "2024-03-05"
    assert i18n.parse_date("March 5") is None


def test_layout_is_remembered_as_plain_values(store: StoreFixture, tmp_path: Path,
                                              prompts: ScriptedPrompts, qtbot: Any,
                                              translated: QApplication) -> None:
    ctx = _context(store, tmp_path, prompts)
    first = MainWindow(ctx)
    first.show()
    qtbot.addWidget(first)  # deleted after the test, not left hidden
    login(qtbot, first, "lan")
    assert first.work is not None
    first.work.splitter.setSizes([200, 900, 380])
    sizes = first.work.splitter.sizes()
    first.close()
    ini = (tmp_path / "ui.ini").read_text("utf-8", errors="replace")
    assert "@ByteArray" in ini and "@Variant" not in ini  # Qt's plain bytes, no pickles
    second = MainWindow(_context(store, tmp_path, prompts))
    second.show()
    qtbot.addWidget(second)  # deleted after the test, not left hidden
    try:
        login(qtbot, second, "lan")
        assert second.work is not None
        again = second.work.splitter.sizes()  # the same proportions (the screen may differ)
        assert abs(again[0] / sum(again) - sizes[0] / sum(sizes)) < 0.02
    finally:
        second.close()


def test_bare_sohoa_opens_the_app_and_says_so_without_a_display(store: StoreFixture) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    for args in ([], ["gui"]):  # no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM
        result = subprocess.run(
            [sys.executable, str(REPO / "main.py"), "--data", str(store.settings.data_dir),
             *args], capture_output=True, text=True, env=env, timeout=60, check=False)
        assert result.returncode == 2, result.stderr
        assert "No graphical display" in result.stderr and "Traceback" not in result.stderr


def test_internal_errors_show_one_line_and_go_to_the_log(store: StoreFixture,
                                                        window: MainWindow,
                                                        prompts: ScriptedPrompts,
                                                        qtbot: Any, tmp_path: Path) -> None:
    login(qtbot, window, "lan")

    secret = "".join(["079", "303", "001", "270"])

    def broken(_session: Session) -> None:
        raise ZeroDivisionError(f"{secret} must not reach the screen")

    window.db.submit(broken)
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=WAIT)
    assert "ZeroDivisionError" in prompts.errors[-1] and "079303001270" not in prompts.errors[-1]
    assert "Traceback" not in prompts.errors[-1]
    log = (tmp_path / "log" / "error.log").read_text("utf-8")
    assert "ZeroDivisionError" in log and "079303001270" not in log


def test_scanner_capture_runs_in_the_background(store: StoreFixture, tmp_path: Path,
                                                prompts: ScriptedPrompts, qtbot: Any,
                                                translated: QApplication) -> None:
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n")
    (folder / "test.conf").write_text('test-picture "Color pattern"\n')
    w = MainWindow(_context(store, tmp_path, prompts,
                            sane_env={"SANE_CONFIG_DIR": str(folder)}))
    w.show()
    qtbot.addWidget(w)  # deleted after the test, not left hidden
    try:
        login(qtbot, w, "lan")
        w.scan()
        dialog = w.capture_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.device.currentData() == "test:0", timeout=WAIT)
        dialog.dpi.setValue(75)
        dialog.mode.setCurrentIndex(1)  # grey
        dialog.start()
        with qtbot.waitSignal(dialog.captured, timeout=OCR_WAIT) as done:
            pass
        assert len(done.args[0].stored) == 1, prompts.errors
        assert "1 văn bản" in dialog.rate.text() or "Đã lưu 1" in dialog.rate.text()
    finally:
        w.close()


@pytest.mark.slow
def test_a_capture_can_be_cancelled(store: StoreFixture, window: MainWindow,
                                    prompts: ScriptedPrompts, qtbot: Any,
                                    tmp_path: Path) -> None:
    from tests.corpus.generate import make_sample

    pages = [p.convert("RGB") for i in range(3)
             for p in make_sample(22, i, mode="clean", dpi=100, max_pages=1).pages]
    pdf = tmp_path / "ba-trang.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=100)
    login(qtbot, window, "lan")
    dialog = window.import_paths([str(pdf)])
    with qtbot.waitSignal(dialog.captured, timeout=OCR_WAIT) as done:
        qtbot.waitUntil(lambda: dialog.status.count() >= 1, timeout=OCR_WAIT)
        dialog.cancel()
    kept = done.args[0].stored  # a file cut short: its pages read, marked incomplete
    assert "hủy" in dialog.rate.text().lower() and not prompts.errors
    lan = store.login("lan")
    sources = [r[0] for r in lan.conn.execute("SELECT source_sha256 FROM document")]
    assert len(sources) == len(kept) <= 1
    assert all(s.startswith("incomplete:") for s in sources)  # never passes for whole
    assert not any(lan.temp_dir.iterdir())  # nothing of the pages left on disk
