"""The whole day from the GUI on real services (SQLite): reception books a patient from
the Day view, checks them in with Space and hands them over with R; the treatment
room's window on another workstation sees them in its queue and opens the session form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk, desk_services
from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.ui.areas import Area
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.sessions.session_window import SessionWindow
from clinic_desk.ui.today.booking_dialog import BookingDialog
from clinic_desk.ui.today.day_model import DayColumn
from clinic_desk.ui.today.grid_model import BookGridModel
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.helpers.appointments import BookClinic, at, book_clinic
from tests.helpers.clinic import FakeClock

DEADLINE_MS = 5000


@pytest.fixture
def room_desk(sqlite_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDesk]:
    """The treatment room's workstation on the same clinic database."""
    desk = open_core(sqlite_url, tmp_path, clock, workstation="room-1")
    yield desk
    desk.close()


@pytest.fixture
def clinic(sqlite_core: ClinicDesk, clock: FakeClock) -> BookClinic:
    return book_clinic(sqlite_core, clock)


def shown(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def book_anna(dialog: QDialog) -> None:
    assert isinstance(dialog, BookingDialog)
    dialog.search.setText("Berg")
    dialog.book_button.click()


def test_reception_books_checks_in_and_hands_over_and_the_room_sees_it(
    qtbot: QtBot, sqlite_core: ClinicDesk, room_desk: ClinicDesk, clinic: BookClinic,
    dialogs: FakeDialogService, ui_settings: QSettings, tmp_path: Path,
) -> None:
    reception = shown(qtbot, MainWindow(desk_services(sqlite_core), clinic.clinic.reception,
                                        dialogs, ui_settings))
    room_dialogs = FakeDialogService()
    room_settings = QSettings(str(tmp_path / "room.ini"), QSettings.Format.IniFormat)
    room = shown(qtbot, MainWindow(desk_services(room_desk), clinic.clinic.practitioner,
                                   room_dialogs, room_settings))
    with qtbot.waitActive(reception):
        reception.activateWindow()
    # Reception starts on Today; the day is empty
    assert reception.current_area() == Area.TODAY
    page = reception.today_page
    # The list and the book load on worker threads: wait for them (i13perf)
    qtbot.waitUntil(lambda: page.list.day_book is not None and not page.list.loading.busy,
                    timeout=DEADLINE_MS)
    assert page.list.model.rowCount() == 0
    # Book Anna at 09:00 with the first practitioner from the Day view, by keyboard
    page.tabs.setCurrentWidget(page.day_view)
    qtbot.waitUntil(lambda: page.day_view.day_book is not None
                    and not page.day_view.loading.busy, timeout=DEADLINE_MS)
    grid = page.day_view.grid
    grid.setFocus()
    grid.setCurrentIndex(page.day_view.model.index(BookGridModel.row_of(at(9, 0)), 0))
    dialogs.dialog_scripts.append(book_anna)
    dialogs.confirm_answers.append(True)  # outside working hours, if none are set
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert "Booked" in page.day_view.banner.text(), page.day_view.banner.text()
    # Check her in with Space and hand her over with R from the list
    page.tabs.setCurrentWidget(page.list)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1, timeout=DEADLINE_MS)
    page.list.focus_list()
    qtbot.keyClick(page.list.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not page.list.loading.busy, timeout=DEADLINE_MS)
    assert page.list.selected() is not None, page.list.banner.text()
    assert page.list.selected().status is AppointmentStatus.ARRIVED  # type: ignore[union-attr]
    qtbot.keyClick(page.list.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: str(page.list.model.index(0, DayColumn.STATUS).data())
                    == "Ready for Room 1", timeout=DEADLINE_MS)
    # The treatment room's window, on another workstation, shows its queue
    queue = room.today_page.list
    queue.show_room(clinic.room_1)

    def in_the_queue() -> None:
        room.change_feed.poll_now()
        assert queue.model.rowCount() == 1

    qtbot.waitUntil(in_the_queue, timeout=DEADLINE_MS)
    assert str(queue.model.index(0, DayColumn.PATIENT).data()).startswith("Berg")
    # and opens the session form for the selected patient
    room.show_area(Area.TODAY)
    with qtbot.waitActive(room):
        room.activateWindow()
    queue.focus_list()
    qtbot.keyClick(queue.table, Qt.Key.Key_S)
    assert any(isinstance(d, SessionWindow) for d in room_dialogs.dialogs_run)
    room.patients_page.charts.close_all()
