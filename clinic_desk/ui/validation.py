"""Collects every problem with a form at once, using the domain's own rules.

The domain validators stop at the first problem; a form wants one message per field,
so each failing field is swapped for a known-good stand-in and the check runs again.
"""

from __future__ import annotations

import dataclasses

from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize, validate_clinic_details
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.staff_rules import (
    check_display_name,
    check_new_password,
    normalise_username,
)
from clinic_desk.ui.i18n import tr

_GOOD_CLINIC = ClinicDetails("Clinic", "Street 1", "12345 678", "Europe/London", PaperSize.A4)

Problems = dict[str, str]


def clinic_problems(details: ClinicDetails) -> Problems:
    problems: Problems = {}
    current = details
    for _ in range(len(dataclasses.fields(ClinicDetails))):
        try:
            validate_clinic_details(current)
        except ValidationError as exc:
            field = exc.field or "name"
            if field in problems:
                break
            problems[field] = str(exc)
            current = dataclasses.replace(current, **{field: getattr(_GOOD_CLINIC, field)})
        else:
            break
    return problems


def _check(problems: Problems, field: str, check: object, value: str) -> None:
    try:
        check(value)  # type: ignore[operator]
    except ValidationError as exc:
        problems[field] = str(exc)


def account_problems(
    *, full_name: str | None = None, username: str | None = None,
    password: str | None = None, confirm: str | None = None,
    password_field: str = "password",
) -> Problems:
    """Problems with the account fields given (None: the form has no such field)."""
    problems: Problems = {}
    if full_name is not None:
        _check(problems, "full_name", check_display_name, full_name)
    if username is not None:
        _check(problems, "username", normalise_username, username)
    if password is not None:
        _check(problems, password_field, check_new_password, password)
        if confirm is not None and password_field not in problems and confirm != password:
            problems["confirm"] = tr("The two passwords are not the same. Type it again.")
    return problems


def first_problem(problems: Problems, order: list[str]) -> str:
    for field in order:
        if field in problems:
            return problems[field]
    return next(iter(problems.values()), "")
