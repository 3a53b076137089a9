"""The main window: unlock screen, then the screens the user's role may use.

Clerks get the work screen; supervisors the work screen (read-only), review,
sync and audit; admins administration and audit. What a role may not do is
not shown at all (the store refuses it anyway). The window locks itself after
the site's idle period; the layout is remembered in QSettings as plain values.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.admin import AdminPage
from app.auditpage import AuditPage
from app.capture import CaptureDialog
from app.context import AppContext
from app.i18n import role_label
from app.idle import IdleWatcher
from app.lockguard import InputLock
from app.review import ReviewPage, batch_gaps, gap_table, gate_intro
from app.syncpage import SyncPage, export_document_list
from app.tasks import CaptureSummary, DbThread
from app.ui import (
    error_text,
    fill_table,
    icon,
    make_action,
    make_table,
    show_error,
    shown_keys,
)
from app.unlock import UnlockScreen
from app.work import WorkPage
from store import batches, quality, sibling, site, sitefile, views
from store.batches import BatchInfo
from store.errors import WrongPassword
from store.roles import Perm, User
from store.session import Session
from sync import station

NAV_WIDTH = 96


def first_size(available: QSize) -> QSize:
    """The window's first size: 1480×900 where that fits, else the screen's free area
    (a 1366×768 screen gets all of it; the window is never larger than the screen)."""
    return QSize(min(1480, available.width()), min(900, available.height()))


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("main-window")
        self.setWindowIcon(icon(ctx, "logo"))
        self.setAcceptDrops(True)
        self.db = DbThread(on_error=lambda e: show_error(ctx, self, e), parent=self)
        self.user: User | None = None
        self.locked = False
        self.work: WorkPage | None = None
        self.review: ReviewPage | None = None
        self.sync_page: SyncPage | None = None
        self.audit_page: AuditPage | None = None
        self.admin_page: AdminPage | None = None
        self.capture_dialog: CaptureDialog | None = None
        self.actions_: dict[str, QAction] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        # Icons with their names under them: narrow, so the page keeps the width.
        self.nav.setViewMode(QListWidget.ViewMode.IconMode)
        self.nav.setFlow(QListWidget.Flow.TopToBottom)
        self.nav.setMovement(QListWidget.Movement.Static)
        self.nav.setWordWrap(True)
        self.nav.setGridSize(QSize(NAV_WIDTH - 4, 70))
        self.nav.setIconSize(QSize(26, 26))
        self.nav.setFixedWidth(NAV_WIDTH)
        self.pages = QStackedWidget()
        self.unlock = UnlockScreen(ctx)
        self.unlock.submitted.connect(self._unlock_submitted)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock)
        self.workspace = QWidget()
        row = QHBoxLayout(self.workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.toolbar = QToolBar(self.tr("Main tools"))
        self.toolbar.setObjectName("main-toolbar")
        self.addToolBar(self.toolbar)
        self.who = QLabel()
        self.busy = QLabel()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.who)
        self.db.busy_changed.connect(
            lambda busy: self.busy.setText(self.tr("Working…") if busy else "")
        )
        self.idle = IdleWatcher(self)
        self.guard = InputLock(self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self._restore_layout()
        self._show_unlock()

    # -- layout memory ---------------------------------------------------------------------
    def _restore_layout(self) -> None:
        q = self.ctx.qsettings
        geometry = q.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(first_size(self.screen().availableGeometry().size()))

    def save_layout(self) -> None:
        q = self.ctx.qsettings
        q.setValue("window/geometry", self.saveGeometry())
        q.setValue("window/state", self.saveState())
        self._save_splitter()
        q.sync()

    # -- logging in and out ------------------------------------------------------------------
    def _show_unlock(self, locked_user: str | None = None) -> None:
        self.stack.setCurrentWidget(self.unlock)
        self.menuBar().setEnabled(False)
        self.toolbar.setVisible(False)
        self.unlock.reset(locked_user=locked_user)
        self.setWindowTitle(self.tr("Ward dossier digitisation"))

    def _unlock_submitted(self, name: str, password: str) -> None:
        if self.locked and self.user is not None and name.lower() == self.user.name.lower():
            self.db.submit(
                lambda s: sibling.verify_password(s, password),
                lambda _r: self._unlocked(),
                self._login_failed,
                owner=self,
            )
            return
        if self.user is not None:
            self._logout_now()
        self.db.login(self.ctx.store, name, password, self._logged_in, self._login_failed)

    def _login_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPassword):
            self.unlock.show_error(self.tr("Wrong user name or password."))
        else:
            self.unlock.show_error(error_text(self.ctx, exc))

    def _logged_in(self, user: User) -> None:
        self._show_workspace(user)
        # An admin's login applies a new /etc/sohoa/site.toml (and enrols the station once).
        enrol = station.site_file_enroller()  # sync's enrolment, as `sohoa site apply` has it
        self.db.submit(lambda s: sitefile.apply_on_login(s, enrol=enrol), owner=self)
        self.db.submit(lambda s: site.load(s.conn), self._site_loaded, owner=self)

    def _show_workspace(self, user: User) -> None:
        """Build the screens of ``user``'s role, in the current language, and show them."""
        self.user, self.locked = user, False
        self._build_for(user)
        self.stack.setCurrentWidget(self.workspace)
        self._restore_splitter()
        self._release_lock()
        self.who.setText(
            self.tr("{user} · {role}").format(user=user.name, role=role_label(user.role.value))
        )
        self.setWindowTitle(self._title(user))

    def _title(self, user: User) -> str:
        return self.tr("Ward dossier digitisation — {user}").format(user=user.name)

    def _release_lock(self) -> None:
        """Give input back to the workspace (after unlock or a new login)."""
        self.guard.release()
        self.menuBar().setEnabled(True)
        self.toolbar.setVisible(True)
        if self.work is not None:
            self.work.set_locked(False)

    def _site_loaded(self, settings: site.SiteSettings) -> None:
        seconds = self.ctx.idle_lock_seconds
        self.idle.start(seconds if seconds is not None else settings.idle_lock_minutes * 60.0)

    def _unlocked(self) -> None:
        self.locked = False
        self.stack.setCurrentWidget(self.workspace)
        self._release_lock()
        if self.user is not None:
            self.setWindowTitle(self._title(self.user))
        if self.capture_dialog is not None and self.capture_dialog.is_running():
            self.capture_dialog.show()
        self.idle.start(self.idle.seconds)

    def lock(self, reason: str = "user") -> None:
        """Hide everything behind the unlock screen; a capture in progress goes on."""
        if self.user is None or self.locked:
            return
        self.locked = True
        self.idle.stop()
        if self.work is not None:
            self.work.form.commit_focused()
            self.work.set_locked(True)
        for widget in self.findChildren(QDialog):
            widget.hide()
        self.db.submit(lambda s: sibling.record_lock(s, reason), owner=self)
        self._show_unlock(locked_user=self.user.name)
        self.guard.engage(self.unlock)

    def logout(self) -> None:
        if self._capturing() and not self.ctx.prompts.confirm(
            self, self.tr("Log out"), self.tr("A capture is running; cancel it and log out?")
        ):
            return
        self._logout_now()
        self._show_unlock()

    def _drop_capture_dialog(self) -> None:
        if self.capture_dialog is not None:
            self.capture_dialog.stop()
            self.capture_dialog.deleteLater()
            self.capture_dialog = None

    def _logout_now(self) -> None:
        self.idle.stop()
        self._drop_capture_dialog()
        self._save_splitter()
        self._clear_workspace()
        self.user, self.locked = None, False
        self.guard.release()
        self.unlock.user.clear()
        self.db.logout()

    def _stop_pages(self) -> None:
        """The sync and admin screens' own threads (a run, a backup) end before they go."""
        for page in (self.sync_page, self.admin_page):
            if page is not None:
                page.stop()

    def _clear_workspace(self) -> None:
        self._stop_pages()
        if self.work is not None:
            self.work.stop()
        self.nav.clear()
        while self.pages.count():
            page = self.pages.widget(0)
            if page is None:
                break
            self.pages.removeWidget(page)
            page.deleteLater()
        self.work = self.review = self.sync_page = self.audit_page = self.admin_page = None
        self.menuBar().clear()
        self.toolbar.clear()
        for action in self.actions_.values():
            if shiboken6.isValid(action):  # the work screen's own actions go with it
                self.workspace.removeAction(action)
        self.actions_.clear()

    # -- screens for a role --------------------------------------------------------------------
    def _add_page(self, widget: QWidget, text: str, icon_name: str) -> None:
        self.pages.addWidget(widget)
        item = QListWidgetItem(icon(self.ctx, icon_name, "#eef4f2"), text)
        # A cell as wide as the column: without it the name is laid out on one line and
        # elided ("Nhật ký th…") instead of wrapped.
        item.setSizeHint(QSize(NAV_WIDTH - 8, 66))
        self.nav.addItem(item)

    def _build_for(self, user: User) -> None:
        self._clear_workspace()
        if user.can(Perm.CAPTURE) or user.can(Perm.VIEW_ALL):
            self.work = WorkPage(self.ctx, self.db)
            self._add_page(self.work, self.tr("Work"), "work")
            self.work.tree.reload()
        if user.can(Perm.REVIEW):
            self.review = ReviewPage(self.ctx, self.db)
            self.review.reviewed.connect(self._reviewed)
            self.review.open_batch.connect(self._open_batch)
            self._add_page(self.review, self.tr("Review"), "review")
            self.review.refresh()
        if user.can(Perm.SYNC):
            self.sync_page = SyncPage(self.ctx, self.db)
            self._add_page(self.sync_page, self.tr("Sync"), "sync")
        if user.can(Perm.MANAGE_USERS):
            self.admin_page = AdminPage(self.ctx, self.db)
            self.admin_page.site.saved.connect(  # a new idle-lock time applies at once
                lambda: self.db.submit(lambda s: site.load(s.conn), self._site_loaded,
                                       owner=self))
            self._add_page(self.admin_page, self.tr("Administration"), "settings")
        if user.can(Perm.AUDIT):
            self.audit_page = AuditPage(self.ctx, self.db)
            self._add_page(self.audit_page, self.tr("Audit log"), "audit")
        self._build_menus(user)
        self.nav.setCurrentRow(0)
        state = self.ctx.qsettings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))

    def _save_splitter(self) -> None:
        """The work screen's sizes, and the width they were for (it decides the fold)."""
        if self.work is not None:
            self.ctx.qsettings.setValue("work/splitter", self.work.splitter.saveState())
            self.ctx.qsettings.setValue("work/splitter_width", self.work.splitter.width())

    def _restore_splitter(self) -> None:
        """After the work screen is laid out, so the saved sizes are not rescaled away."""
        state = self.ctx.qsettings.value("work/splitter")
        if self.work is not None and isinstance(state, QByteArray | bytes) and state:
            saved = self.ctx.qsettings.value("work/splitter_width")
            saved_width = int(saved) if isinstance(saved, int | str) and str(saved).isdigit() \
                else None
            self.work.restore_splitter(QByteArray(state), saved_width, self.width() - NAV_WIDTH)
        elif self.work is not None:
            self.work.share_width(self.width() - NAV_WIDTH)

    def _act(
        self,
        key: str,
        text: str,
        icon_name: str | None,
        slot: object,
        *,
        shortcut: str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = make_action(self.ctx, self, text, icon_name, shortcut=shortcut, tip=tip, slot=slot)  # type: ignore[arg-type]
        action.setObjectName(f"action-{key}")
        self.actions_[key] = action
        # On the workspace, not the window: its shortcuts die with it when it is hidden.
        self.workspace.addAction(action)
        return action

    def _build_menus(self, user: User) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        if user.can(Perm.CAPTURE):
            file_menu.addAction(
                self._act(
                    "import",
                    self.tr("Import files…"),
                    "import-file",
                    self.import_files,
                    shortcut="Ctrl+O",
                )
            )
            file_menu.addAction(
                self._act(
                    "import_folder",
                    self.tr("Import a folder…"),
                    "import-folder",
                    self.import_folder,
                    shortcut="Ctrl+Shift+O",
                )
            )
            file_menu.addAction(
                self._act("scan", self.tr("Scan…"), "scan", self.scan, shortcut="Ctrl+Shift+S")
            )
            file_menu.addAction(
                self._act(
                    "coversheet", self.tr("Print a cover sheet…"), "coversheet", self.cover_sheet
                )
            )
            file_menu.addSeparator()
        if self.work is not None:
            file_menu.addAction(
                self._act(
                    "export", self.tr("Export document list…"), "export", self.export_documents
                )
            )
            file_menu.addSeparator()
        file_menu.addAction(
            self._act(
                "lock",
                self.tr("Lock screen"),
                "lock",
                lambda: self.lock("user"),
                shortcut="Ctrl+Shift+L",
            )
        )
        file_menu.addAction(self._act("logout", self.tr("Log out"), "logout", self.logout))
        file_menu.addAction(self._act("quit", self.tr("Quit"), None, self.close, shortcut="Ctrl+Q"))
        if self.work is not None:
            self._work_menus(user)
        if user.can(Perm.CAPTURE):
            batch_menu = bar.addMenu(self.tr("&Batch"))
            batch_menu.addAction(
                self._act(
                    "new_batch", self.tr("New batch…"), "batch", self.new_batch, shortcut="Ctrl+N"
                )
            )
            if self.work is not None:
                self._batch_edit_actions(batch_menu, self.work)
            batch_menu.addAction(
                self._act(
                    "submit",
                    self.tr("Submit batch for review…"),
                    "submit",
                    self.submit_batch,
                    shortcut="Ctrl+Shift+Return",
                )
            )
        if self.review is not None:
            review_menu = bar.addMenu(self.tr("&Review"))
            for action in self.review.actions_():
                self.workspace.addAction(action)
                review_menu.addAction(action)
        self._view_menu()
        self._toolbar(user)

    def _work_menus(self, user: User) -> None:
        assert self.work is not None
        bar, w = self.menuBar(), self.work.actions_
        edit = bar.addMenu(self.tr("&Edit"))
        for name in ("undo", "redo", None, "check", "search", "batches"):
            if name is None:
                edit.addSeparator()
            elif name != "check" or user.can(Perm.CAPTURE):
                edit.addAction(w[name])
        page = bar.addMenu(self.tr("&Page"))
        for action in self.work.page_actions():
            page.addAction(action)
        for key, action in w.items():
            self.actions_[f"work_{key}"] = action

    def _view_menu(self) -> None:
        view = self.menuBar().addMenu(self.tr("&View"))
        languages = view.addMenu(icon(self.ctx, "language"), self.tr("Language"))
        group = QActionGroup(self)
        for code, label in (("vi", "Tiếng Việt"), ("en", "English")):
            action = languages.addAction(label)
            action.setCheckable(True)
            action.setChecked(self.ctx.language() == code)
            action.triggered.connect(lambda _c=False, code=code: self.set_language(code))
            group.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._act(
                "shortcuts",
                self.tr("Keyboard shortcuts"),
                "keyboard",
                self.show_shortcuts,
                shortcut="F1",
            )
        )

    def _toolbar(self, user: User) -> None:
        groups = (("import", "scan", "coversheet"), ("work_search", "work_check", "submit"),
                  ("work_undo", "work_redo"), ("lock",))
        for group in groups:
            shown = [k for k in group if k in self.actions_
                     and (k != "work_check" or user.can(Perm.CAPTURE))]
            if shown and self.toolbar.actions():
                self.toolbar.addSeparator()
            for key in shown:
                self.toolbar.addAction(self.actions_[key])

    # -- language and help -------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        """Switch now: new translation, then the screens are built again in it.

        The open document is opened again; a running capture keeps its dialog (in
        the old language) until it is closed.
        """
        self.ctx.qsettings.setValue("ui/language", code)
        self.ctx.qsettings.sync()
        app = QApplication.instance()
        if app is None:
            return
        i18n.switch(app, self.ctx.i18n, code)
        self._new_unlock_screen()
        self.toolbar.setWindowTitle(self.tr("Main tools"))
        if self.capture_dialog is not None and not self.capture_dialog.is_running():
            self._drop_capture_dialog()
        if self.user is not None and not self.locked:
            self._rebuild_workspace(self.user)

    def _new_unlock_screen(self) -> None:
        old = self.unlock
        self.unlock = UnlockScreen(self.ctx)
        self.unlock.submitted.connect(self._unlock_submitted)
        self.stack.insertWidget(0, self.unlock)
        if self.stack.currentWidget() is old:
            self.stack.setCurrentWidget(self.unlock)
            self.unlock.reset(locked_user=self.user.name if self.locked and self.user else None)
        self.stack.removeWidget(old)
        old.deleteLater()

    def _rebuild_workspace(self, user: User) -> None:
        doc_id = self.work.opened.document.id if self.work and self.work.opened else None
        row = self.nav.currentRow()
        self._save_splitter()
        self._show_workspace(user)
        self.nav.setCurrentRow(max(0, row))
        if doc_id is not None and self.work is not None:
            self.work.open_document(doc_id)

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = make_table("shortcuts-table")
        rows: list[list[object]] = [
            [a.text().replace("&", ""), shown_keys(a.shortcut())]
            for a in self.actions_.values()
            if not a.shortcut().isEmpty()
        ]
        rows += [
            [self.tr("Accept a field and go to the next"), "Enter"],
            [self.tr("Next / previous field"), "Tab / Shift+Tab"],
        ]
        fill_table(table, [self.tr("Action"), self.tr("Keys")], sorted(rows, key=str))
        box = QVBoxLayout(dialog)
        box.addWidget(table)
        dialog.resize(520, 560)
        dialog.show()

    # -- capture ------------------------------------------------------------------------------
    def _capture(self) -> CaptureDialog:
        """The capture dialog: the running one, else a fresh one (no old file list)."""
        if self.capture_dialog is not None and not self.capture_dialog.is_running():
            self._drop_capture_dialog()
        if self.capture_dialog is None:
            names = self.work.tree.batch_names(editable_only=True) if self.work else []
            current = self.work.chosen_batch_name() if self.work else None
            default = batches.default_batch_name(
                self.user.name if self.user else "",
                self.work.tree.batch_states() if self.work else {})
            self.capture_dialog = CaptureDialog(
                self.ctx, self.db, names, default, self,
                current=current if current in names else None)
            self.capture_dialog.captured.connect(self._captured)
        self.capture_dialog.show()
        self.capture_dialog.raise_()
        return self.capture_dialog

    def import_files(self) -> None:
        dialog = self._capture()
        dialog.sources.setCurrentIndex(0)
        if dialog.paths.count() == 0:
            dialog._add_files()
        dialog.add_files_button.setFocus()

    def import_folder(self) -> None:
        dialog = self._capture()
        dialog.sources.setCurrentIndex(0)
        dialog._add_folder()

    def scan(self) -> None:
        dialog = self._capture()
        dialog.sources.setCurrentIndex(1)
        dialog.find_scanners()

    def cover_sheet(self) -> None:
        self._capture().print_cover_sheet()

    def import_paths(self, paths: list[str]) -> CaptureDialog:
        """Start importing these files at once (used by drag-and-drop)."""
        dialog = self._capture()
        dialog.add_paths(paths)
        dialog.start()
        return dialog

    def _captured(self, summary: CaptureSummary) -> None:
        if self.work is None:
            return
        first = summary.stored[0] if summary.stored else None

        def then() -> None:
            if first is not None:
                self.db.submit(lambda s: views.place_of(s, first), self._select_new, owner=self)

        self.work.tree.reload(then)

    def _select_new(self, place: views.Place) -> None:
        """Open the first new document, unless the clerk is typing in another one."""
        if self.work is None:
            return
        if self.work.opened is not None and self.work.form.typing():
            self.statusBar().showMessage(self.tr("Import finished: the new documents are in "
                                                 "batch {name}.").format(name=place.batch), 8000)
            return
        self.work.tree.select_document(place)
        self.work.open_document(place.document_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if (
            self.user is not None
            and not self.locked
            and self.user.can(Perm.CAPTURE)
            and event.mimeData().hasUrls()
            and all(u.isLocalFile() for u in event.mimeData().urls())
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import the files dropped, under the same conditions ``dragEnterEvent`` accepts a
        drag on (a drop delivered without one, while locked, must not import)."""
        if self.user is None or self.locked or not self.user.can(Perm.CAPTURE):
            event.ignore()
            return
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- batches -------------------------------------------------------------------------------
    def new_batch(self) -> None:
        name = self.ctx.prompts.text(self, self.tr("New batch"), self.tr("Batch name:"))
        if name and name.strip() and self.work is not None:
            work = self.work
            self.db.submit(
                lambda s: batches.create_batch(s, name.strip()),
                lambda b: work.tree.reload(lambda: work.tree.select_batch(b.id)),
                owner=self,
            )

    def _batch_edit_actions(self, menu: QMenu, work: WorkPage) -> None:
        """Rename (F2) and delete (Del) the batch chosen in the tree: also its context menu.

        The keys live on the tree alone (WidgetShortcut): Del in a field deletes a letter."""
        for key, text, icon_name, slot, keys in (
                ("rename_batch", self.tr("Rename batch…"), "batch", self.rename_batch, "F2"),
                ("delete_batch", self.tr("Delete batch…"), "delete", self.delete_batch, "Del")):
            action = self._act(key, text, icon_name, slot, shortcut=keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            work.tree.addAction(action)
            menu.addAction(action)
        work.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _chosen_batch(self, title: str) -> BatchInfo | None:
        """The batch chosen in the tree, unless a capture is filling it (said why)."""
        batch = self.work.tree.current_batch() if self.work is not None else None
        if batch is None:
            self.ctx.prompts.error(self, title, self.tr("Choose a batch in the tree first."))
            return None
        if self._capturing() and self.capture_dialog is not None \
                and self.capture_dialog.batch_name() == batch.name:
            self.ctx.prompts.error(self, title, self.tr(
                "A capture is storing documents in batch {name}; wait until it ends.").format(
                name=batch.name))
            return None
        return batch

    def rename_batch(self) -> None:
        title = self.tr("Rename batch")
        batch = self._chosen_batch(title)
        if batch is None or self.work is None:
            return
        name = self.ctx.prompts.text(self, title, self.tr("New name for batch {name}:").format(
            name=batch.name), value=batch.name)
        if not name or not name.strip() or name.strip() == batch.name:
            return
        work, new_name = self.work, name.strip()

        def done(renamed: BatchInfo) -> None:
            work.tree.reload(lambda: work.tree.select_batch(renamed.id))
            if work.opened is not None and work.opened.dossier.batch_id == renamed.id:
                work.reload()
            self.statusBar().showMessage(self.tr("Batch {old} is now {name}.").format(
                old=batch.name, name=renamed.name), 8000)

        self.db.submit(lambda s: batches.rename_batch(s, batch.name, new_name), done, owner=self)

    def delete_batch(self) -> None:
        """Delete the chosen batch after asking; with its documents only if the clerk says so.

        The store refuses a batch that was ever submitted; its sentence says why."""
        title = self.tr("Delete batch")
        batch = self._chosen_batch(title)
        if batch is None or self.work is None:
            return
        if batch.documents:
            question = self.tr(
                "Batch {name} holds {documents} documents ({pages} pages). Delete the batch and "
                "all of them? This cannot be undone.").format(
                name=batch.name, documents=batch.documents, pages=batch.pages)
        else:
            question = self.tr("Delete the empty batch {name}?").format(name=batch.name)
        if not self.ctx.prompts.confirm(self, title, question):
            return
        work = self.work

        def done(gone: BatchInfo) -> None:
            if work.opened is not None and work.opened.dossier.batch_id == gone.id:
                work.clear()
            work.tree.reload()
            self.statusBar().showMessage(self.tr("Batch {name} deleted.").format(
                name=gone.name), 8000)

        self.db.submit(lambda s: batches.delete_batch(s, batch.name, with_documents=True),
                       done, owner=self)

    def submit_batch(self) -> None:
        """Submit the current batch; its gaps are listed first and need a reason to pass."""
        if self.work is None:
            return
        self.work.form.commit_focused()
        name = self.work.current_batch_name()
        if not name:
            self.ctx.prompts.error(
                self,
                self.tr("Submit"),
                self.tr("Choose a batch (or a document in it) in the tree first."),
            )
            return
        self.db.submit(lambda s: batch_gaps(s, name), lambda q: self._submit_after_gate(name, q),
                       owner=self)

    def _submit_after_gate(self, name: str, found: quality.BatchQuality) -> None:
        if found.clean:
            if not self.ctx.prompts.confirm(
                self,
                self.tr("Submit"),
                self.tr(
                    "Submit batch {name} for review? It can no longer be changed unless the "
                    "supervisor sends it back."
                ).format(name=name),
            ):
                return
            reason = ""
        else:
            answer = self.ctx.prompts.gate(
                self, self.tr("Submit batch {name}").format(name=name),
                gate_intro(found), *gap_table(found), self.tr("Submit with these gaps"),
                reason_label=self.tr("Why does it go to review like this? (the supervisor "
                                     "reads it)"))
            if answer is None or not answer.strip():
                return
            reason = answer.strip()
        work = self.work

        def submit(s: Session) -> BatchInfo:
            batch = batches.submit(s, name)
            if reason:
                quality.note_gaps(s, name, reason, found)
            return batch

        def done(batch: BatchInfo) -> None:
            if work is not None:
                work.tree.reload()
                work.reload()
            self.statusBar().showMessage(
                self.tr("Batch {name} submitted for review.").format(name=batch.name), 8000
            )

        self.db.submit(submit, done, owner=self)

    def _reviewed(self, name: str, state: str) -> None:
        if self.work is not None:
            self.work.tree.reload()
        message = (
            self.tr("Batch {name} approved and queued for sync.")
            if state == "approved"
            else self.tr("Batch {name} sent back to the clerk.")
        )
        self.statusBar().showMessage(message.format(name=name), 8000)

    def _open_batch(self, batch: BatchInfo) -> None:
        if self.work is None:
            return
        self.nav.setCurrentRow(self.pages.indexOf(self.work))
        work, batch_id = self.work, batch.id

        def first_document(s: Session) -> views.Place | None:
            for dossier in views.dossiers(s, batch_id):
                docs = views.documents_of(s, dossier.id)
                if docs:
                    return views.place_of(s, docs[0].id)
            return None

        def done(place: views.Place | None) -> None:
            if place is not None:
                work.tree.select_document(place)
                work.open_document(place.document_id)

        self.db.submit(first_document, done, owner=self)

    def export_documents(self) -> None:
        export_document_list(self.ctx, self.db, self)

    def show_page(self, widget: QWidget | None) -> None:
        if widget is not None:
            self.nav.setCurrentRow(self.pages.indexOf(widget))

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._capturing() and not self.ctx.prompts.confirm(
            self, self.tr("Quit"), self.tr("A capture is running; cancel it and quit?")
        ):
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        event.accept()

    def _capturing(self) -> bool:
        return self.capture_dialog is not None and self.capture_dialog.is_running()

    def shutdown(self) -> None:
        """Stop every thread this window started (capture, lookups, the database thread)."""
        self.idle.stop()
        self.guard.release()
        if self.capture_dialog is not None:
            self.capture_dialog.stop()
            self.capture_dialog.hide()  # it goes with the window
        if self.work is not None:
            self.work.stop()
        self._stop_pages()
        self.db.close()
