"""Habits of the whole application, in one place rather than patched into each window:

- Enter (or the keypad's Enter) on a focused push or tool button presses it, in every
  window, as Space does. Qt does this only inside dialogs. A button that toggles (a Yes/No
  answer, "Show archived") is left alone: Enter never changes an answer, Space does.
- A control that receives the focus scrolls fully into view in every scroll area around it.

Both follow the application's focus changes: only the focused button is watched, so no
filter sits in the path of every event (tests/benchmarks/shell_filter_benchmark.py measured
what an application-wide filter costs). Windows fitting the screen is
`clinic_desk.ui.window_size`, applied where windows are shown (the session, the dialog
service, the charts).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QScrollArea,
    QWidget,
)

ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# Room kept around a control scrolled into view, so its focus ring shows too.
REVEAL_MARGIN = 12


def presses_on_enter(widget: QObject) -> bool:
    """A button whose job is to do something (not to hold an answer), ready to be pressed."""
    return (
        isinstance(widget, QAbstractButton)
        and not isinstance(widget, (QCheckBox, QRadioButton))
        and not widget.isCheckable()
        and widget.isEnabled()
        and widget.isVisible()
        and widget.hasFocus()
    )


def reveal(widget: QWidget, margin: int = REVEAL_MARGIN) -> None:
    """Scrolls every scroll area around the widget so that all of it shows, innermost
    first (a field in a card in a scrolling page).

    Not `ensureWidgetVisible`: for a text field that shows only the text cursor, and a
    field half under the edge of the view is what this is here to prevent.
    """
    inner = widget
    ancestor = widget.parentWidget()
    while ancestor is not None and not inner.isWindow():
        if isinstance(ancestor, QScrollArea):
            content = ancestor.widget()
            if content is not None and (content is inner or content.isAncestorOf(inner)):
                centre = QRect(inner.mapTo(content, QPoint(0, 0)), inner.size()).center()
                ancestor.ensureVisible(centre.x(), centre.y(), inner.width() // 2 + margin,
                                       inner.height() // 2 + margin)
                inner = ancestor
        ancestor = ancestor.parentWidget()


class ShellBehaviour(QObject):
    """Installed once on the application (`install_shell_behaviour`)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._watched: QAbstractButton | None = None
        app.focusChanged.connect(self._focus_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in ENTER_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and presses_on_enter(watched)):
            assert isinstance(watched, QAbstractButton)
            if not event.isAutoRepeat():
                watched.click()
            return True
        return False

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):  # a button deleted meanwhile
                self._watched.removeEventFilter(self)
            self._watched = None
        if now is None:
            return
        if isinstance(now, QAbstractButton) and not isinstance(now, (QCheckBox, QRadioButton)):
            now.installEventFilter(self)
            self._watched = now
        reveal(now)


def install_shell_behaviour(app: QApplication) -> ShellBehaviour:
    existing = app.findChild(ShellBehaviour)
    return existing if existing is not None else ShellBehaviour(app)
