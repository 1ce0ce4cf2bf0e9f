"""The consent PDF, signed by the clinic; the clinic's signing certificates; checking a
PDF against this database.

The private key lives on each workstation (documents/signing_keys.py: the user's
configuration folder, never the database or its backups). Its certificate, which is
public, is registered in the database the first time it signs, so every workstation can
check every PDF. A workstation without a key makes one on first use, so a clinic may
hold several certificates over time; an administrator may import one PKCS#12 identity on
each workstation instead. ReportLab and pyHanko are imported only when a PDF is made.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from clinic_desk.documents.signing import SigningIdentity, verify_signed_pdf
from clinic_desk.documents.signing_keys import KeyStore
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_record import ConsentRecord, ConsentStatus
from clinic_desk.domain.dates import DateFormat
from clinic_desk.services.consent_dto import CertificateView, PdfCheck
from clinic_desk.storage.models import ClinicProfile
from clinic_desk.storage.models_consents import ConsentRecordRow, SigningCertificateRow
from clinic_desk.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

CREATED = "created"
IMPORTED = "imported"


class WorkstationKey:
    """This workstation's signing identity, read from its key store once. The store is
    located only when first needed (finding the configuration folder costs a little)."""

    def __init__(self, locate: Callable[[], KeyStore]) -> None:
        self._locate = locate
        self._store: KeyStore | None = None
        self._lock = threading.Lock()
        self._identity: SigningIdentity | None = None

    @property
    def store(self) -> KeyStore:
        if self._store is None:
            self._store = self._locate()
        return self._store

    def get(self, clinic_name: str, *, now: datetime) -> tuple[SigningIdentity, bool]:
        """The identity, made now if this workstation has none (and whether it was)."""
        with self._lock:
            if self._identity is not None:
                return self._identity, False
            created = not self.store.exists()
            identity = (
                self.store.create(clinic_name, now=now) if created else self.store.load(now=now)
            )
            self._identity = identity
            return identity, created

    def replace(self, pkcs12: bytes, password: bytes, *, now: datetime) -> SigningIdentity:
        with self._lock:
            self._identity = self.store.import_pkcs12(pkcs12, password, now=now)
            return self._identity

    def fingerprint_here(self) -> str | None:
        with self._lock:
            return self._identity.fingerprint if self._identity is not None else None


def _certificate(identity: SigningIdentity) -> Certificate:
    from cryptography import x509

    return x509.load_der_x509_certificate(identity.certificate_der)


def certificate_row(
    uow: UnitOfWork,
    identity: SigningIdentity,
    *,
    origin: str,
    workstation: str,
    staff_id: int | None,
    at: datetime,
) -> tuple[SigningCertificateRow, bool]:
    """The certificate's row, registered now if the database does not know it yet."""
    found = uow.consents.certificate(identity.fingerprint)
    if found is not None:
        return found, False
    cert = _certificate(identity)
    row = SigningCertificateRow(
        fingerprint=identity.fingerprint,
        subject=cert.subject.rfc4514_string()[:200],
        certificate_pem=identity.certificate_pem.decode("ascii"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        origin=origin,
        workstation=workstation[:128],
        registered_at=at,
        registered_by=staff_id,
    )
    uow.consents.add(row)
    return row, True


def certificate_view(row: SigningCertificateRow, here: str | None) -> CertificateView:
    return CertificateView(
        subject=row.subject,
        fingerprint=row.fingerprint,
        not_before=row.not_before,
        not_after=row.not_after,
        origin=row.origin,
        workstation=row.workstation,
        kept_here=row.fingerprint == here,
    )


def render_pdf(record: ConsentRecord, profile: ClinicProfile) -> bytes:
    """The consent's PDF as ReportLab makes it (not yet signed)."""
    from clinic_desk.documents.consent_pdf import ConsentPdfInput, consent_pdf
    from clinic_desk.documents.pdf_base import Letterhead

    return consent_pdf(
        ConsentPdfInput(
            record,
            Letterhead(profile.name, profile.address, profile.phone),
            PaperSize(profile.paper_size),
            DateFormat(profile.date_format),
        )
    )


def sign_consent_pdf(
    pdf: bytes, identity: SigningIdentity, record: ConsentRecord, clinic_name: str
) -> bytes:
    from clinic_desk.documents.signing import sign_pdf

    verb = "signed" if record.status is ConsentStatus.SIGNED else "declined"
    return sign_pdf(
        pdf,
        identity,
        reason=f"Consent no. {record.consent_id} as {verb}, "
        f"SHA-256 {record.content_hash()}",
        location=clinic_name,
    )


def file_name(record_row: ConsentRecordRow) -> str:
    return (
        f"consent-{record_row.id}-P-{record_row.patient_id:06d}-"
        f"{record_row.template_key}-v{record_row.template_version}.pdf"
    )


def check_pdf(uow: UnitOfWork, pdf: bytes) -> PdfCheck:
    """The PDF's PAdES signature against this clinic's certificates, then the consent id
    and content hash it carries (inside the signed bytes) against the stored record."""
    certificates = [row.certificate_pem.encode("ascii") for row in uow.consents.certificates()]
    verdict = verify_signed_pdf(pdf, certificates)
    if not verdict.ok:
        return PdfCheck(False, verdict.message, verdict.consent_id)
    if verdict.consent_id is None or verdict.content_hash is None:
        return PdfCheck(
            False, "The PDF is signed by this clinic but is not a consent form (no consent "
            "number or content hash in it).")
    row = uow.consents.record(verdict.consent_id)
    if row is None:
        return PdfCheck(
            False, f"Consent no. {verdict.consent_id} is not in this database.",
            verdict.consent_id)
    stored_digest = hashlib.sha256(row.canonical_json.encode("utf-8")).hexdigest()
    if stored_digest != row.content_hash:
        return PdfCheck(
            False, f"Consent no. {row.id} in this database no longer matches its own "
            "content hash: run clinic-desk audit verify.", row.id)
    if verdict.content_hash != row.content_hash:
        return PdfCheck(
            False, f"The PDF's content hash {verdict.content_hash[:16]}… differs from "
            f"consent no. {row.id} in this database ({row.content_hash[:16]}…).", row.id)
    verb = "signed" if row.status == ConsentStatus.SIGNED.value else "recorded"
    local = _local(row)
    return PdfCheck(
        True,
        f"Matches consent no. {row.id} {verb} on {local} ({row.template_key} version "
        f"{row.template_version}, patient P-{row.patient_id:06d}); the PDF is signed by "
        f"“{verdict.signer}” and unchanged since.",
        row.id,
    )


def _local(row: ConsentRecordRow) -> str:
    from zoneinfo import ZoneInfo

    moment = row.signed_at.astimezone(ZoneInfo(row.time_zone))
    return f"{moment:%Y-%m-%d at %H:%M} {row.time_zone} time"

