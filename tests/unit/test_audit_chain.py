"""The hash chain names the first entry that was altered, deleted or reordered."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_desk.domain.audit_chain import (
    GENESIS_HASH,
    AuditFields,
    StoredAuditEntry,
    entry_hash,
    verify_chain,
)


def _chain(n: int) -> list[StoredAuditEntry]:
    entries = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        fields = AuditFields(
            seq=i,
            occurred_at_utc=f"2026-11-22T09:00:{i:02d}.000000Z",
            staff_id=1,
            workstation="reception-1",
            action="staff.sign_in",
            entity_type="staff_account",
            entity_id="1",
            patient_id=None,
            outcome="success",
            detail="",
            prev_hash=prev,
        )
        digest = entry_hash(fields)
        entries.append(StoredAuditEntry(row_id=100 + i, fields=fields, entry_hash=digest))
        prev = digest
    return entries


def test_intact_chain_passes() -> None:
    verdict = verify_chain(_chain(5), expected_last_seq=5)
    assert verdict.ok and verdict.entries_checked == 5


def test_empty_log_is_intact() -> None:
    assert verify_chain([], expected_last_seq=0).ok


def test_altered_field_is_named() -> None:
    entries = _chain(5)
    tampered = dataclasses.replace(entries[2].fields, outcome="failed")
    entries[2] = dataclasses.replace(entries[2], fields=tampered)
    verdict = verify_chain(entries)
    assert not verdict.ok
    assert verdict.first_bad_row_id == 103
    assert "altered" in verdict.problem


def test_recomputed_hash_still_breaks_the_next_link() -> None:
    # An intruder who alters entry 3 and recomputes its hash breaks entry 4's link.
    entries = _chain(5)
    tampered = dataclasses.replace(entries[2].fields, staff_id=99)
    entries[2] = StoredAuditEntry(103, tampered, entry_hash(tampered))
    verdict = verify_chain(entries)
    assert verdict.first_bad_row_id == 104


def test_deleted_entry_is_detected() -> None:
    entries = _chain(5)
    del entries[1]
    verdict = verify_chain(entries)
    assert not verdict.ok and verdict.first_bad_row_id == 103
    assert "deleted" in verdict.problem


def test_reordered_entries_are_detected() -> None:
    entries = _chain(5)
    entries[1], entries[2] = entries[2], entries[1]
    verdict = verify_chain(entries)
    assert not verdict.ok and verdict.first_bad_row_id == 103


def test_entries_cut_off_the_end_are_detected() -> None:
    verdict = verify_chain(_chain(5)[:4], expected_last_seq=5)
    assert not verdict.ok
    assert "removed from the end" in verdict.problem


def test_hash_covers_unicode_detail_stably() -> None:
    fields = dataclasses.replace(_chain(1)[0].fields, detail="Zoë Łódź")
    assert entry_hash(fields) == entry_hash(dataclasses.replace(fields))
    assert entry_hash(fields) != entry_hash(dataclasses.replace(fields, detail="Zoe Lodz"))


# Known answers outside ASCII: each digest was computed with `printf '%s' '<text>' |
# sha256sum` on the canonical text written here, so escaping non-ASCII characters
# (ensure_ascii), spaces after separators or a reordered field fails.
NON_ASCII = AuditFields(
    seq=9,
    occurred_at_utc="2026-11-22T09:30:15.123456Z",
    staff_id=None,
    workstation="salle-é",
    action="staff.sign_in_failed",
    entity_type="staff_account",
    entity_id=None,
    patient_id=None,
    outcome="failed",
    detail="Zoë Ångström — “Łódź”",
    prev_hash=GENESIS_HASH,
    hash_format=1,
)


def test_format_1_known_answer_outside_ascii() -> None:
    # [9,"2026-11-22T09:30:15.123456Z",null,"salle-é","staff.sign_in_failed",
    #  "staff_account",null,null,"failed","Zoë Ångström — “Łódź”","000…0"]
    expected = "e6595e91967b1ff55e3392ee9d6f3cbb7d6bfb20c459b29e16481b40eedb225a"
    assert entry_hash(NON_ASCII) == expected


def test_format_2_known_answer_outside_ascii() -> None:
    # ["clinic-desk-audit",2,9,"2026-11-22T09:30:15.123456Z",2,"salle-é","intake.recorded",
    #  "patient",null,null,"success","Zoë Ångström — “Łódź”","","000…0"]
    fields = dataclasses.replace(
        NON_ASCII, staff_id=2, action="intake.recorded", entity_type="patient",
        outcome="success", hash_format=2,
    )  # fmt: skip
    expected = "17b73af97b374bfa4f3eee9946397b81f6111d85bdcfdb9f135f1493638f37ff"
    assert entry_hash(fields) == expected


def test_genesis_and_current_format_are_pinned() -> None:
    assert GENESIS_HASH == "0" * 64
    assert AuditFields(1, "t", None, "w", "a", "e", None, None, "o", "", "").hash_format == 2


@pytest.mark.parametrize("hash_format", [0, 3])
def test_an_unknown_hash_format_is_refused_and_named(hash_format: int) -> None:
    fields = dataclasses.replace(_chain(1)[0].fields, hash_format=hash_format)
    with pytest.raises(ValueError, match=f"unknown audit hash format {hash_format}"):
        entry_hash(fields)
    verdict = verify_chain([StoredAuditEntry(101, fields, "x")])
    assert (verdict.ok, verdict.entries_checked, verdict.first_bad_row_id) == (False, 1, 101)
    assert verdict.first_bad_seq == 1
    assert verdict.problem == f"it claims an unknown hash format ({hash_format})"


def _signed(fields: AuditFields, row_id: int) -> StoredAuditEntry:
    return StoredAuditEntry(row_id, fields, entry_hash(fields))


def test_format_1_after_format_2_is_a_forgery_and_format_2_after_1_is_fine() -> None:
    first = dataclasses.replace(_chain(1)[0].fields, hash_format=1)
    second = dataclasses.replace(first, seq=2, prev_hash=entry_hash(first), hash_format=2)
    third = dataclasses.replace(second, seq=3, prev_hash=entry_hash(second), hash_format=1)
    upgraded = [_signed(first, 1), _signed(second, 2)]
    verdict = verify_chain(upgraded, expected_last_seq=2)
    assert (verdict.ok, verdict.entries_checked) == (True, 2)
    forged = verify_chain([*upgraded, _signed(third, 3)])
    assert (forged.ok, forged.first_bad_row_id, forged.first_bad_seq) == (False, 3, 3)
    assert forged.problem == (
        "it uses an older hash format than the entries before it (a forgery)"
    )


def test_format_1_entry_naming_records_is_refused() -> None:
    fields = dataclasses.replace(_chain(1)[0].fields, hash_format=1, records_digest="ab")
    verdict = verify_chain([_signed(fields, 1)])
    assert not verdict.ok
    assert verdict.problem == "it names records in a hash format that cannot vouch for them"


def test_a_wrong_first_sequence_number_is_named() -> None:
    fields = dataclasses.replace(_chain(1)[0].fields, seq=2)
    verdict = verify_chain([_signed(fields, 7)])
    assert (verdict.ok, verdict.first_bad_row_id, verdict.first_bad_seq) == (False, 7, 2)
    assert verdict.problem == (
        "sequence number 2 where 1 was expected (an entry was deleted or the entries were "
        "reordered)"
    )


def test_a_broken_link_and_a_short_log_say_where() -> None:
    entries = _chain(3)
    relinked = dataclasses.replace(entries[1].fields, prev_hash="f" * 64)
    entries[1] = _signed(relinked, 102)
    verdict = verify_chain(entries)
    assert (verdict.entries_checked, verdict.first_bad_seq) == (2, 2)
    assert verdict.problem == (
        "it does not link to the entry before it (deleted or reordered entries)"
    )
    short = verify_chain(_chain(3), expected_last_seq=4)
    assert (short.ok, short.entries_checked, short.first_bad_row_id) == (False, 3, None)
    assert short.first_bad_seq == 4
    assert short.problem == (
        "the log ends at entry 3 but 4 entries were written (entries were removed from the end)"
    )
    altered = _chain(2)
    altered[1] = StoredAuditEntry(102, dataclasses.replace(altered[1].fields, detail="x"),
                                  altered[1].entry_hash)  # fmt: skip
    changed = verify_chain(altered)
    assert (changed.first_bad_row_id, changed.first_bad_seq) == (102, 2)
    assert changed.problem == "its content no longer matches its hash (the entry was altered)"
    assert verify_chain(_chain(3), expected_last_seq=3).ok
    assert not verify_chain(_chain(3), expected_last_seq=2).ok
