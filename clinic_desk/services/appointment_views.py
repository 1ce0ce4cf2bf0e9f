"""Appointment rows as the Today list, the day and week views and the command line
show them: names, status and punctuality in words, the course session label, and for
treatments still to come the screening and what is missing before treatment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import select

from clinic_desk.domain.booking import (
    KIND_LABELS,
    PUNCTUALITY_LABELS,
    STATUS_LABELS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    LatenessPolicy,
    punctuality,
)
from clinic_desk.domain.course import session_label
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.screening import STATUS_LABELS as SCREENING_LABELS
from clinic_desk.domain.screening import ScreeningStatus, Severity
from clinic_desk.services.appointment_dto import TREATMENT_KINDS, AppointmentView, uses_rf
from clinic_desk.services.consent_listing import standing_in
from clinic_desk.services.screening import ScreeningService
from clinic_desk.storage.appointment_repository import AppointmentRepository
from clinic_desk.storage.models import Patient
from clinic_desk.storage.models_appointments import AppointmentRow
from clinic_desk.storage.models_treatment import Course, TreatmentSession
from clinic_desk.storage.unit_of_work import UnitOfWork

# Consent renewal is flagged when it runs out within this many days of the appointment.
RENEWAL_NOTICE_DAYS = 30
_STILL_TO_COME = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)


def clinic_zone(uow: UnitOfWork) -> ZoneInfo:
    profile = uow.clinic.get()
    return ZoneInfo(profile.time_zone if profile else "UTC")


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC start of `first` and of the day after `last`, in the clinic's zone."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end.astimezone(UTC)


def to_domain(row: AppointmentRow) -> Appointment:
    return Appointment(
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        room_id=row.room_id,
        start=row.starts_at,
        length_minutes=row.length_minutes,
        kind=AppointmentKind(row.kind),
        status=AppointmentStatus(row.status),
        cancel_reason=row.cancel_reason,
        note=row.note,
        id=row.id,
    )


class ViewMaker:
    """Builds the rows of one listing with a handful of queries, whatever its length."""

    def __init__(self, uow: UnitOfWork, now: datetime, policy: LatenessPolicy) -> None:
        self._uow = uow
        self._now = now
        self._policy = policy
        self.zone = clinic_zone(uow)
        self.staff = {s.id: s.full_name for s in uow.staff.all()}
        self.rooms = {r.id: r.name for r in AppointmentRepository(uow.session).rooms()}

    def views(
        self, rows: Sequence[AppointmentRow], screening: ScreeningService | None = None
    ) -> list[AppointmentView]:
        session = self._uow.session
        patient_ids = sorted({r.patient_id for r in rows})
        patients = {
            p.id: p
            for p in session.scalars(select(Patient).where(Patient.id.in_(patient_ids)))
        } if patient_ids else {}
        labels = self._course_labels(rows)
        readiness: dict[tuple[int, date, bool], tuple[ScreeningStatus, tuple[str, ...]]] = {}
        found = []
        for row in rows:
            appointment = to_domain(row)
            patient = patients.get(row.patient_id)
            start = appointment.start_in(self.zone)
            kind, status = appointment.kind, appointment.status
            late = punctuality(appointment, self._now, self._policy)
            screening_status: ScreeningStatus | None = None
            missing: tuple[str, ...] = ()
            if screening is not None and kind in TREATMENT_KINDS and status in _STILL_TO_COME:
                key = (row.patient_id, start.date(), uses_rf(kind))
                if key not in readiness:
                    readiness[key] = self._readiness(screening, *key)
                screening_status, missing = readiness[key]
            found.append(
                AppointmentView(
                    appointment_id=row.id,
                    version=row.version,
                    patient_id=row.patient_id,
                    patient_number=format_patient_number(row.patient_id),
                    patient_name=(
                        f"{patient.family_name}, {patient.given_name}" if patient else "?"
                    ),
                    practitioner_id=row.practitioner_id,
                    practitioner_name=self.staff.get(row.practitioner_id, "?"),
                    room_id=row.room_id,
                    room_name=self.rooms.get(row.room_id, "?"),
                    start=start,
                    end=appointment.end_in(self.zone),
                    length_minutes=row.length_minutes,
                    kind=kind,
                    kind_label=KIND_LABELS[kind],
                    status=status,
                    status_label=STATUS_LABELS[status],
                    cancel_reason=row.cancel_reason,
                    note=row.note,
                    course_id=row.course_id,
                    course_label=labels.get(row.id, ""),
                    ready_for_room_id=row.ready_for_room_id,
                    ready_for_room_name=(
                        self.rooms.get(row.ready_for_room_id, "")
                        if row.ready_for_room_id is not None else ""
                    ),
                    punctuality=late,
                    punctuality_label=PUNCTUALITY_LABELS[late] if late else "",
                    uses_rf=uses_rf(kind),
                    screening_status=screening_status,
                    screening_label=SCREENING_LABELS[screening_status] if screening_status else "",
                    missing=missing,
                )
            )
        return found

    def _course_labels(self, rows: Sequence[AppointmentRow]) -> dict[int, str]:
        """"Session k of N": the sessions signed off before the appointment's day, plus one."""
        course_ids = sorted({r.course_id for r in rows if r.course_id is not None})
        if not course_ids:
            return {}
        session = self._uow.session
        planned: dict[int, int] = {
            int(course_id): int(count)
            for course_id, count in session.execute(
                select(Course.id, Course.planned_sessions).where(Course.id.in_(course_ids))
            )
        }
        dates: dict[int, list[date]] = {c: [] for c in course_ids}
        for course_id, on in session.execute(
            select(TreatmentSession.course_id, TreatmentSession.session_date).where(
                TreatmentSession.course_id.in_(course_ids)
            )
        ):
            if course_id is not None:
                dates[course_id].append(on)
        labels = {}
        for row in rows:
            if row.course_id is None or row.course_id not in planned:
                continue
            day = row.starts_at.astimezone(self.zone).date()
            done_before = sum(1 for d in dates[row.course_id] if d < day)
            labels[row.id] = session_label(done_before + 1, planned[row.course_id])
        return labels

    def _readiness(
        self, screening: ScreeningService, patient_id: int, day: date, rf: bool
    ) -> tuple[ScreeningStatus, tuple[str, ...]]:
        result = screening.screening_in(self._uow, patient_id, session_date=day, uses_rf=rf)
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
        standing = standing_in(self._uow, patient_id, uses_rf=rf, on_date=day)
        if not standing.ok and standing.blocker is not None:
            missing.append(standing.blocker.message)
        elif standing.valid_until is not None and (
            standing.valid_until - day
        ).days <= RENEWAL_NOTICE_DAYS:
            missing.append(f"Consent renewal due by {standing.valid_until.isoformat()}")
        return result.status, tuple(missing)
