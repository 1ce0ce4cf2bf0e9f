"""What is still missing before a treatment: the screening for the planned treatment
(with or without RF), the medical history, findings to clear, and the consent (missing,
or due for renewal). For one patient, or for a whole day's patients at once with one
query per kind of input, through the same pure functions, so both say the same."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from clinic_desk.domain.screening import ScreeningResult, ScreeningStatus, Severity
from clinic_desk.services.consent_dto import ConsentStanding
from clinic_desk.services.consent_listing import (
    consent_validity_months,
    standing_from,
    standing_in,
)
from clinic_desk.services.consent_states import consents_on_file_of
from clinic_desk.services.screening import ScreeningService
from clinic_desk.storage.models import ClinicProfile
from clinic_desk.storage.models_consents import ConsentRecordRow
from clinic_desk.storage.unit_of_work import UnitOfWork

# Consent renewal is flagged when it runs out within this many days of the appointment.
RENEWAL_NOTICE_DAYS = 30

Readiness = tuple[ScreeningStatus, tuple[str, ...]]
# (patient id, day of the appointment, with RF)
ReadinessKey = tuple[int, date, bool]


def missing_before_treatment(
    result: ScreeningResult, standing: ConsentStanding, day: date
) -> Readiness:
    """The screening's status and what is missing, in words (empty: ready)."""
    missing: list[str] = []
    if result.status is ScreeningStatus.HISTORY_NEEDED:
        missing.append("Medical history needed")
    for finding in result.findings:
        if finding.cleared_by is not None or finding.severity is Severity.ADVICE:
            continue
        if finding.severity is Severity.DO_NOT_TREAT:
            missing.append(f"Do not treat: {finding.title}")
        else:
            missing.append(f"Finding to clear: {finding.title}")
    if not standing.ok and standing.blocker is not None:
        missing.append(standing.blocker.message)
    elif standing.valid_until is not None and (
        standing.valid_until - day
    ).days <= RENEWAL_NOTICE_DAYS:
        missing.append(f"Consent renewal due by {standing.valid_until.isoformat()}")
    return result.status, tuple(missing)


def readiness_of_one(
    uow: UnitOfWork, screening: ScreeningService, patient_id: int, day: date, rf: bool
) -> Readiness:
    """One patient, read on their own (three or four queries each)."""
    result = screening.screening_in(uow, patient_id, session_date=day, uses_rf=rf)
    standing = standing_in(uow, patient_id, uses_rf=rf, on_date=day)
    return missing_before_treatment(result, standing, day)


def readiness_of_many(
    uow: UnitOfWork, screening: ScreeningService, keys: Sequence[ReadinessKey], *,
    profile: ClinicProfile | None = None,
) -> dict[ReadinessKey, Readiness]:
    """Every (patient, day, with RF) in `keys`, read together: the patients' dates of
    birth, latest medical histories, clearances (and their withdrawals) and consents in
    one query each, whatever the number of patients. `profile`: the clinic profile if the
    caller has read it already (else it is read here)."""
    if not keys:
        return {}
    profile = profile or uow.clinic.get()
    results = screening.screen_many_in(uow, keys, profile=profile)
    patient_ids = sorted({p for p, _, _ in keys})
    consents: dict[int, list[ConsentRecordRow]] = {p: [] for p in patient_ids}
    for row in uow.consents.records_for_patients(patient_ids):
        consents[row.patient_id].append(row)
    on_file = {p: consents_on_file_of(rows) for p, rows in consents.items()}
    # The clinic's consent validity, as consent_validity_months reads it.
    months = profile.consent_validity_months if profile else consent_validity_months(uow)
    found: dict[ReadinessKey, Readiness] = {}
    for key in keys:
        patient_id, day, rf = key
        standing = standing_from(on_file[patient_id], uses_rf=rf, on_date=day, months=months)
        found[key] = missing_before_treatment(results[key], standing, day)
    return found
