"""The demo clinic's appointment book: rooms, the practitioner's working hours and a
realistic week around today (the days before done, with one no-show; today partly done,
some patients arrived and one handed to a room; the days after booked, one cancelled).
Course patients of the treatment demo get their next session inside its window. Added
once; a reloaded demo keeps what it has."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_dto import AppointmentView, BookingRequest
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.core import CoreServices
from clinic_desk.services.dto import SignedInStaff

DEMO_ROOMS = ("Room 1", "Room 2", "Consultation room")
# (hour, minute, minutes, kind) of one day's bookings for the practitioner.
_DAY_PLAN: tuple[tuple[int, int, int, AppointmentKind], ...] = (
    (9, 0, 30, AppointmentKind.CONSULTATION),
    (9, 45, 60, AppointmentKind.MICRONEEDLING),
    (11, 0, 60, AppointmentKind.RF_SESSION),
    (12, 15, 30, AppointmentKind.REVIEW),
    (14, 0, 60, AppointmentKind.MAINTENANCE),
    (15, 15, 60, AppointmentKind.MICRONEEDLING),
    (16, 30, 30, AppointmentKind.CONSULTATION),
)
_ROOM_OF = {
    AppointmentKind.CONSULTATION: 2,
    AppointmentKind.REVIEW: 2,
    AppointmentKind.MICRONEEDLING: 0,
    AppointmentKind.RF_SESSION: 1,
    AppointmentKind.MAINTENANCE: 0,
}


@dataclass(frozen=True, slots=True)
class DemoWeek:
    rooms: int
    appointments: int
    arrived: int
    no_shows: int
    cancelled: int


def demo_hours() -> WorkingHours:
    """Monday to Friday 09:00-18:00 with lunch 13:00-14:00; Saturday mornings."""
    lunch = (Period(time(13), time(14)),)
    weekdays = tuple(DayHours(d, time(9), time(18), lunch) for d in range(5))
    return WorkingHours((*weekdays, DayHours(5, time(9), time(13))))


def load_demo_appointments(
    services: CoreServices, course_patients: Sequence[int] = ()
) -> DemoWeek | None:
    """Books the demo week; None when the demo's rooms are there already."""
    admin = services.auth.demo_account("admin")
    reception = services.auth.demo_account("reception")
    practitioner = services.auth.demo_account("practitioner")
    book = services.appointments
    if book.rooms(admin):
        return None
    rooms = [book.add_room(admin, name).room_id for name in DEMO_ROOMS]
    book.set_working_hours(admin, practitioner.staff_id, demo_hours())
    patients = _patients(services, reception, course_patients)
    if not patients:
        return DemoWeek(len(rooms), 0, 0, 0, 0)
    profile = services.clinic.profile()
    zone = ZoneInfo(profile.time_zone if profile else "UTC")
    now = book.now()
    today = now.astimezone(zone).date()
    week = _Booker(book, reception, practitioner, rooms, zone, now)
    courses = _course_ids(services, practitioner, course_patients)
    turn = 0
    for offset in range(-3, 5):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        plan = _DAY_PLAN if day.weekday() < 5 else _DAY_PLAN[:3]
        for index, (hour, minute, minutes, kind) in enumerate(plan):
            patient = patients[turn % len(patients)]
            turn += 1
            start = datetime.combine(day, time(hour, minute), tzinfo=zone)
            course_id = courses.get(patient) if kind in (
                AppointmentKind.MICRONEEDLING, AppointmentKind.RF_SESSION) else None
            view = week.book(BookingRequest(
                patient, practitioner.staff_id, rooms[_ROOM_OF[kind]], start, minutes, kind,
                course_id=course_id))
            if view is None:
                continue
            week.play(view, offset, index)
    return DemoWeek(len(rooms), week.booked, week.arrived, week.no_shows, week.cancelled)


class _Booker:
    def __init__(self, book: AppointmentService, reception: SignedInStaff,
                 practitioner: SignedInStaff, rooms: list[int], zone: ZoneInfo,
                 now: datetime) -> None:
        self._book, self._desk, self._doctor = book, reception, practitioner
        self._rooms, self._zone, self._now = rooms, zone, now
        self.booked = self.arrived = self.no_shows = self.cancelled = 0
        self._handed = False

    def book(self, request: BookingRequest) -> AppointmentView | None:
        try:
            view = self._book.book(self._desk, request, accept_warnings=True)
        except ClinicDeskError:
            return None  # e.g. a clash with a treatment demo booking: leave the slot free
        self.booked += 1
        return view

    def _at(self, moment: datetime) -> AppointmentService:
        return self._book.with_clock(lambda: moment)

    def play(self, view: AppointmentView, offset: int, index: int) -> None:
        """What happened to it: done in the past, no-show once, arrived today, cancelled."""
        start, end = view.start, view.end
        if end <= self._now or (offset < 0):
            if offset < 0 and index == 4 and not self.no_shows:
                self._at(start + timedelta(minutes=40)).set_status(
                    self._desk, view.appointment_id, AppointmentStatus.NO_SHOW,
                    expected_version=view.version)
                self.no_shows += 1
                return
            self._through(view)
            return
        if offset == 0 and self.arrived < 2:
            arrived = self._book.check_in(self._desk, view.appointment_id,
                                          expected_version=view.version)
            self.arrived += 1
            if not self._handed and view.kind is not AppointmentKind.CONSULTATION:
                self._book.hand_over(self._desk, view.appointment_id, view.room_id,
                                     expected_version=arrived.version)
                self._handed = True
            return
        if offset == 2 and index == 2 and not self.cancelled:
            self._book.set_status(self._desk, view.appointment_id, AppointmentStatus.CANCELLED,
                                  expected_version=view.version,
                                  reason="Patient unwell; will call to rebook.")
            self.cancelled += 1

    def _through(self, view: AppointmentView) -> None:
        start = view.start
        steps = (
            (start - timedelta(minutes=5), AppointmentStatus.ARRIVED, self._desk),
            (start, AppointmentStatus.IN_TREATMENT, self._doctor),
            (view.end, AppointmentStatus.DONE, self._doctor),
        )
        version = view.version
        for moment, status, who in steps:
            version = self._at(moment).set_status(
                who, view.appointment_id, status, expected_version=version).version


def _patients(services: CoreServices, reception: SignedInStaff,
              first: Sequence[int]) -> list[int]:
    page = services.patients.search(reception, "", limit=12)
    others = [r.patient_id for r in page.rows if r.patient_id not in first]
    return [*first, *others]


def _course_ids(services: CoreServices, practitioner: SignedInStaff,
                patients: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for patient_id in patients:
        for course in services.courses.courses(practitioner, patient_id):
            if not course.is_closed:
                found[patient_id] = course.course_id
    return found
