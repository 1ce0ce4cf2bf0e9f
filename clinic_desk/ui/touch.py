"""Touch and stylus in the treatment room: finger scrolling and targets of at least 44 px."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QScroller,
    QTabBar,
    QTabWidget,
    QWidget,
)

# WCAG 2.2 target size (enhanced) and the KDE/Apple touch guidance: 44 by 44 px.
TOUCH_PX = 44


def enable_finger_scrolling(area: QAbstractScrollArea, *, mouse_drag: bool = False) -> None:
    """A finger dragged over the view scrolls it, with momentum (kinetic scrolling).

    `mouse_drag` also scrolls by dragging with the mouse or a stylus that reports as one:
    useful where the content is read or tapped, not where text is selected by dragging.
    """
    gesture = (
        QScroller.ScrollerGestureType.LeftMouseButtonGesture
        if mouse_drag
        else QScroller.ScrollerGestureType.TouchGesture
    )
    QScroller.grabGesture(area.viewport(), gesture)


def touch_target(widget: QWidget) -> QWidget:
    """At least 44 by 44 px, however small its text or icon."""
    widget.setMinimumSize(widget.minimumSize().expandedTo(QSize(TOUCH_PX, TOUCH_PX)))
    return widget


def touch_targets(*widgets: QWidget) -> None:
    for widget in widgets:
        touch_target(widget)


def touch_buttons(root: QWidget) -> None:
    """Every button inside `root` at least 44 by 44 px."""
    for button in root.findChildren(QAbstractButton):
        touch_target(button)


class TouchTabBar(QTabBar):
    """Tabs at least 44 px tall (and wide), for a finger."""

    def tabSizeHint(self, index: int) -> QSize:
        return super().tabSizeHint(index).expandedTo(QSize(TOUCH_PX, TOUCH_PX))

    def minimumTabSizeHint(self, index: int) -> QSize:
        return super().minimumTabSizeHint(index).expandedTo(QSize(TOUCH_PX, TOUCH_PX))


class TouchTabWidget(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabBar(TouchTabBar(self))
