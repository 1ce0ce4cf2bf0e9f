"""A handwritten signature as data: the strokes drawn on the pad, not only a picture.

Coordinates are in the pad's own pixels (`width` x `height`), time in milliseconds from
the first point, pressure in 0..1 where the device reports it (a mouse and most touch
screens do not: `pressure_reported` says which, so a flat pressure is never invented).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SignatureMeaning(StrEnum):
    """What a signature means, printed beneath it and frozen in the record."""

    PATIENT_CONSENT = "patient_consent"
    PATIENT_DECLINE = "patient_decline"
    PRACTITIONER = "practitioner"
    WITNESS = "witness"


class InkDevice(StrEnum):
    MOUSE = "mouse"
    TOUCH = "touch"
    STYLUS = "stylus"


@dataclass(frozen=True, slots=True)
class InkPoint:
    x: float
    y: float
    t_ms: int
    pressure: float | None = None


@dataclass(frozen=True, slots=True)
class InkStroke:
    points: tuple[InkPoint, ...]


@dataclass(frozen=True, slots=True)
class SignatureInk:
    strokes: tuple[InkStroke, ...]
    width: int
    height: int
    device: InkDevice
    pressure_reported: bool
