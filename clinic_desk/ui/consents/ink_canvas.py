"""The surface of the signature pad: takes mouse, finger and stylus, and paints the ink.

Points are kept as a `SignatureInk` (pure domain data); painting is `ink_painting`'s.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPointingDevice,
    QTabletEvent,
    QTouchEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_desk.domain.signature import (
    InkDevice,
    InkPoint,
    InkStroke,
    SignatureInk,
    empty_ink,
    with_stroke,
)
from clinic_desk.ui.consents.ink_painting import paint_ink
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import PALETTE

BASELINE_AT = 0.72
"""The baseline's height, as a fraction of the pad's, from the top."""

Clock = Callable[[], float]


def _reports_pressure(device: QInputDevice | None) -> bool:
    return device is not None and bool(
        device.capabilities() & QInputDevice.Capability.Pressure)


class SignatureCanvas(QWidget):
    """Where the hand writes. Points are kept in the coordinates of the pad as it was
    when the first stroke began; if the window is resized afterwards the ink is scaled
    to fit, and new strokes are mapped back into the same frame."""

    ink_changed = Signal(object)  # SignatureInk, after a stroke ends, an undo or a clear
    stroke_started = Signal()

    def __init__(self, clock: Clock = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(tr("Signature pad"))
        self.setAccessibleDescription(tr("Sign here with your finger, a stylus or the mouse."))
        self._clock = clock
        self._origin: float | None = None
        self._frame = QSize()
        self._strokes: list[InkStroke] = []
        self._devices: list[InkDevice] = []
        self._current: list[InkPoint] = []
        self._current_device: InkDevice | None = None
        self._touch_id: int | None = None
        self.hint = tr("Sign here")
        self.disabled_hint = ""

    # --- the value --------------------------------------------------------------------

    def ink(self) -> SignatureInk:
        frame = self._frame if not self._frame.isEmpty() else self.size()
        counts = Counter[InkDevice]()
        for stroke, device in zip(self._strokes, self._devices, strict=True):
            counts[device] += len(stroke.points)
        device = InkDevice.MOUSE
        if counts:  # the device that left the most ink; on a tie, the latest
            most = max(counts.values())
            device = next(d for d in reversed(self._devices) if counts[d] == most)
        result = empty_ink(frame.width(), frame.height(), device)
        for stroke in self._strokes:
            result = with_stroke(result, stroke)
        return result

    def clear(self) -> None:
        had_ink = bool(self._strokes or self._current)
        self._strokes.clear()
        self._devices.clear()
        self._end_without_keeping()
        self._origin = None
        self._frame = QSize()
        self.update()
        if had_ink:
            self.ink_changed.emit(self.ink())

    def undo_stroke(self) -> None:
        if not self._strokes:
            return
        self._strokes.pop()
        self._devices.pop()
        if not self._strokes:
            self._origin = None
            self._frame = QSize()
        self.update()
        self.ink_changed.emit(self.ink())

    def stroke_in_progress(self) -> bool:
        return self._current_device is not None

    # --- geometry ---------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 150)

    def _to_widget(self) -> QTransform:
        if self._frame.isEmpty():
            return QTransform()
        scale = min(self.width() / self._frame.width(), self.height() / self._frame.height())
        return QTransform.fromScale(scale, scale)

    def _ink_point(self, position: QPointF, pressure: float | None) -> InkPoint:
        now = self._clock()
        if self._origin is None:
            self._origin = now
        inverse, _ = self._to_widget().inverted()
        at = inverse.map(position)
        return InkPoint(round(at.x(), 2), round(at.y(), 2),
                        round((now - self._origin) * 1000),
                        None if pressure is None else round(pressure, 4))

    # --- strokes ----------------------------------------------------------------------

    def _begin(self, device: InkDevice, position: QPointF, pressure: float | None) -> None:
        if self._frame.isEmpty():
            self._frame = self.size()
        self._current_device = device
        self._current = [self._ink_point(position, pressure)]
        self.stroke_started.emit()
        self.update()

    def _extend(self, position: QPointF, pressure: float | None) -> None:
        point = self._ink_point(position, pressure)
        last = self._current[-1]
        if (point.x, point.y) == (last.x, last.y):
            return
        self._current.append(point)
        self.update()

    def _finish(self) -> None:
        if self._current_device is None:
            return
        self._strokes.append(InkStroke(tuple(self._current)))
        self._devices.append(self._current_device)
        self._end_without_keeping()
        self.update()
        self.ink_changed.emit(self.ink())

    def _end_without_keeping(self) -> None:
        self._current = []
        self._current_device = None
        self._touch_id = None

    # --- input ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.stroke_in_progress():
            event.ignore()
            return
        self._begin(InkDevice.MOUSE, event.position(), None)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current_device is InkDevice.MOUSE:
            self._extend(event.position(), None)
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._current_device is InkDevice.MOUSE and event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position(), None)
            self._finish()
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, so Qt does not also send the same movement as mouse events.
        event.accept()
        if event.pointerType() == QPointingDevice.PointerType.Eraser:
            return
        pressure = event.pressure() if _reports_pressure(event.pointingDevice()) else None
        kind = event.type()
        if kind == QEvent.Type.TabletPress and not self.stroke_in_progress():
            self._begin(InkDevice.STYLUS, event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._current_device is InkDevice.STYLUS:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease and self._current_device is InkDevice.STYLUS:
            self._finish()  # the lift-off point carries no pressure worth keeping

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel) and self.isEnabled():
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:  # the system took the touch away: not a stroke
            if self._current_device is InkDevice.TOUCH:
                self._end_without_keeping()
                self.update()
            return
        pressure_known = _reports_pressure(event.pointingDevice())
        for point in event.points():  # one finger writes; a resting palm or second finger does not
            if kind == QEvent.Type.TouchBegin and self._touch_id is None:
                if self.stroke_in_progress():
                    return
                self._touch_id = point.id()
                self._begin(InkDevice.TOUCH, point.position(),
                            point.pressure() if pressure_known else None)
            elif point.id() == self._touch_id:
                lifted = point.state() == point.State.Released or kind == QEvent.Type.TouchEnd
                # A finger's lift-off reports no pressure: it keeps the last one it had.
                pressure = (None if not pressure_known
                            else self._current[-1].pressure if lifted else point.pressure())
                self._extend(point.position(), pressure)
                if lifted:
                    self._finish()

    # --- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        enabled = self.isEnabled()
        paper = QColor(PALETTE.base if enabled else PALETTE.disabled_window)
        muted = QColor(PALETTE.muted_text if enabled else PALETTE.disabled_text)
        edge = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor(PALETTE.accent if enabled else PALETTE.border),
                            2 if enabled else 1))
        painter.setBrush(paper)
        painter.drawRoundedRect(edge, 10, 10)
        baseline = self.height() * BASELINE_AT
        left, right = self.width() * 0.07, self.width() * 0.93
        painter.setPen(QPen(muted, 1.5))
        painter.drawLine(QPointF(left, baseline), QPointF(right, baseline))
        cross = 9.0  # the "sign here" cross at the start of the line
        painter.drawLine(QPointF(left, baseline - cross - 6), QPointF(left + cross,
                                                                      baseline - 6))
        painter.drawLine(QPointF(left + cross, baseline - cross - 6), QPointF(left,
                                                                              baseline - 6))
        blank = not self._strokes and not self._current
        hint = self.hint if enabled else (self.disabled_hint or self.hint)
        if blank:  # over ink, words would only get in the way
            font = QFont(self.font())
            font.setPointSizeF(max(font.pointSizeF() * 1.25, 13.0))
            painter.setFont(font)
            painter.setPen(muted)
            text_box = QRectF(left, baseline + 8, right - left, self.height() - baseline - 12)
            painter.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                           | Qt.TextFlag.TextWordWrap), hint)
        painter.setTransform(self._to_widget())
        ink_colour = QColor(PALETTE.text if enabled else PALETTE.disabled_text)
        paint_ink(painter, self.ink(), ink_colour)
        if self._current:
            live = empty_ink(1, 1, InkDevice.MOUSE)
            paint_ink(painter, with_stroke(live, InkStroke(tuple(self._current))), ink_colour)
        painter.end()
