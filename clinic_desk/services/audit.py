"""Reading the audit log and checking its hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from clinic_desk.domain.audit_chain import verify_chain
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.roles import Permission
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import AuditVerification, SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory


def verify_audit_log(units: UnitOfWorkFactory) -> AuditVerification:
    """Reads the whole log in one read transaction; changes nothing."""
    with units() as uow:
        verdict = verify_chain(uow.audit.stored_entries(), expected_last_seq=uow.audit.head_seq())
    return AuditVerification(
        ok=verdict.ok,
        entries_checked=verdict.entries_checked,
        first_bad_row_id=verdict.first_bad_row_id,
        first_bad_seq=verdict.first_bad_seq,
        problem=verdict.problem,
    )


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    """One audit entry as an administrator reads it: who, where, what, which record."""

    seq: int
    occurred_at: datetime
    staff_name: str
    workstation: str
    action: str
    entity: str
    patient_number: str
    outcome: str
    detail: str
    # The record's kind and number apart, for the screen to name in words.
    entity_type: str = ""
    entity_id: str | None = None


class AuditService:
    """For administrators: read the latest entries and check the whole chain."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def recent(self, actor: SignedInStaff, *, limit: int = 200) -> list[AuditEntryView]:
        with self._ctx.authorized(
            actor, Permission.VERIFY_AUDIT, action="audit.viewed", entity_type="audit_entry"
        ) as (uow, _):
            names = {s.id: s.full_name for s in uow.staff.all()}
            return [
                AuditEntryView(
                    seq=e.seq,
                    occurred_at=datetime.strptime(
                        e.occurred_at_utc, "%Y-%m-%dT%H:%M:%S.%fZ"
                    ).replace(tzinfo=UTC),
                    staff_name=names.get(e.staff_id, "—") if e.staff_id else "—",
                    workstation=e.workstation,
                    action=e.action,
                    entity=f"{e.entity_type} {e.entity_id}" if e.entity_id else e.entity_type,
                    patient_number=format_patient_number(e.patient_id) if e.patient_id else "",
                    outcome=e.outcome,
                    detail=e.detail,
                    entity_type=e.entity_type,
                    entity_id=e.entity_id,
                )
                for e in uow.audit.recent(limit)
            ]

    def verify(self, actor: SignedInStaff) -> AuditVerification:
        """Checks the whole chain (it may take a while on a large log: run it off the UI
        thread), then records who checked and what was found."""
        # The permission is checked (and a refusal recorded) before the long read starts.
        with self._ctx.authorized(
            actor, Permission.VERIFY_AUDIT, action="audit.verified", entity_type="audit_entry"
        ):
            pass
        verification = verify_audit_log(self._ctx.units)
        with self._ctx.units(write=True) as uow:
            uow.audit.append(
                AuditEvent(
                    "audit.verified",
                    "audit_entry",
                    verification.first_bad_row_id,
                    staff_id=actor.staff_id,
                    outcome="success" if verification.ok else "failed",
                    detail=f"{verification.entries_checked} entries checked",
                ),
                at=self._ctx.clock(),
            )
            uow.commit()
        return verification
