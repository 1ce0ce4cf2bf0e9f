"""Windows open no larger than the screen they appear on, and inside it.

One helper for every top-level window and dialog; the shell applies it whenever a window
is shown (`clinic_desk.ui.shell`), and tests call it with the available geometry of the
screen they want to try (1024×768, say), whatever screen the test itself runs on.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for a window manager's frame and title bar, which are not known before the
# window is first shown.
FRAME_ALLOWANCE = QSize(16, 40)
# The smallest screen the application is laid out for.
SMALLEST_SCREEN = QSize(1024, 768)


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen that windows may use (without panels and docks)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(QPoint(0, 0),
                                                                       SMALLEST_SCREEN)


def room_on(available: QRect) -> QSize:
    """The largest window, without its frame, that fits in the available area."""
    return QSize(max(available.width() - FRAME_ALLOWANCE.width(), 1),
                 max(available.height() - FRAME_ALLOWANCE.height(), 1))


def fitted_size(wanted: QSize, minimum: QSize, available: QRect) -> QSize:
    """`wanted`, made small enough for the area, but never below the window's minimum (a
    window whose minimum does not fit is a layout to mend, and the tests say so)."""
    room = room_on(available)
    return QSize(max(min(wanted.width(), room.width()), minimum.width()),
                 max(min(wanted.height(), room.height()), minimum.height()))


def minimum_of(window: QWidget) -> QSize:
    return window.minimumSize().expandedTo(window.minimumSizeHint()).expandedTo(QSize(0, 0))


def fit_to_screen(window: QWidget, available: QRect | None = None) -> None:
    """Shrinks a window that is larger than the area; one that fits is left exactly as it
    is. Where it goes is left to Qt and the window manager: Qt keeps a restored window's
    title bar on screen, and a move made here, before the frame is known, would not."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = available if available is not None else available_area(window)
    size = fitted_size(window.size(), minimum_of(window), area)
    if size != window.size():
        window.resize(size)


def open_size(window: QWidget, preferred: QSize, available: QRect | None = None) -> QSize:
    """The size a window opens at: what it prefers, as far as the screen allows."""
    area = available if available is not None else available_area(window)
    return fitted_size(preferred, minimum_of(window), area)
