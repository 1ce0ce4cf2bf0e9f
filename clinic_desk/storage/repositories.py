"""Repositories: the only place that builds queries for the services."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.storage.models import ClinicProfile, StaffAccount


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, staff_id: int) -> StaffAccount | None:
        return self._session.get(StaffAccount, staff_id)

    def by_username(self, username: str) -> StaffAccount | None:
        return self._session.scalars(
            select(StaffAccount).where(StaffAccount.username == username)
        ).one_or_none()

    def all(self) -> list[StaffAccount]:
        return list(
            self._session.scalars(
                select(StaffAccount).order_by(
                    StaffAccount.is_active.desc(), func.lower(StaffAccount.full_name)
                )
            )
        )

    def count_active_administrators(self) -> int:
        return self._session.execute(
            select(func.count())
            .select_from(StaffAccount)
            .where(StaffAccount.role == "administrator", StaffAccount.is_active.is_(True))
        ).scalar_one()

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
