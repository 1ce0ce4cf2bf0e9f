"""Administrators manage staff; everyone else is refused by the services, and it is audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    AccountInactive,
    ClinicDeskError,
    ConcurrentEditError,
    PermissionDenied,
    ValidationError,
)
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import StaffSummary
from clinic_desk.storage.models import AuditEntry, StaffAccount
from tests.helpers.clinic import STAFF_PASSWORD, SeededClinic


def _staff(core: ClinicDesk, clinic: SeededClinic, username: str) -> StaffSummary:
    return next(s for s in core.staff.list_staff(clinic.admin) if s.username == username)


def _last_audit(core: ClinicDesk) -> AuditEntry:
    with core.units() as uow:
        entry = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        return entry


def test_administrator_adds_staff_with_a_temporary_password(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    added = core.staff.add_staff(
        clinic.admin,
        username="Kasia",
        full_name="Katarzyna Żółć",
        roles=[Role.PRACTITIONER],
        password="temporary-1",
    )
    assert added.username == "kasia" and added.is_active
    who = core.auth.sign_in("kasia", "temporary-1")
    assert who.must_change_password
    entry = _last_audit(core)
    assert entry.action == "staff.sign_in"


@pytest.mark.parametrize("taken", ["reception", "RECEPTION", "Reception "])
def test_user_names_are_unique_ignoring_case(
    core: ClinicDesk, clinic: SeededClinic, taken: str
) -> None:
    with pytest.raises(ValidationError, match="is taken") as caught:
        core.staff.add_staff(
            clinic.admin,
            username=taken,
            full_name="Someone Else",
            roles=[Role.RECEPTION],
            password=STAFF_PASSWORD,
        )
    assert caught.value.field == "username"


@pytest.mark.parametrize("who", ["reception", "practitioner"])
def test_non_administrators_are_refused_and_the_refusal_is_audited(
    core: ClinicDesk, clinic: SeededClinic, who: str
) -> None:
    actor = getattr(clinic, who)
    with pytest.raises(PermissionDenied, match="cannot do this"):
        core.staff.add_staff(
            actor,
            username="sneaky",
            full_name="Sneaky",
            roles=[Role.ADMINISTRATOR],
            password=STAFF_PASSWORD,
        )
    entry = _last_audit(core)
    assert (entry.action, entry.outcome, entry.staff_id) == (
        "staff.created",
        "denied",
        actor.staff_id,
    )
    assert entry.detail == f"roles={who}"
    with core.units() as uow:
        assert uow.staff.by_username("sneaky") is None
    with pytest.raises(PermissionDenied):
        core.staff.list_staff(actor)
    assert (_last_audit(core).action, _last_audit(core).outcome) == ("staff.listed", "denied")


def test_role_is_checked_as_stored_now_not_as_at_sign_in(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    practitioner = _staff(core, clinic, "practitioner")
    core.staff.change_details(
        clinic.admin,
        practitioner.staff_id,
        expected_version=practitioner.version,
        full_name=practitioner.full_name,
        roles=[Role.ADMINISTRATOR],
    )
    # The practitioner's signed-in DTO still says practitioner, but the role now allows it.
    assert core.staff.list_staff(clinic.practitioner)


def test_deactivation_keeps_the_account_and_blocks_its_calls(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    reception = _staff(core, clinic, "reception")
    after = core.staff.set_active(
        clinic.admin, reception.staff_id, expected_version=reception.version, active=False
    )
    assert not after.is_active
    with core.units() as uow:
        count = uow.session.scalar(select(func.count()).select_from(StaffAccount))
    assert count == 3  # never deleted
    with pytest.raises(AccountInactive):
        core.staff.list_staff(clinic.reception)
    again = core.staff.set_active(
        clinic.admin, reception.staff_id, expected_version=after.version, active=True
    )
    assert again.is_active


def test_the_last_administrator_cannot_be_removed(core: ClinicDesk, clinic: SeededClinic) -> None:
    me = _staff(core, clinic, "admin")
    with pytest.raises(ClinicDeskError, match="own account"):
        core.staff.set_active(clinic.admin, me.staff_id, expected_version=me.version, active=False)
    with pytest.raises(ClinicDeskError, match="only active administrator"):
        core.staff.change_details(
            clinic.admin,
            me.staff_id,
            expected_version=me.version,
            full_name=me.full_name,
            roles=[Role.RECEPTION],
        )


def test_reset_password_unlocks_and_forces_a_new_choice(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from clinic_desk.domain.errors import AccountLocked, AuthenticationFailed

    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("reception", "wrong-password")
    with pytest.raises(AccountLocked):
        core.auth.sign_in("reception", "wrong-password")
    locked = _staff(core, clinic, "reception")
    assert locked.is_locked
    core.staff.reset_password(
        clinic.admin, locked.staff_id, expected_version=locked.version, new_password="fresh-temp-1"
    )
    who = core.auth.sign_in("reception", "fresh-temp-1")
    assert who.must_change_password


def test_stale_edit_fails_loudly(core: ClinicDesk, clinic: SeededClinic) -> None:
    """Two administrators opened the same account; the second save must not overwrite."""
    seen_by_both = _staff(core, clinic, "reception")
    core.staff.change_details(
        clinic.admin,
        seen_by_both.staff_id,
        expected_version=seen_by_both.version,
        full_name="Jonas Müller-Schmidt",
        roles=[Role.RECEPTION],
    )
    with pytest.raises(ConcurrentEditError, match="changed on another workstation"):
        core.staff.change_details(
            clinic.admin,
            seen_by_both.staff_id,
            expected_version=seen_by_both.version,
            full_name="Jonas M.",
            roles=[Role.PRACTITIONER],
        )
    now = _staff(core, clinic, "reception")
    assert (now.full_name, now.roles) == ("Jonas Müller-Schmidt", (Role.RECEPTION,))


def test_version_column_catches_a_race_between_load_and_write(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    """The database-level check: a row updated after another session loaded it."""
    with core.units() as first:
        stale = first.staff.by_username("reception")
        assert stale is not None
    core.staff.change_details(
        clinic.admin,
        stale.id,
        expected_version=stale.version,
        full_name="Changed Elsewhere",
        roles=[Role.RECEPTION],
    )
    with pytest.raises(ConcurrentEditError), core.units(write=True) as second:
        merged = second.session.merge(stale, load=False)
        merged.full_name = "Overwrite Attempt"
        second.commit()
    assert _staff(core, clinic, "reception").full_name == "Changed Elsewhere"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("username", {"username": "  "}),
        ("full_name", {"full_name": "x" * 10_000}),
        ("password", {"password": "1234"}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    core: ClinicDesk, clinic: SeededClinic, field: str, kwargs: dict[str, str]
) -> None:
    args: dict[str, Any] = {
        "username": "newperson", "full_name": "New Person", "password": STAFF_PASSWORD
    }
    args.update(kwargs)
    before = _last_audit(core).seq
    with pytest.raises(ValidationError) as caught:
        core.staff.add_staff(clinic.admin, roles=[Role.RECEPTION], **args)
    assert caught.value.field == field
    assert _last_audit(core).seq == before
