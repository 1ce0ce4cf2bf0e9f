"""Staff roles and what each may do. Enforced in the services layer."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RECEPTION = "reception"
    PRACTITIONER = "practitioner"
    ADMINISTRATOR = "administrator"


class Permission(StrEnum):
    VIEW_CLINIC = "view_clinic"
    MANAGE_STAFF = "manage_staff"
    EDIT_CLINIC_PROFILE = "edit_clinic_profile"
    VERIFY_AUDIT = "verify_audit"
    REGISTER_PATIENTS = "register_patients"
    TAKE_INTAKE = "take_intake"
    CLEAR_SCREENING = "clear_screening"
    RECORD_TREATMENT = "record_treatment"
    SIGN_CONSENT = "sign_consent"


_COMMON = frozenset({Permission.VIEW_CLINIC, Permission.REGISTER_PATIENTS, Permission.TAKE_INTAKE})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTION: _COMMON,
    Role.PRACTITIONER: _COMMON
    | {Permission.CLEAR_SCREENING, Permission.RECORD_TREATMENT, Permission.SIGN_CONSENT},
    Role.ADMINISTRATOR: frozenset(Permission),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


ROLE_TITLES: dict[Role, str] = {
    Role.RECEPTION: "Reception",
    Role.PRACTITIONER: "Practitioner",
    Role.ADMINISTRATOR: "Administrator",
}
