"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Integer, Text, column, insert, select, table, text
from sqlalchemy.orm import Session

from clinic_desk.domain.audit_chain import (
    CURRENT_HASH_FORMAT,
    AuditFields,
    StoredAuditEntry,
    entry_hash,
)
from clinic_desk.domain.record_hashes import RECORD_TYPES, RecordLink, records_digest
from clinic_desk.storage.models import AuditEntry, AuditHead
from clinic_desk.storage.record_store import RecordRef, hash_records, store_links

CHANNEL = "clinic_desk_changes"
# pg_advisory_xact_lock key that serialises appends ("clinicdk" as a number): the head
# is read under it, so the entry computed from it is the one the database accepts.
APPEND_LOCK_KEY = 0x636C696E69636B
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# Written through a table clause, not the model, so that a migration appending an
# entry writes exactly these columns whatever later versions add.
_AUDIT_ENTRY = table(
    "audit_entry",
    *(
        column(name, Integer() if name in ("seq", "staff_id", "patient_id", "hash_format")
               else Text())
        for name in (
            "seq", "occurred_at_utc", "staff_id", "workstation", "action", "entity_type",
            "entity_id", "patient_id", "outcome", "detail", "prev_hash", "entry_hash",
            "hash_format", "records_digest",
        )
    ),
)

# Entries that record a look, not a change: other workstations have nothing to refresh.
LOOK_ACTIONS = frozenset(
    {
        "patient.viewed",
        "intake.viewed",
        "screening.viewed",
        "audit.viewed",
        "audit.listed",
        "session.viewed",
        "session.listed",
        "lot.traced",
        "consent.viewed", "consent.listed", "consent.printed", "consent.saved",
        "consent.templates_viewed", "signing.viewed",
    }
)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """What a service records: who, where, what, about which record, with what result."""

    action: str
    entity_type: str
    entity_id: str | int | None = None
    staff_id: int | None = None
    patient_id: int | None = None
    outcome: str = "success"
    detail: str = ""


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def append_entry(
    conn: Connection,
    event: AuditEvent,
    *,
    at: datetime,
    workstation: str,
    links: Sequence[RecordLink] = (),
) -> AuditFields:
    """Add one entry on `conn`, in its transaction, vouching for `links`.

    The database checks that the entry follows the head and moves the head itself
    (triggers), so a workstation needs no right to change the head. On PostgreSQL an
    advisory lock held to the end of the transaction keeps appends in turn; SQLite's
    write transaction is exclusive already.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
    last_seq, last_hash = conn.execute(
        select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one()
    fields = AuditFields(
        seq=last_seq + 1,
        occurred_at_utc=utc_stamp(at),
        staff_id=event.staff_id,
        workstation=workstation[:128],
        action=event.action,
        entity_type=event.entity_type,
        entity_id=None if event.entity_id is None else str(event.entity_id),
        patient_id=event.patient_id,
        outcome=event.outcome,
        detail=event.detail,
        prev_hash=last_hash,
        records_digest=records_digest(links),
        hash_format=CURRENT_HASH_FORMAT,
    )
    conn.execute(
        insert(_AUDIT_ENTRY).values(
            seq=fields.seq,
            occurred_at_utc=fields.occurred_at_utc,
            staff_id=fields.staff_id,
            workstation=fields.workstation,
            action=fields.action,
            entity_type=fields.entity_type,
            entity_id=fields.entity_id,
            patient_id=fields.patient_id,
            outcome=fields.outcome,
            detail=fields.detail,
            prev_hash=fields.prev_hash,
            entry_hash=entry_hash(fields),
            hash_format=fields.hash_format,
            records_digest=fields.records_digest,
        )
    )
    store_links(conn, fields.seq, links)
    if conn.dialect.name == "postgresql":
        # Delivered to listening workstations when (and only if) this commits.
        conn.execute(
            text("SELECT pg_notify(:channel, :seq)"),
            {"channel": CHANNEL, "seq": str(fields.seq)},
        )
    return fields


def _ref(record: object) -> RecordRef:
    if isinstance(record, tuple):
        name, record_id = record
        return str(name), int(record_id)
    name = getattr(record, "__tablename__", None)
    record_id = getattr(record, "id", None)
    if not isinstance(name, str) or not isinstance(record_id, int):
        raise TypeError(f"{record!r} is not a stored record")
    return name, record_id


class AuditLog:
    def __init__(self, session: Session, *, workstation: str) -> None:
        self._session = session
        self._workstation = workstation
        self.appended = False

    def append(
        self, event: AuditEvent, *, at: datetime, records: Sequence[object] = ()
    ) -> int:
        """Add one entry in the caller's transaction; returns its sequence number.

        `records` are the clinical rows this write stored (ORM objects of a hashed record
        type, or (type, id) pairs): their hashes go into the entry.
        """
        self._session.flush()
        conn = self._session.connection()
        refs = [_ref(r) for r in records]
        links = hash_records(conn, RECORD_TYPES, refs) if refs else []
        fields = append_entry(conn, event, at=at, workstation=self._workstation, links=links)
        self.appended = True
        return fields.seq

    def head_seq(self) -> int:
        return self._session.execute(
            select(AuditHead.last_seq).where(AuditHead.id == 1)
        ).scalar_one()

    def stored_entries(self, *, batch: int = 2000) -> Iterator[StoredAuditEntry]:
        """Every entry in stored-row order, streamed in batches."""
        last_id = 0
        while True:
            rows = self._session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield stored_entry(row)
            last_id = rows[-1].id
            self._session.expunge_all()

    def entry(self, seq: int) -> StoredAuditEntry | None:
        row = self._session.scalars(select(AuditEntry).where(AuditEntry.seq == seq)).first()
        return None if row is None else stored_entry(row)

    def recent(self, limit: int) -> list[AuditEntry]:
        return list(
            self._session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit))
        )

    def has_recent(self, *, staff_id: int, patient_id: int, action: str, since: datetime) -> bool:
        """Whether this person has an entry of this kind about this patient since then
        (the patient's entries, newest first, through ix_audit_entry_patient_seq)."""
        found = self._session.execute(
            select(AuditEntry.seq)
            .where(
                AuditEntry.patient_id == patient_id,
                AuditEntry.staff_id == staff_id,
                AuditEntry.action == action,
                AuditEntry.outcome == "success",
                AuditEntry.occurred_at_utc >= utc_stamp(since),
            )
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).first()
        return found is not None

    def for_patient(self, patient_id: int, *, limit: int) -> list[AuditEntry]:
        """Every entry about one patient (views, changes, refusals), newest first."""
        return list(
            self._session.scalars(
                select(AuditEntry)
                .where(AuditEntry.patient_id == patient_id)
                .order_by(AuditEntry.seq.desc())
                .limit(limit)
            )
        )


def stored_entry(row: Any) -> StoredAuditEntry:
    """From an AuditEntry object or a Core row with its columns."""
    return StoredAuditEntry(
        row_id=row.id,
        fields=AuditFields(
            seq=row.seq,
            occurred_at_utc=row.occurred_at_utc,
            staff_id=row.staff_id,
            workstation=row.workstation,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            patient_id=row.patient_id,
            outcome=row.outcome,
            detail=row.detail,
            prev_hash=row.prev_hash,
            records_digest=row.records_digest,
            hash_format=row.hash_format,
        ),
        entry_hash=row.entry_hash,
    )
