"""Starting the desktop app: one QApplication, the translation, the look, the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app import i18n
from app.context import AppContext
from app.ui import apply_look
from app.window import MainWindow
from store.settings import StoreSettings


def make_context(store: StoreSettings, *, settings_file: Path | None = None) -> AppContext:
    """The context for a real run: station settings in the platform's usual place."""
    qsettings = (QSettings(str(settings_file), QSettings.Format.IniFormat) if settings_file
                 else QSettings("sohoa", "sohoa-gui"))
    return AppContext(store=store, qsettings=qsettings)


def prepare(app: QApplication, ctx: AppContext) -> None:
    """Translation and look; also used by tests, the screenshot script and the benchmark."""
    app.setApplicationName("sohoa")
    app.setOrganizationName("sohoa")
    i18n.install(app, ctx.i18n, ctx.language())
    apply_look(app)


def run_gui(store: StoreSettings, argv: list[str] | None = None) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    ctx = make_context(store)
    prepare(app, ctx)
    window = MainWindow(ctx)
    window.show()
    return int(app.exec())
