"""The appointment book's settings and planning: rooms and practitioners' working hours
(administrators), course booking proposals, and reception's due list with its
"nothing booked" filter and CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.course import CourseState, DateWindow, session_label
from clinic_desk.domain.errors import ConcurrentEditError, NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.working_hours import (
    DayHours,
    Period,
    WorkingHours,
    free_slots,
    propose_course_slots,
    working_hours_problems,
)
from clinic_desk.services.appointment_dto import CourseProposal, DueRow, RoomView
from clinic_desk.services.appointment_views import clinic_zone, day_bounds, to_domain
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.courses import CourseService, course_view
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.storage.appointment_repository import AppointmentRepository
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_appointments import Room, WorkingHoursRow
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork

MAX_ROOM_NAME = 80
# How far ahead proposals look when a course has no window yet (not started).
_FIRST_SESSION_DAYS = 28
# An overdue session: proposals from today over this many days.
_OVERDUE_DAYS = 14
_PROPOSALS = 5


def _clock_time(text: str) -> time:
    return time.fromisoformat(text)


def _breaks_text(breaks: tuple[Period, ...]) -> str:
    return ",".join(f"{b.start:%H:%M}-{b.end:%H:%M}" for b in breaks)


def _breaks(text: str) -> tuple[Period, ...]:
    found = []
    for part in filter(None, text.split(",")):
        start, end = part.split("-")
        found.append(Period(_clock_time(start), _clock_time(end)))
    return tuple(found)


def hours_of(uow: UnitOfWork, staff_id: int) -> WorkingHours | None:
    """A practitioner's working hours; None when none are set (then nothing is warned)."""
    rows = AppointmentRepository(uow.session).working_hours(staff_id)
    if not rows:
        return None
    return WorkingHours(
        tuple(
            DayHours(r.weekday, _clock_time(r.start_time), _clock_time(r.end_time),
                     _breaks(r.breaks))
            for r in rows
        )
    )


def all_hours(uow: UnitOfWork) -> tuple[tuple[int, WorkingHours], ...]:
    """Every practitioner's working hours in one query, by staff id."""
    by_staff: dict[int, list[DayHours]] = {}
    for r in AppointmentRepository(uow.session).working_hours():
        by_staff.setdefault(r.staff_id, []).append(
            DayHours(r.weekday, _clock_time(r.start_time), _clock_time(r.end_time),
                     _breaks(r.breaks)))
    return tuple((staff_id, WorkingHours(tuple(days))) for staff_id, days in by_staff.items())


class AppointmentAdministration:
    def __init__(self, ctx: ServiceContext, protocols: ProtocolService) -> None:
        self._ctx = ctx
        self._protocols = protocols

    # --- rooms -------------------------------------------------------------------------

    def rooms(self, actor: SignedInStaff) -> list[RoomView]:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="room.listed", entity_type="room"
        ) as (uow, _):
            return [RoomView(r.id, r.name, r.is_active, r.version)
                    for r in AppointmentRepository(uow.session).rooms()]

    def add_room(self, actor: SignedInStaff, name: str) -> RoomView:
        written = _room_name(name)
        with self._ctx.authorized(
            actor, Permission.EDIT_CLINIC_PROFILE, action="room.added", entity_type="room",
            write=True,
        ) as (uow, _):
            repo = AppointmentRepository(uow.session)
            if repo.room_named(written) is not None:
                raise ValidationError(f"There is already a room called “{written}”.",
                                      field="name")
            row = Room(name=written, is_active=True)
            repo.add(row)
            uow.audit.append(AuditEvent("room.added", "room", row.id, staff_id=actor.staff_id),
                             at=self._ctx.clock())
            uow.commit()
            return RoomView(row.id, row.name, row.is_active, row.version)

    def change_room(self, actor: SignedInStaff, room_id: int, *, name: str, is_active: bool,
                    expected_version: int) -> RoomView:
        written = _room_name(name)
        with self._ctx.authorized(
            actor, Permission.EDIT_CLINIC_PROFILE, action="room.changed", entity_type="room",
            entity_id=room_id, write=True,
        ) as (uow, _):
            repo = AppointmentRepository(uow.session)
            row = repo.room(room_id)
            if row is None:
                raise NotFound("That room is not on record.")
            if row.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            other = repo.room_named(written)
            if other is not None and other.id != room_id:
                raise ValidationError(f"There is already a room called “{written}”.",
                                      field="name")
            row.name, row.is_active = written, is_active
            uow.flush()
            uow.audit.append(AuditEvent("room.changed", "room", row.id, staff_id=actor.staff_id),
                             at=self._ctx.clock())
            uow.commit()
            return RoomView(row.id, row.name, row.is_active, row.version)

    # --- working hours -----------------------------------------------------------------

    def working_hours(self, actor: SignedInStaff, staff_id: int) -> WorkingHours | None:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="hours.viewed", entity_type="staff_account",
            entity_id=staff_id,
        ) as (uow, _):
            return hours_of(uow, staff_id)

    def set_working_hours(self, actor: SignedInStaff, staff_id: int,
                          hours: WorkingHours) -> WorkingHours:
        """Replace a practitioner's weekly hours (days off are not kept yet)."""
        problems = working_hours_problems(hours)
        if problems:
            raise ValidationError(problems[0].message, field=problems[0].field)
        with self._ctx.authorized(
            actor, Permission.EDIT_CLINIC_PROFILE, action="hours.changed",
            entity_type="staff_account", entity_id=staff_id, write=True,
        ) as (uow, _):
            if uow.staff.get(staff_id) is None:
                raise NotFound("That staff account does not exist.")
            rows = [
                WorkingHoursRow(staff_id=staff_id, weekday=d.weekday,
                                start_time=f"{d.start:%H:%M}", end_time=f"{d.end:%H:%M}",
                                breaks=_breaks_text(d.breaks))
                for d in hours.days
            ]
            AppointmentRepository(uow.session).replace_working_hours(staff_id, rows)
            uow.audit.append(
                AuditEvent("hours.changed", "staff_account", staff_id, staff_id=actor.staff_id),
                at=self._ctx.clock(),
            )
            uow.commit()
            found = hours_of(uow, staff_id)
            return found if found is not None else WorkingHours(())

    # --- course proposals --------------------------------------------------------------

    def propose(self, actor: SignedInStaff, course_id: int, practitioner_id: int,
                length_minutes: int = 60) -> CourseProposal:
        """Free slots for the course's next session inside its window, earliest first."""
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.proposed",
            entity_type="course", entity_id=course_id,
        ) as (uow, _):
            return self.proposal_in(uow, course_id, practitioner_id, length_minutes)

    def propose_for_patient(self, actor: SignedInStaff, patient_id: int,
                            practitioner_id: int, length_minutes: int = 60
                            ) -> CourseProposal | None:
        """The proposal for the patient's course with a session still to come (the newest
        open one); None when the patient is on no such course."""
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.proposed",
            entity_type="patient", entity_id=patient_id,
        ) as (uow, _):
            today = clinic_today(self._ctx, uow)
            protocol = self._protocols.current_in(uow)
            rows = [r for r in uow.treatment.courses(patient_id) if not r.is_closed]
            sessions = uow.treatment.sessions_by_course([r.id for r in rows])
            for row in reversed(rows):
                progress = course_view(row, sessions[row.id], protocol, today).progress
                if progress.next_window is not None or (
                        progress.state is CourseState.NOT_STARTED):
                    return self.proposal_in(uow, row.id, practitioner_id, length_minutes)
            return None

    def proposal_in(self, uow: UnitOfWork, course_id: int, practitioner_id: int,
                    length_minutes: int) -> CourseProposal:
        row = uow.treatment.course(course_id)
        if row is None:
            raise NotFound("That course is not on record.")
        today = clinic_today(self._ctx, uow)
        sessions = uow.treatment.sessions_by_course([row.id])[row.id]
        view = course_view(row, sessions, self._protocols.current_in(uow), today)
        window = view.progress.next_window
        if window is None and view.progress.state is CourseState.NOT_STARTED:
            start = max(today, row.started_on)
            window = DateWindow(start, date.fromordinal(start.toordinal() + _FIRST_SESSION_DAYS))
        label = view.progress.next_label or session_label(
            view.progress.sessions_done + 1, view.progress.planned_sessions)
        slots: tuple[datetime, ...] = ()
        hours = hours_of(uow, practitioner_id)
        if window is not None and hours is not None:
            zone = clinic_zone(uow)
            # A window already passed: the earliest free times from today instead.
            within = window if window.latest >= today else DateWindow(
                today, date.fromordinal(today.toordinal() + _OVERDUE_DAYS))
            begin, end = day_bounds(max(within.earliest, today), within.latest, zone)
            booked = [
                to_domain(a) for a in AppointmentRepository(uow.session).between(begin, end)
                if a.practitioner_id == practitioner_id
            ]
            now = self._ctx.clock()
            # Today only from now on; the other days their first free time.
            later_today = [s for s in free_slots(today, hours, length_minutes, booked, zone)
                           if s > now] if within.contains(today) else []
            slots = (*later_today[:1], *propose_course_slots(
                within, hours, length_minutes, booked, zone,
                not_before=date.fromordinal(today.toordinal() + 1)))[:_PROPOSALS]
        return CourseProposal(row.id, row.patient_id, label, window, slots)

    # --- the due list ------------------------------------------------------------------

    def due(self, actor: SignedInStaff, courses: CourseService, *, on: date | None = None,
            nothing_booked: bool = False) -> list[DueRow]:
        """The courses' due list (overdue, due, recall), each with the next booking from
        `on`; with `nothing_booked`, only the patients with nothing booked."""
        entries = courses.due_list(actor, on=on)
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.listed",
            entity_type="appointment",
        ) as (uow, _):
            day = on or clinic_today(self._ctx, uow)
            since, _end = day_bounds(day, day, clinic_zone(uow))
            booked = AppointmentRepository(uow.session).next_for_patients(
                [e.patient_id for e in entries], since)
            zone = clinic_zone(uow)
        rows = [
            DueRow(e, booked[e.patient_id].astimezone(zone) if e.patient_id in booked else None)
            for e in entries
        ]
        return [r for r in rows if r.nothing_booked] if nothing_booked else rows

    def due_csv(self, actor: SignedInStaff, courses: CourseService, *,
                on: date | None = None, nothing_booked: bool = True) -> str:
        """The due list as CSV text for the clinic's own reminder tool (the GUI saves it)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["patient_number", "patient_name", "phone", "indication", "state",
                         "next_session", "window_from", "window_to", "recall_on",
                         "next_booked"])
        for row in self.due(actor, courses, on=on, nothing_booked=nothing_booked):
            e, progress = row.entry, row.entry.progress
            window = progress.next_window
            writer.writerow([
                e.patient_number, e.patient_name, e.phone, e.indication_label,
                progress.state.value, progress.next_label or "",
                window.earliest.isoformat() if window else "",
                window.latest.isoformat() if window else "",
                progress.recall_on.isoformat() if progress.recall_on else "",
                row.next_booked.isoformat(timespec="minutes") if row.next_booked else "",
            ])
        return out.getvalue()


def _room_name(name: str) -> str:
    written = " ".join(name.split())
    if not written:
        raise ValidationError("Give the room a name.", field="name")
    if len(written) > MAX_ROOM_NAME:
        raise ValidationError(f"Keep the name under {MAX_ROOM_NAME} characters.", field="name")
    return written


# A maintenance recall is booked as a maintenance session.
RECALL_KIND = AppointmentKind.MAINTENANCE
