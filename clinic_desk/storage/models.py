"""SQLAlchemy 2.0 models. The schema itself is created and changed only by Alembic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC time is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime}  # noqa: RUF012


class Versioned:
    """Editable rows carry a version: a stale write from another workstation fails."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)


class ClinicProfile(Versioned, Base):
    __tablename__ = "clinic_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(400))
    phone: Mapped[str] = mapped_column(String(40))
    time_zone: Mapped[str] = mapped_column(String(64))
    paper_size: Mapped[str] = mapped_column(String(10))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column()
    date_format: Mapped[str] = mapped_column(String(10), default="DD/MM/YYYY")
    intake_max_age_days: Mapped[int] = mapped_column(Integer, default=90)
    # ISO 3166 code: how patients' phone numbers are read and shown ("" = none).
    country: Mapped[str] = mapped_column(String(2), default="")
    # A signed consent is valid this many months (then the patient signs again).
    consent_validity_months: Mapped[int] = mapped_column(Integer, default=12)
    print_aftercare_on_sign_off: Mapped[bool] = mapped_column(Boolean, default=False)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class StaffAccount(Versioned, Base):
    __tablename__ = "staff_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored case-folded; the unique index makes "Anna" and "anna" one account.
    username: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column()
    # One person may hold several roles; permissions are their union.
    role_rows: Mapped[list[StaffRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffRole.role"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)


class StaffRole(Base):
    """One role held by one account."""

    __tablename__ = "staff_role"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (Index("ix_staff_role_role", "role"),)


class SignInThrottle(Base):
    """Failed sign-ins for user names that have no account, counted as an account's
    are, so that lockout does not tell which names exist. Keyed by the SHA-256 of the
    folded name: a password typed into the name field is not kept readable."""

    __tablename__ = "sign_in_throttle"

    name_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_failure_at: Mapped[datetime | None] = mapped_column()


class AuditEntry(Base):
    """Append-only; triggers in the database refuse UPDATE and DELETE."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at_utc: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
    workstation: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    # 1: entries written before records were hashed; 2: covers records_digest too.
    hash_format: Mapped[int] = mapped_column(Integer, server_default="1")
    # The hash over the audit_record links of this entry ("" when it vouches for none).
    records_digest: Mapped[str] = mapped_column(String(64), server_default="")

    __table_args__ = (
        Index("ix_audit_entry_patient_id", "patient_id"),
        # Who saw or changed one patient's record, newest first; and whether this person
        # already has a view of it recorded in the last few minutes.
        Index("ix_audit_entry_patient_seq", "patient_id", "seq"),
    )


class AuditRecord(Base):
    """Append-only: one clinical row an audit entry vouches for, with the row's hash."""

    __tablename__ = "audit_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(ForeignKey("audit_entry.seq"))
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(Integer)
    record_format: Mapped[int] = mapped_column(Integer)
    record_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("record_type", "record_id"),
        Index("ix_audit_record_seq", "seq"),
    )


class DatabaseIdentity(Base):
    """One row, written once at creation: the id by which workstations know this database."""

    __tablename__ = "database_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    database_id: Mapped[str] = mapped_column(String(36))
    created_at_utc: Mapped[str] = mapped_column(String(32))


class AuditHead(Base):
    """One row: the last sequence number and hash written.

    Appending locks this row, so two workstations can never both extend the chain from
    the same entry, and entries cut off the end of the log are detectable.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


# The search key column compares byte by byte on PostgreSQL, as SQLite's BINARY does, so
# that a prefix is one B-tree range on both.
SearchKey = String(64).with_variant(String(64, collation="C"), "postgresql")
SortKey = String(130).with_variant(String(130, collation="C"), "postgresql")


class Patient(Versioned, Base):
    """The current registration details; every saved version is also kept in
    patient_revision, so nothing is overwritten without a trace."""

    __tablename__ = "patient"

    # The patient number shown and printed is derived from the id (P-000123).
    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(100), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    referring_physician: Mapped[str] = mapped_column(String(100), default="")
    fitzpatrick_type: Mapped[str | None] = mapped_column(String(3))
    notes: Mapped[str] = mapped_column(Text, default="")
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Derived: the folded "family, given" name (duplicate check and alphabetical order)
    # and the phone's digits (duplicate check).
    name_key: Mapped[str] = mapped_column(SortKey)
    phone_digits: Mapped[str] = mapped_column(String(40))
    # The phones in E.164 ("+33612345678") when they could be read; "" otherwise.
    phone_e164: Mapped[str] = mapped_column(String(16), default="")
    emergency_contact_phone_e164: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_patient_name_key_dob", "name_key", "date_of_birth"),
        Index("ix_patient_phone_digits", "phone_digits"),
        Index("ix_patient_phone_e164", "phone_e164"),
        Index("ix_patient_date_of_birth", "date_of_birth"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class PatientRevision(Base):
    """Append-only: one row per saved version of a patient's details."""

    __tablename__ = "patient_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    version: Mapped[int] = mapped_column(Integer)
    details_json: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column()
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))

    __table_args__ = (UniqueConstraint("patient_id", "version"),)


class PatientSearchKey(Base):
    """One row per search key of a patient."""

    __tablename__ = "patient_search_key"

    key: Mapped[str] = mapped_column(SearchKey, primary_key=True)
    rank: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    sort_key: Mapped[str] = mapped_column(SortKey, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True)
    # Archived patients keep their keys, so that they can still be found on purpose.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_patient_search_key_patient_id", "patient_id", "key"),
        {"sqlite_with_rowid": False},
    )


class IntakeRecord(Base):
    """Append-only: each submitted medical history is a new dated version."""

    __tablename__ = "intake_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers_json: Mapped[str] = mapped_column(Text)
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column()
    signed_off_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    taken_by_patient: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("patient_id", "sequence"),)


class ScreeningClearance(Base):
    """Append-only: a practitioner's written clearance of one finding on one intake."""

    __tablename__ = "screening_clearance"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    intake_record_id: Mapped[int] = mapped_column(ForeignKey("intake_record.id"))
    rule_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    cleared_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    cleared_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_screening_clearance_patient_id", "patient_id"),)


class ScreeningClearanceRevocation(Base):
    """Append-only: a practitioner withdraws a clearance, with a reason. The clearance
    itself stays as it was; the screening no longer counts it. Its audit entry vouches
    for the row's hash (domain/record_hashes.py)."""

    __tablename__ = "clearance_revocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    clearance_id: Mapped[int] = mapped_column(ForeignKey("screening_clearance.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    revoked_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_clearance_revocation_patient_id", "patient_id"),)

from clinic_desk.storage import models_appointments as models_appointments  # noqa: E402
from clinic_desk.storage import models_consents as models_consents  # noqa: E402
from clinic_desk.storage import models_documents as models_documents  # noqa: E402
from clinic_desk.storage import models_treatment as models_treatment  # noqa: E402
