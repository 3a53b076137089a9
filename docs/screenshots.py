"""Screenshots of each main screen of the desktop app, for the README.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/*.png

Every screen three times: at 1366×768 (the usual ward PC screen; ``docs/screenshots/*.png``),
at 1920×1080 (``docs/screenshots/1920x1080/*.png``) and at 1280×720, the smallest it must work
at (``docs/screenshots/1280x720/*.png``).

It builds a sample store in a temporary folder (synthetic NĐ 30 documents from
tests/corpus, read by the real capture pipeline and Tesseract), starts the app
under Xvfb (``xvfb-run``, the real X11 platform plugin, DejaVu/Noto fonts), logs
in as a clerk, a supervisor and an admin in turn, and saves a PNG of each
screen. Nothing is mocked; the sample store is deleted afterwards.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OUT = REPO / "docs" / "screenshots"
PASSWORDS = {"admin": "demo-admin-1", "lan": "demo-clerk-1", "hoa": "demo-clerk-2",
             "minh": "demo-super-1"}
SIZES = (((1366, 768), OUT), ((1920, 1080), OUT / "1920x1080"), ((1280, 720), OUT / "1280x720"))


def _reexec_under_xvfb() -> int:
    env = {**os.environ, "SOHOA_SCREENSHOTS_INNER": "1", "QT_QPA_PLATFORM": "xcb"}
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 2000x1200x24", sys.executable, __file__,
           *sys.argv[1:]]
    return subprocess.run(cmd, env=env, check=False).returncode


# -- the sample store --------------------------------------------------------------------------

def _pdf(path: Path, index: int, pages: int = 1) -> Path:
    from tests.corpus.generate import make_sample

    sample = make_sample(11, index, mode="upright", dpi=200, max_pages=pages)
    images = [p.convert("RGB") for p in sample.pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200)
    return path


def build_store(folder: Path) -> tuple[object, list[Path]]:
    """Users of each role, three batches in different states, real OCR'd documents."""
    from capture.pipeline import CaptureSettings, IngestRequest, ingest
    from ocr.settings import OcrSettings
    from store import batches, outbox, review, site, users
    from store.roles import Role
    from store.session import init_store, open_session
    from store.settings import KdfParams, StoreSettings

    settings = StoreSettings(data_dir=folder / "store", kdf=KdfParams(16 * 1024, 1, 1),
                             station="may-so-hoa-01")
    init_store(settings, "admin", PASSWORDS["admin"])
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        for name, role in (("lan", Role.CLERK), ("hoa", Role.CLERK), ("minh", Role.SUPERVISOR)):
            users.add_user(admin, name, role, PASSWORDS[name])
        site.set_value(admin, "ward_name", "Phường Bến Nghé")
        site.set_value(admin, "agency_code", "000.00.12.H29")
    inputs = folder / "inputs"
    inputs.mkdir()
    capture = CaptureSettings(ocr=OcrSettings(workers=2))
    plan = {"lan": [("Lô 2024-03 Bến Nghé", [0, 1, 2]), ("Lô 2024-02 Bến Nghé", [3, 4])],
            "hoa": [("Lô 2024-01 Tân Định", [5])]}
    for user, runs in plan.items():
        with open_session(settings, user, PASSWORDS[user]) as s:
            for batch, indexes in runs:
                paths = [str(_pdf(inputs / f"{user}-{i}.pdf", i)) for i in indexes]
                ingest(s, IngestRequest(paths, batch=batch), capture)
            if user == "lan":
                batches.submit(s, "Lô 2024-02 Bến Nghé")
            else:
                batches.submit(s, "Lô 2024-01 Tân Định")
    with open_session(settings, "minh", PASSWORDS["minh"]) as s:
        review.approve_and_queue(s, "Lô 2024-02 Bến Nghé")
        item = outbox.list_items(s)[0]
        item = outbox.set_package(s, item, "ab" * 32, 2_000_000)
        item = outbox.start_upload(s, item, "https://kho.hcm.example/uploads/1")
        outbox.record_offset(s, item, 820_000)
    more = [_pdf(inputs / "moi.pdf", 6, pages=2)]
    return settings, more


# -- driving the app ---------------------------------------------------------------------------

class Driver:
    def __init__(self, app: object, window: object, out: Path) -> None:
        self.app, self.window, self.out = app, window, out

    def wait(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        from PySide6.QtCore import QEventLoop

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)  # type: ignore[attr-defined]
            if condition():
                return
            time.sleep(0.01)
        raise TimeoutError("the app did not get there in time")

    def settle(self, seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        self.wait(lambda: time.monotonic() >= end and self.window.db.pending == 0)  # type: ignore[attr-defined]

    def login(self, user: str) -> None:
        w = self.window
        if w.user is not None:  # type: ignore[attr-defined]
            w.logout()  # type: ignore[attr-defined]
        w.unlock.user.setText(user)  # type: ignore[attr-defined]
        w.unlock.password.setText(PASSWORDS[user])  # type: ignore[attr-defined]
        w.unlock._submit()  # type: ignore[attr-defined]
        self.wait(lambda: w.user is not None)  # type: ignore[attr-defined]
        self.settle()

    def shot(self, widget: object, name: str) -> None:
        self.settle()
        self.save(widget.grab(), name)  # type: ignore[attr-defined]

    def save(self, pixmap: object, name: str) -> None:
        path = self.out / f"{name}.png"
        pixmap.save(str(path))  # type: ignore[attr-defined]
        print(f"  {path.relative_to(REPO)}", flush=True)

    def shot_with_popup(self, popup: object, name: str) -> None:
        """The window with a popup menu drawn where it opened (a popup is a window of its
        own, which the window's grab leaves out)."""
        from PySide6.QtGui import QPainter

        self.settle()
        shot = self.window.grab()  # type: ignore[attr-defined]
        painter = QPainter(shot)
        where = self.window.mapFromGlobal(popup.pos())  # type: ignore[attr-defined]
        painter.drawPixmap(where, popup.grab())  # type: ignore[attr-defined]
        painter.end()
        self.save(shot, name)


def take(settings: object, more: list[Path], folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    for index, (size, out) in enumerate(SIZES):
        out.mkdir(parents=True, exist_ok=True)
        _take_at(app, settings, more if index == 0 else [], folder / f"ui-{index}", size, out)


def _take_at(app: object, settings: object, more: list[Path], folder: Path,
             size: tuple[int, int], out: Path) -> None:
    """Every screen at one window size, on a fresh layout (no remembered splitter)."""
    from PySide6.QtCore import QSettings

    from app.context import AppContext
    from app.main import prepare
    from app.window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    qsettings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    qsettings.setValue("ui/language", "vi")
    ctx = AppContext(store=settings, qsettings=qsettings,  # type: ignore[arg-type]
                     log_dir=folder / "log")
    prepare(app, ctx)  # type: ignore[arg-type]
    window = MainWindow(ctx)
    window.resize(*size)
    window.show()
    window.activateWindow()  # under a bare X server, focus events need an active window
    d = Driver(app, window, out)
    d.settle()
    window.unlock.user.setText("lan")
    d.shot(window, "01-unlock")
    _clerk(d, window, more)
    _supervisor(d, window)
    _admin(d, window)
    window.close()


def _clerk(d: Driver, window: object, more: list[Path]) -> None:
    w = window
    d.login("lan")
    work = w.work  # type: ignore[attr-defined]
    d.wait(lambda: work.tree.model_.rowCount() >= 2)
    model = work.tree.model_
    items = [model.item(r) for r in range(model.rowCount())]
    # the clerk's open batch (the approved one's documents are read-only)
    first = next((i for i in items if "2024-03" in i.text()), items[0])
    work.tree.expand(first.index())
    d.wait(lambda: first.child(0) is not None and first.child(0).data(0x0100 + 1) == "dossier")
    d.settle()
    dossier = first.child(0)
    work.tree.expand(dossier.index())
    d.wait(lambda: dossier.child(0) is not None and dossier.child(0).data(0x0100 + 1)
           == "document")
    work.tree.setCurrentIndex(dossier.child(0).index())
    d.wait(lambda: work.opened is not None and work.viewer.image is not None)
    work.viewer.fit_width()
    work.form.editor("document", "code_notation").setFocus()
    d.settle(0.8)
    d.shot(w, "02-work")
    work.search.setFocus()
    work.search.setText("quyet dinh")
    d.wait(lambda: work.search.result_count() > 0)
    work.search._open_first()
    d.wait(lambda: work.viewer.marked_count() > 0, 30)
    d.shot(w, "03-search")
    work.search.clear()
    _batch_menu(d, w)
    if more:
        dialog = w.import_paths([str(p) for p in more])  # type: ignore[attr-defined]
        dialog.resize(640, 560)
        d.wait(lambda: dialog.progress.value() >= 1, 120)
        d.shot(dialog, "04-capture")
        d.wait(lambda: not dialog.is_running(), 180)
        dialog.close()
    else:
        dialog = w._capture()  # type: ignore[attr-defined]
        dialog.resize(640, 560)
        d.shot(dialog, "04-capture")
        dialog.close()
    _gate(d, w)


def _batch_menu(d: Driver, w: object) -> None:
    """The tree's context menu on a batch: rename (F2) and delete (Del)."""
    from PySide6.QtWidgets import QMenu

    tree = w.work.tree  # type: ignore[attr-defined]
    batch = tree.model_.item(0)
    tree.setCurrentIndex(batch.index())
    d.settle()
    menu = QMenu(tree)
    menu.addActions(tree.actions())
    rect = tree.visualRect(batch.index())
    menu.popup(tree.viewport().mapToGlobal(rect.center()))
    d.wait(menu.isVisible)
    d.shot_with_popup(menu, "12-batch-menu")
    menu.close()


def _gate(d: Driver, w: object) -> None:
    """The quality gate a clerk meets submitting a batch with gaps."""
    from app.prompts import gate_dialog
    from app.review import batch_gaps, gap_table, gate_intro

    name = w.work.current_batch_name()  # type: ignore[attr-defined]
    found: list[object] = []
    w.db.submit(lambda s: batch_gaps(s, name), found.append)  # type: ignore[attr-defined]
    d.wait(lambda: bool(found))
    q = found[0]
    dialog, _reason = gate_dialog(w, w.tr("Submit batch {name}").format(name=name),  # type: ignore[attr-defined]
                                  gate_intro(q), *gap_table(q), "Vẫn nộp với các thiếu sót này",  # type: ignore[arg-type]
                                  reason_label="Vì sao vẫn nộp duyệt như vậy? (tổ trưởng sẽ đọc)")
    dialog.show()
    d.shot(dialog, "11-gate")
    dialog.close()


def _supervisor(d: Driver, window: object) -> None:
    w = window
    d.login("minh")
    w.show_page(w.review)  # type: ignore[attr-defined]
    d.wait(lambda: w.review.table.rowCount() > 0)  # type: ignore[attr-defined]
    d.shot(w, "05-review")
    w.show_page(w.sync_page)  # type: ignore[attr-defined]
    d.wait(lambda: w.sync_page.batches.rowCount() > 0)  # type: ignore[attr-defined]
    d.shot(w, "06-sync")
    w.show_page(w.audit_page)  # type: ignore[attr-defined]
    d.wait(lambda: w.audit_page.table.rowCount() > 0)  # type: ignore[attr-defined]
    d.shot(w, "07-audit")


def _admin(d: Driver, window: object) -> None:
    w = window
    d.login("admin")
    admin = w.admin_page  # type: ignore[attr-defined]
    w.show_page(admin)  # type: ignore[attr-defined]
    d.wait(lambda: admin.users.table.rowCount() > 0)
    d.shot(w, "08-users")
    admin.tabs.setCurrentIndex(1)
    d.wait(lambda: admin.site.edits["ward_name"].text() != "")
    d.shot(w, "09-site")
    admin.tabs.setCurrentIndex(2)
    d.wait(lambda: admin.health.table.rowCount() > 0, 120)
    d.shot(w, "10-health")
    admin.tabs.setCurrentIndex(3)
    d.wait(lambda: admin.warehouse.state.text() != "", 60)
    d.shot(w, "13-warehouse")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offscreen", action="store_true",
                        help="render with Qt's offscreen platform instead of Xvfb")
    args = parser.parse_args()
    faulthandler.enable()  # a crash says where
    faulthandler.dump_traceback_later(900, exit=True)  # a stuck run says where it stuck
    if not args.offscreen and not os.environ.get("SOHOA_SCREENSHOTS_INNER"):
        return _reexec_under_xvfb()
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="sohoa-shots-"))
    try:
        print("building the sample store (real OCR)…")
        settings, more = build_store(folder)
        print("taking screenshots:")
        take(settings, more, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
