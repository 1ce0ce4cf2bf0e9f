"""Screening inside another service's unit of work follows the planned treatment (RF or
not), and a clearance or withdrawal reason that cannot be stored is named next to its
field, word for word; on both engines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.screening import ScreeningService
from tests.helpers.clinic import (
    STAFF_PASSWORD,
    FakeClock,
    SeededClinic,
    fast_hashing,
)
from tests.helpers.consent_service import clear_answers

UNSTORABLE = (
    "The reason contains a control character (U+0007), which cannot be stored. Remove it "
    "and type the text again."
)



def _patient(core: ClinicDesk, clinic: SeededClinic, **yes: bool) -> int:
    details = PatientDetails("Nowak", "Ewa", date(1990, 2, 3), "+48 600 100 200")
    patient_id = core.patients.register(clinic.reception, details).patient_id
    core.intake.record(clinic.reception, patient_id, clear_answers(core, **yes))
    return patient_id


def test_a_screening_inside_another_unit_of_work_follows_the_rf_plan(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    patient_id = _patient(core, clinic, implanted_device=True)
    today = core.screening.today()
    with core.units() as uow:
        plain = core.screening.screening_in(uow, patient_id, session_date=today, uses_rf=False)
        with_rf = core.screening.screening_in(uow, patient_id, session_date=today, uses_rf=True)
    assert plain.status is ScreeningStatus.CLEAR
    assert with_rf.status is ScreeningStatus.DO_NOT_TREAT


def test_a_clearance_reason_that_cannot_be_stored_is_named(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    patient_id = _patient(core, clinic, eczema=True)
    with pytest.raises(ValidationError) as caught:
        core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                     reason="Mild eczema\a on the hands only.",
                                     password=STAFF_PASSWORD)
    assert (str(caught.value), caught.value.field) == (UNSTORABLE, "reason")


def test_a_clearance_of_a_rule_no_longer_in_the_book_is_titled_by_its_id(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    patient_id = _patient(core, clinic, eczema=True)
    core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                 reason="Mild eczema on the hands only.",
                                 password=STAFF_PASSWORD)
    book = core.screening.rules
    later = replace(book, rules=tuple(r for r in book.rules if r.id != "eczema"))
    # A later catalogue that dropped the rule, read by the same database.
    screening = ScreeningService(ServiceContext(core.units, clock), later,
                                 core.intake.questionnaire, fast_hashing())
    (view,) = screening.clearances(clinic.practitioner, patient_id)
    assert (view.rule_id, view.title) == ("eczema", "eczema")
    (current,) = core.screening.clearances(clinic.practitioner, patient_id)
    assert current.title != "eczema"
