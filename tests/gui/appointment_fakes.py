"""An in-memory appointment book for the Today and book windows: the domain's clash and
status rules, versions that go stale, and names with accents."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic_desk.domain.booking import (
    KIND_LABELS,
    STATUS_LABELS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    BookingNames,
    LatenessPolicy,
    change_status,
    describe_clash,
    find_clashes,
    punctuality,
)
from clinic_desk.domain.course import DateWindow
from clinic_desk.domain.errors import ConcurrentEditError, ValidationError
from clinic_desk.domain.roles import Role
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_dto import (
    AppointmentView,
    BookingCheck,
    BookingRequest,
    CourseProposal,
    DayBook,
    OutsideWorkingHours,
    PractitionerView,
    RoomView,
)
from clinic_desk.services.dto import SignedInStaff, SignInSession

ZONE = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 30)
OPENS, CLOSES = time(9, 0), time(18, 0)


def staff(role: Role, name: str = "Ana Reyes") -> SignedInStaff:
    return SignedInStaff(3, "someone", name, (role,), SignInSession())


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@dataclass
class Booked:
    appointment: Appointment
    version: int = 1
    ready_for_room_id: int | None = None
    course_label: str = ""


@dataclass
class FakeAppointmentBook:
    patients: dict[int, str] = field(default_factory=lambda: {
        1: "Zoë Ångström-Müller Ferreira de la Fuente", 2: "Anna Berg", 3: "Chidi Okafor",
        4: "Siobhán Ní Bhriain"})
    practitioners: dict[int, str] = field(default_factory=lambda: {
        3: "Dr Ana Reyes", 4: "Nurse Jörg Lindqvist"})
    rooms_: dict[int, str] = field(default_factory=lambda: {1: "Room 1", 2: "Room 2"})
    booked: dict[int, Booked] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: at(10, 5))
    # Dr Reyes works weekdays with a lunch break; Nurse Lindqvist Tuesday to Saturday
    # from 10:00 (the Monday of TODAY is her day off).
    working_hours: dict[int, WorkingHours] = field(default_factory=lambda: {
        3: WorkingHours(tuple(DayHours(d, OPENS, CLOSES, (Period(time(13), time(13, 30)),))
                              for d in range(5))),
        4: WorkingHours(tuple(DayHours(d, time(10), CLOSES) for d in range(1, 6)))})
    calls: list[str] = field(default_factory=list)
    # Patients on a course (patient id -> course id), and every booking request made.
    courses: dict[int, int] = field(default_factory=lambda: {1: 7})
    requests: list[BookingRequest] = field(default_factory=list)

    def add(self, patient_id: int, start: datetime, *, practitioner_id: int = 3,
            room_id: int = 1, length: int = 30,
            kind: AppointmentKind = AppointmentKind.MICRONEEDLING,
            status: AppointmentStatus = AppointmentStatus.BOOKED, note: str = "") -> int:
        appointment_id = max(self.booked, default=0) + 1
        self.booked[appointment_id] = Booked(Appointment(
            patient_id, practitioner_id, room_id, start, length, kind, status,
            cancel_reason="ill" if status is AppointmentStatus.CANCELLED else "",
            note=note, id=appointment_id))
        return appointment_id

    def touch_elsewhere(self, appointment_id: int) -> None:
        """Another workstation changed it: what this window holds is now stale."""
        self.booked[appointment_id].version += 1

    # --- the port ----------------------------------------------------------------------

    def _view(self, entry: Booked) -> AppointmentView:
        a = entry.appointment
        late = None
        if a.status is AppointmentStatus.BOOKED:
            late = punctuality(a, self.now, LatenessPolicy())
        treatment = a.kind is not AppointmentKind.CONSULTATION
        assert a.id is not None
        return AppointmentView(
            appointment_id=a.id, version=entry.version, patient_id=a.patient_id,
            patient_number=f"P-{a.patient_id:05d}", patient_name=self.patients[a.patient_id],
            practitioner_id=a.practitioner_id,
            practitioner_name=self.practitioners[a.practitioner_id], room_id=a.room_id,
            room_name=self.rooms_[a.room_id], start=a.start_in(ZONE), end=a.end_in(ZONE),
            length_minutes=a.length_minutes, kind=a.kind, kind_label=KIND_LABELS[a.kind],
            status=a.status, status_label=STATUS_LABELS[a.status],
            cancel_reason=a.cancel_reason, note=a.note, course_id=None,
            course_label=entry.course_label, ready_for_room_id=entry.ready_for_room_id,
            ready_for_room_name=self.rooms_.get(entry.ready_for_room_id or 0, ""),
            punctuality=late, punctuality_label=late.value if late else "",
            uses_rf=a.kind is AppointmentKind.RF_SESSION,
            screening_status=ScreeningStatus.CLEAR if treatment else None,
            screening_label="Clear" if treatment else "",
            missing=("Consent missing",) if treatment and a.patient_id == 3 else ())

    def _range(self, first: date, last: date) -> DayBook:
        views = tuple(sorted(
            (self._view(b) for b in self.booked.values()
             if first <= b.appointment.start_in(ZONE).date() <= last),
            key=lambda v: v.start))
        return DayBook(first, last, "Europe/London",
                       tuple(PractitionerView(i, n) for i, n in self.practitioners.items()),
                       tuple(RoomView(i, n, True, 1) for i, n in self.rooms_.items()), views,
                       tuple(self.working_hours.items()))

    def day(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        self.calls.append("day")
        day = on or TODAY
        return self._range(day, day)

    def week(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        self.calls.append("week")
        day = on or TODAY
        monday = day - timedelta(days=day.weekday())
        return self._range(monday, monday + timedelta(days=6))

    def rooms(self, actor: SignedInStaff) -> list[RoomView]:
        return [RoomView(i, n, True, 1) for i, n in self.rooms_.items()]

    def _names(self) -> BookingNames:
        return BookingNames(self.patients, self.practitioners, self.rooms_)

    def _problems(self, candidate: Appointment) -> BookingCheck:
        others = [b.appointment for b in self.booked.values()]
        clashes = tuple(describe_clash(c, self._names(), ZONE)
                        for c in find_clashes(candidate, others))
        local = candidate.start_in(ZONE)
        warnings: tuple[str, ...] = ()
        if local.time() < OPENS or candidate.end_in(ZONE).time() > CLOSES:
            warnings = ("It falls outside working hours (09:00–18:00).",)
        return BookingCheck(clashes, warnings)

    def check(self, actor: SignedInStaff, request: BookingRequest,
              appointment_id: int | None = None) -> BookingCheck:
        found = self._problems(Appointment(
            request.patient_id, request.practitioner_id, request.room_id, request.start,
            request.length_minutes, request.kind, id=appointment_id))
        if request.course_id is not None:  # the course's window, as the service warns
            outside = self.propose(actor, request.course_id, request.practitioner_id).explain(
                request.start.date())
            if outside:
                return BookingCheck(found.clashes, (*found.warnings, outside))
        return found

    def book(self, actor: SignedInStaff, request: BookingRequest, *,
             accept_warnings: bool = False) -> AppointmentView:
        self.calls.append("book")
        self.requests.append(request)
        found = self.check(actor, request)
        if found.clashes:
            raise ValidationError(found.clashes[0], field="start")
        if found.warnings and not accept_warnings:
            raise OutsideWorkingHours(found.warnings)
        new = self.add(request.patient_id, request.start,
                       practitioner_id=request.practitioner_id, room_id=request.room_id,
                       length=request.length_minutes, kind=request.kind, note=request.note)
        return self._view(self.booked[new])

    def _current(self, appointment_id: int, expected_version: int) -> Booked:
        entry = self.booked[appointment_id]
        if entry.version != expected_version:
            raise ConcurrentEditError("changed on another workstation")
        return entry

    def move(self, actor: SignedInStaff, appointment_id: int, *, start: object,
             length_minutes: int, expected_version: int, practitioner_id: int | None = None,
             room_id: int | None = None, accept_warnings: bool = False) -> AppointmentView:
        self.calls.append("move")
        assert isinstance(start, datetime)
        entry = self._current(appointment_id, expected_version)
        a = entry.appointment
        moved = replace(a, start=start, length_minutes=length_minutes,
                        practitioner_id=practitioner_id or a.practitioner_id,
                        room_id=room_id or a.room_id)
        found = self._problems(moved)
        if found.clashes:
            raise ValidationError(found.clashes[0], field="start")
        if found.warnings and not accept_warnings:
            raise OutsideWorkingHours(found.warnings)
        entry.appointment = moved
        entry.version += 1
        return self._view(entry)

    def set_status(self, actor: SignedInStaff, appointment_id: int, wanted: AppointmentStatus,
                   *, expected_version: int, reason: str = "") -> AppointmentView:
        self.calls.append(f"status:{wanted.value}")
        entry = self._current(appointment_id, expected_version)
        entry.appointment = change_status(entry.appointment, wanted, now=self.now, zone=ZONE,
                                          reason=reason)
        if wanted is not AppointmentStatus.ARRIVED:
            entry.ready_for_room_id = None
        entry.version += 1
        return self._view(entry)

    def check_in(self, actor: SignedInStaff, appointment_id: int, *,
                 expected_version: int) -> AppointmentView:
        return self.set_status(actor, appointment_id, AppointmentStatus.ARRIVED,
                               expected_version=expected_version)

    def propose(self, actor: SignedInStaff, course_id: int, practitioner_id: int,
                length_minutes: int = 60) -> CourseProposal:
        self.calls.append("propose")
        window = DateWindow(TODAY + timedelta(days=2), TODAY + timedelta(days=9))
        return CourseProposal(course_id, 1, "Session 2 of 3", window,
                              (at(9, 0, window.earliest), at(11, 30, window.earliest
                                                             + timedelta(days=1))))

    def propose_for_patient(self, actor: SignedInStaff, patient_id: int,
                            practitioner_id: int, length_minutes: int = 60
                            ) -> CourseProposal | None:
        self.calls.append("propose_for_patient")
        course_id = self.courses.get(patient_id)
        if course_id is None:
            return None
        return self.propose(actor, course_id, practitioner_id, length_minutes)

    def hand_over(self, actor: SignedInStaff, appointment_id: int, room_id: int, *,
                  expected_version: int) -> AppointmentView:
        self.calls.append("hand_over")
        entry = self._current(appointment_id, expected_version)
        if entry.appointment.status is not AppointmentStatus.ARRIVED:
            raise ValidationError("Check the patient in before handing them to a room.")
        entry.ready_for_room_id = room_id
        entry.version += 1
        return self._view(entry)


def a_day(book: FakeAppointmentBook) -> dict[str, int]:
    """A morning: one arrived, one late, one to come with a consent missing, one cancelled."""
    return {
        "arrived": book.add(2, at(9, 0), status=AppointmentStatus.ARRIVED),
        "late": book.add(1, at(9, 50), practitioner_id=4, room_id=2,
                         kind=AppointmentKind.RF_SESSION),
        "coming": book.add(3, at(11, 0), length=45),
        "cancelled": book.add(4, at(12, 0), kind=AppointmentKind.CONSULTATION,
                              status=AppointmentStatus.CANCELLED),
    }


