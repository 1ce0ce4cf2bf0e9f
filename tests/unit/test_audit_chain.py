"""The hash chain names the first entry that was altered, deleted or reordered."""

from __future__ import annotations

import dataclasses

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
