"""The documents history: what was handed out, to whom, by whom, and the exact bytes.

Both tables are append-only (guarded in the database by migration 0009). The PDF bytes
are kept once per content hash; each print or save is its own row, whose audit entry
vouches for the row's hash (domain/record_hashes.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desk.storage.models import Base


class DocumentContent(Base):
    __tablename__ = "document_content"

    content_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size_bytes: Mapped[int] = mapped_column(Integer)


class HandedOutDocument(Base):
    __tablename__ = "handed_out_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    # consent, aftercare or precare
    kind: Mapped[str] = mapped_column(String(20))
    template_key: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[int] = mapped_column(Integer)
    # The consent or treatment session the document was made from; none for pre-care.
    source_id: Mapped[int | None] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(ForeignKey("document_content.content_sha256"))
    # printed or saved
    how: Mapped[str] = mapped_column(String(10))
    # None when the command line wrote the file (no one is signed in there).
    handed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id"))
    handed_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_handed_out_document_patient_id", "patient_id"),
        CheckConstraint("kind IN ('consent', 'aftercare', 'precare')", name="kind"),
        CheckConstraint("how IN ('printed', 'saved')", name="how"),
    )
