"""The lock that locks: while engaged, the unlock screen owns every key, click and shortcut.

Why two layers: hiding the workspace and disabling the menu bar was not enough
(actions added to the window keep their shortcuts live, and a QAction can be
triggered by code that still runs, such as an answer arriving from the
database thread). So every action of the window is disabled (its state kept
and put back on unlock), and an application-wide event filter swallows key,
shortcut, mouse and drop events meant for anything outside the unlock screen.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.ContextMenu,
    QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.TouchBegin,
})


class InputLock(QObject):
    """Engage over ``window`` leaving only ``allowed`` (the unlock screen) usable."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.allowed: QWidget | None = None
        self._saved: dict[QAction, bool] = {}
        self.engaged = False

    def engage(self, allowed: QWidget) -> None:
        self.allowed = allowed
        if not self.engaged:
            self.engaged = True
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self.hold_actions()

    def hold_actions(self) -> None:
        """Disable every action not on the unlock screen (again: new ones may have come)."""
        for action in self._actions():
            if action not in self._saved:
                self._saved[action] = action.isEnabled()
            action.setEnabled(False)

    def release(self) -> None:
        if not self.engaged:
            return
        self.engaged = False
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for action, enabled in self._saved.items():
            if shiboken6.isValid(action):
                action.setEnabled(enabled)
        self._saved.clear()

    def _actions(self) -> list[QAction]:
        found = [*self.window.findChildren(QAction), *self.window.actions()]
        return [a for a in dict.fromkeys(found) if not self._on_allowed(a)]

    def _on_allowed(self, obj: QObject | None) -> bool:
        allowed = self.allowed
        while obj is not None and allowed is not None:
            if obj is allowed:
                return True
            obj = obj.parent()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.engaged or event.type() not in _INPUT or not self._ours(watched):
            return False
        if not isinstance(watched, QWidget):
            # A shortcut aimed at an action (or QShortcut) of the locked workspace.
            return event.type() == QEvent.Type.Shortcut and not self._on_allowed(watched)
        # A message box (an error that arrived while locked) can still be closed.
        return not self._on_allowed(watched) and not isinstance(watched.window(), QMessageBox)

    def _ours(self, obj: QObject | None) -> bool:
        """Does ``obj`` belong to this window (another window's input is not ours to eat)?"""
        while obj is not None:
            if obj is self.window:
                return True
            obj = obj.parent()
        return False
