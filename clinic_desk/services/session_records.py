"""Reading signed-off sessions, amending them, and the lists for the command line and
reception (`session list`, `lot trace`); part of `SessionService`."""

from __future__ import annotations

from clinic_desk.domain.errors import NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.session_record import SessionDraft, copy_settings
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.session_views import ViewBuilder, settings_of
from clinic_desk.services.treatment_dto import SessionSummary, SessionView
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import SessionAmendment
from clinic_desk.storage.unit_of_work import UnitOfWork

MIN_AMENDMENT_REASON = 10


class SessionRecords:
    _ctx: ServiceContext

    # --- reading and amending ----------------------------------------------------------

    def sessions(self, actor: SignedInStaff, patient_id: int) -> list[SessionView]:
        """A patient's sessions, oldest first, each with its amendments and adverse events."""
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            self._patient(uow, patient_id)
            return ViewBuilder(uow).sessions(uow.treatment.sessions(patient_id))

    def session(self, actor: SignedInStaff, session_id: int) -> SessionView:
        with self._ctx.units() as uow:
            row = uow.treatment.session(session_id)
            patient_id = row.patient_id if row else 0
        if row is None:
            raise NotFound("That session is not on record.")
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            found = uow.treatment.session(session_id)
            assert found is not None
            return ViewBuilder(uow).sessions([found])[0]

    def amend(
        self, actor: SignedInStaff, session_id: int, *, correction: str, reason: str
    ) -> SessionView:
        """A correction to a signed-off session, kept beside it (the session is unchanged)."""
        written = check_text(
            correction, field="correction", label="correction", kind=TextKind.MULTILINE
        ).strip()
        why = " ".join(
            check_text(reason, field="reason", label="reason", kind=TextKind.MULTILINE).split()
        )
        if not written:
            raise ValidationError("Write the correction.", field="correction")
        if len(why) < MIN_AMENDMENT_REASON:
            raise ValidationError(
                f"Write why it is corrected (at least {MIN_AMENDMENT_REASON} characters).",
                field="reason",
            )
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="session.amended",
            entity_type="treatment_session",
            entity_id=session_id,
            write=True,
        ) as (uow, _):
            row = uow.treatment.session(session_id)
            if row is None:
                raise NotFound("That session is not on record.")
            amendment = SessionAmendment(
                session_id=session_id,
                patient_id=row.patient_id,
                correction=written,
                reason=why,
                amended_by=actor.staff_id,
                amended_at=now,
            )
            uow.treatment.add(amendment)
            uow.audit.append(
                AuditEvent(
                    "session.amended",
                    "treatment_session",
                    session_id,
                    staff_id=actor.staff_id,
                    patient_id=row.patient_id,
                ),
                at=now,
                records=[amendment],
            )
            uow.commit()
            return ViewBuilder(uow).sessions([row])[0]

    def last_settings(self, actor: SignedInStaff, patient_id: int) -> SessionDraft | None:
        """The last session's settings as a new draft ("Copy settings from the last session")."""
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            rows = uow.treatment.sessions(patient_id)
            return copy_settings(settings_of(rows[-1])) if rows else None

    # --- lists for the command line and reception -------------------------------------

    def list_sessions(
        self, actor: SignedInStaff, *, patient_id: int | None = None
    ) -> list[SessionSummary]:
        """Sessions (of one patient, or all), oldest first; the look is audited."""
        with self._ctx.authorized(
            actor,
            Permission.VIEW_PATIENTS,
            action="session.listed",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            found = session_summaries(uow, patient_id)
            uow.audit.append(
                listed_event(patient_id, len(found), actor.staff_id), at=self._ctx.clock()
            )
            uow.commit()
            return found

    def lot_trace(self, actor: SignedInStaff, lot_number: str) -> list[SessionSummary]:
        """Every session (and so every patient) a lot with this number was used on."""
        with self._ctx.authorized(
            actor,
            Permission.VIEW_PATIENTS,
            action="lot.traced",
            entity_type="lot",
            entity_id=lot_number.strip()[:64],
            write=True,
        ) as (uow, _):
            found = trace_lot(uow, lot_number)
            uow.audit.append(traced_event(lot_number, found, actor.staff_id), at=self._ctx.clock())
            uow.commit()
            return found

    @staticmethod
    def _patient(uow: UnitOfWork, patient_id: int) -> None:
        if uow.patients.get(patient_id) is None:
            raise NotFound("That patient record does not exist.")


def session_summaries(uow: UnitOfWork, patient_id: int | None) -> list[SessionSummary]:
    """One line per session (of one patient, or all), oldest first."""
    if patient_id is not None and uow.patients.get(patient_id) is None:
        raise NotFound("That patient record does not exist.")
    return ViewBuilder(uow).summaries(uow.treatment.sessions(patient_id))


def trace_lot(uow: UnitOfWork, lot_number: str) -> list[SessionSummary]:
    """Every session a lot with this number (of any product) was used on."""
    number = lot_number.strip()
    if not number:
        raise ValidationError("Give the lot number to trace.", field="lot_number")
    lots = uow.treatment.lots_numbered(number)
    if not lots:
        raise NotFound(f"No lot numbered {number} is recorded.")
    return ViewBuilder(uow).summaries(uow.treatment.sessions_with_lots([lot.id for lot in lots]))


def listed_event(patient_id: int | None, count: int, staff_id: int | None) -> AuditEvent:
    return AuditEvent(
        "session.listed",
        "patient" if patient_id else "session",
        patient_id,
        staff_id=staff_id,
        patient_id=patient_id,
        detail=f"{count} sessions",
    )


def traced_event(lot_number: str, found: list[SessionSummary], staff_id: int | None) -> AuditEvent:
    patients = len({s.patient_id for s in found})
    return AuditEvent(
        "lot.traced",
        "lot",
        lot_number.strip()[:64],
        staff_id=staff_id,
        detail=f"{len(found)} sessions, {patients} patients",
    )
