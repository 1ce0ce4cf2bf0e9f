"""Adverse events after a session: what is recorded, in plain words, and what makes a
report complete enough for a maker's or a health authority's form (device, settings,
lot, dates, outcome: the session record holds the first three)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic_desk.domain.catalogue_data import FieldProblem

MAX_TEXT = 4000


class AdverseEventKind(StrEnum):
    BURN = "burn"
    BLISTERING = "blistering"
    INFECTION = "infection"
    SCARRING = "scarring"
    PIGMENT_CHANGE = "pigment_change"
    NERVE_SYMPTOMS = "nerve_symptoms"
    ALLERGIC_REACTION = "allergic_reaction"
    OTHER = "other"


KIND_LABELS = {
    AdverseEventKind.BURN: "Burn",
    AdverseEventKind.BLISTERING: "Blistering",
    AdverseEventKind.INFECTION: "Infection",
    AdverseEventKind.SCARRING: "Scarring",
    AdverseEventKind.PIGMENT_CHANGE: "Pigment change",
    AdverseEventKind.NERVE_SYMPTOMS: "Nerve symptoms (numbness, tingling, weakness)",
    AdverseEventKind.ALLERGIC_REACTION: "Allergic reaction",
    AdverseEventKind.OTHER: "Other",
}


class EventSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


SEVERITY_LABELS = {
    EventSeverity.MILD: "Mild",
    EventSeverity.MODERATE: "Moderate",
    EventSeverity.SEVERE: "Severe",
}


@dataclass(frozen=True, slots=True)
class AdverseEventDetails:
    """What the practitioner records first."""

    kind: AdverseEventKind
    onset_on: date
    severity: EventSeverity
    description: str
    action_taken: str


@dataclass(frozen=True, slots=True)
class FollowUpDetails:
    """What happened next; `closes_event` takes it off the chart header."""

    note: str
    outcome: str = ""
    reported_to_manufacturer: bool = False
    reported_to_authority: bool = False
    closes_event: bool = False


def event_problems(
    details: AdverseEventDetails, *, session_date: date, today: date
) -> list[FieldProblem]:
    problems = []
    if details.onset_on < session_date:
        problems.append(
            FieldProblem(
                "onset_on",
                f"The reaction began before the session ({session_date.isoformat()}): "
                "check the date.",
            )
        )
    elif details.onset_on > today:
        problems.append(FieldProblem("onset_on", "The onset date is in the future."))
    if not details.description.strip():
        what = "what happened" if details.kind is AdverseEventKind.OTHER else "what was seen"
        problems.append(FieldProblem("description", f"Describe {what}."))
    if not details.action_taken.strip():
        problems.append(FieldProblem("action_taken", "Write what was done (or “nothing yet”)."))
    for name in ("description", "action_taken"):
        if len(getattr(details, name)) > MAX_TEXT:
            problems.append(FieldProblem(name, f"Keep it under {MAX_TEXT} characters."))
    return problems


def follow_up_problems(details: FollowUpDetails) -> list[FieldProblem]:
    problems = []
    if not details.note.strip():
        problems.append(FieldProblem("note", "Write the follow-up."))
    if details.closes_event and not details.outcome.strip():
        problems.append(FieldProblem("outcome", "Write the outcome before closing the event."))
    for name in ("note", "outcome"):
        if len(getattr(details, name)) > MAX_TEXT:
            problems.append(FieldProblem(name, f"Keep it under {MAX_TEXT} characters."))
    return problems
