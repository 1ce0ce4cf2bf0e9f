"""The appointment book: clashes at every boundary, status changes, lateness, DST."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_desk.domain.booking import (
    FREEING_STATUSES,
    KIND_LABELS,
    MAX_LENGTH_MINUTES,
    MAX_REASON_CHARS,
    MIN_LENGTH_MINUTES,
    PUNCTUALITY_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    BookingNames,
    Clash,
    ClashKind,
    LatenessPolicy,
    Punctuality,
    appointment_problems,
    change_status,
    describe_clash,
    find_clashes,
    overlaps,
    punctuality,
    transition_refusal,
)
from clinic_desk.domain.errors import ValidationError

ZONE = ZoneInfo("Europe/London")
S = AppointmentStatus


def at(hour: int, minute: int = 0, day: int = 23, month: int = 11, fold: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, fold=fold, tzinfo=ZONE)


BOOKED = Appointment(patient_id=1, practitioner_id=10, room_id=100, start=at(10),
                     length_minutes=30, kind=AppointmentKind.RF_SESSION, id=1)
NAMES = BookingNames({1: "Anna Berg", 2: "Ben Cole"}, {10: "Dr Lee", 11: "Sam Ito"},
                     {100: "Room 1", 101: "Room 2"})


def other(start: datetime, length: int = 30, **change: object) -> Appointment:
    base = Appointment(patient_id=2, practitioner_id=11, room_id=101, start=start,
                       length_minutes=length, kind=AppointmentKind.CONSULTATION, id=2)
    return replace(base, **change)  # type: ignore[arg-type]


# ---- clashes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "length", "clash"),
    [
        (at(9, 30), 30, False),  # ends as BOOKED starts: touching
        (at(9, 31), 30, True),  # one minute of overlap
        (at(10, 30), 30, False),  # starts as BOOKED ends: touching
        (at(10, 29), 30, True),
        (at(10), 30, True),  # the same slot
        (at(10, 10), 5, True),  # inside
        (at(9), 120, True),  # around
        (at(9), 60, False),
        (at(9), 61, True),
    ],
)
def test_overlap_boundaries(start: datetime, length: int, clash: bool) -> None:
    candidate = other(start, length)
    assert overlaps(BOOKED, candidate) is clash
    assert overlaps(candidate, BOOKED) is clash


@pytest.mark.parametrize(
    ("change", "kinds"),
    [
        ({"practitioner_id": 10}, [ClashKind.PRACTITIONER]),
        ({"room_id": 100}, [ClashKind.ROOM]),
        ({"patient_id": 1}, [ClashKind.PATIENT]),
        ({"practitioner_id": 10, "room_id": 100, "patient_id": 1},
         [ClashKind.PRACTITIONER, ClashKind.ROOM, ClashKind.PATIENT]),
        ({}, []),
    ],
)
def test_clash_for_practitioner_room_and_patient(
    change: dict[str, int], kinds: list[ClashKind]
) -> None:
    candidate = other(at(10, 15), **change)
    assert [c.kind for c in find_clashes(candidate, [BOOKED])] == kinds
    assert all(c.other is BOOKED for c in find_clashes(candidate, [BOOKED]))


def test_touching_appointments_of_one_practitioner_do_not_clash() -> None:
    assert find_clashes(other(at(10, 30), practitioner_id=10), [BOOKED]) == ()
    assert find_clashes(other(at(9, 30), practitioner_id=10), [BOOKED]) == ()
    assert len(find_clashes(other(at(10, 29), practitioner_id=10), [BOOKED])) == 1


@pytest.mark.parametrize("status", list(AppointmentStatus))
def test_only_cancelled_and_no_show_free_their_time(status: AppointmentStatus) -> None:
    existing = replace(BOOKED, status=status)
    clashes = find_clashes(other(at(10), practitioner_id=10), [existing])
    frees = status in (S.CANCELLED, S.NO_SHOW)
    assert (clashes == ()) is frees
    assert existing.takes_time is not frees
    # A cancelled candidate clashes with nothing either.
    assert find_clashes(replace(other(at(10), practitioner_id=10), status=status),
                        [BOOKED]) == (() if frees else (Clash(ClashKind.PRACTITIONER, BOOKED),))


def test_freeing_statuses() -> None:
    assert frozenset({S.NO_SHOW, S.CANCELLED}) == FREEING_STATUSES


def test_moving_an_appointment_does_not_clash_with_itself() -> None:
    moved = replace(BOOKED, start=at(10, 15))
    assert find_clashes(moved, [BOOKED]) == ()
    new = replace(moved, id=None)
    assert len(find_clashes(new, [BOOKED])) == 3


def test_clash_named_in_words() -> None:
    def words(kind: ClashKind) -> str:
        return describe_clash(Clash(kind, BOOKED), NAMES, ZONE)

    assert words(ClashKind.PRACTITIONER) == (
        "Dr Lee is already booked 10:00–10:30 (Anna Berg, RF microneedling session)."
    )
    assert words(ClashKind.ROOM) == (
        "Room 1 is already taken 10:00–10:30 (Anna Berg, RF microneedling session)."
    )
    assert words(ClashKind.PATIENT) == (
        "Anna Berg already has an appointment 10:00–10:30 (RF microneedling session)."
    )
    unnamed = describe_clash(Clash(ClashKind.PRACTITIONER, BOOKED),
                             BookingNames({}, {}, {}), ZONE)
    assert unnamed == (
        "The practitioner is already booked 10:00–10:30 (another patient, "
        "RF microneedling session)."
    )
    assert describe_clash(Clash(ClashKind.ROOM, BOOKED), BookingNames({}, {}, {}),
                          ZONE).startswith("The room is already taken")


def test_clash_over_midnight_gives_the_dates() -> None:
    late = replace(BOOKED, start=at(23, 30), length_minutes=60)
    assert "2026-11-23 23:30 – 2026-11-24 00:30" in describe_clash(
        Clash(ClashKind.ROOM, late), NAMES, ZONE
    )


def test_clash_times_are_shown_in_the_clinics_zone() -> None:
    utc_start = replace(BOOKED, start=datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("UTC")))
    assert "10:00–10:30" in describe_clash(Clash(ClashKind.ROOM, utc_start), NAMES, ZONE)


# ---- DST: lengths are real minutes, comparisons in UTC -----------------------------


def test_a_30_minute_appointment_when_the_clocks_go_back() -> None:
    # 25 October 2026, London: 02:00 BST becomes 01:00 GMT; 01:00-02:00 happens twice.
    first = replace(BOOKED, start=at(1, 45, day=25, month=10))  # 01:45 BST = 00:45 UTC
    assert first.end_in(ZONE) == at(1, 15, day=25, month=10, fold=1)
    assert first.end_in(ZONE).utcoffset() == timedelta(0)
    # 01:15 GMT (the second 01:15) starts when the first ends: touching, no clash.
    second = other(at(1, 15, day=25, month=10, fold=1), practitioner_id=10)
    assert not overlaps(first, second)
    # The first 01:30 (BST) is a quarter of an hour earlier and overlaps; the first
    # 01:15 (BST) ends as it starts.
    assert overlaps(first, other(at(1, 30, day=25, month=10), practitioner_id=10))
    assert not overlaps(first, other(at(1, 15, day=25, month=10), practitioner_id=10))
    # On the wall clock 01:45-01:15 looks empty; the repeated hour is real time.
    assert overlaps(first, other(at(1, 0, day=25, month=10, fold=1), practitioner_id=10))


def test_a_30_minute_appointment_when_the_clocks_go_forward() -> None:
    # 29 March 2026, London: 01:00 GMT becomes 02:00 BST.
    early = replace(BOOKED, start=at(0, 45, day=29, month=3))
    assert early.end_in(ZONE) == at(2, 15, day=29, month=3)
    later = other(at(2, 15, day=29, month=3), practitioner_id=10)
    assert not overlaps(early, later)
    assert overlaps(early, other(at(2, 14, day=29, month=3), practitioner_id=10))


def test_times_must_carry_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        replace(BOOKED, start=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValueError, match="time zone"):
        punctuality(BOOKED, datetime(2026, 11, 23, 10, 0), LatenessPolicy())
    with pytest.raises(ValueError, match="time zone"):
        change_status(BOOKED, S.ARRIVED, now=datetime(2026, 11, 23, 10, 0), zone=ZONE)


# ---- appointment problems ----------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "ok"),
    [(MIN_LENGTH_MINUTES - 1, False), (MIN_LENGTH_MINUTES, True), (MAX_LENGTH_MINUTES, True),
     (MAX_LENGTH_MINUTES + 1, False)],
)
def test_length_bounds(length: int, ok: bool) -> None:
    problems = appointment_problems(replace(BOOKED, length_minutes=length))
    assert (problems == []) is ok
    assert (MIN_LENGTH_MINUTES, MAX_LENGTH_MINUTES) == (5, 480)


def test_a_cancelled_appointment_keeps_its_reason() -> None:
    assert [p.field for p in appointment_problems(replace(BOOKED, status=S.CANCELLED))] == [
        "cancel_reason"
    ]
    assert appointment_problems(replace(BOOKED, status=S.CANCELLED, cancel_reason="Ill")) == []
    too_long = replace(BOOKED, status=S.CANCELLED, cancel_reason="x" * (MAX_REASON_CHARS + 1))
    assert [p.field for p in appointment_problems(too_long)] == ["cancel_reason"]


# ---- status transitions ------------------------------------------------------------

ALLOWED = {
    (S.BOOKED, S.ARRIVED), (S.BOOKED, S.NO_SHOW), (S.BOOKED, S.CANCELLED),
    (S.ARRIVED, S.IN_TREATMENT), (S.ARRIVED, S.BOOKED), (S.ARRIVED, S.CANCELLED),
    (S.IN_TREATMENT, S.DONE),
    (S.NO_SHOW, S.ARRIVED),
}


@pytest.mark.parametrize("current", list(AppointmentStatus))
@pytest.mark.parametrize("wanted", list(AppointmentStatus))
def test_transition_table_every_pair(current: AppointmentStatus, wanted: AppointmentStatus) -> None:
    refusal = transition_refusal(current, wanted)
    assert (refusal is None) is ((current, wanted) in ALLOWED)
    assert (wanted in TRANSITIONS[current]) is ((current, wanted) in ALLOWED)
    if refusal is not None:
        assert refusal.endswith(".")


@pytest.mark.parametrize(
    ("current", "wanted", "message"),
    [
        (S.CANCELLED, S.ARRIVED, "A cancelled appointment cannot be checked in: book a new one."),
        (S.BOOKED, S.IN_TREATMENT, "Check the patient in before the treatment starts."),
        (S.BOOKED, S.DONE, "The patient has not been checked in or treated yet."),
        (S.ARRIVED, S.DONE, "The treatment has not started yet."),
        (S.IN_TREATMENT, S.CANCELLED,
         "The treatment has started: finish it and write what happened in the notes."),
        (S.ARRIVED, S.NO_SHOW, "The patient has arrived, so this is not a no-show."),
        (S.DONE, S.BOOKED, "This appointment is done and can no longer change."),
        (S.CANCELLED, S.BOOKED,
         "This appointment was cancelled and can no longer change: book a new one."),
        (S.BOOKED, S.BOOKED, "The appointment is already booked."),
        (S.IN_TREATMENT, S.BOOKED, "An appointment cannot go from in treatment to booked."),
        (S.NO_SHOW, S.CANCELLED, "An appointment cannot go from no-show to cancelled."),
    ],
)
def test_refusals_in_words(current: AppointmentStatus, wanted: AppointmentStatus,
                           message: str) -> None:
    assert transition_refusal(current, wanted) == message


def test_check_in_on_the_day() -> None:
    arrived = change_status(BOOKED, S.ARRIVED, now=at(9, 40), zone=ZONE)
    assert arrived.status is S.ARRIVED and arrived.id == BOOKED.id
    assert change_status(BOOKED, S.ARRIVED, now=at(0, 0), zone=ZONE).status is S.ARRIVED
    assert change_status(BOOKED, S.ARRIVED, now=at(23, 59), zone=ZONE).status is S.ARRIVED
    for now in (at(23, 59, day=22), at(0, 0, day=24)):
        with pytest.raises(ValidationError, match="on 2026-11-23: check in on that day only"):
            change_status(BOOKED, S.ARRIVED, now=now, zone=ZONE)


def test_check_in_day_is_the_clinics_day() -> None:
    # 00:30 London on 1 July is 23:30 UTC on 30 June: still the appointment's day.
    early = replace(BOOKED, start=at(9, day=1, month=7))
    now = datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert change_status(early, S.ARRIVED, now=now, zone=ZONE).status is S.ARRIVED


def test_a_cancelled_appointment_cannot_be_checked_in() -> None:
    cancelled = change_status(BOOKED, S.CANCELLED, now=at(8), zone=ZONE,
                              reason="  Patient   unwell ")
    assert cancelled.status is S.CANCELLED and cancelled.cancel_reason == "Patient unwell"
    with pytest.raises(ValidationError) as caught:
        change_status(cancelled, S.ARRIVED, now=at(9, 55), zone=ZONE)
    assert caught.value.field == "status"
    assert str(caught.value) == "A cancelled appointment cannot be checked in: book a new one."


def test_cancelling_needs_a_reason() -> None:
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            change_status(BOOKED, S.CANCELLED, now=at(8), zone=ZONE, reason=reason)
        assert caught.value.field == "cancel_reason"
    with pytest.raises(ValidationError, match="under 500"):
        change_status(BOOKED, S.CANCELLED, now=at(8), zone=ZONE,
                      reason="x" * (MAX_REASON_CHARS + 1))
    ok = change_status(BOOKED, S.CANCELLED, now=at(8), zone=ZONE, reason="x" * MAX_REASON_CHARS)
    assert len(ok.cancel_reason) == MAX_REASON_CHARS


@pytest.mark.parametrize(("now", "ok"), [(at(9, 59), False), (at(10), True), (at(11), True)])
def test_no_show_only_once_the_appointment_has_started(now: datetime, ok: bool) -> None:
    if ok:
        assert change_status(BOOKED, S.NO_SHOW, now=now, zone=ZONE).status is S.NO_SHOW
    else:
        with pytest.raises(ValidationError, match="not started yet"):
            change_status(BOOKED, S.NO_SHOW, now=now, zone=ZONE)


def test_the_whole_happy_path_and_undo() -> None:
    a = change_status(BOOKED, S.ARRIVED, now=at(9, 55), zone=ZONE)
    assert change_status(a, S.BOOKED, now=at(9, 56), zone=ZONE).status is S.BOOKED
    a = change_status(a, S.IN_TREATMENT, now=at(10), zone=ZONE)
    a = change_status(a, S.DONE, now=at(10, 30), zone=ZONE)
    assert a.status is S.DONE
    late = change_status(BOOKED, S.NO_SHOW, now=at(10, 40), zone=ZONE)
    assert change_status(late, S.ARRIVED, now=at(10, 45), zone=ZONE).status is S.ARRIVED


# ---- lateness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(9, 50), Punctuality.EXPECTED),
        (at(10, 9, ), Punctuality.EXPECTED),
        (at(10, 10), Punctuality.LATE),
        (at(10, 29), Punctuality.LATE),
        (at(10, 30), Punctuality.LIKELY_NO_SHOW),
        (at(12), Punctuality.LIKELY_NO_SHOW),
    ],
)
def test_late_and_likely_no_show(now: datetime, expected: Punctuality) -> None:
    assert punctuality(BOOKED, now, LatenessPolicy()) is expected


def test_lateness_seconds_before_the_boundary() -> None:
    policy = LatenessPolicy(late_after_minutes=5, no_show_after_minutes=15)
    assert punctuality(BOOKED, at(10, 4) + timedelta(seconds=59), policy) is Punctuality.EXPECTED
    assert punctuality(BOOKED, at(10, 5), policy) is Punctuality.LATE
    assert punctuality(BOOKED, at(10, 15), policy) is Punctuality.LIKELY_NO_SHOW


@pytest.mark.parametrize("status", [s for s in AppointmentStatus if s is not S.BOOKED])
def test_lateness_only_for_booked_patients(status: AppointmentStatus) -> None:
    assert punctuality(replace(BOOKED, status=status), at(12), LatenessPolicy()) is None


@pytest.mark.parametrize(("late", "no_show"), [(0, 30), (10, 10), (30, 10), (10, 241)])
def test_lateness_policy_bounds(late: int, no_show: int) -> None:
    with pytest.raises(ValueError):
        LatenessPolicy(late, no_show)


def test_lateness_policy_defaults_and_edges() -> None:
    assert LatenessPolicy() == LatenessPolicy(10, 30)
    LatenessPolicy(1, 2)
    LatenessPolicy(239, 240)


def test_labels_cover_every_value() -> None:
    assert len(KIND_LABELS) == len(AppointmentKind)
    assert len(STATUS_LABELS) == len(AppointmentStatus)
    assert len(PUNCTUALITY_LABELS) == len(Punctuality)
    assert STATUS_LABELS[S.NO_SHOW] == "No-show"
    assert PUNCTUALITY_LABELS[Punctuality.LIKELY_NO_SHOW] == "Not arrived (no-show?)"


def test_appointment_problem_messages_and_reason_edge() -> None:
    assert [(p.field, p.message) for p in appointment_problems(
        replace(BOOKED, length_minutes=4, status=S.CANCELLED))] == [
        ("length_minutes", "An appointment lasts 5 to 480 minutes."),
        ("cancel_reason", "Write why it was cancelled."),
    ]
    edge = replace(BOOKED, status=S.CANCELLED, cancel_reason="x" * MAX_REASON_CHARS)
    assert appointment_problems(edge) == []
    too_long = replace(edge, cancel_reason="x" * (MAX_REASON_CHARS + 1))
    assert [p.message for p in appointment_problems(too_long)] == [
        "Keep the reason under 500 characters."
    ]


def test_every_clash_in_the_book_is_found() -> None:
    cancelled = replace(BOOKED, id=5, status=S.CANCELLED, cancel_reason="ill")
    room = other(at(10), id=6, room_id=100)
    patient = other(at(10, 15), id=7, patient_id=1)
    moved = replace(BOOKED, start=at(10, 5))
    clashes = find_clashes(moved, [BOOKED, cancelled, room, other(at(12), id=8), patient])
    assert [(c.kind, c.other.id) for c in clashes] == [
        (ClashKind.ROOM, 6), (ClashKind.PATIENT, 7),
    ]


def test_refusals_name_the_status_field() -> None:
    for wanted, now, field in (
        (S.ARRIVED, at(9, day=24), "status"),
        (S.NO_SHOW, at(9), "status"),
    ):
        with pytest.raises(ValidationError) as caught:
            change_status(BOOKED, wanted, now=now, zone=ZONE)
        assert caught.value.field == field
    with pytest.raises(ValidationError) as caught:
        change_status(BOOKED, S.CANCELLED, now=at(8), zone=ZONE, reason="x" * 501)
    assert caught.value.field == "cancel_reason"
    with pytest.raises(ValidationError) as caught:
        change_status(BOOKED, S.DONE, now=at(8), zone=ZONE)
    assert caught.value.field == "status"


def test_check_in_day_far_from_utc() -> None:
    auckland = ZoneInfo("Pacific/Auckland")
    # 09:00 on 24 November in Auckland is 20:00 UTC on 23 November.
    start = datetime(2026, 11, 24, 9, 0, tzinfo=auckland)
    appointment = replace(BOOKED, start=start)
    now = datetime(2026, 11, 24, 8, 0, tzinfo=auckland)
    assert change_status(appointment, S.ARRIVED, now=now, zone=auckland).status is S.ARRIVED
    with pytest.raises(ValidationError, match="on 2026-11-24"):
        change_status(appointment, S.ARRIVED, now=now - timedelta(days=1), zone=auckland)


def test_refusal_words_in_full() -> None:
    with pytest.raises(ValidationError, match=r"^The appointment has not started yet: it "
                                              r"cannot be a no-show\.$"):
        change_status(BOOKED, S.NO_SHOW, now=at(9), zone=ZONE)
    with pytest.raises(ValidationError, match=r"^Write why the appointment is cancelled\.$"):
        change_status(BOOKED, S.CANCELLED, now=at(9), zone=ZONE)
    with pytest.raises(ValueError, match=r"^need 1 <= late_after_minutes < "
                                         r"no_show_after_minutes <= 240$"):
        LatenessPolicy(0, 30)
    with pytest.raises(ValueError, match=r"^an appointment's start must carry its time zone$"):
        replace(BOOKED, start=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(ValueError, match=r"^now must carry its time zone$"):
        punctuality(BOOKED, datetime(2026, 11, 23, 10, 0), LatenessPolicy())
    with pytest.raises(ValueError, match=r"^now must carry its time zone$"):
        change_status(BOOKED, S.ARRIVED, now=datetime(2026, 11, 23, 10, 0), zone=ZONE)
