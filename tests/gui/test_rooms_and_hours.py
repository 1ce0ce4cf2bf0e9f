"""Settings > Rooms and hours: an administrator adds a room, takes one out of use and sets
a practitioner's weekly hours; the appointment book then warns outside them."""

from __future__ import annotations

from datetime import time

from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.ui.today.rooms_hours import RoomsAndHours
from tests.helpers.appointments import BookClinic, at, book_clinic
from tests.helpers.clinic import FakeClock


def test_rooms_and_hours_are_set_from_settings(
    qtbot: QtBot, sqlite_core: ClinicDesk, clock: FakeClock,
) -> None:
    clinic: BookClinic = book_clinic(sqlite_core, clock)
    admin = clinic.clinic.admin
    panel = RoomsAndHours(sqlite_core.appointments, admin)
    qtbot.addWidget(panel)
    assert [panel.rooms.item(n).text() for n in range(panel.rooms.count())] == [
        "Room 1", "Room 2"]
    panel.room_name.setText("  Room   3 ")
    panel.add_button.click()
    assert "Room 3 was added" in panel.banner.text()
    assert [r.name for r in sqlite_core.appointments.rooms(admin)][-1] == "Room 3"
    panel.rooms.item(1).setCheckState(panel.rooms.item(1).checkState().Unchecked)
    assert [r.is_active for r in sqlite_core.appointments.rooms(admin)] == [True, False, True]
    # Hours: Monday to Friday 09:00-17:00 with a break, for the first practitioner
    panel.practitioner.setCurrentIndex(panel.practitioner.findData(clinic.practitioner_id))
    for day in panel.days[:5]:
        day.works.setChecked(True)
        day.rest.setChecked(True)
    panel.save_button.click()
    assert "were saved" in panel.banner.text(), panel.banner.text()
    hours = sqlite_core.appointments.working_hours(admin, clinic.practitioner_id)
    assert hours is not None
    assert [d.weekday for d in hours.days] == [0, 1, 2, 3, 4]
    assert hours.days[0].start == time(9, 0)
    assert hours.days[0].breaks[0].start == time(12, 30)
    found = sqlite_core.appointments.check(clinic.clinic.reception, BookingRequest(
        clinic.anna, clinic.practitioner_id, clinic.room_1, at(12, 30), 30,
        AppointmentKind.CONSULTATION))
    assert found.warnings  # the break
