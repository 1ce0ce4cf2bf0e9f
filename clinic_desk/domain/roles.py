"""Staff roles and what each may do. Enforced in the services layer.

One person may hold several roles (in a small clinic the owner is often both practitioner
and administrator); what they may do is the union of what their roles allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from clinic_desk.domain.errors import ValidationError


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
    # The device registry and consumable lots (administrators and practitioners).
    MANAGE_DEVICES = "manage_devices"
    # The treatment protocol's areas and depth limits (administrators).
    EDIT_PROTOCOL = "edit_protocol"
    MANAGE_CONSENT_FORMS = "manage_consent_forms"
    HAND_OUT_DOCUMENTS = "hand_out_documents"
    # The appointment book: book, move, check in, hand over (every role).
    BOOK_APPOINTMENTS = "book_appointments"


_COMMON = frozenset(
    {
        Permission.VIEW_CLINIC,
        Permission.VIEW_PATIENTS,
        Permission.REGISTER_PATIENTS,
        Permission.TAKE_INTAKE,
        Permission.HAND_OUT_DOCUMENTS,
        Permission.BOOK_APPOINTMENTS,
    }
)

# Clinical decisions belong to practitioners alone: an administrator runs the clinic's
# accounts and settings but does not clear a screening finding or record a treatment.
_CLINICAL = frozenset(
    {Permission.CLEAR_SCREENING, Permission.RECORD_TREATMENT, Permission.SIGN_CONSENT}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTION: _COMMON,
    Role.PRACTITIONER: _COMMON | _CLINICAL | {Permission.MANAGE_DEVICES},
    Role.ADMINISTRATOR: frozenset(Permission) - _CLINICAL,
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def roles_allow(roles: Iterable[Role], permission: Permission) -> bool:
    """The union: any one of the person's roles allowing it is enough."""
    return any(permission in ROLE_PERMISSIONS[role] for role in roles)


# The order roles are listed in, everywhere: from the least to the most privileged.
ROLE_ORDER: tuple[Role, ...] = (Role.RECEPTION, Role.PRACTITIONER, Role.ADMINISTRATOR)


def sorted_roles(roles: Iterable[Role]) -> tuple[Role, ...]:
    held = {Role(r) for r in roles}
    return tuple(r for r in ROLE_ORDER if r in held)


def check_roles(roles: Iterable[Role]) -> frozenset[Role]:
    """At least one role; unknown names refused."""
    try:
        held = frozenset(Role(r) for r in roles)
    except ValueError:
        raise ValidationError("Choose the roles from the list.", field="roles") from None
    if not held:
        raise ValidationError("Choose at least one role.", field="roles")
    return held


def roles_text(roles: Iterable[Role]) -> str:
    """For the audit log: "practitioner,administrator" (ids, in the fixed order)."""
    return ",".join(r.value for r in sorted_roles(roles))


ROLE_TITLES: dict[Role, str] = {
    Role.RECEPTION: "Reception",
    Role.PRACTITIONER: "Practitioner",
    Role.ADMINISTRATOR: "Administrator",
}
