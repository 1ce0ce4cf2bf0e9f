"""Drawing on the signature pad as a hand would: mouse, finger (touch events) or stylus
(tablet events with pressure), through Qt's own event delivery."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QPointingDeviceUniqueId, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

Path = Sequence[tuple[int, int]]


def signature_strokes(width: int, height: int) -> list[list[tuple[int, int]]]:
    """A loopy two-stroke signature filling the middle of a `width` x `height` pad."""
    first = [(round(width * (0.10 + 0.40 * k / 40)),
              round(height * (0.55 - 0.25 * math.sin(k * 0.7) - 0.10 * math.cos(k * 0.3))))
             for k in range(41)]
    second = [(round(width * (0.55 + 0.35 * k / 30)),
               round(height * (0.50 + 0.18 * math.sin(k * 0.9))))
              for k in range(31)]
    return [first, second]


def draw_with_mouse(canvas: QWidget, path: Path) -> None:
    left = Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, left, none, QPoint(*path[0]))
    for x, y in path[1:-1]:
        QTest.mouseMove(canvas, QPoint(x, y))
    QTest.mouseRelease(canvas, left, none, QPoint(*path[-1]))


@cache
def touch_screen(*, with_pressure: bool = False) -> QPointingDevice:
    """A touch screen registered with Qt (QTest's), reporting pressure or not."""
    capabilities = QInputDevice.Capability.Position
    if with_pressure:
        capabilities |= QInputDevice.Capability.Pressure
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen, capabilities)


def touch_sequence(canvas: QWidget, device: QPointingDevice) -> QTest.QTouchEventSequence:
    """Touches go to the canvas's window, as a real screen's do. (QTest's widget variant
    places the points off by the window's position on this Qt, so it is not used.)

    The sequence is sent when it is dropped, at the end of the statement that built it:
    its `commit()` is never called, because with PySide 6.12 on Python 3.11 each call
    takes a reference from None, and enough of them crash the interpreter at exit."""
    window = canvas.window().windowHandle()
    assert window is not None, "show the widget before touching it"
    return QTest.touchEvent(window, device)


def in_window(canvas: QWidget, x: int, y: int) -> QPoint:
    return canvas.mapTo(canvas.window(), QPoint(x, y))


def draw_with_touch(canvas: QWidget, device: QPointingDevice, path: Path,
                    finger: int = 0) -> None:
    touch_sequence(canvas, device).press(finger, in_window(canvas, *path[0]))
    for x, y in path[1:-1]:
        touch_sequence(canvas, device).move(finger, in_window(canvas, x, y))
    touch_sequence(canvas, device).release(finger, in_window(canvas, *path[-1]))


@cache
def stylus(*, with_pressure: bool = True) -> QPointingDevice:
    """A pen; kept for the whole run (owned by the application), as Qt expects of a
    device that events point to."""
    capabilities = QInputDevice.Capability.Position
    if with_pressure:
        capabilities |= QInputDevice.Capability.Pressure
    return QPointingDevice(f"test stylus {int(with_pressure)}", 4712 + int(with_pressure),
                           QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                           capabilities, 1, 2, "", QPointingDeviceUniqueId(),
                           QApplication.instance())


def send_tablet(canvas: QWidget, device: QPointingDevice, kind: QEvent.Type,
                at: tuple[int, int], pressure: float) -> None:
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else \
        Qt.MouseButton.LeftButton
    position = QPointF(*at)
    event = QTabletEvent(kind, device, position, QPointF(canvas.mapToGlobal(position)),
                         pressure, 0.0, 0.0, 0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                         Qt.MouseButton.LeftButton, held)
    QApplication.sendEvent(canvas, event)


def draw_with_stylus(canvas: QWidget, device: QPointingDevice, path: Path,
                     pressures: Sequence[float]) -> None:
    send_tablet(canvas, device, QEvent.Type.TabletPress, path[0], pressures[0])
    for point, pressure in zip(path[1:-1], pressures[1:-1], strict=True):
        send_tablet(canvas, device, QEvent.Type.TabletMove, point, pressure)
    send_tablet(canvas, device, QEvent.Type.TabletRelease, path[-1], 0.0)


def sign_with_mouse(canvas: QWidget) -> None:
    for stroke in signature_strokes(canvas.width(), canvas.height()):
        draw_with_mouse(canvas, stroke)
