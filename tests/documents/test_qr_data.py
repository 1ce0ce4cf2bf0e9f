"""The faster QR codewords are exactly ReportLab's, for consent payloads at every error
correction level (the printed code is read back in test_consent_pdf)."""

from __future__ import annotations

import random

import pytest
from reportlab.graphics.barcode import qrencoder

from clinic_desk.documents.document_info import qr_payload
from clinic_desk.documents.qr_data import qr_codewords


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_the_same_codewords_as_reportlab(level: int) -> None:
    rng = random.Random(level)
    for _ in range(40):
        text = qr_payload(rng.randint(1, 10**9), f"{rng.getrandbits(256):064x}")
        code = qrencoder.QRCode(None, level)
        code.addData(text)
        code.version = code.calculate_version()
        assert qr_codewords(code) == qrencoder.QRCode.createData(
            code.version, level, code.dataList)
