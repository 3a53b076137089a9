"""The clerk's work screen: tree and search | thumbnails and page | correction form.

Every change goes through the undo stack as a command whose ``redo`` and
``undo`` are store operations run on the database thread (and so audited like
any other change); the screen is refreshed from the store's answer, never from
what it assumed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QResizeEvent,
    QUndoCommand,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.form import CorrectionForm, extraction_of
from app.i18n import batch_state_label, field_labels
from app.search import SearchBox
from app.tasks import DbThread, OneShot
from app.tree import BatchTree
from app.ui import make_action, muted, show_error, shown_keys
from app.viewer import PageViewer, ThumbnailStrip
from capture import pages, reread
from capture.pages import PageImage
from extract import records
from store import documents, quality, site, views
from store.errors import BadInput, Conflict, NotFound, PermissionDenied, UsageError
from store.session import Session

THUMBS_PER_JOB = 6
# Under this splitter width (a window under about 1800 px) the tree column folds away:
# at 1280×720 the page itself got 41 % of the window beside it (issue 13 item 9).
FOLD_BELOW = 1700
TREE_WIDTH = 220  # the tree's width when unfolded by hand


class _StoreCommand(QUndoCommand):
    """An undoable change: ``do``/``undo`` run on the database thread, ``after`` refreshes.

    Each document has its own stack (in one QUndoGroup), so Ctrl+Z never reaches
    into a document the clerk is not looking at.
    """

    def __init__(self, work: WorkPage, stack: QUndoStack, text: str,
                 do: Callable[[Session], Any], undo: Callable[[Session], Any],
                 after: Callable[[Any], None]) -> None:
        super().__init__(text)
        self.work, self.stack, self._do, self._undo, self._after = work, stack, do, undo, after
        self.done_once = False  # False until the first ``redo`` (the push) has run
        self.silent = False  # moved back in the history after a refusal: run nothing

    def redo(self) -> None:
        if self.silent:
            return
        first, self.done_once = not self.done_once, True
        self.work.run_command(self._do, self._after,
                              lambda exc: self.work.refused(exc, self, "redo", first))

    def undo(self) -> None:
        if self.silent:
            return
        self.work.run_command(self._undo, self._after,
                              lambda exc: self.work.refused(exc, self, "undo", False))


# What a store check raises before it changes anything (the step's transaction rolled back):
# the history still matches the store after one of these.
REFUSALS = (BadInput, Conflict, NotFound, PermissionDenied, UsageError)

_AUTO_CODE = re.compile(r"^(?P<agency>.+)\.(?P<year>\d{4})\.(?P<seq>\d+)$")


def recode_dossier(session: Session, dossier_id: int, doc_id: int,
                   issued: str | None) -> tuple[str, str] | None:
    """Give the dossier a code in the year of its first document's date.

    Capture numbers a dossier in the current year when it could not read the
    date; once the clerk gives the date, the code follows it. Only codes of the
    station's own form (``<agency>.<year>.<nn>``) are changed, and the change is
    undone with the date. Returns (old code, new code) when it changed.
    """
    if not issued or len(issued) < 4 or not issued[:4].isdigit():
        return None
    first = views.documents_of(session, dossier_id)
    if not first or first[0].id != doc_id:
        return None
    code = views.get_dossier(session, dossier_id).values.get("file_code") or ""
    agency = site.load(session.conn).agency_code
    m = _AUTO_CODE.match(code)
    if m is None or m.group("agency") != agency or m.group("year") == issued[:4]:
        return None
    new = documents.next_file_code(session, agency, int(issued[:4]))
    documents.update_dossier(session, dossier_id, {"file_code": new})
    return code, new


Opened = tuple[views.OpenedDocument, frozenset[tuple[str, str]], dict[str, float],
               tuple[str, dict[str, str]]]


def _opened_with_states(session: Session, doc_id: int, audit_open: bool) -> Opened:
    """A document with what its fields' states need: which a person corrected, how sure
    capture was of the dossier fields it filled, and the retention codes' meanings from the
    regulation the site file names (read at each opening: the admin may apply a new file)."""
    opened = views.open_document(session, doc_id, audit_open=audit_open)
    dossier_id = opened.dossier.id
    corrected = frozenset({("document", n) for n in quality.corrected_fields(session, doc_id)}
                          | {("dossier", n) for n in quality.dossier_corrected(session,
                                                                               dossier_id)})
    settings = site.load(session.conn)
    retention = (settings.retention_regulation, settings.retention_meanings())
    return opened, corrected, quality.dossier_confidence(session, dossier_id), retention


class WorkPage(QWidget):
    document_opened = Signal(int)
    batches_changed = Signal()

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("work")
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._locked = False
        self._folded = False
        self.tree = BatchTree(ctx, db)
        self.search = SearchBox(ctx, db)
        self.viewer = PageViewer(ctx.capture.ocr.doubtful_conf)
        self.viewer.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click keeps the field's focus
        self.thumbs = ThumbnailStrip()
        self.form = CorrectionForm()
        self.page_label = muted()
        self.opened: views.OpenedDocument | None = None
        self.page_id: int | None = None
        self._images: dict[int, PageImage] = {}
        self._loading: set[int] = set()
        self._pending_marks: Callable[[], None] | None = None
        self._reading: int | None = None  # the page being read again, off both threads
        self._shot: OneShot | None = None  # the thread driving its OCR worker
        self._reread_next: list[int] = []  # asked for while another was being read
        self.actions_: dict[str, QAction] = {}
        self._make_actions()
        self._build()
        self._connect()
        self.update_actions()

    # -- building -----------------------------------------------------------------------------
    def _make_actions(self) -> None:
        c = self.ctx
        a = self.actions_
        a["prev"] = make_action(c, self, self.tr("Previous page"), "previous",
                                shortcut=QKeySequence(Qt.Key.Key_PageUp), slot=self.prev_page)
        a["next"] = make_action(c, self, self.tr("Next page"), "next",
                                shortcut=QKeySequence(Qt.Key.Key_PageDown), slot=self.next_page)
        a["zoom_in"] = make_action(c, self, self.tr("Zoom in"), "zoom-in",
                                   shortcut=QKeySequence.StandardKey.ZoomIn,
                                   slot=lambda: self.viewer.zoom_by(1.25))
        a["zoom_out"] = make_action(c, self, self.tr("Zoom out"), "zoom-out",
                                    shortcut=QKeySequence.StandardKey.ZoomOut,
                                    slot=lambda: self.viewer.zoom_by(0.8))
        a["fit_width"] = make_action(c, self, self.tr("Fit width"), "fit-width", shortcut="Ctrl+1",
                                     slot=self.viewer.fit_width)
        a["fit_page"] = make_action(c, self, self.tr("Fit page"), "fit-page", shortcut="Ctrl+0",
                                    slot=self.viewer.fit_page)
        a["zoom_actual"] = make_action(c, self, self.tr("Actual size (100 %)"),
                                       shortcut="Ctrl+Alt+0", slot=self.viewer.actual_size)
        for key, text, keys, dx, dy in (
                ("pan_up", self.tr("Scroll the page up"), "Alt+Up", 0, -1),
                ("pan_down", self.tr("Scroll the page down"), "Alt+Down", 0, 1),
                ("pan_left", self.tr("Scroll the page left"), "Alt+Left", -1, 0),
                ("pan_right", self.tr("Scroll the page right"), "Alt+Right", 1, 0)):
            a[key] = make_action(c, self, text, shortcut=keys,
                                 slot=functools.partial(self.viewer.pan, dx, dy))
        a["rotate_left"] = make_action(c, self, self.tr("Rotate left"), "rotate-left",
                                       shortcut="Ctrl+L", slot=lambda: self.rotate(-1))
        a["rotate_right"] = make_action(c, self, self.tr("Rotate right"), "rotate-right",
                                        shortcut="Ctrl+R", slot=lambda: self.rotate(1))
        a["reread"] = make_action(c, self, self.tr("Read page again"), "refresh",
                                  shortcut="Ctrl+Shift+R",
                                  tip=self.tr("OCR this page again (done after each turn)"),
                                  slot=self.reread)
        a["delete_page"] = make_action(c, self, self.tr("Delete page"), "delete",
                                       shortcut="Ctrl+Del", slot=self.delete_page)
        a["restore_page"] = make_action(c, self, self.tr("Restore page"), "restore",
                                        shortcut="Ctrl+Shift+Del", slot=self.restore_page)
        a["page_back"] = make_action(c, self, self.tr("Move page earlier"), "previous",
                                     shortcut="Ctrl+Shift+Left", slot=lambda: self.shift_page(-1))
        a["page_back"].setShortcuts([QKeySequence("Ctrl+Shift+Left"),
                                     QKeySequence("Ctrl+Shift+PgUp")])
        a["page_forward"] = make_action(c, self, self.tr("Move page later"), "next",
                                        shortcut="Ctrl+Shift+Right",
                                        slot=lambda: self.shift_page(1))
        a["page_forward"].setShortcuts([QKeySequence("Ctrl+Shift+Right"),
                                        QKeySequence("Ctrl+Shift+PgDown")])
        a["split"] = make_action(c, self, self.tr("Split document here"), "split",
                                 shortcut="Ctrl+T",
                                 tip=self.tr("Start a new document at this page"), slot=self.split)
        a["merge"] = make_action(c, self, self.tr("Merge with next document"), "merge",
                                 shortcut="Ctrl+M", slot=self.merge_next)
        a["check"] = make_action(c, self, self.tr("Mark checked and open next"), "check",
                                 shortcut="Ctrl+Return", slot=self.check_and_next)
        a["check"].setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        a["search"] = make_action(c, self, self.tr("Search"), "search",
                                  shortcut=QKeySequence.StandardKey.Find,
                                  slot=self._focus_search)
        a["batches"] = make_action(c, self, self.tr("Show or hide the batches"), "batch",
                                   shortcut="F9", slot=self.toggle_tree)
        a["undo"] = make_action(c, self, self.tr("Undo"), "undo",
                                shortcut=QKeySequence.StandardKey.Undo, slot=self.undo)
        a["redo"] = make_action(c, self, self.tr("Redo"), "redo", shortcut="Ctrl+Y",
                                slot=self.redo)
        a["redo"].setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.undo_group.canUndoChanged.connect(lambda _c: self.update_actions())
        self.undo_group.canRedoChanged.connect(lambda _c: self.update_actions())
        self.undo_group.undoTextChanged.connect(lambda _t: self.update_actions())
        self.undo_group.redoTextChanged.connect(lambda _t: self.update_actions())
        for action in a.values():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _build(self) -> None:
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(4, 4, 0, 4)
        lbox.addWidget(self.search)
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.tree)
        self.left_stack.addWidget(self.search.results)
        lbox.addWidget(self.left_stack)
        tools = QToolBar()
        tools.setObjectName("page-tools")
        tools.setIconSize(QSize(20, 20))
        for name in ("batches", None, "prev", "next", None, "zoom_out", "zoom_in", "fit_width",
                     "fit_page", None,
                     "rotate_left", "rotate_right", "reread", "delete_page", "restore_page", None,
                     "split", "merge"):
            if name is None:
                tools.addSeparator()
            else:
                tools.addAction(self.actions_[name])
        centre = QWidget()
        cbox = QVBoxLayout(centre)
        cbox.setContentsMargins(0, 4, 0, 4)
        cbox.addWidget(tools)
        row = QHBoxLayout()
        row.addWidget(self.thumbs)
        row.addWidget(self.viewer, 1)
        cbox.addLayout(row, 1)
        cbox.addWidget(self.page_label)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 4, 4, 4)
        rbox.addWidget(self.form, 1)
        check = QToolBar()
        check.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        check.addAction(self.actions_["check"])
        rbox.addWidget(check)
        self.history = QUndoView(self.undo_group)  # the open document's changes, clickable
        self.history.setObjectName("history")
        self.history.setEmptyLabel(self.tr("Opened"))
        self.history.setMaximumHeight(96)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setToolTip(self.tr("Changes to this document; click one to go back to it"))
        rbox.addWidget(self.history)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("work-splitter")
        left.setMinimumWidth(150)
        right.setMinimumWidth(260)
        for widget, stretch in ((left, 2), (centre, 6), (right, 3)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
            self.splitter.setCollapsible(self.splitter.count() - 1, widget is left)
        self.share_width(1384)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        self.tree.document_chosen.connect(self.open_document)
        self.search.active_changed.connect(
            lambda active: self.left_stack.setCurrentIndex(1 if active else 0))
        self.search.hit_chosen.connect(self.open_hit)
        self.thumbs.chosen.connect(self.show_page)
        self.thumbs.reordered.connect(self.set_order)
        self.thumbs.itemSelectionChanged.connect(self.update_actions)
        self.viewer.word_clicked.connect(self.form.fill_focused)
        self.form.commit_requested.connect(self._field_changed)
        self.form.ids_requested.connect(self._ids_changed)
        self.form.field_focused.connect(self._field_focused)
        self.form.history_requested.connect(
            lambda which: self.undo() if which == "undo" else self.redo())

    # -- undo, per document ------------------------------------------------------------------
    @property
    def undo_stack(self) -> QUndoStack:
        """The open document's history (an empty, unattached one when none is open)."""
        doc_id = self.opened.document.id if self.opened is not None else 0
        return self._stack_for(doc_id)

    def _stack_for(self, doc_id: int) -> QUndoStack:
        stack = self._stacks.get(doc_id)
        if stack is None:
            stack = QUndoStack(self)
            self.undo_group.addStack(stack)
            self._stacks[doc_id] = stack
        return stack

    def undo(self) -> None:
        """Ctrl+Z, from anywhere on the screen (fields included): the document's last change."""
        if self._history_allowed() and self.undo_stack.canUndo():
            self.form.commit_focused()
            self.undo_stack.undo()

    def redo(self) -> None:
        if self._history_allowed() and self.undo_stack.canRedo():
            self.undo_stack.redo()

    def _history_allowed(self) -> bool:
        return not self._locked and bool(self.opened and self.opened.editable)

    def set_locked(self, locked: bool) -> None:
        """While the window is locked nothing here may act, whatever answer arrives."""
        self._locked = locked
        self.update_actions()

    def share_width(self, width: int) -> None:
        """Tree | page | form as 14 : 61 : 25 of ``width``; narrower than ``FOLD_BELOW`` the
        tree folds away (F9 or the first page tool brings it back), so that the page itself,
        not counting its thumbnails, gets at least half the window from 1280×720 up."""
        width = max(width, 600)
        self._folded = width < FOLD_BELOW
        right = round(width * 0.25)
        left = 0 if self._folded else round(width * 0.14)
        self.splitter.setSizes([left, width - left - right, right])

    def restore_splitter(self, state: QByteArray, saved_width: int | None, width: int) -> None:
        """Put back the sizes the clerk left, unless the window has since crossed
        ``FOLD_BELOW``: then the width decides (a tree folded at 1280 px came back folded at
        1920 px, when the sizes were applied after the screen was laid out and no resize
        followed). ``saved_width`` is the splitter's width then (None: an older setting,
        judged by whether its tree was folded)."""
        self.splitter.restoreState(state)
        folded_then = (saved_width < FOLD_BELOW if saved_width
                       else self.splitter.sizes()[0] == 0)
        if folded_then != (width < FOLD_BELOW):
            self.share_width(width)
        else:
            self._folded = folded_then  # F9's choice stays, at the same width

    def toggle_tree(self) -> None:
        """F9: show the folded tree (taking its width from the page) or fold it again."""
        left, centre, right = self.splitter.sizes()
        if left == 0:
            self.splitter.setSizes([TREE_WIDTH, max(0, centre - TREE_WIDTH), right])
            if self.left_stack.currentWidget() is self.tree:
                self.tree.setFocus()
        else:
            self.splitter.setSizes([0, centre + left, right])

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fold the tree when the window gets narrow, and unfold it when it widens again."""
        super().resizeEvent(event)
        width = self.splitter.width()
        if self.isVisible() and (width < FOLD_BELOW) != self._folded:
            self.share_width(width)

    # -- running commands ----------------------------------------------------------------------
    def run_command(self, fn: Callable[[Session], Any], after: Callable[[Any], None],
                    failed: Callable[[BaseException], None] | None = None) -> None:
        self.db.submit(fn, after, failed or self._command_failed, owner=self)

    def _command_failed(self, exc: BaseException, *, keep_history: bool = False) -> None:
        """Say why, and re-read the document. The history is dropped only when the store's
        state is unknown (``keep_history`` False): after a refusal it still matches it."""
        show_error(self.ctx, self, exc)
        if not keep_history:
            self.undo_stack.clear()
        if self.opened is not None:
            self.reload()

    def refused(self, exc: BaseException, command: _StoreCommand, direction: str,
                first: bool) -> None:
        """A step of the history failed. A refusal (``REFUSALS``: raised by a check before
        anything changed, its transaction rolled back) leaves the store as it was, so the
        history is put back as it was too: a step refused when first done is removed (it
        never happened), an undo or redo refused goes back to where it stood, silently.
        Anything else, or a history that moved on meanwhile, leaves the store's state
        unknown against the history, which is then dropped."""
        stack = command.stack
        at = stack.index()
        stands = (direction == "redo" and at > 0 and stack.command(at - 1) is command) or (
            direction == "undo" and at < stack.count() and stack.command(at) is command)
        if not isinstance(exc, REFUSALS) or not stands:
            stack.clear()
            self._command_failed(exc)
            return
        command.silent = True
        if direction == "redo":
            if first:
                command.setObsolete(True)  # QUndoStack deletes it on the way back
            stack.undo()
        else:
            stack.redo()
        if not first:
            command.silent = False
        self._command_failed(exc, keep_history=True)

    # -- opening -------------------------------------------------------------------------------
    def open_document(self, doc_id: int, *, then: Callable[[], None] | None = None,
                      audit_open: bool = True) -> None:
        if not self._may_leave(doc_id):
            return
        def done(found: Opened) -> None:
            opened, corrected, confidence, (regulation, meanings) = found
            self.form.set_retention(regulation, meanings)
            self._show_document(opened, corrected, confidence)
            if then:
                then()

        self.db.submit(lambda s: _opened_with_states(s, doc_id, audit_open), done, owner=self)

    def _may_leave(self, doc_id: int) -> bool:
        """A value typed but not valid is never dropped without the clerk saying so."""
        if self.opened is None or self.opened.document.id == doc_id:
            return True
        bad = self.form.unsaved_problems()
        if not bad:
            return True
        labels = field_labels()
        listed = "; ".join(f"{labels.get(name, name)}: “{text}”" for _k, name, text in bad)
        if self.ctx.prompts.confirm(self, self.tr("Value not saved"), self.tr(
                "These values are not valid and were not saved: {fields}. Leave this document "
                "and lose them?").format(fields=listed)):
            return True
        d = self.opened.dossier
        self.tree.select_document(views.Place(d.batch_id, d.batch, d.id,
                                              self.opened.document.id))
        self.form.focus_field(bad[0][0], bad[0][1])
        return False

    def reload(self, then: Callable[[], None] | None = None) -> None:
        if self.opened is not None:
            keep = self.page_id
            self._images.clear()

            def again() -> None:
                if keep in self.thumbs.page_ids():
                    self.show_page(keep)
                if then:
                    then()

            self.open_document(self.opened.document.id, then=again, audit_open=False)

    def _show_document(self, opened: views.OpenedDocument,
                       corrected: frozenset[tuple[str, str]] = frozenset(),
                       dossier_confidence: dict[str, float] | None = None) -> None:
        same = self.opened is not None and self.opened.document.id == opened.document.id
        self.opened = opened
        self.undo_group.setActiveStack(self._stack_for(opened.document.id))
        if not same:
            self._images.clear()
        doc = opened.document
        self.form.load(doc.metadata, doc.citizen_ids, opened.dossier.values,
                       extraction_of(doc.extraction), editable=opened.editable,
                       checked=doc.checked, reject_reason=opened.reject_reason,
                       corrected=corrected, dossier_confidence=dossier_confidence,
                       read_only=self._read_only_reason(opened), keep_typed=same)
        self.thumbs.set_pages([(p.id, p.ordinal, p.deleted) for p in doc.pages])
        self._load_thumbnails([p.id for p in doc.pages])
        live = [p.id for p in doc.pages if not p.deleted] or [p.id for p in doc.pages]
        if not same or self.page_id not in self.thumbs.page_ids():
            if live:
                self.show_page(live[0])
            else:
                self.viewer.clear_page(self.tr("This document has no pages."))
        self.update_actions()
        self.document_opened.emit(doc.id)

    def _read_only_reason(self, opened: views.OpenedDocument) -> str | None:
        if opened.editable:
            return None
        state = opened.dossier.batch_state
        if state in ("submitted", "approved"):
            return self.tr("Read only: batch {name} is “{state}”.").format(
                name=opened.dossier.batch, state=batch_state_label(state))
        return self.tr("Read only: batch {name} belongs to {owner}.").format(
            name=opened.dossier.batch, owner=opened.dossier.owner)

    def _load_thumbnails(self, ids: list[int]) -> None:
        if not ids or self.opened is None:
            return
        doc_id = self.opened.document.id
        chunk, rest = ids[:THUMBS_PER_JOB], ids[THUMBS_PER_JOB:]

        def fetch(s: Session) -> list[tuple[PageImage, bytes]]:
            return [(im, pages.thumbnail(im)) for im in pages.page_images(s, doc_id, chunk)]

        def done(found: list[tuple[PageImage, bytes]]) -> None:
            if self.opened is None or self.opened.document.id != doc_id:
                return
            for image, thumb in found:
                self._images[image.page_id] = image
                self.thumbs.set_thumbnail(image.page_id, thumb, image.deleted)
            self._load_thumbnails(rest)

        self.db.submit(fetch, done, owner=self)

    def open_hit(self, doc_id: int, query: str) -> None:
        """Open a search hit on the page where it matches, the matching words highlighted."""
        def located(found: tuple[views.Place, views.HitPlace]) -> None:
            place, hit = found
            self.tree.select_document(place)
            self.open_document(doc_id, then=lambda: self._go_to_hit(hit))

        self.db.submit(lambda s: (views.place_of(s, doc_id), views.locate_hit(s, doc_id, query)),
                       located, owner=self)

    def _go_to_hit(self, hit: views.HitPlace) -> None:
        if hit.page_id is None:
            return
        words = hit.words
        self._pending_marks = lambda: self.viewer.mark_words(words)
        self.show_page(hit.page_id)

    # -- pages ---------------------------------------------------------------------------------
    def show_page(self, page_id: int) -> None:
        self.page_id = page_id
        self.thumbs.select_page(page_id)
        cached = self._images.get(page_id)
        if cached is not None:
            self._display(cached)
            return
        if page_id in self._loading:
            return  # the answer on its way will be shown

        def done(image: PageImage) -> None:
            self._loading.discard(image.page_id)
            self._images[image.page_id] = image
            if self.page_id == image.page_id:
                self._display(image)

        def failed(exc: BaseException) -> None:
            self._loading.discard(page_id)
            self._command_failed(exc)

        self._loading.add(page_id)
        self.db.submit(lambda s: pages.page_image(s, page_id), done, failed, owner=self)

    def _display(self, image: PageImage) -> None:
        if self.viewer.image is not image:
            self.viewer.set_page(image)
        ids = self.thumbs.page_ids()
        position = ids.index(image.page_id) + 1 if image.page_id in ids else 0
        doubtful = self.viewer.doubtful_count()
        state = self.tr(" (deleted)") if image.deleted else ""
        self.page_label.setText(
            self.tr("Page {n} of {total}{state} · {doubtful} doubtful words tinted").format(
                n=position, total=len(ids), state=state, doubtful=doubtful))
        if self._pending_marks is not None:
            marks, self._pending_marks = self._pending_marks, None
            marks()
        self.update_actions()

    def next_page(self) -> None:
        self._step(1)

    def prev_page(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        ids = self.thumbs.page_ids()
        if self.page_id in ids:
            target = ids.index(self.page_id) + delta
            if 0 <= target < len(ids):
                self.show_page(ids[target])

    def _current_image(self) -> PageImage | None:
        return self._images.get(self.page_id) if self.page_id is not None else None

    def _field_focused(self, kind: str, name: str) -> None:
        """Show where on the page a field was read from."""
        region = self.form.field_region(name) if kind == "document" else None
        if region is None or self.opened is None:
            self.viewer.clear_marks()
            return
        ordinal, left, top, width, height = region
        page = next((p for p in self.opened.document.pages if p.ordinal == int(ordinal)), None)
        if page is None:
            return
        def mark() -> None:
            self.viewer.mark_region(left, top, width, height)

        if page.id == self.page_id and self._current_image() is not None:
            mark()
        else:
            self._pending_marks = mark
            self.show_page(page.id)

    # -- edits as undoable commands ------------------------------------------------------------
    def _push(self, text: str, do: Callable[[Session], Any], undo: Callable[[Session], Any],
              after: Callable[[Any], None]) -> None:
        stack = self.undo_stack
        stack.push(_StoreCommand(self, stack, text, do, undo, after))

    def _field_changed(self, kind: str, name: str, old: str | None, new: str | None) -> None:
        if self.opened is None:
            return
        doc_id, dossier_id = self.opened.document.id, self.opened.dossier.id

        def setter(value: str | None) -> Callable[[Session], Any]:
            if kind == "document":
                return lambda s: documents.update_document(s, doc_id, {name: value})
            return lambda s: documents.update_dossier(s, dossier_id, {name: value})

        def after(_result: Any) -> None:
            self._refresh_field(kind, name, doc_id, dossier_id)

        label = field_labels().get(name, name)
        if kind == "document" and name == "issued_date":
            self._push_date(label, doc_id, dossier_id, old, new)
            return
        self._push(self.tr("Change {field}").format(field=label), setter(new), setter(old), after)

    def _push_date(self, label: str, doc_id: int, dossier_id: int, old: str | None,
                   new: str | None) -> None:
        """A corrected date also puts the dossier's code in the date's year (undone with it)."""
        codes: dict[str, str] = {}

        def do(s: Session) -> None:
            documents.update_document(s, doc_id, {"issued_date": new})
            recoded = recode_dossier(s, dossier_id, doc_id, new)
            if recoded is not None:
                codes["old"], codes["new"] = recoded

        def undo(s: Session) -> None:
            documents.update_document(s, doc_id, {"issued_date": old})
            if codes:
                documents.update_dossier(s, dossier_id, {"file_code": codes.pop("old")})

        def after(_result: Any) -> None:
            self._refresh_field("document", "issued_date", doc_id, dossier_id)
            self._refresh_field("dossier", "file_code", doc_id, dossier_id)
            if codes:
                self.page_label.setText(self.tr("Dossier code now {code}, in the year of the "
                                                "date.").format(code=codes["new"]))

        self._push(self.tr("Change {field}").format(field=label), do, undo, after)

    def _refresh_field(self, kind: str, name: str, doc_id: int, dossier_id: int) -> None:
        """Show a field's saved value and state after a change, an undo or a redo: undone
        back to what capture read, it is no longer "corrected by hand"."""
        def fetch(s: Session) -> tuple[views.OpenedDocument, frozenset[str]]:
            opened = views.open_document(s, doc_id, audit_open=False)
            corrected = (quality.corrected_fields(s, doc_id) if kind == "document"
                         else quality.dossier_corrected(s, dossier_id))
            return opened, corrected

        def done(found: tuple[views.OpenedDocument, frozenset[str]]) -> None:
            opened, corrected = found
            if self.opened is None or self.opened.document.id != doc_id:
                return
            self.opened = opened
            values = opened.document.metadata if kind == "document" else opened.dossier.values
            self.form.set_value(kind, name, values.get(name), corrected=name in corrected)

        self.db.submit(fetch, done, owner=self)
        if kind == "dossier":
            self.tree.refresh_dossier(dossier_id)

    def _ids_changed(self, old: list[str], new: list[str]) -> None:
        if self.opened is None:
            return
        doc_id = self.opened.document.id

        def after(ids: list[str]) -> None:
            if self.opened is not None and self.opened.document.id == doc_id:
                self.form.set_ids(ids)

        self._push(self.tr("Change citizen IDs"),
                   lambda s: records.set_citizen_ids(s, doc_id, new),
                   lambda s: records.set_citizen_ids(s, doc_id, old), after)

    def selected_pages(self) -> list[int]:
        """The pages a page command acts on: those selected in the strip, in order, or the
        page shown when none is."""
        chosen = self.thumbs.selected_ids()
        if chosen:
            return chosen
        return [self.page_id] if self.page_id is not None else []

    def _page_text(self, one: str, many: str, count: int) -> str:
        return one if count == 1 else many.format(n=count)

    def rotate(self, turns: int) -> None:
        chosen = self.selected_pages()
        if not chosen:
            return
        blank = {p.id for p in self.opened.document.pages if p.blank} if self.opened else set()

        def after(_result: Any) -> None:
            self._after_page_edit()
            for page_id in chosen:  # the words were read the other way up: read them again
                if page_id not in blank:
                    self.reread(page_id)

        text = self._page_text(self.tr("Rotate page"), self.tr("Rotate {n} pages"), len(chosen))
        self._push(text, lambda s: pages.rotate_pages(s, chosen, turns),
                   lambda s: pages.rotate_pages(s, chosen, -turns), after)

    def reread(self, page_id: int | None = None) -> None:
        """OCR a page again: image from the database thread, Tesseract in a worker
        process driven from a short-lived thread, words stored on the database thread."""
        page_id = self.page_id if page_id is None else page_id
        if page_id is None:
            return
        if self._reading is not None:
            if page_id not in self._reread_next:
                self._reread_next.append(page_id)
            return
        self._reading = page_id
        settings = self.ctx.capture.ocr
        self.page_label.setText(self.tr("Reading the page again…"))

        def got(reading: reread.Reading) -> None:
            self._shot = OneShot(lambda: (reading, reread.read(reading, settings)), self)
            self._shot.finished.connect(read)
            self._shot.start()

        def read(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self._reading_failed(error)
                return
            reading, text = result
            self.db.submit(lambda s: reread.store_reading(s, reading, text), stored,
                           self._reading_failed, owner=self)

        def stored(_filled: list[str]) -> None:
            self._reading_done()
            self._after_page_edit()

        self.db.submit(lambda s: reread.reading_input(s, page_id), got, self._reading_failed,
                       owner=self)

    def stop(self) -> None:
        """Wait for a page being read again (a few seconds at most) before the window goes;
        the history's signals go quiet first (its stacks are deleted with the screen)."""
        self.undo_group.blockSignals(True)
        self._reread_next = []
        if self._shot is not None:
            self._shot.wait()

    def _reading_failed(self, exc: BaseException) -> None:
        if not self._reread_next:  # a newer request would make this one moot
            show_error(self.ctx, self, exc)
        self._reading_done()

    def _reading_done(self) -> None:
        self._reading = None
        if self._shot is not None:
            self._shot.deleteLater()
            self._shot = None
        image = self._current_image()
        if image is not None:
            self._display(image)
        if self._reread_next:
            self.reread(self._reread_next.pop(0))

    def delete_page(self) -> None:
        self._set_deleted(True)

    def restore_page(self) -> None:
        self._set_deleted(False)

    def _set_deleted(self, deleted: bool) -> None:
        """Delete (or restore) the selected pages as one step; undo touches only the pages
        this step changed."""
        chosen = self.selected_pages()
        if not chosen:
            return
        changed: list[int] = []

        def do(s: Session) -> None:
            changed[:] = pages.set_pages_deleted(s, chosen, deleted)

        def undo(s: Session) -> None:
            if changed:
                pages.set_pages_deleted(s, changed, not deleted)

        if deleted:
            text = self._page_text(self.tr("Delete page"), self.tr("Delete {n} pages"),
                                   len(chosen))
        else:
            text = self._page_text(self.tr("Restore page"), self.tr("Restore {n} pages"),
                                   len(chosen))
        self._push(text, do, undo, self._after_page_edit)

    def set_order(self, order: list[int]) -> None:
        """Put the document's pages in this order (a drop in the strip, a block moved by
        keyboard): one step, undone by the order before."""
        if self.opened is None:
            return
        doc_id = self.opened.document.id
        old = [p.id for p in self.opened.document.pages]
        if sorted(old) != sorted(order) or old == order:
            return
        text = self._page_text(self.tr("Move page"), self.tr("Move {n} pages"),
                               max(1, len(self.selected_pages())))
        self._push(text, lambda s: pages.reorder_pages(s, doc_id, order),
                   lambda s: pages.reorder_pages(s, doc_id, old), self._after_page_edit)

    def move_page(self, page_id: int, position: int) -> None:
        """Put one page at ``position`` (1-based)."""
        ids = [p.id for p in self.opened.document.pages] if self.opened else []
        if page_id in ids:
            ids.remove(page_id)
            ids.insert(position - 1, page_id)
            self.set_order(ids)

    def shift_page(self, delta: int) -> None:
        """Ctrl+Shift+←/→ (and Ctrl+Shift+PgUp/PgDn, which also work inside a field, where
        Ctrl+Shift+← selects a word): move the selected pages (or the page shown) one place
        earlier or later, as one block."""
        ids = self.thumbs.page_ids()
        chosen = [p for p in self.selected_pages() if p in ids]
        if not chosen or not self._history_allowed():
            return
        order = pages.block_moved(ids, set(chosen), delta)
        if order != ids:
            self.set_order(order)

    def _after_page_edit(self, _result: Any = None) -> None:
        self._images.clear()
        self.reload()
        if self.opened is not None:
            self.tree.refresh_dossier(self.opened.dossier.id)

    def split(self) -> None:
        """Start a new document at the first selected page (or the page shown)."""
        chosen = self.selected_pages()
        if self.opened is None or not chosen:
            return
        page_id, doc_id = chosen[0], self.opened.document.id
        state: dict[str, int] = {}

        def do(s: Session) -> int:
            state["new"] = pages.split_document(s, page_id)
            return state["new"]

        def undo(s: Session) -> None:  # the fields read for the new one go with it
            pages.merge_documents(s, doc_id, state["new"], absorb=False)

        self._push(self.tr("Split document"), do, undo, self._after_structure_edit)

    def merge_next(self) -> None:
        if self.opened is None:
            return
        doc_id, dossier_id = self.opened.document.id, self.opened.dossier.id
        state: dict[str, Any] = {}
        last = self.tr("This is the last document of its dossier.")

        def do(s: Session) -> None:
            rows = views.documents_of(s, dossier_id)
            ids = [r.id for r in rows]
            position = ids.index(doc_id)
            if position + 1 >= len(ids):
                raise BadInput(last)
            other = ids[position + 1]
            state["first"] = documents.get_document(s, doc_id, audit_open=False)
            state["second"] = documents.get_document(s, other, audit_open=False)
            pages.merge_documents(s, doc_id, other)

        def undo(s: Session) -> None:
            first, second = state["first"], state["second"]
            new = pages.split_document(s, second.pages[0].id)
            documents.update_document(s, doc_id, first.metadata)
            documents.update_document(s, new, second.metadata)
            records.set_citizen_ids(s, doc_id, first.citizen_ids)
            records.set_citizen_ids(s, new, second.citizen_ids)

        self._push(self.tr("Merge documents"), do, undo, self._after_structure_edit)

    def _after_structure_edit(self, _result: Any = None) -> None:
        self._after_page_edit()

    def check_and_next(self) -> None:
        """Ctrl+Enter: save the field in hand, mark the document checked, open the next one."""
        if self.opened is None or not self.opened.editable:
            return
        self.form.commit_focused()
        problems = self.form.pending_problems()
        if problems:
            self.ctx.prompts.error(self, self.tr("Not checked"), self.tr(
                "Correct the fields marked in red first."))
            return
        empty = self.form.empty_required()
        if empty:
            labels = field_labels()
            names = ", ".join(labels.get(name, name) for _kind, name in empty)
            if not self.ctx.prompts.confirm(self, self.tr("Required fields empty"), self.tr(
                    "Required fields are empty: {fields}. Mark the document checked anyway?"
                    ).format(fields=names)):
                self.form.focus_field(*empty[0])
                return
        doc_id, dossier_id = self.opened.document.id, self.opened.dossier.id

        def do(s: Session) -> int | None:
            documents.set_checked(s, doc_id, True)
            return views.next_unchecked(s, doc_id)

        def undo(s: Session) -> None:
            documents.set_checked(s, doc_id, False)

        def after(next_id: int | None) -> None:
            self.tree.refresh_dossier(dossier_id)
            if isinstance(next_id, int):
                self._open_in_tree(next_id)
            elif self.opened is not None and self.opened.document.id == doc_id:
                self.reload()
                self.ctx.prompts.info(self, self.tr("All checked"), self.tr(
                    "Every document of this batch is checked; you can submit it for review."))

        stack = self.undo_stack
        stack.push(_StoreCommand(self, stack, self.tr("Mark checked"), do, undo, after))

    def _open_in_tree(self, doc_id: int) -> None:
        def placed(place: views.Place) -> None:
            self.tree.select_document(place)
            self.open_document(doc_id, then=self.form.focus_first)

        self.db.submit(lambda s: views.place_of(s, doc_id), placed, owner=self)

    def _focus_search(self) -> None:
        if self.splitter.sizes()[0] == 0:  # the search box is in the folded column
            self.toggle_tree()
        self.search.setFocus()
        self.search.selectAll()

    # -- state ---------------------------------------------------------------------------------
    def update_actions(self) -> None:
        """Which actions can act now; while locked, none (the lock guard disables them too)."""
        editable = bool(self.opened and self.opened.editable) and not self._locked
        image = self._current_image()
        has_page = self.page_id is not None and not self._locked
        for name in ("rotate_left", "rotate_right", "reread", "split", "merge", "check",
                     "page_back", "page_forward"):
            self.actions_[name].setEnabled(editable and (has_page or name in ("merge", "check")))
        deleted = self._selected_deleted(image)
        self.actions_["delete_page"].setEnabled(editable and False in deleted)
        self.actions_["restore_page"].setEnabled(editable and True in deleted)
        for name in ("prev", "next", "zoom_in", "zoom_out", "fit_width", "fit_page",
                     "zoom_actual", "pan_up", "pan_down", "pan_left", "pan_right"):
            self.actions_[name].setEnabled(has_page)
        self.actions_["search"].setEnabled(not self._locked)
        self.actions_["batches"].setEnabled(not self._locked)
        self.history.setEnabled(editable)  # a click there undoes too
        stack = self.undo_stack
        for name, can, text in (("undo", stack.canUndo(), stack.undoText()),
                                ("redo", stack.canRedo(), stack.redoText())):
            action = self.actions_[name]
            action.setEnabled(editable and can)
            label = self.tr("Undo") if name == "undo" else self.tr("Redo")
            keys = shown_keys(action.shortcut())
            action.setToolTip(f"{label}: {text} ({keys})" if text else f"{label} ({keys})")

    def _selected_deleted(self, image: PageImage | None) -> set[bool]:
        """Whether each selected page is deleted (the shown page's image when none is)."""
        chosen = set(self.thumbs.selected_ids())
        if chosen and self.opened is not None:
            return {p.deleted for p in self.opened.document.pages if p.id in chosen}
        return {image.deleted} if image is not None else set()

    def page_actions(self) -> list[QAction]:
        return [self.actions_[n] for n in ("prev", "next", "zoom_in", "zoom_out", "fit_width",
                                           "fit_page", "zoom_actual", "pan_up", "pan_down",
                                           "pan_left", "pan_right", "rotate_left",
                                           "rotate_right", "reread", "page_back",
                                           "page_forward", "delete_page", "restore_page",
                                           "split", "merge")]

    def chosen_batch_name(self) -> str | None:
        """The batch the clerk last chose in the tree (one just made with Ctrl+N is chosen
        there, while the document open may stay from another), else the open document's:
        what an import adds to."""
        batch = self.tree.current_batch()
        return batch.name if batch else self.current_batch_name()

    def current_batch_name(self) -> str | None:
        if self.opened is not None:
            return self.opened.dossier.batch
        batch = self.tree.current_batch()
        return batch.name if batch else None

    def clear(self) -> None:
        self.opened, self.page_id = None, None
        self._images.clear()
        self.undo_group.setActiveStack(self._stack_for(0))
        self.form.clear()
        self.thumbs.clear()
        self.viewer.clear_page()
        self.page_label.clear()
        self.search.clear()
        self.update_actions()
