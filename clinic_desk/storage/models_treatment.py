"""Devices, lots, protocol versions, courses and treatment sessions (schema 0008).

Editable tables (device, consumable_lot, course) carry a version column: a stale write
from another workstation fails. The clinical history (treatment_session, its amendments,
adverse events and their follow-ups) and the device and protocol revisions are
append-only: guard triggers refuse UPDATE and DELETE on both engines, and the audit entry
of each write vouches for the row's hash (domain/record_hashes.py).

A treatment session is written once, at the practitioner's sign-off, complete: the form
holds the draft until then. So every row of treatment_session is a signed-off record and
the guard needs no "signed" flag that could itself be flipped.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desk.storage.models import Base, Versioned


class Device(Versioned, Base):
    """The registry's current view of one device; each saved version is also kept in
    device_revision. Deactivated, never deleted."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    make: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(120))
    serial_number: Mapped[str] = mapped_column(String(80))
    # The whole profile (ranges as exact decimal texts), see domain/device_json.py.
    profile_json: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    service_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class DeviceRevision(Base):
    """Append-only: one row per saved version of a device (the one a session used)."""

    __tablename__ = "device_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    version: Mapped[int] = mapped_column(Integer)
    profile_json: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column()
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))

    __table_args__ = (UniqueConstraint("device_id", "version"),)


class ConsumableLot(Versioned, Base):
    """A cartridge or needle lot. Only its "in use" flag changes after it is added."""

    __tablename__ = "consumable_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(200))
    lot_number: Mapped[str] = mapped_column(String(80))
    expiry_date: Mapped[date] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column()
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))

    __table_args__ = (
        UniqueConstraint("product", "lot_number"),
        Index("ix_consumable_lot_lot_number", "lot_number"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class ProtocolVersion(Base):
    """Append-only: a version of the clinic's protocol an administrator saved. Version 1
    is the shipped example file until an administrator saves version 2."""

    __tablename__ = "protocol_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    based_on: Mapped[int] = mapped_column(Integer)
    protocol_json: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column()
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))


class Course(Versioned, Base):
    """A planned course of treatment for one indication (the plan is editable)."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    indication: Mapped[str] = mapped_column(String(64))
    planned_sessions: Mapped[int] = mapped_column(Integer)
    interval_min_days: Mapped[int] = mapped_column(Integer)
    interval_max_days: Mapped[int] = mapped_column(Integer)
    maintenance_after_months: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[date] = mapped_column(Date)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    updated_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_course_patient_id", "patient_id"),)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class TreatmentSession(Base):
    """Append-only, written at sign-off: one treatment session as the practitioner signed
    it. Device, cartridge and lot are copied in as they were, so the record stands alone
    (an adverse-event report needs them even if the registry changes later)."""

    __tablename__ = "treatment_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    session_date: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column()
    signed_off_at: Mapped[datetime] = mapped_column()
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    device_version: Mapped[int] = mapped_column(Integer)
    device_label: Mapped[str] = mapped_column(String(300))
    device_model_key: Mapped[str] = mapped_column(String(300))
    cartridge_key: Mapped[str] = mapped_column(String(64), default="")
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("consumable_lot.id"))
    lot_number: Mapped[str] = mapped_column(String(80), default="")
    lot_expiry: Mapped[date | None] = mapped_column(Date)
    protocol_version: Mapped[int] = mapped_column(Integer)
    uses_rf: Mapped[bool] = mapped_column(Boolean)
    energy_unit: Mapped[str] = mapped_column(String(16), default="")
    # The highest RF energy of the session in thousandths of its unit (None without RF).
    highest_rf_milli: Mapped[int | None] = mapped_column(Integer)
    consent_record_id: Mapped[int | None] = mapped_column(Integer)
    # Areas, test spot, numbing, serums, endpoint, pain, reactions, notes, reasons.
    record_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_treatment_session_patient_date", "patient_id", "session_date"),
        Index("ix_treatment_session_lot_id", "lot_id"),
        Index("ix_treatment_session_course_id", "course_id"),
    )


class SessionAmendment(Base):
    """Append-only: a later correction to a signed-off session, shown beside it."""

    __tablename__ = "session_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    correction: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    amended_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_session_amendment_session_id", "session_id"),)


class AdverseEvent(Base):
    """Append-only: a reaction reported after a session, as first recorded."""

    __tablename__ = "adverse_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    onset_on: Mapped[date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(20))
    action_taken: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    recorded_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_adverse_event_patient_id", "patient_id"),
        Index("ix_adverse_event_session_id", "session_id"),
    )


class AdverseEventFollowUp(Base):
    """Append-only: what happened next (outcome, reports made, closing the event)."""

    __tablename__ = "adverse_event_followup"

    id: Mapped[int] = mapped_column(primary_key=True)
    adverse_event_id: Mapped[int] = mapped_column(ForeignKey("adverse_event.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    note: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    reported_to_manufacturer: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_to_authority: Mapped[bool] = mapped_column(Boolean, default=False)
    closes_event: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    recorded_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_adverse_event_followup_event_id", "adverse_event_id"),)
