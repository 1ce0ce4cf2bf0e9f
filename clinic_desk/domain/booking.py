"""The appointment book's rules: appointments, clashes, status changes and lateness.

Times are timezone-aware. Arithmetic and comparisons run in UTC: Python compares and
subtracts two times of the same zone on the wall clock, which is wrong across a clock
change (a 30-minute appointment from 01:45 on the night the clocks go back ends at
01:15). An appointment's length is real elapsed minutes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from clinic_desk.domain.catalogue_data import FieldProblem
from clinic_desk.domain.errors import ValidationError

MIN_LENGTH_MINUTES = 5
MAX_LENGTH_MINUTES = 480
MAX_REASON_CHARS = 500


class AppointmentKind(StrEnum):
    CONSULTATION = "consultation"
    MICRONEEDLING = "microneedling"
    RF_SESSION = "rf_session"
    REVIEW = "review"
    MAINTENANCE = "maintenance"


KIND_LABELS = {
    AppointmentKind.CONSULTATION: "Consultation",
    AppointmentKind.MICRONEEDLING: "Microneedling session",
    AppointmentKind.RF_SESSION: "RF microneedling session",
    AppointmentKind.REVIEW: "Review",
    AppointmentKind.MAINTENANCE: "Maintenance session",
}


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_TREATMENT = "in_treatment"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    AppointmentStatus.BOOKED: "Booked",
    AppointmentStatus.ARRIVED: "Arrived",
    AppointmentStatus.IN_TREATMENT: "In treatment",
    AppointmentStatus.DONE: "Done",
    AppointmentStatus.NO_SHOW: "No-show",
    AppointmentStatus.CANCELLED: "Cancelled",
}

# These free their time: another booking may take it.
FREEING_STATUSES = frozenset({AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED})


def require_aware(moment: datetime, what: str) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its time zone")


@dataclass(frozen=True, slots=True)
class Appointment:
    patient_id: int
    practitioner_id: int
    room_id: int
    start: datetime
    length_minutes: int
    kind: AppointmentKind
    status: AppointmentStatus = AppointmentStatus.BOOKED
    cancel_reason: str = ""
    note: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "an appointment's start")

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(minutes=self.length_minutes)

    def start_in(self, zone: tzinfo) -> datetime:
        return self.start_utc.astimezone(zone)

    def end_in(self, zone: tzinfo) -> datetime:
        return self.end_utc.astimezone(zone)

    @property
    def takes_time(self) -> bool:
        return self.status not in FREEING_STATUSES


def appointment_problems(appointment: Appointment) -> list[FieldProblem]:
    problems = []
    if not MIN_LENGTH_MINUTES <= appointment.length_minutes <= MAX_LENGTH_MINUTES:
        problems.append(
            FieldProblem(
                "length_minutes",
                f"An appointment lasts {MIN_LENGTH_MINUTES} to {MAX_LENGTH_MINUTES} minutes.",
            )
        )
    reason = appointment.cancel_reason.strip()
    if appointment.status is AppointmentStatus.CANCELLED and not reason:
        problems.append(FieldProblem("cancel_reason", "Write why it was cancelled."))
    if len(reason) > MAX_REASON_CHARS:
        problems.append(
            FieldProblem("cancel_reason", f"Keep the reason under {MAX_REASON_CHARS} characters.")
        )
    return problems


def overlaps(a: Appointment, b: Appointment) -> bool:
    """Touching appointments (one ends as the other starts) do not overlap."""
    return a.start_utc < b.end_utc and b.start_utc < a.end_utc


class ClashKind(StrEnum):
    PRACTITIONER = "practitioner"
    ROOM = "room"
    PATIENT = "patient"


@dataclass(frozen=True, slots=True)
class Clash:
    kind: ClashKind
    other: Appointment


def find_clashes(candidate: Appointment, existing: Sequence[Appointment]) -> tuple[Clash, ...]:
    """Every clash of `candidate` with the book (itself excluded when it is being moved)."""
    if not candidate.takes_time:
        return ()
    clashes = []
    for other in existing:
        if candidate.id is not None and other.id == candidate.id:
            continue
        if not other.takes_time or not overlaps(candidate, other):
            continue
        if other.practitioner_id == candidate.practitioner_id:
            clashes.append(Clash(ClashKind.PRACTITIONER, other))
        if other.room_id == candidate.room_id:
            clashes.append(Clash(ClashKind.ROOM, other))
        if other.patient_id == candidate.patient_id:
            clashes.append(Clash(ClashKind.PATIENT, other))
    return tuple(clashes)


@dataclass(frozen=True, slots=True)
class BookingNames:
    patients: Mapping[int, str]
    practitioners: Mapping[int, str]
    rooms: Mapping[int, str]


def describe_clash(clash: Clash, names: BookingNames, zone: tzinfo) -> str:
    """E.g. "Dr Lee is already booked 10:00–10:30 (Anna Berg, Consultation)."."""
    other = clash.other
    start, end = other.start_in(zone), other.end_in(zone)
    when = f"{start:%H:%M}–{end:%H:%M}"
    if end.date() != start.date():
        when = f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
    patient = names.patients.get(other.patient_id, "another patient")
    what = KIND_LABELS[other.kind]
    match clash.kind:
        case ClashKind.PRACTITIONER:
            who = names.practitioners.get(other.practitioner_id, "The practitioner")
            return f"{who} is already booked {when} ({patient}, {what})."
        case ClashKind.ROOM:
            room = names.rooms.get(other.room_id, "The room")
            return f"{room} is already taken {when} ({patient}, {what})."
        case ClashKind.PATIENT:
            return f"{patient} already has an appointment {when} ({what})."


# Which status may follow which. Going back from Arrived to Booked undoes a mistaken
# check-in; a no-show who turns up after all can still be checked in.
TRANSITIONS: Mapping[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.ARRIVED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.ARRIVED: frozenset(
        {AppointmentStatus.IN_TREATMENT, AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.IN_TREATMENT: frozenset({AppointmentStatus.DONE}),
    AppointmentStatus.DONE: frozenset(),
    AppointmentStatus.NO_SHOW: frozenset({AppointmentStatus.ARRIVED}),
    AppointmentStatus.CANCELLED: frozenset(),
}

_REFUSALS = {
    (AppointmentStatus.CANCELLED, AppointmentStatus.ARRIVED):
        "A cancelled appointment cannot be checked in: book a new one.",
    (AppointmentStatus.BOOKED, AppointmentStatus.IN_TREATMENT):
        "Check the patient in before the treatment starts.",
    (AppointmentStatus.BOOKED, AppointmentStatus.DONE):
        "The patient has not been checked in or treated yet.",
    (AppointmentStatus.ARRIVED, AppointmentStatus.DONE):
        "The treatment has not started yet.",
    (AppointmentStatus.IN_TREATMENT, AppointmentStatus.CANCELLED):
        "The treatment has started: finish it and write what happened in the notes.",
    (AppointmentStatus.ARRIVED, AppointmentStatus.NO_SHOW):
        "The patient has arrived, so this is not a no-show.",
}


def transition_refusal(current: AppointmentStatus, wanted: AppointmentStatus) -> str | None:
    """None when `wanted` may follow `current`; otherwise why not, in words."""
    if wanted in TRANSITIONS[current]:
        return None
    if (current, wanted) in _REFUSALS:
        return _REFUSALS[(current, wanted)]
    if current is AppointmentStatus.DONE:
        return "This appointment is done and can no longer change."
    if current is AppointmentStatus.CANCELLED:
        return "This appointment was cancelled and can no longer change: book a new one."
    if current is wanted:
        return f"The appointment is already {STATUS_LABELS[current].lower()}."
    return (
        f"An appointment cannot go from {STATUS_LABELS[current].lower()} to "
        f"{STATUS_LABELS[wanted].lower()}."
    )


def change_status(
    appointment: Appointment,
    wanted: AppointmentStatus,
    *,
    now: datetime,
    zone: tzinfo,
    reason: str = "",
) -> Appointment:
    """The appointment with its new status, or ValidationError(field="status") saying why."""
    require_aware(now, "now")
    refusal = transition_refusal(appointment.status, wanted)
    if refusal:
        raise ValidationError(refusal, field="status")
    if wanted is AppointmentStatus.ARRIVED:
        day = appointment.start_in(zone).date()
        if now.astimezone(zone).date() != day:
            raise ValidationError(
                f"This appointment is on {day.isoformat()}: check in on that day only.",
                field="status",
            )
    if wanted is AppointmentStatus.NO_SHOW and now < appointment.start:
        raise ValidationError(
            "The appointment has not started yet: it cannot be a no-show.", field="status"
        )
    written = " ".join(reason.split())
    if wanted is AppointmentStatus.CANCELLED:
        if not written:
            raise ValidationError("Write why the appointment is cancelled.", field="cancel_reason")
        if len(written) > MAX_REASON_CHARS:
            raise ValidationError(
                f"Keep the reason under {MAX_REASON_CHARS} characters.", field="cancel_reason"
            )
        return replace(appointment, status=wanted, cancel_reason=written)
    return replace(appointment, status=wanted)


@dataclass(frozen=True, slots=True)
class LatenessPolicy:
    """A booked patient who has not arrived is late from `late_after_minutes` past the
    start, and shown as a likely no-show from `no_show_after_minutes` (both inclusive)."""

    late_after_minutes: int = 10
    no_show_after_minutes: int = 30

    def __post_init__(self) -> None:
        if not 1 <= self.late_after_minutes < self.no_show_after_minutes <= 240:
            raise ValueError("need 1 <= late_after_minutes < no_show_after_minutes <= 240")


class Punctuality(StrEnum):
    EXPECTED = "expected"
    LATE = "late"
    LIKELY_NO_SHOW = "likely_no_show"


PUNCTUALITY_LABELS = {
    Punctuality.EXPECTED: "Expected",
    Punctuality.LATE: "Late",
    Punctuality.LIKELY_NO_SHOW: "Not arrived (no-show?)",
}


def punctuality(
    appointment: Appointment, now: datetime, policy: LatenessPolicy
) -> Punctuality | None:
    """Only for a booked patient who has not arrived; None otherwise."""
    require_aware(now, "now")
    if appointment.status is not AppointmentStatus.BOOKED:
        return None
    waited = now.astimezone(UTC) - appointment.start_utc
    if waited >= timedelta(minutes=policy.no_show_after_minutes):
        return Punctuality.LIKELY_NO_SHOW
    if waited >= timedelta(minutes=policy.late_after_minutes):
        return Punctuality.LATE
    return Punctuality.EXPECTED
