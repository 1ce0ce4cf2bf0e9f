"""What every service needs: units of work, a clock, and the permission check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from clinic_desk.domain.errors import AccountInactive, PermissionDenied
from clinic_desk.domain.roles import ROLE_TITLES, Permission, Role, role_allows
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile, StaffAccount
from clinic_desk.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class ServiceContext:
    units: UnitOfWorkFactory
    clock: Clock

    @contextmanager
    def authorized(
        self,
        actor: SignedInStaff,
        permission: Permission,
        *,
        action: str,
        entity_type: str,
        entity_id: str | int | None = None,
        write: bool = False,
    ) -> Iterator[tuple[UnitOfWork, StaffAccount]]:
        """A unit of work that has checked the actor's permission first (see `authorize`);
        yields it with the actor's account as stored now."""
        with self.units(write=write) as uow:
            account = authorize(
                self,
                uow,
                actor,
                permission,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
            )
            yield uow, account


def authorize(
    ctx: ServiceContext,
    uow: UnitOfWork,
    actor: SignedInStaff,
    permission: Permission,
    *,
    action: str,
    entity_type: str,
    entity_id: str | int | None = None,
) -> StaffAccount:
    """Check the actor's current role (as stored now, not as at sign-in).

    Call it first in a unit of work, before any change: a refusal is recorded in the
    audit log and committed on its own, and nothing else is.
    """
    account = uow.staff.get(actor.staff_id)
    if account is None or not account.is_active:
        _record_refusal(ctx, uow, actor, action, entity_type, entity_id, "inactive account")
        raise AccountInactive("Your account is no longer active. Ask an administrator.")
    role = Role(account.role)
    if not role_allows(role, permission):
        _record_refusal(ctx, uow, actor, action, entity_type, entity_id, f"role={role.value}")
        raise PermissionDenied(
            f"A {ROLE_TITLES[role].lower()} account cannot do this. "
            "Ask an administrator if you need it."
        )
    return account


def _record_refusal(
    ctx: ServiceContext,
    uow: UnitOfWork,
    actor: SignedInStaff,
    action: str,
    entity_type: str,
    entity_id: str | int | None,
    detail: str,
) -> None:
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        staff_id=actor.staff_id,
        outcome="denied",
        detail=detail,
    )
    if uow.is_write:
        uow.audit.append(event, at=ctx.clock())
        uow.commit()
        return
    # A read transaction on SQLite may not be able to become a writer: write apart.
    uow.session.rollback()
    with ctx.units(write=True) as writer:
        writer.audit.append(event, at=ctx.clock())
        writer.commit()


def clinic_today(ctx: ServiceContext, uow: UnitOfWork) -> date:
    """Today's date where the clinic is, not where the server is."""
    return today_at(ctx, uow.clinic.get())


def today_at(ctx: ServiceContext, profile: ClinicProfile | None) -> date:
    zone = ZoneInfo(profile.time_zone) if profile else None
    return ctx.clock().astimezone(zone).date()
