"""Rules for staff accounts: user names, passwords, sign-in lockout."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_checks import TextKind, check_password_text, check_text

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_USERNAME_LENGTH = 32


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


def normalise_username(raw: str) -> str:
    """User names are case-insensitive: they are stored and compared in lower case."""
    name = check_text(raw, field="username", label="user name", kind=TextKind.IDENTITY)
    name = name.strip().casefold()
    if not name:
        raise ValidationError("Enter a user name.", field="username")
    if not _USERNAME.match(name):
        raise ValidationError(
            "A user name is 2 to 32 letters (a–z), digits, dots, dashes or underscores, "
            "starting with a letter or digit.",
            field="username",
        )
    return name


def check_new_password(password: str) -> None:
    check_password_text(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password may have at most {MAX_PASSWORD_LENGTH} characters.",
            field="password",
        )
    if not password.strip():
        raise ValidationError("The password cannot be only spaces.", field="password")


def check_display_name(raw: str) -> str:
    checked = check_text(raw, field="full_name", label="name", kind=TextKind.IDENTITY)
    name = " ".join(checked.split())
    if not name:
        raise ValidationError("Enter the person's full name.", field="full_name")
    if len(name) > 120:
        raise ValidationError("The name may have at most 120 characters.", field="full_name")
    return name
