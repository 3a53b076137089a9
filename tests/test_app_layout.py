"""The layout fits 1366×768 and works at 1280×720: the page gets over half the width,
the page tools fit, labels sit on their own line above their fields."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton

from app.window import MainWindow, first_size
from tests import test_app as base
from tests.conftest import StoreFixture
from tests.test_app import login, open_at
from tests.test_store_pages import make_pdf_document

# the shared fixtures of tests/test_app.py
translated, prompts, window = base.translated, base.prompts, base.window
no_thread_left_running = base.no_thread_left_running


def test_the_first_window_is_never_larger_than_the_screen() -> None:
    assert first_size(QSize(1366, 728)) == QSize(1366, 728)
    assert first_size(QSize(1280, 680)) == QSize(1280, 680)
    assert first_size(QSize(1920, 1040)) == QSize(1480, 900)


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_the_page_gets_over_half_the_width(store: StoreFixture, window: MainWindow,
                                           qtbot: Any, size: tuple[int, int]) -> None:
    doc_id = make_pdf_document(store.login("lan"), batch="Lô cỡ")
    work = open_at(qtbot, window, doc_id, size)
    left, centre, right = work.splitter.sizes()
    assert centre >= window.width() / 2, work.splitter.sizes()
    # the page itself, thumbnails not counted (at 1280×720 it had 520 px, 41 %)
    assert work.viewer.width() >= window.width() / 2, (work.viewer.width(), window.width())
    assert right >= 260
    if size[0] >= 1920:
        assert left >= 150
    else:  # the tree is folded away, and one key brings it back, and folds it again
        assert left == 0
        qtbot.keyClick(work.form.editor("document", "subject"), Qt.Key.Key_F9)
        assert work.splitter.sizes()[0] >= 150 and work.tree.isVisible()
        qtbot.keyClick(work.tree, Qt.Key.Key_F9)
        assert work.splitter.sizes()[0] == 0
        assert work.viewer.width() >= window.width() / 2
    tools = work.findChild(QToolBar, "page-tools")
    assert tools is not None
    overflow = tools.findChild(QToolButton, "qt_toolbar_ext_button")
    assert overflow is None or not overflow.isVisible()  # every page tool is shown
    labels = [label for label in work.form.findChildren(QLabel)
              if label.buddy() is not None and label.isVisible()]
    assert labels and all(label.wordWrap() is False for label in labels)
    for label in labels:  # each label on its own line, above its field
        assert label.geometry().bottom() <= label.buddy().mapTo(
            label.parentWidget(), label.buddy().rect().topLeft()).y()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_every_required_field_is_in_sight_without_scrolling(
        store: StoreFixture, window: MainWindow, qtbot: Any, size: tuple[int, int]) -> None:
    """The dossier's title and retention sat below the fold at 1280×720 (issue 13 item 9):
    now pinned above the scrolled part, the document's short fields side by side."""
    from PySide6.QtCore import QPoint, Qt

    from extract import records

    doc_id = make_pdf_document(store.login("lan"), batch="Lô gọn")
    work = open_at(qtbot, window, doc_id, size)
    form = work.form
    body = form.widget()
    assert body is not None

    def in_sight(kind: str, name: str) -> bool:
        edit = form.editor(kind, name)
        area = form.viewport() if body.isAncestorOf(edit) else form
        top = edit.mapTo(area, QPoint(0, 0))
        return edit.isVisible() and top.y() >= 0 and top.y() + edit.height() <= area.height()

    assert form.verticalScrollBar().value() == 0
    cut = _cut_on_the_right(form)
    assert cut == [], f"under the scroll bar or past the form's edge at {size}: {cut}"
    hidden = [n for n in records.REQUIRED_DOCUMENT if not in_sight("document", n)]
    hidden += [n for n in records.REQUIRED_DOSSIER if n != "file_code"
               and not in_sight("dossier", n)]
    assert hidden == [], f"required fields below the fold at {size}: {hidden}"
    assert form.geometry().bottom() <= work.height()  # and the form itself in the window
    title = form.editor("dossier", "title")
    title.setFocus()  # typing there leaves the document's fields where they were
    assert in_sight("document", "subject")
    code = form.editor("dossier", "file_code")  # never empty (capture gives one): reachable
    form.editor("dossier", "maintenance").setFocus()
    qtbot.keyClick(form.editor("dossier", "maintenance"), Qt.Key.Key_Tab)
    assert code.hasFocus() and in_sight("dossier", "file_code")


def _cut_on_the_right(form: Any) -> list[str]:
    """The form's labels and fields whose right end is hidden: under the vertical scroll
    bar (the pinned dossier fields spanned it at 1366×768: "Thời hạn bảo quản *" lost
    its star and its field its edge) or past the form's right edge."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLineEdit

    bar = form.verticalScrollBar()
    limit = form.width() - form.frameWidth()
    if bar.isVisibleTo(form):
        limit = min(limit, bar.mapTo(form, QPoint(0, 0)).x())
    cut = []
    for widget in [*form.findChildren(QLineEdit), *form.findChildren(QLabel)]:
        if widget.isVisible() and (widget.text() != "" or isinstance(widget, QLineEdit)):
            right = widget.mapTo(form, QPoint(widget.width(), 0)).x()
            if right > limit:
                cut.append(widget.objectName() if isinstance(widget, QLineEdit)
                           else widget.text())
    return cut


@pytest.mark.parametrize("user", ["minh", "admin"])
def test_the_screen_names_wrap_in_the_narrow_column(store: StoreFixture, window: MainWindow,
                                                  qtbot: Any, user: str) -> None:
    """"Nhật ký thao tác" was cut to "Nhật ký th…" in the navigation column."""
    from PySide6.QtCore import QRect, Qt

    login(qtbot, window, user)
    nav = window.nav
    metrics = nav.fontMetrics()
    for row in range(nav.count()):
        item = nav.item(row)
        cell = item.sizeHint()
        assert 0 < cell.width() <= nav.gridSize().width(), item.text()
        text = metrics.boundingRect(QRect(0, 0, cell.width(), 1000),
                                    int(Qt.TextFlag.TextWordWrap), item.text())
        assert text.width() <= cell.width(), item.text()
        assert text.height() + nav.iconSize().height() <= cell.height(), item.text()
        if metrics.horizontalAdvance(item.text()) > cell.width():  # as drawn: two lines
            assert _text_lines(nav, row) == 2, item.text()


def _text_lines(nav: Any, row: int) -> int:
    """How many lines of light text are drawn under the item's icon (a style sheet's item
    padding drew "Nhật ký thao tác" on one line, elided, whatever the size hint said):
    the height of the ink below the icon, in lines."""
    image = nav.grab(nav.visualItemRect(nav.item(row))).toImage()
    top = nav.iconSize().height() + 8
    inked = [y for y in range(top, image.height())
             if any(image.pixelColor(x, y).lightness() > 190 for x in range(image.width()))]
    line = nav.fontMetrics().height()
    return 0 if not inked else 1 + int((inked[-1] - inked[0]) > 1.3 * line)


def test_the_tree_unfolds_when_the_window_widens(store: StoreFixture, window: MainWindow,
                                                 qtbot: Any) -> None:
    """Folded at 1280×720, the tree comes back by itself at 1920×1080, and goes again."""
    doc_id = make_pdf_document(store.login("lan"), batch="Lô rộng")
    work = open_at(qtbot, window, doc_id, (1280, 720))
    assert work.splitter.sizes()[0] == 0
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: work.splitter.sizes()[0] >= 150)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: work.splitter.sizes()[0] == 0)
    assert work.viewer.width() >= 640
