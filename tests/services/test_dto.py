"""The plain values the services hand out: what the UI may show, and the verdict's words."""

from __future__ import annotations

import pytest

from clinic_desk.domain.roles import Permission, Role
from clinic_desk.services.dto import AuditVerification, SignedInStaff, SignInSession


@pytest.mark.parametrize(("roles", "permission", "shown"), [
    ((Role.RECEPTION,), Permission.VIEW_PATIENTS, True),
    ((Role.RECEPTION,), Permission.MANAGE_STAFF, False),
    ((Role.ADMINISTRATOR,), Permission.CLEAR_SCREENING, False),
    ((Role.PRACTITIONER, Role.ADMINISTRATOR), Permission.CLEAR_SCREENING, True),
    ((), Permission.VIEW_PATIENTS, False),
])
def test_controls_follow_the_roles_held_at_sign_in(
    roles: tuple[Role, ...], permission: Permission, shown: bool
) -> None:
    who = SignedInStaff(1, "anna", "Anna", roles, SignInSession())
    assert who.may(permission) is shown


def test_an_intact_log_says_so_with_the_counts() -> None:
    verdict = AuditVerification(True, 12, None, None, "", records_checked=3,
                                patients_checked=2, notes=("Witness agrees.",))
    assert verdict.summary() == (
        "Audit log intact: 12 entries checked.\n"
        "Records checked against their audit entries: 3; patient rows against their "
        "latest revision: 2.\n"
        "Witness agrees.")


def test_a_broken_chain_names_the_row_and_entry() -> None:
    assert AuditVerification(False, 5, 41, 4, "hash mismatch").summary() == (
        "Audit log broken at row id 41 (entry 4): hash mismatch.")
    assert AuditVerification(False, 5, None, 6, "entries missing after").summary() == (
        "Audit log broken at entry 6: entries missing after.")


def test_an_unbroken_chain_with_other_problems_is_not_intact() -> None:
    verdict = AuditVerification(False, 7, None, None, "", problems=("a", "b"),
                                patients_checked=1)
    assert verdict.summary() == (
        "Audit log chain unbroken (7 entries), but NOT intact:\n"
        "  - a\n"
        "  - b\n"
        "Records checked against their audit entries: 0; patient rows against their "
        "latest revision: 1.")
    assert verdict.chain_ok and not AuditVerification(False, 1, 1, 1, "x").chain_ok
