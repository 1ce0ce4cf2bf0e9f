"""The errors the services raise carry their plain message and the detail the UI and CLI
read from them (the form field to mark, the time a locked account opens again)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic_desk.domain.errors import (
    AccountLocked,
    ClinicDeskError,
    PermissionDenied,
    ValidationError,
)


def test_a_validation_error_names_its_field_and_keeps_its_message() -> None:
    error = ValidationError("Enter a date of birth in the past.", field="date_of_birth")
    assert str(error) == "Enter a date of birth in the past."
    assert error.args == ("Enter a date of birth in the past.",)
    assert error.field == "date_of_birth"
    assert isinstance(error, ClinicDeskError)


def test_a_validation_error_without_a_field_names_none() -> None:
    error = ValidationError("Nothing to save.")
    assert error.field is None
    assert str(error) == "Nothing to save."


def test_a_locked_account_says_until_when_and_keeps_its_message() -> None:
    until = datetime(2026, 11, 30, 17, 45, tzinfo=UTC)
    error = AccountLocked("Too many attempts: try again at 17:45.", until_utc=until)
    assert str(error) == "Too many attempts: try again at 17:45."
    assert error.args == ("Too many attempts: try again at 17:45.",)
    assert error.until_utc == until


def test_every_error_is_caught_as_a_clinic_desk_error() -> None:
    with pytest.raises(ClinicDeskError, match=r"^Only a practitioner may sign\.$"):
        raise PermissionDenied("Only a practitioner may sign.")
