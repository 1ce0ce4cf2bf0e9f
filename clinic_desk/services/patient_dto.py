"""Plain values about patients for the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.intake import AnswerChange, Answers
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.storage.patient_repository import Cursor


@dataclass(frozen=True, slots=True)
class PatientListRow:
    patient_id: int
    patient_number: str
    family_name: str
    given_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    # As the clinic writes it: national format for its own country's numbers.
    phone: str

    @property
    def display_name(self) -> str:
        name = f"{self.family_name}, {self.given_name}"
        return f"{name} ({self.preferred_name})" if self.preferred_name else name


@dataclass(frozen=True, slots=True)
class SearchPage:
    rows: tuple[PatientListRow, ...]
    # Pass back as `after` for the next page; None when there is nothing more.
    next_cursor: Cursor | None
    # Set when the text holds nothing to search by; says what can be typed.
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class PatientRecord:
    patient_id: int
    patient_number: str
    details: PatientDetails
    age: int
    is_archived: bool
    version: int
    created_at: datetime
    updated_at: datetime
    # The phones as the clinic writes them (national format, or as typed when unread).
    phone_shown: str = ""
    emergency_contact_phone_shown: str = ""

    @property
    def display_name(self) -> str:
        d = self.details
        return f"{d.given_name} {d.family_name}"


@dataclass(frozen=True, slots=True)
class PatientRevisionView:
    version: int
    recorded_at: datetime
    recorded_by: str
    details: PatientDetails


@dataclass(frozen=True, slots=True)
class ClearanceView:
    """One clearance as the record keeps it: who cleared what, when and why, and whether
    (by whom, when, why) it was withdrawn since."""

    clearance_id: int
    rule_id: str
    title: str
    reason: str
    cleared_by: str
    cleared_at: datetime
    intake_sequence: int
    # Given on the latest medical history: it counts in today's screening unless revoked.
    on_latest_intake: bool
    revoked_by: str | None = None
    revoked_at: datetime | None = None
    revocation_reason: str | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class IntakeVersionView:
    intake_id: int
    sequence: int
    questionnaire_version: int
    recorded_on: date
    recorded_at: datetime
    signed_off_by: str
    taken_by_patient: bool
    answers: Answers
    changes_from_previous: tuple[AnswerChange, ...]
