"""Questions and messages to the user, in one replaceable place.

Screens ask through a ``Prompts`` object from the AppContext instead of
calling QMessageBox and QFileDialog directly, so an end-to-end test can answer
them (modal dialogs cannot run unattended) while everything else stays real.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from store.errors import SohoaError, UsageError
from store.session import MIN_PASSWORD, check_password
from sync.net import check_url


def _file_dialog(parent: QWidget | None, title: str, filters: str) -> QFileDialog:
    """Qt's own file dialog, not the desktop's: it speaks the app's language (the desktop's
    follows the system's, often English on a ward PC)."""
    dialog = QFileDialog(parent, title)
    dialog.setObjectName("file-dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if filters:
        dialog.setNameFilters(filters.split(";;"))
    return dialog


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
             secret: bool = False, value: str = "") -> str | None:
        """One line asked for; ``value`` is shown first (a batch's name to correct)."""
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        answer, ok = QInputDialog.getText(parent, title, label, mode, value)
        return answer if ok else None

    def choose(self, parent: QWidget | None, title: str, label: str,
               items: list[str]) -> str | None:
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return value if ok else None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        dialog = _file_dialog(parent, title, filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        return list(dialog.selectedFiles()) if dialog.exec() else []

    def open_folder(self, parent: QWidget | None, title: str) -> str | None:
        dialog = _file_dialog(parent, title, "")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str,
                  filters: str) -> str | None:
        dialog = _file_dialog(parent, title, filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(suggested)
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else None

    def show_file(self, path: str) -> None:
        """Open a file the app wrote (a cover sheet) in the desktop's viewer, to print it."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def new_user(self, parent: QWidget | None, roles: list[tuple[str, str]],
                 name: str = "", role: str = "clerk") -> tuple[str, str, str] | None:
        """One dialog for a new user: (name, role, password), checked as typed; None if
        cancelled. ``roles`` are (label, value)."""
        dialog = NewUserDialog(parent, roles, name, role)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def enrol(self, parent: QWidget | None, url: str = "") -> tuple[str, str] | None:
        """One dialog for enrolment: (warehouse address, one-time token), checked as typed;
        None if cancelled."""
        dialog = EnrolDialog(parent, url)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def gate(self, parent: QWidget | None, title: str, intro: str, headers: list[str],
             rows: list[list[str]], go: str, *, reason_label: str | None) -> str | None:
        """A quality gate: the gaps listed, then go on (with a reason when one is asked
        for: returned) or go back (None). Go stays greyed until a reason is typed."""
        dialog, reason = gate_dialog(parent, title, intro, headers, rows, go,
                                     reason_label=reason_label)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return reason.toPlainText().strip()


def gate_dialog(parent: QWidget | None, title: str, intro: str, headers: list[str],
                rows: list[list[str]], go: str, *,
                reason_label: str | None) -> tuple[QDialog, QPlainTextEdit]:
    """The gate's dialog, built but not shown (the language test shows it)."""
    dialog = QDialog(parent)
    dialog.setObjectName("quality-gate")
    dialog.setWindowTitle(title)
    box = QVBoxLayout(dialog)
    text = QLabel(intro)
    text.setWordWrap(True)
    box.addWidget(text)
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName("gate-table")
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    box.addWidget(table, 1)
    reason = QPlainTextEdit()
    reason.setObjectName("gate-reason")
    reason.setMaximumHeight(80)
    buttons = QDialogButtonBox()
    go_button = buttons.addButton(go, QDialogButtonBox.ButtonRole.AcceptRole)
    back = buttons.addButton(QCoreApplication.translate("Prompts", "Go back and complete it"),
                             QDialogButtonBox.ButtonRole.RejectRole)
    back.setDefault(True)
    if reason_label is not None:
        label = QLabel(reason_label)
        label.setWordWrap(True)
        label.setBuddy(reason)
        box.addWidget(label)
        box.addWidget(reason)
        go_button.setEnabled(False)
        reason.textChanged.connect(
            lambda: go_button.setEnabled(bool(reason.toPlainText().strip())))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    box.addWidget(buttons)
    dialog.resize(720, 460)
    return dialog, reason


def password_problem(password: str, user_name: str = "") -> str:
    """The store's own password rule (``store.session.check_password``: length, one or two
    characters repeated, common passwords and runs, the user's name), asked as the admin
    types, in the UI's language; "" when the password will be accepted."""
    translate = QCoreApplication.translate
    try:
        check_password(password, user_name or None)
    except UsageError as exc:
        said = str(exc)
        for words, text in (
                ("at least", translate("Prompts", "The password needs at least {n} characters.")),
                ("too simple", translate("Prompts", "This password is too simple (one or two "
                                                    "characters repeated).")),
                ("common passwords", translate("Prompts", "This password is one of the first a "
                                                          "guesser tries (common or 12345678).")),
                ("user name", translate("Prompts", "The password may not be the user name."))):
            if words in said:
                return text.format(n=MIN_PASSWORD)
        return said
    return ""


class NewUserDialog(QDialog):
    """Name, role, password twice, on one page; Add stays greyed (and says why) until the
    name has no spaces, the password is long enough and typed the same twice: nothing
    typed is lost to a late refusal."""

    def __init__(self, parent: QWidget | None, roles: list[tuple[str, str]], name: str,
                 role: str) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.setObjectName("new-user")
        self.setWindowTitle(translate("Prompts", "Add user"))
        self.setMinimumWidth(420)
        self.name = QLineEdit(name)
        self.name.setObjectName("new-user-name")
        self.role = QComboBox()
        self.role.setObjectName("new-user-role")
        for label, value in roles:
            self.role.addItem(label, value)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.password = QLineEdit()
        self.password.setObjectName("new-user-password")
        self.again = QLineEdit()
        self.again.setObjectName("new-user-again")
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(translate("Prompts", "User name (no spaces)"), self.name)
        form.addRow(translate("Prompts", "Role"), self.role)
        form.addRow(translate("Prompts", "Password (at least {n} characters)").format(
            n=MIN_PASSWORD), self.password)
        form.addRow(translate("Prompts", "The same password again"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add = buttons.addButton(translate("Prompts", "Add"),
                                     QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        for edit in (self.name, self.password, self.again):
            edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        translate = QCoreApplication.translate
        name, password = self.name.text().strip(), self.password.text()
        problem = ""
        if not name or " " in name:
            problem = translate("Prompts", "Type a user name without spaces.")
        elif password_problem(password, name):
            problem = password_problem(password, name)
        elif self.again.text() != password:
            problem = translate("Prompts", "The two passwords differ.")
        self.problem.setText(problem)
        self.add.setEnabled(not problem)

    def answer(self) -> tuple[str, str, str]:
        return self.name.text().strip(), str(self.role.currentData()), self.password.text()


class EnrolDialog(QDialog):
    """The warehouse address and IT's one-time token on one page; Enrol stays greyed (and
    says why) until the address is one sync would use (https://, http only to this
    machine) and a token is typed."""

    def __init__(self, parent: QWidget | None, url: str) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.setObjectName("enrol")
        self.setWindowTitle(translate("Prompts", "Enrol this station"))
        self.setMinimumWidth(520)
        self.url = QLineEdit(url)
        self.url.setObjectName("enrol-url")
        self.url.setPlaceholderText("https://")
        self.token = QLineEdit()
        self.token.setObjectName("enrol-token")
        self.token.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        intro = QLabel(translate("Prompts", "IT gives each station a one-time token for the city "
                                            "warehouse; it is used once and not kept."))
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(translate("Prompts", "Warehouse address"), self.url)
        form.addRow(translate("Prompts", "One-time token"), self.token)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(translate("Prompts", "Enrol"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addWidget(buttons)
        for edit in (self.url, self.token):
            edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        translate = QCoreApplication.translate
        problem = ""
        try:
            check_url(self.url.text().strip())
        except SohoaError:
            problem = translate("Prompts", "The address starts with https:// (http:// only for "
                                           "this machine).")
        if not problem and not self.token.text().strip():
            problem = translate("Prompts", "Type the token IT gave you.")
        self.problem.setText(problem)
        self.go.setEnabled(not problem)

    def answer(self) -> tuple[str, str]:
        return self.url.text().strip(), self.token.text().strip()
