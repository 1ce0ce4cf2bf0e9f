"""Courses of treatment: the plan (defaults from the protocol, editable), "session k of
N", the timeline of settings, the next window, the maintenance recall, and reception's
list of patients due or overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from clinic_desk.domain.course import (
    AreaSetting,
    CoursePlan,
    CourseSession,
    CourseState,
    course_plan_problems,
    course_progress,
    plan_course,
    progression,
)
from clinic_desk.domain.errors import ConcurrentEditError, NotFound, ValidationError
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.session_views import settings_of
from clinic_desk.services.treatment_dto import CourseView, DueEntry
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import Course, TreatmentSession
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork

# Reception's list: these states need a call.
DUE_STATES = (CourseState.OVERDUE, CourseState.DUE, CourseState.RECALL_DUE)


def _plan_of(row: Course) -> CoursePlan:
    return CoursePlan(
        row.indication,
        row.planned_sessions,
        row.interval_min_days,
        row.interval_max_days,
        row.maintenance_after_months,
    )


def _label(protocol: Protocol, indication: str) -> str:
    try:
        return protocol.indication(indication).label
    except KeyError:
        return indication


def course_view(
    row: Course, sessions: list[TreatmentSession], protocol: Protocol, today: date
) -> CourseView:
    plan = _plan_of(row)
    course_sessions = []
    for session in sessions:
        draft = settings_of(session)
        course_sessions.append(
            CourseSession(
                session.session_date,
                tuple(AreaSetting(a.area, a.needle_depth_mm, a.rf_energy) for a in draft.areas),
                session.energy_unit or None,
            )
        )
    return CourseView(
        course_id=row.id,
        version=row.version,
        patient_id=row.patient_id,
        plan=plan,
        indication_label=_label(protocol, row.indication),
        started_on=row.started_on,
        is_closed=row.is_closed,
        closed_reason=row.closed_reason,
        notes=row.notes,
        progress=course_progress(plan, [s.session_date for s in sessions], today),
        timeline=progression(plan.planned_sessions, course_sessions),
        session_ids=tuple(s.id for s in sessions),
    )


def course_views(
    uow: UnitOfWork, protocol: Protocol, patient_id: int, today: date
) -> list[CourseView]:
    rows = uow.treatment.courses(patient_id)
    by_course = uow.treatment.sessions_by_course([r.id for r in rows])
    return [course_view(r, by_course[r.id], protocol, today) for r in rows]


class CourseService:
    def __init__(self, ctx: ServiceContext, protocols: ProtocolService) -> None:
        self._ctx = ctx
        self._protocols = protocols

    def defaults(self, actor: SignedInStaff, indication: str) -> CoursePlan:
        """A new course with the clinic's defaults for the indication (from the protocol)."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="course.viewed", entity_type="course"
        ) as (uow, _):
            protocol = self._protocols.current_in(uow)
            self._indication(protocol, indication)
            return plan_course(protocol.courses, indication)

    def courses(self, actor: SignedInStaff, patient_id: int) -> list[CourseView]:
        """A patient's courses, oldest first, each with its progress and timeline."""
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            protocol = self._protocols.current_in(uow)
            return course_views(uow, protocol, patient_id, clinic_today(self._ctx, uow))

    def plan(
        self,
        actor: SignedInStaff,
        patient_id: int,
        plan: CoursePlan,
        *,
        started_on: date | None = None,
        notes: str = "",
    ) -> CourseView:
        written = self._checked(plan, notes)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="course.planned",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            if uow.patients.get(patient_id) is None:
                raise NotFound("That patient record does not exist.")
            protocol = self._protocols.current_in(uow)
            self._indication(protocol, plan.indication)
            today = clinic_today(self._ctx, uow)
            row = Course(
                patient_id=patient_id,
                indication=plan.indication,
                planned_sessions=plan.planned_sessions,
                interval_min_days=plan.interval_min_days,
                interval_max_days=plan.interval_max_days,
                maintenance_after_months=plan.maintenance_after_months,
                started_on=started_on or today,
                is_closed=False,
                closed_reason="",
                notes=written,
                created_at=now,
                created_by=actor.staff_id,
                updated_at=now,
            )
            uow.treatment.add(row)
            uow.audit.append(
                AuditEvent(
                    "course.planned",
                    "course",
                    row.id,
                    staff_id=actor.staff_id,
                    patient_id=patient_id,
                    detail=f"{plan.indication}, {plan.planned_sessions} sessions",
                ),
                at=now,
            )
            uow.commit()
            return course_view(row, [], protocol, today)

    def update(
        self,
        actor: SignedInStaff,
        course_id: int,
        plan: CoursePlan,
        *,
        notes: str,
        expected_version: int,
    ) -> CourseView:
        """Change the plan (sessions, interval, recall, notes); the indication stays."""
        written = self._checked(plan, notes)
        return self._change(
            actor,
            course_id,
            expected_version,
            "course.changed",
            lambda row: _apply(row, plan, written),
        )

    def close(
        self, actor: SignedInStaff, course_id: int, *, reason: str, expected_version: int
    ) -> CourseView:
        """End a course early (patient stopped, plan changed); it leaves the due list."""
        why = check_text(reason, field="reason", label="reason", kind=TextKind.MULTILINE).strip()
        if not why:
            raise ValidationError("Write why the course ends.", field="reason")

        def closing(row: Course) -> None:
            row.is_closed = True
            row.closed_reason = why

        return self._change(actor, course_id, expected_version, "course.closed", closing)

    def _change(
        self,
        actor: SignedInStaff,
        course_id: int,
        expected_version: int,
        action: str,
        change: Callable[[Course], None],
    ) -> CourseView:
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action=action,
            entity_type="course",
            entity_id=course_id,
            write=True,
        ) as (uow, _):
            row = uow.treatment.course(course_id)
            if row is None:
                raise NotFound("That course is not on record.")
            if row.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            if row.is_closed:
                raise ValidationError("This course is closed.", field="course")
            change(row)
            row.updated_at = now
            uow.flush()
            uow.audit.append(
                AuditEvent(
                    action, "course", course_id, staff_id=actor.staff_id, patient_id=row.patient_id
                ),
                at=now,
            )
            uow.commit()
            protocol = self._protocols.current_in(uow)
            sessions = uow.treatment.sessions_by_course([row.id])[row.id]
            return course_view(row, sessions, protocol, clinic_today(self._ctx, uow))

    def due_list(self, actor: SignedInStaff, *, on: date | None = None) -> list[DueEntry]:
        """Patients whose next session is due or overdue, or whose maintenance recall is
        due: overdue first, then by the day they became due."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="course.viewed", entity_type="course"
        ) as (uow, _):
            day = on or clinic_today(self._ctx, uow)
            protocol = self._protocols.current_in(uow)
            rows = uow.treatment.open_courses()
            by_course = uow.treatment.sessions_by_course([r.id for r in rows])
            entries = []
            for row in rows:
                view = course_view(row, by_course[row.id], protocol, day)
                if view.progress.state not in DUE_STATES:
                    continue
                patient = uow.patients.get(row.patient_id)
                if patient is None or patient.is_archived:
                    continue
                entries.append(
                    DueEntry(
                        patient_id=row.patient_id,
                        patient_number=format_patient_number(row.patient_id),
                        patient_name=f"{patient.family_name}, {patient.given_name}",
                        phone=patient.phone,
                        course_id=row.id,
                        indication_label=view.indication_label,
                        progress=view.progress,
                    )
                )
            order = {s: i for i, s in enumerate(DUE_STATES)}
            entries.sort(key=lambda e: (order[e.progress.state], e.due_from or day, e.patient_name))
            return entries

    @staticmethod
    def _checked(plan: CoursePlan, notes: str) -> str:
        problems = course_plan_problems(plan)
        if problems:
            raise ValidationError(problems[0].message, field=problems[0].field)
        return check_text(notes, field="notes", label="notes", kind=TextKind.MULTILINE).strip()

    @staticmethod
    def _indication(protocol: Protocol, indication: str) -> None:
        try:
            protocol.indication(indication)
        except KeyError:
            raise ValidationError(
                "Choose an indication from the protocol.", field="indication"
            ) from None


def _apply(row: Course, plan: CoursePlan, notes: str) -> None:
    if plan.indication != row.indication:
        raise ValidationError(
            "A course keeps its indication: plan a new course.", field="indication"
        )
    row.planned_sessions = plan.planned_sessions
    row.interval_min_days = plan.interval_min_days
    row.interval_max_days = plan.interval_max_days
    row.maintenance_after_months = plan.maintenance_after_months
    row.notes = notes
