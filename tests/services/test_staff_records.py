"""What managing staff stores and records, field by field, and its limits at the edges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import StaffSummary
from clinic_desk.storage.models import StaffAccount
from clinic_desk.storage.unit_of_work import STALE_MESSAGE
from tests.helpers.clinic import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    FakeClock,
    SeededClinic,
)
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


def _staff(core: ClinicDesk, clinic: SeededClinic, username: str) -> StaffSummary:
    return next(s for s in core.staff.list_staff(clinic.admin) if s.username == username)


def _account(core: ClinicDesk, staff_id: int) -> StaffAccount:
    with core.units() as uow:
        found = uow.staff.get(staff_id)
        assert found is not None
        return found


def _staff_entry(action: str, staff_id: int, actor: int, detail: str = "",
                 outcome: str = "success") -> Entry:
    return Entry(action, "staff_account", str(staff_id), actor, None, outcome, detail)


def test_adding_staff_stores_every_field_and_records_it(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    before = entry_count(core)
    added = core.staff.add_staff(
        clinic.admin, username=" Kasia.Z ", full_name="  Katarzyna Żółć ",
        roles=[Role.RECEPTION, Role.PRACTITIONER], password="temporary-1",
    )
    account = _account(core, added.staff_id)
    assert (added.username, added.full_name, added.roles, added.is_active, added.is_locked,
            added.last_sign_in_at, added.version) == (
        "kasia.z", "Katarzyna Żółć", (Role.RECEPTION, Role.PRACTITIONER), True, False, None,
        account.version)
    assert (account.username, account.full_name, account.is_active,
            account.must_change_password, account.failed_sign_ins, account.locked_until,
            account.created_at) == (
        "kasia.z", "Katarzyna Żółć", True, True, 0, None, clock.now)
    assert account.role_names == frozenset({"practitioner", "reception"})
    assert entries(core, after=before) == [
        _staff_entry("staff.created", added.staff_id, clinic.admin.staff_id,
                     "roles=reception,practitioner"),
    ]
    assert core.auth.sign_in("kasia.z", "temporary-1").must_change_password is True


def test_a_permanent_password_needs_no_change(core: ClinicDesk, clinic: SeededClinic) -> None:
    core.staff.add_staff(clinic.admin, username="kasia", full_name="Kasia",
                         roles=[Role.RECEPTION], password="permanent-1", temporary=False)
    assert core.auth.sign_in("kasia", "permanent-1").must_change_password is False


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True), (9, True)])
def test_new_staff_password_length_at_its_edge(
    core: ClinicDesk, clinic: SeededClinic, length: int, accepted: bool
) -> None:
    before = entry_count(core)
    def add() -> object:
        return core.staff.add_staff(
            clinic.admin, username="kasia", full_name="Kasia", roles=[Role.RECEPTION],
            password="k" * length)
    if accepted:
        add()
        assert core.auth.sign_in("kasia", "k" * length).username == "kasia"
    else:
        with refused(ValidationError, "The password must have at least 8 characters."):
            add()
        assert entry_count(core) == before


def test_the_user_name_taken_message_names_it(core: ClinicDesk, clinic: SeededClinic) -> None:
    before = entry_count(core)
    with pytest.raises(ValidationError) as caught:
        core.staff.add_staff(clinic.admin, username="RECEPTION", full_name="Someone",
                             roles=[Role.RECEPTION], password=STAFF_PASSWORD)
    assert str(caught.value) == (
        "The user name “reception” is taken (user names ignore upper and lower case). "
        "Choose another.")
    assert entry_count(core) == before


def test_listing_staff_shows_who_is_locked_and_when_they_signed_in(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("reception", "wrong-password")
    with pytest.raises(AccountLocked):
        core.auth.sign_in("reception", "wrong-password")
    listed = {s.username: s for s in core.staff.list_staff(clinic.admin)}
    # Active accounts first, then by full name ignoring case ("Dr Łucja", "Jonas", "Zoë").
    assert [s.username for s in core.staff.list_staff(clinic.admin)] == [
        "practitioner", "reception", "admin"]
    assert (listed["reception"].is_locked, listed["practitioner"].is_locked) == (True, False)
    assert listed["practitioner"].last_sign_in_at == clock.now
    assert listed["admin"].last_sign_in_at is None
    assert listed["practitioner"].roles == (Role.PRACTITIONER,)
    practitioner = listed["practitioner"]
    core.staff.set_active(clinic.admin, practitioner.staff_id,
                          expected_version=practitioner.version, active=False)
    assert [s.username for s in core.staff.list_staff(clinic.admin)] == [
        "reception", "admin", "practitioner"]
    # On the lock's end it is no longer shown as locked.
    clock.advance(timedelta(minutes=15))
    assert _staff(core, clinic, "reception").is_locked is False
    before = entry_count(core)
    core.staff.list_staff(clinic.admin)
    assert entry_count(core) == before  # a permitted listing is not recorded


def test_changing_details_records_what_changed(core: ClinicDesk, clinic: SeededClinic) -> None:
    member = _staff(core, clinic, "reception")
    sid, admin = member.staff_id, clinic.admin.staff_id
    before = entry_count(core)
    renamed = core.staff.change_details(clinic.admin, sid, expected_version=member.version,
                                        full_name=" Jonas Müller-Schmidt ",
                                        roles=[Role.RECEPTION])
    assert renamed.full_name == "Jonas Müller-Schmidt" and renamed.version > member.version
    both = core.staff.change_details(clinic.admin, sid, expected_version=renamed.version,
                                     full_name="Jonas M.",
                                     roles=[Role.RECEPTION, Role.PRACTITIONER])
    assert both.roles == (Role.RECEPTION, Role.PRACTITIONER) and both.version > renamed.version
    roles_only = core.staff.change_details(clinic.admin, sid, expected_version=both.version,
                                           full_name="Jonas M.", roles=[Role.PRACTITIONER])
    assert roles_only.roles == (Role.PRACTITIONER,) and roles_only.version > both.version
    assert _account(core, sid).role_names == frozenset({"practitioner"})
    same = core.staff.change_details(clinic.admin, sid, expected_version=roles_only.version,
                                     full_name="Jonas M.", roles=[Role.PRACTITIONER])
    assert same.version == roles_only.version
    assert entries(core, after=before) == [
        _staff_entry("staff.changed", sid, admin, "name"),
        _staff_entry("staff.changed", sid, admin, "name, roles reception->reception,practitioner"),
        _staff_entry("staff.changed", sid, admin, "roles reception,practitioner->practitioner"),
    ]


def test_an_administrator_can_step_down_when_another_remains(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    practitioner = _staff(core, clinic, "practitioner")
    core.staff.change_details(clinic.admin, practitioner.staff_id,
                              expected_version=practitioner.version,
                              full_name=practitioner.full_name,
                              roles=[Role.PRACTITIONER, Role.ADMINISTRATOR])
    me = _staff(core, clinic, "admin")
    stepped = core.staff.change_details(clinic.admin, me.staff_id, expected_version=me.version,
                                        full_name=me.full_name, roles=[Role.RECEPTION])
    assert stepped.roles == (Role.RECEPTION,)


def test_a_deactivated_administrator_does_not_count_as_the_other_one(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    second = core.staff.add_staff(clinic.admin, username="second", full_name="Second",
                                  roles=[Role.ADMINISTRATOR], password=STAFF_PASSWORD,
                                  temporary=False)
    # While both are active, either may be deactivated or lose the role.
    off = core.staff.set_active(clinic.admin, second.staff_id,
                                expected_version=second.version, active=False)
    me = _staff(core, clinic, "admin")
    with refused(ClinicDeskError, "This is the only active administrator. Make someone else an "
                 "administrator first."):
        core.staff.change_details(clinic.admin, me.staff_id, expected_version=me.version,
                                  full_name=me.full_name, roles=[Role.RECEPTION])
    # A deactivated administrator may lose the role: it leaves no clinic without one.
    demoted = core.staff.change_details(clinic.admin, second.staff_id,
                                        expected_version=off.version, full_name="Second",
                                        roles=[Role.RECEPTION])
    assert demoted.roles == (Role.RECEPTION,)


def test_the_last_active_administrator_cannot_be_deactivated_by_another(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    second = core.staff.add_staff(clinic.admin, username="second", full_name="Second",
                                  roles=[Role.ADMINISTRATOR], password=STAFF_PASSWORD,
                                  temporary=False)
    other = core.auth.sign_in("second", STAFF_PASSWORD)
    me = _staff(core, clinic, "admin")
    off = core.staff.set_active(other, me.staff_id, expected_version=me.version, active=False)
    assert off.is_active is False
    # `second` is now the only active administrator; reactivating the first works,
    again = core.staff.set_active(other, me.staff_id, expected_version=off.version, active=True)
    assert again.is_active is True
    # and with two active again, the other may be deactivated by the first.
    assert core.staff.set_active(clinic.admin, second.staff_id,
                                 expected_version=_staff(core, clinic, "second").version,
                                 active=False).is_active is False


def test_deactivating_records_once_and_reactivating_records_once(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    member = _staff(core, clinic, "reception")
    sid, admin = member.staff_id, clinic.admin.staff_id
    before = entry_count(core)
    off = core.staff.set_active(clinic.admin, sid, expected_version=member.version, active=False)
    assert (off.is_active, _account(core, sid).is_active) == (False, False)
    again_off = core.staff.set_active(clinic.admin, sid, expected_version=off.version,
                                      active=False)
    assert again_off.version == off.version  # nothing to change, nothing recorded
    on = core.staff.set_active(clinic.admin, sid, expected_version=off.version, active=True)
    assert (on.is_active, _account(core, sid).is_active) == (True, True)
    assert entries(core, after=before) == [
        _staff_entry("staff.deactivated", sid, admin),
        _staff_entry("staff.reactivated", sid, admin),
    ]


def test_reset_password_stores_and_records(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    member = _staff(core, clinic, "reception")
    sid, admin = member.staff_id, clinic.admin.staff_id
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", "wrong-password")
    assert _account(core, sid).failed_sign_ins == 1
    member = _staff(core, clinic, "reception")  # counting the failure moved the version
    before = entry_count(core)
    reset = core.staff.reset_password(clinic.admin, sid, expected_version=member.version,
                                      new_password="fresh-temp-1")
    account = _account(core, sid)
    assert (account.must_change_password, account.failed_sign_ins, account.locked_until) == (
        True, 0, None)
    assert reset.version == account.version and reset.version > member.version
    assert entries(core, after=before) == [_staff_entry("staff.password_reset", sid, admin)]
    permanent = core.staff.reset_password(clinic.admin, sid, expected_version=reset.version,
                                          new_password="fresh-perm-1", temporary=False)
    assert _account(core, sid).must_change_password is False
    assert permanent.version > reset.version
    assert core.auth.sign_in("reception", "fresh-perm-1").must_change_password is False
    # An administrator resetting their own password is never asked to change it again.
    me = _staff(core, clinic, "admin")
    core.staff.reset_password(clinic.admin, me.staff_id, expected_version=me.version,
                              new_password="admin-new-1")
    assert _account(core, me.staff_id).must_change_password is False
    assert core.auth.sign_in("admin", "admin-new-1").must_change_password is False
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("admin", ADMIN_PASSWORD)


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True)])
def test_reset_password_length_at_its_edge(
    core: ClinicDesk, clinic: SeededClinic, length: int, accepted: bool
) -> None:
    member = _staff(core, clinic, "reception")
    before = entry_count(core)
    def reset() -> object:
        return core.staff.reset_password(
            clinic.admin, member.staff_id, expected_version=member.version,
            new_password="r" * length)
    if accepted:
        reset()
        assert core.auth.sign_in("reception", "r" * length).must_change_password
    else:
        with refused(ValidationError, "The password must have at least 8 characters."):
            reset()
        assert entry_count(core) == before


@pytest.mark.parametrize("call", ["change_details", "reset_password", "set_active"])
def test_edits_of_a_missing_or_stale_account_are_refused(
    core: ClinicDesk, clinic: SeededClinic, call: str
) -> None:
    member = _staff(core, clinic, "reception")
    extras: dict[str, dict[str, object]] = {
        "change_details": {"full_name": "Jonas", "roles": [Role.RECEPTION]},
        "reset_password": {"new_password": "fresh-temp-1"},
        "set_active": {"active": False},
    }
    extra = extras[call]
    method = getattr(core.staff, call)
    before = entry_count(core)
    with refused(NotFound, "That staff account no longer exists."):
        method(clinic.admin, 9999, expected_version=1, **extra)
    with refused(ConcurrentEditError, STALE_MESSAGE):
        method(clinic.admin, member.staff_id, expected_version=member.version + 1, **extra)
    assert entry_count(core) == before
    assert _staff(core, clinic, "reception") == member


def test_administrators_cannot_deactivate_themselves_but_may_reactivate_as_a_no_op(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    me = _staff(core, clinic, "admin")
    before = entry_count(core)
    with refused(ClinicDeskError, "You cannot deactivate your own account."):
        core.staff.set_active(clinic.admin, me.staff_id, expected_version=me.version,
                              active=False)
    still = core.staff.set_active(clinic.admin, me.staff_id, expected_version=me.version,
                                  active=True)
    assert (still.is_active, still.version) == (True, me.version)
    assert entry_count(core) == before


def test_every_refused_staff_change_is_recorded_against_its_account(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    member = _staff(core, clinic, "practitioner")
    sid, actor = member.staff_id, clinic.reception
    before = entry_count(core)
    calls = (
        lambda: core.staff.list_staff(actor),
        lambda: core.staff.add_staff(actor, username="sneaky", full_name="Sneaky",
                                     roles=[Role.ADMINISTRATOR], password=STAFF_PASSWORD),
        lambda: core.staff.change_details(actor, sid, expected_version=member.version,
                                          full_name="Renamed", roles=[Role.ADMINISTRATOR]),
        lambda: core.staff.reset_password(actor, sid, expected_version=member.version,
                                          new_password="stolen-pass-1"),
        lambda: core.staff.set_active(actor, sid, expected_version=member.version,
                                      active=False),
        lambda: core.staff.set_active(actor, sid, expected_version=member.version,
                                      active=True),
    )
    for call in calls:
        with refused(PermissionDenied, "A reception account cannot do this. Ask an "
                                       "administrator if you need it."):
            call()
    me, denied = actor.staff_id, "roles=reception"
    assert entries(core, after=before) == [
        Entry("staff.listed", "staff_account", None, me, None, "denied", denied),
        Entry("staff.created", "staff_account", None, me, None, "denied", denied),
        _staff_entry("staff.changed", sid, me, denied, "denied"),
        _staff_entry("staff.password_reset", sid, me, denied, "denied"),
        _staff_entry("staff.deactivated", sid, me, denied, "denied"),
        _staff_entry("staff.reactivated", sid, me, denied, "denied"),
    ]
    assert _staff(core, clinic, "practitioner") == member
