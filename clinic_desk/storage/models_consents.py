"""Consent forms in the database: template versions, frozen consent records, their
signatures, and the public certificates the clinic signs its PDFs with.

Every table here is append-only (triggers refuse UPDATE and DELETE, migration 0007): a
signed consent never changes; a withdrawal, a correction or a re-consent is a new record
that names the one it concerns (`link_kind`, `linked_consent_id`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desk.storage.models import Base


class ConsentTemplateRow(Base):
    """One version of one consent form, its source text exactly as written: a shipped
    file (registered when first used or retired) or one an administrator imported."""

    __tablename__ = "consent_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    radiofrequency: Mapped[bool] = mapped_column(Boolean)
    # A treatment form lists the contraindications: screening gates its signing, and a
    # signed one counts when a session starts. (The photography form does not.)
    for_treatment: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10))  # "shipped" or "imported"
    registered_at: Mapped[datetime] = mapped_column()
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))

    __table_args__ = (UniqueConstraint("form_key", "version"),)


class ConsentTemplateStatusRow(Base):
    """A template version published or retired (the newest row counts)."""

    __tablename__ = "consent_template_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("consent_template.id"))
    status: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column()
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))

    __table_args__ = (Index("ix_consent_template_status_template_id", "template_id"),)


class ConsentRecordRow(Base):
    """One frozen consent: `canonical_json` is the record's canonical serialisation
    (domain/consent_record.py) and `content_hash` its SHA-256; the other columns repeat
    what listing and the session-start check need."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("consent_template.id"))
    template_key: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # "signed" or "declined"
    for_treatment: Mapped[bool] = mapped_column(Boolean)
    covers_rf: Mapped[bool] = mapped_column(Boolean)
    signed_at: Mapped[datetime] = mapped_column()
    signed_on: Mapped[date] = mapped_column(Date)  # the clinic's date at signed_at
    time_zone: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff_account.id"))
    link_kind: Mapped[str | None] = mapped_column(String(12))
    linked_consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent_record.id"))
    canonical_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_consent_record_patient_id", "patient_id"),
        Index("ix_consent_record_linked_consent_id", "linked_consent_id"),
    )


class ConsentSignatureRow(Base):
    """One signature on a consent: its strokes (canonical JSON, as in the record), the
    picture, who signed, with what meaning, when."""

    __tablename__ = "consent_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id"))
    position: Mapped[int] = mapped_column(Integer)
    meaning: Mapped[str] = mapped_column(String(20))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(100))
    signer_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
    signed_at: Mapped[datetime] = mapped_column()
    time_zone: Mapped[str] = mapped_column(String(64))
    strokes_json: Mapped[str | None] = mapped_column(Text)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    image_png: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (UniqueConstraint("consent_id", "meaning"),)


class SigningCertificateRow(Base):
    """A certificate the clinic's PDFs are signed with. Public: every workstation checks
    PDFs against all of them. The private key never comes here."""

    __tablename__ = "signing_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    certificate_pem: Mapped[str] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column()
    not_after: Mapped[datetime] = mapped_column()
    origin: Mapped[str] = mapped_column(String(10))  # "created" or "imported"
    workstation: Mapped[str] = mapped_column(String(128))
    registered_at: Mapped[datetime] = mapped_column()
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
