"""Consents through the service, on SQLite and PostgreSQL: signing, declining,
withdrawing, re-consent, refusals, the session-start question and the signed PDF."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.consent_record import ConsentStatus, LinkKind, record_from_canonical
from clinic_desk.domain.errors import ClinicDeskError, PermissionDenied, ValidationError
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.consent_dto import ConsentState, DrawnSignature
from clinic_desk.storage.models_consents import ConsentRecordRow
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.consent import png_of
from tests.helpers.consent_service import ConsentClinic, consent_clinic, drawn, sign


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def test_a_signed_consent_is_frozen_hashed_and_vouched_for(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup, witness=drawn(2, signer_name="Jonas Müller",
                                             signer_role="Witness (reception)"))
    assert signed.state is ConsentState.SIGNED
    assert signed.status is ConsentStatus.SIGNED
    assert signed.patient_name == "Zoë Ångström-Müller Ferreira de la Fuente"
    assert [s.meaning for s in signed.signatures] == ["patient_consent", "practitioner",
                                                      "witness"]
    assert signed.intact and signed.valid_until is not None
    with core.units() as uow:
        row = uow.consents.record(signed.consent_id)
        assert row is not None
        record = record_from_canonical(row.canonical_json.encode("utf-8"))
        assert record.content_hash() == row.content_hash == signed.content_hash
        assert hashlib.sha256(row.canonical_json.encode()).hexdigest() == row.content_hash
        entry = uow.audit.recent(1)[0]
        assert entry.action == "consent.signed" and row.content_hash in entry.detail
    assert verify_audit_log(core.units).ok


def test_reception_and_administrators_cannot_sign(core: ClinicDesk, setup: ConsentClinic) -> None:
    for who in (setup.clinic.reception, setup.clinic.admin):
        with pytest.raises(PermissionDenied):
            core.consents.prepare(who, setup.patient_id, "microneedling")
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    with pytest.raises(PermissionDenied):
        core.consents.sign(setup.clinic.reception, draft, acknowledged=draft.acknowledgement_keys,
                           patient_signature=drawn(), password=STAFF_PASSWORD)
    assert core.consents.consents_for_patient(setup.clinic.reception, setup.patient_id) == []


def test_a_trivial_mark_is_refused_in_plain_words(core: ClinicDesk, setup: ConsentClinic) -> None:
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    dot = drawn()
    dot = DrawnSignature(ink=type(dot.ink)(strokes=dot.ink.strokes[:1][:0], width=600,
                                          height=200, device=dot.ink.device,
                                          pressure_reported=False),
                         image_png=png_of(dot.ink))
    with pytest.raises(ValidationError, match="Nothing is signed yet") as refused:
        core.consents.sign(setup.clinic.practitioner, draft,
                           acknowledged=draft.acknowledgement_keys, patient_signature=dot,
                           password=STAFF_PASSWORD)
    assert refused.value.field == "patient_signature"


def test_every_statement_must_be_ticked_and_the_password_right(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    with pytest.raises(ValidationError, match="tick every statement"):
        core.consents.sign(setup.clinic.practitioner, draft,
                           acknowledged=draft.acknowledgement_keys[1:],
                           patient_signature=drawn(), password=STAFF_PASSWORD)
    with pytest.raises(ValidationError, match="not your password"):
        core.consents.sign(setup.clinic.practitioner, draft,
                           acknowledged=draft.acknowledgement_keys,
                           patient_signature=drawn(), password="wrong-password")
    assert core.consents.consents_for_patient(setup.clinic.practitioner, setup.patient_id) == []


def test_do_not_treat_blocks_signing_with_the_reasons(core: ClinicDesk) -> None:
    setup = consent_clinic(core, open_wound=True)
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    assert not draft.can_sign and any("Do not treat" in b for b in draft.blockers)
    with pytest.raises(ClinicDeskError, match="screening does not allow"):
        core.consents.sign(setup.clinic.practitioner, draft,
                           acknowledged=draft.acknowledgement_keys,
                           patient_signature=drawn(), password=STAFF_PASSWORD)
    # the patient may still decline
    declined = core.consents.decline(setup.clinic.practitioner, draft,
                                     reason="Prefers to wait until healed.",
                                     password=STAFF_PASSWORD)
    assert declined.state is ConsentState.DECLINED and declined.reason is not None


def test_needs_clearance_requires_a_recorded_clearance(core: ClinicDesk) -> None:
    setup = consent_clinic(core, eczema=True)
    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    assert not draft.can_sign and "clearance" in draft.blockers[0]
    core.screening.clear_finding(setup.clinic.practitioner, setup.patient_id, "eczema",
                                 reason="Eczema only on the hands; face is clear.",
                                 password=STAFF_PASSWORD)
    assert sign(core, setup).state is ConsentState.SIGNED


def test_decline_and_withdrawal_are_new_records_the_original_unchanged(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    with core.units() as uow:
        before = uow.consents.record(signed.consent_id)
        assert before is not None
        original_bytes = before.canonical_json
    withdrawal = core.consents.withdraw(setup.clinic.practitioner, signed.consent_id,
                                        reason="Patient moved abroad.",
                                        password=STAFF_PASSWORD)
    assert withdrawal.state is ConsentState.WITHDRAWAL
    assert (withdrawal.link_kind, withdrawal.linked_consent_id) == (LinkKind.WITHDRAWS,
                                                                    signed.consent_id)
    listed = {s.consent_id: s for s in core.consents.consents_for_patient(
        setup.clinic.practitioner, setup.patient_id)}
    assert listed[signed.consent_id].state is ConsentState.WITHDRAWN
    with core.units() as uow:
        after = uow.consents.record(signed.consent_id)
        assert after is not None and after.canonical_json == original_bytes
    with pytest.raises(ClinicDeskError, match="already withdrawn"):
        core.consents.withdraw(setup.clinic.practitioner, signed.consent_id,
                               reason="Again, by mistake.", password=STAFF_PASSWORD)
    standing = core.consents.consent_standing(setup.clinic.practitioner, setup.patient_id,
                                              uses_rf=False, on_date=core.consents.today())
    assert not standing.ok and standing.blocker is not None
    assert standing.blocker.code == "consent_withdrawn"
    assert verify_audit_log(core.units).ok


def test_re_consent_supersedes_the_standing_consent(core: ClinicDesk, setup: ConsentClinic) -> None:
    first = sign(core, setup)
    second = sign(core, setup)
    assert (second.link_kind, second.linked_consent_id) == (LinkKind.SUPERSEDES, first.consent_id)
    states = {s.consent_id: s.state for s in core.consents.consents_for_patient(
        setup.clinic.practitioner, setup.patient_id)}
    assert states == {first.consent_id: ConsentState.SUPERSEDED,
                      second.consent_id: ConsentState.SIGNED}


def test_rf_needs_the_rf_form(core: ClinicDesk, setup: ConsentClinic) -> None:
    sign(core, setup, "microneedling")
    today = core.consents.today()
    practitioner = setup.clinic.practitioner
    assert core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=False,
                                          on_date=today).ok
    rf = core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=True,
                                        on_date=today)
    assert not rf.ok and rf.blocker is not None and rf.blocker.code == "consent_without_rf"
    signed = sign(core, setup, "microneedling-rf")
    rf = core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=True,
                                        on_date=today)
    assert rf.ok and rf.consent_id == signed.consent_id


def test_validity_ends_the_day_before_the_same_date_a_period_later(
    core: ClinicDesk, setup: ConsentClinic, clock: FakeClock
) -> None:
    signed = sign(core, setup)  # 22 November 2026, 12 months
    assert signed.valid_until is not None and signed.valid_until.isoformat() == "2027-11-21"
    practitioner = setup.clinic.practitioner
    for day, needed in ((signed.valid_until - timedelta(days=1), False),
                        (signed.valid_until, False),
                        (signed.valid_until + timedelta(days=1), True)):
        flag = core.consents.reconsent_flags(practitioner, [setup.patient_id],
                                             on_date=day)[setup.patient_id]
        standing = core.consents.consent_standing(practitioner, setup.patient_id,
                                                  uses_rf=False, on_date=day)
        assert (flag.needed, standing.ok) == (needed, not needed), day
    assert "valid until 2027-11-21" in flag.reasons[0]


def test_the_pdf_is_signed_by_the_clinic_and_verifies(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    made = core.consents.document(setup.clinic.reception, signed.consent_id)
    assert made.pdf.startswith(b"%PDF") and made.content_hash == signed.content_hash
    check = core.consents.verify_pdf(made.pdf)
    assert check.ok and check.consent_id == signed.consent_id, check.message
    assert check.message.startswith(f"Matches consent no. {signed.consent_id} signed on")
    edited = bytearray(made.pdf)
    edited[len(edited) // 3] ^= 0x01
    assert not core.consents.verify_pdf(bytes(edited)).ok
    core.consents.record_output(setup.clinic.reception, signed.consent_id, how="printed",
                                pdf=made.pdf)
    (copy,) = core.documents.history(setup.clinic.reception, setup.patient_id)
    assert copy.kind.value == "consent" and copy.source_id == signed.consent_id
    assert core.documents.reopen(setup.clinic.reception, copy.document_id).pdf == made.pdf
    assert verify_audit_log(core.units).ok


def test_the_stored_record_rejects_update_and_delete(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    signed = sign(core, setup)
    for sql in (
        "UPDATE consent_record SET canonical_json = canonical_json || ' ' WHERE id = :i",
        "DELETE FROM consent_record WHERE id = :i",
        "UPDATE consent_signature SET signer_name = 'X' WHERE consent_id = :i",
        "DELETE FROM consent_signature WHERE consent_id = :i",
    ):
        with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
            conn.execute(text(sql), {"i": signed.consent_id})
    with core.units() as uow:
        assert isinstance(uow.consents.record(signed.consent_id), ConsentRecordRow)


def test_demo_consents_go_on_demo_patients_whose_screening_allows(core: ClinicDesk) -> None:
    accounts = core.demo.load_clinic()
    reception = core.demo.reception_account()
    core.demo.add_patients(reception, 40)
    # another part of the demo (sessions) signs one first, on a patient of its own
    from clinic_desk.services.demo_consents import sign_demo_consent

    staff = core.demo.demo_staff(accounts)
    rows = core.patients.search(reception, "").rows
    own = next(r.patient_id for r in rows if core.consents.prepare(
        staff.practitioner, r.patient_id, "microneedling").can_sign)
    sign_demo_consent(core.consents, staff, own, "microneedling")
    assert core.demo.add_consents(accounts) == 7
    assert len(core.consents.consents_for_patient(reception, own)) == 1
    assert core.patients.count(reception) == 40  # no patient added for them
    states = sorted(s.state.value for s in core.consents.all_consents(reception))
    assert states == ["declined", "signed", "signed", "signed", "signed", "superseded",
                      "withdrawal", "withdrawn"]
    assert core.demo.add_consents(core.demo.load_clinic()) == 0
    assert verify_audit_log(core.units).ok


def test_the_pdf_prints_markup_literally_and_words_a_withdrawal(core: ClinicDesk) -> None:
    # Patient names refuse "<" and "&"; the treatment name, a witness's name and reasons
    # are free text: each prints exactly as typed.
    from tests.documents.pdf_text import page_texts

    markup = '<font color="red">A & B</font>'
    setup = consent_clinic(core)
    practitioner = setup.clinic.practitioner
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling",
                                  treatment_name=f"Microneedling {markup}")
    signed = core.consents.sign(practitioner, draft, acknowledged=draft.acknowledgement_keys,
                                patient_signature=drawn(), password=STAFF_PASSWORD,
                                witness=drawn(2, signer_name=markup))
    withdrawal = core.consents.withdraw(practitioner, signed.consent_id,
                                        reason=f"Changed her mind: {markup}",
                                        password=STAFF_PASSWORD)
    text = " ".join(page_texts(core.consents.document(setup.clinic.reception,
                                                       signed.consent_id).pdf))
    assert f"Microneedling {markup}" in text and text.count(markup) >= 2
    assert "Zoë Ångström-Müller Ferreira de la Fuente" in text
    assert f"Consent no. {signed.consent_id}" in text and signed.content_hash in text
    withdrawn = " ".join(page_texts(core.consents.document(setup.clinic.reception,
                                                            withdrawal.consent_id).pdf))
    assert "Consent withdrawn." in withdrawn
    assert f"This record withdraws consent no. {signed.consent_id}." in withdrawn
    assert f"Changed her mind: {markup}" in withdrawn


def test_one_consent_with_its_signatures_and_the_look_recorded(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    from clinic_desk.domain.errors import NotFound

    signed = sign(core, setup)
    one = core.consents.consent(setup.clinic.reception, signed.consent_id)
    assert one.consent_id == signed.consent_id and len(one.signatures) == 2
    assert [s.drawn for s in one.signatures] == [True, False]
    with core.units() as uow:
        assert uow.audit.recent(1)[0].action == "consent.viewed"
    with pytest.raises(NotFound):
        core.consents.consent(setup.clinic.reception, 999)


def test_the_clinic_list_with_a_limit_keeps_the_newest(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    """The Consent forms area lists at most 500: a clinic with more sees its latest."""
    first = sign(core, setup, "microneedling")
    second = sign(core, setup, "photography")
    third = sign(core, setup, "microneedling-rf")
    reception = setup.clinic.reception
    newest_two = [s.consent_id for s in core.consents.all_consents(reception, limit=2)]
    assert newest_two == [third.consent_id, second.consent_id]
    everything = [s.consent_id for s in core.consents.all_consents(reception)]
    assert everything[0] == third.consent_id and first.consent_id in everything
