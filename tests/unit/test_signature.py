"""The signature's pure logic: bounds, length, undo, and the trivial-mark check at its edges."""

from __future__ import annotations

import itertools

import pytest

from clinic_desk.domain.signature import (
    DOT_MAX_EXTENT,
    MARK_PROBLEM_TEXTS,
    MIN_HEIGHT,
    MIN_INK_LENGTH,
    MIN_POINTS,
    MIN_WIDTH,
    STRAIGHT_LINE_RATIO,
    InkDevice,
    InkPoint,
    InkStroke,
    MarkProblem,
    SignatureInk,
    empty_ink,
    ink_bounds,
    ink_length,
    is_blank,
    main_axis_extents,
    point_count,
    stroke_length,
    trivial_mark,
    trivial_mark_reason,
    with_stroke,
    without_last_stroke,
)

PAD_W, PAD_H = 600, 200


def stroke(*xy: tuple[float, float], pressure: float | None = None) -> InkStroke:
    return InkStroke(tuple(InkPoint(x, y, 10 * i, pressure) for i, (x, y) in enumerate(xy)))


def ink(*strokes: InkStroke) -> SignatureInk:
    result = empty_ink(PAD_W, PAD_H, InkDevice.MOUSE)
    for each in strokes:
        result = with_stroke(result, each)
    return result


def walk(*corners: tuple[float, float], step: float = 10.0) -> InkStroke:
    """A stroke along straight legs between corners, a point every `step` pixels or so."""
    points = [corners[0]]
    for (ax, ay), (bx, by) in itertools.pairwise(corners):
        legs = max(1, int(max(abs(bx - ax), abs(by - ay)) // step))
        points += [(ax + (bx - ax) * k / legs, ay + (by - ay) * k / legs)
                   for k in range(1, legs + 1)]
    return stroke(*points)


def rectangle(width: float, height: float, x: float = 50, y: float = 50,
              laps: int = 1) -> InkStroke:
    corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)] * laps
    return walk(*corners, (x, y))


def signature() -> SignatureInk:
    """A loopy two-stroke mark, as a hand would leave it."""
    return ink(walk((40, 150), (80, 40), (120, 150), (160, 60), (220, 140), (300, 70)),
               walk((320, 120), (360, 60), (420, 140), (480, 90)))


# --- helpers ---------------------------------------------------------------------------


def test_bounds_length_and_count() -> None:
    mark = ink(stroke((10, 20), (40, 20), (40, 60)), stroke((100, 5)))
    box = ink_bounds(mark)
    assert box is not None
    assert (box.left, box.top, box.right, box.bottom) == (10, 5, 100, 60)
    assert (box.width, box.height) == (90, 55)
    assert stroke_length(mark.strokes[0]) == 70
    assert ink_length(mark) == 70
    assert point_count(mark) == 4
    assert ink_bounds(empty_ink(PAD_W, PAD_H, InkDevice.TOUCH)) is None


def test_undo_removes_the_last_stroke_only_and_keeps_the_pad() -> None:
    first, second = stroke((1, 1), (5, 5)), stroke((9, 9), (20, 20))
    mark = ink(first, second)
    undone = without_last_stroke(mark)
    assert undone.strokes == (first,)
    assert (undone.width, undone.height, undone.device) == (PAD_W, PAD_H, InkDevice.MOUSE)
    assert is_blank(without_last_stroke(undone))
    assert is_blank(without_last_stroke(without_last_stroke(undone)))


def test_pressure_reported_follows_the_strokes_that_remain() -> None:
    pressed = with_stroke(ink(stroke((1, 1), (5, 5))), stroke((9, 9), (20, 20), pressure=0.4))
    assert pressed.pressure_reported
    assert without_last_stroke(pressed).pressure_reported is False


def test_a_slanted_line_is_measured_along_its_own_direction() -> None:
    along, across = main_axis_extents(ink(walk((0, 0), (300, 300))))
    assert along == pytest.approx(300 * 2**0.5)
    assert across == pytest.approx(0, abs=1e-9)


# --- the trivial-mark check ------------------------------------------------------------


def test_a_real_signature_is_accepted() -> None:
    assert trivial_mark(signature()) is None
    assert trivial_mark_reason(signature()) is None


def test_an_empty_pad_is_refused_in_plain_words() -> None:
    assert trivial_mark(ink()) is MarkProblem.EMPTY
    assert trivial_mark_reason(ink()) == MARK_PROBLEM_TEXTS[MarkProblem.EMPTY]
    assert "sign" in MARK_PROBLEM_TEXTS[MarkProblem.EMPTY]


def test_every_problem_has_words() -> None:
    assert set(MARK_PROBLEM_TEXTS) == set(MarkProblem)
    assert all(text.endswith(".") and len(text) > 20 for text in MARK_PROBLEM_TEXTS.values())


def test_a_tap_is_a_dot() -> None:
    assert trivial_mark(ink(stroke((300, 100)))) is MarkProblem.DOT


def test_dot_edge() -> None:
    edge = DOT_MAX_EXTENT * PAD_W
    at_edge = ink(*[walk((300, 100), (300 + edge, 100 + edge), step=1)] * 3)
    assert trivial_mark(at_edge) is MarkProblem.DOT
    beyond = ink(*[walk((300, 100), (300 + edge + 0.5, 100 + edge), step=1)] * 3)
    assert trivial_mark(beyond) is not MarkProblem.DOT


def test_min_points_edge() -> None:
    corners = [(50, 50), (250, 150), (50, 150), (250, 50), (50, 90), (250, 120), (60, 60),
               (240, 160), (70, 70), (230, 140), (80, 80)]
    enough = ink(stroke(*corners[:MIN_POINTS]))
    assert point_count(enough) == MIN_POINTS
    assert trivial_mark(enough) is None
    assert trivial_mark(ink(stroke(*corners[: MIN_POINTS - 1]))) is MarkProblem.TOO_FEW_POINTS


def test_straight_line_edge_in_any_direction() -> None:
    along = 400.0
    thick = STRAIGHT_LINE_RATIO * along

    def band(across: float) -> SignatureInk:  # two level strokes, point for point alike
        return ink(walk((50, 50), (50 + along, 50)),
                   walk((50 + along, 50 + across), (50, 50 + across)))

    assert trivial_mark(band(thick)) is None
    assert trivial_mark(band(thick - 0.5)) is MarkProblem.STRAIGHT_LINE
    assert trivial_mark(ink(walk((50, 30), (500, 180)))) is MarkProblem.STRAIGHT_LINE
    assert trivial_mark(ink(walk((300, 10), (300, 190)))) is MarkProblem.STRAIGHT_LINE


def test_ink_length_edge() -> None:
    # A 100 x 50 rectangle walked once is 300 px of ink: exactly the minimum on this pad.
    assert MIN_INK_LENGTH * PAD_W == 300
    full = rectangle(100, 50)
    assert stroke_length(full) == 300
    assert trivial_mark(ink(full)) is None
    short = InkStroke((*full.points[:-1], InkPoint(50, 51, 999)))
    assert stroke_length(short) == 299
    assert trivial_mark(ink(short)) is MarkProblem.TOO_LITTLE_INK


def test_width_edge() -> None:
    edge = MIN_WIDTH * PAD_W
    assert trivial_mark(ink(rectangle(edge, 60, laps=3))) is None
    assert trivial_mark(ink(rectangle(edge - 0.5, 60, laps=3))) is MarkProblem.TOO_SMALL


def test_height_edge() -> None:
    edge = MIN_HEIGHT * PAD_H
    assert trivial_mark(ink(rectangle(edge * 2 / STRAIGHT_LINE_RATIO / 3, edge))) is None
    lower = rectangle(edge * 2 / STRAIGHT_LINE_RATIO / 3, edge - 0.5)
    assert trivial_mark(ink(lower)) is MarkProblem.TOO_SMALL


def test_a_tiny_scribble_is_too_small() -> None:
    scribble = walk(*[(300 + 30 * (i % 2), 100 + 12 * ((i // 2) % 2)) for i in range(40)])
    assert ink_length(ink(scribble)) > MIN_INK_LENGTH * PAD_W  # plenty of ink, tiny box
    assert trivial_mark(ink(scribble)) is MarkProblem.TOO_SMALL


def test_main_axis_extents_known_answers() -> None:
    assert main_axis_extents(empty_ink(PAD_W, PAD_H, InkDevice.TOUCH)) == (0.0, 0.0)
    along, across = main_axis_extents(ink(stroke((0, 0), (3, 4), (6, 8))))
    assert along == pytest.approx(10.0) and across == pytest.approx(0.0, abs=1e-9)
    along, across = main_axis_extents(ink(stroke((0, 0), (8, 0), (8, 2), (0, 2))))
    assert along == pytest.approx(8.0) and across == pytest.approx(2.0)


def test_a_fresh_pad_reports_no_pressure() -> None:
    pad = empty_ink(PAD_W, PAD_H, InkDevice.STYLUS)
    assert pad.pressure_reported is False and pad.strokes == ()
    assert (pad.width, pad.height, pad.device) == (PAD_W, PAD_H, InkDevice.STYLUS)
