"""First start, sign-in and the signed-in person's own password."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import partial
from typing import NoReturn, Protocol

from clinic_desk.domain.clinic_profile import ClinicDetails, validate_clinic_details
from clinic_desk.domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    SessionLocked,
    ValidationError,
)
from clinic_desk.domain.roles import Role, sorted_roles
from clinic_desk.domain.staff_rules import (
    LockoutPolicy,
    check_display_name,
    check_new_password,
    normalise_username,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SessionState, SignedInStaff, SignInSession
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile, StaffAccount, StaffRole
from clinic_desk.storage.unit_of_work import UnitOfWork

SIGN_IN_FAILED = "The user name or password is not right. Check them and try again."
LOCKED_NOW = "Too many wrong passwords: this account is now locked for {minutes} minutes."
LOCKED = (
    "Too many wrong passwords: this account is locked for a while. "
    "Try again later or ask an administrator to reset the password."
)


def signed_in(account: StaffAccount, session: SignInSession) -> SignedInStaff:
    return SignedInStaff(
        staff_id=account.id,
        username=account.username,
        full_name=account.full_name,
        roles=sorted_roles(Role(r) for r in account.role_names),
        session=session,
        must_change_password=account.must_change_password,
    )


def name_key(username: str) -> str:
    """What the failures of a name without an account are counted under."""
    return hashlib.sha256(username.encode("utf-8")).hexdigest()


class _Failures(Protocol):
    """A counter of failed sign-ins: an account's own, or a name's without one."""

    failed_sign_ins: int
    locked_until: datetime | None


class AuthService:
    def __init__(
        self, ctx: ServiceContext, hashing: PasswordHashing, lockout: LockoutPolicy
    ) -> None:
        self._ctx = ctx
        self._hashing = hashing
        self._lockout = lockout

    def needs_first_start(self) -> bool:
        """True until a clinic profile exists (then the first-start dialog is not shown)."""
        with self._ctx.units() as uow:
            return uow.clinic.get() is None

    def create_clinic(
        self,
        details: ClinicDetails,
        *,
        admin_username: str,
        admin_full_name: str,
        admin_password: str,
        is_demo: bool = False,
    ) -> SignedInStaff:
        """First start: the clinic profile and its first administrator, in one transaction."""
        clean = validate_clinic_details(details)
        username = normalise_username(admin_username)
        full_name = check_display_name(admin_full_name)
        check_new_password(admin_password)
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            if uow.clinic.get() is not None:
                raise ClinicDeskError("This database already has a clinic; sign in instead.")
            profile = uow.clinic.add(
                ClinicProfile(
                    name=clean.name,
                    address=clean.address,
                    phone=clean.phone,
                    time_zone=clean.time_zone,
                    paper_size=clean.paper_size.value,
                    date_format=clean.date_format.value,
                    intake_max_age_days=clean.intake_max_age_days,
                    country=clean.country,
                    consent_validity_months=clean.consent_validity_months or 12,
                    print_aftercare_on_sign_off=bool(clean.print_aftercare_on_sign_off),
                    is_demo=is_demo,
                    created_at=now,
                )
            )
            admin = uow.staff.add(
                StaffAccount(
                    username=username,
                    full_name=full_name,
                    role_rows=[StaffRole(role=Role.ADMINISTRATOR.value)],
                    password_hash=self._hashing.hash(admin_password),
                    is_active=True,
                    must_change_password=False,
                    failed_sign_ins=0,
                    created_at=now,
                )
            )
            uow.audit.append(
                AuditEvent("clinic.created", "clinic_profile", profile.id, staff_id=admin.id),
                at=now,
            )
            uow.audit.append(
                AuditEvent(
                    "staff.created",
                    "staff_account",
                    admin.id,
                    staff_id=admin.id,
                    detail="roles=administrator",
                ),
                at=now,
            )
            uow.commit()
            return signed_in(admin, SignInSession())

    def sign_in(self, username: str, password: str) -> SignedInStaff:
        """The same answer, in the same time, and the same lockout after the same number
        of tries, whether or not the user name belongs to an account: every attempt
        costs one password verification (against a stand-in hash for a name without an
        account) while the name's failure counter is locked, and every failure is
        audited in the same transaction that counts it."""
        self._hashing.prepare_dummy()
        try:
            name = normalise_username(username)
        except ValidationError:
            # No account can have such a name, and none will: nothing to count.
            self._hashing.verify_dummy(password)
            raise AuthenticationFailed(SIGN_IN_FAILED) from None
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            # Locks the account's row (or the name's counter) until the commit, so that
            # parallel guesses from several workstations are checked one at a time.
            account = uow.staff.by_username(name, for_update=True)
            if account is None:
                self._unknown_name(uow, name, password, now)
            audit = partial(self._audit_sign_in, uow, account.id, now)
            if account.locked_until is not None and account.locked_until > now:
                audit("refused", "locked")
                raise AccountLocked(LOCKED, until_utc=account.locked_until)
            if not self._hashing.verify(account.password_hash, password):
                detail = self._count_failure(account, now)
                audit("failed", detail)
                self._raise_failure(account, now)
            if not account.is_active:
                audit("refused", "inactive")
                raise AccountInactive("This account has been deactivated. Ask an administrator.")
            account.failed_sign_ins = 0
            account.locked_until = None
            account.last_sign_in_at = now
            if self._hashing.needs_rehash(account.password_hash):
                account.password_hash = self._hashing.hash(password)
            audit("success", "")
            return signed_in(account, SignInSession())

    def _unknown_name(self, uow: UnitOfWork, name: str, password: str, now: datetime) -> NoReturn:
        counter = uow.staff.sign_in_throttle(name_key(name), for_update=True)
        audit = partial(self._audit_sign_in, uow, None, now)
        if counter.locked_until is not None and counter.locked_until > now:
            audit("refused", "unknown user name, locked")
            raise AccountLocked(LOCKED, until_utc=counter.locked_until)
        self._hashing.verify_dummy(password)
        counter.last_failure_at = now
        audit("failed", "unknown user name, " + self._count_failure(counter, now))
        self._raise_failure(counter, now)

    def _count_failure(self, counter: _Failures, now: datetime) -> str:
        counter.failed_sign_ins += 1
        detail = f"failure {counter.failed_sign_ins}"
        if counter.failed_sign_ins >= self._lockout.max_failures:
            counter.locked_until = now + self._lockout.lock_for
            counter.failed_sign_ins = 0
            detail += ", account locked"
        return detail

    def _raise_failure(self, counter: _Failures, now: datetime) -> NoReturn:
        if counter.locked_until is not None and counter.locked_until > now:
            minutes = int(self._lockout.lock_for.total_seconds() // 60)
            raise AccountLocked(LOCKED_NOW.format(minutes=minutes), until_utc=counter.locked_until)
        raise AuthenticationFailed(SIGN_IN_FAILED)

    def _audit_sign_in(
        self, uow: UnitOfWork, staff_id: int | None, now: datetime, outcome: str, detail: str,
        *, action: str = "staff.sign_in",
    ) -> None:
        """Records the attempt and commits it, with whatever it counted."""
        uow.audit.append(
            AuditEvent(
                action, "staff_account", staff_id, staff_id=staff_id, outcome=outcome,
                detail=detail,
            ),
            at=now,
        )
        uow.commit()

    def demo_account(self, username: str) -> SignedInStaff:
        """Acts as one of the demo clinic's accounts without a password (the `demo` command
        re-issuing passwords and adding demo patients). Refused on any real clinic."""
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            profile = uow.clinic.get()
            account = uow.staff.by_username(normalise_username(username))
            if profile is None or not profile.is_demo or account is None:
                raise ClinicDeskError("Only the demo clinic can be reloaded.")
            uow.audit.append(
                AuditEvent("staff.demo_access", "staff_account", account.id, staff_id=account.id),
                at=now,
            )
            uow.commit()
            return signed_in(account, SignInSession())

    def sign_out(self, actor: SignedInStaff) -> None:
        """Ends the session: every later call with it is refused."""
        actor.session.move_to(SessionState.ENDED)
        with self._ctx.units(write=True) as uow:
            known = uow.staff.get(actor.staff_id) is not None
            self._audit_sign_in(
                uow, actor.staff_id if known else None, self._ctx.clock(), "success",
                "" if known else f"no account with staff id {actor.staff_id}",
                action="staff.sign_out",
            )

    def lock_session(self, actor: SignedInStaff) -> None:
        """The workstation was left idle: every service call is refused until the same
        person unlocks it with their password (or signs out)."""
        before = actor.session.move_to(SessionState.LOCKED)
        if before is not SessionState.OPEN:
            return
        with self._ctx.units(write=True) as uow:
            known = uow.staff.get(actor.staff_id) is not None
            self._audit_sign_in(
                uow, actor.staff_id if known else None, self._ctx.clock(), "success", "",
                action="staff.session_locked",
            )

    def unlock_session(self, actor: SignedInStaff, password: str) -> None:
        """Only the signed-in person's password unlocks; wrong ones count towards the
        account's lockout exactly as at sign-in (then only signing out is left)."""
        state = actor.session.state
        if state is SessionState.ENDED:
            raise SessionLocked("You have signed out. Sign in again to go on.")
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            account = uow.staff.get(actor.staff_id, for_update=True)
            audit = partial(
                self._audit_sign_in, uow, account.id if account else None, now,
                action="staff.session_unlocked",
            )
            if account is None or not account.is_active:
                audit("refused", "inactive account" if account else "no such account")
                raise AccountInactive("Your account is no longer active. Ask an administrator.")
            if account.locked_until is not None and account.locked_until > now:
                audit("refused", "locked")
                raise AccountLocked(LOCKED, until_utc=account.locked_until)
            if not self._hashing.verify(account.password_hash, password):
                audit("failed", self._count_failure(account, now))
                if account.locked_until is not None and account.locked_until > now:
                    self._raise_failure(account, now)
                raise AuthenticationFailed(
                    f"That is not the password of {account.full_name}. Only they can unlock "
                    "this workstation; anyone else signs out first."
                )
            account.failed_sign_ins = 0
            actor.session.move_to(SessionState.OPEN)
            audit("success", "")

    def change_own_password(
        self, actor: SignedInStaff, *, current_password: str, new_password: str
    ) -> SignedInStaff:
        """The one call an account with a temporary password may make (besides signing
        out); refused, and audited, from a locked or ended session or a deactivated
        account."""
        check_new_password(new_password)
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            account = uow.staff.get(actor.staff_id, for_update=True)
            audit = partial(
                self._audit_sign_in, uow, account.id if account else None, now,
                action="staff.password_changed",
            )
            if account is None or not account.is_active:
                audit("refused", "inactive account" if account else "no such account")
                raise AccountInactive("Your account is no longer active.")
            if actor.session.state is not SessionState.OPEN:
                audit("refused", f"session {actor.session.state.value}")
                raise SessionLocked("Unlock the workstation (or sign in) first.")
            if not self._hashing.verify(account.password_hash, current_password):
                audit("failed", "wrong current password")
                raise ValidationError(
                    "The current password is not right.", field="current_password"
                )
            if self._hashing.verify(account.password_hash, new_password):
                raise ValidationError(
                    "Choose a new password that differs from the current one.",
                    field="new_password",
                )
            account.password_hash = self._hashing.hash(new_password)
            account.must_change_password = False
            audit("success", "")
            return signed_in(account, actor.session)
