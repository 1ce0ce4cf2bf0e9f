"""Reading and writing the appointment book (schema 0010)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clinic_desk.storage.models import Patient
from clinic_desk.storage.models_appointments import AppointmentRow, Room, WorkingHoursRow

# What a listing row holds, in this order (services/appointment_views.py unpacks it).
LISTING_COLUMNS = (
    "id", "version", "patient_id", "practitioner_id", "room_id", "starts_at",
    "length_minutes", "kind", "status", "cancel_reason", "note", "course_id",
    "ready_for_room_id",
)
# These free their time (domain/booking.py FREEING_STATUSES).
_FREEING = ("no_show", "cancelled")


class AppointmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        self._session.add(row)
        self._session.flush()

    # --- rooms and hours ---------------------------------------------------------------

    def rooms(self) -> list[Room]:
        return list(self._session.scalars(select(Room).order_by(Room.name, Room.id)))

    def room(self, room_id: int) -> Room | None:
        return self._session.get(Room, room_id)

    def room_named(self, name: str) -> Room | None:
        return self._session.scalars(
            select(Room).where(func.lower(Room.name) == name.lower())
        ).first()

    def working_hours(self, staff_id: int | None = None) -> list[WorkingHoursRow]:
        query = select(WorkingHoursRow).order_by(WorkingHoursRow.staff_id, WorkingHoursRow.weekday)
        if staff_id is not None:
            query = query.where(WorkingHoursRow.staff_id == staff_id)
        return list(self._session.scalars(query))

    def replace_working_hours(self, staff_id: int, rows: Sequence[WorkingHoursRow]) -> None:
        self._session.execute(delete(WorkingHoursRow).where(WorkingHoursRow.staff_id == staff_id))
        self._session.add_all(rows)
        self._session.flush()

    # --- appointments ------------------------------------------------------------------

    def get(self, appointment_id: int) -> AppointmentRow | None:
        return self._session.get(AppointmentRow, appointment_id)

    def between(self, start: datetime, end: datetime) -> list[AppointmentRow]:
        """Appointments starting in [start, end), by start then id."""
        return list(
            self._session.scalars(
                select(AppointmentRow)
                .where(AppointmentRow.starts_at >= start, AppointmentRow.starts_at < end)
                .order_by(AppointmentRow.starts_at, AppointmentRow.id)
            )
        )

    def listing_between(self, start: datetime, end: datetime) -> list[Any]:
        """What a day's or week's listing shows of the appointments starting in
        [start, end), by start then id, with the patient's family and given names: one
        query, plain rows."""
        table = AppointmentRow.__table__
        c = table.c
        return list(
            self._session.execute(
                select(*(c[name] for name in LISTING_COLUMNS), Patient.family_name,
                       Patient.given_name)
                .join(Patient, Patient.id == c.patient_id)
                .where(c.starts_at >= start, c.starts_at < end)
                .order_by(c.starts_at, c.id)
            )
        )

    def taking_time_near(
        self,
        start: datetime,
        end: datetime,
        *,
        practitioner_id: int,
        room_id: int,
        patient_id: int,
        longest_minutes: int,
    ) -> list[AppointmentRow]:
        """Appointments that take time and may overlap [start, end) for this practitioner,
        room or patient (those starting up to the longest length before `start`)."""
        from datetime import timedelta

        earliest = start - timedelta(minutes=longest_minutes)
        return list(
            self._session.scalars(
                select(AppointmentRow).where(
                    AppointmentRow.starts_at > earliest,
                    AppointmentRow.starts_at < end,
                    AppointmentRow.status.not_in(_FREEING),
                    (AppointmentRow.practitioner_id == practitioner_id)
                    | (AppointmentRow.room_id == room_id)
                    | (AppointmentRow.patient_id == patient_id),
                )
            )
        )

    def next_for_patients(
        self, patient_ids: Sequence[int], since: datetime
    ) -> dict[int, datetime]:
        """Each of these patients' first appointment from `since` on that takes time."""
        if not patient_ids:
            return {}
        rows = self._session.execute(
            select(AppointmentRow.patient_id, func.min(AppointmentRow.starts_at))
            .where(
                AppointmentRow.patient_id.in_(list(patient_ids)),
                AppointmentRow.starts_at >= since,
                AppointmentRow.status.not_in(_FREEING),
            )
            .group_by(AppointmentRow.patient_id)
        )
        found = {}
        for patient_id, first in rows:
            if isinstance(first, str):  # SQLite's MIN() comes back as text
                first = datetime.fromisoformat(first)
            found[int(patient_id)] = first if first.tzinfo else first.replace(tzinfo=UTC)
        return found
