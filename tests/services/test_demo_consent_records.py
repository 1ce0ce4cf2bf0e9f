"""The demo consents in a demo without patients (services/demo_consents.py, demo.py): four
named patients registered for them with a clear intake, and each record as the demo means
it: the RF consent witnessed by the receptionist, a photography consent, a withdrawal with
its reason, a re-consent superseding, a decline the patient signed."""

from __future__ import annotations

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.consent_record import LinkKind
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.consent_dto import ConsentState
from clinic_desk.services.demo_consents import DEMO_CONSENT_PATIENTS, WITNESS
from tests.helpers.clinic import seed_clinic
from tests.services.exact import refused


def test_a_demo_without_patients_gets_four_named_ones_and_every_kind_of_record(
    core: ClinicDesk,
) -> None:
    accounts = core.demo.load_clinic()
    assert core.demo.add_consents(accounts) == 7
    reception = core.demo.reception_account()
    rows = core.patients.search(reception, "", limit=10).rows
    assert sorted((r.family_name, r.given_name) for r in rows) == sorted(
        (p.family_name, p.given_name) for p in DEMO_CONSENT_PATIENTS)
    first, second, third, fourth = (
        next(r.patient_id for r in rows if r.family_name == p.family_name)
        for p in DEMO_CONSENT_PATIENTS)
    for patient in (first, second, third, fourth):
        result = core.screening.screen_patient(reception, patient, uses_rf=True)
        assert result.findings == ()
    signed_rf, photos = sorted(core.consents.consents_for_patient(reception, first),
                               key=lambda s: s.consent_id)
    assert (signed_rf.template_key, photos.template_key) == ("microneedling-rf", "photography")
    rf = core.consents.consent(reception, signed_rf.consent_id)
    assert [(s.meaning, s.signer_name, s.signer_role) for s in rf.signatures][::2] == [
        ("patient_consent", "Zoë Ångström-Müller Ferreira de la Fuente", "Patient"),
        ("witness", *WITNESS)]
    assert WITNESS == ("Jonas Müller", "Witness (reception)")
    withdrawal, withdrawn = core.consents.consents_for_patient(reception, second)
    assert (withdrawn.state, withdrawal.state) == (ConsentState.WITHDRAWN,
                                                   ConsentState.WITHDRAWAL)
    assert withdrawal.reason == "Moving abroad for a year; will sign again on return."
    newer, older = core.consents.consents_for_patient(reception, third)
    assert (newer.link_kind, newer.linked_consent_id) == (LinkKind.SUPERSEDES, older.consent_id)
    assert older.state is ConsentState.SUPERSEDED
    [declined] = core.consents.consents_for_patient(reception, fourth)
    assert declined.state is ConsentState.DECLINED
    assert declined.reason == "Would rather try microneedling without RF first."
    decline = core.consents.consent(reception, declined.consent_id)
    assert [s.meaning for s in decline.signatures] == ["patient_decline", "practitioner"]


def test_demo_consents_are_refused_in_a_real_clinic(core: ClinicDesk) -> None:
    seed_clinic(core)
    with refused(ClinicDeskError, "Demo consents can only be added to the demo clinic."):
        core.demo.add_consents([])
