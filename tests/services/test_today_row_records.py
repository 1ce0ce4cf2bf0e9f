"""What a Today row says, pinned exactly (both engines): the names, room and times; the
course session label counting only sessions signed off before the appointment's day;
and the consent renewal notice at its limit (29, 30 and 31 days before the consent's
last valid day)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.services.appointment_views import day_bounds
from clinic_desk.services.readiness import RENEWAL_NOTICE_DAYS
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.consent_service import consent_clinic, sign
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic

WARSAW = ZoneInfo("Europe/Warsaw")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WARSAW)


def test_the_renewal_notice_is_thirty_days() -> None:
    assert RENEWAL_NOTICE_DAYS == 30


def test_day_bounds_are_the_clinics_midnights_in_utc() -> None:
    start, end = day_bounds(date(2026, 11, 23), date(2026, 11, 29), WARSAW)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-22T23:00:00+00:00",
        "2026-11-29T23:00:00+00:00",
    )


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_a_row_names_everyone_and_counts_course_sessions_before_its_day(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    room = core.appointments.add_room(t.clinic.admin, "Room Ångström").room_id
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    who = t.clinic.practitioner.staff_id

    def book(day: date, hour: int) -> None:
        request = BookingRequest(
            t.patient_id, who, room, _at(day, hour), 45, AppointmentKind.MICRONEEDLING,
            course_id=course.course_id,
        )  # fmt: skip
        core.appointments.book(t.clinic.reception, request, accept_warnings=True)

    tomorrow = t.today + timedelta(days=1)
    book(t.today, 18)
    book(tomorrow, 10)
    today_row = core.appointments.day(t.clinic.reception, t.today).appointments[0]
    assert today_row.course_label == "Session 1 of 6"  # today's session is not before today
    [row] = core.appointments.day(t.clinic.reception, tomorrow).appointments
    assert row.course_label == "Session 2 of 6"
    assert (row.patient_number, row.patient_name) == (
        f"P-{t.patient_id:06d}",
        "Ångström-Müller, Zoë",
    )
    assert (row.practitioner_name, row.room_name) == ("Dr Łucja Wiśniewska", "Room Ångström")
    assert (row.start, row.end) == (_at(tomorrow, 10), _at(tomorrow, 10) + timedelta(minutes=45))
    assert (row.kind_label, row.status_label) == ("Microneedling session", "Booked")
    assert (row.ready_for_room_id, row.ready_for_room_name, row.cancel_reason) == (None, "", "")
    assert not row.uses_rf and row.status is AppointmentStatus.BOOKED


def test_consent_renewal_is_flagged_from_thirty_days_before_it_runs_out(
    core: ClinicDesk, clock: FakeClock
) -> None:
    setup = consent_clinic(core)
    sign(core, setup)  # today, 22 November 2026: valid through 21 November 2027
    clinic = setup.clinic
    room = core.appointments.add_room(clinic.admin, "Room 1").room_id
    last_valid = date(2027, 11, 21)
    flagged = "Consent renewal due by 2027-11-21"
    for days_before, shown in ((31, False), (30, True), (29, True)):
        day = last_valid - timedelta(days=days_before)
        request = BookingRequest(
            setup.patient_id, clinic.practitioner.staff_id, room, _at(day, 10), 30,
            AppointmentKind.MICRONEEDLING,
        )  # fmt: skip
        core.appointments.book(clinic.reception, request, accept_warnings=True)
        [row] = core.appointments.day(clinic.reception, day).appointments
        assert (flagged in row.missing) is shown, days_before
