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
    VIEW_PATIENTS = "view_patients"
    REGISTER_PATIENTS = "register_patients"
    TAKE_INTAKE = "take_intake"
    CLEAR_SCREENING = "clear_screening"
    RECORD_TREATMENT = "record_treatment"
    SIGN_CONSENT = "sign_consent"


_COMMON = frozenset(
    {
        Permission.VIEW_CLINIC,
        Permission.VIEW_PATIENTS,
        Permission.REGISTER_PATIENTS,
        Permission.TAKE_INTAKE,
    }
)

# Clinical decisions belong to practitioners alone: an administrator runs the clinic's
# accounts and settings but does not clear a screening finding or record a treatment.
_CLINICAL = frozenset(
    {Permission.CLEAR_SCREENING, Permission.RECORD_TREATMENT, Permission.SIGN_CONSENT}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTION: _COMMON,
    Role.PRACTITIONER: _COMMON | _CLINICAL,
    Role.ADMINISTRATOR: frozenset(Permission) - _CLINICAL,
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


ROLE_TITLES: dict[Role, str] = {
    Role.RECEPTION: "Reception",
    Role.PRACTITIONER: "Practitioner",
    Role.ADMINISTRATOR: "Administrator",
}
