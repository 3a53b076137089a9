"""Batches -> dossiers -> documents, loaded one level at a time as the user opens them.

Only the batches are read at start (a store may hold 100,000 documents); a
batch's dossiers and a dossier's documents are read on the database thread the
first time the row is expanded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from app.context import AppContext
from app.i18n import batch_state_label
from app.tasks import DbThread
from app.ui import icon
from store import batches, views
from store.batches import BatchInfo

KIND = Qt.ItemDataRole.UserRole + 1
ID = Qt.ItemDataRole.UserRole + 2
LOADED = Qt.ItemDataRole.UserRole + 3
INFO = Qt.ItemDataRole.UserRole + 4
_PLACEHOLDER = "…"


class BatchTree(QTreeView):
    document_chosen = Signal(int)
    batch_chosen = Signal(object)  # BatchInfo
    dossier_chosen = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("batch-tree")
        self.model_ = QStandardItemModel(self)
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # scroll sideways, never cut text
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.expanded.connect(self._expanded)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self._batches: dict[int, BatchInfo] = {}

    # -- loading --------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None) -> None:
        def done(found: list[BatchInfo]) -> None:
            self._fill_batches(found)
            self.loaded.emit()
            if then:
                then()

        self.db.submit(lambda s: batches.list_batches(s), done, owner=self)

    def _fill_batches(self, found: list[BatchInfo]) -> None:
        open_ids = {i for i, item in self._items("batch") if self.isExpanded(item.index())}
        self.model_.clear()
        self._batches = {b.id: b for b in found}
        for b in reversed(found):  # newest first
            item = self._item("batch", b.id, self._batch_text(b), "batch")
            item.setData(b, INFO)
            if b.state == "rejected":
                item.setForeground(QBrush(QColor("#b23b3b")))
                item.setToolTip(self.tr("Sent back: {reason}").format(
                    reason=b.reject_reason or ""))
            self.model_.appendRow(item)
            if b.id in open_ids:
                self.expand(item.index())

    def _batch_text(self, b: BatchInfo) -> str:
        return self.tr("{name} — {state} · {documents} documents").format(
            name=b.name, state=batch_state_label(b.state), documents=b.documents)

    def _item(self, kind: str, ident: int, text: str, icon_name: str) -> QStandardItem:
        item = QStandardItem(icon(self.ctx, icon_name), text)
        item.setToolTip(text)
        item.setData(kind, KIND)
        item.setData(ident, ID)
        item.setData(False, LOADED)
        item.setEditable(False)
        if kind != "document":
            item.appendRow(QStandardItem(_PLACEHOLDER))
        return item

    def _items(self, kind: str, parent: QStandardItem | None = None) -> list[tuple[int,
                                                                              QStandardItem]]:
        root = parent or self.model_.invisibleRootItem()
        found = []
        for row in range(root.rowCount()):
            child = root.child(row)
            if child is not None and child.data(KIND) == kind:
                found.append((int(child.data(ID)), child))
        return found

    def _expanded(self, index: QModelIndex) -> None:
        item = self.model_.itemFromIndex(index)
        if item is not None and not item.data(LOADED):
            self._load_children(item)

    def _load_children(self, item: QStandardItem, then: Callable[[], None] | None = None) -> None:
        kind, ident = item.data(KIND), int(item.data(ID))
        fetch: Callable[[Any], list[Any]]
        if kind == "batch":
            def fetch(s: Any) -> list[Any]:
                return views.dossiers(s, ident)
        else:
            def fetch(s: Any) -> list[Any]:
                return views.documents_of(s, ident)

        def done(rows: list[Any]) -> None:
            self._fill_children(item, rows)
            if then:
                then()

        self.db.submit(fetch, done, owner=self)

    def _fill_children(self, item: QStandardItem, rows: list[Any]) -> None:
        item.removeRows(0, item.rowCount())
        item.setData(True, LOADED)
        for row in rows:
            if isinstance(row, views.DossierRow):
                child = self._item("dossier", row.id, self._dossier_text(row), "dossier")
                child.setToolTip(f"{row.file_code}\n{row.title}")
            else:
                child = self._item("document", row.id, self._document_text(row),
                                   "document-checked" if row.checked else "document")
                child.setToolTip(f"{child.text()}\n{row.subject or ''}")
            child.setData(row, INFO)
            item.appendRow(child)

    def _dossier_text(self, d: views.DossierRow) -> str:
        return self.tr("{code} ({unchecked} of {documents} to check)").format(
            code=d.file_code, unchecked=d.unchecked, documents=d.documents)

    def _document_text(self, d: views.DocumentRow) -> str:
        what = " ".join(v for v in (d.type_name or self.tr("(no type)"), d.code) if v)
        return f"{d.ordinal}. {what}"

    # -- choosing -------------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model_.itemFromIndex(current)
        if item is None or item.data(KIND) is None:
            return
        kind, ident = item.data(KIND), int(item.data(ID))
        if kind == "document":
            self.document_chosen.emit(ident)
        elif kind == "dossier":
            self.dossier_chosen.emit(ident)
        else:
            self.batch_chosen.emit(self._batches[ident])

    def current_batch(self) -> BatchInfo | None:
        item = self.model_.itemFromIndex(self.currentIndex())
        while item is not None and item.data(KIND) != "batch":
            item = item.parent()
        return self._batches.get(int(item.data(ID))) if item is not None else None

    def batch_states(self) -> dict[str, str]:
        """Name -> state of every batch shown (a clerk sees only their own)."""
        return {b.name: b.state for b in self._batches.values()}

    def batch_names(self, *, editable_only: bool = False) -> list[str]:
        return [b.name for b in sorted(self._batches.values(), key=lambda b: -b.id)
                if not editable_only or b.state in ("open", "rejected")]

    def select_batch(self, batch_id: int) -> None:
        """Make a batch the current one (a batch just made with Ctrl+N)."""
        batch = dict(self._items("batch")).get(batch_id)
        if batch is not None:
            self.setCurrentIndex(batch.index())
            self.scrollTo(batch.index())

    def select_document(self, place: views.Place) -> None:
        """Open the batch and dossier of a document (loading them if needed) and select it."""
        batch = dict(self._items("batch")).get(place.batch_id)
        if batch is None:
            self.reload(lambda: self._select_in_batch(place))
            return
        self._select_in_batch(place)

    def _select_in_batch(self, place: views.Place) -> None:
        batch = dict(self._items("batch")).get(place.batch_id)
        if batch is None:
            return
        if not batch.data(LOADED):
            self._load_children(batch, lambda: self._select_in_batch(place))
            return
        self.expand(batch.index())
        dossier = dict(self._items("dossier", batch)).get(place.dossier_id)
        if dossier is None:
            return
        if not dossier.data(LOADED):
            self._load_children(dossier, lambda: self._select_in_batch(place))
            return
        self.expand(dossier.index())
        document = dict(self._items("document", dossier)).get(place.document_id)
        if document is not None:
            self.blockSignals(True)
            self.setCurrentIndex(document.index())
            self.blockSignals(False)
            self.scrollTo(document.index())

    def refresh_dossier(self, dossier_id: int) -> None:
        """Re-read one dossier's documents (after checking, splitting, merging)."""
        for _bid, batch in self._items("batch"):
            found = dict(self._items("dossier", batch)).get(dossier_id)
            if found is not None and found.data(LOADED):
                selected = self.currentIndex()
                current_id = selected.data(ID) if selected.isValid() else None
                self._load_children(found, self._reselect_later(found, current_id))
                self._refresh_dossier_row(batch, found)

    def _reselect_later(self, dossier: QStandardItem, doc_id: object) -> Callable[[], None]:
        return lambda: self._reselect(dossier, doc_id)

    def _reselect(self, dossier: QStandardItem, doc_id: object) -> None:
        self.expand(dossier.index())
        match = dict(self._items("document", dossier)).get(doc_id) if isinstance(
            doc_id, int) else None
        if match is not None:
            self.blockSignals(True)
            self.setCurrentIndex(match.index())
            self.blockSignals(False)

    def _refresh_dossier_row(self, batch: QStandardItem, dossier: QStandardItem) -> None:
        batch_id = int(batch.data(ID))

        def done(rows: list[views.DossierRow]) -> None:
            for row in rows:
                if row.id == int(dossier.data(ID)):
                    dossier.setText(self._dossier_text(row))
                    dossier.setToolTip(f"{row.file_code}\n{row.title}")

        self.db.submit(lambda s: views.dossiers(s, batch_id), done, owner=self)
