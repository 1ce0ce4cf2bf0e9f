"""The data codewords of a QR code, error correction included, computed faster than
ReportLab's encoder does it (its Reed-Solomon division builds a polynomial object per
step; here it is a table-driven shift register). The result is the same list of
codewords, given to the encoder as its `dataCache`: the tests read the printed code back.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from reportlab.graphics.barcode import qrencoder

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


@cache
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """log of each coefficient after the leading 1 of the generator polynomial."""
    poly = [1]
    for i in range(ec_count):
        factor = _EXP[i]
        nxt = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            nxt[j] ^= c
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + _LOG[factor]]
        poly = nxt
    return tuple(_LOG[c] for c in poly[1:])


def _remainder(data: list[int], ec_count: int) -> list[int]:
    logs = _generator_logs(ec_count)
    register = [0] * ec_count
    for byte in data:
        factor = byte ^ register[0]
        register = [*register[1:], 0]
        if factor:
            lf = _LOG[factor]
            for k, lg in enumerate(logs):
                register[k] ^= _EXP[lg + lf]
    return register


def qr_codewords(code: Any) -> list[int]:
    """What `QRCode.createData` returns for this code (version set, data added)."""
    version, level = code.version, code.errorCorrectLevel
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for data in code.dataList:
        data.write(buffer, version)
    total = sum(block.dataCount for block in blocks) * 8
    if buffer.getLengthInBits() > total:
        raise ValueError("the QR code's text is too long for its version")
    if buffer.getLengthInBits() + 4 <= total:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while buffer.getLengthInBits() < total:
        buffer.put(next(pads), 8)
    offset = 0
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    for block in blocks:
        data = buffer.buffer[offset:offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(data)
        ec_blocks.append(_remainder(data, block.totalCount - block.dataCount))
    return [
        d
        for group in itertools.chain(
            itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks)
        )
        for d in group
        if d is not None
    ]
