"""Appending to and reading the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from clinic_desk.domain.audit_chain import AuditFields, StoredAuditEntry, entry_hash
from clinic_desk.storage.models import AuditEntry, AuditHead

CHANNEL = "clinic_desk_changes"
# Entries that record a look, not a change: other workstations have nothing to refresh.
LOOK_ACTIONS = frozenset(
    {"patient.viewed", "intake.viewed", "screening.viewed", "audit.viewed", "audit.listed"}
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
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AuditLog:
    def __init__(self, session: Session, *, workstation: str) -> None:
        self._session = session
        self._workstation = workstation

    def append(self, event: AuditEvent, *, at: datetime) -> int:
        """Add one entry in the caller's transaction; returns its sequence number.

        The head row is locked first (FOR UPDATE on PostgreSQL; SQLite's write
        transaction is already exclusive), so concurrent appends cannot fork the chain.
        """
        head = self._session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()
        fields = AuditFields(
            seq=head.last_seq + 1,
            occurred_at_utc=utc_stamp(at),
            staff_id=event.staff_id,
            workstation=self._workstation[:128],
            action=event.action,
            entity_type=event.entity_type,
            entity_id=None if event.entity_id is None else str(event.entity_id),
            patient_id=event.patient_id,
            outcome=event.outcome,
            detail=event.detail,
            prev_hash=head.last_hash,
        )
        digest = entry_hash(fields)
        self._session.add(
            AuditEntry(
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
                entry_hash=digest,
            )
        )
        head.last_seq = fields.seq
        head.last_hash = digest
        self._session.flush()
        if self._session.get_bind().dialect.name == "postgresql":
            # Delivered to listening workstations when (and only if) this commits.
            self._session.execute(
                text("SELECT pg_notify(:channel, :seq)"),
                {"channel": CHANNEL, "seq": str(fields.seq)},
            )
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
                yield StoredAuditEntry(
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
                    ),
                    entry_hash=row.entry_hash,
                )
            last_id = rows[-1].id
            self._session.expunge_all()

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
