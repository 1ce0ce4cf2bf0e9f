"""What sign-in, lockout, sessions and password changes record, field by field, and the
limits at their edges (one below, on, one above)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    SessionLocked,
    ValidationError,
)
from clinic_desk.domain.roles import Role
from clinic_desk.services.auth import LOCKED, LOCKED_NOW, SIGN_IN_FAILED, name_key
from clinic_desk.services.dto import SessionState, SignedInStaff, SignInSession
from clinic_desk.storage.models import ClinicProfile, SignInThrottle, StaffAccount
from tests.helpers.clinic import (
    ADMIN_PASSWORD,
    SAMPLE_CLINIC,
    STAFF_PASSWORD,
    FakeClock,
    seed_clinic,
)
from tests.services.audit_fields import Entry, entries, entry_count, stamps
from tests.services.exact import refused


def _account(core: ClinicDesk, username: str) -> StaffAccount:
    with core.units() as uow:
        found = uow.staff.by_username(username)
        assert found is not None
        return found


def _state(actor: SignedInStaff) -> SessionState:
    return actor.session.state


def _sign_in_entry(staff_id: int | None, outcome: str, detail: str,
                   action: str = "staff.sign_in") -> Entry:
    return Entry(action, "staff_account", None if staff_id is None else str(staff_id),
                 staff_id, None, outcome, detail)


def test_first_start_stores_every_detail_and_records_two_entries(
    core: ClinicDesk, clock: FakeClock
) -> None:
    admin = core.auth.create_clinic(
        SAMPLE_CLINIC, admin_username=" Zoe.Admin ", admin_full_name="Zoë Ångström",
        admin_password=ADMIN_PASSWORD,
    )
    assert (admin.username, admin.full_name, admin.roles, admin.must_change_password) == (
        "zoe.admin", "Zoë Ångström", (Role.ADMINISTRATOR,), False)
    assert admin.session.state is SessionState.OPEN
    with core.units() as uow:
        profile = uow.session.scalars(select(ClinicProfile)).one()
        stored = (profile.name, profile.address, profile.phone, profile.time_zone,
                  profile.paper_size, profile.date_format, profile.intake_max_age_days,
                  profile.country, profile.is_demo)
        created = profile.created_at
        profile_id = profile.id
    assert stored == (SAMPLE_CLINIC.name, SAMPLE_CLINIC.address, SAMPLE_CLINIC.phone,
                      "Europe/Warsaw", "A4", DateFormat.DAY_MONTH_YEAR_SLASH.value, 90, "PL",
                      False)
    assert created == clock.now
    account = _account(core, "zoe.admin")
    assert account.id == admin.staff_id
    assert (account.is_active, account.must_change_password, account.failed_sign_ins,
            account.locked_until, account.last_sign_in_at, account.created_at) == (
        True, False, 0, None, None, clock.now)
    assert account.role_names == frozenset({"administrator"})
    assert account.password_hash != ADMIN_PASSWORD
    assert core.auth.sign_in("zoe.admin", ADMIN_PASSWORD).staff_id == admin.staff_id
    assert entries(core)[:2] == [
        Entry("clinic.created", "clinic_profile", str(profile_id), admin.staff_id, None,
              "success", ""),
        Entry("staff.created", "staff_account", str(admin.staff_id), admin.staff_id, None,
              "success", "roles=administrator"),
    ]
    assert stamps(core)[0] == ("2026-11-22T09:00:00.000000Z", "test-workstation")


def test_first_start_of_the_demo_clinic_is_marked_as_demo(core: ClinicDesk) -> None:
    core.auth.create_clinic(SAMPLE_CLINIC, admin_username="admin", admin_full_name="Anna",
                            admin_password=ADMIN_PASSWORD, is_demo=True)
    with core.units() as uow:
        assert uow.session.scalars(select(ClinicProfile)).one().is_demo is True


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True), (9, True)])
def test_first_start_password_length_at_its_edge(
    core: ClinicDesk, length: int, accepted: bool
) -> None:
    def create() -> object:
        return core.auth.create_clinic(
            SAMPLE_CLINIC, admin_username="admin", admin_full_name="Anna",
            admin_password="p" * length)
    if accepted:
        create()
        assert not core.auth.needs_first_start()
    else:
        with refused(ValidationError, "The password must have at least 8 characters."):
            create()
        assert core.auth.needs_first_start() and entry_count(core) == 0


def test_a_successful_sign_in_records_and_resets(core: ClinicDesk, clock: FakeClock) -> None:
    seed_clinic(core)
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", "wrong-password")
    assert _account(core, "reception").failed_sign_ins == 1
    clock.advance(timedelta(minutes=3))
    before = entry_count(core)
    who = core.auth.sign_in("Reception", STAFF_PASSWORD)
    account = _account(core, "reception")
    assert (who.staff_id, who.username, who.full_name, who.roles,
            who.must_change_password) == (
        account.id, "reception", "Jonas Müller", (Role.RECEPTION,), False)
    assert who.session.state is SessionState.OPEN
    assert (account.failed_sign_ins, account.locked_until, account.last_sign_in_at) == (
        0, None, clock.now)
    assert entries(core, after=before) == [_sign_in_entry(account.id, "success", "")]
    assert stamps(core)[-1] == ("2026-11-22T09:03:00.000000Z", "test-workstation")


def test_lockout_on_the_fifth_failure_for_exactly_fifteen_minutes(
    core: ClinicDesk, clock: FakeClock
) -> None:
    seed_clinic(core)
    staff_id = _account(core, "reception").id
    before = entry_count(core)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as failed:
            core.auth.sign_in("reception", "wrong-password")
        assert str(failed.value) == SIGN_IN_FAILED
    assert _account(core, "reception").locked_until is None  # four are not enough
    with pytest.raises(AccountLocked) as locked:
        core.auth.sign_in("reception", "wrong-password")
    assert str(locked.value) == LOCKED_NOW.format(minutes=15)
    assert locked.value.until_utc == clock.now + timedelta(minutes=15)
    account = _account(core, "reception")
    assert (account.failed_sign_ins, account.locked_until) == (0, clock.now + timedelta(minutes=15))
    # One second before the end: refused even with the right password.
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(AccountLocked) as still:
        core.auth.sign_in("reception", STAFF_PASSWORD)
    assert str(still.value) == LOCKED
    assert still.value.until_utc == locked.value.until_utc
    # On the end: a wrong password is a plain failure again, the right one signs in.
    clock.advance(timedelta(seconds=1))
    with refused(AuthenticationFailed, SIGN_IN_FAILED):
        core.auth.sign_in("reception", "wrong-password")
    assert core.auth.sign_in("reception", STAFF_PASSWORD).staff_id == staff_id
    assert entries(core, after=before) == [
        _sign_in_entry(staff_id, "failed", "failure 1"),
        _sign_in_entry(staff_id, "failed", "failure 2"),
        _sign_in_entry(staff_id, "failed", "failure 3"),
        _sign_in_entry(staff_id, "failed", "failure 4"),
        _sign_in_entry(staff_id, "failed", "failure 5, account locked"),
        _sign_in_entry(staff_id, "refused", "locked"),
        _sign_in_entry(staff_id, "failed", "failure 1"),
        _sign_in_entry(staff_id, "success", ""),
    ]


def test_a_name_without_an_account_is_counted_under_its_hash(
    core: ClinicDesk, clock: FakeClock
) -> None:
    seed_clinic(core)
    # Known answers: the SHA-256 of the folded name, as hex.
    assert name_key("nobody") == "6382b3cc881412b77bfcaeed026001c00d9e3025e66c20f6e7e92f079851462a"
    assert name_key("zoë") == "2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450"
    before = entry_count(core)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in("NoBody", "wrong-password")
    with core.units() as uow:
        counter = uow.session.get(SignInThrottle, name_key("nobody"))
        assert counter is not None
        assert (counter.failed_sign_ins, counter.locked_until, counter.last_failure_at) == (
            4, None, clock.now)
    with pytest.raises(AccountLocked) as locked:
        core.auth.sign_in("nobody", "wrong-password")
    assert str(locked.value) == LOCKED_NOW.format(minutes=15)
    assert locked.value.until_utc == clock.now + timedelta(minutes=15)
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(AccountLocked) as still:
        core.auth.sign_in("nobody", "wrong-password")
    assert str(still.value) == LOCKED
    assert still.value.until_utc == locked.value.until_utc
    clock.advance(timedelta(seconds=1))
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("nobody", "wrong-password")
    unknown = [_sign_in_entry(None, "failed", f"unknown user name, failure {n}")
               for n in range(1, 5)]
    assert entries(core, after=before) == [
        *unknown,
        _sign_in_entry(None, "failed", "unknown user name, failure 5, account locked"),
        _sign_in_entry(None, "refused", "unknown user name, locked"),
        _sign_in_entry(None, "failed", "unknown user name, failure 1"),
    ]


def test_a_deactivated_account_is_refused_at_sign_in_and_recorded(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(clinic.admin, member.staff_id, expected_version=member.version,
                          active=False)
    before = entry_count(core)
    with refused(AccountInactive, "This account has been deactivated. Ask an administrator."):
        core.auth.sign_in("reception", STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", "wrong-password")
    assert entries(core, after=before) == [
        _sign_in_entry(member.staff_id, "refused", "inactive"),
        _sign_in_entry(member.staff_id, "failed", "failure 1"),
    ]
    assert _account(core, "reception").last_sign_in_at is not None  # from seeding only


def test_demo_access_is_only_for_the_demo_clinic(core: ClinicDesk) -> None:
    refused = "Only the demo clinic can be reloaded."
    with pytest.raises(ClinicDeskError) as no_clinic:
        core.auth.demo_account("admin")
    assert str(no_clinic.value) == refused
    seed_clinic(core)
    with pytest.raises(ClinicDeskError) as real_clinic:
        core.auth.demo_account("admin")
    assert str(real_clinic.value) == refused
    with core.units(write=True) as uow:
        profile = uow.clinic.get()
        assert profile is not None
        profile.is_demo = True
        uow.commit()
    with pytest.raises(ClinicDeskError) as no_account:
        core.auth.demo_account("nobody")
    assert str(no_account.value) == refused
    before = entry_count(core)
    who = core.auth.demo_account(" Reception ")
    staff_id = _account(core, "reception").id
    assert (who.staff_id, who.username, who.roles) == (staff_id, "reception", (Role.RECEPTION,))
    assert who.session.state is SessionState.OPEN
    assert core.patients.count(who) == 0  # a working session
    assert entries(core, after=before) == [
        Entry("staff.demo_access", "staff_account", str(staff_id), staff_id, None, "success", "")
    ]


def test_sign_out_and_session_lock_record_exactly(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    actor = clinic.practitioner
    before = entry_count(core)
    core.auth.lock_session(actor)
    core.auth.lock_session(actor)  # already locked: nothing more to record
    assert _state(actor) is SessionState.LOCKED
    core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert _state(actor) is SessionState.OPEN
    core.auth.sign_out(actor)
    assert _state(actor) is SessionState.ENDED
    core.auth.lock_session(actor)  # an ended session stays ended, unrecorded
    assert _state(actor) is SessionState.ENDED
    with refused(SessionLocked, "You have signed out. Sign in again to go on."):
        core.auth.unlock_session(actor, STAFF_PASSWORD)
    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.RECEPTION,), SignInSession())
    core.auth.sign_out(ghost)
    core.auth.lock_session(SignedInStaff(9998, "ghost", "Nobody", (), SignInSession()))
    sid = actor.staff_id
    assert entries(core, after=before) == [
        _sign_in_entry(sid, "success", "", "staff.session_locked"),
        _sign_in_entry(sid, "success", "", "staff.session_unlocked"),
        _sign_in_entry(sid, "success", "", "staff.sign_out"),
        _sign_in_entry(None, "success", "no account with staff id 9999", "staff.sign_out"),
        _sign_in_entry(None, "success", "", "staff.session_locked"),
    ]


def test_unlock_refusals_and_failures_record_exactly(core: ClinicDesk, clock: FakeClock) -> None:
    clinic = seed_clinic(core)
    actor = clinic.reception
    sid = actor.staff_id
    core.auth.lock_session(actor)
    before = entry_count(core)
    with refused(AuthenticationFailed, "That is not the password of Jonas Müller. Only they "
                 "can unlock this workstation; anyone else signs out first."):
        core.auth.unlock_session(actor, "wrong-password")
    assert _account(core, "reception").failed_sign_ins == 1
    core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert _account(core, "reception").failed_sign_ins == 0  # a right one starts afresh
    core.auth.lock_session(actor)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.unlock_session(actor, "wrong-password")
    with refused(AccountLocked, LOCKED_NOW.format(minutes=15)):
        core.auth.unlock_session(actor, "wrong-password")
    with pytest.raises(AccountLocked) as locked:
        core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert str(locked.value) == LOCKED
    assert locked.value.until_utc == clock.now + timedelta(minutes=15)
    # On the lock's end a wrong password counts afresh, and the right one opens it.
    clock.advance(timedelta(minutes=15))
    with refused(AuthenticationFailed, "That is not the password of Jonas Müller. Only they "
                 "can unlock this workstation; anyone else signs out first."):
        core.auth.unlock_session(actor, "wrong-password")
    core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert _state(actor) is SessionState.OPEN
    core.auth.lock_session(actor)
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(clinic.admin, sid, expected_version=member.version, active=False)
    with refused(AccountInactive, "Your account is no longer active. Ask an administrator."):
        core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert _state(actor) is SessionState.LOCKED
    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.RECEPTION,), SignInSession())
    with pytest.raises(AccountInactive):
        core.auth.unlock_session(ghost, STAFF_PASSWORD)
    unlock = [e for e in entries(core, after=before) if e.action == "staff.session_unlocked"]
    act = "staff.session_unlocked"
    assert unlock == [
        _sign_in_entry(sid, "failed", "failure 1", act),
        _sign_in_entry(sid, "success", "", act),
        *[_sign_in_entry(sid, "failed", f"failure {n}", act) for n in range(1, 5)],
        _sign_in_entry(sid, "failed", "failure 5, account locked", act),
        _sign_in_entry(sid, "refused", "locked", act),
        _sign_in_entry(sid, "failed", "failure 1", act),
        _sign_in_entry(sid, "success", "", act),
        _sign_in_entry(sid, "refused", "inactive account", act),
        _sign_in_entry(None, "refused", "no such account", act),
    ]


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True), (9, True)])
def test_own_password_length_at_its_edge(core: ClinicDesk, length: int, accepted: bool) -> None:
    clinic = seed_clinic(core)
    before = entry_count(core)
    def change() -> object:
        return core.auth.change_own_password(
            clinic.reception, current_password=STAFF_PASSWORD, new_password="n" * length)
    if accepted:
        change()
        assert core.auth.sign_in("reception", "n" * length).username == "reception"
    else:
        with refused(ValidationError, "The password must have at least 8 characters.") as caught:
            change()
        assert caught.value.field == "password"
        assert entry_count(core) == before
        assert core.auth.sign_in("reception", STAFF_PASSWORD).username == "reception"


def test_changing_a_temporary_password_clears_the_flag_where_it_is_stored(
    core: ClinicDesk
) -> None:
    clinic = seed_clinic(core)
    core.staff.add_staff(clinic.admin, username="new.nurse", full_name="Ana Lima",
                         roles=[Role.RECEPTION], password="temporary-1")
    newcomer = core.auth.sign_in("new.nurse", "temporary-1")
    assert _account(core, "new.nurse").must_change_password is True
    before = entry_count(core)
    changed = core.auth.change_own_password(newcomer, current_password="temporary-1",
                                            new_password="my-own-secret")
    assert _account(core, "new.nurse").must_change_password is False
    assert (changed.staff_id, changed.username, changed.full_name, changed.roles,
            changed.must_change_password) == (
        newcomer.staff_id, "new.nurse", "Ana Lima", (Role.RECEPTION,), False)
    assert changed.session is newcomer.session
    assert core.auth.sign_in("new.nurse", "my-own-secret").must_change_password is False
    assert entries(core, after=before)[0] == _sign_in_entry(
        newcomer.staff_id, "success", "", "staff.password_changed")


def test_own_password_change_refusals_record_exactly(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    actor = clinic.reception
    sid = actor.staff_id
    before = entry_count(core)
    with refused(ValidationError, "The current password is not right.") as wrong:
        core.auth.change_own_password(actor, current_password="not-the-one",
                                      new_password="brand-new-pass")
    assert wrong.value.field == "current_password"
    with refused(ValidationError,
                 "Choose a new password that differs from the current one.") as same:
        core.auth.change_own_password(actor, current_password=STAFF_PASSWORD,
                                      new_password=STAFF_PASSWORD)
    assert same.value.field == "new_password"
    core.auth.lock_session(actor)
    with refused(SessionLocked, "Unlock the workstation (or sign in) first."):
        core.auth.change_own_password(actor, current_password=STAFF_PASSWORD,
                                      new_password="brand-new-pass")
    core.auth.unlock_session(actor, STAFF_PASSWORD)
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(clinic.admin, sid, expected_version=member.version, active=False)
    # Deactivated while still signed in: the right current password changes nothing.
    with refused(AccountInactive, "Your account is no longer active."):
        core.auth.change_own_password(actor, current_password=STAFF_PASSWORD,
                                      new_password="brand-new-pass")
    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.RECEPTION,), SignInSession())
    with pytest.raises(AccountInactive):
        core.auth.change_own_password(ghost, current_password=STAFF_PASSWORD,
                                      new_password="brand-new-pass")
    act = "staff.password_changed"
    assert [e for e in entries(core, after=before) if e.action == act] == [
        _sign_in_entry(sid, "failed", "wrong current password", act),
        _sign_in_entry(sid, "refused", "session locked", act),
        _sign_in_entry(sid, "refused", "inactive account", act),
        _sign_in_entry(None, "refused", "no such account", act),
    ]
    # None of them changed the password.
    reactivated = next(s for s in core.staff.list_staff(clinic.admin) if s.staff_id == sid)
    core.staff.set_active(clinic.admin, sid, expected_version=reactivated.version, active=True)
    assert core.auth.sign_in("reception", STAFF_PASSWORD).staff_id == sid


def test_first_start_keeps_a_clinic_that_differs_from_every_default(core: ClinicDesk) -> None:
    from dataclasses import replace

    from clinic_desk.domain.clinic_profile import PaperSize

    details = replace(SAMPLE_CLINIC, paper_size=PaperSize.LETTER, date_format=DateFormat.ISO,
                      intake_max_age_days=30, country="DE")
    core.auth.create_clinic(details, admin_username="admin", admin_full_name="Anna",
                            admin_password=ADMIN_PASSWORD)
    profile = core.clinic.profile()
    assert profile is not None
    assert (profile.paper_size, profile.date_format, profile.intake_max_age_days,
            profile.country) == (PaperSize.LETTER, DateFormat.ISO, 30, "DE")
    with refused(ClinicDeskError, "This database already has a clinic; sign in instead."):
        core.auth.create_clinic(details, admin_username="second", admin_full_name="Bea",
                                admin_password=ADMIN_PASSWORD)


@pytest.mark.parametrize("name", ["reception", "nobody"])
def test_a_password_no_one_can_have_is_just_wrong(core: ClinicDesk, name: str) -> None:
    seed_clinic(core)
    with refused(AuthenticationFailed, SIGN_IN_FAILED):
        core.auth.sign_in(name, "wrong-\ud800-password")  # a lone surrogate
