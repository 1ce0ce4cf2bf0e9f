"""The longest user name the forms let a person type is the longest the rule accepts."""

from __future__ import annotations

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.staff_rules import MAX_USERNAME_LENGTH, normalise_username


def test_the_form_limit_is_the_rules_limit() -> None:
    assert MAX_USERNAME_LENGTH == 32
    assert normalise_username("a" * MAX_USERNAME_LENGTH) == "a" * 32
    with pytest.raises(ValidationError):
        normalise_username("a" * (MAX_USERNAME_LENGTH + 1))
