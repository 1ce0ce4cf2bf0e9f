"""A course of treatment: N sessions for an indication, an interval window between them,
"session k of N", due and overdue, the yearly maintenance recall, and the progression
of settings for the timeline.

The defaults are data (the protocol file's "courses" section, editable per clinic).
Windows are whole days: the next session may be booked from `earliest` to `latest`,
both included; it is overdue from the day after `latest`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from clinic_desk.domain.catalogue_data import CatalogueError, FieldProblem, Reader
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.screening import add_months

MAX_PLANNED_SESSIONS = 12
MIN_INTERVAL_DAYS = 7
MAX_INTERVAL_DAYS = 182
DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class CourseDefaults:
    planned_sessions: int
    min_sessions: int
    max_sessions: int
    interval_min_days: int
    interval_max_days: int


@dataclass(frozen=True, slots=True)
class CourseRules:
    default: CourseDefaults
    by_indication: Mapping[str, CourseDefaults]
    maintenance_after_months: int

    def for_indication(self, indication: str) -> CourseDefaults:
        return self.by_indication.get(indication, self.default)


@dataclass(frozen=True, slots=True)
class CoursePlan:
    indication: str
    planned_sessions: int
    interval_min_days: int
    interval_max_days: int
    maintenance_after_months: int


def plan_course(rules: CourseRules, indication: str) -> CoursePlan:
    """A new course with the clinic's defaults for the indication (then editable)."""
    d = rules.for_indication(indication)
    return CoursePlan(
        indication,
        d.planned_sessions,
        d.interval_min_days,
        d.interval_max_days,
        rules.maintenance_after_months,
    )


def course_plan_problems(plan: CoursePlan) -> list[FieldProblem]:
    problems = []
    if not 1 <= plan.planned_sessions <= MAX_PLANNED_SESSIONS:
        problems.append(
            FieldProblem(
                "planned_sessions", f"Plan 1 to {MAX_PLANNED_SESSIONS} sessions for a course."
            )
        )
    if not MIN_INTERVAL_DAYS <= plan.interval_min_days <= MAX_INTERVAL_DAYS:
        problems.append(
            FieldProblem(
                "interval_min_days",
                f"Sessions are {MIN_INTERVAL_DAYS} to {MAX_INTERVAL_DAYS} days apart.",
            )
        )
    elif not plan.interval_min_days <= plan.interval_max_days <= MAX_INTERVAL_DAYS:
        problems.append(
            FieldProblem(
                "interval_max_days",
                f"The longest interval is from {plan.interval_min_days} to "
                f"{MAX_INTERVAL_DAYS} days.",
            )
        )
    if not 1 <= plan.maintenance_after_months <= 36:
        problems.append(
            FieldProblem("maintenance_after_months", "A recall comes 1 to 36 months later.")
        )
    return problems


def session_label(number: int, planned: int) -> str:
    if number <= planned:
        return f"Session {number} of {planned}"
    return f"Session {number} ({planned} planned)"


class WindowPosition(StrEnum):
    BEFORE = "before"
    INSIDE = "inside"
    AFTER = "after"


@dataclass(frozen=True, slots=True)
class DateWindow:
    earliest: date
    latest: date

    def position(self, day: date) -> WindowPosition:
        if day < self.earliest:
            return WindowPosition.BEFORE
        if day > self.latest:
            return WindowPosition.AFTER
        return WindowPosition.INSIDE

    def contains(self, day: date) -> bool:
        return self.position(day) is WindowPosition.INSIDE

    def days(self) -> tuple[date, ...]:
        count = (self.latest - self.earliest).days
        return tuple(self.earliest + timedelta(days=i) for i in range(count + 1))

    def explain(self, day: date, fmt: DateFormat | str = DateFormat.ISO) -> str | None:
        """Plain words when `day` falls outside the window, dates in the clinic's format;
        None inside it."""
        def shown(d: date) -> str:
            return format_date(d, fmt)

        span = f"({shown(self.earliest)} to {shown(self.latest)})"
        match self.position(day):
            case WindowPosition.BEFORE:
                gap = (self.earliest - day).days
                return f"{shown(day)} is {_days(gap)} before the advised window {span}."
            case WindowPosition.AFTER:
                gap = (day - self.latest).days
                return f"{shown(day)} is {_days(gap)} after the advised window {span}."
        return None


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def next_window(plan: CoursePlan, last_session_on: date) -> DateWindow:
    return DateWindow(
        last_session_on + timedelta(days=plan.interval_min_days),
        last_session_on + timedelta(days=plan.interval_max_days),
    )


class CourseState(StrEnum):
    NOT_STARTED = "not_started"
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETE = "complete"
    RECALL_DUE = "recall_due"


STATE_LABELS = {
    CourseState.NOT_STARTED: "Not started",
    CourseState.NOT_YET_DUE: "Next session not yet due",
    CourseState.DUE: "Next session due",
    CourseState.OVERDUE: "Next session overdue",
    CourseState.COMPLETE: "Course complete",
    CourseState.RECALL_DUE: "Maintenance recall due",
}


@dataclass(frozen=True, slots=True)
class CourseProgress:
    state: CourseState
    sessions_done: int
    planned_sessions: int
    next_window: DateWindow | None
    recall_on: date | None

    @property
    def next_label(self) -> str | None:
        """"Session 3 of 4" for the next session of an unfinished course."""
        if self.sessions_done >= self.planned_sessions:
            return None
        return session_label(self.sessions_done + 1, self.planned_sessions)


def course_progress(plan: CoursePlan, session_dates: Sequence[date], on: date) -> CourseProgress:
    """Where the course stands on `on`. Sessions past N (maintenance) move the recall on."""
    done = len(session_dates)
    if done == 0:
        return CourseProgress(CourseState.NOT_STARTED, 0, plan.planned_sessions, None, None)
    last = max(session_dates)
    if done >= plan.planned_sessions:
        recall = add_months(last, plan.maintenance_after_months)
        state = CourseState.RECALL_DUE if on >= recall else CourseState.COMPLETE
        return CourseProgress(state, done, plan.planned_sessions, None, recall)
    window = next_window(plan, last)
    state = {
        WindowPosition.BEFORE: CourseState.NOT_YET_DUE,
        WindowPosition.INSIDE: CourseState.DUE,
        WindowPosition.AFTER: CourseState.OVERDUE,
    }[window.position(on)]
    return CourseProgress(state, done, plan.planned_sessions, window, None)


@dataclass(frozen=True, slots=True)
class AreaSetting:
    area: str
    needle_depth_mm: Decimal
    rf_energy: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CourseSession:
    on: date
    settings: tuple[AreaSetting, ...]
    energy_unit: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    number: int
    label: str
    on: date
    depth_mm: Mapping[str, Decimal]
    rf_energy: Mapping[str, Decimal]
    energy_unit: str | None
    # Per area, the depth change from the last session that treated it.
    depth_change_mm: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Progression:
    entries: tuple[TimelineEntry, ...]
    areas: tuple[str, ...]

    def depth_series(self, area: str) -> tuple[tuple[date, Decimal | None], ...]:
        return tuple((e.on, e.depth_mm.get(area)) for e in self.entries)

    def rf_series(self, area: str) -> tuple[tuple[date, Decimal | None], ...]:
        return tuple((e.on, e.rf_energy.get(area)) for e in self.entries)


def progression(planned_sessions: int, sessions: Sequence[CourseSession]) -> Progression:
    """The settings of each session in date order, for a timeline at a glance."""
    entries = []
    areas: list[str] = []
    last_depth: dict[str, Decimal] = {}
    for number, session in enumerate(sorted(sessions, key=lambda s: s.on), start=1):
        depths = {s.area: s.needle_depth_mm for s in session.settings}
        energies = {s.area: s.rf_energy for s in session.settings if s.rf_energy is not None}
        changes = {a: d - last_depth[a] for a, d in depths.items() if a in last_depth}
        areas += [a for a in depths if a not in areas]
        last_depth.update(depths)
        entries.append(
            TimelineEntry(
                number,
                session_label(number, planned_sessions),
                session.on,
                depths,
                energies,
                session.energy_unit,
                changes,
            )
        )
    return Progression(tuple(entries), tuple(areas))


def parse_course_rules(reader: Reader, indications: Sequence[str]) -> CourseRules:
    default = _defaults(reader, None)
    table = reader.child("by_indication") if reader.has("by_indication") else None
    by_indication = {}
    if table is not None:
        for key in table.raw:
            if key not in indications:
                raise table.fail(key, "is not one of the indications")
            by_indication[key] = _defaults(table.child(key), default)
    months = reader.integer("maintenance_after_months")
    if not 1 <= months <= 36:
        raise reader.fail("maintenance_after_months", "must be 1 to 36")
    return CourseRules(default, by_indication, months)


def _defaults(reader: Reader, base: CourseDefaults | None) -> CourseDefaults:
    """The default course, or an indication's (each block given replaces the default's)."""
    if base is None or reader.has("sessions"):
        block = reader.child("sessions")
        planned, low, high = block.integer("planned"), block.integer("min"), block.integer("max")
    else:
        planned, low, high = base.planned_sessions, base.min_sessions, base.max_sessions
    if base is None or reader.has("interval_weeks"):
        block = reader.child("interval_weeks")
        shortest = block.integer("min") * DAYS_PER_WEEK
        longest = block.integer("max") * DAYS_PER_WEEK
    else:
        shortest, longest = base.interval_min_days, base.interval_max_days
    if not 1 <= low <= planned <= high <= MAX_PLANNED_SESSIONS:
        raise CatalogueError(
            reader.at("sessions"), f"needs 1 <= min <= planned <= max <= {MAX_PLANNED_SESSIONS}"
        )
    if not MIN_INTERVAL_DAYS <= shortest <= longest <= MAX_INTERVAL_DAYS:
        raise CatalogueError(reader.at("interval_weeks"), "needs 1 <= min <= max <= 26 weeks")
    return CourseDefaults(planned, low, high, shortest, longest)
