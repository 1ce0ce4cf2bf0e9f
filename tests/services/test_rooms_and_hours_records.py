"""Rooms and working hours pinned exactly (both engines): the room name trimmed and at
its limit (79, 80, 81 characters), duplicates refused by name, renames and retirement
with their versions, each audit entry (added, changed, hours changed, refused), working
hours with breaks stored and read back, and the refusals' messages."""

from __future__ import annotations

from datetime import time

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    SessionLocked,
    ValidationError,
)
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_admin import MAX_ROOM_NAME, RECALL_KIND
from clinic_desk.services.appointment_dto import RoomView
from tests.helpers.clinic import SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


def test_the_limits_and_the_recall_kind() -> None:
    assert MAX_ROOM_NAME == 80
    assert RECALL_KIND is AppointmentKind.MAINTENANCE


def test_a_room_name_is_trimmed_and_kept_to_80_characters(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    admin = clinic.admin
    first = core.appointments.add_room(admin, "  Treatment \n room   1 ")
    assert first == RoomView(first.room_id, "Treatment room 1", True, first.version)
    on = core.appointments.add_room(admin, "R" * 80)
    assert on.name == "R" * 80
    below = core.appointments.add_room(admin, "S" * 79)
    assert below.name == "S" * 79
    with refused(ValidationError, "Keep the name under 80 characters.") as long:
        core.appointments.add_room(admin, "T" * 81)
    assert long.value.field == "name"
    with refused(ValidationError, "Give the room a name.") as empty:
        core.appointments.add_room(admin, " \t ")
    assert empty.value.field == "name"
    with refused(ValidationError, "There is already a room called “Treatment room 1”.") as twice:
        core.appointments.add_room(admin, "Treatment  room 1")
    assert twice.value.field == "name"
    assert [r.name for r in core.appointments.rooms(clinic.reception)] == [
        "R" * 80,
        "S" * 79,
        "Treatment room 1",
    ]  # by name


def test_a_room_is_renamed_and_retired_with_its_version_each_audited(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    admin = clinic.admin
    before = entry_count(core)
    room = core.appointments.add_room(admin, "Room 1")
    other = core.appointments.add_room(admin, "Room 2")
    renamed = core.appointments.change_room(
        admin, room.room_id, name=" Room  A ", is_active=True, expected_version=room.version
    )
    assert (renamed.name, renamed.is_active, renamed.version) == ("Room A", True, room.version + 1)
    same = core.appointments.change_room(
        admin, room.room_id, name="Room A", is_active=False, expected_version=renamed.version
    )
    assert (same.name, same.is_active) == ("Room A", False)
    with refused(ValidationError, "There is already a room called “Room 2”.") as taken:
        core.appointments.change_room(
            admin, room.room_id, name="Room 2", is_active=True, expected_version=same.version
        )
    assert taken.value.field == "name"
    with pytest.raises(ConcurrentEditError):
        core.appointments.change_room(
            admin, room.room_id, name="Room B", is_active=True, expected_version=room.version
        )
    with refused(NotFound, "That room is not on record."):
        core.appointments.change_room(
            admin, other.room_id + 1, name="Room B", is_active=True, expected_version=1
        )
    listed = core.appointments.rooms(clinic.reception)
    assert listed == [other, same]  # by name
    staff = admin.staff_id
    assert entries(core, after=before) == [
        Entry("room.added", "room", str(room.room_id), staff, None, "success", ""),
        Entry("room.added", "room", str(other.room_id), staff, None, "success", ""),
        Entry("room.changed", "room", str(room.room_id), staff, None, "success", ""),
        Entry("room.changed", "room", str(room.room_id), staff, None, "success", ""),
    ]


def test_room_and_hours_refusals_name_their_action(core: ClinicDesk, clinic: SeededClinic) -> None:
    room = core.appointments.add_room(clinic.admin, "Room 1")
    who = clinic.practitioner
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.appointments.add_room(who, "Room 2")
    with pytest.raises(PermissionDenied):
        core.appointments.change_room(
            who, room.room_id, name="Room 2", is_active=True, expected_version=room.version
        )
    hours = WorkingHours((DayHours(0, time(9), time(17)),))
    with pytest.raises(PermissionDenied):
        core.appointments.set_working_hours(who, who.staff_id, hours)
    core.auth.lock_session(clinic.reception)
    with pytest.raises(SessionLocked):
        core.appointments.rooms(clinic.reception)
    with pytest.raises(SessionLocked):
        core.appointments.working_hours(clinic.reception, who.staff_id)
    staff, reception = who.staff_id, clinic.reception.staff_id
    roles = "roles=practitioner"
    assert entries(core, after=before) == [
        Entry("room.added", "room", None, staff, None, "denied", roles),
        Entry("room.changed", "room", str(room.room_id), staff, None, "denied", roles),
        Entry("hours.changed", "staff_account", str(staff), staff, None, "denied", roles),
        Entry("staff.session_locked", "staff_account", str(reception), reception, None,
              "success", ""),
        Entry("room.listed", "room", None, reception, None, "denied", "session locked"),
        Entry("hours.viewed", "staff_account", str(staff), reception, None, "denied",
              "session locked"),
    ]  # fmt: skip


def test_working_hours_with_breaks_are_stored_and_read_back(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    who = clinic.practitioner.staff_id
    assert core.appointments.working_hours(clinic.reception, who) is None
    hours = WorkingHours(
        (
            DayHours(0, time(8, 30), time(17), (Period(time(12), time(12, 30)),)),
            DayHours(
                2,
                time(9),
                time(19, 45),
                (Period(time(11), time(11, 15)), Period(time(14), time(14, 45))),
            ),
            DayHours(4, time(7), time(13)),
        )
    )
    before = entry_count(core)
    assert core.appointments.set_working_hours(clinic.admin, who, hours) == hours
    assert core.appointments.working_hours(clinic.reception, who) == hours
    shorter = WorkingHours((DayHours(1, time(10), time(14)),))
    assert core.appointments.set_working_hours(clinic.admin, who, shorter) == shorter
    assert core.appointments.working_hours(clinic.reception, who) == shorter
    none = core.appointments.set_working_hours(clinic.admin, who, WorkingHours(()))
    assert none == WorkingHours(())
    assert core.appointments.working_hours(clinic.reception, who) is None
    entry = Entry("hours.changed", "staff_account", str(who), clinic.admin.staff_id, None,
                  "success", "")  # fmt: skip
    assert entries(core, after=before) == [entry, entry, entry]


def test_working_hours_refusals(core: ClinicDesk, clinic: SeededClinic) -> None:
    admin = clinic.admin
    backwards = WorkingHours((DayHours(3, time(17), time(9)),))
    with refused(ValidationError, "On Thursday the day must end after it starts.") as bad:
        core.appointments.set_working_hours(admin, clinic.practitioner.staff_id, backwards)
    assert bad.value.field == "days.3"
    fine = WorkingHours((DayHours(3, time(9), time(17)),))
    with refused(NotFound, "That staff account does not exist."):
        core.appointments.set_working_hours(admin, 999, fine)
    assert core.appointments.working_hours(admin, clinic.practitioner.staff_id) is None
