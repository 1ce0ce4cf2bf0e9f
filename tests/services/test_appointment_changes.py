"""A booking, check-in and hand-over on one workstation reach another through the change
feed (both engines): one change each, naming the appointment and its patient."""

from __future__ import annotations

from pathlib import Path

from clinic_desk.app import ClinicDesk
from tests.conftest import open_core
from tests.helpers.appointments import at, book_clinic
from tests.helpers.clinic import FakeClock
from tests.helpers.waiting import collect_until

DEADLINE_S = 10.0


def test_the_other_workstation_hears_of_each_change(
    core: ClinicDesk, database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)
    room = open_core(database_url, tmp_path / "room", clock, workstation="room-2")
    watcher = room.watch_changes()
    try:
        assert watcher.poll() == []
        desk = b.clinic.reception
        booked = core.appointments.book(desk, b.request(at(9), 30))
        arrived = core.appointments.check_in(desk, booked.appointment_id,
                                             expected_version=booked.version)
        core.appointments.hand_over(desk, booked.appointment_id, b.room_2,
                                    expected_version=arrived.version)
        changes = collect_until(watcher.poll, lambda found: len(found) >= 3, DEADLINE_S,
                                "the three changes")
        assert [(c.action, c.entity_type, c.entity_id, c.patient_id) for c in changes] == [
            ("appointment.booked", "appointment", str(booked.appointment_id), b.anna),
            ("appointment.status_changed", "appointment", str(booked.appointment_id), b.anna),
            ("appointment.handed_over", "appointment", str(booked.appointment_id), b.anna),
        ]
        # The other workstation reads the same day, as handed over.
        [seen] = room.appointments.day(desk).appointments
        assert seen.ready_for_room_name == "Room 2" and seen.version == arrived.version + 1
    finally:
        watcher.close()
        room.close()
