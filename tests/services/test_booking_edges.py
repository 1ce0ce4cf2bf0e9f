"""More edges from the mutation run (both engines): a booking's length refused in the
domain's words, course notes with bad text refused by their label, and a consultation
on the same day as the patient's treatment showing no readiness of its own."""

from __future__ import annotations

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import MAX_LENGTH_MINUTES, MIN_LENGTH_MINUTES, AppointmentKind
from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.courses import CourseService
from tests.helpers.appointments import at, book_clinic
from tests.helpers.clinic import FakeClock
from tests.helpers.sessions import TreatmentClinic, treatment_clinic
from tests.services.exact import refused


def test_a_length_outside_the_limits_is_refused_in_words(
    core: ClinicDesk, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)
    book: AppointmentService = core.appointments
    message = f"An appointment lasts {MIN_LENGTH_MINUTES} to {MAX_LENGTH_MINUTES} minutes."
    for minutes in (MIN_LENGTH_MINUTES - 1, MAX_LENGTH_MINUTES + 1):
        with refused(ValidationError, message) as long:
            book.book(b.clinic.reception, b.request(at(10), minutes))
        assert long.value.field == "length_minutes"
    view = book.book(b.clinic.reception, b.request(at(10), MAX_LENGTH_MINUTES))
    with refused(ValidationError, message):
        book.move(
            b.clinic.reception,
            view.appointment_id,
            start=at(10),
            length_minutes=MIN_LENGTH_MINUTES - 1,
            expected_version=1,
        )


def test_a_consultation_beside_a_treatment_has_no_readiness(
    core: ClinicDesk, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)
    book: AppointmentService = core.appointments
    book.book(b.clinic.reception, b.request(at(9), kind=AppointmentKind.MICRONEEDLING))
    book.book(b.clinic.reception, b.request(at(11), kind=AppointmentKind.CONSULTATION))
    treatment, consultation = book.day(b.clinic.reception).appointments
    assert treatment.missing and treatment.screening_status is not None
    assert consultation.missing == () and consultation.screening_status is None


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_course_notes_with_bad_text_are_refused_by_their_label(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    courses: CourseService = core.courses
    plan = courses.defaults(t.clinic.practitioner, "scars")
    with refused(
        ValidationError,
        "The notes contains a null character, which cannot be stored. "
        "Remove it and type the text again.",
    ) as bad:
        courses.plan(t.clinic.practitioner, t.patient_id, plan, notes="a\x00b")
    assert bad.value.field == "notes"
