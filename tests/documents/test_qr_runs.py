"""The footer's QR code comes from ReportLab's own encoder: the drawn runs cover exactly
its dark modules, none twice (the printed code is read back in test_consent_pdf)."""

from __future__ import annotations

import pytest
from reportlab.graphics.barcode import qrencoder

from clinic_desk.documents.consent_pdf import QR_LEVEL, QR_MASK, qr_dark_runs
from clinic_desk.documents.document_info import parse_qr_payload, qr_payload


def _modules(text: str, level: int, mask: int) -> list[list[bool]]:
    code = qrencoder.QRCode(None, level)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, mask)
    return [list(row) for row in code.modules]


@pytest.mark.parametrize("mask", range(8))
def test_dark_runs_cover_exactly_the_dark_modules(mask: int) -> None:
    text = qr_payload(1042, "ab" * 32)
    modules = _modules(text, QR_LEVEL, mask)
    count, runs = qr_dark_runs(text, QR_LEVEL, mask)
    assert count == len(modules)
    drawn = [[False] * count for _ in range(count)]
    for column, row_from_bottom, length in runs:
        assert length >= 1
        row = drawn[count - 1 - row_from_bottom]
        assert row[column:column + length] == [False] * length  # no module drawn twice
        row[column:column + length] = [True] * length
    assert drawn == modules


def test_the_fixed_mask_is_the_one_written_into_the_code() -> None:
    text = qr_payload(7, "cd" * 32)
    assert _modules(text, QR_LEVEL, QR_MASK) != _modules(text, QR_LEVEL, (QR_MASK + 1) % 8)
    count, _ = qr_dark_runs(text, QR_LEVEL, QR_MASK)
    assert count == 4 * 4 + 17  # version 4 at level M for this payload


@pytest.mark.parametrize(("consent_id", "version"), [(7, 4), (99_999, 4), (100_000, 5)])
def test_the_code_stays_at_version_4_up_to_consent_99999(consent_id: int, version: int) -> None:
    """33 modules a side (0.64 mm each in the 21 mm footer) while the text fits; a longer
    number still gets a readable code, one version larger."""
    count, _ = qr_dark_runs(qr_payload(consent_id, "ef" * 32), QR_LEVEL, QR_MASK)
    assert count == 4 * version + 17


def test_the_qr_text_of_earlier_pdfs_is_still_read() -> None:
    digest = "0123456789abcdef" * 4
    assert parse_qr_payload(qr_payload(12, digest)) == (12, digest)
    assert qr_payload(12, digest) == f"CLINIC-DESK:CONSENT:12:{digest.upper()}"
    # As earlier versions printed it, with the name of the hash in the text.
    assert parse_qr_payload(f"CLINIC-DESK:CONSENT:12:SHA256:{digest.upper()}") == (12, digest)
    assert parse_qr_payload(f"CLINIC-DESK:CONSENT:12:MD5:{digest.upper()}") is None
    assert parse_qr_payload(f"CLINIC-DESK:CONSENT:12:{digest.upper()[:-1]}") is None
