"""Working hours: warnings at the edges, breaks, days off, free slots (DST nights too)
and course-session date proposals inside the course window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic_desk.domain.booking import Appointment, AppointmentKind, AppointmentStatus
from clinic_desk.domain.course import DateWindow
from clinic_desk.domain.working_hours import (
    SLOT_STEP_MINUTES,
    DayHours,
    Period,
    WorkingHours,
    free_slots,
    propose_course_dates,
    propose_course_slots,
    working_hours_problems,
    working_hours_warnings,
    working_periods,
)

ZONE = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
LUNCH = Period(time(12), time(13))
HOURS = WorkingHours(
    days=(
        DayHours(0, time(9), time(17), (LUNCH,)),  # Monday
        DayHours(1, time(9), time(17), (LUNCH,)),
        DayHours(3, time(13), time(20)),  # Thursday afternoon
    ),
    days_off=frozenset({date(2026, 11, 24)}),
)


def at(hour: int, minute: int = 0, day: date = MONDAY, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=ZONE)


def booking(start: datetime, length: int = 30, **change: object) -> Appointment:
    base = Appointment(1, 10, 100, start, length, AppointmentKind.MICRONEEDLING)
    return replace(base, **change)  # type: ignore[arg-type]


def warnings(start: datetime, length: int = 30) -> tuple[str, ...]:
    return working_hours_warnings(booking(start, length), HOURS, ZONE, who="Dr Lee")


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (at(9), 30, ()),
        (at(8, 59), 30, ("It starts before working hours (09:00–17:00).",)),
        (at(16, 30), 30, ()),
        (at(16, 31), 30, ("It ends after working hours (09:00–17:00).",)),
        (at(11, 30), 30, ()),  # ends as the break starts
        (at(11, 31), 30, ("It overlaps the break 12:00–13:00.",)),
        (at(13), 30, ()),  # starts as the break ends
        (at(12, 59), 30, ("It overlaps the break 12:00–13:00.",)),
        (at(12, 15), 15, ("It overlaps the break 12:00–13:00.",)),
        (
            at(8, 30),
            9 * 60,
            (
                "It starts before working hours (09:00–17:00).",
                "It ends after working hours (09:00–17:00).",
                "It overlaps the break 12:00–13:00.",
            ),
        ),
        (at(23, 45), 30, ("It ends on the next day, outside working hours.",)),
        (at(17), 30, ("It ends after working hours (09:00–17:00).",)),
    ],
)
def test_working_hours_warnings_at_the_edges(
    start: datetime, length: int, expected: tuple[str, ...]
) -> None:
    assert warnings(start, length) == expected


def test_not_a_working_day_and_days_off() -> None:
    assert warnings(at(10, day=date(2026, 11, 25))) == ("Dr Lee does not work on Wednesdays.",)
    assert warnings(at(10, day=date(2026, 11, 24))) == ("Dr Lee is off on 2026-11-24.",)
    assert working_hours_warnings(booking(at(10, day=date(2026, 11, 25))), HOURS, ZONE) == (
        "The practitioner does not work on Wednesdays.",
    )
    assert warnings(at(13, day=date(2026, 11, 26))) == ()
    assert warnings(at(12, day=date(2026, 11, 26))) == (
        "It starts before working hours (13:00–20:00).",
    )


def test_hours_are_read_in_the_clinics_zone() -> None:
    # 09:00 London in summer is 08:00 UTC.
    summer = date(2026, 7, 6)  # a Monday
    utc = ZoneInfo("UTC")
    assert working_hours_warnings(booking(datetime(2026, 7, 6, 8, 0, tzinfo=utc)), HOURS,
                                  ZONE) == ()
    assert working_hours_warnings(booking(datetime(2026, 7, 6, 7, 59, tzinfo=utc)), HOURS,
                                  ZONE) != ()
    assert working_periods(summer, HOURS, ZONE)[0][0] == datetime(2026, 7, 6, 8, 0, tzinfo=utc)


def test_working_periods_take_out_breaks() -> None:
    periods = working_periods(MONDAY, HOURS, ZONE)
    assert [(a.astimezone(ZONE).time(), b.astimezone(ZONE).time()) for a, b in periods] == [
        (time(9), time(12)), (time(13), time(17)),
    ]
    assert working_periods(date(2026, 11, 24), HOURS, ZONE) == ()
    assert working_periods(date(2026, 11, 25), HOURS, ZONE) == ()


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        (WorkingHours((DayHours(0, time(9), time(17)), DayHours(0, time(9), time(12)))), "days"),
        (WorkingHours((DayHours(7, time(9), time(17)),)), "days.7"),
        (WorkingHours((DayHours(-1, time(9), time(17)),)), "days.-1"),
        (WorkingHours((DayHours(0, time(17), time(9)),)), "days.0"),
        (WorkingHours((DayHours(0, time(9), time(9)),)), "days.0"),
        (WorkingHours((DayHours(0, time(9), time(17), (Period(time(8), time(10)),)),)),
         "days.0.breaks"),
        (WorkingHours((DayHours(0, time(9), time(17), (Period(time(9), time(10)),)),)),
         "days.0.breaks"),
        (WorkingHours((DayHours(0, time(9), time(17), (Period(time(16), time(17)),)),)),
         "days.0.breaks"),
        (WorkingHours((DayHours(0, time(9), time(17), (Period(time(12), time(12)),)),)),
         "days.0.breaks"),
        (WorkingHours((DayHours(0, time(9), time(17),
                                (Period(time(12), time(13)), Period(time(12, 30), time(14)))),)),
         "days.0.breaks"),
    ],
)
def test_working_hours_problems(hours: WorkingHours, field: str) -> None:
    assert [p.field for p in working_hours_problems(hours)] == [field]


def test_sound_working_hours() -> None:
    assert working_hours_problems(HOURS) == []
    two_breaks = WorkingHours((DayHours(6, time(9), time(17), (
        Period(time(15), time(15, 15)), Period(time(12), time(13)))),))
    assert working_hours_problems(two_breaks) == []
    touching = WorkingHours((DayHours(0, time(9), time(17), (
        Period(time(12), time(13)), Period(time(13), time(13, 30)))),))
    assert working_hours_problems(touching) == []


def test_problem_messages_name_the_weekday() -> None:
    bad = WorkingHours((DayHours(2, time(17), time(9)),))
    assert working_hours_problems(bad)[0].message == (
        "On Wednesday the day must end after it starts."
    )


# ---- free slots --------------------------------------------------------------------


def test_free_slots_skip_the_break_and_booked_time() -> None:
    slots = free_slots(MONDAY, HOURS, 30, [booking(at(9, 30), 60)], ZONE)
    times = [s.strftime("%H:%M") for s in slots]
    assert SLOT_STEP_MINUTES == 15
    assert times[:3] == ["09:00", "10:30", "10:45"]
    assert "11:30" in times and "11:45" not in times  # 11:45 would run into the break
    assert "12:00" not in times and "13:00" in times
    assert times[-1] == "16:30"
    assert all(s.tzinfo is ZONE for s in slots)


def test_cancelled_bookings_free_their_slot() -> None:
    cancelled = booking(at(9), 60, status=AppointmentStatus.CANCELLED, cancel_reason="ill")
    assert free_slots(MONDAY, HOURS, 30, [cancelled], ZONE)[0] == at(9)


def test_no_slots_on_a_day_off_or_when_too_long() -> None:
    assert free_slots(date(2026, 11, 24), HOURS, 30, [], ZONE) == ()
    assert free_slots(MONDAY, HOURS, 4 * 60 + 15, [], ZONE) == ()
    assert free_slots(MONDAY, HOURS, 4 * 60, [], ZONE) == (at(13),)


NIGHT = WorkingHours((DayHours(6, time(0), time(4)),))  # Sunday night shift, to test DST


def test_slots_when_the_clocks_go_forward() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST; 00:00-04:00 is three real hours.
    slots = free_slots(date(2026, 3, 29), NIGHT, 30, [], ZONE, step_minutes=30)
    assert [s.strftime("%H:%M") for s in slots] == [
        "00:00", "00:30", "02:00", "02:30", "03:00", "03:30",
    ]


def test_slots_when_the_clocks_go_back() -> None:
    # 25 October 2026: 02:00 BST becomes 01:00 GMT; 00:00-04:00 is five real hours.
    slots = free_slots(date(2026, 10, 25), NIGHT, 30, [], ZONE, step_minutes=30)
    assert [s.strftime("%H:%M") for s in slots] == [
        "00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30",
    ]
    assert [s.fold for s in slots[2:6]] == [0, 0, 1, 1]
    # A 30-minute booking at the first 01:30 leaves the second 01:00 free.
    taken = booking(at(1, 30, day=date(2026, 10, 25)))
    left = free_slots(date(2026, 10, 25), NIGHT, 30, [taken], ZONE, step_minutes=30)
    # Compared as instants: Python's == ignores fold between times of one zone.
    instants = [s.astimezone(UTC) for s in left]
    assert at(1, 0, day=date(2026, 10, 25), fold=1).astimezone(UTC) in instants
    assert at(1, 30, day=date(2026, 10, 25), fold=1).astimezone(UTC) in instants
    assert at(1, 30, day=date(2026, 10, 25)).astimezone(UTC) not in instants
    assert len(left) == 9


# ---- course-session proposals ------------------------------------------------------

WINDOW = DateWindow(date(2026, 11, 23), date(2026, 12, 4))  # Monday to the Friday after


def test_course_dates_inside_the_window_on_working_days_only() -> None:
    days = propose_course_dates(WINDOW, HOURS)
    assert days == (
        date(2026, 11, 23), date(2026, 11, 26),  # Tuesday the 24th is a day off
        date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 3),
    )
    assert all(WINDOW.contains(d) for d in days)
    assert propose_course_dates(WINDOW, HOURS, not_before=date(2026, 11, 27)) == (
        date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 3),
    )
    assert propose_course_dates(WINDOW, HOURS, not_before=date(2026, 11, 26))[0] == date(
        2026, 11, 26
    )
    edge = DateWindow(date(2026, 11, 25), date(2026, 11, 25))
    assert propose_course_dates(edge, HOURS) == ()


def test_course_slots_the_first_free_time_each_day() -> None:
    busy = [booking(at(9), 180)]
    slots = propose_course_slots(WINDOW, HOURS, 30, busy, ZONE, limit=3)
    assert slots == (at(13), at(13, day=date(2026, 11, 26)), at(9, day=date(2026, 11, 30)))
    assert len(propose_course_slots(WINDOW, HOURS, 30, [], ZONE)) == 5
    assert len(propose_course_slots(WINDOW, HOURS, 30, [], ZONE, limit=1)) == 1


def test_a_full_day_is_skipped() -> None:
    full = [booking(at(9), 180), booking(at(13), 240)]
    assert propose_course_slots(WINDOW, HOURS, 30, full, ZONE, limit=1) == (
        at(13, day=date(2026, 11, 26)),
    )


AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in November: far from UTC on purpose


def test_warnings_and_periods_in_a_zone_far_from_utc() -> None:
    def local(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, 23, hour, minute, tzinfo=AUCKLAND)

    def warn(start: datetime, length: int = 30) -> tuple[str, ...]:
        return working_hours_warnings(booking(start, length), HOURS, AUCKLAND)

    assert warn(local(9)) == ()
    assert warn(local(16, 31)) == ("It ends after working hours (09:00–17:00).",)
    assert warn(local(11, 31)) == ("It overlaps the break 12:00–13:00.",)
    assert warn(local(12, 59)) == ("It overlaps the break 12:00–13:00.",)
    assert warn(local(23, 45)) == ("It ends on the next day, outside working hours.",)
    assert warn(local(8, 59)) == ("It starts before working hours (09:00–17:00).",)
    # 08:00 on Tuesday in Auckland is still Monday in UTC: Tuesday the 24th is a day off.
    tuesday = datetime(2026, 11, 24, 8, 0, tzinfo=AUCKLAND)
    assert working_hours_warnings(booking(tuesday), HOURS, AUCKLAND) == (
        "The practitioner is off on 2026-11-24.",
    )
    unordered = WorkingHours((DayHours(0, time(9), time(17), (
        Period(time(15), time(15, 30)), Period(time(12), time(13)))),))
    periods = working_periods(MONDAY, unordered, AUCKLAND)
    assert [(a.astimezone(AUCKLAND).time(), b.astimezone(AUCKLAND).time())
            for a, b in periods] == [
        (time(9), time(12)), (time(13), time(15)), (time(15, 30), time(17)),
    ]


def test_working_hours_problem_messages() -> None:
    hours = WorkingHours((
        DayHours(7, time(9), time(17)),
        DayHours(0, time(17), time(9)),
        DayHours(6, time(9), time(17), (Period(time(8), time(10)),)),
        DayHours(6, time(9), time(17)),
    ))
    assert [(p.field, p.message) for p in working_hours_problems(hours)] == [
        ("days", "Each weekday may have one set of hours."),
        ("days.7", "A weekday is 0 (Monday) to 6 (Sunday)."),
        ("days.0", "On Monday the day must end after it starts."),
        ("days.6.breaks", "On Sunday the break 08:00–10:00 must lie inside the hours "
                          "09:00–17:00 and not overlap another break."),
    ]


def test_course_slots_stop_at_five_by_default_and_honour_not_before() -> None:
    long_window = DateWindow(date(2026, 11, 23), date(2026, 12, 31))
    slots = propose_course_slots(long_window, HOURS, 30, [], ZONE)
    assert len(slots) == 5 and slots[0] == at(9)
    later = propose_course_slots(long_window, HOURS, 30, [], ZONE, not_before=date(2026, 12, 1))
    assert later[0] == at(9, day=date(2026, 12, 1))


def test_course_slots_are_in_the_clinic_zone() -> None:
    slots = propose_course_slots(WINDOW, HOURS, 30, [], AUCKLAND, limit=1)
    assert slots == (datetime(2026, 11, 23, 9, tzinfo=AUCKLAND),)
    assert slots[0].utcoffset() == AUCKLAND.utcoffset(datetime(2026, 11, 23, 9))
