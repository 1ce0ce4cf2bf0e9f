"""Reading the audit log and checking its hash chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from clinic_desk.domain.audit_chain import verify_chain
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.roles import Permission
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import AuditVerification, SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.consent_integrity import check_consents
from clinic_desk.storage.integrity import (
    Findings,
    check_document_contents,
    check_link_digests,
    check_patients,
    check_records,
    quick_check,
)
from clinic_desk.storage.models import AuditEntry
from clinic_desk.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


def verify_audit_log(units: UnitOfWorkFactory) -> AuditVerification:
    """Reads the whole log, the records it vouches for and the patient rows in one read
    transaction; changes nothing. On SQLite the file's structure is checked first."""
    with units() as uow:
        conn = uow.session.connection()
        damage = quick_check(conn)
        if damage:
            return AuditVerification(
                ok=False,
                entries_checked=0,
                first_bad_row_id=None,
                first_bad_seq=None,
                problem="",
                problems=tuple(damage),
            )
        verdict = verify_chain(uow.audit.stored_entries(), expected_last_seq=uow.audit.head_seq())
        findings = Findings()
        check_link_digests(conn, findings)
        consents = check_consents(conn, findings)
        records = check_records(conn, findings)
        patients = check_patients(conn, findings)
        check_document_contents(conn, findings)
    problems = tuple(findings.lines())
    return AuditVerification(
        ok=verdict.ok and not problems,
        entries_checked=verdict.entries_checked,
        first_bad_row_id=verdict.first_bad_row_id,
        first_bad_seq=verdict.first_bad_seq,
        problem=verdict.problem,
        problems=problems,
        records_checked=records,
        patients_checked=patients,
        consents_checked=consents,
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


def _views(uow: UnitOfWork, entries: list[AuditEntry]) -> list[AuditEntryView]:
    names = {s.id: s.full_name for s in uow.staff.all()}
    return [
        AuditEntryView(
            seq=e.seq,
            occurred_at=datetime.strptime(e.occurred_at_utc, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=UTC
            ),
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
        for e in entries
    ]


# An accounting of access lists every entry; this only bounds one answer's size.
MAX_PATIENT_ENTRIES = 100_000


def patient_access_history(
    uow: UnitOfWork, patient_id: int, *, staff_id: int | None, at: datetime, via: str
) -> list[AuditEntryView]:
    """Everyone who viewed, changed or was refused one patient's record, newest first
    (an accounting of access that a clinic can hand to the patient). Listing it is
    itself recorded, about that patient, before the list is handed out; the caller
    commits."""
    if uow.patients.get(patient_id) is None:
        raise NotFound(f"There is no patient {format_patient_number(patient_id)}.")
    entries = _views(uow, uow.audit.for_patient(patient_id, limit=MAX_PATIENT_ENTRIES))
    uow.audit.append(
        AuditEvent(
            "audit.listed", "patient", patient_id, staff_id=staff_id, patient_id=patient_id,
            detail=via,
        ),
        at=at,
    )
    return entries


class AuditService:
    """For administrators: read the latest entries, one patient's access history, and
    check the whole chain."""

    def __init__(
        self, ctx: ServiceContext, witness: Callable[[bool], tuple[str, ...]] | None = None
    ) -> None:
        """`witness(remember)` gives what this workstation's witness disputes now, moving
        it on only if `remember` (the composition root passes it): a check that ignored it
        could call a log cut behind the database's back intact."""
        self._ctx = ctx
        self._witness = witness

    def recent(self, actor: SignedInStaff, *, limit: int = 200) -> list[AuditEntryView]:
        with self._ctx.authorized(
            actor, Permission.VERIFY_AUDIT, action="audit.viewed", entity_type="audit_entry"
        ) as (uow, _):
            return _views(uow, uow.audit.recent(limit))

    def for_patient(self, actor: SignedInStaff, patient_id: int) -> list[AuditEntryView]:
        """Who viewed or changed this patient's record, newest first (administrators)."""
        with self._ctx.authorized(
            actor,
            Permission.VERIFY_AUDIT,
            action="audit.listed",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            entries = patient_access_history(
                uow, patient_id, staff_id=actor.staff_id, at=self._ctx.clock(), via="app"
            )
            uow.commit()
            return entries

    def verify(self, actor: SignedInStaff) -> AuditVerification:
        """Checks the whole chain (it may take a while on a large log: run it off the UI
        thread), then records who checked and what was found."""
        # The permission is checked (and a refusal recorded) before the long read starts.
        with self._ctx.authorized(
            actor, Permission.VERIFY_AUDIT, action="audit.verified", entity_type="audit_entry"
        ):
            pass
        verification = verify_audit_log(self._ctx.units)
        disputes = self._witness(verification.ok) if self._witness is not None else ()
        if disputes:
            verification = replace(verification, ok=False, problems=(
                *verification.problems,
                *(f"this workstation's witness: {d}" for d in disputes)))
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
