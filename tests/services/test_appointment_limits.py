"""The appointment book's fixed limits, each at its edge, on both engines: an overdue
course session is proposed from today over the next fourteen days and no further, at
most five proposed times are offered however many are free, and a treatment's readiness
(screening and what is missing) shows on the day's list while the patient is booked or
checked in, and not once the appointment is in treatment, done, a no-show or cancelled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.domain.working_hours import DayHours, WorkingHours
from clinic_desk.services.appointment_dto import AppointmentView
from tests.helpers.appointments import MONDAY, WARSAW, at, book_clinic
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic

# The course's first session is signed off on Sunday 22 November 2026 (the clock's
# start); "scars" plans the next one 28 to 42 days later: 20 December to 3 January.
# On Monday 11 January 2027 that window has closed: the session is overdue.
OVERDUE_MONDAY = date(2027, 1, 11)


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def _overdue_course(core: ClinicDesk, t: TreatmentClinic, clock: FakeClock,
                    hours: WorkingHours, now: time) -> int:
    """A scars course with its first session done, the practitioner's hours set, and
    the clock moved to `now` on Monday 11 January, after the window for session 2."""
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    course_id = core.courses.plan(t.clinic.practitioner, t.patient_id, plan).course_id
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                        password=STAFF_PASSWORD)
    core.appointments.set_working_hours(t.clinic.admin, t.clinic.practitioner.staff_id, hours)
    clock.now = datetime.combine(OVERDUE_MONDAY, now, tzinfo=WARSAW)
    return course_id


def _nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=WARSAW)


def test_an_overdue_session_is_proposed_up_to_fourteen_days_from_today_and_no_further(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    # Mondays and Tuesdays 9 to 5, asked on Monday evening once today's hours are over:
    # the working days after today are Tuesday (day 1), Monday and Tuesday (days 7 and
    # 8), Monday (day 14), then Tuesday (day 15), one day past the fourteen.
    hours = WorkingHours((DayHours(0, time(9), time(17)), DayHours(1, time(9), time(17))))
    course_id = _overdue_course(core, t, clock, hours, time(18))
    proposal = core.appointments.propose(
        t.clinic.reception, course_id, t.clinic.practitioner.staff_id, 60)
    assert proposal.window is not None and proposal.window.latest < OVERDUE_MONDAY
    day = OVERDUE_MONDAY.toordinal()
    assert proposal.slots == tuple(
        _nine(date.fromordinal(day + n)) for n in (1, 7, 8, 14)
    )


def test_at_most_five_times_are_proposed_when_more_are_free(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    # Weekdays 9 to 5, asked at 12:05 on Monday: free later today at 12:15, and every
    # weekday of the next two weeks is free from 9, ten more days than are offered.
    hours = WorkingHours(tuple(DayHours(d, time(9), time(17)) for d in range(5)))
    course_id = _overdue_course(core, t, clock, hours, time(12, 5))
    proposal = core.appointments.propose(
        t.clinic.reception, course_id, t.clinic.practitioner.staff_id, 60)
    assert proposal.slots == (
        datetime.combine(OVERDUE_MONDAY, time(12, 15), tzinfo=WARSAW),
        *(_nine(OVERDUE_MONDAY + timedelta(days=n)) for n in (1, 2, 3, 4)),
    )
    # The booking dialog's own question (the patient's open course) offers the same five.
    found = core.appointments.propose_for_patient(
        t.clinic.reception, t.patient_id, t.clinic.practitioner.staff_id, 60)
    assert found == proposal


def _row(views: tuple[AppointmentView, ...], appointment_id: int) -> AppointmentView:
    return next(v for v in views if v.appointment_id == appointment_id)


def test_a_checked_in_treatment_shows_its_readiness_as_a_booked_one_does_and_later_ones_none(
    core: ClinicDesk, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)  # Monday 23 November, 08:00 at the clinic
    desk, apps = b.clinic.reception, core.appointments

    def patient(family: str, n: int) -> int:
        details = PatientDetails(family, "Ewa", date(1980, 1, 2 + n), f"+48 600 200 10{n}")
        return core.patients.register(desk, details).patient_id

    # Six patients in the same state (no medical history, no consent), one
    # microneedling treatment each today from 9:00 hourly, to end in six different
    # statuses; the last, at 14:00, stays booked.
    names = ("Arrived", "InTreatment", "Finished", "Absentee", "Cancelling", "Booked")
    ids = {
        name: apps.book(desk, b.request(at(9 + i), 30, patient=patient(name, i),
                                        kind=AppointmentKind.MICRONEEDLING)).appointment_id
        for i, name in enumerate(names)
    }

    def check_in(name: str) -> AppointmentView:
        return apps.check_in(desk, ids[name], expected_version=_row(
            apps.day(desk).appointments, ids[name]).version)

    def move_on(view: AppointmentView, wanted: AppointmentStatus,
                reason: str = "") -> AppointmentView:
        return apps.set_status(desk, view.appointment_id, wanted,
                               expected_version=view.version, reason=reason)

    check_in("Arrived")
    move_on(check_in("InTreatment"), AppointmentStatus.IN_TREATMENT)
    move_on(move_on(check_in("Finished"), AppointmentStatus.IN_TREATMENT),
            AppointmentStatus.DONE)
    cancelling = _row(apps.day(desk).appointments, ids["Cancelling"])
    move_on(cancelling, AppointmentStatus.CANCELLED, "The patient has a cold.")
    clock.now = at(13, 30)  # the 12:00 patient never came
    absentee = _row(apps.day(desk).appointments, ids["Absentee"])
    move_on(absentee, AppointmentStatus.NO_SHOW)

    day = apps.day(desk, MONDAY).appointments
    shown = {name: _row(day, ids[name]) for name in names}
    assert {name: v.status for name, v in shown.items()} == {
        "Booked": AppointmentStatus.BOOKED,
        "Arrived": AppointmentStatus.ARRIVED,
        "InTreatment": AppointmentStatus.IN_TREATMENT,
        "Finished": AppointmentStatus.DONE,
        "Absentee": AppointmentStatus.NO_SHOW,
        "Cancelling": AppointmentStatus.CANCELLED,
    }
    not_ready = (ScreeningStatus.HISTORY_NEEDED, (
        "Medical history needed",
        "Do not treat: No medical history yet",
        "No signed consent for microneedling: the patient must sign one before treatment.",
    ))
    assert {name: (v.screening_status, v.missing) for name, v in shown.items()} == {
        "Booked": not_ready,
        "Arrived": not_ready,
        "InTreatment": (None, ()),
        "Finished": (None, ()),
        "Absentee": (None, ()),
        "Cancelling": (None, ()),
    }
