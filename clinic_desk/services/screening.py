"""Screening a patient for a planned session, and a practitioner's clearance of a finding."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from clinic_desk.domain.errors import ClinicDeskError, NotFound, ValidationError
from clinic_desk.domain.intake import Questionnaire, answers_from_json
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.screening import (
    Clearance,
    IntakeSnapshot,
    PlannedTreatment,
    RuleBook,
    ScreeningResult,
    Severity,
    screen,
)
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.intake import QuestionnaireLoader
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.services.patient_dto import ClearanceView
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import (
    ClinicProfile,
    IntakeRecord,
    ScreeningClearance,
    ScreeningClearanceRevocation,
)
from clinic_desk.storage.unit_of_work import UnitOfWork

MIN_CLEARANCE_REASON = 10
MAX_REASON = 2000


def _written_reason(reason: str, *, what: str) -> str:
    checked = check_text(reason, field="reason", label="reason", kind=TextKind.MULTILINE)
    written = " ".join(checked.split())
    if len(written) < MIN_CLEARANCE_REASON:
        raise ValidationError(
            f"Write why {what} (at least {MIN_CLEARANCE_REASON} characters).", field="reason"
        )
    if len(written) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    return written


def _standing_clearances(
    stored: Sequence[ScreeningClearance], revoked: set[int], names: dict[int, str]
) -> list[Clearance]:
    """The clearances the screening counts: every one not withdrawn, signed by name."""
    return [
        Clearance(
            c.rule_id,
            c.intake_record_id,
            names.get(c.cleared_by, "?"),
            c.reason,
            cleared_at=c.cleared_at,
            clearance_id=c.id,
        )
        for c in stored
        if c.id not in revoked
    ]


class ScreeningService:
    def __init__(
        self,
        ctx: ServiceContext,
        rules: RuleBook,
        load_questionnaire: QuestionnaireLoader,
        hashing: PasswordHashing,
    ) -> None:
        self._ctx = ctx
        self.rules = rules
        self._load_questionnaire = load_questionnaire
        self._hashing = hashing

    def today(self) -> date:
        with self._ctx.units() as uow:
            return clinic_today(self._ctx, uow)

    def screen_patient(
        self,
        actor: SignedInStaff,
        patient_id: int,
        *,
        session_date: date | None = None,
        uses_rf: bool = False,
    ) -> ScreeningResult:
        """The screening for a session on `session_date` (default: today at the clinic)."""
        with self._ctx.viewing(actor, action="screening.viewed", patient_id=patient_id) as uow:
            return self._screen(uow, patient_id, session_date, uses_rf)

    def screening_in(
        self, uow: UnitOfWork, patient_id: int, *, session_date: date, uses_rf: bool
    ) -> ScreeningResult:
        """The screening inside another service's unit of work (the consent signing
        gate), which has checked the permission and records the look itself."""
        return self._screen(uow, patient_id, session_date, uses_rf)

    def _screen(
        self, uow: UnitOfWork, patient_id: int, session_date: date | None, uses_rf: bool
    ) -> ScreeningResult:
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound("That patient record does not exist.")
        profile = uow.clinic.get()
        snapshot = self._snapshot(uow.patients.latest_intake(patient_id))
        stored = uow.patients.clearances(patient_id)
        # Staff names only when there is a clearance to sign (the Today list screens a
        # whole day's patients, most of whom have none).
        names = {s.id: s.full_name for s in uow.staff.all()} if stored else {}
        revoked = (
            {r.clearance_id for r in uow.patients.revocations(patient_id)} if stored else set()
        )
        clearances = _standing_clearances(stored, revoked, names)
        return screen(
            date_of_birth=patient.date_of_birth,
            intake=snapshot,
            planned=PlannedTreatment(session_date or clinic_today(self._ctx, uow), uses_rf),
            rules=self.rules,
            clearances=clearances,
            intake_max_age_days=profile.intake_max_age_days if profile else None,
        )

    def _snapshot(self, latest: IntakeRecord | None) -> IntakeSnapshot | None:
        if latest is None:
            return None
        questionnaire: Questionnaire = self._load_questionnaire(latest.questionnaire_version)
        return IntakeSnapshot(
            version_id=latest.id,
            recorded_on=latest.recorded_on,
            answers=answers_from_json(questionnaire, json.loads(latest.answers_json)),
        )

    def screen_many_in(
        self, uow: UnitOfWork, planned: Sequence[tuple[int, date, bool]], *,
        profile: ClinicProfile | None = None,
    ) -> dict[tuple[int, date, bool], ScreeningResult]:
        """The screening of many (patient, session date, with RF) at once, inside a
        caller's unit of work: the same result as `screening_in` for each, read with one
        query per kind of input for all the patients (the Today list's whole day).
        `profile`: the clinic profile if the caller has read it already."""
        patient_ids = sorted({p for p, _, _ in planned})
        if not patient_ids:
            return {}
        profile = profile or uow.clinic.get()
        born = uow.patients.dates_of_birth(patient_ids)
        missing = [p for p in patient_ids if p not in born]
        if missing:
            raise NotFound("That patient record does not exist.")
        latest = uow.patients.latest_intakes(patient_ids)
        snapshots = {p: self._snapshot(latest.get(p)) for p in patient_ids}
        stored: dict[int, list[ScreeningClearance]] = {}
        for clearance in uow.patients.clearances_of(patient_ids):
            stored.setdefault(clearance.patient_id, []).append(clearance)
        names = {s.id: s.full_name for s in uow.staff.all()} if stored else {}
        revoked: dict[int, set[int]] = {}
        if stored:
            for revocation in uow.patients.revocations_of(sorted(stored)):
                revoked.setdefault(revocation.patient_id, set()).add(revocation.clearance_id)
        clearances = {
            p: _standing_clearances(rows, revoked.get(p, set()), names)
            for p, rows in stored.items()
        }
        max_age = profile.intake_max_age_days if profile else None
        return {
            (p, day, rf): screen(
                date_of_birth=born[p],
                intake=snapshots[p],
                planned=PlannedTreatment(day, rf),
                rules=self.rules,
                clearances=clearances.get(p, []),
                intake_max_age_days=max_age,
            )
            for p, day, rf in planned
        }

    def clear_finding(
        self,
        actor: SignedInStaff,
        patient_id: int,
        rule_id: str,
        *,
        reason: str,
        password: str,
        session_date: date | None = None,
        uses_rf: bool = False,
    ) -> ScreeningResult:
        """A practitioner clears one "needs clearance" finding on the current intake.

        The reason is written down and the password re-entered; "do not treat" findings
        cannot be cleared. The clearance and any refusal are audited.
        """
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.CLEAR_SCREENING,
            action="screening.cleared",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, account):
            result = self._screen(uow, patient_id, session_date, uses_rf)
            finding = next((f for f in result.findings if f.rule_id == rule_id), None)
            if finding is None:
                raise NotFound("That finding is not part of this patient's screening now.")
            if finding.severity is Severity.DO_NOT_TREAT:
                raise ClinicDeskError(
                    f"“{finding.title}” means do not treat: it cannot be cleared."
                )
            if finding.severity is not Severity.NEEDS_CLEARANCE:
                raise ClinicDeskError("Advice for the patient does not need clearing.")
            if finding.is_cleared:
                return result
            written = _written_reason(reason, what="it is safe to treat")
            if not self._hashing.verify(account.password_hash, password):
                uow.audit.append(
                    AuditEvent(
                        "screening.cleared",
                        "patient",
                        patient_id,
                        staff_id=actor.staff_id,
                        patient_id=patient_id,
                        outcome="failed",
                        detail="wrong password",
                    ),
                    at=now,
                )
                uow.commit()
                raise ValidationError(
                    "That is not your password. Enter it again to confirm the clearance.",
                    field="password",
                )
            latest = uow.patients.latest_intake(patient_id)
            assert latest is not None  # a needs-clearance finding comes from an intake
            clearance = ScreeningClearance(
                patient_id=patient_id,
                intake_record_id=latest.id,
                rule_id=rule_id,
                reason=written,
                cleared_by=actor.staff_id,
                cleared_at=now,
            )
            uow.patients.add_record(clearance)
            uow.audit.append(
                AuditEvent(
                    "screening.cleared",
                    "screening_clearance",
                    clearance.id,
                    staff_id=actor.staff_id,
                    patient_id=patient_id,
                ),
                at=now,
                records=[clearance],
            )
            cleared = self._screen(uow, patient_id, session_date, uses_rf)
            uow.commit()
            return cleared

    # --- the clearances on record, and withdrawing one ----------------------------------

    def clearances(self, actor: SignedInStaff, patient_id: int) -> list[ClearanceView]:
        """Every clearance given for this patient, newest first, with any withdrawal."""
        with self._ctx.authorized(
            actor,
            Permission.VIEW_PATIENTS,
            action="screening.viewed",
            entity_type="patient",
            entity_id=patient_id,
        ) as (uow, _):
            return self._clearance_views(uow, patient_id)

    def _clearance_views(self, uow: UnitOfWork, patient_id: int) -> list[ClearanceView]:
        names = {s.id: s.full_name for s in uow.staff.all()}
        titles = {r.id: r.title for r in self.rules.rules}
        intakes = {i.id: i.sequence for i in uow.patients.intakes(patient_id)}
        latest = max(intakes, key=lambda i: intakes[i]) if intakes else None
        revocations = {r.clearance_id: r for r in uow.patients.revocations(patient_id)}
        views = []
        for c in reversed(uow.patients.clearances(patient_id)):
            withdrawn = revocations.get(c.id)
            views.append(
                ClearanceView(
                    clearance_id=c.id,
                    rule_id=c.rule_id,
                    title=titles.get(c.rule_id, c.rule_id),
                    reason=c.reason,
                    cleared_by=names.get(c.cleared_by, "?"),
                    cleared_at=c.cleared_at,
                    intake_sequence=intakes.get(c.intake_record_id, 0),
                    on_latest_intake=c.intake_record_id == latest,
                    revoked_by=names.get(withdrawn.revoked_by, "?") if withdrawn else None,
                    revoked_at=withdrawn.revoked_at if withdrawn else None,
                    revocation_reason=withdrawn.reason if withdrawn else None,
                )
            )
        return views

    def revoke_clearance(
        self, actor: SignedInStaff, patient_id: int, clearance_id: int, *, reason: str
    ) -> list[ClearanceView]:
        """A practitioner withdraws a clearance, with a written reason. The clearance stays
        on record as it was; a new revocation record is appended and audited, and the
        screening no longer counts the clearance. Returns the clearances after it."""
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.CLEAR_SCREENING,
            action="screening.clearance_revoked",
            entity_type="screening_clearance",
            entity_id=clearance_id,
            write=True,
        ) as (uow, _):
            clearance = next(
                (c for c in uow.patients.clearances(patient_id) if c.id == clearance_id), None
            )
            if clearance is None:
                raise NotFound("That clearance is not on this patient's record.")
            if any(r.clearance_id == clearance_id for r in uow.patients.revocations(patient_id)):
                raise ClinicDeskError("That clearance was already withdrawn.")
            written = _written_reason(reason, what="the clearance is withdrawn")
            revocation = ScreeningClearanceRevocation(
                clearance_id=clearance_id,
                patient_id=patient_id,
                reason=written,
                revoked_by=actor.staff_id,
                revoked_at=now,
            )
            uow.patients.add_record(revocation)
            uow.audit.append(
                AuditEvent(
                    "screening.clearance_revoked",
                    "screening_clearance",
                    clearance_id,
                    staff_id=actor.staff_id,
                    patient_id=patient_id,
                ),
                at=now,
                records=[revocation],
            )
            views = self._clearance_views(uow, patient_id)
            uow.commit()
            return views

