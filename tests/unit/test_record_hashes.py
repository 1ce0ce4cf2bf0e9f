"""Known answers for the record hashes and both audit hash formats.

Each expected digest was computed outside Python (`printf '%s' '<canonical>' | sha256sum`
on the canonical text written here), so a change to the serialisation fails here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from clinic_desk.domain.audit_chain import AuditFields, StoredAuditEntry, entry_hash, verify_chain
from clinic_desk.domain.record_hashes import (
    INTAKE_RECORD,
    PATIENT_REVISION,
    RECORD_TYPES,
    SCREENING_CLEARANCE,
    FieldKind,
    HashedRecordType,
    RecordCanonicalError,
    RecordLink,
    RecordTypes,
    canonical_record,
    record_hash,
    records_digest,
)

REVISION = {
    "id": 7,
    "patient_id": 3,
    "version": 2,
    "details_json": '{"family_name":"Müller","given_name":"Zoë"}',
    "recorded_at": datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=UTC),
    "recorded_by": 1,
}
INTAKE = {
    "id": 11,
    "patient_id": 3,
    "sequence": 1,
    "questionnaire_version": 1,
    "answers_json": '{"pregnant":false}',
    "recorded_on": date(2026, 11, 22),
    # Not UTC on purpose: the canonical form says the same instant in UTC.
    "recorded_at": datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=1))),
    "signed_off_by": 2,
    "taken_by_patient": True,
}
CLEARANCE = {
    "id": 4,
    "patient_id": 3,
    "intake_record_id": 11,
    "rule_id": "anticoagulants",
    "reason": "Cleared by GP letter\n— dated 1 Nov",
    "cleared_by": 2,
    "cleared_at": datetime(2026, 11, 22, 11, 0, 0, 5, tzinfo=UTC),
}

KNOWN = [
    (
        PATIENT_REVISION,
        REVISION,
        '["clinic-desk-record","patient_revision",1,[7,3,2,"{\\"family_name\\":\\"Müller\\",'
        '\\"given_name\\":\\"Zoë\\"}","2026-11-22T09:30:15.123456Z",1]]',
        "be4e26014c3846abb6be8c66ea4dc7dd8232069ae20878bc3e115781fd3e643f",
    ),
    (
        INTAKE_RECORD,
        INTAKE,
        '["clinic-desk-record","intake_record",1,[11,3,1,1,"{\\"pregnant\\":false}",'
        '"2026-11-22","2026-11-22T09:00:00.000000Z",2,true]]',
        "f0ada750e7b4113326c3d4c7e64f77065d86fab18ba240b78c0b3b9bdc575786",
    ),
    (
        SCREENING_CLEARANCE,
        CLEARANCE,
        '["clinic-desk-record","screening_clearance",1,[4,3,11,"anticoagulants",'
        '"Cleared by GP letter\\n— dated 1 Nov",2,"2026-11-22T11:00:00.000005Z"]]',
        "85a50eff1eb26125184039c6832b29ca140a6a788130abc3474f751647cc94ce",
    ),
]


@pytest.mark.parametrize(("record_type", "values", "canonical", "digest"), KNOWN)
def test_known_answers(
    record_type: HashedRecordType, values: dict[str, object], canonical: str, digest: str
) -> None:
    assert canonical_record(record_type, values).decode("utf-8") == canonical
    assert record_hash(record_type, values) == digest


def test_every_field_counts() -> None:
    base = record_hash(PATIENT_REVISION, REVISION)
    for name, value in (("id", 8), ("version", 3), ("recorded_by", 2),
                        ("details_json", f"{REVISION['details_json']} "),
                        ("recorded_at", datetime(2026, 11, 22, 9, 30, 15, 123457, tzinfo=UTC))):
        assert record_hash(PATIENT_REVISION, REVISION | {name: value}) != base, name


def test_links_digest_and_both_entry_formats_known_answers() -> None:
    links = [
        RecordLink("patient_revision", 7, 1, KNOWN[0][3]),
        RecordLink("intake_record", 11, 1, KNOWN[1][3]),
    ]
    digest = records_digest(reversed(links))  # order given does not matter
    assert digest == "12a75370d141d375380bf7bf52fa01a52d357cfbc258b23d2c69fee5300cf058"
    assert records_digest([]) == ""
    fields = AuditFields(
        seq=5,
        occurred_at_utc="2026-11-22T09:30:15.123456Z",
        staff_id=1,
        workstation="reception-1",
        action="patient.changed",
        entity_type="patient",
        entity_id="3",
        patient_id=3,
        outcome="success",
        detail="version 2",
        prev_hash="a" * 64,
        records_digest=digest,
        hash_format=2,
    )
    assert entry_hash(fields) == "5ae0f3cbebe8a5c1b9d48906c7fdb8082a4e37dc9b107690e4dcb00698176882"
    old = dataclasses.replace(fields, records_digest="", hash_format=1)
    # Format 1 is what the first releases wrote: still verifiable as it was.
    assert entry_hash(old) == "13a4fb4ef13fec6e5f4893dc1dc3f953738c90389733c5d1401fbe78650baf57"
    assert entry_hash(dataclasses.replace(fields, records_digest="b" * 64)) != entry_hash(fields)


def test_a_wrong_kind_is_refused_not_hashed_loosely() -> None:
    for name, value in (("id", "7"), ("id", True), ("recorded_at", datetime(2026, 1, 1)),
                        ("details_json", b"{}")):
        with pytest.raises(RecordCanonicalError):
            canonical_record(PATIENT_REVISION, REVISION | {name: value})
    with pytest.raises(RecordCanonicalError):
        canonical_record(INTAKE_RECORD, INTAKE | {"recorded_on": datetime(2026, 11, 22)})


def test_registry_keeps_old_formats_and_knows_the_current() -> None:
    types = RecordTypes()
    first = types.register(HashedRecordType("consent", 1, (("id", FieldKind.INTEGER),)))
    second = types.register(
        HashedRecordType("consent", 2, (("id", FieldKind.INTEGER), ("text", FieldKind.TEXT)))
    )
    assert types.current("consent") is second and types.format_of("consent", 1) is first
    with pytest.raises(ValueError, match="registered"):
        types.register(HashedRecordType("consent", 1, (("id", FieldKind.INTEGER),)))
    with pytest.raises(ValueError, match="id"):
        types.register(HashedRecordType("x", 1, (("text", FieldKind.TEXT),)))
    assert set(RECORD_TYPES.names()) >= {"patient_revision", "intake_record",
                                         "screening_clearance"}


def _entry(seq: int, prev: str, hash_format: int) -> StoredAuditEntry:
    fields = AuditFields(seq, "2026-11-22T09:00:00.000000Z", 1, "w", "a", "e", None, None,
                         "success", "", prev, "", hash_format)
    return StoredAuditEntry(seq, fields, entry_hash(fields))


def test_an_old_format_entry_after_a_new_one_is_a_forgery() -> None:
    first = _entry(1, "0" * 64, 1)
    second = _entry(2, first.entry_hash, 2)
    third = _entry(3, second.entry_hash, 1)
    assert verify_chain([first, second], expected_last_seq=2).ok
    verdict = verify_chain([first, second, third], expected_last_seq=3)
    assert not verdict.ok and verdict.first_bad_seq == 3 and "older hash format" in verdict.problem


def test_sha256_is_the_hash() -> None:
    assert record_hash(PATIENT_REVISION, REVISION) == hashlib.sha256(
        canonical_record(PATIENT_REVISION, REVISION)
    ).hexdigest()
