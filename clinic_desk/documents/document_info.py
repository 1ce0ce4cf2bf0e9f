"""What a printed consent carries for machines: the custom entries of the PDF's document
information dictionary, and the QR code's text. No ReportLab here, so that checking a
PDF does not load the PDF-making code."""

from __future__ import annotations

import re

# Custom entries in the document information dictionary (PDF names, without the slash).
INFO_CONSENT_ID = "ClinicDeskConsentId"
INFO_CONTENT_HASH = "ClinicDeskContentSHA256"

_QR = re.compile(r"^CLINIC-DESK:CONSENT:(\d+):SHA256:([0-9A-F]{64})$")


def qr_payload(consent_id: int, content_hash: str) -> str:
    """Upper case, digits and colons only, so the QR code uses its compact alphanumeric
    mode: `CLINIC-DESK:CONSENT:<id>:SHA256:<HASH>`."""
    return f"CLINIC-DESK:CONSENT:{consent_id}:SHA256:{content_hash.upper()}"


def parse_qr_payload(text: str) -> tuple[int, str] | None:
    """(consent id, content hash in lower case) from a scanned QR code; None otherwise."""
    found = _QR.match(text.strip())
    return (int(found.group(1)), found.group(2).lower()) if found else None
