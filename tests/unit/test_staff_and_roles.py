"""The role-permission table pinned, and the staff account rules at their limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import (
    ROLE_ORDER,
    ROLE_PERMISSIONS,
    ROLE_TITLES,
    Permission,
    Role,
    check_roles,
    role_allows,
    roles_allow,
    roles_text,
    sorted_roles,
)
from clinic_desk.domain.staff_rules import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    LockoutPolicy,
    check_display_name,
    check_new_password,
    normalise_username,
)

P = Permission
COMMON = {P.VIEW_CLINIC, P.VIEW_PATIENTS, P.REGISTER_PATIENTS, P.TAKE_INTAKE,
          P.HAND_OUT_DOCUMENTS, P.BOOK_APPOINTMENTS}
# Written out in full: a permission added to, or taken from, any role fails here.
PINNED: dict[Role, set[Permission]] = {
    Role.RECEPTION: COMMON,
    Role.PRACTITIONER: COMMON | {P.CLEAR_SCREENING, P.RECORD_TREATMENT, P.SIGN_CONSENT,
                                 P.MANAGE_DEVICES},
    Role.ADMINISTRATOR: COMMON | {P.MANAGE_STAFF, P.EDIT_CLINIC_PROFILE, P.VERIFY_AUDIT,
                                  P.MANAGE_DEVICES, P.EDIT_PROTOCOL, P.MANAGE_CONSENT_FORMS},
}


def test_role_permission_table_is_pinned() -> None:
    assert {role: set(allowed) for role, allowed in ROLE_PERMISSIONS.items()} == PINNED
    for role, allowed in PINNED.items():
        for permission in Permission:
            assert role_allows(role, permission) is (permission in allowed), (role, permission)


def test_stored_names_of_roles_and_permissions_are_pinned() -> None:
    # These strings are stored in the database and the audit log.
    assert [r.value for r in Role] == ["reception", "practitioner", "administrator"]
    assert [p.value for p in Permission] == [
        "view_clinic", "manage_staff", "edit_clinic_profile", "verify_audit", "view_patients",
        "register_patients", "take_intake", "clear_screening", "record_treatment",
        "sign_consent", "manage_devices", "edit_protocol", "manage_consent_forms",
        "hand_out_documents", "book_appointments",
    ]  # fmt: skip


@pytest.mark.parametrize("permission", [P.CLEAR_SCREENING, P.RECORD_TREATMENT, P.SIGN_CONSENT])
def test_clinical_decisions_belong_to_practitioners_alone(permission: Permission) -> None:
    assert roles_allow([Role.PRACTITIONER], permission)
    assert not roles_allow([Role.ADMINISTRATOR, Role.RECEPTION], permission)
    assert roles_allow([Role.ADMINISTRATOR, Role.PRACTITIONER], permission)
    assert not roles_allow([], permission)


def test_roles_in_their_fixed_order_and_words() -> None:
    assert ROLE_ORDER == (Role.RECEPTION, Role.PRACTITIONER, Role.ADMINISTRATOR)
    everyone = [Role.ADMINISTRATOR, Role.RECEPTION, Role.PRACTITIONER]
    assert sorted_roles(everyone) == ROLE_ORDER
    assert sorted_roles(["administrator", "reception"]) == (  # type: ignore[list-item]
        Role.RECEPTION, Role.ADMINISTRATOR,
    )  # fmt: skip
    assert roles_text(everyone) == "reception,practitioner,administrator"
    assert roles_text([Role.ADMINISTRATOR, Role.PRACTITIONER]) == "practitioner,administrator"
    assert ROLE_TITLES == {
        Role.RECEPTION: "Reception",
        Role.PRACTITIONER: "Practitioner",
        Role.ADMINISTRATOR: "Administrator",
    }


def test_roles_are_checked() -> None:
    assert check_roles(["practitioner", Role.RECEPTION]) == {  # type: ignore[list-item]
        Role.PRACTITIONER, Role.RECEPTION,
    }  # fmt: skip
    for roles, message in (([], "Choose at least one role."),
                           (["owner"], "Choose the roles from the list.")):
        with pytest.raises(ValidationError) as caught:
            check_roles(roles)  # type: ignore[arg-type]
        assert (caught.value.field, str(caught.value)) == ("roles", message)


def test_password_length_limits_one_below_on_and_one_above() -> None:
    assert (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH) == (8, 256)
    for password in ("x" * 8, "x" * 256, " padded "):
        check_new_password(password)
    with pytest.raises(ValidationError) as short:
        check_new_password("x" * 7)
    assert (short.value.field, str(short.value)) == (
        "password", "The password must have at least 8 characters.",
    )  # fmt: skip
    with pytest.raises(ValidationError) as long:
        check_new_password("x" * 257)
    assert (long.value.field, str(long.value)) == (
        "password", "The password may have at most 256 characters.",
    )  # fmt: skip
    with pytest.raises(ValidationError) as blank:
        check_new_password(" " * 8)
    assert (blank.value.field, str(blank.value)) == (
        "password", "The password cannot be only spaces.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="null character"):
        check_new_password("abc\x00defgh")


def test_lockout_policy_defaults_are_pinned() -> None:
    assert LockoutPolicy() == LockoutPolicy(max_failures=5, lock_for=timedelta(minutes=15))


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("ab", True), ("a", False), ("a" * 32, True), ("a" * 33, False), ("9lives", True),
     ("_x", False), (".x", False), ("a.b-c_d", True), ("ab!", False)],
)  # fmt: skip
def test_user_name_length_and_letters(raw: str, ok: bool) -> None:
    if ok:
        assert normalise_username(raw) == raw
        return
    with pytest.raises(ValidationError) as caught:
        normalise_username(raw)
    assert caught.value.field == "username"
    assert str(caught.value) == (
        "A user name is 2 to 32 letters (a–z), digits, dots, dashes or underscores, "
        "starting with a letter or digit."
    )


def test_empty_and_hidden_user_names_are_refused_with_their_own_messages() -> None:
    with pytest.raises(ValidationError) as empty:
        normalise_username("   ")
    assert (empty.value.field, str(empty.value)) == ("username", "Enter a user name.")
    with pytest.raises(ValidationError) as hidden:
        normalise_username("an\u202ena")
    assert hidden.value.field == "username"
    assert str(hidden.value).startswith(
        "The user name contains an invisible text-direction character (U+202E)"
    )


def test_display_name_limit_is_on_the_folded_name() -> None:
    assert check_display_name("x" * 120) == "x" * 120
    assert check_display_name(" " + "x" * 60 + "   " + "y" * 59) == "x" * 60 + " " + "y" * 59
    with pytest.raises(ValidationError) as long:
        check_display_name("x" * 121)
    assert (long.value.field, str(long.value)) == (
        "full_name", "The name may have at most 120 characters.",
    )  # fmt: skip
    with pytest.raises(ValidationError) as empty:
        check_display_name("  ")
    assert (empty.value.field, str(empty.value)) == ("full_name", "Enter the person's full name.")
    with pytest.raises(ValidationError) as hidden:
        check_display_name("Zoë\u202e")
    assert hidden.value.field == "full_name"
    assert str(hidden.value).startswith("The name contains an invisible text-direction")
