"""Queries for consent forms: template versions, frozen records, signatures, certificates.

Everything here is append-only: the repository adds rows and reads them, never changes
or removes one (the database refuses that anyway, migration 0007).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from clinic_desk.storage.models_consents import (
    ConsentRecordRow,
    ConsentSignatureRow,
    ConsentTemplateRow,
    ConsentTemplateStatusRow,
    SigningCertificateRow,
)


class ConsentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        self._session.add(row)
        self._session.flush()

    # --- templates ------------------------------------------------------------------

    def templates(self) -> list[ConsentTemplateRow]:
        return list(
            self._session.scalars(
                select(ConsentTemplateRow).order_by(
                    ConsentTemplateRow.form_key, ConsentTemplateRow.version
                )
            )
        )

    def template(self, form_key: str, version: int) -> ConsentTemplateRow | None:
        return self._session.scalars(
            select(ConsentTemplateRow).where(
                ConsentTemplateRow.form_key == form_key, ConsentTemplateRow.version == version
            )
        ).one_or_none()

    def template_statuses(self) -> dict[int, str]:
        """Each template's newest status change (template id -> status)."""
        rows = self._session.execute(
            select(ConsentTemplateStatusRow.template_id, ConsentTemplateStatusRow.status)
            .order_by(ConsentTemplateStatusRow.id)
        ).all()
        return {int(template_id): str(status) for template_id, status in rows}

    # --- consent records --------------------------------------------------------------

    def count_by_version(self) -> dict[tuple[str, int], int]:
        """How many consent records were made on each form version."""
        rows = self._session.execute(
            select(ConsentRecordRow.template_key, ConsentRecordRow.template_version,
                   func.count())
            .group_by(ConsentRecordRow.template_key, ConsentRecordRow.template_version)
        ).all()
        return {(str(k), int(v)): int(n) for k, v, n in rows}

    def next_consent_id(self) -> int:
        """The id the next consent record gets: it is part of the record's frozen text,
        so it is known before the row is written. PostgreSQL hands it out from the
        table's sequence; SQLite's write transaction is exclusive, so max + 1 holds."""
        if self._session.get_bind().dialect.name == "postgresql":
            return int(
                self._session.scalar(
                    text("SELECT nextval(pg_get_serial_sequence('consent_record', 'id'))")
                )
            )
        last = self._session.scalar(select(func.coalesce(func.max(ConsentRecordRow.id), 0)))
        return int(last or 0) + 1

    def record(self, consent_id: int) -> ConsentRecordRow | None:
        return self._session.get(ConsentRecordRow, consent_id)

    def records_for_patient(self, patient_id: int) -> list[ConsentRecordRow]:
        return list(
            self._session.scalars(
                select(ConsentRecordRow)
                .where(ConsentRecordRow.patient_id == patient_id)
                .order_by(ConsentRecordRow.id)
            )
        )

    def records_for_patients(self, patient_ids: Sequence[int]) -> list[ConsentRecordRow]:
        found: list[ConsentRecordRow] = []
        ids = sorted(set(patient_ids))
        for start in range(0, len(ids), 500):
            found.extend(
                self._session.scalars(
                    select(ConsentRecordRow)
                    .where(ConsentRecordRow.patient_id.in_(ids[start : start + 500]))
                    .order_by(ConsentRecordRow.id)
                )
            )
        return found

    def all_records(self, *, limit: int) -> list[ConsentRecordRow]:
        """The newest `limit` records (a long-running clinic lists its latest)."""
        newest = select(ConsentRecordRow).order_by(ConsentRecordRow.id.desc()).limit(limit)
        return list(self._session.scalars(newest))

    def signatures(self, consent_id: int) -> list[ConsentSignatureRow]:
        return list(
            self._session.scalars(
                select(ConsentSignatureRow)
                .where(ConsentSignatureRow.consent_id == consent_id)
                .order_by(ConsentSignatureRow.position)
            )
        )

    # --- signing certificates ---------------------------------------------------------

    def certificates(self) -> list[SigningCertificateRow]:
        return list(
            self._session.scalars(select(SigningCertificateRow).order_by(SigningCertificateRow.id))
        )

    def certificate(self, fingerprint: str) -> SigningCertificateRow | None:
        return self._session.scalars(
            select(SigningCertificateRow).where(SigningCertificateRow.fingerprint == fingerprint)
        ).one_or_none()
