"""Repositories: the only place that builds queries for the services."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.storage.models import ClinicProfile, SignInThrottle, StaffAccount, StaffRole


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, staff_id: int, *, for_update: bool = False) -> StaffAccount | None:
        """`for_update`: the row stays locked until the transaction ends (PostgreSQL;
        SQLite's write transaction is exclusive already)."""
        return self._session.get(StaffAccount, staff_id, with_for_update=for_update or None)

    def by_username(self, username: str, *, for_update: bool = False) -> StaffAccount | None:
        query = select(StaffAccount).where(StaffAccount.username == username)
        if for_update:
            query = query.with_for_update()
        return self._session.scalars(query).one_or_none()

    def sign_in_throttle(self, name_key: str, *, for_update: bool = False) -> SignInThrottle:
        """The failure counter of a user name that has no account, made if missing; with
        `for_update` it is locked like an account's row would be."""
        # Imported here: the dialect modules are only needed for a failed sign-in.
        if self._session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            self._session.execute(
                pg_insert(SignInThrottle)
                .values(name_key=name_key, failed_sign_ins=0)
                .on_conflict_do_nothing(index_elements=["name_key"])
            )
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            self._session.execute(
                sqlite_insert(SignInThrottle)
                .values(name_key=name_key, failed_sign_ins=0)
                .on_conflict_do_nothing(index_elements=["name_key"])
            )
        query = select(SignInThrottle).where(SignInThrottle.name_key == name_key)
        if for_update:
            query = query.with_for_update()
        return self._session.scalars(query).one()

    def all(self) -> list[StaffAccount]:
        return list(
            self._session.scalars(
                select(StaffAccount).order_by(
                    StaffAccount.is_active.desc(), func.lower(StaffAccount.full_name)
                )
            )
        )

    def count_active_administrators(self, *, lock: bool = False) -> int:
        """With `lock`, the administrators' rows stay locked until the transaction ends:
        two administrators demoting each other at once cannot leave the clinic with none."""
        query = (
            select(StaffAccount.id)
            .join(StaffRole, StaffRole.staff_id == StaffAccount.id)
            .where(StaffRole.role == "administrator", StaffAccount.is_active.is_(True))
        )
        if lock:
            query = query.with_for_update()
        return len(self._session.scalars(query).all())

    def add(self, account: StaffAccount) -> StaffAccount:
        self._session.add(account)
        self._session.flush()
        return account


class ClinicRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> ClinicProfile | None:
        return self._session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()

    def add(self, profile: ClinicProfile) -> ClinicProfile:
        self._session.add(profile)
        self._session.flush()
        return profile
