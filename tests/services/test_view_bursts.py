"""Looks at a record recorded inside another service's unit of work (a consent form filled
for a patient): one entry for a burst of looks by one person at one patient, counted
apart per patient, and a new one once five minutes have passed."""

from __future__ import annotations

from datetime import date, timedelta

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.patients import PatientDetails
from tests.helpers.clinic import FakeClock
from tests.helpers.consent_service import ConsentClinic, clear_answers, consent_clinic
from tests.services.audit_fields import Entry, entries


def _views(core: ClinicDesk) -> list[Entry]:
    return [e for e in entries(core) if e.action == "consent.viewed"]


def test_filling_a_form_again_within_five_minutes_is_the_same_look(
    core: ClinicDesk, clock: FakeClock
) -> None:
    setup = consent_clinic(core)
    who = setup.clinic.practitioner
    core.consents.prepare(who, setup.patient_id, "microneedling")
    clock.advance(timedelta(minutes=4, seconds=59))
    core.consents.prepare(who, setup.patient_id, "microneedling")
    assert _views(core) == [
        Entry("consent.viewed", "patient", str(setup.patient_id), who.staff_id,
              setup.patient_id, "success", "")
    ]
    clock.advance(timedelta(seconds=2))  # five minutes and a second after the first
    core.consents.prepare(who, setup.patient_id, "microneedling")
    assert len(_views(core)) == 2


def test_each_patient_has_a_look_of_their_own(
    core: ClinicDesk, clock: FakeClock
) -> None:
    setup: ConsentClinic = consent_clinic(core)
    clinic = setup.clinic
    other = core.patients.register(
        clinic.reception, PatientDetails("Nowak", "Ewa", date(1990, 2, 3), "+48 600 100 201")
    ).patient_id
    core.intake.record(clinic.reception, other, clear_answers(core))
    core.consents.prepare(clinic.practitioner, setup.patient_id, "microneedling")
    core.consents.prepare(clinic.practitioner, other, "microneedling")
    seen = [(e.staff_id, e.patient_id) for e in _views(core)]
    assert seen == [
        (clinic.practitioner.staff_id, setup.patient_id),
        (clinic.practitioner.staff_id, other),
    ]

