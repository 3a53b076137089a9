"""The unlock screen: who you are and your password; also shown when the window locks itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.ui import icon, muted, title


class UnlockScreen(QWidget):
    """Emits ``submitted(user, password)``; the window does the rest on the database thread."""

    submitted = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlock")
        self.user = QLineEdit()
        self.user.setObjectName("unlock-user")
        self.user.setPlaceholderText(self.tr("user name"))
        self.password = QLineEdit()
        self.password.setObjectName("unlock-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("password"))
        self.button = QPushButton(icon(ctx, "lock", "#ffffff"), self.tr("Log in"))
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.note = muted()
        self.store = muted(self.tr("Store: {path}").format(path=ctx.store.data_dir))
        self._build(ctx)
        self.button.clicked.connect(self._submit)
        self.user.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self._locked_user: str | None = None

    def _build(self, ctx: AppContext) -> None:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setStyleSheet("QFrame { background: white; border-radius: 6px; }")
        card.setMinimumWidth(420)
        logo = QLabel()
        logo.setPixmap(icon(ctx, "logo").pixmap(56, 56))
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title(self.tr("Ward dossier digitisation")), 1)
        form = QFormLayout()
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        box.setSpacing(12)
        box.addLayout(head)
        box.addWidget(self.note)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        box.addWidget(self.store)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def reset(self, *, locked_user: str | None = None) -> None:
        """Fresh login (no user), or the idle lock (user kept, only the password asked)."""
        self._locked_user = locked_user
        self.password.clear()
        self.message.clear()
        self.set_busy(False)
        if locked_user:
            self.user.setText(locked_user)
            self.note.setText(self.tr("The screen was locked. Enter your password to go on, "
                                      "or log in as another user."))
            self.password.setFocus()
        else:
            self.note.setText(self.tr("Log in with your user name and password."))
            (self.password if self.user.text() else self.user).setFocus()

    @property
    def locked_user(self) -> str | None:
        return self._locked_user

    def set_busy(self, busy: bool) -> None:
        for w in (self.user, self.password, self.button):
            w.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Opening the store…"))
            self.message.setObjectName("muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.message.setObjectName("problem")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.password.selectAll()
        self.password.setFocus()

    def _submit(self) -> None:
        user, password = self.user.text().strip(), self.password.text()
        if not user or not password:
            self.show_error(self.tr("Enter your user name and password."))
            return
        self.set_busy(True)
        self.submitted.emit(user, password)
