"""What a printed consent carries for machines: the custom entries of the PDF's document
information dictionary, and the QR code's text. No ReportLab here, so that checking a
PDF does not load the PDF-making code."""

from __future__ import annotations

import re

# Custom entries in the document information dictionary (PDF names, without the slash).
INFO_CONSENT_ID = "ClinicDeskConsentId"
INFO_CONTENT_HASH = "ClinicDeskContentSHA256"

# Consents printed by earlier versions carry "SHA256:" before the hash; both are read.
_QR = re.compile(r"^CLINIC-DESK:CONSENT:(\d+):(?:SHA256:)?([0-9A-F]{64})$")


def qr_payload(consent_id: int, content_hash: str) -> str:
    """`CLINIC-DESK:CONSENT:<id>:<SHA-256 in hex>`: upper case, digits and colons only, so
    the QR code uses its compact alphanumeric mode, and at most 90 characters up to
    consent no. 99999, so that it fits a version 4 code (33 modules a side) at error
    correction M: at the footer's 21 mm each module is then 0.64 mm, easier for a phone
    to read off a photocopy than the 0.57 mm of the version 5 code a longer text needs."""
    return f"CLINIC-DESK:CONSENT:{consent_id}:{content_hash.upper()}"


def parse_qr_payload(text: str) -> tuple[int, str] | None:
    """(consent id, content hash in lower case) from a scanned QR code; None otherwise."""
    found = _QR.match(text.strip())
    return (int(found.group(1)), found.group(2).lower()) if found else None
