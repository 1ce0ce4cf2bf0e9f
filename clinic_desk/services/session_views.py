"""Building session, amendment and adverse-event views from stored rows (one unit of
work), and the RF energies a patient has tolerated before."""

from __future__ import annotations

from collections.abc import Sequence

from clinic_desk.domain.adverse_events import KIND_LABELS, AdverseEventKind, EventSeverity
from clinic_desk.domain.course import session_label
from clinic_desk.domain.device_json import profile_from_json
from clinic_desk.domain.guardrails import ToleratedRf
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.quantities import from_thousandths
from clinic_desk.domain.session_record import SessionDraft, record_from_json
from clinic_desk.services.treatment_dto import (
    AdverseEventView,
    AmendmentView,
    FollowUpView,
    SessionSummary,
    SessionView,
)
from clinic_desk.storage.models_treatment import AdverseEvent, TreatmentSession
from clinic_desk.storage.unit_of_work import UnitOfWork


def settings_of(row: TreatmentSession) -> SessionDraft:
    return record_from_json(
        row.record_json,
        device_id=row.device_id,
        cartridge_key=row.cartridge_key or None,
        lot_id=row.lot_id,
        course_id=row.course_id,
        session_date=row.session_date,
        started_at=row.started_at,
    )


def tolerated_rf(
    rows: Sequence[TreatmentSession], events: Sequence[AdverseEvent]
) -> list[ToleratedRf]:
    """RF energies tolerated before: each RF session with no adverse event after it, and
    each test spot whose reaction was acceptable."""
    with_event = {e.session_id for e in events}
    found: list[ToleratedRf] = []
    for row in rows:
        if row.uses_rf and row.id not in with_event and row.highest_rf_milli is not None:
            found.append(
                ToleratedRf(
                    row.device_model_key, row.energy_unit, from_thousandths(row.highest_rf_milli)
                )
            )
        spot = settings_of(row).test_spot
        if spot is not None and spot.tolerated:
            found.append(ToleratedRf(row.device_model_key, row.energy_unit, spot.rf_energy))
    return found


class ViewBuilder:
    """Views of several sessions with one query per related table."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._names = {s.id: s.full_name for s in uow.staff.all()}

    def name(self, staff_id: int) -> str:
        return self._names.get(staff_id, "?")

    def adverse_events(self, events: Sequence[AdverseEvent]) -> list[AdverseEventView]:
        treatment = self._uow.treatment
        follow_ups = treatment.follow_ups([e.id for e in events])
        views = []
        for event in events:
            session = treatment.session(event.session_id)
            assert session is not None
            views.append(
                AdverseEventView(
                    event_id=event.id,
                    session_id=event.session_id,
                    patient_id=event.patient_id,
                    session_date=session.session_date,
                    kind=AdverseEventKind(event.kind),
                    kind_label=KIND_LABELS[AdverseEventKind(event.kind)],
                    severity=EventSeverity(event.severity),
                    description=event.description,
                    onset_on=event.onset_on,
                    action_taken=event.action_taken,
                    recorded_by=self.name(event.recorded_by),
                    recorded_at=event.recorded_at,
                    follow_ups=tuple(
                        FollowUpView(
                            f.id,
                            f.note,
                            f.outcome,
                            f.reported_to_manufacturer,
                            f.reported_to_authority,
                            f.closes_event,
                            self.name(f.recorded_by),
                            f.recorded_at,
                        )
                        for f in follow_ups
                        if f.adverse_event_id == event.id
                    ),
                    device_label=session.device_label,
                    lot_number=session.lot_number,
                    settings=settings_of(session),
                )
            )
        return views

    def sessions(self, rows: Sequence[TreatmentSession]) -> list[SessionView]:
        treatment = self._uow.treatment
        ids = [r.id for r in rows]
        amendments = treatment.amendments(ids)
        events = self.adverse_events(treatment.adverse_events(session_ids=ids))
        labels = self._course_labels(rows)
        hashes = treatment.sealed_hashes("treatment_session", ids)
        views = []
        for row in rows:
            revision = treatment.device_revision(row.device_id, row.device_version)
            cartridge_label = row.cartridge_key
            if revision is not None and row.cartridge_key:
                cartridge = profile_from_json(revision.profile_json).cartridge(row.cartridge_key)
                cartridge_label = cartridge.label if cartridge else row.cartridge_key
            views.append(
                SessionView(
                    session_id=row.id,
                    patient_id=row.patient_id,
                    course_id=row.course_id,
                    session_date=row.session_date,
                    started_at=row.started_at,
                    signed_off_at=row.signed_off_at,
                    practitioner=self.name(row.practitioner_id),
                    device_id=row.device_id,
                    device_version=row.device_version,
                    device_label=row.device_label,
                    cartridge_key=row.cartridge_key,
                    cartridge_label=cartridge_label,
                    lot_id=row.lot_id,
                    lot_number=row.lot_number,
                    lot_expiry=row.lot_expiry,
                    protocol_version=row.protocol_version,
                    uses_rf=row.uses_rf,
                    energy_unit=row.energy_unit,
                    settings=settings_of(row),
                    amendments=tuple(
                        AmendmentView(
                            a.id,
                            a.session_id,
                            a.correction,
                            a.reason,
                            self.name(a.amended_by),
                            a.amended_at,
                        )
                        for a in amendments
                        if a.session_id == row.id
                    ),
                    adverse_events=tuple(e for e in events if e.session_id == row.id),
                    course_label=labels.get(row.id, ""),
                    content_hash=hashes.get(row.id, ""),
                )
            )
        return views

    def _course_labels(self, rows: Sequence[TreatmentSession]) -> dict[int, str]:
        course_ids = sorted({r.course_id for r in rows if r.course_id is not None})
        labels: dict[int, str] = {}
        by_course = self._uow.treatment.sessions_by_course(course_ids)
        for course_id, sessions in by_course.items():
            course = self._uow.treatment.course(course_id)
            assert course is not None
            for number, session in enumerate(sessions, start=1):
                labels[session.id] = session_label(number, course.planned_sessions)
        return labels

    def summaries(self, rows: Sequence[TreatmentSession]) -> list[SessionSummary]:
        treatment = self._uow.treatment
        ids = [r.id for r in rows]
        amended = [a.session_id for a in treatment.amendments(ids)]
        evented = [e.session_id for e in treatment.adverse_events(session_ids=ids)]
        patients = {}
        for row in rows:
            if row.patient_id not in patients:
                patients[row.patient_id] = self._uow.patients.get(row.patient_id)
        summaries = []
        for row in rows:
            patient = patients[row.patient_id]
            name = f"{patient.family_name}, {patient.given_name}" if patient else "?"
            summaries.append(
                SessionSummary(
                    session_id=row.id,
                    patient_id=row.patient_id,
                    patient_number=format_patient_number(row.patient_id),
                    patient_name=name,
                    session_date=row.session_date,
                    practitioner=self.name(row.practitioner_id),
                    device_label=row.device_label,
                    lot_number=row.lot_number,
                    uses_rf=row.uses_rf,
                    areas=tuple(a.area for a in settings_of(row).areas),
                    amendments=amended.count(row.id),
                    adverse_events=evented.count(row.id),
                )
            )
        return summaries
