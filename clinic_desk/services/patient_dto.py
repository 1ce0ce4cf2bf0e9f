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
