"""The appointment book's writes pinned exactly (both engines): the audit entry and the
history row each change writes (booked, moved, each status, handed over, refused), what
a booking refuses and in which words (unknown patient, not a practitioner, a retired
room, another patient's course, a start without a zone, a stale or unknown appointment),
moves that change practitioner or room, and the week from Monday to Sunday."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    SessionLocked,
    ValidationError,
)
from clinic_desk.services.appointments import AppointmentService
from tests.helpers.appointments import MONDAY, BookClinic, at, book_clinic
from tests.helpers.clinic import FakeClock
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def b(core: ClinicDesk, clock: FakeClock) -> BookClinic:
    return book_clinic(core, clock)


def _history(core: ClinicDesk, appointment_id: int) -> list[tuple[object, ...]]:
    with core.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT change, status, length_minutes, practitioner_id, room_id, detail,"
                " changed_by FROM appointment_change WHERE appointment_id = :a ORDER BY id"
            ),
            {"a": appointment_id},
        )
        return [tuple(r) for r in rows]


def test_each_change_writes_one_history_row_and_one_entry(
    core: ClinicDesk, b: BookClinic, clock: FakeClock
) -> None:
    book: AppointmentService = core.appointments
    reception = b.clinic.reception
    before = entry_count(core)
    view = book.book(reception, replace(b.request(at(10)), note="  First visit \n"))
    assert (view.note, view.status, view.version) == ("First visit", AppointmentStatus.BOOKED, 1)
    moved = book.move(
        reception,
        view.appointment_id,
        start=at(11),
        length_minutes=45,
        expected_version=1,
        practitioner_id=b.other_practitioner_id,
        room_id=b.room_2,
    )
    assert (moved.start, moved.length_minutes) == (at(11), 45)
    assert (moved.practitioner_id, moved.room_id) == (b.other_practitioner_id, b.room_2)
    kept = book.move(
        reception, view.appointment_id, start=at(12), length_minutes=30, expected_version=2
    )
    assert (kept.practitioner_id, kept.room_id) == (b.other_practitioner_id, b.room_2)
    arrived = book.check_in(reception, view.appointment_id, expected_version=3)
    handed = book.hand_over(reception, view.appointment_id, b.room_1, expected_version=4)
    assert handed.ready_for_room_id == b.room_1 and handed.ready_for_room_name == "Room 1"
    clock.now = at(12, 5)
    treating = book.set_status(
        reception, view.appointment_id, AppointmentStatus.IN_TREATMENT, expected_version=5
    )
    assert treating.ready_for_room_id is None
    assert arrived.status is AppointmentStatus.ARRIVED
    staff, patient = reception.staff_id, b.anna
    appointment = str(view.appointment_id)
    assert entries(core, after=before) == [
        Entry("appointment.booked", "appointment", appointment, staff, patient, "success",
              "booked"),
        Entry("appointment.moved", "appointment", appointment, staff, patient, "success",
              "moved"),
        Entry("appointment.moved", "appointment", appointment, staff, patient, "success",
              "moved"),
        Entry("appointment.status_changed", "appointment", appointment, staff, patient,
              "success", "arrived"),
        Entry("appointment.handed_over", "appointment", appointment, staff, patient,
              "success", "handed_over"),
        Entry("appointment.status_changed", "appointment", appointment, staff, patient,
              "success", "in_treatment"),
    ]  # fmt: skip
    other, first = b.other_practitioner_id, b.practitioner_id
    assert _history(core, view.appointment_id) == [
        ("booked", "booked", 30, first, b.room_1, "", staff),
        ("moved", "booked", 45, other, b.room_2, "", staff),
        ("moved", "booked", 30, other, b.room_2, "", staff),
        ("status", "arrived", 30, other, b.room_2, "", staff),
        ("handed_over", "arrived", 30, other, b.room_2, "", staff),
        ("status", "in_treatment", 30, other, b.room_2, "", staff),
    ]


def test_a_cancellation_keeps_its_reason_in_the_history(core: ClinicDesk, b: BookClinic) -> None:
    view = core.appointments.book(b.clinic.reception, b.request(at(10)))
    cancelled = core.appointments.set_status(
        b.clinic.reception,
        view.appointment_id,
        AppointmentStatus.CANCELLED,
        expected_version=1,
        reason="Patient is ill",
    )
    assert cancelled.cancel_reason == "Patient is ill"
    assert _history(core, view.appointment_id)[-1][:2] + _history(core, view.appointment_id)[-1][
        5:6
    ] == ("status", "cancelled", "Patient is ill")
    assert entries(core)[-1].detail == "cancelled"
    with refused(ValidationError, "Only a booked or arrived appointment can be moved.") as moved:
        core.appointments.move(
            b.clinic.reception,
            view.appointment_id,
            start=at(11),
            length_minutes=30,
            expected_version=2,
        )
    assert moved.value.field == "start"


def test_warnings_accepted_are_kept_in_the_booking_entry(core: ClinicDesk, b: BookClinic) -> None:
    from datetime import time

    from clinic_desk.domain.working_hours import DayHours, WorkingHours

    core.appointments.set_working_hours(
        b.clinic.admin, b.practitioner_id, WorkingHours((DayHours(0, time(9), time(12)),))
    )
    view = core.appointments.book(b.clinic.reception, b.request(at(12)), accept_warnings=True)
    [entry] = [e for e in entries(core) if e.action == "appointment.booked"]
    assert entry.detail == "booked"
    warned = _history(core, view.appointment_id)[0][5]
    assert warned == "It ends after working hours (09:00–12:00)."


def test_what_a_booking_refuses_and_in_which_words(
    core: ClinicDesk, b: BookClinic, clock: FakeClock
) -> None:
    book, reception = core.appointments, b.clinic.reception
    with refused(NotFound, "That patient record does not exist."):
        book.book(reception, b.request(at(10), patient=b.zoe + 1))
    for staff_id in (reception.staff_id, b.clinic.admin.staff_id, 999):
        with refused(ValidationError, "Choose one of the clinic's practitioners.") as who:
            book.book(reception, b.request(at(10), practitioner=staff_id))
        assert who.value.field == "practitioner"
    with refused(ValidationError, "Choose one of the clinic's rooms.") as room:
        book.book(reception, b.request(at(10), room=b.room_2 + 1))
    assert room.value.field == "room"
    retired = core.appointments.rooms(reception)[1]
    core.appointments.change_room(
        b.clinic.admin, retired.room_id, name="Room 2", is_active=False,
        expected_version=retired.version,
    )  # fmt: skip
    with refused(ValidationError, "Choose one of the clinic's rooms."):
        book.book(reception, b.request(at(10), room=b.room_2))
    with refused(ValidationError, "That course belongs to another patient.") as course:
        book.book(reception, b.request(at(10), course_id=12345))
    assert course.value.field == "course"
    naive = datetime(2026, 11, 23, 10, 0)
    with refused(ValidationError, "Choose when the appointment starts.") as start:
        book.book(reception, b.request(naive))
    assert start.value.field == "start"
    with refused(ValidationError, "Choose when the appointment starts."):
        book.check(reception, b.request(naive))
    assert book.day(reception).appointments == ()


def test_changes_to_unknown_or_stale_appointments_are_refused(
    core: ClinicDesk, b: BookClinic
) -> None:
    book, reception = core.appointments, b.clinic.reception
    view = book.book(reception, b.request(at(10)))
    missing = view.appointment_id + 1
    with refused(NotFound, "That appointment is not in the book."):
        book.check_in(reception, missing, expected_version=1)
    with pytest.raises(ConcurrentEditError):
        book.check_in(reception, view.appointment_id, expected_version=2)
    with refused(ValidationError, "Choose when the appointment starts.") as start:
        book.move(
            reception, view.appointment_id, start="10:30", length_minutes=30, expected_version=1
        )
    assert start.value.field == "start"
    with refused(ValidationError, "Check the patient in before handing them to a room.") as early:
        book.hand_over(reception, view.appointment_id, b.room_1, expected_version=1)
    assert early.value.field == "status"
    arrived = book.check_in(reception, view.appointment_id, expected_version=1)
    with refused(ValidationError, "Choose one of the clinic's rooms.") as room:
        book.hand_over(reception, view.appointment_id, b.room_2 + 1, expected_version=2)
    assert room.value.field == "room"
    assert book.day(reception).appointments[0] == arrived


def test_refusals_name_the_appointment_action(core: ClinicDesk, b: BookClinic) -> None:
    book, reception = core.appointments, b.clinic.reception
    view = book.book(reception, b.request(at(10)))
    core.auth.lock_session(reception)
    before = entry_count(core)
    calls = (
        lambda: book.book(reception, b.request(at(11))),
        lambda: book.check(reception, b.request(at(11)), view.appointment_id),
        lambda: book.check_in(reception, view.appointment_id, expected_version=1),
        lambda: book.hand_over(reception, view.appointment_id, b.room_1, expected_version=1),
        lambda: book.move(
            reception, view.appointment_id, start=at(11), length_minutes=30, expected_version=1
        ),
        lambda: book.day(reception),
        lambda: book.week(reception),
    )
    for call in calls:
        with pytest.raises(SessionLocked):
            call()
    staff, appointment = reception.staff_id, str(view.appointment_id)

    def locked(action: str, kind: str, entity: str | None, patient: int | None = None) -> Entry:
        return Entry(action, kind, entity, staff, patient, "denied", "session locked")

    assert entries(core, after=before) == [
        locked("appointment.booked", "patient", str(b.anna), b.anna),
        locked("appointment.checked", "appointment", appointment),
        locked("appointment.status_changed", "appointment", appointment),
        locked("appointment.handed_over", "appointment", appointment),
        locked("appointment.moved", "appointment", appointment),
        locked("appointment.listed", "appointment", None),
        locked("appointment.listed", "appointment", None),
    ]
    with pytest.raises(PermissionDenied):
        core.appointments.add_room(b.clinic.practitioner, "Room 9")


def test_the_week_runs_from_monday_to_sunday(core: ClinicDesk, b: BookClinic) -> None:
    book, reception = core.appointments, b.clinic.reception
    sunday_before = MONDAY - timedelta(days=1)
    sunday = MONDAY + timedelta(days=6)
    for day in (sunday_before, MONDAY, sunday, sunday + timedelta(days=1)):
        book.book(reception, b.request(at(10, day=day)), accept_warnings=True)
    wednesday = MONDAY + timedelta(days=2)
    week = book.week(reception, wednesday)
    assert (week.first_day, week.last_day) == (MONDAY, sunday)
    assert [a.start.date() for a in week.appointments] == [MONDAY, sunday]
    assert book.week(reception).first_day == MONDAY  # today is that Monday
    assert [a.start.date() for a in book.week(reception, sunday).appointments] == [
        MONDAY,
        sunday,
    ]
    one = book.day(reception, sunday)
    assert (one.first_day, one.last_day) == (sunday, sunday)
    assert [a.start.date() for a in one.appointments] == [sunday]
    assert [r.name for r in one.rooms] == ["Room 1", "Room 2"]
