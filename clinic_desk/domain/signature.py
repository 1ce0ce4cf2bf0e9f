"""A handwritten signature as data: the strokes drawn on the pad, not only a picture.

Coordinates are in the pad's own pixels (`width` x `height`), time in milliseconds from
the first point, pressure in 0..1 where the device reports it (a mouse and most touch
screens do not: `pressure_reported` says which, so a flat pressure is never invented).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from enum import StrEnum


class SignatureMeaning(StrEnum):
    """What a signature means, printed beneath it and frozen in the record."""

    PATIENT_CONSENT = "patient_consent"
    PATIENT_DECLINE = "patient_decline"
    PRACTITIONER = "practitioner"
    WITNESS = "witness"


class InkDevice(StrEnum):
    MOUSE = "mouse"
    TOUCH = "touch"
    STYLUS = "stylus"


@dataclass(frozen=True, slots=True)
class InkPoint:
    x: float
    y: float
    t_ms: int
    pressure: float | None = None


@dataclass(frozen=True, slots=True)
class InkStroke:
    points: tuple[InkPoint, ...]


@dataclass(frozen=True, slots=True)
class SignatureInk:
    strokes: tuple[InkStroke, ...]
    width: int
    height: int
    device: InkDevice
    pressure_reported: bool


# --- What the pad needs, and what makes a mark too trivial to be a signature -----------
#
# Sizes are fractions of the pad, so that the same hand gives the same verdict on a
# small laptop and on a large treatment-room screen. A refusal is never final: the
# person is told in plain words what to do, and signs again.

DOT_MAX_EXTENT = 0.02
"""A mark no wider or taller than this fraction of the pad's width is a dot (or a tap)."""

MIN_POINTS = 10
"""Fewer recorded points than this, over all strokes, is a flick, not a signature."""

STRAIGHT_LINE_RATIO = 0.05
"""A mark thinner across its main direction than this fraction of its length along it is
a straight line (in any direction)."""

MIN_INK_LENGTH = 0.5
"""Less ink in total than this fraction of the pad's width is too little to be a signature."""

MIN_WIDTH = 0.15
"""A signature spans at least this fraction of the pad's width..."""

MIN_HEIGHT = 0.08
"""...and at least this fraction of its height."""


class MarkProblem(StrEnum):
    EMPTY = "empty"
    DOT = "dot"
    TOO_FEW_POINTS = "too_few_points"
    STRAIGHT_LINE = "straight_line"
    TOO_LITTLE_INK = "too_little_ink"
    TOO_SMALL = "too_small"


MARK_PROBLEM_TEXTS: dict[MarkProblem, str] = {
    MarkProblem.EMPTY: "Nothing is signed yet: please sign in the box with your finger, "
    "a stylus or the mouse.",
    MarkProblem.DOT: "That is only a dot: please write your usual signature in the box.",
    MarkProblem.TOO_FEW_POINTS: "That mark is too short to be a signature: please write "
    "your usual signature.",
    MarkProblem.STRAIGHT_LINE: "A straight line is not a signature: please write your "
    "usual signature.",
    MarkProblem.TOO_LITTLE_INK: "That mark is too short to be a signature: please write "
    "your usual signature.",
    MarkProblem.TOO_SMALL: "The signature is too small: please sign larger, using more "
    "of the box.",
}
"""The plain words for each problem (the UI translates them)."""


@dataclass(frozen=True, slots=True)
class InkBox:
    """The smallest upright rectangle holding every point."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


def empty_ink(width: int, height: int, device: InkDevice) -> SignatureInk:
    return SignatureInk(strokes=(), width=width, height=height, device=device,
                        pressure_reported=False)


def all_points(ink: SignatureInk) -> tuple[InkPoint, ...]:
    return tuple(point for stroke in ink.strokes for point in stroke.points)


def point_count(ink: SignatureInk) -> int:
    return sum(len(stroke.points) for stroke in ink.strokes)


def is_blank(ink: SignatureInk) -> bool:
    return point_count(ink) == 0


def ink_bounds(ink: SignatureInk) -> InkBox | None:
    """The box around all the ink; None for an empty pad."""
    points = all_points(ink)
    if not points:
        return None
    xs = [point.x for point in points]
    ys = [point.y for point in points]
    return InkBox(min(xs), min(ys), max(xs), max(ys))


def stroke_length(stroke: InkStroke) -> float:
    """The length of the line through the stroke's points, in pad pixels."""
    points = stroke.points
    return sum(math.hypot(b.x - a.x, b.y - a.y) for a, b in itertools.pairwise(points))


def ink_length(ink: SignatureInk) -> float:
    return sum(stroke_length(stroke) for stroke in ink.strokes)


def without_last_stroke(ink: SignatureInk) -> SignatureInk:
    """Undo: the same ink less its most recent stroke (an empty pad stays empty)."""
    strokes = ink.strokes[:-1]
    return replace(ink, strokes=strokes, pressure_reported=_any_pressure(strokes))


def with_stroke(ink: SignatureInk, stroke: InkStroke) -> SignatureInk:
    strokes = (*ink.strokes, stroke)
    return replace(ink, strokes=strokes, pressure_reported=_any_pressure(strokes))


def _any_pressure(strokes: tuple[InkStroke, ...]) -> bool:
    return any(point.pressure is not None for stroke in strokes for point in stroke.points)


def main_axis_extents(ink: SignatureInk) -> tuple[float, float]:
    """How far the ink reaches along its main direction and across it (the principal axis
    of the points), so that a slanted line is as straight as a level one."""
    points = all_points(ink)
    if not points:
        return 0.0, 0.0
    mean_x = sum(p.x for p in points) / len(points)
    mean_y = sum(p.y for p in points) / len(points)
    sxx = sum((p.x - mean_x) ** 2 for p in points)
    syy = sum((p.y - mean_y) ** 2 for p in points)
    sxy = sum((p.x - mean_x) * (p.y - mean_y) for p in points)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(angle), math.sin(angle)
    along = [p.x * cos + p.y * sin for p in points]
    across = [p.y * cos - p.x * sin for p in points]
    return max(along) - min(along), max(across) - min(across)


def trivial_mark(ink: SignatureInk) -> MarkProblem | None:
    """Why this mark cannot count as a signature, or None when it can.

    Only the obviously meaningless is refused (an empty pad, a dot, a flick, a straight
    line, a tiny scribble); whether it is the patient's own hand is for the people in
    the room, not for this check."""
    box = ink_bounds(ink)
    if box is None:
        return MarkProblem.EMPTY
    if max(box.width, box.height) <= DOT_MAX_EXTENT * ink.width:
        return MarkProblem.DOT
    if point_count(ink) < MIN_POINTS:
        return MarkProblem.TOO_FEW_POINTS
    along, across = main_axis_extents(ink)
    if across < STRAIGHT_LINE_RATIO * along:
        return MarkProblem.STRAIGHT_LINE
    if ink_length(ink) < MIN_INK_LENGTH * ink.width:
        return MarkProblem.TOO_LITTLE_INK
    if box.width < MIN_WIDTH * ink.width or box.height < MIN_HEIGHT * ink.height:
        return MarkProblem.TOO_SMALL
    return None


def trivial_mark_reason(ink: SignatureInk) -> str | None:
    """`trivial_mark` in plain (untranslated) words, or None when the mark can count."""
    problem = trivial_mark(ink)
    return None if problem is None else MARK_PROBLEM_TEXTS[problem]
