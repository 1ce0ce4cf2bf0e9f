"""When a consent counts as signed (the patient's signature, consent or decline, whatever
the order the signatures are stored in; else the first), and which signatures must be
drawn rather than confirmed by password."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clinic_desk.domain.consent_record import record_problems
from clinic_desk.domain.signature import SignatureMeaning
from tests.helpers.consent import (
    PRACTITIONER,
    SIGNED_AT,
    declined_record,
    signature,
    signed_record,
)


def test_the_patients_signature_counts_even_when_stored_after_the_practitioners() -> None:
    record = signed_record(witness=True)
    patient, practitioner, witness = record.signatures
    reordered = replace(record, signatures=(witness, practitioner, patient))
    assert reordered.signed_at_utc == patient.signed_at_utc == SIGNED_AT
    assert witness.signed_at_utc == SIGNED_AT + timedelta(minutes=2)


def test_a_decline_counts_when_stored_after_the_practitioners() -> None:
    record = declined_record()
    decline, practitioner = record.signatures
    later_decline = replace(decline, signed_at_utc=SIGNED_AT + timedelta(minutes=5))
    reordered = replace(record, signatures=(practitioner, later_decline))
    assert reordered.signed_at_utc == SIGNED_AT + timedelta(minutes=5)


def test_without_a_patients_signature_the_first_one_counts_and_none_without_any() -> None:
    record = signed_record(witness=True)
    _, practitioner, witness = record.signatures
    assert replace(record, signatures=(witness, practitioner)).signed_at_utc == (
        SIGNED_AT + timedelta(minutes=2)
    )
    assert replace(record, signatures=(practitioner, witness)).signed_at_utc == (
        SIGNED_AT + timedelta(minutes=1)
    )
    assert replace(record, signatures=()).signed_at_utc is None


@pytest.mark.parametrize(
    ("meaning", "who", "role"),
    [
        (SignatureMeaning.PATIENT_CONSENT, "Zoë", "Patient"),
        (SignatureMeaning.WITNESS, "Øystein", "Witness"),
    ],
)
def test_patient_and_witness_signatures_must_be_drawn(
    meaning: SignatureMeaning, who: str, role: str
) -> None:
    record = signed_record(witness=True)
    kept = tuple(s for s in record.signatures if s.meaning is not meaning)
    by_password = signature(meaning, who, role, drawn=False)
    problems = record_problems(replace(record, signatures=(*kept, by_password)))
    assert problems == [f"the {meaning.value} signature must be drawn"]


def test_a_decline_must_be_drawn_and_the_practitioner_may_confirm_by_password() -> None:
    record = declined_record()
    _, practitioner = record.signatures
    assert practitioner.ink is None and practitioner.signer_name == PRACTITIONER
    assert record_problems(record) == []
    by_password = signature(SignatureMeaning.PATIENT_DECLINE, "Zoë", "Patient", drawn=False)
    problems = record_problems(replace(record, signatures=(by_password, practitioner)))
    assert problems == ["the patient_decline signature must be drawn"]
