"""How signature ink looks: smooth strokes on the pad, and the PNG kept with the record.

The value object (`SignatureInk`, in the domain) only holds points; this module paints it,
as the star rating paints itself in Qt's stardelegate example, so the pad on screen and
the picture that is printed are drawn by the same code.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter, QPainterPath, QPen

from clinic_desk.domain.signature import InkPoint, InkStroke, SignatureInk, ink_bounds
from clinic_desk.ui.theme import PALETTE

PEN_WIDTH = 2.6
"""The ink's width in pad pixels where the device reports no pressure."""

PRINT_SCALE = 3.125
"""Pad pixels are screen pixels (96 per inch); the PNG is drawn 3.125 times larger,
which is 300 dots per inch at the size it was signed."""

PNG_MARGIN = 12.0
"""Room left around the ink in the cropped PNG, in pad pixels."""

MAX_PNG_SIDE = 6000
"""No PNG side longer than this, whatever the pad's size."""


class PngBackground(StrEnum):
    TRANSPARENT = "transparent"
    WHITE = "white"


def pressure_width(pressure: float | None, base: float = PEN_WIDTH) -> float:
    """Lighter touch, thinner line: from 40 % of the base width to 160 %."""
    if pressure is None:
        return base
    return base * (0.4 + 1.2 * min(max(pressure, 0.0), 1.0))


def _mid(a: InkPoint, b: InkPoint) -> QPointF:
    return QPointF((a.x + b.x) / 2, (a.y + b.y) / 2)


def _at(point: InkPoint) -> QPointF:
    return QPointF(point.x, point.y)


def smooth_path(points: tuple[InkPoint, ...]) -> QPainterPath:
    """A quadratic curve through the midpoints, each recorded point its control point, so
    a fast stroke's corners come out rounded as the pen drew them."""
    path = QPainterPath(_at(points[0]))
    if len(points) == 2:
        path.lineTo(_at(points[1]))
    for index in range(1, len(points) - 1):
        path.quadTo(_at(points[index]), _mid(points[index], points[index + 1]))
    if len(points) > 2:
        path.lineTo(_at(points[-1]))
    return path


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def paint_stroke(painter: QPainter, stroke: InkStroke, colour: QColor,
                 base: float = PEN_WIDTH) -> None:
    """One stroke in ink coordinates (the painter's transform maps them onto the pad)."""
    points = stroke.points
    if not points:
        return
    if len(points) == 1:  # a dot is a dot, not nothing
        radius = pressure_width(points[0].pressure, base) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(_at(points[0]), radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if all(point.pressure is None for point in points):
        painter.setPen(_pen(colour, base))
        painter.drawPath(smooth_path(points))
        return
    # Pressure varies the width: each curve piece is drawn with its own pen; round caps
    # join the pieces without a seam.
    last = len(points) - 1
    for index in range(last + 1):
        start = _at(points[0]) if index == 0 else _mid(points[index - 1], points[index])
        end = _at(points[last]) if index == last else _mid(points[index], points[index + 1])
        piece = QPainterPath(start)
        piece.quadTo(_at(points[index]), end)
        painter.setPen(_pen(colour, pressure_width(points[index].pressure, base)))
        painter.drawPath(piece)


def paint_ink(painter: QPainter, ink: SignatureInk, colour: QColor,
              base: float = PEN_WIDTH) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for stroke in ink.strokes:
        paint_stroke(painter, stroke, colour, base)


def signature_image(ink: SignatureInk, *, background: PngBackground,
                    scale: float = PRINT_SCALE, margin: float = PNG_MARGIN,
                    colour: str = PALETTE.text) -> QImage:
    """The ink cropped to its bounds plus `margin`, drawn `scale` times larger (an empty
    pad gives a blank image the size of the margins)."""
    box = ink_bounds(ink)
    left, top = (box.left, box.top) if box else (0.0, 0.0)
    width, height = (box.width, box.height) if box else (0.0, 0.0)
    scale = min(scale, MAX_PNG_SIDE / (max(width, height) + 2 * margin))
    image = QImage(max(1, round((width + 2 * margin) * scale)),
                   max(1, round((height + 2 * margin) * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.fill(Qt.GlobalColor.transparent if background is PngBackground.TRANSPARENT
               else Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    painter.translate(margin - left, margin - top)
    paint_ink(painter, ink, QColor(colour))
    painter.end()
    return image


def signature_png(ink: SignatureInk, *, background: PngBackground,
                  scale: float = PRINT_SCALE, margin: float = PNG_MARGIN,
                  colour: str = PALETTE.text) -> bytes:
    """The PNG bytes of `signature_image` (the same ink always gives the same bytes)."""
    image = signature_image(ink, background=background, scale=scale, margin=margin,
                            colour=colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"png")).write(image)
    buffer.close()
    return bytes(data.data())


def ink_rect(ink: SignatureInk) -> QRectF:
    box = ink_bounds(ink)
    return QRectF() if box is None else QRectF(box.left, box.top, box.width, box.height)
