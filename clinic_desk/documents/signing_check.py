"""Checking a signed PDF (the work behind `signing.verify_signed_pdf`).

The order of the checks decides which problem is named: a file that is not a PDF, a PDF
without a signature, a signature that no longer matches the bytes (edited), bytes added
after the signature (changed after signing), a signature made by a certificate other
than the clinic's (another clinic, or anybody), and a certificate that was not valid at
the time the signature claims.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import Any

from clinic_desk.documents.document_info import INFO_CONSENT_ID, INFO_CONTENT_HASH
from clinic_desk.documents.signing import PdfProblem, SignedPdfVerdict

_HEADER_WINDOW = 1024  # PDF readers accept the %PDF- header anywhere in the first 1 KiB


def check_signed_pdf(pdf: bytes, trusted_ders: list[bytes]) -> SignedPdfVerdict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in pdf[:_HEADER_WINDOW]:
        return SignedPdfVerdict(False, "The file is not a PDF.", PdfProblem.NOT_A_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # a damaged file fails in many ways inside the parser
        return SignedPdfVerdict(
            False, "The file is damaged and cannot be read as a PDF.", PdfProblem.NOT_A_PDF)
    if not signatures:
        return SignedPdfVerdict(
            False, "The PDF carries no digital signature.", PdfProblem.NO_SIGNATURE)
    consent_id, content_hash = _consent_entries(reader)
    verdict = SignedPdfVerdict(False, "", consent_id=consent_id, content_hash=content_hash)
    for signature in signatures:
        verdict = _check_one(signature, trusted_ders, consent_id, content_hash)
        if not verdict.ok:
            return verdict
    return verdict


def _check_one(
    signature: Any, trusted_ders: list[bytes], consent_id: int | None, content_hash: str | None
) -> SignedPdfVerdict:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    def verdict(ok: bool, message: str, problem: PdfProblem | None = None) -> SignedPdfVerdict:
        return SignedPdfVerdict(ok, message, problem, signer, fingerprint, claimed,
                                consent_id, content_hash)

    signer: str | None = None
    fingerprint: str | None = None
    claimed: datetime | None = None
    try:
        certificate = signature.signer_cert
        fingerprint = hashlib.sha256(certificate.dump()).hexdigest()
        subject = certificate.subject
        signer = str(subject.native.get("common_name") or subject.human_friendly)
        claimed = signature.self_reported_timestamp
        claimed = claimed.astimezone(UTC) if claimed is not None else None
        # The signer's own certificate as the anchor: this checks integrity, the
        # certificate's validity at the claimed time and its key usage; whether it is
        # the clinic's certificate is the fingerprint comparison below.
        context = ValidationContext(
            trust_roots=[certificate],
            allow_fetching=False, moment=claimed,
            revocation_mode="soft-fail",
        )
        coverage = signature.evaluate_signature_coverage()
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return verdict(False, "The PDF's signature is damaged: the file was altered.",
                       PdfProblem.ALTERED)
    if not (status.intact and status.valid):
        return verdict(False, "The PDF was edited after it was signed: its signature no "
                              "longer matches its content.", PdfProblem.ALTERED)
    if coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return verdict(False, "Something was added to the PDF after it was signed.",
                       PdfProblem.CHANGED_AFTER_SIGNING)
    if fingerprint not in {hashlib.sha256(der).hexdigest() for der in trusted_ders}:
        return verdict(False, f"The PDF was signed by “{signer}”, not with this clinic's "
                              "certificate.", PdfProblem.OTHER_CERTIFICATE)
    # A trust anchor's dates are not checked by the path validation: check them here.
    validity = certificate["tbs_certificate"]["validity"]
    moment = claimed or datetime.now(UTC)
    if not (validity["not_before"].native <= moment <= validity["not_after"].native
            and status.trusted):
        return verdict(False, "The clinic's certificate was not valid at the time the PDF "
                              "says it was signed.", PdfProblem.CERTIFICATE_NOT_VALID)
    when = f" on {claimed:%Y-%m-%d %H:%M} UTC" if claimed is not None else ""
    return verdict(True, f"Signed by “{signer}”{when} and unchanged since.")


def _consent_entries(reader: Any) -> tuple[int | None, str | None]:
    try:
        info = reader.trailer["/Info"].get_object()
    except (KeyError, AttributeError):
        return None, None
    raw_id = info.get("/" + INFO_CONSENT_ID)
    raw_hash = info.get("/" + INFO_CONTENT_HASH)
    consent_id = int(str(raw_id)) if raw_id is not None and str(raw_id).isdigit() else None
    content_hash = str(raw_hash) if raw_hash is not None else None
    return consent_id, content_hash
