"""Reads the audit log back field by field, so a test can pin exactly what an entry says."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from clinic_desk.app import ClinicDesk
from clinic_desk.storage.models import AuditEntry


class Entry(NamedTuple):
    """Everything a service chooses to record (the chain's hashes are checked elsewhere)."""

    action: str
    entity_type: str
    entity_id: str | None
    staff_id: int | None
    patient_id: int | None
    outcome: str
    detail: str


def entries(core: ClinicDesk, *, after: int = 0) -> list[Entry]:
    """The audit entries in order, skipping the first `after` of them."""
    with core.units() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    return [
        Entry(r.action, r.entity_type, r.entity_id, r.staff_id, r.patient_id, r.outcome, r.detail)
        for r in rows[after:]
    ]


def entry_count(core: ClinicDesk) -> int:
    return len(entries(core))


def stamps(core: ClinicDesk) -> list[tuple[str, str]]:
    """(occurred_at_utc, workstation) of every entry, in order."""
    with core.units() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    return [(r.occurred_at_utc, r.workstation) for r in rows]
