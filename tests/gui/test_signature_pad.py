"""The signature pad: mouse, finger and stylus ink; Undo stroke and Clear; the trivial-mark
refusal; the PNG kept with the record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from clinic_desk.domain.signature import (
    MARK_PROBLEM_TEXTS,
    InkDevice,
    InkPoint,
    InkStroke,
    MarkProblem,
    SignatureInk,
    ink_bounds,
    point_count,
)
from clinic_desk.ui.consents.ink_painting import (
    PNG_MARGIN,
    PRINT_SCALE,
    PngBackground,
    signature_png,
)
from clinic_desk.ui.consents.signature_pad import SignaturePad
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.gui.ink_support import (
    draw_with_mouse,
    draw_with_stylus,
    draw_with_touch,
    in_window,
    send_tablet,
    sign_with_mouse,
    signature_strokes,
    stylus,
    touch_screen,
    touch_sequence,
)


class StepClock:
    """Ten milliseconds pass each time the pad asks the time."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        self.now += 0.010
        return self.now


@pytest.fixture
def pad(qtbot: QtBot) -> Iterator[SignaturePad]:
    widget = SignaturePad(StepClock())
    qtbot.addWidget(widget)
    widget.resize(640, 300)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def strokes_of(pad: SignaturePad) -> list[list[tuple[float, float]]]:
    return [[(p.x, p.y) for p in stroke.points] for stroke in pad.ink().strokes]


def test_mouse_signature_is_kept_as_strokes_in_pad_coordinates(
        pad: SignaturePad, qtbot: QtBot) -> None:
    canvas = pad.canvas
    paths = signature_strokes(canvas.width(), canvas.height())
    with qtbot.waitSignals([pad.ink_changed, pad.ink_changed], timeout=1000):
        for path in paths:
            draw_with_mouse(canvas, path)
    ink = pad.ink()
    assert strokes_of(pad) == [[(float(x), float(y)) for x, y in path] for path in paths]
    assert (ink.width, ink.height) == (canvas.width(), canvas.height())
    assert ink.device is InkDevice.MOUSE
    assert not ink.pressure_reported
    times = [p.t_ms for s in ink.strokes for p in s.points]
    assert times[0] == 0 and times == sorted(times) and times[-1] > times[0]
    assert pad.refusal() is None
    assert pad.accepted_ink() == ink


def test_finger_signature_through_touch_events(pad: SignaturePad, qtbot: QtBot) -> None:
    canvas = pad.canvas
    paths = signature_strokes(canvas.width(), canvas.height())
    device = touch_screen()
    for path in paths:
        draw_with_touch(canvas, device, path)
    ink = pad.ink()
    assert ink.device is InkDevice.TOUCH
    assert strokes_of(pad) == [[(float(x), float(y)) for x, y in path] for path in paths]
    assert not ink.pressure_reported  # this screen reports positions only
    assert pad.accepted_ink() is not None


def test_touch_pressure_is_kept_when_the_screen_reports_it(pad: SignaturePad) -> None:
    draw_with_touch(pad.canvas, touch_screen(with_pressure=True),
                    signature_strokes(640, 200)[0])
    ink = pad.ink()
    assert ink.pressure_reported
    pressures = [p.pressure for p in ink.strokes[0].points]
    assert None not in pressures
    assert pressures[-1] == pressures[-2]  # the lift-off keeps the last pressure, not 0


def test_a_second_finger_does_not_write(pad: SignaturePad) -> None:
    canvas, device = pad.canvas, touch_screen()

    def at(x: int, y: int) -> QPoint:
        return in_window(canvas, x, y)

    touch_sequence(canvas, device).press(0, at(100, 100))
    touch_sequence(canvas, device).move(0, at(140, 120)).press(1, at(400, 50))
    touch_sequence(canvas, device).move(0, at(180, 90)).move(1, at(420, 60))
    touch_sequence(canvas, device).release(0, at(200, 100)).release(1, at(430, 70))
    assert strokes_of(pad) == [[(100, 100), (140, 120), (180, 90), (200, 100)]]


def test_stylus_pressure_is_recorded_and_said_so(pad: SignaturePad) -> None:
    path = signature_strokes(640, 250)[0]
    pressures = [0.1 + 0.8 * k / (len(path) - 1) for k in range(len(path))]
    draw_with_stylus(pad.canvas, stylus(), path, pressures)
    ink = pad.ink()
    assert ink.device is InkDevice.STYLUS
    assert ink.pressure_reported
    recorded = [p.pressure for p in ink.strokes[0].points]
    assert recorded == pytest.approx(pressures[:-1], abs=1e-3)  # the lift-off point has none


def test_a_stylus_without_pressure_says_so(pad: SignaturePad) -> None:
    path = signature_strokes(640, 250)[0]
    draw_with_stylus(pad.canvas, stylus(with_pressure=False), path, [0.5] * len(path))
    ink = pad.ink()
    assert ink.device is InkDevice.STYLUS
    assert not ink.pressure_reported
    assert {p.pressure for p in ink.strokes[0].points} == {None}


def test_the_device_that_left_the_most_ink_names_the_signature(pad: SignaturePad) -> None:
    long_mouse_stroke, _ = signature_strokes(640, 250)
    draw_with_touch(pad.canvas, touch_screen(), [(100, 50), (110, 60)])
    draw_with_mouse(pad.canvas, long_mouse_stroke)
    draw_with_touch(pad.canvas, touch_screen(), [(300, 50), (310, 60)])
    assert pad.ink().device is InkDevice.MOUSE
    pad.undo_stroke()
    pad.undo_stroke()
    draw_with_mouse(pad.canvas, [(300, 50), (310, 60)])
    assert pad.ink().device is InkDevice.MOUSE  # two points each: the latest device


def test_stylus_hovering_without_touching_leaves_no_ink(pad: SignaturePad) -> None:
    send_tablet(pad.canvas, stylus(), QEvent.Type.TabletMove, (100, 100), 0.0)
    send_tablet(pad.canvas, stylus(), QEvent.Type.TabletMove, (200, 120), 0.0)
    assert pad.is_blank()


def test_undo_removes_the_last_stroke_and_clear_everything(
        pad: SignaturePad, qtbot: QtBot) -> None:
    assert not pad.undo_button.isEnabled() and not pad.clear_button.isEnabled()
    sign_with_mouse(pad.canvas)
    first, _second = strokes_of(pad)
    assert pad.undo_button.isEnabled() and pad.clear_button.isEnabled()
    with qtbot.waitSignal(pad.ink_changed, timeout=1000) as undone:
        qtbot.mouseClick(pad.undo_button, Qt.MouseButton.LeftButton)
    assert strokes_of(pad) == [first]
    assert isinstance(undone.args[0], SignatureInk) and len(undone.args[0].strokes) == 1
    sign_with_mouse(pad.canvas)
    assert len(pad.ink().strokes) == 3
    with qtbot.waitSignal(pad.ink_changed, timeout=1000):
        pad.clear_button.click()
    assert pad.is_blank()
    assert not pad.undo_button.isEnabled() and not pad.clear_button.isEnabled()


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ([(300, 150), (300, 150)], MarkProblem.DOT),
        ([(100, 150), (300, 150), (500, 150)], MarkProblem.TOO_FEW_POINTS),
        ([(100 + 20 * k, 150) for k in range(20)], MarkProblem.STRAIGHT_LINE),
        ([(300 + 40 * (k % 2), 150 + 12 * (k // 2 % 2)) for k in range(30)],
         MarkProblem.TOO_SMALL),
    ],
)
def test_a_trivial_mark_is_refused_in_plain_words(
        pad: SignaturePad, path: list[tuple[int, int]], problem: MarkProblem) -> None:
    assert pad.accepted_ink() is None
    assert pad.problem_text() == MARK_PROBLEM_TEXTS[MarkProblem.EMPTY]
    draw_with_mouse(pad.canvas, path)
    assert pad.accepted_ink() is None
    assert pad.problem_text() == MARK_PROBLEM_TEXTS[problem]
    # Signing again clears the message as soon as the pen touches the pad.
    draw_with_mouse(pad.canvas, [(200, 100), (210, 110)])
    assert pad.problem_text() == ""


def test_the_refusal_line_is_reserved_so_nothing_jumps(pad: SignaturePad, qtbot: QtBot) -> None:
    pad.resize(340, 320)  # as narrow as beside the text on a 1024 px screen
    qtbot.waitUntil(lambda: pad.canvas.width() <= 340, timeout=2000)
    canvas = pad.canvas.geometry()
    draw_with_mouse(pad.canvas, [(150 + 30 * (k % 2), 100 + 10 * (k // 2 % 2))
                                 for k in range(30)])
    assert pad.accepted_ink() is None
    assert pad.problem_text() == MARK_PROBLEM_TEXTS[MarkProblem.TOO_SMALL]  # the longest
    qtbot.wait(20)  # let the layout do whatever it would do
    assert pad.canvas.geometry() == canvas
    assert pad.undo_button.width() >= pad.undo_button.sizeHint().width()  # not squeezed


# QTest says so when the disabled pad (rightly) does not take its mouse events.
@pytest.mark.qt_log_ignore(
    OFFSCREEN_LIMITS, r"^Mouse event \"Mouse\w+\" not accepted by receiving widget$")
def test_a_disabled_pad_takes_no_ink(pad: SignaturePad) -> None:
    pad.setEnabled(False)
    sign_with_mouse(pad.canvas)
    draw_with_touch(pad.canvas, touch_screen(), signature_strokes(640, 250)[0])
    assert pad.is_blank()
    pad.setEnabled(True)
    sign_with_mouse(pad.canvas)
    assert not pad.is_blank()


def test_ink_keeps_its_frame_when_the_pad_is_resized(pad: SignaturePad, qtbot: QtBot) -> None:
    sign_with_mouse(pad.canvas)
    before = pad.ink()
    pad.resize(1280, 500)
    qtbot.waitUntil(lambda: pad.canvas.width() > 1000, timeout=2000)
    assert (pad.ink().width, pad.ink().height) == (before.width, before.height)
    scale = min(pad.canvas.width() / before.width, pad.canvas.height() / before.height)
    draw_with_mouse(pad.canvas, [(round(100 * scale), round(50 * scale)),
                                 (round(200 * scale), round(60 * scale))])
    added = pad.ink().strokes[-1].points
    assert (added[0].x, added[0].y) == pytest.approx((100, 50), abs=0.6)


def test_png_is_cropped_with_a_margin_at_print_resolution(pad: SignaturePad) -> None:
    sign_with_mouse(pad.canvas)
    box = ink_bounds(pad.ink())
    assert box is not None
    png = pad.png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage.fromData(png)
    assert image.width() == round((box.width + 2 * PNG_MARGIN) * PRINT_SCALE)
    assert image.height() == round((box.height + 2 * PNG_MARGIN) * PRINT_SCALE)
    assert image.dotsPerMeterX() == round(300 / 0.0254)
    assert image.pixelColor(0, 0).alpha() == 0  # transparent margin
    white = QImage.fromData(pad.png(PngBackground.WHITE))
    assert white.pixelColor(0, 0).name() == "#ffffff"
    assert white.pixelColor(0, 0).alpha() == 255
    dark = sum(1 for x in range(0, white.width(), 3) for y in range(0, white.height(), 3)
               if white.pixelColor(x, y).lightness() < 100)
    assert dark > 200  # the ink is there, not only the margin
    assert pad.png() == png  # the same ink gives the same bytes


def test_controls_are_touch_sized_and_named(pad: SignaturePad) -> None:
    for button in (pad.undo_button, pad.clear_button):
        assert button.height() >= 44 and button.width() >= 44
        assert button.accessibleName()
    assert pad.canvas.accessibleName() == "Signature pad"
    assert point_count(pad.ink()) == 0


def test_a_firmer_stylus_leaves_a_wider_line() -> None:
    def ink_with(pressure: float | None) -> SignatureInk:
        points = tuple(InkPoint(20.0 + 10 * k, 50.0 + (k % 2) * 20, 10 * k, pressure)
                       for k in range(30))
        return SignatureInk((InkStroke(points),), 400, 120, InkDevice.STYLUS,
                            pressure is not None)

    def inked(ink: SignatureInk) -> int:
        image = QImage.fromData(signature_png(ink, background=PngBackground.WHITE))
        return sum(1 for x in range(image.width()) for y in range(0, image.height(), 2)
                   if image.pixelColor(x, y).lightness() < 128)

    light, plain, firm = (inked(ink_with(p)) for p in (0.1, None, 1.0))
    assert light < plain < firm
