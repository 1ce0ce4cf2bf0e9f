"""The appointment book through the services, on both engines: clashes at every
boundary, working hours, status changes, hand-over, stale moves, the day listing and
the audit chain vouching for the appointment history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus, Punctuality
from clinic_desk.domain.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_dto import OutsideWorkingHours
from tests.helpers.appointments import BookClinic, at, book_clinic
from tests.helpers.clinic import FakeClock
from tests.helpers.sessions import clear_answers


@pytest.fixture
def b(core: ClinicDesk, clock: FakeClock) -> BookClinic:
    return book_clinic(core, clock)


def test_touching_appointments_do_not_clash_a_one_minute_overlap_does(
    core: ClinicDesk, b: BookClinic
) -> None:
    book = core.appointments.book
    desk = b.clinic.reception
    first = book(desk, b.request(at(10), 30))
    assert first.status is AppointmentStatus.BOOKED
    assert first.start == at(10) and first.end == at(10, 30)
    # Same practitioner, room and patient, touching at either end: accepted.
    book(desk, b.request(at(10, 30), 30))
    book(desk, b.request(at(9, 30), 30))
    # One minute over, by each of the three: refused with the clash in words.
    with pytest.raises(ValidationError) as practitioner:
        book(desk, b.request(at(10, 59), 30, patient=b.zoe, room=b.room_2))
    assert "Dr Łucja Wiśniewska is already booked 10:30–11:00" in str(practitioner.value)
    assert practitioner.value.field == "start"
    with pytest.raises(ValidationError) as room:
        book(desk, b.request(at(9, 1), 30, patient=b.zoe, practitioner=b.other_practitioner_id))
    assert "Room 1 is already taken 09:30–10:00 (Anna Berg, Consultation)." in str(room.value)
    with pytest.raises(ValidationError) as patient:
        book(desk, b.request(at(10, 59), 30, practitioner=b.other_practitioner_id,
                             room=b.room_2))
    assert "Anna Berg already has an appointment 10:30–11:00" in str(patient.value)
    # Another practitioner, room and patient at the same time: fine.
    book(desk, b.request(at(10), 30, patient=b.zoe, practitioner=b.other_practitioner_id,
                         room=b.room_2))
    assert len(core.appointments.day(desk).appointments) == 4


def test_a_cancelled_appointment_frees_its_time_and_cannot_be_checked_in(
    core: ClinicDesk, b: BookClinic
) -> None:
    desk = b.clinic.reception
    first = core.appointments.book(desk, b.request(at(11), 60))
    with pytest.raises(ValidationError) as no_reason:
        core.appointments.set_status(desk, first.appointment_id, AppointmentStatus.CANCELLED,
                                     expected_version=first.version)
    assert no_reason.value.field == "cancel_reason"
    cancelled = core.appointments.set_status(
        desk, first.appointment_id, AppointmentStatus.CANCELLED,
        expected_version=first.version, reason="Patient has a cold",
    )
    assert cancelled.status_label == "Cancelled" and cancelled.cancel_reason == "Patient has a cold"
    with pytest.raises(ValidationError) as refused:
        core.appointments.check_in(desk, first.appointment_id, expected_version=cancelled.version)
    assert str(refused.value) == "A cancelled appointment cannot be checked in: book a new one."
    again = core.appointments.book(desk, b.request(at(11), 60))
    assert again.appointment_id != first.appointment_id


def test_check_in_hand_over_and_the_rooms_queue(
    core: ClinicDesk, b: BookClinic, clock: FakeClock
) -> None:
    desk, apps = b.clinic.reception, core.appointments
    booked = apps.book(desk, b.request(at(9), 45, kind=AppointmentKind.MICRONEEDLING))
    with pytest.raises(ValidationError, match="Check the patient in before handing"):
        apps.hand_over(desk, booked.appointment_id, b.room_2, expected_version=booked.version)
    with pytest.raises(ValidationError, match="Check the patient in before the treatment"):
        apps.set_status(desk, booked.appointment_id, AppointmentStatus.IN_TREATMENT,
                        expected_version=booked.version)
    clock.advance(timedelta(minutes=50))  # 08:50
    arrived = apps.check_in(desk, booked.appointment_id, expected_version=booked.version)
    assert arrived.status is AppointmentStatus.ARRIVED and arrived.punctuality is None
    assert apps.room_queue(desk, b.room_2) == []
    ready = apps.hand_over(desk, booked.appointment_id, b.room_2,
                           expected_version=arrived.version)
    assert ready.ready_for_room_name == "Room 2"
    [queued] = apps.room_queue(b.clinic.practitioner, b.room_2)
    assert queued.appointment_id == booked.appointment_id
    treating = apps.set_status(b.clinic.practitioner, booked.appointment_id,
                               AppointmentStatus.IN_TREATMENT, expected_version=ready.version)
    assert treating.ready_for_room_id is None
    assert apps.room_queue(desk, b.room_2) == []
    assert [a.appointment_id for a in apps.room_queue(desk, b.room_1)] == [booked.appointment_id]
    done = apps.set_status(desk, booked.appointment_id, AppointmentStatus.DONE,
                           expected_version=treating.version)
    with pytest.raises(ValidationError, match="done and can no longer change"):
        apps.set_status(desk, booked.appointment_id, AppointmentStatus.CANCELLED,
                        expected_version=done.version, reason="x")


def test_late_and_no_show_stand_out_in_the_day(
    core: ClinicDesk, b: BookClinic, clock: FakeClock
) -> None:
    desk, apps = b.clinic.reception, core.appointments
    booked = apps.book(desk, b.request(at(8, 30), 30))
    clock.advance(timedelta(minutes=40))  # 08:40: ten minutes late
    [row] = apps.day(desk).appointments
    assert row.punctuality is Punctuality.LATE and row.punctuality_label == "Late"
    clock.advance(timedelta(minutes=20))  # 09:00
    [row] = apps.day(desk).appointments
    assert row.punctuality is Punctuality.LIKELY_NO_SHOW
    no_show = apps.set_status(desk, booked.appointment_id, AppointmentStatus.NO_SHOW,
                              expected_version=row.version)
    assert no_show.status_label == "No-show" and no_show.punctuality is None


def test_working_hours_warn_and_the_warning_can_be_accepted(
    core: ClinicDesk, b: BookClinic
) -> None:
    weekdays = tuple(
        DayHours(d, at(9).time(), at(17).time(), (Period(at(12, 30).time(), at(13).time()),))
        for d in range(5)
    )
    with pytest.raises(PermissionDenied):
        core.appointments.set_working_hours(b.clinic.reception, b.practitioner_id,
                                            WorkingHours(weekdays))
    core.appointments.set_working_hours(b.clinic.admin, b.practitioner_id, WorkingHours(weekdays))
    hours = core.appointments.working_hours(b.clinic.reception, b.practitioner_id)
    assert hours is not None and hours.days == weekdays
    desk = b.clinic.reception
    check = core.appointments.check(desk, b.request(at(8, 30), 45))
    assert check.clashes == ()
    assert check.warnings == ("It starts before working hours (09:00–17:00).",)
    with pytest.raises(OutsideWorkingHours) as warned:
        core.appointments.book(desk, b.request(at(12, 15), 30))
    assert warned.value.warnings == ("It overlaps the break 12:30–13:00.",)
    assert core.appointments.day(desk).appointments == ()
    accepted = core.appointments.book(desk, b.request(at(12, 15), 30), accept_warnings=True)
    assert accepted.start == at(12, 15)
    # Inside the hours: no warning at all; a practitioner without hours set: none either.
    core.appointments.book(desk, b.request(at(9), 30))
    core.appointments.book(desk, b.request(at(7), 30, patient=b.zoe, room=b.room_2,
                                           practitioner=b.other_practitioner_id))


def test_the_day_and_week_carry_the_working_hours_for_shading(
    core: ClinicDesk, b: BookClinic
) -> None:
    desk = b.clinic.reception
    assert core.appointments.day(desk).working_hours == ()  # none set: nothing to shade
    weekdays = tuple(
        DayHours(d, at(9).time(), at(17).time(), (Period(at(12, 30).time(), at(13).time()),))
        for d in range(5)
    )
    core.appointments.set_working_hours(b.clinic.admin, b.practitioner_id, WorkingHours(weekdays))
    saturday = (DayHours(5, at(10).time(), at(14).time()),)
    core.appointments.set_working_hours(b.clinic.admin, b.other_practitioner_id,
                                        WorkingHours(saturday))
    for book in (core.appointments.day(desk), core.appointments.week(desk)):
        hours = book.hours()
        assert set(hours) == {b.practitioner_id, b.other_practitioner_id}
        assert hours[b.practitioner_id].days == weekdays
        assert hours[b.other_practitioner_id].days == saturday


def test_a_stale_move_is_refused_and_changes_nothing(core: ClinicDesk, b: BookClinic) -> None:
    desk, apps = b.clinic.reception, core.appointments
    booked = apps.book(desk, b.request(at(10), 30))
    moved = apps.move(desk, booked.appointment_id, start=at(14), length_minutes=45,
                      expected_version=booked.version)
    assert (moved.start, moved.length_minutes) == (at(14), 45)
    assert moved.version == booked.version + 1
    with pytest.raises(ConcurrentEditError, match="changed on another workstation"):
        apps.move(desk, booked.appointment_id, start=at(15), length_minutes=30,
                  expected_version=booked.version)
    with pytest.raises(ConcurrentEditError):
        apps.check_in(desk, booked.appointment_id, expected_version=booked.version)
    [row] = apps.day(desk).appointments
    assert (row.start, row.length_minutes, row.version) == (at(14), 45, moved.version)
    # A move into a clash is refused, naming it; the moved appointment never clashes with
    # itself.
    other = apps.book(desk, b.request(at(16), 30, patient=b.zoe, room=b.room_2))
    with pytest.raises(ValidationError, match="already booked 16:00–16:30"):
        apps.move(desk, booked.appointment_id, start=at(15, 30), length_minutes=31,
                  expected_version=moved.version)
    apps.move(desk, booked.appointment_id, start=at(14, 15), length_minutes=45,
              expected_version=moved.version)
    assert other.appointment_id != booked.appointment_id


def test_the_day_row_says_what_is_missing_before_treatment(
    core: ClinicDesk, b: BookClinic, clock: FakeClock
) -> None:
    desk = b.clinic.reception
    core.appointments.book(desk, b.request(at(9), 60, kind=AppointmentKind.RF_SESSION))
    core.appointments.book(desk, b.request(at(11), 30, patient=b.zoe))
    day = core.appointments.day(desk)
    treatment, consultation = day.appointments
    assert treatment.uses_rf and treatment.kind_label == "RF microneedling session"
    assert treatment.screening_label == "Medical history needed"
    assert "Medical history needed" in treatment.missing
    assert any("consent" in m.lower() for m in treatment.missing)
    # A consultation needs no screening.
    assert consultation.screening_status is None and consultation.missing == ()
    assert [r.name for r in day.rooms] == ["Room 1", "Room 2"]
    assert {p.staff_id for p in day.practitioners} == {b.practitioner_id,
                                                       b.other_practitioner_id}
    # Kept between calls, recomputed once the patient's record changes (the cache's key is
    # the newest audit entry about the patient).
    assert core.appointments.day(desk).appointments[0].missing == treatment.missing
    core.intake.record(desk, b.anna, clear_answers(core))
    again = core.appointments.day(desk).appointments[0]
    assert "Medical history needed" not in again.missing
    assert again.screening_status is not None and again.screening_label != treatment.screening_label
    week = core.appointments.week(desk, at(9).date() + timedelta(days=3))
    assert week.first_day == at(9).date() and len(week.appointments) == 2
    assert week.appointments[0].missing == ()  # the week view does not compute it
    # The next day, Monday's booked treatment is past: nothing to prepare for it any more.
    clock.advance(timedelta(days=1))
    past = core.appointments.day(desk, at(9).date()).appointments[0]
    assert past.screening_status is None and past.missing == ()


def test_the_history_is_append_only_and_audit_verify_vouches_for_it(
    core: ClinicDesk, b: BookClinic
) -> None:
    desk = b.clinic.reception
    booked = core.appointments.book(desk, b.request(at(10), 30))
    core.appointments.check_in(desk, booked.appointment_id, expected_version=booked.version)
    verification = core.audit.verify(b.clinic.admin)
    assert verification.ok
    with core.units(write=True) as uow, pytest.raises(DBAPIError):
        uow.session.execute(text("UPDATE appointment_change SET detail = 'forged'"))
    with core.units(write=True) as uow, pytest.raises(DBAPIError):
        uow.session.execute(text("DELETE FROM appointment_change"))
    with core.units() as uow:
        actions = [e.action for e in uow.audit.recent(5)]
    assert "appointment.booked" in actions and "appointment.status_changed" in actions


def test_audit_verify_names_a_history_row_changed_behind_its_back(
    core: ClinicDesk, b: BookClinic
) -> None:
    booked = core.appointments.book(b.clinic.reception, b.request(at(10), 30))
    assert core.audit.verify(b.clinic.admin).ok
    with core.units(write=True) as uow:
        # What an intruder with the owner's rights could do: lift the guard, edit, restore.
        if uow.session.get_bind().dialect.name == "sqlite":
            uow.session.execute(text("DROP TRIGGER appointment_change_no_update"))
        else:
            uow.session.execute(text(
                "ALTER TABLE appointment_change DISABLE TRIGGER appointment_change_append_only"
            ))
        uow.session.execute(text(
            "UPDATE appointment_change SET starts_at = starts_at, detail = 'moved by hand' "
            "WHERE appointment_id = :id"), {"id": booked.appointment_id})
        uow.session.commit()
    verification = core.audit.verify(b.clinic.admin)
    assert not verification.ok
    assert "appointment_change" in " ".join(verification.problems)
