"""Roles, user names, passwords and the clinic profile's validation."""

from __future__ import annotations

import pytest

from clinic_desk.domain.clinic_profile import (
    ClinicDetails,
    PaperSize,
    common_time_zones,
    validate_clinic_details,
)
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission, Role, role_allows
from clinic_desk.domain.staff_rules import (
    check_display_name,
    check_new_password,
    normalise_username,
)

GOOD = ClinicDetails("Clinic", "1 Main St", "+44 20 7946 0000", "Europe/London", PaperSize.A4)


def test_only_administrators_manage_staff() -> None:
    assert role_allows(Role.ADMINISTRATOR, Permission.MANAGE_STAFF)
    assert not role_allows(Role.PRACTITIONER, Permission.MANAGE_STAFF)
    assert not role_allows(Role.RECEPTION, Permission.MANAGE_STAFF)


def test_only_practitioners_and_administrators_clear_screening() -> None:
    assert role_allows(Role.PRACTITIONER, Permission.CLEAR_SCREENING)
    assert not role_allows(Role.RECEPTION, Permission.CLEAR_SCREENING)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Anna", "anna"), ("  J.Doe ", "j.doe"), ("MARIE-CLAIRE_2", "marie-claire_2")],
)
def test_user_names_are_case_folded(raw: str, expected: str) -> None:
    assert normalise_username(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "a", "x" * 33, "anna smith", "zoë", "-anna", "'; DROP TABLE--", "😀😀"]
)
def test_bad_user_names_are_refused_with_a_message(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_username(raw)
    assert caught.value.field == "username"
    assert str(caught.value)


@pytest.mark.parametrize("password", ["short", "", " " * 12, "x" * 257])
def test_weak_or_absurd_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        check_new_password(password)


def test_reasonable_password_passes() -> None:
    check_new_password("correct horse")


def test_display_name_whitespace_is_folded() -> None:
    assert check_display_name("  Zoë   Ångström ") == "Zoë Ångström"
    with pytest.raises(ValidationError):
        check_display_name(" \t ")


def test_valid_clinic_details_are_cleaned() -> None:
    cleaned = validate_clinic_details(
        ClinicDetails(
            "  Łódź   Clinic ",
            " a \n b ",
            " +48 (42) 123-45-67 ",
            "Europe/Warsaw",
            PaperSize.LETTER,
        )
    )
    assert cleaned.name == "Łódź Clinic"
    assert cleaned.address == "a\nb"
    assert cleaned.phone == "+48 (42) 123-45-67"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 121),
        ("address", "  "),
        ("phone", "call me"),
        ("phone", "123"),
        ("phone", "1" * 21),
        ("time_zone", "Mars/Olympus"),
        ("time_zone", "../../etc/passwd"),
    ],
)
def test_bad_clinic_details_name_their_field(field: str, value: str) -> None:
    import dataclasses

    with pytest.raises(ValidationError) as caught:
        validate_clinic_details(dataclasses.replace(GOOD, **{field: value}))  # type: ignore[arg-type]
    assert caught.value.field == field


def test_time_zone_list_holds_regions_only() -> None:
    zones = common_time_zones()
    assert "Europe/Paris" in zones and "America/New_York" in zones
    assert not any(z.startswith("Etc/") for z in zones)


@pytest.mark.parametrize(
    ("days", "ok"), [(6, False), (7, True), (90, True), (365, True), (366, False)]
)
def test_intake_validity_is_a_week_to_a_year(days: int, ok: bool) -> None:
    import dataclasses

    details = dataclasses.replace(GOOD, intake_max_age_days=days)
    if ok:
        assert validate_clinic_details(details).intake_max_age_days == days
    else:
        with pytest.raises(ValidationError) as caught:
            validate_clinic_details(details)
        assert caught.value.field == "intake_max_age_days"


def test_unknown_date_format_is_refused() -> None:
    import dataclasses

    with pytest.raises(ValidationError) as caught:
        validate_clinic_details(dataclasses.replace(GOOD, date_format="YY/DD/MM"))  # type: ignore[arg-type]
    assert caught.value.field == "date_format"
