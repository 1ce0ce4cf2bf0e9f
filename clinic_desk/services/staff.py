"""Administrators manage staff accounts: add, change roles, reset password, deactivate."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm.attributes import flag_modified

from clinic_desk.domain.errors import (
    ClinicDeskError,
    ConcurrentEditError,
    NotFound,
    ValidationError,
)
from clinic_desk.domain.roles import Permission, Role, check_roles, roles_text, sorted_roles
from clinic_desk.domain.staff_rules import (
    check_display_name,
    check_new_password,
    normalise_username,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SignedInStaff, StaffSummary
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import StaffAccount, StaffRole
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork


class StaffService:
    def __init__(self, ctx: ServiceContext, hashing: PasswordHashing) -> None:
        self._ctx = ctx
        self._hashing = hashing

    def _summary(self, account: StaffAccount) -> StaffSummary:
        now = self._ctx.clock()
        return StaffSummary(
            staff_id=account.id,
            username=account.username,
            full_name=account.full_name,
            roles=sorted_roles(Role(r) for r in account.role_names),
            is_active=account.is_active,
            is_locked=account.locked_until is not None and account.locked_until > now,
            last_sign_in_at=account.last_sign_in_at,
            version=account.version,
        )

    def list_staff(self, actor: SignedInStaff) -> list[StaffSummary]:
        with self._ctx.authorized(
            actor, Permission.MANAGE_STAFF, action="staff.listed", entity_type="staff_account"
        ) as (uow, _):
            return [self._summary(a) for a in uow.staff.all()]

    def add_staff(
        self,
        actor: SignedInStaff,
        *,
        username: str,
        full_name: str,
        roles: Collection[Role],
        password: str,
        temporary: bool = True,
    ) -> StaffSummary:
        """`temporary`: the person must choose their own password at first sign-in.
        `roles`: one or more; what the person may do is the union."""
        name = normalise_username(username)
        display = check_display_name(full_name)
        held = check_roles(roles)
        check_new_password(password)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_STAFF,
            action="staff.created",
            entity_type="staff_account",
            write=True,
        ) as (uow, _):
            if uow.staff.by_username(name) is not None:
                raise ValidationError(
                    f"The user name “{name}” is taken (user names ignore upper and lower "
                    "case). Choose another.",
                    field="username",
                )
            account = uow.staff.add(
                StaffAccount(
                    username=name,
                    full_name=display,
                    role_rows=[StaffRole(role=r.value) for r in sorted_roles(held)],
                    password_hash=self._hashing.hash(password),
                    is_active=True,
                    must_change_password=temporary,
                    failed_sign_ins=0,
                    created_at=now,
                )
            )
            uow.audit.append(
                AuditEvent(
                    "staff.created",
                    "staff_account",
                    account.id,
                    staff_id=actor.staff_id,
                    detail=f"roles={roles_text(held)}",
                ),
                at=now,
            )
            uow.commit()
            return self._summary(account)

    def _load_for_edit(self, uow: UnitOfWork, staff_id: int, expected_version: int) -> StaffAccount:
        account = uow.staff.get(staff_id)
        if account is None:
            raise NotFound("That staff account no longer exists.")
        if account.version != expected_version:
            raise ConcurrentEditError(STALE_MESSAGE)
        return account

    def change_details(
        self,
        actor: SignedInStaff,
        staff_id: int,
        *,
        expected_version: int,
        full_name: str,
        roles: Collection[Role],
    ) -> StaffSummary:
        display = check_display_name(full_name)
        new_roles = check_roles(roles)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_STAFF,
            action="staff.changed",
            entity_type="staff_account",
            entity_id=staff_id,
            write=True,
        ) as (uow, _):
            account = self._load_for_edit(uow, staff_id, expected_version)
            old_roles = frozenset(Role(r) for r in account.role_names)
            if (
                Role.ADMINISTRATOR in old_roles
                and Role.ADMINISTRATOR not in new_roles
                and account.is_active
                and uow.staff.count_active_administrators(lock=True) <= 1
            ):
                raise ClinicDeskError(
                    "This is the only active administrator. Make someone else an "
                    "administrator first."
                )
            changes = []
            if account.full_name != display:
                changes.append("name")
                account.full_name = display
            if old_roles != new_roles:
                changes.append(f"roles {roles_text(old_roles)}->{roles_text(new_roles)}")
                kept = [row for row in account.role_rows if Role(row.role) in new_roles]
                added = [StaffRole(role=r.value) for r in sorted_roles(new_roles - old_roles)]
                account.role_rows = kept + added
                # The roles live in rows of their own: the account's version must still
                # move, so that another workstation's stale edit of it is refused.
                flag_modified(account, "full_name")
            if changes:
                uow.audit.append(
                    AuditEvent(
                        "staff.changed",
                        "staff_account",
                        account.id,
                        staff_id=actor.staff_id,
                        detail=", ".join(changes),
                    ),
                    at=now,
                )
                uow.flush()
            uow.commit()
            return self._summary(account)

    def reset_password(
        self,
        actor: SignedInStaff,
        staff_id: int,
        *,
        expected_version: int,
        new_password: str,
        temporary: bool = True,
    ) -> StaffSummary:
        """Sets a new password and lifts any lock; a temporary one must be replaced at
        the next sign-in (not when administrators reset their own)."""
        check_new_password(new_password)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_STAFF,
            action="staff.password_reset",
            entity_type="staff_account",
            entity_id=staff_id,
            write=True,
        ) as (uow, _):
            account = self._load_for_edit(uow, staff_id, expected_version)
            account.password_hash = self._hashing.hash(new_password)
            account.must_change_password = temporary and account.id != actor.staff_id
            account.failed_sign_ins = 0
            account.locked_until = None
            uow.audit.append(
                AuditEvent(
                    "staff.password_reset", "staff_account", account.id, staff_id=actor.staff_id
                ),
                at=now,
            )
            uow.flush()
            uow.commit()
            return self._summary(account)

    def set_active(
        self, actor: SignedInStaff, staff_id: int, *, expected_version: int, active: bool
    ) -> StaffSummary:
        """Deactivate (never delete) or reactivate an account."""
        now = self._ctx.clock()
        action = "staff.reactivated" if active else "staff.deactivated"
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_STAFF,
            action=action,
            entity_type="staff_account",
            entity_id=staff_id,
            write=True,
        ) as (uow, _):
            account = self._load_for_edit(uow, staff_id, expected_version)
            if not active and account.id == actor.staff_id:
                raise ClinicDeskError("You cannot deactivate your own account.")
            if (
                not active
                and Role.ADMINISTRATOR.value in account.role_names
                and account.is_active
                and uow.staff.count_active_administrators(lock=True) <= 1
            ):
                raise ClinicDeskError("The clinic needs at least one active administrator.")
            if account.is_active != active:
                account.is_active = active
                uow.audit.append(
                    AuditEvent(action, "staff_account", account.id, staff_id=actor.staff_id),
                    at=now,
                )
                uow.flush()
            uow.commit()
            return self._summary(account)
