"""Booking a course's sessions, pinned exactly (both engines): the first session's window
for a course not started yet (from the later of today and its start, 28 days long), no
slots without working hours, unknown courses refused, the due list's CSV line by line
(every column, with a booking and without), and what an arrived patient still misses."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.course import DateWindow
from clinic_desk.domain.errors import NotFound, SessionLocked
from clinic_desk.domain.working_hours import DayHours, WorkingHours
from clinic_desk.services.appointment_admin import AppointmentAdministration
from clinic_desk.services.appointment_dto import BookingRequest
from tests.helpers.appointments import WARSAW
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

HEADER = [
    "patient_number", "patient_name", "phone", "indication", "state", "next_session",
    "window_from", "window_to", "recall_on", "next_booked",
]  # fmt: skip


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_a_course_not_started_is_proposed_a_28_day_window_from_its_start(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    book: AppointmentAdministration = core.appointments
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    who = t.clinic.practitioner.staff_id
    started_later = t.today + timedelta(days=10)
    later = core.courses.plan(t.clinic.practitioner, t.patient_id, plan, started_on=started_later)
    proposal = book.propose(t.clinic.reception, later.course_id, who, 60)
    assert proposal.window == DateWindow(started_later, started_later + timedelta(days=28))
    assert (proposal.session_label, proposal.slots) == ("Session 1 of 6", ())  # no hours set
    assert (proposal.course_id, proposal.patient_id) == (later.course_id, t.patient_id)
    earlier = core.courses.plan(
        t.clinic.practitioner, t.patient_id, plan, started_on=t.today - timedelta(days=5)
    )
    from_today = book.propose(t.clinic.reception, earlier.course_id, who)
    assert from_today.window == DateWindow(t.today, t.today + timedelta(days=28))
    core.appointments.set_working_hours(
        t.clinic.admin, who, WorkingHours(tuple(DayHours(d, time(9), time(11)) for d in range(7)))
    )
    slots = book.propose(t.clinic.reception, earlier.course_id, who, 60).slots
    assert slots and all(t.today <= s.date() <= t.today + timedelta(days=28) for s in slots)
    # From today on, never in the past: at 10:00 in Warsaw today's 09:00 has gone.
    assert clock.now == datetime.combine(t.today, time(10), tzinfo=WARSAW)
    assert slots[0] == datetime.combine(t.today + timedelta(days=1), time(9), tzinfo=WARSAW)
    with refused(NotFound, "That course is not on record."):
        book.propose(t.clinic.reception, earlier.course_id + 1, who)
    core.auth.lock_session(t.clinic.reception)
    before = entry_count(core)
    with pytest.raises(SessionLocked):
        book.propose(t.clinic.reception, later.course_id, who)
    with pytest.raises(SessionLocked):
        book.due(t.clinic.reception, core.courses)
    staff = t.clinic.reception.staff_id
    assert entries(core, after=before) == [
        Entry("appointment.proposed", "course", str(later.course_id), staff, None, "denied",
              "session locked"),
        Entry("course.viewed", "course", None, staff, None, "denied", "session locked"),
    ]  # fmt: skip


def test_the_due_csv_line_by_line(core: ClinicDesk, t: TreatmentClinic, clock: FakeClock) -> None:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    first_day = t.today
    clock.advance(timedelta(days=30))
    desk = t.clinic.reception
    lines = list(csv.reader(io.StringIO(core.appointments.due_csv(desk, core.courses))))
    due = [
        f"P-{t.patient_id:06d}", "Ångström-Müller, Zoë", "+48 600 100 200",
        "Acne and other scars", "due", "Session 2 of 6",
        (first_day + timedelta(days=28)).isoformat(), (first_day + timedelta(days=42)).isoformat(),
        "", "",
    ]  # fmt: skip
    assert lines == [HEADER, due]
    room = core.appointments.add_room(t.clinic.admin, "Room 1").room_id
    start = datetime.combine(first_day + timedelta(days=35), time(10, 15), tzinfo=WARSAW)
    request = BookingRequest(
        t.patient_id, t.clinic.practitioner.staff_id, room, start, 60,
        AppointmentKind.MICRONEEDLING,
    )  # fmt: skip
    core.appointments.book(desk, request, accept_warnings=True)
    assert core.appointments.due_csv(desk, core.courses) == "\r\n".join([",".join(HEADER), ""])
    full = core.appointments.due_csv(desk, core.courses, nothing_booked=False)
    booked = list(csv.reader(io.StringIO(full)))[1]
    assert booked == [*due[:-1], start.isoformat(timespec="minutes")]
    on_day = core.appointments.due_csv(
        desk, core.courses, on=first_day + timedelta(days=27), nothing_booked=False
    )
    assert on_day.count("\r\n") == 1  # not due yet: the header alone


def test_an_arrived_patient_still_shows_what_is_missing(core: ClinicDesk, clock: FakeClock) -> None:
    from tests.helpers.appointments import at, book_clinic

    b = book_clinic(core, clock)
    view = core.appointments.book(
        b.clinic.reception, b.request(at(9), 60, kind=AppointmentKind.MICRONEEDLING)
    )
    assert view.note == ""  # none given
    [booked] = core.appointments.day(b.clinic.reception).appointments
    assert "Medical history needed" in booked.missing
    core.appointments.check_in(b.clinic.reception, view.appointment_id, expected_version=1)
    [arrived] = core.appointments.day(b.clinic.reception).appointments
    assert arrived.missing == booked.missing and arrived.screening_status is not None
