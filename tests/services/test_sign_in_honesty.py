"""Sign-in that tells nothing about which names exist, holds against parallel guesses,
and sessions the services refuse once they are locked, ended, or must change password."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clinic_desk.app import ClinicDesk, open_clinic_desk
from clinic_desk.domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    PasswordChangeRequired,
    SessionLocked,
)
from clinic_desk.domain.roles import Role
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.dto import SignedInStaff, SignInSession
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.storage.models import AuditEntry
from tests.conftest import settings_for
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, fast_hashing, seed_clinic


class CountingHashing(PasswordHashing):
    """The real argon2 hashing, counting each hash or verification (threads included)."""

    def __init__(self) -> None:
        super().__init__(fast_hashing()._hasher)
        self.verifications = 0
        self._guard = threading.Lock()

    def _count(self) -> None:
        with self._guard:
            self.verifications += 1

    def hash(self, password: str) -> str:
        self._count()
        return super().hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        self._count()
        return super().verify(stored_hash, password)


def _entries(core: ClinicDesk, action: str = "staff.sign_in") -> list[AuditEntry]:
    with core.units() as uow:
        return list(uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def _outcome(call: Callable[[], object]) -> tuple[str, str]:
    try:
        call()
    except ClinicDeskError as exc:
        return type(exc).__name__, str(exc)
    return "signed in", ""


@pytest.mark.parametrize("name", ["reception", "nobody.here"])
def test_a_name_without_an_account_locks_out_exactly_like_one_with(
    core: ClinicDesk, clock: FakeClock, name: str
) -> None:
    seed_clinic(core)
    before = len(_entries(core))
    answers = [_outcome(lambda: core.auth.sign_in(name, "wrong-password")) for _ in range(6)]
    failed = ("AuthenticationFailed",
              "The user name or password is not right. Check them and try again.")
    locked_now = ("AccountLocked",
                  "Too many wrong passwords: this account is now locked for 15 minutes.")
    still_locked = ("AccountLocked", "Too many wrong passwords: this account is locked for a "
                    "while. Try again later or ask an administrator to reset the password.")
    assert answers == [failed] * 4 + [locked_now, still_locked]
    # Even the right password waits out the lock, and then the count starts again
    assert _outcome(lambda: core.auth.sign_in(name, STAFF_PASSWORD)) == still_locked
    clock.advance(timedelta(minutes=15, seconds=1))
    after = _outcome(lambda: core.auth.sign_in(name, STAFF_PASSWORD))
    assert after == (("signed in", "") if name == "reception" else failed)
    # Every attempt is in the audit log, and the chain holds
    outcomes = [e.outcome for e in _entries(core)[before:]]
    assert outcomes == ["failed"] * 5 + ["refused"] * 2 + (
        ["success"] if name == "reception" else ["failed"])
    assert verify_audit_log(core.units).ok


@pytest.mark.parametrize("name", ["reception", "nobody.here", "not a valid name!"])
def test_every_attempt_costs_exactly_one_argon2_run(
    database_url: str, tmp_path: Path, clock: FakeClock, name: str
) -> None:
    hashing = CountingHashing()
    core, _ = open_clinic_desk(settings_for(database_url, tmp_path), hashing=hashing,
                               clock=clock, lockout=LockoutPolicy(), create=True)
    try:
        seed_clinic(core)
        hashing.prepare_dummy()
        before = hashing.verifications
        with pytest.raises(AuthenticationFailed):
            core.auth.sign_in(name, "wrong-password")
        assert hashing.verifications - before == 1
    finally:
        core.close()


@pytest.mark.postgresql
@pytest.mark.parametrize("name", ["reception", "nobody.here"])
def test_forty_parallel_guesses_on_postgresql_stop_after_five(
    postgresql_url: str, tmp_path: Path, clock: FakeClock, name: str
) -> None:
    hashing = CountingHashing()
    core, _ = open_clinic_desk(settings_for(postgresql_url, tmp_path), hashing=hashing,
                               clock=clock, lockout=LockoutPolicy(), create=True)
    try:
        seed_clinic(core)
        hashing.prepare_dummy()
        checks_before = hashing.verifications
        entries_before = len(_entries(core))
        start = threading.Barrier(40)
        answers: list[str] = []
        guard = threading.Lock()

        def guess(number: int) -> None:
            start.wait(timeout=30)
            answer = _outcome(lambda: core.auth.sign_in(name, f"guess-{number:02d}"))[0]
            with guard:
                answers.append(answer)

        # Each thread takes its own pooled connection; at most 15 are open at once.
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert sorted(answers) == ["AccountLocked"] * 36 + ["AuthenticationFailed"] * 4
        assert hashing.verifications - checks_before == 5
        outcomes = [e.outcome for e in _entries(core)[entries_before:]]
        assert outcomes.count("failed") == 5 and outcomes.count("refused") == 35
        assert len(outcomes) == 40
        assert verify_audit_log(core.units).ok
    finally:
        core.close()


def test_a_temporary_password_allows_nothing_but_changing_it(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    core.staff.add_staff(clinic.admin, username="new.nurse", full_name="Ana Lima",
                         roles=[Role.RECEPTION], password="temporary-1")
    newcomer = core.auth.sign_in("new.nurse", "temporary-1")
    assert newcomer.must_change_password
    with pytest.raises(PasswordChangeRequired, match="Choose your own password first"):
        core.patients.search(newcomer, "")
    refusal = _entries(core, "patient.searched")[-1]
    assert (refusal.outcome, refusal.staff_id, refusal.detail) == (
        "denied", newcomer.staff_id, "temporary password not yet changed")
    changed = core.auth.change_own_password(newcomer, current_password="temporary-1",
                                            new_password="my-own-secret")
    assert not changed.must_change_password and changed.session is newcomer.session
    # The check reads the account as stored now: the old copy works as well
    assert core.patients.search(newcomer, "").rows == ()


def test_a_deactivated_accounts_password_change_is_refused_and_audited(
    core: ClinicDesk,
) -> None:
    clinic = seed_clinic(core)
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(clinic.admin, member.staff_id, expected_version=member.version,
                          active=False)
    with pytest.raises(AccountInactive):
        core.auth.change_own_password(clinic.reception, current_password=STAFF_PASSWORD,
                                      new_password="another-secret")
    entry = _entries(core, "staff.password_changed")[-1]
    assert (entry.outcome, entry.staff_id, entry.detail) == (
        "refused", member.staff_id, "inactive account")


def test_a_sign_in_that_names_no_account_is_refused_and_audited(core: ClinicDesk) -> None:
    seed_clinic(core)
    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.ADMINISTRATOR,), SignInSession())
    with pytest.raises(AccountInactive, match="names no staff account"):
        core.staff.list_staff(ghost)
    with pytest.raises(AccountInactive, match="names no staff account"):
        core.patients.get(ghost, 1)
    with pytest.raises(AccountInactive):
        core.auth.change_own_password(ghost, current_password="x" * 8, new_password="y" * 8)
    core.auth.sign_out(ghost)  # leaving never fails
    listed = _entries(core, "staff.listed")[-1]
    assert (listed.outcome, listed.staff_id, listed.detail) == (
        "denied", None, "no account with staff id 9999")
    viewed = _entries(core, "patient.viewed")[-1]
    assert (viewed.staff_id, viewed.patient_id) == (None, 1)
    assert verify_audit_log(core.units).ok


def test_a_locked_session_is_refused_until_its_own_password_unlocks_it(
    core: ClinicDesk,
) -> None:
    clinic = seed_clinic(core)
    actor = clinic.practitioner
    core.auth.lock_session(actor)
    assert actor.is_locked
    with pytest.raises(SessionLocked, match="locked"):
        core.patients.search(actor, "")
    assert _entries(core, "patient.searched")[-1].detail == "session locked"
    # Another person's password does not open it, and counts as a wrong one
    with pytest.raises(AuthenticationFailed, match="not the password of Dr Łucja"):
        core.auth.unlock_session(actor, "admin-password-1")
    assert actor.is_locked
    core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert not actor.is_locked and core.patients.search(actor, "").rows == ()
    outcomes = [(e.outcome) for e in _entries(core, "staff.session_unlocked")]
    assert outcomes == ["failed", "success"]
    assert [e.action for e in _entries(core, "staff.session_locked")] == ["staff.session_locked"]


def test_wrong_unlock_passwords_lock_the_account_like_sign_in(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    actor = clinic.reception
    core.auth.lock_session(actor)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            core.auth.unlock_session(actor, "wrong-password")
    with pytest.raises(AccountLocked):
        core.auth.unlock_session(actor, "wrong-password")
    with pytest.raises(AccountLocked):
        core.auth.unlock_session(actor, STAFF_PASSWORD)
    assert actor.is_locked


def test_a_signed_out_session_is_refused(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    core.auth.sign_out(clinic.reception)
    with pytest.raises(SessionLocked, match="signed out"):
        core.patients.search(clinic.reception, "")
    with pytest.raises(SessionLocked):
        core.auth.unlock_session(clinic.reception, STAFF_PASSWORD)
    assert _entries(core, "patient.searched")[-1].detail == "signed out"
