"""Course booking proposals and the due list with its "nothing booked" filter and CSV
export, on both engines."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.working_hours import DayHours, WorkingHours
from clinic_desk.services.appointment_dto import BookingRequest, OutsideWorkingHours
from clinic_desk.services.dto import SignedInStaff
from tests.helpers.appointments import WARSAW
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def _course_with_a_session(core: ClinicDesk, t: TreatmentClinic) -> int:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")  # every 28 to 42 days
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                        password=STAFF_PASSWORD)
    return course.course_id


def _weekday_hours(core: ClinicDesk, admin: SignedInStaff, staff_id: int) -> None:
    core.appointments.set_working_hours(
        admin, staff_id, WorkingHours(tuple(DayHours(d, time(9), time(17)) for d in range(5)))
    )


def _request(t: TreatmentClinic, room_id: int, start: datetime,
             course_id: int | None) -> BookingRequest:
    return BookingRequest(t.patient_id, t.clinic.practitioner.staff_id, room_id, start, 60,
                          AppointmentKind.MICRONEEDLING, course_id=course_id)


def test_course_sessions_are_proposed_inside_the_window(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    course_id = _course_with_a_session(core, t)
    room = core.appointments.add_room(t.clinic.admin, "Room 1").room_id
    practitioner = t.clinic.practitioner.staff_id
    _weekday_hours(core, t.clinic.admin, practitioner)
    proposal = core.appointments.propose(t.clinic.reception, course_id, practitioner, 60)
    assert proposal.session_label == "Session 2 of 6"
    assert proposal.window is not None
    assert (proposal.window.earliest, proposal.window.latest) == (
        t.today + timedelta(days=28), t.today + timedelta(days=42))
    assert proposal.slots, "a working day inside the window has a free slot"
    for slot in proposal.slots:
        assert proposal.window.contains(slot.date()) and slot.weekday() < 5
        assert slot.time() == time(9)
    first = proposal.slots[0]
    booked = core.appointments.book(t.clinic.reception, _request(t, room, first, course_id))
    assert booked.course_label == "Session 2 of 6"
    # The booked slot is no longer proposed.
    again = core.appointments.propose(t.clinic.reception, course_id, practitioner, 60)
    assert first not in again.slots
    # A day before the window warns in the domain's words; accepted, it is booked.
    early = datetime.combine(t.today + timedelta(days=15), time(10), tzinfo=WARSAW)
    assert proposal.explain(early.date()) is not None
    with pytest.raises(OutsideWorkingHours) as warned:
        core.appointments.book(t.clinic.reception, _request(t, room, early, course_id))
    assert warned.value.warnings == (proposal.explain(early.date(), "DD/MM/YYYY"),)
    assert "before the advised window" in warned.value.warnings[0]
    # in the clinic's date format, as every date the reception reads
    assert warned.value.warnings[0].startswith(early.strftime("%d/%m/%Y is 13 days before"))
    core.appointments.book(t.clinic.reception, _request(t, room, early, course_id),
                           accept_warnings=True)


def test_a_patient_on_a_course_gets_its_proposal_others_none(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    desk, practitioner = t.clinic.reception, t.clinic.practitioner.staff_id
    _weekday_hours(core, t.clinic.admin, practitioner)
    assert core.appointments.propose_for_patient(desk, t.patient_id, practitioner) is None
    course_id = _course_with_a_session(core, t)
    found = core.appointments.propose_for_patient(desk, t.patient_id, practitioner, 60)
    assert found == core.appointments.propose(desk, course_id, practitioner, 60)
    assert found is not None and found.slots and found.session_label == "Session 2 of 6"
    course = next(c for c in core.courses.courses(t.clinic.practitioner, t.patient_id)
                  if c.course_id == course_id)
    core.courses.close(t.clinic.practitioner, course_id, reason="Patient moved away",
                       expected_version=course.version)
    assert core.appointments.propose_for_patient(desk, t.patient_id, practitioner) is None


def test_proposals_never_lie_in_the_past_and_an_overdue_session_gets_the_soonest(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    course_id = _course_with_a_session(core, t)  # signed off on Sunday 22 November
    practitioner = t.clinic.practitioner.staff_id
    _weekday_hours(core, t.clinic.admin, practitioner)
    clock.advance(timedelta(days=29, hours=2, minutes=5))  # Monday 21 Dec, 12:05 in Warsaw
    now = clock.now.astimezone(WARSAW)
    proposal = core.appointments.propose(t.clinic.reception, course_id, practitioner, 60)
    assert proposal.window is not None and proposal.window.contains(now.date())
    assert proposal.slots[0] == datetime.combine(now.date(), time(12, 15), tzinfo=WARSAW)
    assert proposal.slots[1] == datetime.combine(now.date() + timedelta(days=1), time(9),
                                                 tzinfo=WARSAW)
    assert len(proposal.slots) == 5
    clock.advance(timedelta(days=21))  # Monday 11 January: the window closed on 3 January
    now = clock.now.astimezone(WARSAW)
    late = core.appointments.propose(t.clinic.reception, course_id, practitioner, 60)
    assert late.window == proposal.window  # the warning still names the advised window
    assert late.window is not None and late.window.latest < now.date()
    assert late.slots and all(slot > now for slot in late.slots)
    assert late.slots[0].date() == now.date()


def test_the_due_list_filters_nothing_booked_and_exports_csv(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    course_id = _course_with_a_session(core, t)
    room = core.appointments.add_room(t.clinic.admin, "Room 1").room_id
    clock.advance(timedelta(days=30))
    desk = t.clinic.reception
    [row] = core.appointments.due(desk, core.courses)
    assert row.nothing_booked and row.entry.course_id == course_id
    assert [r.entry.patient_id for r in core.appointments.due(
        desk, core.courses, nothing_booked=True)] == [t.patient_id]
    text = core.appointments.due_csv(desk, core.courses)
    header, line = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["patient_number", "patient_name", "phone"]
    assert line[1] == "Ångström-Müller, Zoë" and line[4] == "due" and line[-1] == ""
    # Booked: off the "nothing booked" list, still on the full list with the booking.
    start = datetime.combine(t.today + timedelta(days=35), time(10), tzinfo=WARSAW)
    core.appointments.book(desk, _request(t, room, start, course_id), accept_warnings=True)
    assert core.appointments.due(desk, core.courses, nothing_booked=True) == []
    [row] = core.appointments.due(desk, core.courses)
    assert row.next_booked == start
    assert core.appointments.due_csv(desk, core.courses).count("\r\n") == 1
    # A cancelled booking does not count.
    day = core.appointments.week(desk, start.date())
    [booked] = day.appointments
    core.appointments.set_status(desk, booked.appointment_id, AppointmentStatus.CANCELLED,
                                 expected_version=booked.version, reason="Moved abroad")
    assert len(core.appointments.due(desk, core.courses, nothing_booked=True)) == 1
