"""The patient's reading view: read to the end and tick every statement before the pad
opens; sign with a drawn signature; or decline with a reason chosen by touch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QPlainTextEdit,
    QScroller,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic_desk.domain.signature import MARK_PROBLEM_TEXTS, InkDevice, MarkProblem, SignatureInk
from clinic_desk.ui.consents.decline_panel import DeclineReason
from clinic_desk.ui.consents.ink_canvas import SignatureCanvas
from clinic_desk.ui.consents.reading_view import ConsentReadingView
from tests.gui.consent_texts import (
    LONG_NAME,
    MARKUP_NAME,
    long_consent_text,
    short_consent_text,
)
from tests.gui.ink_support import (
    draw_with_mouse,
    draw_with_touch,
    in_window,
    sign_with_mouse,
    signature_strokes,
    touch_screen,
    touch_sequence,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ConsentReadingView]:
    widget = ConsentReadingView(long_consent_text(), patient_name=LONG_NAME)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def tick_all(view: ConsentReadingView, qtbot: QtBot) -> None:
    for box in view.text_panel.boxes:
        if not box.is_ticked():
            qtbot.mouseClick(box.box, LEFT)


def read_to_end(view: ConsentReadingView) -> None:
    view.text_panel.scroll_to_end()


def test_the_text_needs_scrolling_and_the_pad_starts_disabled(view: ConsentReadingView) -> None:
    assert view.text_panel.verticalScrollBar().maximum() > 0
    assert not view.has_reached_end()
    assert not view.pad.isEnabled()
    assert not view.sign_button.isEnabled()
    assert view.needs_text() == ("Before you sign: read to the end, and tick the 3 remaining "
                                 "statements.")


def test_pad_opens_only_after_the_end_is_reached_and_every_statement_ticked(
        view: ConsentReadingView, qtbot: QtBot) -> None:
    tick_all(view, qtbot)
    assert not view.pad.isEnabled()
    assert view.needs_text() == "Before you sign: read to the end of the form."
    with qtbot.waitSignal(view.readiness_changed, timeout=1000) as ready:
        read_to_end(view)
    assert ready.args == [True]
    assert view.pad.isEnabled()
    assert view.needs_text().startswith("Thank you. Please sign in the box")


def test_reading_first_then_ticking_counts_down(view: ConsentReadingView,
                                                qtbot: QtBot) -> None:
    read_to_end(view)
    assert view.has_reached_end()
    assert not view.pad.isEnabled()
    assert view.needs_text() == "Before you sign: tick the 3 remaining statements."
    boxes = view.text_panel.boxes
    qtbot.mouseClick(boxes[0].box, LEFT)
    qtbot.mouseClick(boxes[1].box, LEFT)
    assert view.needs_text() == "Before you sign: tick the 1 remaining statement."
    assert not view.pad.isEnabled()
    qtbot.mouseClick(boxes[2].box, LEFT)
    assert view.pad.isEnabled()


def test_unticking_disables_the_pad_again(view: ConsentReadingView, qtbot: QtBot) -> None:
    read_to_end(view)
    tick_all(view, qtbot)
    assert view.pad.isEnabled()
    with qtbot.waitSignal(view.readiness_changed, timeout=1000) as changed:
        qtbot.mouseClick(view.text_panel.boxes[1].box, LEFT)
    assert changed.args == [False]
    assert not view.pad.isEnabled() and not view.sign_button.isEnabled()
    assert view.needs_text() == "Before you sign: tick the 1 remaining statement."
    qtbot.mouseClick(view.text_panel.boxes[1].box, LEFT)
    assert view.pad.isEnabled()


def test_scrolling_back_up_does_not_take_the_end_back(view: ConsentReadingView,
                                                      qtbot: QtBot) -> None:
    read_to_end(view)
    view.text_panel.verticalScrollBar().setValue(0)
    tick_all(view, qtbot)
    assert view.pad.isEnabled()


def test_a_tap_on_the_words_ticks_the_statement(view: ConsentReadingView, qtbot: QtBot) -> None:
    row = view.text_panel.boxes[0]
    qtbot.mouseClick(row.words, LEFT, pos=QPoint(20, 10))
    assert row.is_ticked()
    assert row.property("ticked") is True
    # A drag across the words (a finger scrolling) does not tick or untick.
    qtbot.mousePress(row.words, LEFT, pos=QPoint(20, 10))
    qtbot.mouseRelease(row.words, LEFT, pos=QPoint(20, 60))
    assert row.is_ticked()


def test_the_pad_takes_no_ink_until_ready(view: ConsentReadingView) -> None:
    canvas = view.pad.canvas
    draw_with_touch(canvas, touch_screen(), signature_strokes(canvas.width(),
                                                              canvas.height())[0])
    assert view.pad.is_blank()


@pytest.mark.parametrize("device", [InkDevice.MOUSE, InkDevice.TOUCH])
def test_whole_flow_read_tick_sign(view: ConsentReadingView, qtbot: QtBot,
                                   device: InkDevice) -> None:
    read_to_end(view)
    tick_all(view, qtbot)
    assert not view.sign_button.isEnabled()  # nothing drawn yet
    canvas = view.pad.canvas
    for path in signature_strokes(canvas.width(), canvas.height()):
        if device is InkDevice.MOUSE:
            draw_with_mouse(canvas, path)
        else:
            draw_with_touch(canvas, touch_screen(), path)
    assert view.sign_button.isEnabled()
    with qtbot.waitSignal(view.consent_signed, timeout=1000) as signed:
        qtbot.mouseClick(view.sign_button, LEFT)
    keys, ink, png = signed.args
    assert keys == ("course", "risks", "agreement")
    assert isinstance(ink, SignatureInk) and ink.device is device
    assert ink == view.pad.ink() and len(ink.strokes) == 2
    assert png.startswith(b"\x89PNG")
    # Signed once: nothing more can be drawn, signed or declined.
    assert not view.pad.isEnabled()
    assert not view.sign_button.isEnabled() and not view.decline_button.isEnabled()
    assert not any(box.isEnabled() for box in view.text_panel.boxes)
    assert view.needs_text() == "Signed. Thank you."


def test_a_trivial_mark_is_refused_and_nothing_is_signed(view: ConsentReadingView,
                                                         qtbot: QtBot) -> None:
    read_to_end(view)
    tick_all(view, qtbot)
    draw_with_mouse(view.pad.canvas, [(100, 100), (101, 101)])
    with qtbot.assertNotEmitted(view.consent_signed):
        qtbot.mouseClick(view.sign_button, LEFT)
    assert view.pad.problem_text() == MARK_PROBLEM_TEXTS[MarkProblem.DOT]
    assert view.pad.isEnabled()
    view.pad.clear()
    sign_with_mouse(view.pad.canvas)
    with qtbot.waitSignal(view.consent_signed, timeout=1000):
        qtbot.mouseClick(view.sign_button, LEFT)


def test_decline_with_a_reason_chosen_by_touch_and_a_staff_note(
        view: ConsentReadingView, qtbot: QtBot) -> None:
    qtbot.mouseClick(view.text_panel.boxes[0].box, LEFT)
    qtbot.mouseClick(view.decline_button, LEFT)
    assert view.is_declining()
    panel = view.decline_panel
    qtbot.mouseClick(panel.reason_buttons["questions"], LEFT)
    qtbot.mouseClick(panel.reason_buttons["more_time"], LEFT)  # one reason at most
    assert [k for k, b in panel.reason_buttons.items() if b.isChecked()] == ["more_time"]
    panel.note_edit.setPlainText("  Wants to ask   her GP first. ")
    with qtbot.waitSignal(view.consent_declined, timeout=1000) as declined:
        qtbot.mouseClick(panel.confirm_button, LEFT)
    reason = declined.args[0]
    assert reason == DeclineReason("more_time", "I would like more time to think about it",
                                   "Wants to ask her GP first.")
    assert reason.text == ("I would like more time to think about it — Wants to ask her GP "
                           "first.")
    assert not view.decline_button.isEnabled() and not panel.isEnabled()


def test_decline_without_a_reason_and_going_back_keeps_the_ticks(
        view: ConsentReadingView, qtbot: QtBot) -> None:
    qtbot.mouseClick(view.text_panel.boxes[0].box, LEFT)
    qtbot.mouseClick(view.decline_button, LEFT)
    qtbot.mouseClick(view.decline_panel.back_button, LEFT)
    assert not view.is_declining()
    assert view.ticked_keys() == ("course",)
    qtbot.mouseClick(view.decline_button, LEFT)
    with qtbot.waitSignal(view.consent_declined, timeout=1000) as declined:
        qtbot.mouseClick(view.decline_panel.confirm_button, LEFT)
    assert declined.args[0] == DeclineReason(None, "", "")


def test_a_short_text_that_fits_counts_as_read(qtbot: QtBot) -> None:
    view = ConsentReadingView(short_consent_text())
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    assert view.has_reached_end()
    assert view.needs_text() == "Before you sign: tick the 1 remaining statement."


def test_a_finger_drag_scrolls_the_text_kinetically(view: ConsentReadingView,
                                                    qtbot: QtBot) -> None:
    viewport = view.text_panel.viewport()
    assert QScroller.hasScroller(viewport)
    bar = view.text_panel.verticalScrollBar()
    device = touch_screen()
    x = viewport.width() // 2
    touch_sequence(viewport, device).press(0, in_window(viewport, x, 500))
    for y in range(490, 90, -20):
        qtbot.wait(5)
        touch_sequence(viewport, device).move(0, in_window(viewport, x, y))
    touch_sequence(viewport, device).release(0, in_window(viewport, x, 90))
    qtbot.waitUntil(lambda: bar.value() > 200, timeout=3000)


def controls(widget: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for kind in (QAbstractButton, QPlainTextEdit, SignatureCanvas):
        found += [w for w in widget.findChildren(kind) if w.isVisible()]
    return found


def test_every_control_is_touch_sized_and_named(view: ConsentReadingView, qtbot: QtBot) -> None:
    read_to_end(view)
    tick_all(view, qtbot)
    sign_with_mouse(view.pad.canvas)  # so Undo and Clear are in their enabled look too
    for page in (view.show_reading, view.show_decline):
        page()
        shown = controls(view)
        assert len(shown) >= 5
        for control in shown:
            name = control.accessibleName()
            assert name, f"{control!r} has no accessible name"
            assert control.width() >= 44 and control.height() >= 44, (name, control.size())


def test_names_and_text_are_shown_literally_never_as_markup(qtbot: QtBot) -> None:
    view = ConsentReadingView(long_consent_text(MARKUP_NAME), patient_name=MARKUP_NAME)
    qtbot.addWidget(view)
    literal = [label for label in view.findChildren(QLabel) if MARKUP_NAME in label.text()]
    assert len(literal) == 2  # "For …" and the paragraph that names the patient
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in literal)
