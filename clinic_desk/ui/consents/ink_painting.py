"""How signature ink looks: smooth strokes on the pad, and the PNG kept with the record.

The value object (`SignatureInk`, in the domain) only holds points; this module paints it,
as the star rating paints itself in Qt's stardelegate example, so the pad on screen and
the picture that is printed are drawn by the same code.
"""

from __future__ import annotations

import itertools
import math
from enum import StrEnum

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter, QPen, QPolygonF

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


# PySide 6.12 on Python 3.11 takes a reference from None on every call of a method that
# returns nothing (setPen, drawPath, quadTo...), and the pad repaints on each movement of
# the pen. So the smooth line is worked out here in Python, and each stroke is drawn
# with a handful of calls rather than a few per point.

Sample = tuple[float, float, float | None]  # x, y, pressure


def _quad(start: Sample, control: Sample, end: Sample) -> list[Sample]:
    """Points along a quadratic curve, about one every pixel and a half (smooth still at
    print resolution), at least one."""
    length = math.dist(start[:2], control[:2]) + math.dist(control[:2], end[:2])
    steps = max(1, min(32, round(length / 1.5)))
    found: list[Sample] = []
    for step in range(1, steps + 1):
        t = step / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        x = a * start[0] + b * control[0] + c * end[0]
        y = a * start[1] + b * control[1] + c * end[1]
        found.append((x, y, control[2]))
    return found


def smooth_line(points: tuple[InkPoint, ...]) -> list[Sample]:
    """A quadratic curve through the midpoints, each recorded point its control point, so
    a fast stroke's corners come out rounded as the pen drew them."""
    raw: list[Sample] = [(p.x, p.y, p.pressure) for p in points]
    if len(raw) <= 2:
        return raw

    def mid(a: Sample, b: Sample) -> Sample:
        return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, a[2])

    line = [raw[0], mid(raw[0], raw[1])]
    for index in range(1, len(raw) - 1):
        line += _quad(line[-1], raw[index], mid(raw[index], raw[index + 1]))
    line.append(raw[-1])
    return line


def _pen(colour: QColor, width: float) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)


def paint_stroke(painter: QPainter, stroke: InkStroke, colour: QColor,
                 base: float = PEN_WIDTH) -> None:
    """One stroke in ink coordinates (the painter's transform maps them onto the pad)."""
    points = stroke.points
    if not points:
        return
    if len(points) == 1:  # a dot is a dot, not nothing
        width = pressure_width(points[0].pressure, base)
        painter.setPen(_pen(colour, width))
        painter.drawPoint(QPointF(points[0].x, points[0].y))
        return
    line = smooth_line(points)
    if all(point.pressure is None for point in points):
        painter.setPen(_pen(colour, base))
        painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y, _ in line]))
        return
    # Pressure varies the width: the pieces are sorted by width (in quarter pixels) and
    # each width drawn at once; round caps join the pieces without a seam.
    by_width: dict[float, list[QLineF]] = {}
    for (x1, y1, pressure), (x2, y2, _) in itertools.pairwise(line):
        width = round(pressure_width(pressure, base) * 4) / 4
        by_width.setdefault(width, []).append(QLineF(x1, y1, x2, y2))
    for width, pieces in by_width.items():
        painter.setPen(_pen(colour, width))
        painter.drawLines(pieces)


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

