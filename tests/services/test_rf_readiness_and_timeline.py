"""RF-only things, pinned (both engines): the Today row of an RF session shows an RF-only
finding (metal implants) that a session without RF does not, and a course's timeline
carries each session's RF energy beside its depth."""

from __future__ import annotations

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.services.appointments import AppointmentService
from tests.helpers.appointments import at, book_clinic
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import D, TreatmentClinic, clear_answers, rf_draft, treatment_clinic


def test_an_rf_only_finding_shows_on_the_rf_row_only(core: ClinicDesk, clock: FakeClock) -> None:
    b = book_clinic(core, clock)
    core.intake.record(b.clinic.reception, b.anna, clear_answers(core) | {"metal_implants": True})
    book: AppointmentService = core.appointments
    book.book(b.clinic.reception, b.request(at(10), kind=AppointmentKind.RF_SESSION))
    book.book(b.clinic.reception, b.request(at(11), kind=AppointmentKind.MICRONEEDLING))
    rf, plain = book.day(b.clinic.reception).appointments
    finding = "Finding to clear: Metal implants near the area (RF)"
    assert rf.uses_rf and finding in rf.missing
    assert not plain.uses_rf and finding not in plain.missing


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_the_course_timeline_carries_rf_energy(core: ClinicDesk, t: TreatmentClinic) -> None:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t, "4"), password=STAFF_PASSWORD
    )
    [view] = core.courses.courses(t.clinic.reception, t.patient_id)
    assert view.timeline.rf_series("cheeks") == ((t.today, D("4")),)
    assert view.timeline.depth_series("cheeks") == ((t.today, D("1.5")),)
