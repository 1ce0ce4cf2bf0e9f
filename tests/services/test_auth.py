"""First start, sign-in, lockout and password rehashing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    ValidationError,
)
from clinic_desk.domain.roles import Role
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.auth import AuthService
from clinic_desk.services.context import ServiceContext
from clinic_desk.storage.models import AuditEntry, StaffAccount
from tests.helpers.clinic import (
    ADMIN_PASSWORD,
    SAMPLE_CLINIC,
    STAFF_PASSWORD,
    FakeClock,
    fast_hashing,
    seed_clinic,
)
from tests.services.audit_fields import Entry, entries


def _audit(core: ClinicDesk) -> list[AuditEntry]:
    with core.units() as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _account(core: ClinicDesk, username: str) -> StaffAccount:
    with core.units() as uow:
        found = uow.staff.by_username(username)
        assert found is not None
        return found


def test_first_start_creates_clinic_and_administrator(core: ClinicDesk) -> None:
    assert core.auth.needs_first_start()
    admin = core.auth.create_clinic(
        SAMPLE_CLINIC,
        admin_username="Zoe.Admin",
        admin_full_name="Zoë Ångström",
        admin_password=ADMIN_PASSWORD,
    )
    assert admin.roles == (Role.ADMINISTRATOR,) and admin.username == "zoe.admin"
    assert not core.auth.needs_first_start()
    profile = core.clinic.profile()
    assert profile is not None and profile.name == SAMPLE_CLINIC.name
    assert [e.action for e in _audit(core)] == ["clinic.created", "staff.created"]


def test_first_start_cannot_run_twice(core: ClinicDesk) -> None:
    seed_clinic(core)
    with pytest.raises(ClinicDeskError, match="already has a clinic"):
        core.auth.create_clinic(
            SAMPLE_CLINIC,
            admin_username="second",
            admin_full_name="Second Admin",
            admin_password=ADMIN_PASSWORD,
        )


def test_first_start_with_bad_input_writes_nothing(core: ClinicDesk) -> None:
    with pytest.raises(ValidationError) as caught:
        core.auth.create_clinic(
            SAMPLE_CLINIC, admin_username="ok-name", admin_full_name="Anna", admin_password="short"
        )
    assert caught.value.field == "password"
    assert core.auth.needs_first_start()
    assert _audit(core) == []


def test_sign_in_is_case_insensitive_on_user_name(core: ClinicDesk) -> None:
    seed_clinic(core)
    who = core.auth.sign_in("  ADMIN ", ADMIN_PASSWORD)
    assert who.username == "admin" and who.full_name == "Zoë Ångström-Müller"


@pytest.mark.parametrize("username", ["admin", "nobody", "", "x" * 10_000, "'; --", "😀"])
def test_wrong_credentials_say_the_same_thing_and_are_audited(
    core: ClinicDesk, username: str
) -> None:
    seed_clinic(core)
    before = len(_audit(core))
    with pytest.raises(AuthenticationFailed, match="user name or password is not right"):
        core.auth.sign_in(username, "wrong-password")
    admin_id = _account(core, "admin").id
    expected = {
        # A real account: its own counter, its id on the entry.
        "admin": [Entry("staff.sign_in", "staff_account", str(admin_id), admin_id, None,
                        "failed", "failure 1")],
        # A well-formed name without an account: counted under the name, and audited.
        "nobody": [Entry("staff.sign_in", "staff_account", None, None, None,
                         "failed", "unknown user name, failure 1")],
    }
    # A name no account can ever have is refused before anything is counted or written.
    assert entries(core, after=before) == expected.get(username, [])


def test_repeated_failures_lock_the_account_for_a_while(core: ClinicDesk, clock: FakeClock) -> None:
    seed_clinic(core)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("reception", "wrong-password")
    with pytest.raises(AccountLocked, match="now locked for 15 minutes"):
        core.auth.sign_in("reception", "wrong-password")
    # Even the right password is refused while locked.
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(AccountLocked):
        core.auth.sign_in("reception", STAFF_PASSWORD)
    clock.advance(timedelta(seconds=2))
    assert core.auth.sign_in("reception", STAFF_PASSWORD).roles == (Role.RECEPTION,)
    outcomes = [(e.action, e.outcome, e.detail) for e in _audit(core)]
    assert ("staff.sign_in", "failed", "failure 5, account locked") in outcomes
    assert ("staff.sign_in", "refused", "locked") in outcomes


def test_successful_sign_in_resets_the_failure_count(core: ClinicDesk) -> None:
    seed_clinic(core)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("reception", "wrong-password")
    core.auth.sign_in("reception", STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", "wrong-password")
    assert _account(core, "reception").failed_sign_ins == 1


def test_deactivated_account_cannot_sign_in(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    summary = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(
        clinic.admin, summary.staff_id, expected_version=summary.version, active=False
    )
    with pytest.raises(AccountInactive):
        core.auth.sign_in("reception", STAFF_PASSWORD)


def test_password_is_rehashed_when_parameters_change(core: ClinicDesk, clock: FakeClock) -> None:
    seed_clinic(core)
    old_hash = _account(core, "admin").password_hash
    assert "t=1" in old_hash
    stronger = AuthService(
        ServiceContext(units=core.units, clock=clock),
        fast_hashing(time_cost=2),
        core.auth._lockout,
    )
    stronger.sign_in("admin", ADMIN_PASSWORD)
    new_hash = _account(core, "admin").password_hash
    assert new_hash != old_hash and "t=2" in new_hash
    # and the old service still accepts the password against the new hash
    assert core.auth.sign_in("admin", ADMIN_PASSWORD).username == "admin"


def test_change_own_password(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    with pytest.raises(ValidationError) as caught:
        core.auth.change_own_password(
            clinic.reception, current_password="nope-nope", new_password="brand-new-pass"
        )
    assert caught.value.field == "current_password"
    core.auth.change_own_password(
        clinic.reception, current_password=STAFF_PASSWORD, new_password="brand-new-pass"
    )
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", STAFF_PASSWORD)
    assert core.auth.sign_in("reception", "brand-new-pass").username == "reception"


def test_audit_chain_is_intact_after_a_busy_morning(core: ClinicDesk) -> None:
    seed_clinic(core)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("nobody", "whatever-pass")
    verdict = verify_audit_log(core.units)
    assert verdict.ok and verdict.entries_checked == len(_audit(core))
