"""Consents through the service, in detail (services/consents.py, consent_writing.py):
the draft's fields and default treatment names, reasons and witnesses at their limits,
the exact refusals, what each audit entry records field by field and the rows written."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.consent_record import ConsentStatus, LinkKind
from clinic_desk.domain.errors import ClinicDeskError, NotFound, ValidationError
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningStatus, Severity
from clinic_desk.services import consent_writing
from clinic_desk.services.consent_dto import ConsentState, DrawnSignature
from clinic_desk.services.consents import DEFAULT_TREATMENT_NAMES, screening_blockers
from tests.helpers.clinic import STAFF_PASSWORD
from tests.helpers.consent_service import (
    ConsentClinic,
    clear_answers,
    consent_clinic,
    drawn,
    sign,
)
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

FULL_NAME = "Zoë Ångström-Müller Ferreira de la Fuente"


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def test_the_draft_names_patient_practitioner_form_and_day(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    plain = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    assert (plain.patient_id, plain.patient_name, plain.patient_number) == (
        setup.patient_id, FULL_NAME, f"P-{setup.patient_id:06d}")
    assert (plain.template_key, plain.template_version, plain.for_treatment, plain.covers_rf) == (
        "microneedling", 1, True, False)
    assert plain.treatment_name == DEFAULT_TREATMENT_NAMES[False] == "Microneedling"
    assert plain.practitioner_name == practitioner.full_name
    assert plain.consent_date == core.consents.today()
    assert plain.screening is not None and plain.screening.status is ScreeningStatus.CLEAR
    assert plain.blockers == () and plain.can_sign and plain.supersedes is None
    assert plain.acknowledgement_keys == tuple(a.key for a in plain.text.acknowledgements)
    assert plain.acknowledgement_keys
    rf = core.consents.prepare(practitioner, setup.patient_id, "microneedling-rf")
    assert (rf.covers_rf, rf.for_treatment) == (True, True)
    assert rf.treatment_name == DEFAULT_TREATMENT_NAMES[True]
    assert rf.treatment_name == "Microneedling with radiofrequency (RF)"
    photos = core.consents.prepare(practitioner, setup.patient_id, "photography")
    assert (photos.for_treatment, photos.screening, photos.blockers) == (False, None, ())
    assert photos.treatment_name == photos.title
    named = core.consents.prepare(practitioner, setup.patient_id, "microneedling",
                                  treatment_name="  Microneedling \n of the   neck ")
    assert named.treatment_name == "Microneedling of the neck"
    blank = core.consents.prepare(practitioner, setup.patient_id, "microneedling",
                                  treatment_name="   ")
    assert blank.treatment_name == "Microneedling"


def test_a_draft_names_the_consent_it_would_supersede(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    first = sign(core, setup)
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    assert draft.supersedes == first.consent_id
    other = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "photography")
    assert other.supersedes is None


def test_prepare_refuses_an_unknown_patient_or_form(core: ClinicDesk, setup: ConsentClinic) -> None:
    with refused(NotFound, "That patient record does not exist."):
        core.consents.prepare(setup.clinic.practitioner, 999, "microneedling")
    with refused(NotFound, "The consent form “tattoo” has no published version."):
        core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "tattoo")


def test_screening_blockers_name_each_open_finding(core: ClinicDesk) -> None:
    setup = consent_clinic(core, open_wound=True, eczema=True)
    result = core.screening.screen_patient(setup.clinic.practitioner, setup.patient_id,
                                           uses_rf=False)
    assert result.status is ScreeningStatus.DO_NOT_TREAT
    blockers = screening_blockers(result)
    dnt = [f for f in result.findings if f.severity is Severity.DO_NOT_TREAT]
    clear = [f for f in result.findings if f.severity is Severity.NEEDS_CLEARANCE]
    assert dnt and clear
    assert blockers == (
        *(f"Do not treat: {f.title} — {f.reason}" for f in dnt),
        *(f"“{f.title}” needs a practitioner's recorded clearance first." for f in clear),
    )
    core.screening.clear_finding(setup.clinic.practitioner, setup.patient_id, "eczema",
                                 reason="Eczema only on the hands; face is clear.",
                                 password=STAFF_PASSWORD)
    cleared = core.screening.screen_patient(setup.clinic.practitioner, setup.patient_id,
                                            uses_rf=False)
    assert screening_blockers(cleared) == tuple(
        f"Do not treat: {f.title} — {f.reason}" for f in dnt)
    details = PatientDetails("Nørgaard", "Åsa", date(1979, 11, 2), "+33 6 98 76 54 32")
    other = core.patients.register(setup.clinic.reception, details).patient_id
    core.intake.record(setup.clinic.reception, other, clear_answers(core, eczema=True))
    result = core.screening.screen_patient(setup.clinic.practitioner, other, uses_rf=False)
    assert result.status is not ScreeningStatus.DO_NOT_TREAT
    assert screening_blockers(result) == tuple(
        f"“{f.title}” needs a practitioner's recorded clearance first."
        for f in result.findings if f.severity is Severity.NEEDS_CLEARANCE)
    assert screening_blockers(result)


def test_signing_writes_one_audit_entry_with_the_hash_and_the_rows(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    before = entry_count(core)
    signed = sign(core, setup, witness=drawn(2, signer_name="  Jonas   Müller ",
                                             signer_role=""))
    practitioner = setup.clinic.practitioner
    assert entries(core, after=before) == [
        Entry("consent.viewed", "patient", str(setup.patient_id), practitioner.staff_id,
              setup.patient_id, "success", ""),
        Entry("consent.signed", "consent_record", str(signed.consent_id),
              practitioner.staff_id, setup.patient_id, "success", f"sha256 {signed.content_hash}"),
    ]
    with core.units() as uow:
        row = uow.consents.record(signed.consent_id)
        assert row is not None
        assert (row.status, row.for_treatment, row.covers_rf, row.template_key) == (
            "signed", True, False, "microneedling")
        assert (row.link_kind, row.linked_consent_id) == (None, None)
        assert row.recorded_by == practitioner.staff_id
        assert row.signed_on == core.consents.today()
        rows = uow.consents.signatures(signed.consent_id)
        assert [(s.position, s.meaning, s.signer_role, s.signer_staff_id) for s in rows] == [
            (1, "patient_consent", "Patient", None),
            (2, "practitioner", "Practitioner", practitioner.staff_id),
            (3, "witness", "Witness", None),
        ]
        assert rows[0].signer_name == FULL_NAME and rows[2].signer_name == "Jonas Müller"
        assert [s.strokes_json is None for s in rows] == [False, True, False]
        assert rows[1].image_png is None and rows[0].image_png is not None
        strokes = json.loads(rows[0].strokes_json or "")
        canonical = json.loads(row.canonical_json)["signatures"][0]["ink"]
        assert strokes == canonical
        assert rows[0].strokes_json == json.dumps(canonical, sort_keys=True,
                                                  separators=(",", ":"), ensure_ascii=False)


def test_a_wrong_password_is_audited_as_failed_and_nothing_is_written(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    before = entry_count(core)
    with refused(ValidationError, "That is not your password. Enter it again to countersign."
                 ) as caught:
        core.consents.sign(practitioner, draft, acknowledged=draft.acknowledgement_keys,
                           patient_signature=drawn(), password="not-the-password")
    assert caught.value.field == "password"
    assert entries(core, after=before) == [
        Entry("consent.signed", "patient", str(setup.patient_id), practitioner.staff_id,
              setup.patient_id, "failed", "wrong password"),
    ]
    with refused(ValidationError, "That is not your password. Enter it again to countersign."):
        core.consents.decline(practitioner, draft, reason="Would rather wait.",
                              password="not-the-password")
    assert entries(core, after=before)[-1] == Entry(
        "consent.declined", "patient", str(setup.patient_id), practitioner.staff_id,
        setup.patient_id, "failed", "wrong password")
    assert core.consents.consents_for_patient(practitioner, setup.patient_id) == []


def test_signing_refusals_are_exact(core: ClinicDesk, setup: ConsentClinic) -> None:
    practitioner = setup.clinic.practitioner
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    keys = draft.acknowledgement_keys
    with refused(ValidationError, "The patient must tick every statement before signing."
                 ) as caught:
        core.consents.sign(practitioner, draft, acknowledged=(*keys, "extra"),
                           patient_signature=drawn(), password=STAFF_PASSWORD)
    assert caught.value.field == "acknowledgements"
    not_png = DrawnSignature(ink=drawn().ink, image_png=b"GIF89a")
    with refused(ValidationError, "The signature's picture is not a PNG image.") as caught:
        core.consents.sign(practitioner, draft, acknowledged=keys,
                           patient_signature=not_png, password=STAFF_PASSWORD)
    assert caught.value.field == "patient_signature"
    # the order of the ticks does not matter
    signed = core.consents.sign(practitioner, draft, acknowledged=tuple(reversed(keys)),
                                patient_signature=drawn(), password=STAFF_PASSWORD)
    assert signed.state is ConsentState.SIGNED


def test_a_decline_may_go_without_the_patients_signature(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    before = entry_count(core)
    declined = core.consents.decline(practitioner, draft, reason="  Wants to   think it over. ",
                                     password=STAFF_PASSWORD)
    assert (declined.status, declined.state, declined.reason) == (
        ConsentStatus.DECLINED, ConsentState.DECLINED, "Wants to think it over.")
    assert declined.valid_until is None and declined.link_kind is None
    assert [s.meaning for s in declined.signatures] == ["practitioner"]
    assert entries(core, after=before)[-1] == Entry(
        "consent.declined", "consent_record", str(declined.consent_id),
        practitioner.staff_id, setup.patient_id, "success", f"sha256 {declined.content_hash}")
    signed_refusal = core.consents.decline(practitioner, draft, reason="Still not sure.",
                                           password=STAFF_PASSWORD, patient_signature=drawn())
    assert [s.meaning for s in signed_refusal.signatures] == ["patient_decline", "practitioner"]
    # a decline never supersedes: the patient's signed consent of that form still stands
    signed = sign(core, setup)
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    again = core.consents.decline(practitioner, draft, reason="Not today after all.",
                                  password=STAFF_PASSWORD)
    assert again.link_kind is None
    states = {s.consent_id: s.state for s in core.consents.consents_for_patient(
        practitioner, setup.patient_id)}
    assert states[signed.consent_id] is ConsentState.SIGNED


@pytest.mark.parametrize(("reason", "ok"), [
    ("1234", False), ("12345", True), (" 1  23 ", False), (" 12  34 ", True), ("x" * 2000, True),
    ("x" * 2001, False),
])
def test_a_reason_takes_five_to_two_thousand_characters(
    core: ClinicDesk, setup: ConsentClinic, reason: str, ok: bool
) -> None:
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")

    def decline() -> object:
        return core.consents.decline(setup.clinic.practitioner, draft, reason=reason,
                                     password=STAFF_PASSWORD)

    if ok:
        decline()
        return
    message = ("Keep the reason under 2000 characters." if len(reason) > 2000 else
               "Write why the patient declines (at least 5 characters).")
    with refused(ValidationError, message) as caught:
        decline()
    assert caught.value.field == "reason"


def test_written_reason_words_what_it_is_for() -> None:
    with refused(ValidationError, "Write why the consent is withdrawn (at least 5 characters)."):
        consent_writing.written_reason("no", what="the consent is withdrawn")
    assert consent_writing.written_reason(" a\tb  c\nd e ", what="x") == "a b c d e"
    assert (consent_writing.MIN_REASON, consent_writing.MAX_REASON) == (5, 2000)


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Enter the witness's name."),
    ("W" * 201, "The witness's name is too long."),
])
def test_a_witness_needs_a_name_of_at_most_two_hundred_characters(
    core: ClinicDesk, setup: ConsentClinic, name: str, message: str
) -> None:
    with refused(ValidationError, message) as caught:
        sign(core, setup, witness=drawn(2, signer_name=name))
    assert caught.value.field == "witness_name"
    assert core.consents.consents_for_patient(setup.clinic.practitioner, setup.patient_id) == []


def test_a_witness_name_of_two_hundred_characters_and_a_long_role_are_kept(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup, witness=drawn(2, signer_name="W" * 200,
                                             signer_role=" Nurse " + "r" * 120))
    witness = signed.signatures[-1]
    assert witness.signer_name == "W" * 200
    assert witness.signer_role == ("Nurse " + "r" * 120)[:100]
    assert len(witness.signer_role) == 100


def test_a_witness_must_draw_a_real_mark(core: ClinicDesk, setup: ConsentClinic) -> None:
    mark = drawn(2, signer_name="Jonas Müller")
    empty = replace(mark, ink=replace(mark.ink, strokes=()))
    with pytest.raises(ValidationError) as caught:
        sign(core, setup, witness=empty)
    assert caught.value.field == "witness_signature"


def test_withdrawal_refusals_are_exact(core: ClinicDesk, setup: ConsentClinic) -> None:
    practitioner = setup.clinic.practitioner

    def withdraw(consent_id: int) -> object:
        return core.consents.withdraw(practitioner, consent_id, reason="Moving abroad.",
                                      password=STAFF_PASSWORD)

    with refused(NotFound, "There is no consent no. 999."):
        withdraw(999)
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    declined = core.consents.decline(practitioner, draft, reason="Not today.",
                                     password=STAFF_PASSWORD)
    with refused(ClinicDeskError, "Only a signed consent can be withdrawn."):
        withdraw(declined.consent_id)
    signed = sign(core, setup)
    with refused(ValidationError, "Write why the consent is withdrawn (at least 5 characters)."):
        core.consents.withdraw(practitioner, signed.consent_id, reason="no",
                               password=STAFF_PASSWORD)
    withdrawal = withdraw(signed.consent_id)
    assert isinstance(withdrawal, type(signed))
    with refused(ClinicDeskError, "Only a signed consent can be withdrawn."):
        withdraw(withdrawal.consent_id)
    with refused(ClinicDeskError,
                 f"Consent no. {signed.consent_id} was already withdrawn or replaced."):
        withdraw(signed.consent_id)
    replaced = sign(core, setup)
    sign(core, setup)
    with refused(ClinicDeskError,
                 f"Consent no. {replaced.consent_id} was already withdrawn or replaced."):
        withdraw(replaced.consent_id)


def test_a_withdrawal_copies_the_form_and_names_the_consent(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    signed = sign(core, setup, "microneedling-rf")
    before = entry_count(core)
    withdrawal = core.consents.withdraw(practitioner, signed.consent_id,
                                        reason="Moving abroad for a year.",
                                        password=STAFF_PASSWORD, patient_signature=drawn(3))
    assert (withdrawal.status, withdrawal.state) == (ConsentStatus.DECLINED,
                                                     ConsentState.WITHDRAWAL)
    assert (withdrawal.link_kind, withdrawal.linked_consent_id) == (LinkKind.WITHDRAWS,
                                                                    signed.consent_id)
    assert withdrawal.state_reasons == (f"Withdraws consent no. {signed.consent_id}.",)
    assert (withdrawal.template_key, withdrawal.template_version, withdrawal.patient_name) == (
        "microneedling-rf", 1, FULL_NAME)
    assert (withdrawal.for_treatment, withdrawal.covers_rf) == (True, True)
    assert withdrawal.valid_until is None
    assert [(s.meaning, s.signer_name) for s in withdrawal.signatures] == [
        ("patient_decline", FULL_NAME), ("practitioner", withdrawal.signatures[1].signer_name)]
    assert entries(core, after=before) == [
        Entry("consent.withdrawn", "consent_record", str(withdrawal.consent_id),
              practitioner.staff_id, setup.patient_id, "success",
              f"sha256 {withdrawal.content_hash}"),
    ]
    with core.units() as uow:
        row = uow.consents.record(withdrawal.consent_id)
        original = uow.consents.record(signed.consent_id)
        assert row is not None and original is not None
        assert row.template_id == original.template_id
        record = json.loads(row.canonical_json)
        assert record["acknowledged"] == [] and record["reason"] == "Moving abroad for a year."
        assert record["text"] == json.loads(original.canonical_json)["text"]
    listed = {s.consent_id: s for s in core.consents.consents_for_patient(
        practitioner, setup.patient_id)}
    assert listed[signed.consent_id].state_reasons == (
        f"Withdrawn by record no. {withdrawal.consent_id}.",)
    assert listed[signed.consent_id].linked_by == ((LinkKind.WITHDRAWS, withdrawal.consent_id),)


def test_a_withdrawal_without_the_patients_signature_has_the_countersignature_only(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    withdrawal = core.consents.withdraw(setup.clinic.practitioner, signed.consent_id,
                                        reason="Moving abroad.", password=STAFF_PASSWORD)
    assert [s.meaning for s in withdrawal.signatures] == ["practitioner"]
    before = entry_count(core)
    with refused(ValidationError, "That is not your password. Enter it again to countersign."):
        core.consents.withdraw(setup.clinic.practitioner, sign(core, setup).consent_id,
                               reason="Moving abroad.", password="wrong")
    assert entries(core, after=before)[-1] == Entry(
        "consent.withdrawn", "patient", str(setup.patient_id),
        setup.clinic.practitioner.staff_id, setup.patient_id, "failed", "wrong password")


def test_a_superseding_consent_links_the_one_it_replaces(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    first = sign(core, setup)
    second = sign(core, setup)
    listed = {s.consent_id: s for s in core.consents.consents_for_patient(
        setup.clinic.practitioner, setup.patient_id)}
    assert listed[first.consent_id].state_reasons == (
        f"Replaced by consent no. {second.consent_id}.",)
    assert listed[first.consent_id].valid_until is not None
    with core.units() as uow:
        row = uow.consents.record(second.consent_id)
        assert row is not None
        assert (row.link_kind, row.linked_consent_id) == ("supersedes", first.consent_id)


def test_every_name_the_consent_service_module_exports_exists() -> None:
    from clinic_desk.services import consents

    assert set(consents.__all__) == {"ConsentService", "consent_validity_months",
                                     "consents_on_file", "screening_blockers", "standing_in"}
    for name in consents.__all__:
        assert callable(getattr(consents, name)), name
