"""The faster QR code is exactly ReportLab's: the same codewords for consent payloads at
every error correction level, the same modules for every mask, and the drawn runs cover
the dark modules exactly (the printed code is read back in test_consent_pdf)."""

from __future__ import annotations

import random

import pytest
from reportlab.graphics.barcode import qrencoder

from clinic_desk.documents.document_info import qr_payload
from clinic_desk.documents.qr_data import qr_codewords, qr_dark_runs, qr_rows


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


def _reportlab_rows(text: str, level: int, mask: int) -> list[str]:
    code = qrencoder.QRCode(None, level)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, mask)
    return ["".join("1" if dark else "0" for dark in row) for row in code.modules]


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_the_same_modules_as_reportlab_for_every_mask(level: int) -> None:
    """Numeric, alphanumeric and byte texts from version 1 to past version 7 (where the
    version information blocks appear), each with all eight masks."""
    rng = random.Random(level)
    texts = [
        qr_payload(rng.randint(1, 10**9), f"{rng.getrandbits(256):064x}"),
        "1",
        str(rng.getrandbits(500)),
        "ZOË ÅNGSTRÖM-MÜLLER FERREIRA " * rng.randint(2, 6),
        "CLINIC-DESK " * rng.randint(10, 20),
    ]
    for text in texts:
        for mask in range(8):
            assert qr_rows(text, level, mask) == _reportlab_rows(text, level, mask)


def test_dark_runs_cover_exactly_the_dark_modules() -> None:
    text = qr_payload(1042, "ab" * 32)
    rows = qr_rows(text, 0, 0)
    count, runs = qr_dark_runs(text, 0, 0)
    drawn = [["0"] * count for _ in range(count)]
    for column, row_from_bottom, length in runs:
        row = drawn[count - 1 - row_from_bottom]
        assert row[column:column + length] == ["0"] * length  # no run drawn twice
        row[column:column + length] = ["1"] * length
        assert column + length == count or rows[count - 1 - row_from_bottom][
            column + length] == "0"  # each run is whole: it ends at a light module
    assert ["".join(row) for row in drawn] == rows
    assert count == 37  # a consent payload fits version 5
