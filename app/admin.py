"""The admin's screens: users and roles, site settings, and the station's health."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.i18n import role_label, show_time
from app.tasks import DbThread
from app.ui import fill_table, icon, make_table, muted, show_error, title
from ocr.health import Check, check_health
from store import site, users
from store.roles import parse_role
from store.session import Session
from store.site import SiteSettings

SITE_KEYS = ("ward_name", "agency_code", "warehouse_url", "ca_bundle", "idle_lock_minutes",
             "language")


def _site_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {"ward_name": translate("Admin", "Ward name"),
            "agency_code": translate("Admin", "Agency code (e.g. 000.00.12.H29)"),
            "warehouse_url": translate("Admin", "Warehouse address (https://…)"),
            "ca_bundle": translate("Admin", "CA bundle file"),
            "idle_lock_minutes": translate("Admin", "Lock after idle (minutes)"),
            "language": translate("Admin", "Language")}


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.rows: list[users.UserInfo] = []
        self.table = make_table("users-table")
        add = QPushButton(icon(ctx, "add"), self.tr("Add user…"))
        add.clicked.connect(self.add_user)
        toggle = QPushButton(self.tr("Enable / disable"))
        toggle.clicked.connect(self.toggle)
        reset = QPushButton(icon(ctx, "lock"), self.tr("Set password…"))
        reset.clicked.connect(self.set_password)
        buttons = QHBoxLayout()
        for b in (add, toggle, reset):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        self.db.submit(users.list_users, self._show, owner=self)

    def _show(self, rows: list[users.UserInfo]) -> None:
        self.rows = rows
        fill_table(self.table, [self.tr("User"), self.tr("Role"), self.tr("Active"),
                                self.tr("Created")],
                   [[u.name, role_label(u.role), self.tr("yes") if u.active else self.tr("no"),
                     show_time(u.created_at)] for u in rows])

    def _selected(self) -> users.UserInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _password(self, name: str) -> str | None:
        p = self.ctx.prompts
        first = p.text(self, self.tr("Password"), self.tr(
            "Password for {name} (at least 8 characters):").format(name=name), secret=True)
        if not first:
            return None
        again = p.text(self, self.tr("Password"), self.tr("The same password again:"),
                       secret=True)
        if again != first:
            p.error(self, self.tr("Password"), self.tr("The two passwords differ."))
            return None
        return first

    def add_user(self, name: str = "", role: str = "clerk") -> None:
        """One dialog (name, role, password twice, checked as typed); if the store still
        refuses (the name is taken), the dialog comes back with what was typed."""
        roles = [(role_label(r), r) for r in ("clerk", "supervisor", "admin")]
        answer = self.ctx.prompts.new_user(self, roles, name, role)
        if answer is None:
            return
        name, role, password = answer

        def failed(exc: BaseException) -> None:
            show_error(self.ctx, self, exc)
            self.add_user(name, role)

        chosen = parse_role(role)
        self.db.submit(lambda s: users.add_user(s, name, chosen, password),
                       lambda _u: self.refresh(), failed, owner=self)

    def toggle(self) -> None:
        user = self._selected()
        if user is None:
            return
        name, active = user.name, not user.active
        self.db.submit(lambda s: users.set_active(s, name, active), lambda _r: self.refresh(),
                       owner=self)

    def set_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        name = user.name
        password = self._password(name)
        if password is not None:
            self.db.submit(lambda s: users.set_password(s, name, password),
                           lambda _r: self.ctx.prompts.info(self, self.tr("Password"), self.tr(
                               "The password of {name} was changed.").format(name=name)),
                           owner=self)


class SiteTab(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.current: dict[str, Any] = {}
        self.edits: dict[str, QLineEdit | QSpinBox | QComboBox] = {}
        form = QFormLayout()
        labels = _site_labels()
        for key in SITE_KEYS:
            edit: QLineEdit | QSpinBox | QComboBox
            if key == "idle_lock_minutes":
                edit = QSpinBox()
                edit.setRange(1, 240)
            elif key == "language":  # a choice, not free text
                edit = QComboBox()
                edit.addItem("Tiếng Việt", "vi")
                edit.addItem("English", "en")
            else:
                edit = QLineEdit()
            edit.setObjectName(f"site-{key}")
            self.edits[key] = edit
            if key == "ca_bundle":
                form.addRow(labels[key], self._with_browse(edit))  # type: ignore[arg-type]
            else:
                form.addRow(labels[key], edit)
        save = QPushButton(icon(ctx, "settings"), self.tr("Save"))
        save.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        box = QWidget()
        box.setMaximumWidth(820)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(self.tr("These settings name the ward and its link to the city "
                                       "warehouse; every change is audited.")))
        layout.addWidget(box)
        layout.addStretch(1)

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        """The CA file: typed, or chosen with Browse…"""
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("site-ca-browse")
        browse.clicked.connect(lambda: self._browse_ca(edit))
        box.addWidget(browse)
        return row

    def _browse_ca(self, edit: QLineEdit) -> None:
        chosen = self.ctx.prompts.open_files(self, self.tr("CA bundle file"),
                                             self.tr("Certificates (*.pem *.crt);;All files (*)"))
        if chosen:
            edit.setText(chosen[0])

    def refresh(self) -> None:
        self.db.submit(lambda s: site.load(s.conn), self._show, owner=self)

    def _show(self, values: SiteSettings) -> None:
        self.current = asdict(values)
        for key, edit in self.edits.items():
            if isinstance(edit, QSpinBox):
                edit.setValue(int(self.current[key]))
            elif isinstance(edit, QComboBox):
                edit.setCurrentIndex(max(0, edit.findData(str(self.current[key]))))
            else:
                edit.setText(str(self.current[key]))

    def _value(self, key: str) -> str:
        edit = self.edits[key]
        if isinstance(edit, QSpinBox):
            return str(edit.value())
        if isinstance(edit, QComboBox):
            return str(edit.currentData())
        return edit.text().strip()

    def save(self) -> None:
        changed = {k: self._value(k) for k in SITE_KEYS
                   if self._value(k) != str(self.current.get(k, "")) and self._value(k)}
        if not changed:
            return

        def write(s: Session) -> SiteSettings:
            for key, value in changed.items():
                site.set_value(s, key, value)
            return site.load(s.conn)

        def done(values: SiteSettings) -> None:
            self._show(values)
            self.saved.emit()
            self.ctx.prompts.info(self, self.tr("Site settings"), self.tr("Saved."))

        def failed(exc: BaseException) -> None:
            # What was typed stays (the settings before the bad one are saved; saving
            # again after the correction saves the rest): nothing reverts silently.
            show_error(self.ctx, self, exc)

        self.db.submit(write, done, failed, owner=self)


class HealthTab(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.checks: list[Check] = []
        self.table = make_table("health-table")
        self.refresh_button = QPushButton(icon(ctx, "refresh"), self.tr("Check again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.progress = QProgressBar()  # the checks take up to half a minute (scanners)
        self.progress.setObjectName("health-progress")
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Checking…"))
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.refresh_button)

    def refresh(self) -> None:
        ocr, scan, env = self.ctx.capture.ocr, self.ctx.capture.scan, self.ctx.sane_env
        self.progress.setVisible(True)
        self.refresh_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.progress.setVisible(False)
            self.refresh_button.setEnabled(True)
            show_error(self.ctx, self, exc)

        self.db.submit(lambda s: check_health(s, ocr=ocr, scan=scan, env=env), self._show,
                       failed, owner=self)

    def _show(self, checks: list[Check]) -> None:
        self.progress.setVisible(False)
        self.refresh_button.setEnabled(True)
        self.checks = checks
        fill_table(self.table, [self.tr("Check"), self.tr("State"), self.tr("Details")],
                   [[self._name(c.key), "✓" if c.ok else "✗", self._detail(c)]
                    for c in checks])
        for row, check in enumerate(checks):
            item = self.table.item(row, 1)
            if item is not None:
                item.setForeground(QBrush(QColor("#3d8b4f" if check.ok else "#b23b3b")))

    def _name(self, key: str) -> str:
        return {"tesseract": self.tr("Tesseract OCR"),
                "languages": self.tr("OCR languages (Vietnamese needed)"),
                "scanners": self.tr("Scanners"), "disk": self.tr("Free disk space"),
                "store": self.tr("Store size"), "backup": self.tr("Last backup"),
                "audit": self.tr("Audit log chain")}.get(key, key)

    def _detail(self, c: Check) -> str:
        if c.error:
            return c.error
        if c.key in ("disk", "store") and c.value.isdigit():
            size = int(c.value)
            if size >= 1024**3:
                return self.tr("{size} GB").format(size=f"{size / 1024**3:.1f}".replace(".", ","))
            return self.tr("{size} MB").format(size=f"{size / 1024**2:.0f}")
        if c.key == "backup":
            return show_time(c.value) if c.value else self.tr(
                "never — make a backup (sohoa backup)")
        if c.key == "scanners" and not c.value:
            return self.tr("none found")
        if c.key == "audit":
            return self.tr("{rows} rows, intact").format(rows=c.value)
        return c.value


class AdminPage(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.users = UsersTab(ctx, db)
        self.site = SiteTab(ctx, db)
        self.health = HealthTab(ctx, db)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.users, icon(ctx, "users"), self.tr("Users and roles"))
        self.tabs.addTab(self.site, icon(ctx, "settings"), self.tr("Site settings"))
        self.tabs.addTab(self.health, icon(ctx, "health"), self.tr("Health"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("Administration")))
        layout.addWidget(self.tabs, 1)

    def showEvent(self, event: object) -> None:
        self._tab_changed(self.tabs.currentIndex())
        super().showEvent(event)  # type: ignore[arg-type]

    def _tab_changed(self, index: int) -> None:
        (self.users, self.site, self.health)[index].refresh()
