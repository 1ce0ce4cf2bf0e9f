"""The day and week book around working hours and courses: time outside the hours shaded,
a course patient's proposals taken in one click, a booking outside the window asked
first, and names that keep their status line and their "…"."""


from __future__ import annotations

from datetime import time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QDialog, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.ui.theme import PALETTE, Tone, icon
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.booking_dialog import BookingDialog
from clinic_desk.ui.today.grid_model import BookGridModel, Layout
from clinic_desk.ui.today.hours_shading import Shade, covering, shaded_spans
from tests.gui.appointment_fakes import TODAY, FakeAppointmentBook, a_day, at
from tests.gui.fakes import FakeDialogService
from tests.gui.today_support import choose, fill, make

WEEKDAYS_9_TO_5 = WorkingHours(tuple(
    DayHours(d, time(9), time(17), (Period(time(12, 30), time(13)),)) for d in range(5)))


def test_the_shaded_spans_follow_hours_breaks_days_off_and_the_clinic_span() -> None:
    monday, saturday = TODAY, TODAY + timedelta(days=5)
    spans = shaded_spans(monday, 3, {3: WEEKDAYS_9_TO_5})
    assert [(s.start, s.end, s.kind) for s in spans] == [
        (0, 9 * 60, Shade.CLOSED), (12 * 60 + 30, 13 * 60, Shade.BREAK),
        (17 * 60, 24 * 60, Shade.CLOSED)]
    assert spans[0].hours == "09:00–17:00" and spans[1].hours == "12:30–13:00"
    assert [(s.start, s.end) for s in shaded_spans(saturday, 3, {3: WEEKDAYS_9_TO_5})] == [
        (0, 24 * 60)]
    assert shaded_spans(monday, 4, {3: WEEKDAYS_9_TO_5}) == ()  # no hours set: nothing
    late = WorkingHours((DayHours(0, time(11), time(19, 45)),))
    rooms = shaded_spans(monday, None, {3: WEEKDAYS_9_TO_5, 4: late})
    assert [(s.start, s.end, s.hours) for s in rooms] == [
        (0, 9 * 60, "09:00–19:45"), (19 * 60 + 45, 24 * 60, "09:00–19:45")]
    assert [(s.start, s.end) for s in shaded_spans(saturday, None, {3: WEEKDAYS_9_TO_5})] == [
        (0, 24 * 60)]
    assert shaded_spans(monday, None, {}) == ()
    assert covering(spans, 12 * 60 + 15, 12 * 60 + 45) == [
        (spans[1], 12 * 60 + 30, 12 * 60 + 45)]


def shade_share(view: BookView, hour: int, minute: int, column: int) -> float:
    """How much of a cell's inside is painted in the shading's fill colour."""
    image = view.grid.viewport().grab().toImage()
    rect = view.grid.visualRect(view.model.index(BookGridModel.row_of(at(hour, minute)),
                                                 column)).adjusted(3, 3, -3, -3)
    fill = QColor(PALETTE.disabled_window)
    painted = sum(1 for x in range(rect.left(), rect.right())
                  for y in range(rect.top(), rect.bottom())
                  if image.pixelColor(x, y) == fill)
    return painted / max(1, rect.width() * rect.height())


def test_the_day_view_shades_outside_hours_and_the_break_per_practitioner(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    view.grid.scrollTo(view.model.index(BookGridModel.row_of(at(8)), 0),
                       QAbstractItemView.ScrollHint.PositionAtTop)
    assert shade_share(view, 8, 30, 0) > 0.4  # before Dr Reyes starts at 09:00
    assert shade_share(view, 10, 0, 0) == 0  # working
    assert shade_share(view, 13, 15, 0) > 0.4  # her break
    assert shade_share(view, 10, 0, 1) > 0.4  # the nurse's day off
    row = BookGridModel.row_of(at(13))
    assert view.grid.why_shaded(row, 0) == "Break 13:00–13:30: booking here asks first."
    assert view.grid.why_shaded(row - 1, 0) == ""
    assert view.grid.why_shaded(row, 1) == "Not working on this day: booking here asks first."
    view.columns.setCurrentIndex(view.columns.findData(Layout.ROOMS.value))
    assert view.model.columns[0].room_id == 1
    assert view.grid.why_shaded(BookGridModel.row_of(at(8, 45)), 0) == (
        "Outside the clinic's opening hours (09:00–18:00).")
    assert view.grid.why_shaded(BookGridModel.row_of(at(13)), 0) == ""  # no room break


def test_the_week_view_shades_the_chosen_practitioners_days(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs, week=True)
    ten = BookGridModel.row_of(at(10))
    assert view.columns.currentText() == "Dr Ana Reyes"
    assert [bool(view.grid.why_shaded(ten, day)) for day in range(7)] == [
        False] * 5 + [True, True]
    view.columns.setCurrentIndex(view.columns.findData(4))  # the nurse: Tuesday to Saturday
    assert [bool(view.grid.why_shaded(ten, day)) for day in range(7)] == [
        True, False, False, False, False, False, True]
    view.grid.scrollTo(view.model.index(ten, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    assert shade_share(view, 10, 0, 0) > 0.4 and shade_share(view, 10, 0, 1) == 0


# --- course proposals from the day view -------------------------------------------------


def test_a_course_patient_gets_proposals_and_one_click_takes_one(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    seen: dict[str, object] = {}

    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText("Anna")  # on no course: nothing proposed
        seen["anna"] = (dialog.proposal_box.isVisibleTo(dialog), dialog.proposal_buttons)
        dialog.search.setText("Zoë")
        seen["text"] = dialog.proposal_text.text()
        seen["buttons"] = [b.text() for b in dialog.proposal_buttons]
        seen["outside"] = dialog.warning.text()  # today 14:00 is before the window
        dialog.proposal_buttons[1].click()
        seen["day"] = dialog.day_text.text()
        seen["pressed"] = [b.isChecked() for b in dialog.proposal_buttons]
        tick = icon("circle-check", Tone.ACCENT).cacheKey()
        seen["ticked"] = [b.icon().cacheKey() == tick for b in dialog.proposal_buttons]
        seen["inside"] = dialog.warning.text()
        dialog.time.setTime(QTime(10, 0))  # another time: no proposal shows taken
        seen["typed"] = [b.isChecked() for b in dialog.proposal_buttons]
        dialog.proposal_buttons[1].click()
        dialog.kind.setCurrentIndex(dialog.kind.findData(AppointmentKind.CONSULTATION.value))
        seen["consultation"] = dialog.proposal_box.isVisibleTo(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(AppointmentKind.MICRONEEDLING.value))
        dialog.book_button.click()

    choose(view, 14, 0, 0)
    dialogs.dialog_scripts.append(script)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert seen["anna"] == (False, [])
    assert seen["text"] == ("Session 2 of 3 is due 02 Dec – 09 Dec. Free times inside that "
                            "window with Dr Ana Reyes (one click takes one):")
    assert seen["buttons"] == ["Wed 02 Dec, 09:00", "Thu 03 Dec, 11:30"]
    assert "before the advised window" in str(seen["outside"])
    assert seen["day"] == "Thursday 03 December 2026"
    assert seen["pressed"] == [False, True]
    assert seen["ticked"] == [False, True]  # not the pressed look alone
    assert seen["inside"] == ""
    assert seen["typed"] == [False, False]
    assert seen["consultation"] is False
    request = book.requests[-1]
    assert (request.start, request.course_id, request.patient_id) == (
        at(11, 30, TODAY + timedelta(days=3)), 7, 1)


def test_booking_a_course_patient_outside_the_window_asks_first(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    choose(view, 14, 0, 0)
    dialogs.dialog_scripts.append(fill("Zoë"))
    dialogs.confirm_answers.append(False)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert dialogs.confirmations == [("Outside working hours", "Book anyway")]
    assert book.booked == {}
    assert book.requests[-1].course_id == 7


def test_a_half_hour_in_the_week_keeps_its_status_line_by_not_wrapping_the_name(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)  # "arrived" lasts 30 minutes, "coming" 45

    def wraps(view: BookView, appointment_id: int) -> bool:
        placed = view.model.placed_of(appointment_id)
        assert placed is not None
        option = QStyleOptionViewItem()
        assert view.grid.wordWrap()
        option.features = QStyleOptionViewItem.ViewItemFeature.WrapText  # as the view sets
        view.grid.itemDelegate().initStyleOption(  # type: ignore[attr-defined]
            option, view.model.index(placed.row, placed.column))
        return bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)

    week = make(qtbot, book, dialogs, week=True)
    assert (wraps(week, ids["arrived"]), wraps(week, ids["coming"])) == (False, True)
    day = make(qtbot, book, dialogs)
    assert (wraps(day, ids["arrived"]), wraps(day, ids["coming"])) == (True, True)


def test_column_names_are_measured_in_the_bold_they_are_drawn_in(
        qtbot: QtBot, dialogs: FakeDialogService) -> None:
    """The header elides a long name with "…" only if it measures it in the bold the
    style sheet draws it in; measured in the regular font, the name was cut short."""
    view = make(qtbot, FakeAppointmentBook(), dialogs)
    header = view.grid.horizontalHeader()
    assert header.font().bold()
    assert header.textElideMode() is Qt.TextElideMode.ElideRight
