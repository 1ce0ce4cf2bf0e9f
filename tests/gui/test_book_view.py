"""The day and week book: booking a free slot by keyboard, clashes named, outside hours
asked first, moving and resizing by keyboard and by drag, stale moves offering Reload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.ui.today.booking_dialog import BookingDialog
from clinic_desk.ui.today.grid_model import BookGridModel, Layout
from tests.gui.appointment_fakes import TODAY, FakeAppointmentBook, a_day, at
from tests.gui.fakes import FakeDialogService
from tests.gui.today_support import RECEPTION, cancel_with, choose, fill, make


def test_enter_on_a_free_slot_books_it(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    assert [c.title for c in view.model.columns] == ["Dr Ana Reyes", "Nurse Jörg Lindqvist"]
    choose(view, 14, 0, 1)
    dialogs.dialog_scripts.append(fill("chidi"))
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    [entry] = book.booked.values()
    assert entry.appointment.start == at(14, 0)
    assert entry.appointment.practitioner_id == 4
    assert entry.appointment.kind is AppointmentKind.MICRONEEDLING
    assert entry.appointment.length_minutes == 60  # a microneedling session's usual length
    assert "Booked Chidi Okafor at 14:00" in view.banner.text()
    assert view.model.appointment_at(BookGridModel.row_of(at(14, 30)), 1) is not None


def test_a_message_does_not_move_the_time_slots(qtbot: QtBot,
                                                dialogs: FakeDialogService) -> None:
    """The next click after a booking must land where the person aims."""
    view = make(qtbot, FakeAppointmentBook(), dialogs)
    assert not view.banner.isVisible()
    top = view.grid.mapTo(view, view.grid.rect().topLeft()).y()
    view.banner.show_message("success", "Booked Chidi Okafor at 14:00.")
    qtbot.waitUntil(lambda: view.banner.isVisible() and view.banner.height() > 0)
    assert view.grid.mapTo(view, view.grid.rect().topLeft()).y() == top
    assert view.banner.geometry().top() >= view.grid.geometry().bottom()


def test_a_clash_is_named_in_the_dialog_and_booking_waits(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    a_day(book)
    view = make(qtbot, book, dialogs)
    seen: list[str] = []

    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText("Siobh")
        dialog.time.setTime(dialog.time.time().fromString("10:45", "HH:mm"))
        seen.append(dialog.clash.text())
        assert not dialog.book_button.isEnabled()
        dialog.reject()

    choose(view, 10, 30, 0)
    dialogs.dialog_scripts.append(script)
    view.book_at(view.grid.currentIndex().row(), 0)
    assert seen == ["Dr Ana Reyes is already booked 11:00–11:45 (Chidi Okafor, "
                    "Microneedling session). Room 1 is already taken 11:00–11:45 (Chidi "
                    "Okafor, Microneedling session)."]
    assert len(book.booked) == 4


def test_outside_working_hours_asks_first(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    choose(view, 7, 30, 0)
    dialogs.dialog_scripts.append(fill("Anna"))
    dialogs.confirm_answers.append(False)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert dialogs.confirmations == [("Outside working hours", "Book anyway")]
    assert book.booked == {}
    dialogs.dialog_scripts.append(fill("Anna"))
    dialogs.confirm_answers.append(True)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert len(book.booked) == 1


def test_alt_arrows_move_and_resize(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    choose(view, 11, 0, 0)
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(view.grid, Qt.Key.Key_Down, alt)
    assert book.booked[ids["coming"]].appointment.start == at(11, 15)
    qtbot.keyClick(view.grid, Qt.Key.Key_Right, alt)
    assert book.booked[ids["coming"]].appointment.practitioner_id == 4
    qtbot.keyClick(view.grid, Qt.Key.Key_Down, alt | Qt.KeyboardModifier.ShiftModifier)
    assert book.booked[ids["coming"]].appointment.length_minutes == 60
    assert "Moved Chidi Okafor to 11:15" in view.banner.text()


def test_a_move_into_a_clash_is_refused_with_the_clash_named(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    row = BookGridModel.row_of(at(9, 0))
    view.move_appointment(ids["coming"], row, 0, 3)
    assert book.booked[ids["coming"]].appointment.start == at(11, 0)
    assert view.banner.tone() == "danger"
    assert "Dr Ana Reyes is already booked 09:00–09:30 (Anna Berg" in view.banner.text()


def test_a_drag_moves_and_the_lower_edge_resizes(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    grid = view.grid
    start = grid.visualRect(view.model.index(BookGridModel.row_of(at(11, 0)), 0)).center()
    target = grid.visualRect(view.model.index(BookGridModel.row_of(at(14, 0)), 0)).center()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert book.booked[ids["coming"]].appointment.start == at(14, 0)
    cell = grid.visualRect(view.model.index(BookGridModel.row_of(at(14, 0)), 0))
    edge = QPoint(cell.center().x(), cell.bottom() - 2)
    lower = grid.visualRect(view.model.index(BookGridModel.row_of(at(15, 15)), 0)).center()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, pos=lower)
    assert book.booked[ids["coming"]].appointment.length_minutes == 90


def test_a_stale_move_offers_reload(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    book.touch_elsewhere(ids["coming"])
    view.move_appointment(ids["coming"], BookGridModel.row_of(at(15, 0)), 0, 3)
    assert book.booked[ids["coming"]].appointment.start == at(11, 0)
    assert "another workstation" in view.banner.text()
    view.banner.action_button.click()
    view.move_appointment(ids["coming"], BookGridModel.row_of(at(15, 0)), 0, 3)
    assert book.booked[ids["coming"]].appointment.start == at(15, 0)


def test_the_week_shows_one_practitioner_day_by_day(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    a_day(book)
    book.add(2, at(10, 0, TODAY + timedelta(days=2)))
    view = make(qtbot, book, dialogs, week=True)
    assert len(view.model.columns) == 7
    assert view.columns.currentText() == "Dr Ana Reyes"
    assert view.model.appointment_at(BookGridModel.row_of(at(10, 0)), 2) is not None
    view.next_button.click()
    assert book.calls[-1] == "week"
    assert view.model.placed == []


def test_the_grid_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    book = FakeAppointmentBook()
    a_day(book)
    model = BookGridModel()
    model.set_book(book.day(RECEPTION), Layout.ROOMS, None)
    qtmodeltester.check(model, force_py=True)


def test_a_change_arriving_while_booking_loses_nothing_typed(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    view = make(qtbot, book, dialogs)
    typed: list[str] = []

    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText("Okafor")
        dialog.note.setText("Prefers the afternoon")
        book.add(2, at(9, 0))  # another workstation books meanwhile
        view.refresh()  # what the change feed does
        typed.append(f"{dialog.search.text()} / {dialog.note.text()}")
        dialog.book_button.click()

    choose(view, 14, 0, 0)
    dialogs.dialog_scripts.append(script)
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert typed == ["Okafor / Prefers the afternoon"]
    assert {b.appointment.note for b in book.booked.values()} >= {"Prefers the afternoon"}
    assert view.model.appointment_at(BookGridModel.row_of(at(9, 0)), 0) is not None


# A popped-up menu grabs the keyboard, which the offscreen platform cannot do.
POPUP = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_status_keys_work_on_the_day_view_and_refusals_say_why(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    choose(view, 11, 15, 0)  # inside Chidi's 11:00-11:45
    qtbot.keyClick(view.grid, Qt.Key.Key_D)
    assert view.banner.text() == "The patient has not been checked in or treated yet."
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.BOOKED
    qtbot.keyClick(view.grid, Qt.Key.Key_Space)
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.ARRIVED
    assert "Chidi Okafor is checked in." in view.banner.text()
    assert view.selected() is not None
    assert view.selected().appointment_id == ids["coming"]  # type: ignore[union-attr]
    dialogs.dialog_scripts.append(cancel_with("Practitioner unavailable"))
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    cancelled = book.booked[ids["coming"]].appointment
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert cancelled.cancel_reason == "Practitioner unavailable"
    # A cancelled appointment frees its time: the grid shows the slot free again.
    assert view.model.appointment_at(BookGridModel.row_of(at(11, 0)), 0) is None
    choose(view, 14, 0, 0)
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    assert view.banner.text() == "Choose an appointment first."


@POPUP
def test_the_day_view_context_menu_offers_the_steps_or_a_booking(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    view = make(qtbot, book, dialogs)
    arrived = view.grid.visualRect(view.model.index(BookGridModel.row_of(at(9, 0)), 0))
    view.grid.customContextMenuRequested.emit(arrived.center())
    assert view.menu is not None
    steps = {a.objectName(): a for a in view.menu.actions() if a.objectName()}
    assert [n for n, a in steps.items() if a.isEnabled()] == [
        "step_hand_over", "step_start", "step_cancel"]
    assert steps["step_check_in"].text() == (
        "Check in — The appointment is already arrived.")
    assert steps["step_hand_over"].text() == "Ready for Room 1"
    steps["step_hand_over"].trigger()
    assert book.booked[ids["arrived"]].ready_for_room_id == 1
    view.menu.close()
    free = view.grid.visualRect(view.model.index(BookGridModel.row_of(at(14, 0)), 1))
    view.grid.customContextMenuRequested.emit(free.center())
    [booking] = view.menu.actions()
    assert booking.text() == "Book at 14:00 (outside working hours)…"  # the nurse's day off
    assert booking.toolTip() == "Not working on this day: booking here asks first."
    view.menu.close()
    view.grid.customContextMenuRequested.emit(
        view.grid.visualRect(view.model.index(BookGridModel.row_of(at(14, 0)), 0)).center())
    assert [a.text() for a in view.menu.actions()] == ["Book at 14:00…"]
    view.menu.close()
    free = view.grid.visualRect(view.model.index(BookGridModel.row_of(at(14, 0)), 1))
    view.grid.customContextMenuRequested.emit(free.center())
    [booking] = view.menu.actions()
    dialogs.dialog_scripts.append(fill("chidi"))
    booking.trigger()
    assert any(b.appointment.start == at(14, 0) and b.appointment.practitioner_id == 4
               for b in book.booked.values())
    view.menu.close()


# --- working hours shaded --------------------------------------------------------------
