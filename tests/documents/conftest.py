"""Fixtures for the document tests: the clinic's letterhead, signing identities (made once
per session: an RSA key takes a moment), and a helper that renders a consent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic_desk.documents.consent_pdf import ConsentPdfInput, consent_pdf
from clinic_desk.documents.pdf_base import Letterhead
from clinic_desk.documents.signing import SigningIdentity, create_signing_identity
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.consent_record import ConsentRecord
from clinic_desk.domain.dates import DateFormat
from tests.helpers.consent import CLINIC_ADDRESS, CLINIC_NAME, CLINIC_PHONE

LETTERHEAD = Letterhead(CLINIC_NAME, CLINIC_ADDRESS, CLINIC_PHONE)


def render(record: ConsentRecord, *, paper: PaperSize = PaperSize.A4) -> bytes:
    return consent_pdf(
        ConsentPdfInput(record, LETTERHEAD, paper, DateFormat.DAY_MONTH_YEAR_SLASH))


@pytest.fixture(scope="session")
def identity() -> SigningIdentity:
    return create_signing_identity(CLINIC_NAME, now=datetime.now(UTC))


@pytest.fixture(scope="session")
def other_identity() -> SigningIdentity:
    """Another clinic, with the very same name."""
    return create_signing_identity(CLINIC_NAME, now=datetime.now(UTC))
