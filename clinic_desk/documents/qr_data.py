"""A QR code's modules, exactly as ReportLab's encoder lays them out for a given mask,
computed in a fraction of its time.

ReportLab's encoder writes the data bit by bit, divides for the error correction with a
polynomial object per step, and places the modules one Python call at a time. Here:
the data bits are written into one integer (with ReportLab's own segment classes, so the
same modes and lengths), the Reed-Solomon remainder is a table-driven shift register on
an integer, and the modules are placed by one gather through a layout that depends only
on the version, error correction level and mask (computed once per process from
ReportLab's own encoder, like a font's metrics). The tests compare codewords and modules
with ReportLab's for many texts, and read the printed code back.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
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


@cache
def _products(ec_count: int) -> tuple[int, ...]:
    """For each byte value, the generator's coefficients times that value, packed into
    one integer (first coefficient in the highest byte): GF(256) addition is XOR, so one
    integer XOR adds a whole row to the shift register."""
    logs = _generator_logs(ec_count)
    rows = [0]
    for factor in range(1, 256):
        row = 0
        for lg in logs:
            row = (row << 8) | _EXP[lg + _LOG[factor]]
        rows.append(row)
    return tuple(rows)


def _remainder(data: bytes, ec_count: int) -> bytes:
    """The error correction codewords of one block: the remainder of the division by the
    generator polynomial, the shift register held in one integer."""
    products = _products(ec_count)
    shift = 8 * (ec_count - 1)
    keep = (1 << (8 * ec_count)) - 1
    register = 0
    for byte in data:
        register = ((register << 8) & keep) ^ products[byte ^ (register >> shift)]
    return register.to_bytes(ec_count, "big")


class _Bits:
    """What ReportLab's segments write into (`put`, `putBit`, `getLengthInBits`), held as
    one integer instead of a list grown bit by bit."""

    __slots__ = ("length", "value")

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, number: int, length: int) -> None:
        self.value = (self.value << length) | (number & ((1 << length) - 1))
        self.length += length

    def putBit(self, bit: bool) -> None:  # ReportLab's name
        self.put(1 if bit else 0, 1)

    def getLengthInBits(self) -> int:  # ReportLab's name
        return self.length


def qr_codewords(code: Any) -> list[int]:
    """What `QRCode.createData` returns for this code (version set, data added)."""
    version, level = code.version, code.errorCorrectLevel
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    bits = _Bits()
    for segment in code.dataList:
        segment.write(bits, version)
    data_count = sum(block.dataCount for block in blocks)
    total = data_count * 8
    if bits.length > total:
        raise ValueError("the QR code's text is too long for its version")
    if bits.length + 4 <= total:
        bits.put(0, 4)
    bits.put(0, -bits.length % 8)
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while bits.length < total:
        bits.put(next(pads), 8)
    stream = bits.value.to_bytes(data_count, "big")
    offset = 0
    data_blocks: list[bytes] = []
    ec_blocks: list[bytes] = []
    for block in blocks:
        data = stream[offset:offset + block.dataCount]
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


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each module of a QR code of one version, level and mask comes from: a data
    position (the codeword bits, in placement order, XOR the mask there) or a fixed
    function module (finder, timing, alignment, format and version patterns)."""

    count: int  # modules per side
    data_positions: int
    mask: int  # the mask's value at each data position, first position highest
    # Gathers the rows, each followed by one light separator module, from the data bits
    # followed by "01" (a fixed light and a fixed dark module).
    gather: Any


@cache
def _layout(version: int, level: int, mask: int) -> _Layout:
    code = qrencoder.QRCode(version, level)
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    code.dataCache = [0] * sum(block.totalCount for block in blocks)
    code.makeImpl(False, mask)  # all-light data: each data module shows the mask alone
    positions = {(row, col): index for index, (col, row) in enumerate(code.dataPosIterator())}
    count = code.getModuleCount()
    light, dark = len(positions), len(positions) + 1
    order: list[int] = []
    mask_bits = 0
    for row in range(count):
        for col in range(count):
            index = positions.get((row, col))
            order.append((dark if code.modules[row][col] else light) if index is None
                         else index)
        order.append(light)
    for (row, col), _ in sorted(positions.items(), key=lambda item: item[1]):
        mask_bits = (mask_bits << 1) | bool(code.modules[row][col])
    return _Layout(count, len(positions), mask_bits, itemgetter(*order))


_DARK_RUN = re.compile("1+")
_span = re.Match.span


def qr_rows(text: str, level: int, mask: int) -> list[str]:
    """The modules of the QR code for `text`, one string of "1" (dark) and "0" (light)
    per row from the top: what ReportLab's `QRCode.makeImpl(False, mask)` puts in
    `modules`, for the smallest version that holds the text."""
    count, cells = _cells(text, level, mask)
    return [cells[start:start + count] for start in range(0, len(cells), count + 1)]


def qr_dark_runs(text: str, level: int, mask: int) -> tuple[int, list[tuple[int, int, int]]]:
    """Modules per side, and each horizontal run of dark modules as (column, row counted
    from the bottom, length): the rectangles that draw the code."""
    count, cells = _cells(text, level, mask)
    width, top = count + 1, count - 1
    return count, [(start % width, top - start // width, end - start)
                   for start, end in map(_span, _DARK_RUN.finditer(cells))]


def _cells(text: str, level: int, mask: int) -> tuple[int, str]:
    code = qrencoder.QRCode(None, level)
    code.addData(text)
    code.version = code.calculate_version()
    layout = _layout(code.version, level, mask)
    codewords = qr_codewords(code)
    unused = layout.data_positions - 8 * len(codewords)  # remainder bits, left light
    data = (int.from_bytes(bytes(codewords), "big") << unused) ^ layout.mask
    source = format(data, f"0{layout.data_positions}b") + "01"
    return layout.count, "".join(layout.gather(source))
