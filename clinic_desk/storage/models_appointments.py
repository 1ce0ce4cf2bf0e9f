"""The appointment book (schema 0010): rooms, working hours, appointments and their
append-only history.

Rooms and appointments are editable and carry a version column (a stale write from
another workstation fails). Every change to an appointment also appends one row to
appointment_change, which the database refuses to update or delete, and whose hash the
change's audit entry vouches for (domain/record_hashes.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desk.storage.models import Base, Versioned


class Room(Versioned, Base):
    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class WorkingHoursRow(Base):
    """One weekday's hours of one practitioner; "HH:MM" wall-clock times in the clinic's
    zone, breaks as "12:30-13:15,16:00-16:15"."""

    __tablename__ = "working_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    breaks: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("staff_id", "weekday"),)


class AppointmentRow(Versioned, Base):
    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    starts_at: Mapped[datetime] = mapped_column()
    length_minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    # "Ready for room N": reception hands an arrived patient to a treatment room.
    ready_for_room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    created_at: Mapped[datetime] = mapped_column()
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    updated_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_appointment_starts_at", "starts_at"),
        Index("ix_appointment_patient_id", "patient_id", "starts_at"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class AppointmentChange(Base):
    """Append-only: the appointment as it stood after one change, who made it and when."""

    __tablename__ = "appointment_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    # booked, moved, status, handed_over, note
    change: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column()
    length_minutes: Mapped[int] = mapped_column(Integer)
    practitioner_id: Mapped[int] = mapped_column(Integer)
    room_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    changed_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_appointment_change_appointment_id", "appointment_id"),)
