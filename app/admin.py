"""The admin's screens: users and roles, site settings, health, the warehouse and backups.

Slow work (health's scanner probe and warehouse check, enrolment, a backup) runs
in a thread of its own on a sibling session (``store.sibling``): neither the GUI
nor the database thread the other screens share waits for it. Each calls the
same core function as the command line (``ocr.health.check_health`` with
``sync.health``, ``sync.station.enrol``, ``store.backup.backup``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
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
from app.prompts import password_problem
from app.tasks import DbThread, OneShot
from app.ui import fill_table, icon, make_table, muted, show_error, title
from ocr.health import Check, check_health
from store import backup, sibling, site, users
from store.backup import BackupInfo
from store.errors import PermissionDenied, SohoaError
from store.outbox import Credential
from store.roles import parse_role
from store.session import Session
from store.site import MAX_IDLE_LOCK_MINUTES, SiteSettings
from sync import client, health, station

SITE_KEYS = ("ward_name", "agency_code", "warehouse_url", "ca_bundle", "idle_lock_minutes",
             "language")


class SiblingJob(QObject):
    """``fn(session)`` in a thread of its own, on a session of its own for the same user;
    ``done(result)`` or ``failed(error)`` back in the GUI thread. One at a time."""

    def __init__(self, db: DbThread, parent: QObject) -> None:
        super().__init__(parent)
        self.db = db
        self._shot: OneShot | None = None
        self._busy = False

    def run(self, fn: Callable[[Session], Any], done: Callable[[Any], None],
            failed: Callable[[BaseException], None]) -> bool:
        if self._busy:
            return False
        self._busy = True

        def launch(ticket: sibling.Ticket) -> None:
            def work() -> Any:
                with sibling.open_sibling(ticket) as session:
                    return fn(session)

            self._shot = OneShot(work, self)
            self._shot.finished.connect(lambda r, e: self._finished(r, e, done, failed))
            self._shot.start()

        def not_started(exc: BaseException) -> None:
            self._busy = False
            failed(exc)

        self.db.submit(sibling.ticket, launch, not_started, owner=self)
        return True

    def _finished(self, result: Any, error: BaseException | None,
                  done: Callable[[Any], None], failed: Callable[[BaseException], None]) -> None:
        if self._shot is not None:
            self._shot.deleteLater()
            self._shot = None
        self._busy = False
        if error is not None:
            failed(error)
        else:
            done(result)

    def busy(self) -> bool:
        return self._busy

    def wait(self) -> None:
        if self._shot is not None:
            self._shot.wait()


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
        problem = password_problem(first, name)  # said now, not after typing it twice
        if problem:
            p.error(self, self.tr("Password"), problem)
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

        def done(rekeyed: bool) -> None:
            self.refresh()
            self._say_rekey_pending(rekeyed)

        self.db.submit(lambda s: users.set_active(s, name, active), done, owner=self)

    def _say_rekey_pending(self, rekeyed: bool) -> None:
        """As the CLI says it: until the re-key runs, an old key file still opens the store."""
        if not rekeyed:
            self.ctx.prompts.info(self, self.tr("Re-key pending"), self.tr(
                "The store could not be re-keyed now: another sohoa program has it open. It is "
                "re-keyed at the next login that finds it free; until then an old copy of the "
                "key file with the old password still opens it."))

    def set_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        name = user.name
        password = self._password(name)
        if password is not None:
            def done(rekeyed: bool) -> None:
                self.ctx.prompts.info(self, self.tr("Password"), self.tr(
                    "The password of {name} was changed.").format(name=name))
                self._say_rekey_pending(rekeyed)

            self.db.submit(lambda s: users.set_password(s, name, password), done, owner=self)


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
                edit.setRange(1, MAX_IDLE_LOCK_MINUTES)
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
        """Each changed setting is saved on its own: a refused one keeps what was typed and
        says why, the others are saved (nothing reverts, nothing is lost)."""
        changed = {k: self._value(k) for k in SITE_KEYS
                   if self._value(k) != str(self.current.get(k, "")) and self._value(k)}
        if not changed:
            return

        def write(s: Session) -> tuple[SiteSettings, list[tuple[str, BaseException]]]:
            refused: list[tuple[str, BaseException]] = []
            for key, value in changed.items():
                try:
                    if key == "warehouse_url":  # the enrolment's rule, as `site set` has it
                        client.set_warehouse_url(s, value)
                    else:
                        site.set_value(s, key, value)
                except SohoaError as exc:
                    refused.append((key, exc))
            return site.load(s.conn), refused

        def done(found: tuple[SiteSettings, list[tuple[str, BaseException]]]) -> None:
            values, refused = found
            typed = {key: self._value(key) for key, _exc in refused}
            self._show(values)
            for key, text in typed.items():  # what was typed stays, to be corrected
                edit = self.edits[key]
                if isinstance(edit, QLineEdit):
                    edit.setText(text)
            if len(refused) < len(changed):
                self.saved.emit()
            if refused:
                for _key, exc in refused:
                    show_error(self.ctx, self, exc)
            else:
                self.ctx.prompts.info(self, self.tr("Site settings"), self.tr("Saved."))

        self.db.submit(write, done, lambda exc: show_error(self.ctx, self, exc), owner=self)


def _all_checks(session: Session, ocr: Any, scan: Any, env: Any) -> list[Check]:
    """The station's checks, then the warehouse's (ocr.health may not import sync)."""
    checks = check_health(session, ocr=ocr, scan=scan, env=env)
    return checks + health.check_warehouse(health.read_target(session))


class HealthTab(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.checks: list[Check] = []
        self.job = SiblingJob(db, self)
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
        """Scanners and the warehouse may each take seconds: a thread of their own."""
        ocr, scan, env = self.ctx.capture.ocr, self.ctx.capture.scan, self.ctx.sane_env
        if not self.job.run(lambda s: _all_checks(s, ocr, scan, env), self._show, self._failed):
            return
        self.progress.setVisible(True)
        self.refresh_button.setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.refresh_button.setEnabled(True)
        show_error(self.ctx, self, exc)

    def stop(self) -> None:
        self.job.wait()

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
                "audit": self.tr("Audit log chain"),
                "enrolment": self.tr("Enrolled with the warehouse"),
                "warehouse": self.tr("Warehouse reachable"),
                "tls": self.tr("Warehouse TLS certificate"),
                "certificate": self.tr("Warehouse certificate valid until"),
                "acknowledgement": self.tr("Last acknowledgement")}.get(key, key)

    def _detail(self, c: Check) -> str:
        if c.key in ("enrolment", "warehouse", "tls", "certificate", "acknowledgement"):
            return self._warehouse_detail(c)
        if c.error:
            return c.error
        if c.key in ("disk", "store") and c.value.isdigit():
            size = int(c.value)
            if size >= 1024**3:
                return self.tr("{size} GB").format(size=f"{size / 1024**3:.1f}".replace(".", ","))
            return self.tr("{size} MB").format(size=f"{size / 1024**2:.0f}")
        if c.key == "backup":
            return show_time(c.value) if c.value else self.tr(
                "never — make one under Warehouse and backup")
        if c.key == "scanners" and not c.value:
            return self.tr("none found")
        if c.key == "audit":
            return self.tr("{rows} rows, intact").format(rows=c.value)
        return c.value

    def _warehouse_detail(self, c: Check) -> str:
        """sync.health's data in words (its reasons are short tokens, not prose)."""
        if c.key == "enrolment":
            if c.ok:
                return self.tr("station {id}").format(id=c.value)
            if c.error == "pending":
                return self.tr("not yet: the warehouse could not be reached when the site "
                               "file was applied; enrol under Warehouse and backup")
            return self.tr("not yet: enrol under Warehouse and backup")
        if c.key == "certificate":
            if not c.value:
                return self.tr("not checked: the warehouse did not answer")
            if c.ok:
                return show_time(c.value)
            return self.tr("{when}: it ends within two weeks; IT renews it").format(
                when=show_time(c.value))
        if c.key == "acknowledgement":
            when = show_time(c.value) if c.value else self.tr("none yet")
            if c.ok:
                return when
            return self.tr("{when}; {n} dossiers have waited more than two days").format(
                when=when, n=(c.error or "").split(" ")[0])
        if c.key == "tls":
            trust = {"ca_bundle": self.tr("trusted with the site's CA file"),
                     "system": self.tr("trusted by the system"),
                     "loopback http": self.tr("no TLS: this machine only (tests)")}
            if c.ok:
                return trust.get(c.value, c.value)
            if c.error == "not checked":
                return self.tr("not checked: the warehouse did not answer")
            if c.error in ("no address", "no ca bundle", "refused address"):
                return self._reason(c.error)
            return self.tr("not trusted: {reason}").format(reason=c.error)
        if c.ok:
            return self.tr("{url} answers").format(url=c.value)
        return self._reason(c.error or "", c.value)

    def _reason(self, error: str, url: str = "") -> str:
        if error == "no address":
            return self.tr("no warehouse address set")
        if error == "no ca bundle":
            return self.tr("the site's CA file is missing on this computer")
        if error == "refused address":
            return self.tr("{url} is refused: https:// only").format(url=url)
        if error == "tls":
            return self.tr("{url}: its TLS certificate is not trusted").format(url=url)
        if error == "redirected":
            return self.tr("{url} sends the station elsewhere; nothing was sent").format(url=url)
        if error.startswith("status "):
            return self.tr("{url} answered with an error ({status})").format(
                url=url, status=error.removeprefix("status "))
        return self.tr("{url} cannot be reached").format(url=url)


class WarehouseTab(QWidget):
    """Enrol this station with the warehouse, and make a backup: what the admin did with
    `sohoa enrol` and `sohoa backup`, with the same core functions and errors."""

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.job = SiblingJob(db, self)
        self.link: station.Link | None = None
        self._enrolling: OneShot | None = None  # the network step of an enrolment
        self.state = muted()
        self.state.setObjectName("warehouse-state")
        self.enrol_button = QPushButton(icon(ctx, "sync"), self.tr("Enrol this station…"))
        self.enrol_button.setObjectName("warehouse-enrol")
        self.enrol_button.clicked.connect(self.enrol)
        self.backup_button = QPushButton(icon(ctx, "export"), self.tr("Make a backup…"))
        self.backup_button.setObjectName("warehouse-backup")
        self.backup_button.clicked.connect(self.make_backup)
        self.progress = QProgressBar()
        self.progress.setObjectName("warehouse-progress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("City warehouse")))
        layout.addWidget(self.state)
        row = QHBoxLayout()
        row.addWidget(self.enrol_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(title(self.tr("Backup")))
        layout.addWidget(muted(self.tr(
            "An encrypted copy of the whole store (any user's password of today opens it); "
            "keep it on a drive that leaves the office.")))
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def refresh(self) -> None:
        self.db.submit(station.link, self._show, owner=self)

    def _show(self, link: station.Link) -> None:
        self.link = link
        if link.enrolled:
            text = self.tr("Enrolled as station {id} with {url}.").format(
                id=link.station_id, url=link.warehouse_url)
        elif link.enrolment_pending:
            text = self.tr("Not enrolled yet: the warehouse {url} could not be reached when "
                           "the site file was applied. Enrol with the token IT gave you.").format(
                url=link.warehouse_url)
        else:
            text = self.tr("Not enrolled yet: approved batches wait on this station until it "
                           "is. Enrol with the warehouse address and the token IT gave you.")
        self.state.setText(text)
        self.enrol_button.setText(self.tr("Enrol again…") if link.enrolled
                                  else self.tr("Enrol this station…"))

    def _busy(self, text: str) -> None:
        self.progress.setFormat(text)
        self.progress.setVisible(True)
        self.enrol_button.setEnabled(False)
        self.backup_button.setEnabled(False)

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.enrol_button.setEnabled(True)
        self.backup_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        show_error(self.ctx, self, exc)

    def enrol(self, url: str = "") -> None:
        answer = self.ctx.prompts.enrol(self, url or (self.link.warehouse_url if self.link
                                                      else ""))
        if answer is None:
            return
        url, token = answer

        def done(_credential: object) -> None:
            self._idle()
            self.refresh()
            self.ctx.prompts.info(self, self.tr("Warehouse"), self.tr(
                "This station is enrolled; approved batches can now be sent."))

        def refused(exc: BaseException) -> None:
            self._idle()
            if isinstance(exc, PermissionDenied):  # an admin may enrol: the token was refused
                self.ctx.prompts.error(self, self.tr("Warehouse"), self.tr(
                    "The warehouse refused this token: it is unknown, used or expired. Ask IT "
                    "for a new one."))
            else:
                show_error(self.ctx, self, exc)
            self.enrol(url)  # asked again with the address typed

        def keep(credential: Credential) -> None:  # on the admin's session: signed settings
            self.db.submit(lambda s: station.keep_credential(s, credential), done, refused,
                           owner=self)

        def send(request: station.EnrolRequest) -> None:
            self._enrolling = OneShot(lambda: station.request_credential(request), self)
            self._enrolling.finished.connect(
                lambda c, e: self._enrolled(c, e, keep, refused))
            self._enrolling.start()

        self._busy(self.tr("Enrolling with {url}…").format(url=url))
        self.db.submit(lambda s: station.prepare_enrolment(s, url, token), send, refused,
                       owner=self)

    def _enrolled(self, credential: Credential | None, error: BaseException | None,
                  keep: Callable[[Credential], None],
                  refused: Callable[[BaseException], None]) -> None:
        if self._enrolling is not None:
            self._enrolling.deleteLater()
            self._enrolling = None
        if error is not None:
            refused(error)
        elif credential is not None:
            keep(credential)

    def make_backup(self) -> None:
        """Into a folder the admin chooses (a USB drive), under a dated name never taken."""
        folder = self.ctx.prompts.open_folder(self, self.tr("Folder for the backup"))
        if not folder:
            return
        out = _backup_path(Path(folder))

        def done(info: BackupInfo) -> None:
            self._idle()
            size = f"{info.size / 1024**2:.1f}".replace(".", ",")
            self.ctx.prompts.info(self, self.tr("Backup"), self.tr(
                "Backup written: {path} ({size} MB, {n} documents).").format(
                path=info.path, size=size, n=info.documents))

        if self.job.run(lambda s: backup.backup(s, out), done, self._failed):
            self._busy(self.tr("Making the backup {name}…").format(name=out.name))

    def stop(self) -> None:
        self.job.wait()
        if self._enrolling is not None:
            self._enrolling.wait()


def _backup_path(folder: Path) -> Path:
    stem = f"sohoa-{date.today().isoformat()}"
    out, n = folder / f"{stem}.sohoa", 2
    while out.exists():
        out, n = folder / f"{stem}-{n}.sohoa", n + 1
    return out


class AdminPage(QWidget):
    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.users = UsersTab(ctx, db)
        self.site = SiteTab(ctx, db)
        self.health = HealthTab(ctx, db)
        self.warehouse = WarehouseTab(ctx, db)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.users, icon(ctx, "users"), self.tr("Users and roles"))
        self.tabs.addTab(self.site, icon(ctx, "settings"), self.tr("Site settings"))
        self.tabs.addTab(self.health, icon(ctx, "health"), self.tr("Health"))
        self.tabs.addTab(self.warehouse, icon(ctx, "sync"), self.tr("Warehouse and backup"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(title(self.tr("Administration")))
        layout.addWidget(self.tabs, 1)

    def showEvent(self, event: object) -> None:
        self._tab_changed(self.tabs.currentIndex())
        super().showEvent(event)  # type: ignore[arg-type]

    def _tab_changed(self, index: int) -> None:
        (self.users, self.site, self.health, self.warehouse)[index].refresh()

    def stop(self) -> None:
        """Wait for the health checks, an enrolment or a backup under way (the window calls
        this before the page goes)."""
        self.health.stop()
        self.warehouse.stop()
