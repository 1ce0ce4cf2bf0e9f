"""A patient's registration details and the rules they must meet."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_checks import TextKind, check_text


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class FitzpatrickType(StrEnum):
    I = "I"  # noqa: E741 - the scale's own numeral
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"


FITZPATRICK_DESCRIPTIONS: dict[FitzpatrickType, str] = {
    FitzpatrickType.I: "Always burns, never tans",
    FitzpatrickType.II: "Usually burns, tans with difficulty",
    FitzpatrickType.III: "Sometimes burns, tans gradually",
    FitzpatrickType.IV: "Rarely burns, tans easily",
    FitzpatrickType.V: "Very rarely burns, tans darkly",
    FitzpatrickType.VI: "Never burns, deeply pigmented",
}

MAX_NAME = 100
MAX_NOTES = 5000
MAX_ADDRESS = 400
OLDEST_BIRTH_YEAR = 1900
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_NAME_PUNCTUATION = set(" -'’.")


@dataclass(frozen=True, slots=True)
class PatientDetails:
    family_name: str
    given_name: str
    date_of_birth: date | None
    phone: str
    preferred_name: str = ""
    sex: Sex | None = None
    email: str = ""
    address: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    referring_physician: str = ""
    fitzpatrick_type: FitzpatrickType | None = None
    notes: str = ""


def age_on(date_of_birth: date, day: date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def _clean_line(value: str) -> str:
    return " ".join(value.split())


def _check_name(value: str, field: str, label: str, *, required: bool) -> str:
    name = _clean_line(check_text(value, field=field, label=label, kind=TextKind.IDENTITY))
    if not name:
        if required:
            raise ValidationError(f"Enter the {label}.", field=field)
        return ""
    if len(name) > MAX_NAME:
        raise ValidationError(f"The {label} may have at most {MAX_NAME} characters.", field=field)
    for ch in name:
        if ch in _NAME_PUNCTUATION:
            continue
        category = unicodedata.category(ch)
        if not (category.startswith("L") or category.startswith("M")):
            raise ValidationError(
                f"The {label} may contain only letters, spaces, hyphens, apostrophes and "
                f"dots (not “{ch}”).",
                field=field,
            )
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        raise ValidationError(f"The {label} must contain letters.", field=field)
    return name


def check_phone(value: str, field: str, *, required: bool) -> str:
    checked = check_text(value, field=field, label="phone number", kind=TextKind.IDENTITY)
    phone = _clean_line(checked)
    if not phone:
        if required:
            raise ValidationError("Enter a phone number.", field=field)
        return ""
    digits = sum(ch.isdigit() and ch.isascii() for ch in phone)
    allowed = all((ch.isdigit() and ch.isascii()) or ch in " +-()./" for ch in phone)
    if not allowed or not 6 <= digits <= 15 or "+" in phone[1:]:
        raise ValidationError(
            "A phone number has 6 to 15 digits; it may start with + and use spaces, "
            "dashes, dots and brackets.",
            field=field,
        )
    return phone


def check_email(value: str) -> str:
    email = check_text(value, field="email", label="email address", kind=TextKind.IDENTITY).strip()
    if not email:
        return ""
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError(
            "This does not look like an email address (name@example.com).", field="email"
        )
    return email


def check_date_of_birth(value: date | None, today: date) -> date:
    if value is None:
        raise ValidationError("Enter the date of birth.", field="date_of_birth")
    if value > today:
        raise ValidationError("The date of birth cannot be in the future.", field="date_of_birth")
    if value.year < OLDEST_BIRTH_YEAR:
        raise ValidationError(
            f"The date of birth cannot be before {OLDEST_BIRTH_YEAR}.", field="date_of_birth"
        )
    return value


def _check_text(value: str, field: str, label: str, limit: int) -> str:
    checked = check_text(value, field=field, label=label, kind=TextKind.MULTILINE)
    text = "\n".join(line.rstrip() for line in checked.strip().splitlines())
    if len(text) > limit:
        raise ValidationError(f"The {label} may have at most {limit} characters.", field=field)
    return text  # control characters other than tabs and line breaks were refused above


def validate_patient(details: PatientDetails, today: date) -> PatientDetails:
    """Cleaned details, or ValidationError naming the first field that is wrong."""
    return replace(
        details,
        family_name=_check_name(details.family_name, "family_name", "family name", required=True),
        given_name=_check_name(details.given_name, "given_name", "given name", required=True),
        preferred_name=_check_name(
            details.preferred_name, "preferred_name", "preferred name", required=False
        ),
        date_of_birth=check_date_of_birth(details.date_of_birth, today),
        phone=check_phone(details.phone, "phone", required=True),
        email=check_email(details.email),
        address=_check_text(details.address, "address", "address", MAX_ADDRESS),
        emergency_contact_name=_check_name(
            details.emergency_contact_name,
            "emergency_contact_name",
            "emergency contact's name",
            required=False,
        ),
        emergency_contact_phone=check_phone(
            details.emergency_contact_phone, "emergency_contact_phone", required=False
        ),
        referring_physician=_check_name(
            details.referring_physician,
            "referring_physician",
            "referring physician",
            required=False,
        ),
        notes=_check_text(details.notes, "notes", "notes", MAX_NOTES),
    )


def format_patient_number(sequence: int) -> str:
    return f"P-{sequence:06d}"
