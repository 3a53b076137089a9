"""Questions and messages to the user, in one replaceable place.

Screens ask through a ``Prompts`` object from the AppContext instead of
calling QMessageBox and QFileDialog directly, so an end-to-end test can answer
them (modal dialogs cannot run unattended) while everything else stays real.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompts:
    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def text(self, parent: QWidget | None, title: str, label: str, *,
             secret: bool = False) -> str | None:
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        value, ok = QInputDialog.getText(parent, title, label, mode)
        return value if ok else None

    def choose(self, parent: QWidget | None, title: str, label: str,
               items: list[str]) -> str | None:
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return value if ok else None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return list(paths)

    def open_folder(self, parent: QWidget | None, title: str) -> str | None:
        path = QFileDialog.getExistingDirectory(parent, title)
        return path or None

    def save_file(self, parent: QWidget | None, title: str, suggested: str,
                  filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def show_file(self, path: str) -> None:
        """Open a file the app wrote (a cover sheet) in the desktop's viewer, to print it."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
