"""The page viewer (zoom, fit, word boxes) and the thumbnail strip (a fixed grid, a selection
of pages; drag or Ctrl+Shift+←/→ to reorder).

Word boxes come from the page's OCR words, in the pixels of the cleaned image
the viewer shows. Doubtful words (low Tesseract confidence) are tinted; the
region a field was read from and the words a search matched are outlined;
clicking a word hands its text to the correction form.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from capture.pages import PageImage

DOUBTFUL = QColor(255, 170, 0, 70)
HIT = QColor(255, 230, 0, 120)
REGION = QColor(47, 93, 98)


class PageViewer(QGraphicsView):
    """Shows one page; ``word_clicked(text)`` when the user clicks a word.

    The word boxes are painted in ``drawForeground`` and hit-tested by hand
    rather than made into one graphics item each: a page has hundreds of
    words, and one persistent pixmap item is all the scene ever holds.
    """

    word_clicked = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, doubtful_conf: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page-viewer")
        self.doubtful_conf = doubtful_conf
        self.scene_ = QGraphicsScene(self)
        self.setScene(self.scene_)
        self.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform
                            | QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QBrush(QColor("#dfe4e1")))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setMouseTracking(True)
        # The marks are painted over the page, not scene items: repaint the whole view
        # so a scroll never leaves a stale copy of them behind.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        # A scroll bar that came and went with the zoom would resize the view, refit the
        # page and bring it back: an endless relayout. So it is always there.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._fitted_width = -1
        self.fit_mode: str | None = "width"
        self.image: PageImage | None = None
        self._pixmap = QGraphicsPixmapItem()
        self.scene_.addItem(self._pixmap)
        self._message = QGraphicsTextItem()
        self.scene_.addItem(self._message)
        self._rects: list[QRectF] = []
        self._doubtful: list[bool] = []
        self._marks: list[tuple[QRectF, str]] = []
        self._hover: int | None = None

    # -- content --------------------------------------------------------------------------
    def clear_page(self, message: str = "") -> None:
        self.image = None
        self._pixmap.setPixmap(QPixmap())
        self._rects, self._doubtful, self._marks, self._hover = [], [], [], None
        self._message.setPlainText(message)
        self._message.setVisible(bool(message))
        self.scene_.setSceneRect(QRectF(0, 0, 400, 100))
        self.viewport().update()

    def set_page(self, image: PageImage) -> None:
        self.clear_page()
        self.image = image
        qimage = QImage.fromData(image.data)
        if qimage.isNull():
            self._message.setPlainText(self.tr("This page image cannot be shown."))
            self._message.setVisible(True)
            return
        self._pixmap.setPixmap(QPixmap.fromImage(qimage))
        self._pixmap.setOpacity(0.35 if image.deleted else 1.0)
        self.scene_.setSceneRect(QRectF(0, 0, qimage.width(), qimage.height()))
        for word in image.words:
            self._rects.append(QRectF(float(word[1]), float(word[2]), float(word[3]),
                                      float(word[4])))
            self._doubtful.append(float(word[5]) < self.doubtful_conf)
        self._refit()

    def has_image(self) -> bool:
        return not self._pixmap.pixmap().isNull()

    def word_text(self, index: int) -> str:
        return str(self.image.words[index][0]) if self.image else ""

    def doubtful_count(self) -> int:
        return sum(self._doubtful)

    def clear_marks(self) -> None:
        self._marks = []
        self.viewport().update()

    def mark_region(self, left: float, top: float, width: float, height: float) -> None:
        """Outline where a field was read, and bring it into view."""
        rect = QRectF(left, top, width, height)
        self._marks = [(rect, "region")]
        self.ensureVisible(rect, 40, 40)
        self.viewport().update()

    def mark_words(self, indexes: tuple[int, ...] | list[int]) -> None:
        """Highlight search hits on the page."""
        self._marks = [(self._rects[i], "hit") for i in indexes if 0 <= i < len(self._rects)]
        if self._marks:
            self.ensureVisible(self._marks[0][0], 40, 80)
        self.viewport().update()

    def marked_count(self) -> int:
        return len(self._marks)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(DOUBTFUL))
        for box, doubtful in zip(self._rects, self._doubtful, strict=True):
            if doubtful and box.intersects(QRectF(rect)):
                painter.drawRect(box)
        for box, kind in self._marks:
            if kind == "hit":
                painter.setPen(_pen(QColor("#c9822b"), 2))
                painter.setBrush(QBrush(HIT))
            else:  # an outline a few screen pixels clear of the words, so they stay readable
                painter.setPen(_pen(REGION, 2))
                painter.setBrush(QBrush(QColor(47, 93, 98, 18)))
                room = 5.0 / max(0.01, self.transform().m11())
                box = box.adjusted(-room, -room, room, room)
            painter.drawRect(box)
        if self._hover is not None and self._hover < len(self._rects):
            painter.setPen(_pen(REGION, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._rects[self._hover])

    def _word_at(self, event: QMouseEvent) -> int | None:
        point = self.mapToScene(event.position().toPoint())
        for index, box in enumerate(self._rects):
            if box.contains(point):
                return index
        return None

    # -- zoom -----------------------------------------------------------------------------
    def zoom_by(self, factor: float) -> None:
        self.fit_mode = None
        self.scale(factor, factor)
        self.zoom_changed.emit(self.transform().m11())

    def fit_width(self) -> None:
        self.fit_mode = "width"
        self._refit()

    def fit_page(self) -> None:
        self.fit_mode = "page"
        self._refit()

    def actual_size(self) -> None:
        """100 %: one image pixel per screen pixel, to read small print or a faint stamp."""
        self.fit_mode = None
        self.resetTransform()
        self.zoom_changed.emit(self.transform().m11())

    def pan(self, dx: int, dy: int) -> None:
        """Scroll a fifth of the view per step, from the keyboard: the clerk's hands stay
        on it while her focus stays in a field (arrows there move the cursor)."""
        for bar, step, size in ((self.horizontalScrollBar(), dx, self.viewport().width()),
                                (self.verticalScrollBar(), dy, self.viewport().height())):
            if step:
                bar.setValue(bar.value() + step * max(20, size // 5))

    def _refit(self) -> None:
        rect = self.scene_.sceneRect()
        if not self.has_image() or rect.width() <= 0:
            return
        if self.fit_mode == "page":
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        elif self.fit_mode == "width":
            scale = max(0.01, (self.viewport().width() - 4) / rect.width())
            self.resetTransform()
            self.scale(scale, scale)
            self.verticalScrollBar().setValue(0)
        self.zoom_changed.emit(self.transform().m11())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width or self.fit_mode == "page":
            self._fitted_width = event.size().width()
            self._refit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            return
        super().wheelEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self._word_at(event)
        if hover != self._hover:
            self._hover = hover
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hover is not None
                                      else Qt.CursorShape.OpenHandCursor)
            self.viewport().update()
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._word_at(event)
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.word_clicked.emit(self.word_text(index))
            return
        super().mousePressEvent(event)

    def click_word(self, index: int) -> None:
        """What a click on word ``index`` does (also used by keyboard-free tests)."""
        self.word_clicked.emit(self.word_text(index))


THUMB = QSize(96, 132)  # the icon; every cell is the same size, so pages never overlap


class _NumberBelow(QStyledItemDelegate):
    """A list (so dragging reorders) drawn like a contact sheet: the page, its number under it."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom


class ThumbnailStrip(QListWidget):
    """Page thumbnails in a fixed grid, one page per cell, its number under it.

    Click a page to show it; Ctrl+click, Shift+click, Shift+↑/↓ and Ctrl+A select
    several, and the page commands act on the selection. Drag pages to a new
    place to reorder (``reordered(order)``, the whole new order, once per drop).
    Every page gets a blank placeholder of the thumbnail's size at once and its
    image when it arrives (lazily, a few at a time), so the cells never change
    size and never overlap; a list in icon mode drew an 8-page document as one
    smear.
    """

    reordered = Signal(list)  # page ids in their new order
    chosen = Signal(int)  # page id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnails")
        self.setViewMode(QListWidget.ViewMode.ListMode)
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setIconSize(THUMB)
        self.setUniformItemSizes(True)
        self.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 30))
        self.setMovement(QListWidget.Movement.Snap)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setItemDelegate(_NumberBelow(self))
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(THUMB.width() + 16 + self.verticalScrollBar().sizeHint().width() + 6)
        self._blank = _placeholder()
        self.model().rowsMoved.connect(self._rows_moved)
        self.currentRowChanged.connect(self._row_changed)
        self._order: list[int] = []
        self._drop_pending = False

    def set_pages(self, pages: list[tuple[int, int, bool]]) -> None:
        """(page id, ordinal, deleted) for each page, in order; images come later.

        Pages selected before (the same document re-read after an edit) stay
        selected, so a second command acts on the same pages.
        """
        keep = set(self.selected_ids())
        self.blockSignals(True)
        self.clear()
        self._order = [p[0] for p in pages]
        for page_id, ordinal, deleted in pages:
            item = QListWidgetItem(self._blank, self.tr("Page {n}").format(n=ordinal))
            item.setData(Qt.ItemDataRole.UserRole, page_id)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            item.setSizeHint(self.gridSize())
            if deleted:
                item.setForeground(QBrush(QColor("#b23b3b")))
                item.setText(self.tr("Page {n} (deleted)").format(n=ordinal))
            self.addItem(item)
            item.setSelected(page_id in keep)
        self.blockSignals(False)
        self.itemSelectionChanged.emit()

    def set_thumbnail(self, page_id: int, jpeg: bytes, deleted: bool) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(jpeg)
        pixmap = pixmap.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        if deleted:
            pixmap = _crossed(pixmap)
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == page_id:
                item.setIcon(QIcon(pixmap))

    def select_page(self, page_id: int) -> None:
        """Make ``page_id`` the page shown: kept within the selection if it is in it (a
        Ctrl+click), else it alone is selected (PgDn, a search hit)."""
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) != page_id:
                continue
            self.blockSignals(True)
            if item.isSelected():
                self.setCurrentRow(row, QItemSelectionModel.SelectionFlag.NoUpdate)
            elif self.currentRow() != row or not self.selectedItems():
                # (the current row outside a selection: a Ctrl+click took it out; leave it)
                self.setCurrentRow(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.blockSignals(False)
            self.itemSelectionChanged.emit()
            self.scrollToItem(item)

    def page_ids(self) -> list[int]:
        return [int(self.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(self.count())]

    def selected_ids(self) -> list[int]:
        """The selected pages, in the document's order."""
        return [int(self.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(self.count())
                if self.item(r).isSelected()]

    def _row_changed(self, row: int) -> None:
        if 0 <= row < self.count():
            self.chosen.emit(int(self.item(row).data(Qt.ItemDataRole.UserRole)))

    def _rows_moved(self, *_args: Any) -> None:
        """A drop of several pages moves them one row at a time: say the order once, after."""
        if not self._drop_pending:
            self._drop_pending = True
            QTimer.singleShot(0, self._say_order)

    def _say_order(self) -> None:
        self._drop_pending = False
        new = self.page_ids()
        if new != self._order:
            self._order = new
            self.reordered.emit(new)

    def move_page(self, page_id: int, position: int) -> None:
        """Reorder as a drag would (for keyboard users and tests)."""
        ids = self.page_ids()
        row = ids.index(page_id)
        item = self.takeItem(row)
        self.insertItem(position - 1, item)
        self._say_order()


def _placeholder() -> QIcon:
    """A blank page of the thumbnail's size, shown until the page's image arrives."""
    pixmap = QPixmap(THUMB)
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#c9d3cf")))
    painter.drawRect(0, 0, THUMB.width() - 1, THUMB.height() - 1)
    painter.end()
    return QIcon(pixmap)


def _pen(color: QColor, width: float) -> QPen:
    """A pen as wide on screen at any zoom (a cosmetic pen)."""
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


def _crossed(pixmap: QPixmap) -> QPixmap:
    out = QPixmap(pixmap)
    painter = QPainter(out)
    painter.setOpacity(0.8)
    painter.setPen(QPen(QColor("#b23b3b"), max(3, out.width() // 25)))
    painter.drawLine(0, 0, out.width(), out.height())
    painter.drawLine(out.width(), 0, 0, out.height())
    painter.end()
    return out
