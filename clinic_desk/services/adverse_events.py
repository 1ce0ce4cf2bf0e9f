"""Adverse events after a session and their follow-ups: append-only, audited with their
hashes; an event is open (on the chart header, beside the next session's settings)
until a follow-up closes it."""

from __future__ import annotations

from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    FollowUpDetails,
    event_problems,
    follow_up_problems,
)
from clinic_desk.domain.errors import NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.session_views import ViewBuilder
from clinic_desk.services.treatment_dto import AdverseEventView
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import AdverseEvent, AdverseEventFollowUp


class AdverseEventService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def for_patient(
        self, actor: SignedInStaff, patient_id: int, *, open_only: bool = False
    ) -> list[AdverseEventView]:
        """A patient's adverse events, oldest first (only the open ones with `open_only`:
        the chart header's list)."""
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            events = ViewBuilder(uow).adverse_events(
                uow.treatment.adverse_events(patient_id=patient_id)
            )
            return [e for e in events if e.is_open or not open_only]

    def record(
        self, actor: SignedInStaff, session_id: int, details: AdverseEventDetails
    ) -> AdverseEventView:
        for name in ("description", "action_taken"):
            check_text(
                getattr(details, name),
                field=name,
                label=name.replace("_", " "),
                kind=TextKind.MULTILINE,
            )
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="adverse_event.recorded",
            entity_type="treatment_session",
            entity_id=session_id,
            write=True,
        ) as (uow, _):
            session = uow.treatment.session(session_id)
            if session is None:
                raise NotFound("That session is not on record.")
            problems = event_problems(
                details, session_date=session.session_date, today=clinic_today(self._ctx, uow)
            )
            if problems:
                raise ValidationError(problems[0].message, field=problems[0].field)
            event = AdverseEvent(
                session_id=session_id,
                patient_id=session.patient_id,
                kind=details.kind.value,
                description=details.description.strip(),
                onset_on=details.onset_on,
                severity=details.severity.value,
                action_taken=details.action_taken.strip(),
                recorded_by=actor.staff_id,
                recorded_at=now,
            )
            uow.treatment.add(event)
            uow.audit.append(
                AuditEvent(
                    "adverse_event.recorded",
                    "adverse_event",
                    event.id,
                    staff_id=actor.staff_id,
                    patient_id=session.patient_id,
                    detail=f"{details.kind.value}, {details.severity.value}",
                ),
                at=now,
                records=[event],
            )
            uow.commit()
            return ViewBuilder(uow).adverse_events([event])[0]

    def follow_up(
        self, actor: SignedInStaff, event_id: int, details: FollowUpDetails
    ) -> AdverseEventView:
        """Add what happened next; `closes_event` (with an outcome) closes it."""
        for name in ("note", "outcome"):
            check_text(getattr(details, name), field=name, label=name, kind=TextKind.MULTILINE)
        problems = follow_up_problems(details)
        if problems:
            raise ValidationError(problems[0].message, field=problems[0].field)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="adverse_event.followed_up",
            entity_type="adverse_event",
            entity_id=event_id,
            write=True,
        ) as (uow, _):
            event = uow.treatment.adverse_event(event_id)
            if event is None:
                raise NotFound("That adverse event is not on record.")
            builder = ViewBuilder(uow)
            if not builder.adverse_events([event])[0].is_open:
                raise ValidationError("This adverse event is closed already.", field="note")
            row = AdverseEventFollowUp(
                adverse_event_id=event_id,
                patient_id=event.patient_id,
                note=details.note.strip(),
                outcome=details.outcome.strip(),
                reported_to_manufacturer=details.reported_to_manufacturer,
                reported_to_authority=details.reported_to_authority,
                closes_event=details.closes_event,
                recorded_by=actor.staff_id,
                recorded_at=now,
            )
            uow.treatment.add(row)
            uow.audit.append(
                AuditEvent(
                    "adverse_event.followed_up",
                    "adverse_event",
                    event_id,
                    staff_id=actor.staff_id,
                    patient_id=event.patient_id,
                    detail="closed" if details.closes_event else "",
                ),
                at=now,
                records=[row],
            )
            uow.commit()
            return builder.adverse_events([event])[0]
