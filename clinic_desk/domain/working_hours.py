"""Practitioners' working hours: weekday hours with breaks, days off, warnings for an
appointment outside them, free slots on a day, and course-session date proposals.

Hours are wall-clock times in the clinic's zone; every comparison runs in UTC, so a
slot on the night of a clock change lasts its real minutes (on the night the clocks go
forward, 01:30 does not exist and is never offered; when they go back, the repeated
hour is offered twice, each a real half hour).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from clinic_desk.domain.booking import Appointment
from clinic_desk.domain.catalogue_data import FieldProblem
from clinic_desk.domain.course import DateWindow

SLOT_STEP_MINUTES = 15


@dataclass(frozen=True, slots=True)
class Period:
    start: time
    end: time

    def describe(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class DayHours:
    """One weekday's hours (0 = Monday) with the breaks inside them."""

    weekday: int
    start: time
    end: time
    breaks: tuple[Period, ...] = ()

    @property
    def hours(self) -> Period:
        return Period(self.start, self.end)


@dataclass(frozen=True, slots=True)
class WorkingHours:
    days: tuple[DayHours, ...]
    days_off: frozenset[date] = frozenset()

    def on(self, day: date) -> DayHours | None:
        if day in self.days_off:
            return None
        return next((d for d in self.days if d.weekday == day.weekday()), None)


def working_hours_problems(hours: WorkingHours) -> list[FieldProblem]:
    problems = []
    weekdays = [d.weekday for d in hours.days]
    if len(set(weekdays)) != len(weekdays):
        problems.append(FieldProblem("days", "Each weekday may have one set of hours."))
    for day in hours.days:
        field = f"days.{day.weekday}"
        name = calendar.day_name[day.weekday] if 0 <= day.weekday <= 6 else "?"
        if not 0 <= day.weekday <= 6:
            problems.append(FieldProblem(field, "A weekday is 0 (Monday) to 6 (Sunday)."))
            continue
        if day.start >= day.end:
            problems.append(FieldProblem(field, f"On {name} the day must end after it starts."))
            continue
        previous_end = day.start
        for rest in sorted(day.breaks, key=lambda b: b.start):
            if not day.start < rest.start < rest.end < day.end or rest.start < previous_end:
                problems.append(
                    FieldProblem(
                        f"{field}.breaks",
                        f"On {name} the break {rest.describe()} must lie inside the hours "
                        f"{day.hours.describe()} and not overlap another break.",
                    )
                )
                break
            previous_end = rest.end
    return problems


def _at(day: date, moment: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def working_periods(
    day: date, hours: WorkingHours, zone: tzinfo
) -> tuple[tuple[datetime, datetime], ...]:
    """The UTC stretches of the day the practitioner works, breaks taken out."""
    today = hours.on(day)
    if today is None:
        return ()
    periods = []
    cursor = today.start
    for rest in sorted(today.breaks, key=lambda b: b.start):
        periods.append((_at(day, cursor, zone), _at(day, rest.start, zone)))
        cursor = rest.end
    periods.append((_at(day, cursor, zone), _at(day, today.end, zone)))
    return tuple(periods)


def working_hours_warnings(
    appointment: Appointment, hours: WorkingHours, zone: tzinfo, who: str = "The practitioner"
) -> tuple[str, ...]:
    """Plain warnings when an appointment falls outside the practitioner's hours."""
    start, end = appointment.start_utc, appointment.end_utc
    local_start = start.astimezone(zone)
    day = local_start.date()
    if day in hours.days_off:
        return (f"{who} is off on {day.isoformat()}.",)
    today = hours.on(day)
    if today is None:
        return (f"{who} does not work on {calendar.day_name[day.weekday()]}s.",)
    warnings = []
    if end.astimezone(zone).date() != day:
        warnings.append("It ends on the next day, outside working hours.")
    elif end > _at(day, today.end, zone):
        warnings.append(f"It ends after working hours ({today.hours.describe()}).")
    if start < _at(day, today.start, zone):
        warnings.insert(0, f"It starts before working hours ({today.hours.describe()}).")
    for rest in today.breaks:
        if start < _at(day, rest.end, zone) and _at(day, rest.start, zone) < end:
            warnings.append(f"It overlaps the break {rest.describe()}.")
    return tuple(warnings)


def free_slots(
    day: date,
    hours: WorkingHours,
    length_minutes: int,
    booked: Sequence[Appointment],
    zone: tzinfo,
    step_minutes: int = SLOT_STEP_MINUTES,
) -> tuple[datetime, ...]:
    """Start times (in the clinic's zone) where `length_minutes` fit inside working time
    without overlapping any appointment in `booked` that takes time."""
    length, step = timedelta(minutes=length_minutes), timedelta(minutes=step_minutes)
    taken = [(a.start_utc, a.end_utc) for a in booked if a.takes_time]
    found = []
    for period_start, period_end in working_periods(day, hours, zone):
        slot = period_start
        while slot + length <= period_end:
            if not any(slot < end and begin < slot + length for begin, end in taken):
                found.append(slot.astimezone(zone))
            slot += step
    return tuple(found)


def propose_course_dates(
    window: DateWindow, hours: WorkingHours, *, not_before: date | None = None
) -> tuple[date, ...]:
    """The days inside the course window on which the practitioner works."""
    return tuple(
        day
        for day in window.days()
        if hours.on(day) is not None and (not_before is None or day >= not_before)
    )


def propose_course_slots(
    window: DateWindow,
    hours: WorkingHours,
    length_minutes: int,
    booked: Sequence[Appointment],
    zone: tzinfo,
    *,
    not_before: date | None = None,
    limit: int = 5,
) -> tuple[datetime, ...]:
    """The first free slot on each working day of the window, earliest first."""
    found = []
    for day in propose_course_dates(window, hours, not_before=not_before):
        slots = free_slots(day, hours, length_minutes, booked, zone)
        if slots:
            found.append(slots[0])
        if len(found) >= limit:
            break
    return tuple(found)
