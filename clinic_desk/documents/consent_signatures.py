"""The signature cards of the consent PDF: each signature's picture (its strokes, or a
note when it was confirmed by password), the signer's name, role and meaning, and the
date and time, two cards side by side.

The cards are one light flowable per pair rather than a table per card inside a table per
pair: the same boxes, rules and paragraphs in the same places, without the tables'
general layout work (the consent PDF's time is measured against a bare document).
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image

from clinic_desk.documents.pdf_base import (
    INK,
    RULE,
    Styles,
    plain,
)
from clinic_desk.documents.pdf_flowables import Gap, KeptWithNext
from clinic_desk.domain.consent_record import ConsentSignature
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.signature import SignatureInk, SignatureMeaning

MEANING_LABELS = {
    SignatureMeaning.PATIENT_CONSENT: "Patient's consent",
    SignatureMeaning.PATIENT_DECLINE: "Patient's refusal of the treatment",
    SignatureMeaning.PRACTITIONER: "Practitioner's countersignature",
    SignatureMeaning.WITNESS: "Witness",
}
PICTURE_HEIGHT = 24 * mm
CARD_PADDING = 6  # left and right, inside the card's box
PAIR_GAP = 12  # between the two cards of a pair
PAIR_TOP, PAIR_BOTTOM = 3, 12  # space above and below each pair


def signed_time(signature: ConsentSignature, date_format: DateFormat) -> str:
    """The clinic's local date and time with its zone, and the same instant in UTC."""
    local = signature.signed_at_utc.astimezone(ZoneInfo(signature.time_zone))
    return (
        f"{format_date(local.date(), date_format)} at {local:%H:%M} "
        f"{signature.time_zone} time ({signature.signed_at_utc:%H:%M}\u00a0UTC)"
    )


def signature_flowables(
    signatures: tuple[ConsentSignature, ...] | list[ConsentSignature],
    date_format: DateFormat,
    width: float,
    st: Styles,
) -> list[Flowable]:
    """Signature cards two by two; the heading stays with the first pair."""
    cards = [_card(s, date_format, width / 2 - PAIR_GAP / 2, st) for s in signatures]
    rows = [_CardPair(cards[i:i + 2], width) for i in range(0, len(cards), 2)]
    if not rows:
        return []
    heading = plain("Signatures", st.heading)
    return [Gap(1, 6), KeptWithNext(heading, rows[0]), *rows[1:]]


class _Card:
    """One signature card: a box with the picture above a rule, then three lines."""

    def __init__(self, picture: Flowable, lines: list[Flowable], width: float) -> None:
        self.picture = picture
        self.lines = lines
        self.width = width
        self.height = 0.0
        self.row_heights: list[float] = []

    def wrap(self, canvas: Canvas | None) -> float:
        inner = self.width - 2 * CARD_PADDING
        self.picture.wrapOn(canvas, inner, PICTURE_HEIGHT + 4)
        self.row_heights = [PICTURE_HEIGHT + 8]
        for index, line in enumerate(self.lines):
            _, height = line.wrapOn(canvas, inner, 72000)
            bottom = 6 if index == len(self.lines) - 1 else 1
            self.row_heights.append(height + 1 + bottom)
        self.height = sum(self.row_heights)
        return self.height

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        picture_bottom = top - self.row_heights[0]
        self.picture.drawOn(canvas, x + CARD_PADDING, picture_bottom + 3)
        y = picture_bottom
        for index, (line, height) in enumerate(zip(self.lines, self.row_heights[1:],
                                                   strict=True)):
            y -= height
            line.drawOn(canvas, x + CARD_PADDING,
                        y + (6 if index == len(self.lines) - 1 else 1))
        c = canvas
        c.saveState()
        c.setLineCap(1)
        c.setLineJoin(1)
        c.setStrokeColor(INK)
        c.setLineWidth(0.9)
        c.line(x, picture_bottom, x + self.width, picture_bottom)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        right = x + self.width
        c.line(x, top, right, top)
        c.line(x, y, right, y)
        c.line(x, y, x, top)
        c.line(right, y, right, top)
        c.restoreState()


class _CardPair(Flowable):  # type: ignore[misc]
    """One or two cards side by side, their tops aligned."""

    def __init__(self, cards: list[_Card], width: float) -> None:
        super().__init__()
        self.cards = cards
        self.width = width
        self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        tallest = max(card.wrap(canvas) for card in self.cards)
        self.height = PAIR_TOP + tallest + PAIR_BOTTOM
        return self.width, self.height

    def draw(self) -> None:
        top = self.height - PAIR_TOP
        for index, card in enumerate(self.cards):
            card.draw(self.canv, index * self.width / 2, top)


def _card(signature: ConsentSignature, date_format: DateFormat, width: float,
          st: Styles) -> _Card:
    picture: Flowable
    inner = width - 2 * CARD_PADDING
    if signature.ink is not None:
        picture = _InkFlowable(signature.ink, inner, PICTURE_HEIGHT)
    elif signature.image_png is not None:  # an image without strokes: not made by Clinic Desk
        picture = _fitted_image(signature.image_png, inner, PICTURE_HEIGHT)
    else:
        picture = plain(
            "Confirmed with the practitioner's password; no handwritten signature.",
            st.small)
    lines: list[Flowable] = [
        plain(signature.signer_name, st.value),
        plain(f"{signature.signer_role} · {MEANING_LABELS[signature.meaning]}", st.small),
        plain(f"Signed {signed_time(signature, date_format)}", st.small),
    ]
    return _Card(picture, lines, width)


def _fitted_image(png: bytes, width: float, height: float) -> Flowable:
    # The size from the PNG header (IHDR), without decoding the picture twice.
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("a signature image must be a PNG")
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    scale = min(width / max(w, 1), height / max(h, 1))
    return Image(io.BytesIO(png), width=w * scale, height=h * scale)


class _InkFlowable(Flowable):  # type: ignore[misc]
    """The strokes themselves, scaled into the box: crisp at any printer resolution, and
    far cheaper to lay out than a bitmap."""

    def __init__(self, ink: SignatureInk, width: float, height: float) -> None:
        super().__init__()
        self.ink = ink
        self.scale = min(width / max(ink.width, 1), height / max(ink.height, 1))
        self.width = ink.width * self.scale
        self.height = ink.height * self.scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, scale = self.canv, self.scale
        canvas.setStrokeColor(INK)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        # The pad's own coordinates (y down, two decimals) in a scaled and flipped system,
        # written as they are: the same operators a path object writes, built in one go
        # (a signature has hundreds of points; a call per point is most of its time).
        canvas.transform(scale, 0, 0, -scale, 0, self.ink.height * scale)
        canvas.setLineWidth(1.3 / scale)
        ops = []
        for stroke in self.ink.strokes:
            first, *rest = stroke.points or (None,)
            if first is None:
                continue
            ops.append(f"{first.x:.2f} {first.y:.2f} m")
            ops += [f"{point.x:.2f} {point.y:.2f} l" for point in rest or [first]]
        canvas.addLiteral(" ".join(ops) + " S")
