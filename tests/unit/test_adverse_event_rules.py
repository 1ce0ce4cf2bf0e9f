"""Adverse events: the stored kinds and severities with their words, and what makes the
first record and a follow-up complete (onset between the session and today, text
written and within the limit, an outcome before an event is closed)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.adverse_events import (
    KIND_LABELS,
    MAX_TEXT,
    SEVERITY_LABELS,
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
    event_problems,
    follow_up_problems,
)
from clinic_desk.domain.catalogue_data import FieldProblem

SESSION = date(2026, 11, 2)
TODAY = date(2026, 11, 30)


def details(**changes: object) -> AdverseEventDetails:
    base: dict[str, object] = {
        "kind": AdverseEventKind.BLISTERING,
        "onset_on": date(2026, 11, 3),
        "severity": EventSeverity.MODERATE,
        "description": "Small blisters along the jawline.",
        "action_taken": "Cool compress; seen again in two days.",
    }
    base.update(changes)
    return AdverseEventDetails(**base)  # type: ignore[arg-type]


def test_the_stored_kinds_and_severities_and_their_words() -> None:
    assert [(k.value, KIND_LABELS[k]) for k in AdverseEventKind] == [
        ("burn", "Burn"),
        ("blistering", "Blistering"),
        ("infection", "Infection"),
        ("scarring", "Scarring"),
        ("pigment_change", "Pigment change"),
        ("nerve_symptoms", "Nerve symptoms (numbness, tingling, weakness)"),
        ("allergic_reaction", "Allergic reaction"),
        ("other", "Other"),
    ]
    assert len(KIND_LABELS) == len(AdverseEventKind)
    assert [(s.value, SEVERITY_LABELS[s]) for s in EventSeverity] == [
        ("mild", "Mild"),
        ("moderate", "Moderate"),
        ("severe", "Severe"),
    ]
    assert len(SEVERITY_LABELS) == len(EventSeverity)
    assert MAX_TEXT == 4000


def test_a_complete_event_has_no_problems() -> None:
    assert event_problems(details(), session_date=SESSION, today=TODAY) == []


@pytest.mark.parametrize(
    ("onset", "problems"),
    [
        (
            date(2026, 11, 1),
            [
                FieldProblem(
                    "onset_on",
                    "The reaction began before the session (2026-11-02): check the date.",
                )
            ],
        ),
        (SESSION, []),
        (date(2026, 11, 3), []),
        (date(2026, 11, 29), []),
        (TODAY, []),
        (date(2026, 12, 1), [FieldProblem("onset_on", "The onset date is in the future.")]),
    ],
)
def test_the_onset_lies_between_the_session_and_today(
    onset: date, problems: list[FieldProblem]
) -> None:
    assert event_problems(details(onset_on=onset), session_date=SESSION, today=TODAY) == problems


def test_a_reaction_on_a_session_held_today_may_begin_today() -> None:
    assert event_problems(details(onset_on=TODAY), session_date=TODAY, today=TODAY) == []


def test_empty_text_is_refused_in_words_that_fit_the_kind() -> None:
    blank = details(description="  \n", action_taken="\t")
    assert event_problems(blank, session_date=SESSION, today=TODAY) == [
        FieldProblem("description", "Describe what was seen."),
        FieldProblem("action_taken", "Write what was done (or “nothing yet”)."),
    ]
    other = details(kind=AdverseEventKind.OTHER, description="")
    assert event_problems(other, session_date=SESSION, today=TODAY) == [
        FieldProblem("description", "Describe what happened.")
    ]


@pytest.mark.parametrize("field", ["description", "action_taken"])
def test_event_text_up_to_the_limit_is_kept_one_more_is_refused(field: str) -> None:
    for length in (MAX_TEXT - 1, MAX_TEXT):
        ok = details(**{field: "x" * length})
        assert event_problems(ok, session_date=SESSION, today=TODAY) == []
    long = details(**{field: "x" * (MAX_TEXT + 1)})
    assert event_problems(long, session_date=SESSION, today=TODAY) == [
        FieldProblem(field, "Keep it under 4000 characters.")
    ]


def test_every_problem_of_an_event_is_listed_at_once() -> None:
    bad = details(onset_on=date(2027, 1, 1), description="", action_taken="y" * (MAX_TEXT + 1))
    assert event_problems(bad, session_date=SESSION, today=TODAY) == [
        FieldProblem("onset_on", "The onset date is in the future."),
        FieldProblem("description", "Describe what was seen."),
        FieldProblem("action_taken", "Keep it under 4000 characters."),
    ]


def test_a_follow_up_defaults_to_open_and_unreported() -> None:
    follow_up = FollowUpDetails(note="Healing well.")
    assert follow_up.outcome == ""
    assert follow_up.reported_to_manufacturer is False
    assert follow_up.reported_to_authority is False
    assert follow_up.closes_event is False
    assert follow_up_problems(follow_up) == []


def test_a_follow_up_needs_a_note() -> None:
    assert follow_up_problems(FollowUpDetails(note=" ")) == [
        FieldProblem("note", "Write the follow-up.")
    ]


def test_closing_an_event_needs_an_outcome() -> None:
    assert follow_up_problems(FollowUpDetails(note="Seen.", closes_event=True)) == [
        FieldProblem("outcome", "Write the outcome before closing the event.")
    ]
    assert follow_up_problems(FollowUpDetails(note="Seen.", closes_event=True, outcome=" ")) == [
        FieldProblem("outcome", "Write the outcome before closing the event.")
    ]
    closed = FollowUpDetails(note="Seen.", outcome="Resolved, no mark.", closes_event=True)
    assert follow_up_problems(closed) == []


@pytest.mark.parametrize("field", ["note", "outcome"])
def test_follow_up_text_up_to_the_limit_is_kept_one_more_is_refused(field: str) -> None:
    for length in (MAX_TEXT - 1, MAX_TEXT):
        ok = FollowUpDetails(**{"note": "Seen.", field: "x" * length})  # type: ignore[arg-type]
        assert follow_up_problems(ok) == []
    long = FollowUpDetails(**{"note": "Seen.", field: "x" * (MAX_TEXT + 1)})  # type: ignore[arg-type]
    assert follow_up_problems(long) == [FieldProblem(field, "Keep it under 4000 characters.")]
