"""What every service needs: units of work, a clock, and the permission check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Literal
from zoneinfo import ZoneInfo

from clinic_desk.domain.errors import (
    AccountInactive,
    PasswordChangeRequired,
    PermissionDenied,
    SessionLocked,
)
from clinic_desk.domain.roles import (
    ROLE_TITLES,
    Permission,
    Role,
    roles_allow,
    roles_text,
    sorted_roles,
)
from clinic_desk.services.dto import SessionState, SignedInStaff
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

    @contextmanager
    def viewing(
        self, actor: SignedInStaff, *, action: str, patient_id: int
    ) -> Iterator[UnitOfWork]:
        """A unit of work for reading one patient's record that, when the reading
        succeeds, records who looked (see `record_view`) before the data is handed out.

        The reading is a read transaction (it never waits for, or holds up, a writer);
        only a look that starts a new burst opens a short write transaction for its one
        entry, so reopening a chart within `VIEW_BURST` writes nothing at all."""
        with self.authorized(
            actor,
            Permission.VIEW_PATIENTS,
            action=action,
            entity_type="patient",
            entity_id=patient_id,
        ) as (uow, _):
            yield uow
            due = not _seen_recently(self, uow, actor, action=action, patient_id=patient_id)
        if due:
            with self.units(write=True) as writer:
                record_view(self, writer, actor, action=action, patient_id=patient_id)
                writer.commit()


# Views of one record by one person this close together are one entry: a chart that is
# reloaded, or whose screening is recomputed for another date, is still one look at it.
VIEW_BURST = timedelta(minutes=5)


def record_view(
    ctx: ServiceContext, uow: UnitOfWork, actor: SignedInStaff, *, action: str, patient_id: int
) -> None:
    """Who looked at which patient's record, ids only. A look within `VIEW_BURST` of the
    last recorded one of the same kind, by the same person, adds nothing: the log then
    says when each stretch of looking began, never less than one entry per five minutes
    of it, and costs one indexed lookup."""
    if _seen_recently(ctx, uow, actor, action=action, patient_id=patient_id):
        return
    uow.audit.append(
        AuditEvent(action, "patient", patient_id, staff_id=actor.staff_id, patient_id=patient_id),
        at=ctx.clock(),
    )


def _seen_recently(
    ctx: ServiceContext, uow: UnitOfWork, actor: SignedInStaff, *, action: str, patient_id: int
) -> bool:
    since = ctx.clock() - VIEW_BURST
    return uow.audit.has_recent(
        staff_id=actor.staff_id, patient_id=patient_id, action=action, since=since
    )


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
    """Check who is asking, as stored now (not as at sign-in): the one place every
    service call passes, so every rule about who may do anything lives here.

    Refused, in this order: a sign-in that names no account, a session that is locked
    (idle workstation) or ended (signed out), a deactivated account, an account that
    must still replace its temporary password, and roles none of which allow it.
    Call it first in a unit of work, before any change: a refusal is recorded in the
    audit log and committed on its own, and nothing else is.
    """
    refuse = partial(_record_refusal, ctx, uow, actor, action, entity_type, entity_id)
    account = uow.staff.get(actor.staff_id)
    if account is None:
        # The entry cannot name an account that does not exist (its foreign key).
        refuse(f"no account with staff id {actor.staff_id}", staff_id=None)
        raise AccountInactive("This sign-in names no staff account. Sign in again.")
    state = actor.session.state
    if state is SessionState.LOCKED:
        refuse("session locked")
        raise SessionLocked("This workstation is locked. Unlock it with your password first.")
    if state is SessionState.ENDED:
        refuse("signed out")
        raise SessionLocked("You have signed out. Sign in again to go on.")
    if not account.is_active:
        refuse("inactive account")
        raise AccountInactive("Your account is no longer active. Ask an administrator.")
    if account.must_change_password:
        refuse("temporary password not yet changed")
        raise PasswordChangeRequired(
            "Choose your own password first (File → Change my password): the one you "
            "were given is temporary."
        )
    roles = sorted_roles(Role(r) for r in account.role_names)
    if not roles_allow(roles, permission):
        refuse(f"roles={roles_text(roles)}")
        titles = " and ".join(ROLE_TITLES[r].lower() for r in roles) or "role-less"
        raise PermissionDenied(
            f"A {titles} account cannot do this. Ask an administrator if you need it."
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
    *,
    staff_id: int | Literal["actor"] | None = "actor",
) -> None:
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        staff_id=actor.staff_id if staff_id == "actor" else staff_id,
        # A refused look at a patient's record belongs to that patient's access history.
        patient_id=patient_of(entity_type, entity_id),
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


def patient_of(entity_type: str, entity_id: str | int | None) -> int | None:
    if entity_type != "patient" or entity_id is None:
        return None
    try:
        return int(entity_id)
    except ValueError:
        return None


def clinic_today(ctx: ServiceContext, uow: UnitOfWork) -> date:
    """Today's date where the clinic is, not where the server is."""
    return today_at(ctx, uow.clinic.get())


def today_at(ctx: ServiceContext, profile: ClinicProfile | None) -> date:
    zone = ZoneInfo(profile.time_zone) if profile else None
    return ctx.clock().astimezone(zone).date()
