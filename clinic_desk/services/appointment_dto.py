"""What the appointment book hands to the windows and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus, Punctuality
from clinic_desk.domain.course import DateWindow
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.domain.working_hours import WorkingHours
from clinic_desk.services.treatment_dto import DueEntry

# Kinds that are a treatment: the Today row shows their screening and what is missing.
TREATMENT_KINDS = frozenset(
    {AppointmentKind.MICRONEEDLING, AppointmentKind.RF_SESSION, AppointmentKind.MAINTENANCE}
)


def uses_rf(kind: AppointmentKind) -> bool:
    return kind is AppointmentKind.RF_SESSION


class OutsideWorkingHours(ClinicDeskError):
    """The booking is possible but falls outside working hours (or outside the course's
    window): show `warnings` and book again with `accept_warnings=True` if the user
    agrees."""

    def __init__(self, warnings: tuple[str, ...]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


@dataclass(frozen=True, slots=True)
class BookingRequest:
    patient_id: int
    practitioner_id: int
    room_id: int
    # Timezone-aware; stored in UTC.
    start: datetime
    length_minutes: int
    kind: AppointmentKind
    note: str = ""
    course_id: int | None = None


@dataclass(frozen=True, slots=True)
class BookingCheck:
    """Before booking: clashes (refused) and warnings (may be accepted), in words."""

    clashes: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoomView:
    room_id: int
    name: str
    is_active: bool
    version: int


@dataclass(frozen=True, slots=True)
class PractitionerView:
    staff_id: int
    full_name: str


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """One row of the Today list, the day view or the week view."""

    appointment_id: int
    version: int
    patient_id: int
    patient_number: str
    patient_name: str
    practitioner_id: int
    practitioner_name: str
    room_id: int
    room_name: str
    # In the clinic's zone.
    start: datetime
    end: datetime
    length_minutes: int
    kind: AppointmentKind
    kind_label: str
    status: AppointmentStatus
    status_label: str
    cancel_reason: str
    note: str
    course_id: int | None
    # "Session 2 of 6" for a course session; "" otherwise.
    course_label: str
    ready_for_room_id: int | None
    ready_for_room_name: str
    # Late / likely no-show for a booked patient who has not arrived; None otherwise.
    punctuality: Punctuality | None
    punctuality_label: str
    uses_rf: bool
    # Filled by day() for treatment appointments still to come; None in week().
    screening_status: ScreeningStatus | None = None
    screening_label: str = ""
    # What is still missing before treatment, in words (empty: ready).
    missing: tuple[str, ...] = ()

    @property
    def takes_time(self) -> bool:
        return self.status not in (AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)


@dataclass(frozen=True, slots=True)
class DayBook:
    """Everything a day (or week) view needs in one call."""

    first_day: date
    last_day: date
    time_zone: str
    practitioners: tuple[PractitionerView, ...]
    rooms: tuple[RoomView, ...]
    appointments: tuple[AppointmentView, ...]
    # Each practitioner's weekly hours (staff id, hours), for shading the time outside
    # them; a practitioner without hours set is left out (nothing is shaded or warned).
    working_hours: tuple[tuple[int, WorkingHours], ...] = ()

    def on(self, day: date) -> tuple[AppointmentView, ...]:
        return tuple(a for a in self.appointments if a.start.date() == day)

    def hours(self) -> dict[int, WorkingHours]:
        return dict(self.working_hours)


@dataclass(frozen=True, slots=True)
class CourseProposal:
    """Where the next session of a course may go: the window and free slots inside it."""

    course_id: int
    patient_id: int
    session_label: str
    window: DateWindow | None
    slots: tuple[datetime, ...]

    def explain(self, day: date, fmt: DateFormat | str = DateFormat.ISO) -> str | None:
        """The domain's words when `day` falls outside the window; None inside it."""
        return None if self.window is None else self.window.explain(day, fmt)


@dataclass(frozen=True, slots=True)
class DueRow:
    """A due list entry with what is booked for the patient from today on."""

    entry: DueEntry
    next_booked: datetime | None

    @property
    def nothing_booked(self) -> bool:
        return self.next_booked is None
