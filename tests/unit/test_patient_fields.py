"""Each of a patient's fields, when refused, names itself (the form puts the message under
that field) in its own words; names, phone numbers and e-mail addresses also refuse the
invisible text-direction characters; a phone number holds digits and punctuation only."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import PatientDetails, check_phone, validate_patient

TODAY = date(2026, 11, 23)
ZOE = PatientDetails(
    "Ångström-Müller Ferreira de la Fuente", "Zoë", date(1990, 2, 28), "06 12 34 56 78"
)
# field, its words in messages, an acceptable value around the bad character
FIELDS = [
    ("family_name", "family name", "Nowak{}"),
    ("given_name", "given name", "Anna{}"),
    ("preferred_name", "preferred name", "Ania{}"),
    ("emergency_contact_name", "emergency contact's name", "Piotr{}"),
    ("referring_physician", "referring physician", "Dr Kowalski{}"),
    ("phone", "phone number", "06 12 34{} 56 78"),
    ("emergency_contact_phone", "phone number", "06 12 34{} 56 78"),
    ("email", "email address", "anna{}@example.com"),
    ("address", "address", "12 Rue des Lilas{}"),
    ("notes", "notes", "Prefers mornings{}"),
]
IDENTITY_FIELDS = FIELDS[:8]


def _refused(**changes: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_patient(dataclasses.replace(ZOE, **changes), TODAY)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(("field", "label", "value"), FIELDS)
def test_a_control_character_is_refused_naming_the_field(
    field: str, label: str, value: str
) -> None:
    error = _refused(**{field: value.format("\x07")})
    assert error.field == field
    assert str(error) == (f"The {label} contains a control character (U+0007), which "
                          "cannot be stored. Remove it and type the text again.")


@pytest.mark.parametrize(("field", "label", "value"), IDENTITY_FIELDS)
def test_names_phones_and_email_refuse_text_direction_characters(
    field: str, label: str, value: str
) -> None:
    error = _refused(**{field: value.format("\u202e")})
    assert error.field == field
    assert str(error).startswith(
        f"The {label} contains an invisible text-direction character (U+202E)")


@pytest.mark.parametrize(("field", "value"), [("address", "12 Rue des Lilas{}"),
                                              ("notes", "Prefers mornings{}")])
def test_free_text_keeps_text_direction_characters_and_tabs(field: str, value: str) -> None:
    """Addresses and notes may hold right-to-left text, which needs them."""
    changes: dict[str, object] = {field: value.format("\u202e\tשלום")}
    kept = validate_patient(dataclasses.replace(ZOE, **changes), TODAY)  # type: ignore[arg-type]
    assert getattr(kept, field) == value.format("\u202e\tשלום")


@pytest.mark.parametrize("phone", ["06 12 34 X6 78", "06 12 34 56 78 ext", "0612345678a",
                                   "06:12:34:56:78", "06_12_34_56_78", "06 12 34 56 78 #"])
def test_a_phone_number_holds_no_letters_or_other_signs(phone: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_phone(phone, "phone", required=True)
    assert caught.value.field == "phone"
    assert str(caught.value) == ("A phone number has 6 to 15 digits; it may start with + "
                                 "and use spaces, dashes, dots and brackets.")


@pytest.mark.parametrize("phone", ["+48 (22) 123-45.67", "06/12/34/56/78"])
def test_a_phone_number_may_use_every_sign_it_names(phone: str) -> None:
    assert check_phone(phone, "phone", required=True) == phone


def test_the_date_of_birth_is_checked_with_the_rest() -> None:
    error = _refused(date_of_birth=date(2026, 11, 24))
    assert error.field == "date_of_birth"
    assert str(error) == "The date of birth cannot be in the future."
    assert validate_patient(ZOE, TODAY).date_of_birth == date(1990, 2, 28)
