"""The demo clinic's appointment book (services/demo_appointments.py), loaded after the
treatment demo as `clinic-desk demo` loads it: rooms, working hours, and a week around
today in which the days before are done (one no-show), today is partly done (two arrived,
one handed to a room) and the days after are booked (one cancelled)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.demo_appointments import (
    DEMO_ROOMS,
    DemoWeek,
    demo_hours,
    load_demo_appointments,
)
from clinic_desk.services.demo_treatment import load_demo_treatment
from clinic_desk.storage.models_appointments import AppointmentChange
from tests.helpers.clinic import FakeClock

PARIS = ZoneInfo("Europe/Paris")
# Tuesday 24 November 2026, 10:45 in Paris: the 09:45 treatment ends this very minute.
NOW = datetime(2026, 11, 24, 9, 45, tzinfo=UTC)
TODAY = date(2026, 11, 24)
# The day plan: (start, minutes, kind, room).
PLAN = [
    (time(9, 0), 30, AppointmentKind.CONSULTATION, "Consultation room"),
    (time(9, 45), 60, AppointmentKind.MICRONEEDLING, "Room 1"),
    (time(11, 0), 60, AppointmentKind.RF_SESSION, "Room 2"),
    (time(12, 15), 30, AppointmentKind.REVIEW, "Consultation room"),
    (time(14, 0), 60, AppointmentKind.MAINTENANCE, "Room 1"),
    (time(15, 15), 60, AppointmentKind.MICRONEEDLING, "Room 1"),
    (time(16, 30), 30, AppointmentKind.CONSULTATION, "Consultation room"),
]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _all_appointments(core: ClinicDesk) -> list[AppointmentView]:
    reception = core.auth.demo_account("reception")
    first = core.appointments.week(reception, TODAY - timedelta(days=7)).appointments
    return sorted([*first, *core.appointments.week(reception, TODAY).appointments],
                  key=lambda a: a.start)


@pytest.fixture
def week(core: ClinicDesk, clock: FakeClock) -> tuple[DemoWeek, tuple[int, ...]]:
    clock.now = NOW
    accounts = core.demo.load_clinic()
    treatment = load_demo_treatment(core, accounts)
    assert treatment is not None
    loaded = load_demo_appointments(core, treatment.patients)
    assert loaded is not None
    return loaded, treatment.patients


def test_the_demo_week_books_the_day_plan_from_three_days_before_to_four_after(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    loaded, patients = week
    appointments = _all_appointments(core)
    # Saturday 21 (mornings only), Sunday 22 closed, Monday 23 to Friday 27, Saturday 28.
    days = [date(2026, 11, 21), *(date(2026, 11, d) for d in range(23, 28)), date(2026, 11, 28)]
    expected = []
    for day in days:
        plan = PLAN[:3] if day.weekday() == 5 else PLAN
        expected += [(datetime.combine(day, start, tzinfo=PARIS), minutes, kind, room)
                     for start, minutes, kind, room in plan]
    assert [(a.start, a.length_minutes, a.kind, a.room_name) for a in appointments] == expected
    assert loaded == DemoWeek(rooms=3, appointments=41, arrived=2, no_shows=1, cancelled=1)
    practitioner = core.auth.demo_account("practitioner")
    assert {a.practitioner_id for a in appointments} == {practitioner.staff_id}
    # The patients take turns, the course patients first.
    assert [a.patient_id for a in appointments[:4]] == [patients[0], patients[1]] * 2
    assert all(a.patient_id == patients[i % 2] for i, a in enumerate(appointments))


def test_course_sessions_carry_the_patients_course_and_other_kinds_none(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    _, patients = week
    practitioner = core.auth.demo_account("practitioner")
    course_of = {p: core.courses.courses(practitioner, p)[0].course_id for p in patients}
    for a in _all_appointments(core):
        treatment = a.kind in (AppointmentKind.MICRONEEDLING, AppointmentKind.RF_SESSION)
        assert a.course_id == (course_of[a.patient_id] if treatment else None), a


def test_the_days_before_are_done_with_one_no_show_and_today_is_partly_done(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    appointments = _all_appointments(core)
    by_start = {a.start: a for a in appointments}
    rooms = {r.name: r.room_id for r in core.appointments.rooms(core.auth.demo_account("admin"))}
    no_show = by_start[datetime(2026, 11, 23, 14, 0, tzinfo=PARIS)]
    assert no_show.status is AppointmentStatus.NO_SHOW
    statuses = {a.start: a.status for a in appointments}
    for moment, status in statuses.items():
        if moment.date() < TODAY and moment != no_show.start:
            assert status is AppointmentStatus.DONE, moment
    today = [a for a in appointments if a.start.date() == TODAY]
    assert [a.status for a in today] == [
        AppointmentStatus.DONE,  # 09:00-09:30
        AppointmentStatus.DONE,  # 09:45-10:45, ending now
        AppointmentStatus.ARRIVED,  # 11:00 RF, handed to Room 2
        AppointmentStatus.ARRIVED,  # 12:15 review, waiting
        *[AppointmentStatus.BOOKED] * 3,
    ]
    assert today[2].ready_for_room_id == rooms["Room 2"]
    assert today[3].ready_for_room_id is None
    later = [a for a in appointments if a.start.date() > TODAY]
    cancelled = [a for a in later if a.status is AppointmentStatus.CANCELLED]
    assert [a.start for a in cancelled] == [datetime(2026, 11, 26, 11, 0, tzinfo=PARIS)]
    assert cancelled[0].cancel_reason == "Patient unwell; will call to rebook."
    assert all(a.status is AppointmentStatus.BOOKED for a in later if a not in cancelled)


def test_a_past_appointment_went_through_arrival_treatment_and_done_at_its_times(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    reception = core.auth.demo_account("reception")
    practitioner = core.auth.demo_account("practitioner")
    appointments = {a.start: a for a in _all_appointments(core)}
    monday = appointments[datetime(2026, 11, 23, 9, 45, tzinfo=PARIS)]
    no_show = appointments[datetime(2026, 11, 23, 14, 0, tzinfo=PARIS)]
    with core.units() as uow:
        changes = uow.session.scalars(
            select(AppointmentChange)
            .where(AppointmentChange.appointment_id.in_([monday.appointment_id,
                                                         no_show.appointment_id]))
            .order_by(AppointmentChange.id)
        ).all()
        steps = [(c.appointment_id, c.change, c.status, c.changed_by, _utc(c.changed_at))
                 for c in changes]
    start = monday.start.astimezone(UTC)
    assert [s for s in steps if s[0] == monday.appointment_id] == [
        (monday.appointment_id, "booked", "booked", reception.staff_id, NOW),
        (monday.appointment_id, "status", "arrived", reception.staff_id,
         start - timedelta(minutes=5)),
        (monday.appointment_id, "status", "in_treatment", practitioner.staff_id, start),
        (monday.appointment_id, "status", "done", practitioner.staff_id,
         start + timedelta(minutes=60)),
    ]
    assert [s for s in steps if s[0] == no_show.appointment_id] == [
        (no_show.appointment_id, "booked", "booked", reception.staff_id, NOW),
        (no_show.appointment_id, "status", "no_show", reception.staff_id,
         no_show.start.astimezone(UTC) + timedelta(minutes=40)),
    ]


def test_rooms_and_the_practitioners_hours_are_set(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    admin = core.auth.demo_account("admin")
    practitioner = core.auth.demo_account("practitioner")
    assert sorted(r.name for r in core.appointments.rooms(admin)) == sorted(DEMO_ROOMS)
    assert DEMO_ROOMS == ("Room 1", "Room 2", "Consultation room")
    lunch = (Period(time(13), time(14)),)
    expected = WorkingHours((*(DayHours(d, time(9), time(18), lunch) for d in range(5)),
                             DayHours(5, time(9), time(13))))
    assert demo_hours() == expected
    assert core.appointments.working_hours(admin, practitioner.staff_id) == expected


def test_loading_the_week_again_books_nothing(
    core: ClinicDesk, week: tuple[DemoWeek, tuple[int, ...]]
) -> None:
    _, patients = week
    before = len(_all_appointments(core))
    assert load_demo_appointments(core, patients) is None
    assert len(_all_appointments(core)) == before == 41
    assert verify_audit_log(core.units).ok


def test_a_demo_without_patients_gets_rooms_and_hours_but_no_bookings(
    core: ClinicDesk, clock: FakeClock
) -> None:
    clock.now = NOW
    core.demo.load_clinic()
    assert load_demo_appointments(core) == DemoWeek(3, 0, 0, 0, 0)
    assert _all_appointments(core) == []
    admin = core.auth.demo_account("admin")
    practitioner = core.auth.demo_account("practitioner")
    assert core.appointments.working_hours(admin, practitioner.staff_id) == demo_hours()


def test_other_demo_patients_follow_the_course_patients_in_turn(
    core: ClinicDesk, clock: FakeClock
) -> None:
    clock.now = NOW
    accounts = core.demo.load_clinic()
    core.demo.add_consents(accounts)  # four patients, registered in this order
    reception = core.auth.demo_account("reception")
    registered = [r.patient_id for r in core.patients.search(reception, "", limit=12).rows]
    first = registered[2]
    load_demo_appointments(core, (first,))
    appointments = _all_appointments(core)
    order = [first, *(p for p in registered if p != first)]
    assert [a.patient_id for a in appointments] == [
        order[i % len(order)] for i in range(len(appointments))]
    assert {a.course_id for a in appointments} == {None}
