"""Every refusal of the permission check, word for word, with the audit entry it leaves
field by field, on both engines: no account, a locked or ended session, a deactivated
account, a temporary password, and roles that do not allow it (one, two, or none)."""

from __future__ import annotations

from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    AccountInactive,
    PasswordChangeRequired,
    PermissionDenied,
    SessionLocked,
)
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff, SignInSession
from tests.helpers.clinic import STAFF_PASSWORD, SeededClinic
from tests.services.audit_fields import Entry, entries
from tests.services.exact import refused


def _searched(core: ClinicDesk) -> Entry:
    return entries(core)[-1]


def _denied(staff_id: int | None, detail: str) -> Entry:
    return Entry("patient.searched", "patient", None, staff_id, None, "denied", detail)


def test_a_sign_in_naming_no_account(core: ClinicDesk, clinic: SeededClinic) -> None:
    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.ADMINISTRATOR,), SignInSession())
    with refused(AccountInactive, "This sign-in names no staff account. Sign in again."):
        core.patients.search(ghost, "")
    assert _searched(core) == _denied(None, "no account with staff id 9999")


def test_a_locked_workstation(core: ClinicDesk, clinic: SeededClinic) -> None:
    core.auth.lock_session(clinic.reception)
    with refused(SessionLocked,
                 "This workstation is locked. Unlock it with your password first."):
        core.patients.search(clinic.reception, "")
    assert _searched(core) == _denied(clinic.reception.staff_id, "session locked")


def test_a_signed_out_session(core: ClinicDesk, clinic: SeededClinic) -> None:
    core.auth.sign_out(clinic.reception)
    with refused(SessionLocked, "You have signed out. Sign in again to go on."):
        core.patients.search(clinic.reception, "")
    assert _searched(core) == _denied(clinic.reception.staff_id, "signed out")


def test_a_deactivated_account(core: ClinicDesk, clinic: SeededClinic) -> None:
    summary = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(clinic.admin, summary.staff_id, expected_version=summary.version,
                          active=False)
    with refused(AccountInactive, "Your account is no longer active. Ask an administrator."):
        core.patients.search(clinic.reception, "")
    assert _searched(core) == _denied(clinic.reception.staff_id, "inactive account")


def test_a_temporary_password_not_yet_replaced(core: ClinicDesk, clinic: SeededClinic) -> None:
    core.staff.add_staff(clinic.admin, username="newcomer", full_name="Ewa Nowak",
                         roles=(Role.RECEPTION,), password=STAFF_PASSWORD, temporary=True)
    newcomer = core.auth.sign_in("newcomer", STAFF_PASSWORD)
    with refused(PasswordChangeRequired,
                 "Choose your own password first (File → Change my password): the one you "
                 "were given is temporary."):
        core.patients.search(newcomer, "")
    assert _searched(core) == _denied(newcomer.staff_id, "temporary password not yet changed")


def test_roles_that_do_not_allow_it_are_named(core: ClinicDesk, clinic: SeededClinic) -> None:
    with refused(PermissionDenied,
                 "A reception account cannot do this. Ask an administrator if you need it."):
        core.staff.list_staff(clinic.reception)
    core.staff.add_staff(clinic.admin, username="both", full_name="Ola Nowak",
                         roles=(Role.PRACTITIONER, Role.RECEPTION), password=STAFF_PASSWORD,
                         temporary=False)
    both = core.auth.sign_in("both", STAFF_PASSWORD)
    with refused(PermissionDenied, "A reception and practitioner account cannot do this. "
                                   "Ask an administrator if you need it."):
        core.staff.list_staff(both)
    last = entries(core)[-1]
    assert (last.staff_id, last.outcome, last.detail) == (
        both.staff_id, "denied", "roles=reception,practitioner")


def test_an_account_left_without_roles_is_role_less(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    with core.engine.begin() as conn:  # no version of the app does this; a hand might
        conn.execute(text("DELETE FROM staff_role WHERE staff_id = :s"),
                     {"s": clinic.reception.staff_id})
    with refused(PermissionDenied,
                 "A role-less account cannot do this. Ask an administrator if you need it."):
        core.patients.search(clinic.reception, "")
    assert _searched(core) == _denied(clinic.reception.staff_id, "roles=")
