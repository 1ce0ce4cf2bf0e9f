"""The appointment book: booking (clashes refused in words, working hours warned),
moving and resizing (stale writes refused), status changes (check-in, treatment, done,
no-show, cancel with reason), "ready for room N" hand-over, and the day, week and room
listings with everything a Today row needs in one call.

Every change updates the appointment (its version guards against a stale write from
another workstation), appends one row to its history and one audit entry vouching for
that row; the audit entry is what the change feed shows other workstations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from clinic_desk.domain.booking import (
    MAX_LENGTH_MINUTES,
    Appointment,
    AppointmentStatus,
    BookingNames,
    LatenessPolicy,
    appointment_problems,
    change_status,
    describe_clash,
    find_clashes,
)
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ConcurrentEditError, NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.domain.working_hours import working_hours_warnings
from clinic_desk.services.appointment_admin import (
    AppointmentAdministration,
    all_hours,
    hours_of,
)
from clinic_desk.services.appointment_dto import (
    AppointmentView,
    BookingCheck,
    BookingRequest,
    DayBook,
    OutsideWorkingHours,
    PractitionerView,
    RoomView,
)
from clinic_desk.services.appointment_views import (
    ReadinessCache,
    ViewMaker,
    clinic_zone,
    day_bounds,
    to_domain,
    zone_of,
)
from clinic_desk.services.context import Clock, ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.storage.appointment_repository import AppointmentRepository
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_appointments import AppointmentChange, AppointmentRow
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork

_STATUS_ACTIONS = "appointment.status_changed"


class AppointmentService(AppointmentAdministration):
    def __init__(
        self,
        ctx: ServiceContext,
        screening: ScreeningService,
        protocols: ProtocolService,
        policy: LatenessPolicy | None = None,
    ) -> None:
        super().__init__(ctx, protocols)
        self._screening = screening
        self._policy = policy or LatenessPolicy()
        self._ready = ReadinessCache()

    def with_clock(self, clock: Clock) -> AppointmentService:
        """The same service on another clock: the demo books a past day as it happened."""
        return AppointmentService(replace(self._ctx, clock=clock), self._screening,
                                  self._protocols, self._policy)

    def now(self) -> datetime:
        return self._ctx.clock()

    # --- booking -----------------------------------------------------------------------

    def check(self, actor: SignedInStaff, request: BookingRequest,
              appointment_id: int | None = None) -> BookingCheck:
        """The clashes and warnings a booking (or a move of `appointment_id`) would meet."""
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.checked",
            entity_type="appointment", entity_id=appointment_id,
        ) as (uow, _):
            candidate = self._candidate(request, appointment_id)
            return BookingCheck(self._clashes(uow, candidate),
                                self._warnings(uow, candidate, request.course_id))

    def book(
        self, actor: SignedInStaff, request: BookingRequest, *, accept_warnings: bool = False
    ) -> AppointmentView:
        """Book; a clash is refused (ValidationError naming it), a time outside working
        hours or outside the course's window raises OutsideWorkingHours unless accepted."""
        note = check_text(request.note, field="note", label="note",
                          kind=TextKind.MULTILINE).strip()
        candidate = self._candidate(request, None)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.booked",
            entity_type="patient", entity_id=request.patient_id, write=True,
        ) as (uow, _):
            self._known(uow, request)
            self._refuse_clashes(uow, candidate)
            warnings = self._warnings(uow, candidate, request.course_id)
            if warnings and not accept_warnings:
                raise OutsideWorkingHours(warnings)
            row = AppointmentRow(
                patient_id=request.patient_id,
                practitioner_id=request.practitioner_id,
                room_id=request.room_id,
                starts_at=candidate.start_utc,
                length_minutes=request.length_minutes,
                kind=request.kind.value,
                status=AppointmentStatus.BOOKED.value,
                cancel_reason="",
                note=note,
                course_id=request.course_id,
                ready_for_room_id=None,
                created_at=now,
                created_by=actor.staff_id,
                updated_at=now,
            )
            AppointmentRepository(uow.session).add(row)
            self._record(uow, actor, row, "booked", "appointment.booked",
                         "; ".join(warnings) if warnings else "")
            return self._view(uow, row)

    def move(
        self,
        actor: SignedInStaff,
        appointment_id: int,
        *,
        start: object,
        length_minutes: int,
        expected_version: int,
        practitioner_id: int | None = None,
        room_id: int | None = None,
        accept_warnings: bool = False,
    ) -> AppointmentView:
        """Move and/or resize (and optionally change practitioner or room)."""
        if not isinstance(start, datetime):
            raise ValidationError("Choose when the appointment starts.", field="start")

        def moving(uow: UnitOfWork, row: AppointmentRow) -> str:
            if row.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
                raise ValidationError(
                    "Only a booked or arrived appointment can be moved.", field="start"
                )
            current = to_domain(row)
            candidate = replace(
                current, start=start, length_minutes=length_minutes,
                practitioner_id=practitioner_id or row.practitioner_id,
                room_id=room_id or row.room_id,
            )
            _check_problems(candidate)
            self._refuse_clashes(uow, candidate)
            warnings = self._warnings(uow, candidate, row.course_id)
            if warnings and not accept_warnings:
                raise OutsideWorkingHours(warnings)
            row.starts_at = candidate.start_utc
            row.length_minutes = candidate.length_minutes
            row.practitioner_id = candidate.practitioner_id
            row.room_id = candidate.room_id
            return "moved"

        return self._change(actor, appointment_id, expected_version, "appointment.moved", moving)

    def set_status(
        self,
        actor: SignedInStaff,
        appointment_id: int,
        wanted: AppointmentStatus,
        *,
        expected_version: int,
        reason: str = "",
    ) -> AppointmentView:
        """Check in (arrived), start treatment, done, no-show, or cancel (with a reason);
        a refused change says why (ValidationError, field "status" or "cancel_reason")."""

        def changing(uow: UnitOfWork, row: AppointmentRow) -> str:
            zone = clinic_zone(uow)
            changed = change_status(to_domain(row), wanted, now=self._ctx.clock(), zone=zone,
                                    reason=reason)
            row.status = changed.status.value
            row.cancel_reason = changed.cancel_reason
            if wanted is not AppointmentStatus.ARRIVED:
                row.ready_for_room_id = None
            return "status"

        return self._change(actor, appointment_id, expected_version, _STATUS_ACTIONS, changing)

    def check_in(self, actor: SignedInStaff, appointment_id: int, *,
                 expected_version: int) -> AppointmentView:
        return self.set_status(actor, appointment_id, AppointmentStatus.ARRIVED,
                               expected_version=expected_version)

    def hand_over(
        self, actor: SignedInStaff, appointment_id: int, room_id: int, *, expected_version: int
    ) -> AppointmentView:
        """"Ready for room N": an arrived patient is handed to a treatment room's queue."""

        def handing(uow: UnitOfWork, row: AppointmentRow) -> str:
            if row.status != AppointmentStatus.ARRIVED:
                raise ValidationError(
                    "Check the patient in before handing them to a room.", field="status"
                )
            room = AppointmentRepository(uow.session).room(room_id)
            if room is None or not room.is_active:
                raise ValidationError("Choose one of the clinic's rooms.", field="room")
            row.ready_for_room_id = room_id
            return "handed_over"

        return self._change(actor, appointment_id, expected_version,
                            "appointment.handed_over", handing)

    # --- listings ----------------------------------------------------------------------

    def day(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        """One day's appointments in time order, with screening and what is missing."""
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.listed",
            entity_type="appointment",
        ) as (uow, _):
            day = on or clinic_today(self._ctx, uow)
            return self._book(uow, day, day, with_readiness=True)

    def day_in(self, uow: UnitOfWork, on: date) -> DayBook:
        """The same inside a caller's unit of work (`clinic-desk day`)."""
        return self._book(uow, on, on, with_readiness=True)

    def week(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        """Monday to Sunday of the week holding `on` (rows without readiness)."""
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action="appointment.listed",
            entity_type="appointment",
        ) as (uow, _):
            day = on or clinic_today(self._ctx, uow)
            monday = day - timedelta(days=day.weekday())
            return self._book(uow, monday, monday + timedelta(days=6), with_readiness=False)

    def room_queue(self, actor: SignedInStaff, room_id: int,
                   on: date | None = None) -> list[AppointmentView]:
        """A treatment room's queue: handed to it (ready) or in treatment there today."""
        book = self.day(actor, on)
        return [
            a for a in book.appointments
            if (a.status is AppointmentStatus.ARRIVED and a.ready_for_room_id == room_id)
            or (a.status is AppointmentStatus.IN_TREATMENT and a.room_id == room_id)
        ]

    def _book(self, uow: UnitOfWork, first: date, last: date, *,
              with_readiness: bool) -> DayBook:
        maker = ViewMaker(uow, self._ctx.clock(), self._policy)
        start, end = day_bounds(first, last, maker.zone)
        rows = AppointmentRepository(uow.session).listing_between(start, end)
        views = maker.views(rows, self._screening if with_readiness else None, self._ready)
        return DayBook(
            first_day=first,
            last_day=last,
            time_zone=maker.zone.key,
            practitioners=tuple(PractitionerView(i, n) for i, n in maker.practitioners()),
            rooms=tuple(RoomView(r.id, r.name, r.is_active, r.version) for r in maker.room_rows),
            appointments=tuple(views),
            working_hours=all_hours(uow),
        )

    # --- the parts ---------------------------------------------------------------------

    def _change(
        self,
        actor: SignedInStaff,
        appointment_id: int,
        expected_version: int,
        action: str,
        change: Callable[[UnitOfWork, AppointmentRow], str],
    ) -> AppointmentView:
        with self._ctx.authorized(
            actor, Permission.BOOK_APPOINTMENTS, action=action,
            entity_type="appointment", entity_id=appointment_id, write=True,
        ) as (uow, _):
            row = AppointmentRepository(uow.session).get(appointment_id)
            if row is None:
                raise NotFound("That appointment is not in the book.")
            if row.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            what = change(uow, row)
            row.updated_at = self._ctx.clock()
            uow.flush()
            self._record(uow, actor, row, what, action, "")
            return self._view(uow, row)

    def _record(self, uow: UnitOfWork, actor: SignedInStaff, row: AppointmentRow,
                what: str, action: str, detail: str) -> None:
        now = self._ctx.clock()
        change = AppointmentChange(
            appointment_id=row.id, patient_id=row.patient_id, change=what, status=row.status,
            starts_at=row.starts_at, length_minutes=row.length_minutes,
            practitioner_id=row.practitioner_id, room_id=row.room_id,
            detail=row.cancel_reason if what == "status" else detail,
            changed_by=actor.staff_id, changed_at=now,
        )
        AppointmentRepository(uow.session).add(change)
        uow.audit.append(
            AuditEvent(action, "appointment", row.id, staff_id=actor.staff_id,
                       patient_id=row.patient_id, detail=what if what != "status" else row.status),
            at=now, records=[change],
        )
        uow.commit()

    def _view(self, uow: UnitOfWork, row: AppointmentRow) -> AppointmentView:
        return ViewMaker(uow, self._ctx.clock(), self._policy).views([row])[0]

    @staticmethod
    def _candidate(request: BookingRequest, appointment_id: int | None) -> Appointment:
        if request.start.utcoffset() is None:
            raise ValidationError("Choose when the appointment starts.", field="start")
        candidate = Appointment(
            patient_id=request.patient_id, practitioner_id=request.practitioner_id,
            room_id=request.room_id, start=request.start,
            length_minutes=request.length_minutes, kind=request.kind, id=appointment_id,
        )
        _check_problems(candidate)
        return candidate

    @staticmethod
    def _known(uow: UnitOfWork, request: BookingRequest) -> None:
        if uow.patients.get(request.patient_id) is None:
            raise NotFound("That patient record does not exist.")
        staff = uow.staff.get(request.practitioner_id)
        if staff is None or not staff.is_active or "practitioner" not in staff.role_names:
            raise ValidationError("Choose one of the clinic's practitioners.",
                                  field="practitioner")
        room = AppointmentRepository(uow.session).room(request.room_id)
        if room is None or not room.is_active:
            raise ValidationError("Choose one of the clinic's rooms.", field="room")
        if request.course_id is not None:
            course = uow.treatment.course(request.course_id)
            if course is None or course.patient_id != request.patient_id:
                raise ValidationError("That course belongs to another patient.", field="course")

    def _clashes(self, uow: UnitOfWork, candidate: Appointment) -> tuple[str, ...]:
        repo = AppointmentRepository(uow.session)
        near = repo.taking_time_near(
            candidate.start_utc, candidate.end_utc, practitioner_id=candidate.practitioner_id,
            room_id=candidate.room_id, patient_id=candidate.patient_id,
            longest_minutes=MAX_LENGTH_MINUTES,
        )
        clashes = find_clashes(candidate, [to_domain(r) for r in near])
        if not clashes:
            return ()
        maker = ViewMaker(uow, self._ctx.clock(), self._policy)
        patients = {}
        for row in near:
            patient = uow.patients.get(row.patient_id)
            if patient is not None:
                patients[row.patient_id] = f"{patient.given_name} {patient.family_name}"
        names = BookingNames(patients, maker.staff, maker.rooms)
        return tuple(describe_clash(c, names, maker.zone) for c in clashes)

    def _refuse_clashes(self, uow: UnitOfWork, candidate: Appointment) -> None:
        clashes = self._clashes(uow, candidate)
        if clashes:
            raise ValidationError(" ".join(clashes), field="start")

    def _warnings(self, uow: UnitOfWork, candidate: Appointment,
                  course_id: int | None) -> tuple[str, ...]:
        profile = uow.clinic.get()
        zone = zone_of(profile)
        warnings: list[str] = []
        hours = hours_of(uow, candidate.practitioner_id)
        if hours is not None:
            account = uow.staff.get(candidate.practitioner_id)
            who = account.full_name if account else "The practitioner"
            warnings.extend(working_hours_warnings(candidate, hours, zone, who))
        if course_id is not None:
            proposal = self.proposal_in(uow, course_id, candidate.practitioner_id,
                                        candidate.length_minutes)
            outside = proposal.explain(candidate.start_in(zone).date(),
                                       profile.date_format if profile else DateFormat.ISO)
            if outside:
                warnings.append(outside)
        return tuple(warnings)


def _check_problems(candidate: Appointment) -> None:
    problems = appointment_problems(candidate)
    if problems:
        raise ValidationError(problems[0].message, field=problems[0].field)
