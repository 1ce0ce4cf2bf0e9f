"""The audit log's hash chain: each entry's hash covers its fields and the previous hash.

Editing, deleting or reordering any stored entry breaks the chain at that entry, so
`verify_chain` can name the first entry that no longer fits.

Two hash formats exist. Format 1 (the first releases) covers the entry's fields. Format 2
also covers `records_digest`, the hash over the clinical records the entry vouches for
(see `record_hashes`), and names its format inside what is hashed. Entries keep the
format they were written in, so a log started before format 2 stays verifiable; once an
entry of format 2 is written, an entry of format 1 after it is a forgery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64
CURRENT_HASH_FORMAT = 2


@dataclass(frozen=True, slots=True)
class AuditFields:
    """What an audit entry records. No patient details as text: only ids."""

    seq: int
    occurred_at_utc: str
    staff_id: int | None
    workstation: str
    action: str
    entity_type: str
    entity_id: str | None
    patient_id: int | None
    outcome: str
    detail: str
    prev_hash: str
    records_digest: str = ""
    hash_format: int = CURRENT_HASH_FORMAT


@dataclass(frozen=True, slots=True)
class StoredAuditEntry:
    row_id: int
    fields: AuditFields
    entry_hash: str


def entry_hash(fields: AuditFields) -> str:
    if fields.hash_format == 1:
        return _entry_hash_v1(fields)
    if fields.hash_format != 2:
        raise ValueError(f"unknown audit hash format {fields.hash_format}")
    canonical = json.dumps(
        [
            "clinic-desk-audit",
            2,
            fields.seq,
            fields.occurred_at_utc,
            fields.staff_id,
            fields.workstation,
            fields.action,
            fields.entity_type,
            fields.entity_id,
            fields.patient_id,
            fields.outcome,
            fields.detail,
            fields.records_digest,
            fields.prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _entry_hash_v1(fields: AuditFields) -> str:
    canonical = json.dumps(
        [
            fields.seq,
            fields.occurred_at_utc,
            fields.staff_id,
            fields.workstation,
            fields.action,
            fields.entity_type,
            fields.entity_id,
            fields.patient_id,
            fields.outcome,
            fields.detail,
            fields.prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    entries_checked: int
    ok: bool
    first_bad_row_id: int | None = None
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(
    entries: Iterable[StoredAuditEntry], *, expected_last_seq: int | None = None
) -> ChainVerdict:
    """Check entries given in stored-row order; return the first one that breaks the chain.

    `expected_last_seq` is the sequence number the log's head row says was written last;
    it reveals entries cut off the end of the log.
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    newest_format = 1
    for entry in entries:
        count += 1
        f = entry.fields
        problem = ""
        if f.hash_format not in (1, 2):
            problem = f"it claims an unknown hash format ({f.hash_format})"
        elif f.hash_format < newest_format:
            problem = "it uses an older hash format than the entries before it (a forgery)"
        elif f.hash_format == 1 and f.records_digest:
            problem = "it names records in a hash format that cannot vouch for them"
        elif f.seq != expected_seq:
            problem = (
                f"sequence number {f.seq} where {expected_seq} was expected "
                "(an entry was deleted or the entries were reordered)"
            )
        elif f.prev_hash != prev_hash:
            problem = "it does not link to the entry before it (deleted or reordered entries)"
        elif entry_hash(f) != entry.entry_hash:
            problem = "its content no longer matches its hash (the entry was altered)"
        if problem:
            return ChainVerdict(count, False, entry.row_id, f.seq, problem)
        prev_hash = entry.entry_hash
        newest_format = f.hash_format
        expected_seq += 1
    if expected_last_seq is not None and expected_last_seq != expected_seq - 1:
        return ChainVerdict(
            count,
            False,
            None,
            expected_seq,
            f"the log ends at entry {expected_seq - 1} but {expected_last_seq} entries "
            "were written (entries were removed from the end)",
        )
    return ChainVerdict(count, True)
