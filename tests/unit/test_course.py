"""Course of treatment: defaults, "session k of N", window edges, recall, progression."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from clinic_desk.catalogue_treatment import protocol
from clinic_desk.domain.course import (
    MAX_INTERVAL_DAYS,
    MAX_PLANNED_SESSIONS,
    MIN_INTERVAL_DAYS,
    STATE_LABELS,
    AreaSetting,
    CoursePlan,
    CourseSession,
    CourseState,
    DateWindow,
    WindowPosition,
    course_plan_problems,
    course_progress,
    next_window,
    plan_course,
    progression,
    session_label,
)

PLAN = CoursePlan("scars", planned_sessions=3, interval_min_days=28, interval_max_days=42,
                  maintenance_after_months=12)
FIRST = date(2026, 1, 5)


def test_new_courses_take_the_protocols_defaults() -> None:
    rules = protocol().courses
    assert plan_course(rules, "hair_loss") == CoursePlan("hair_loss", 4, 28, 42, 12)
    assert plan_course(rules, "scars").planned_sessions == 6
    assert plan_course(rules, "fine_lines").planned_sessions == 3


def test_session_labels() -> None:
    assert session_label(1, 4) == "Session 1 of 4"
    assert session_label(4, 4) == "Session 4 of 4"
    assert session_label(5, 4) == "Session 5 (4 planned)"


def test_next_window_from_the_last_session() -> None:
    window = next_window(PLAN, FIRST)
    assert window == DateWindow(date(2026, 2, 2), date(2026, 2, 16))
    assert len(window.days()) == 15
    assert window.days()[0] == window.earliest and window.days()[-1] == window.latest


@pytest.mark.parametrize(
    ("offset", "state", "position"),
    [
        (27, CourseState.NOT_YET_DUE, WindowPosition.BEFORE),
        (28, CourseState.DUE, WindowPosition.INSIDE),
        (42, CourseState.DUE, WindowPosition.INSIDE),
        (43, CourseState.OVERDUE, WindowPosition.AFTER),
    ],
)
def test_due_and_overdue_at_the_window_edges(
    offset: int, state: CourseState, position: WindowPosition
) -> None:
    on = FIRST + timedelta(days=offset)
    progress = course_progress(PLAN, [FIRST], on)
    assert progress.state is state
    assert progress.next_window is not None
    assert progress.next_window.position(on) is position
    assert progress.next_window.contains(on) is (position is WindowPosition.INSIDE)
    assert progress.next_label == "Session 2 of 3"
    assert progress.recall_on is None


def test_window_explains_dates_outside_it() -> None:
    window = DateWindow(date(2026, 2, 2), date(2026, 2, 16))
    assert window.explain(date(2026, 2, 2)) is None
    assert window.explain(date(2026, 2, 16)) is None
    assert window.explain(date(2026, 2, 1)) == (
        "2026-02-01 is 1 day before the advised window (2026-02-02 to 2026-02-16)."
    )
    assert window.explain(date(2026, 1, 30)) == (
        "2026-01-30 is 3 days before the advised window (2026-02-02 to 2026-02-16)."
    )
    assert window.explain(date(2026, 2, 17)) == (
        "2026-02-17 is 1 day after the advised window (2026-02-02 to 2026-02-16)."
    )
    assert window.explain(date(2026, 2, 17), "DD.MM.YYYY") == (
        "17.02.2026 is 1 day after the advised window (02.02.2026 to 16.02.2026)."
    )
    assert window.explain(date(2026, 2, 20)).startswith("2026-02-20 is 4 days after")  # type: ignore[union-attr]


def test_not_started() -> None:
    progress = course_progress(PLAN, [], FIRST)
    assert progress.state is CourseState.NOT_STARTED
    assert progress.next_window is None and progress.next_label == "Session 1 of 3"


def test_the_window_counts_from_the_latest_session_whatever_the_order() -> None:
    second = date(2026, 2, 10)
    progress = course_progress(PLAN, [second, FIRST], date(2026, 3, 10))
    assert progress.sessions_done == 2
    assert progress.next_window == DateWindow(date(2026, 3, 10), date(2026, 3, 24))
    assert progress.state is CourseState.DUE
    assert progress.next_label == "Session 3 of 3"


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2027, 3, 9), CourseState.COMPLETE),
        (date(2027, 3, 10), CourseState.RECALL_DUE),
        (date(2027, 3, 11), CourseState.RECALL_DUE),
    ],
)
def test_maintenance_recall_a_year_after_the_last_session(on: date, state: CourseState) -> None:
    dates = [FIRST, date(2026, 2, 10), date(2026, 3, 10)]
    progress = course_progress(PLAN, dates, on)
    assert progress.state is state
    assert progress.recall_on == date(2027, 3, 10)
    assert progress.next_window is None and progress.next_label is None


def test_a_maintenance_session_moves_the_recall_on() -> None:
    dates = [FIRST, date(2026, 2, 10), date(2026, 3, 10), date(2027, 3, 20)]
    progress = course_progress(PLAN, dates, date(2027, 4, 1))
    assert progress.state is CourseState.COMPLETE
    assert progress.recall_on == date(2028, 3, 20)


def test_recall_from_29_february() -> None:
    plan = CoursePlan("scars", 1, 28, 42, 12)
    assert course_progress(plan, [date(2028, 2, 29)], date(2028, 3, 1)).recall_on == (
        date(2029, 2, 28)
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_sessions": 0}, "planned_sessions"),
        ({"planned_sessions": MAX_PLANNED_SESSIONS + 1}, "planned_sessions"),
        ({"interval_min_days": MIN_INTERVAL_DAYS - 1}, "interval_min_days"),
        ({"interval_min_days": MAX_INTERVAL_DAYS + 1, "interval_max_days": 200},
         "interval_min_days"),
        ({"interval_min_days": 30, "interval_max_days": 29}, "interval_max_days"),
        ({"interval_max_days": MAX_INTERVAL_DAYS + 1}, "interval_max_days"),
        ({"maintenance_after_months": 0}, "maintenance_after_months"),
        ({"maintenance_after_months": 37}, "maintenance_after_months"),
    ],
)
def test_course_plan_problems(change: dict[str, int], field: str) -> None:
    values = {"indication": "scars", "planned_sessions": 3, "interval_min_days": 28,
              "interval_max_days": 42, "maintenance_after_months": 12} | change
    assert [p.field for p in course_plan_problems(CoursePlan(**values))] == [field]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"planned_sessions": 1},
        {"planned_sessions": MAX_PLANNED_SESSIONS},
        {"interval_min_days": MIN_INTERVAL_DAYS, "interval_max_days": MIN_INTERVAL_DAYS},
        {"interval_min_days": MAX_INTERVAL_DAYS, "interval_max_days": MAX_INTERVAL_DAYS},
        {"maintenance_after_months": 1},
        {"maintenance_after_months": 36},
    ],
)
def test_course_plan_edges_that_hold(change: dict[str, int]) -> None:
    values = {"indication": "scars", "planned_sessions": 3, "interval_min_days": 28,
              "interval_max_days": 42, "maintenance_after_months": 12} | change
    assert course_plan_problems(CoursePlan(**values)) == []  # type: ignore[arg-type]


def test_bounds_constants() -> None:
    assert (MAX_PLANNED_SESSIONS, MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS) == (12, 7, 182)
    assert len(STATE_LABELS) == len(CourseState)
    assert STATE_LABELS[CourseState.OVERDUE] == "Next session overdue"


def test_progression_for_the_timeline() -> None:
    sessions = [
        CourseSession(date(2026, 2, 10), (AreaSetting("cheeks", D("1.75"), D(6)),
                                          AreaSetting("forehead", D("0.5"))), "level"),
        CourseSession(FIRST, (AreaSetting("cheeks", D("1.5"), D(5)),), "level"),
        CourseSession(date(2026, 3, 10), (AreaSetting("forehead", D("0.75")),
                                          AreaSetting("cheeks", D("1.5")))),
    ]
    result = progression(3, sessions)
    assert [e.on for e in result.entries] == [FIRST, date(2026, 2, 10), date(2026, 3, 10)]
    assert [e.label for e in result.entries] == [
        "Session 1 of 3", "Session 2 of 3", "Session 3 of 3",
    ]
    assert result.areas == ("cheeks", "forehead")
    assert result.entries[1].depth_change_mm == {"cheeks": D("0.25")}
    assert result.entries[2].depth_change_mm == {"forehead": D("0.25"), "cheeks": D("-0.25")}
    assert result.entries[0].depth_change_mm == {}
    assert result.depth_series("forehead") == (
        (FIRST, None), (date(2026, 2, 10), D("0.5")), (date(2026, 3, 10), D("0.75")),
    )
    assert result.rf_series("cheeks") == (
        (FIRST, D(5)), (date(2026, 2, 10), D(6)), (date(2026, 3, 10), None),
    )
    assert result.entries[0].energy_unit == "level" and result.entries[2].energy_unit is None
    assert result.entries[2].rf_energy == {}
    assert progression(3, []).entries == ()


def test_course_plan_problem_messages() -> None:
    plan = CoursePlan("scars", 0, 30, 29, 0)
    assert [(p.field, p.message) for p in course_plan_problems(plan)] == [
        ("planned_sessions", "Plan 1 to 12 sessions for a course."),
        ("interval_max_days", "The longest interval is from 30 to 182 days."),
        ("maintenance_after_months", "A recall comes 1 to 36 months later."),
    ]
    short = CoursePlan("scars", 3, 6, 42, 12)
    assert [p.message for p in course_plan_problems(short)] == [
        "Sessions are 7 to 182 days apart."
    ]


def test_timeline_entries_are_numbered() -> None:
    sessions = [CourseSession(FIRST, (AreaSetting("cheeks", D(1)),)),
                CourseSession(date(2026, 2, 5), (AreaSetting("cheeks", D(1)),))]
    assert [e.number for e in progression(2, sessions).entries] == [1, 2]
