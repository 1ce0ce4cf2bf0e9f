"""The day book's columns and queues pinned exactly (both engines): active practitioners
by name whatever the case, the command line's `day_in`, a room's queue for a day other
than today, and the due list going on past a course that is not due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.domain.course import CoursePlan
from clinic_desk.domain.roles import Role
from clinic_desk.services.appointments import AppointmentService
from tests.helpers.appointments import MONDAY, BookClinic, at, book_clinic
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic


@pytest.fixture
def b(core: ClinicDesk, clock: FakeClock) -> BookClinic:
    return book_clinic(core, clock)


def test_the_columns_are_the_active_practitioners_by_name(core: ClinicDesk, b: BookClinic) -> None:
    core.staff.add_staff(
        b.clinic.admin, username="adam", full_name="adam Nowicki", roles=(Role.PRACTITIONER,),
        password=STAFF_PASSWORD, temporary=False,
    )  # fmt: skip
    book: AppointmentService = core.appointments
    columns = [(p.staff_id, p.full_name) for p in book.day(b.clinic.reception).practitioners]
    assert [name for _, name in columns] == [
        "adam Nowicki",
        "Dr Zoë Ångström-Müller Ferreira de la Fuente",
        "Dr Łucja Wiśniewska",
    ]
    assert columns[1][0] == b.other_practitioner_id and columns[2][0] == b.practitioner_id


def test_day_in_reads_one_day_inside_the_callers_unit(core: ClinicDesk, b: BookClinic) -> None:
    book: AppointmentService = core.appointments
    monday = book.book(b.clinic.reception, b.request(at(10)))
    book.book(b.clinic.reception, b.request(at(10, day=MONDAY + timedelta(days=1))))
    with core.units() as uow:
        day = book.day_in(uow, MONDAY)
    assert (day.first_day, day.last_day) == (MONDAY, MONDAY)
    assert [a.appointment_id for a in day.appointments] == [monday.appointment_id]


def test_a_rooms_queue_for_another_day(core: ClinicDesk, b: BookClinic, clock: FakeClock) -> None:
    book, desk = core.appointments, b.clinic.reception
    tuesday = MONDAY + timedelta(days=1)
    today = book.book(desk, b.request(at(10)))
    book.check_in(desk, today.appointment_id, expected_version=1)
    book.hand_over(desk, today.appointment_id, b.room_1, expected_version=2)
    later = book.book(desk, b.request(at(10, day=tuesday), patient=b.zoe))
    assert [a.appointment_id for a in book.room_queue(desk, b.room_1)] == [today.appointment_id]
    assert book.room_queue(desk, b.room_1, tuesday) == []
    clock.now = at(9, 50, day=tuesday)
    book.check_in(desk, later.appointment_id, expected_version=1)
    book.hand_over(desk, later.appointment_id, b.room_1, expected_version=2)
    queue = book.room_queue(desk, b.room_1, tuesday)
    assert [(a.appointment_id, a.status) for a in queue] == [
        (later.appointment_id, AppointmentStatus.ARRIVED)
    ]
    assert book.room_queue(desk, b.room_2, tuesday) == []


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_the_due_list_goes_on_past_a_course_not_due(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    who = t.clinic.practitioner
    later = CoursePlan("scars", 6, 28, 42, 12)
    not_due = core.courses.plan(who, t.patient_id, later, started_on=t.today + timedelta(days=90))
    due = core.courses.plan(who, t.patient_id, later)
    t.sessions.sign_off(
        who, t.patient_id, pen_draft(t, course_id=due.course_id), password=STAFF_PASSWORD
    )
    on = t.today + timedelta(days=30)
    entries = core.courses.due_list(t.clinic.reception, on=on)
    assert [e.course_id for e in entries] == [due.course_id]
    assert not_due.course_id < due.course_id
