"""Checking the audit log's hash chain."""

from __future__ import annotations

from clinic_desk.domain.audit_chain import verify_chain
from clinic_desk.services.dto import AuditVerification
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
