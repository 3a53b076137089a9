"""Instant search: results as you type (diacritics and case ignored), with snippets.

Each keystroke restarts a short timer; when it fires, the query goes to the
database thread. Answers to an older query than the last one sent are
dropped, so a slow answer never overwrites a newer one.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.context import AppContext
from app.tasks import DbThread
from app.ui import icon
from store import search

DEBOUNCE_MS = 150


def snippet_html(hit: search.Hit) -> str:
    """The snippet with the matched words in bold, safely escaped."""
    text, out, pos = hit.snippet.text, [], 0
    for start, end in hit.snippet.spans:
        out += [html.escape(text[pos:start]), "<b style='background:#fff1b8'>",
                html.escape(text[start:end]), "</b>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


HTML = Qt.ItemDataRole.UserRole + 1


class _HtmlDelegate(QStyledItemDelegate):
    """Paints a hit's rich text (matched words in bold) at the list's width.

    A painted document rather than a QLabel per row: word-wrapped labels as item
    widgets can make a list relayout for ever when its scroll bar comes and goes.
    """

    def _document(self, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(str(index.data(HTML) or html.escape(str(index.data() or ""))))
        doc.setTextWidth(max(80, option.rect.width()))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter,
                              option.widget)
        painter.save()
        painter.translate(option.rect.topLeft())
        self._document(option, index).drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListWidget) else 300
        option.rect.setWidth(width)
        doc = self._document(option, index)
        return QSize(width, int(doc.size().height()) + 2)


class SearchBox(QLineEdit):
    """The query field; ``results`` is the list it fills (shown instead of the tree)."""

    hit_chosen = Signal(int, str)  # document id, query
    active_changed = Signal(bool)

    def __init__(self, ctx: AppContext, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("search")
        self.setClearButtonEnabled(True)
        self.addAction(icon(ctx, "search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setPlaceholderText(self.tr("Search documents (Ctrl+F)…"))
        self.results = QListWidget()
        self.results.setObjectName("search-results")
        self.results.setAlternatingRowColors(True)
        self.results.setItemDelegate(_HtmlDelegate(self.results))
        self.results.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(self._open_item)
        self.results.itemClicked.connect(self._open_item)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self.textChanged.connect(self._typed)
        self.returnPressed.connect(self._open_first)
        self.installEventFilter(self)
        self._sent = 0
        self._shown = 0
        self._query = ""

    def _typed(self, text: str) -> None:
        self.active_changed.emit(bool(text.strip()))
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.results.clear()

    def _run(self) -> None:
        query = self.text().strip()
        self._sent += 1
        number = self._sent
        self.db.submit(lambda s: search.search(s, query, limit=30, prefix=True),
                       lambda hits: self._show(number, query, hits), owner=self)

    def _show(self, number: int, query: str, hits: list[search.Hit]) -> None:
        if number < self._shown or number != self._sent:
            return  # an older answer
        self._shown, self._query = number, query
        self.results.clear()
        if not hits:
            item = QListWidgetItem(self.tr("Nothing found."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
            return
        for hit in hits:
            head = " ".join(v for v in (hit.type_name or "", hit.code) if v)
            item = QListWidgetItem(f"{head} · {hit.file_code}\n{hit.snippet.text}")
            item.setData(Qt.ItemDataRole.UserRole, hit.document_id)
            item.setData(HTML, f"<b>{html.escape(head)}</b> · {html.escape(hit.file_code)}<br>"
                               f"<span style='color:#5f6f6c'>{snippet_html(hit)}</span>")
            self.results.addItem(item)

    def result_count(self) -> int:
        return sum(1 for r in range(self.results.count())
                   if self.results.item(r).data(Qt.ItemDataRole.UserRole) is not None)

    def _open_item(self, item: QListWidgetItem) -> None:
        doc_id = item.data(Qt.ItemDataRole.UserRole)
        if doc_id is not None:
            self.hit_chosen.emit(int(doc_id), self._query)

    def _open_first(self) -> None:
        if self.results.count():
            self._open_item(self.results.item(0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
                and self.text()):
            self.clear()  # Esc empties the search and brings the tree back
            return True
        if (watched is self and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
                and self.results.count()):
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)
