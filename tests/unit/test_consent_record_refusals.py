"""Why a consent record cannot be frozen, in the exact words the service shows: each
problem alone, lists of keys joined with ", "."""

from __future__ import annotations

from dataclasses import replace

from clinic_desk.domain.consent_record import ConsentLink, LinkKind, record_problems
from clinic_desk.domain.signature import SignatureMeaning
from tests.helpers.consent import declined_record, signature, signed_record

SIGNED = signed_record(witness=False)
DECLINED = declined_record()


def test_the_records_as_made_have_no_problem() -> None:
    assert record_problems(SIGNED) == []
    assert record_problems(DECLINED) == []


def test_the_text_must_come_from_the_named_template() -> None:
    assert record_problems(replace(SIGNED, template_version=2)) == [
        "the text is not from the template the record names"
    ]


def test_ticks_twice_unknown_and_missing_are_named() -> None:
    ticked = SIGNED.acknowledged
    assert record_problems(replace(SIGNED, acknowledged=(*ticked, ticked[0]))) == [
        "an acknowledgement is ticked twice"
    ]
    assert record_problems(replace(SIGNED, acknowledged=(*ticked, "zz_b", "zz_a"))) == [
        "ticked acknowledgements not in the text: zz_a, zz_b"
    ]
    assert record_problems(replace(SIGNED, acknowledged=ticked[2:])) == [
        f"acknowledgements not ticked: {ticked[0]}, {ticked[1]}"
    ]


def test_two_signatures_of_one_meaning() -> None:
    patient, practitioner = SIGNED.signatures
    assert record_problems(replace(SIGNED, signatures=(patient, practitioner, practitioner))) == [
        "two signatures with the same meaning"
    ]


def test_a_signed_consent_without_a_decline_and_a_decline_without_consent() -> None:
    decline = signature(SignatureMeaning.PATIENT_DECLINE, "Zoë", "Patient", seed=3)
    assert record_problems(replace(SIGNED, signatures=(*SIGNED.signatures, decline))) == [
        "a signed consent cannot carry the patient's decline"
    ]
    consent = signature(SignatureMeaning.PATIENT_CONSENT, "Zoë", "Patient", seed=4)
    assert record_problems(replace(DECLINED, signatures=(*DECLINED.signatures, consent))) == [
        "a declined consent cannot carry the patient's consent signature"
    ]


def test_a_decline_needs_its_reason() -> None:
    for reason in (None, "", "  "):
        assert record_problems(replace(DECLINED, reason=reason)) == [
            "a declined consent needs the reason"
        ]


def test_a_consent_cannot_link_to_itself() -> None:
    looped = replace(SIGNED, links=(ConsentLink(LinkKind.SUPERSEDES, SIGNED.consent_id),))
    assert record_problems(looped) == ["a consent cannot link to itself"]
