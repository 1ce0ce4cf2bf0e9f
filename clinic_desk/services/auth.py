"""First start, sign-in and the signed-in person's own password."""

from __future__ import annotations

from datetime import datetime

from clinic_desk.domain.clinic_profile import ClinicDetails, validate_clinic_details
from clinic_desk.domain.errors import (
    AccountInactive,
    AccountLocked,
    AuthenticationFailed,
    ClinicDeskError,
    ValidationError,
)
from clinic_desk.domain.roles import Role
from clinic_desk.domain.staff_rules import (
    LockoutPolicy,
    check_display_name,
    check_new_password,
    normalise_username,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile, StaffAccount
from clinic_desk.storage.unit_of_work import UnitOfWork

SIGN_IN_FAILED = "The user name or password is not right. Check them and try again."


def signed_in(account: StaffAccount) -> SignedInStaff:
    return SignedInStaff(
        staff_id=account.id,
        username=account.username,
        full_name=account.full_name,
        role=Role(account.role),
        must_change_password=account.must_change_password,
    )


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
                    is_demo=is_demo,
                    created_at=now,
                )
            )
            admin = uow.staff.add(
                StaffAccount(
                    username=username,
                    full_name=full_name,
                    role=Role.ADMINISTRATOR.value,
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
                    detail="role=administrator",
                ),
                at=now,
            )
            uow.commit()
            return signed_in(admin)

    def sign_in(self, username: str, password: str) -> SignedInStaff:
        try:
            name = normalise_username(username)
        except ValidationError:
            raise AuthenticationFailed(SIGN_IN_FAILED) from None
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            account = uow.staff.by_username(name)
            if account is None:
                # Hash anyway so that timing does not reveal which user names exist.
                self._hashing.verify(self._hashing.hash("not-a-password"), password)
                uow.audit.append(
                    AuditEvent(
                        "staff.sign_in",
                        "staff_account",
                        None,
                        outcome="failed",
                        detail="unknown user name",
                    ),
                    at=now,
                )
                uow.commit()
                raise AuthenticationFailed(SIGN_IN_FAILED)
            if account.locked_until is not None and account.locked_until > now:
                uow.audit.append(
                    AuditEvent(
                        "staff.sign_in",
                        "staff_account",
                        account.id,
                        staff_id=account.id,
                        outcome="refused",
                        detail="locked",
                    ),
                    at=now,
                )
                uow.commit()
                raise AccountLocked(
                    "Too many wrong passwords: this account is locked for a while. "
                    "Try again later or ask an administrator to reset the password.",
                    until_utc=account.locked_until,
                )
            if not self._hashing.verify(account.password_hash, password):
                self._record_failure(uow, account, now)
                uow.commit()
                if account.locked_until is not None:
                    raise AccountLocked(
                        "Too many wrong passwords: this account is now locked for "
                        f"{int(self._lockout.lock_for.total_seconds() // 60)} minutes.",
                        until_utc=account.locked_until,
                    )
                raise AuthenticationFailed(SIGN_IN_FAILED)
            if not account.is_active:
                uow.audit.append(
                    AuditEvent(
                        "staff.sign_in",
                        "staff_account",
                        account.id,
                        staff_id=account.id,
                        outcome="refused",
                        detail="inactive",
                    ),
                    at=now,
                )
                uow.commit()
                raise AccountInactive("This account has been deactivated. Ask an administrator.")
            account.failed_sign_ins = 0
            account.locked_until = None
            account.last_sign_in_at = now
            if self._hashing.needs_rehash(account.password_hash):
                account.password_hash = self._hashing.hash(password)
            uow.audit.append(
                AuditEvent("staff.sign_in", "staff_account", account.id, staff_id=account.id),
                at=now,
            )
            uow.commit()
            return signed_in(account)

    def _record_failure(self, uow: UnitOfWork, account: StaffAccount, now: datetime) -> None:
        account.failed_sign_ins += 1
        detail = f"failure {account.failed_sign_ins}"
        if account.failed_sign_ins >= self._lockout.max_failures:
            account.locked_until = now + self._lockout.lock_for
            account.failed_sign_ins = 0
            detail += ", account locked"
        uow.audit.append(
            AuditEvent(
                "staff.sign_in",
                "staff_account",
                account.id,
                staff_id=account.id,
                outcome="failed",
                detail=detail,
            ),
            at=now,
        )

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
            return signed_in(account)

    def sign_out(self, actor: SignedInStaff) -> None:
        with self._ctx.units(write=True) as uow:
            uow.audit.append(
                AuditEvent(
                    "staff.sign_out", "staff_account", actor.staff_id, staff_id=actor.staff_id
                ),
                at=self._ctx.clock(),
            )
            uow.commit()

    def change_own_password(
        self, actor: SignedInStaff, *, current_password: str, new_password: str
    ) -> SignedInStaff:
        check_new_password(new_password)
        now = self._ctx.clock()
        with self._ctx.units(write=True) as uow:
            account = uow.staff.get(actor.staff_id)
            if account is None or not account.is_active:
                raise AccountInactive("Your account is no longer active.")
            if not self._hashing.verify(account.password_hash, current_password):
                uow.audit.append(
                    AuditEvent(
                        "staff.password_changed",
                        "staff_account",
                        account.id,
                        staff_id=account.id,
                        outcome="failed",
                        detail="wrong current password",
                    ),
                    at=now,
                )
                uow.commit()
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
            uow.audit.append(
                AuditEvent(
                    "staff.password_changed", "staff_account", account.id, staff_id=account.id
                ),
                at=now,
            )
            uow.commit()
            return signed_in(account)
