"""A treatment session as the practitioner fills it in (`SessionDraft`), how it is kept
in the signed record (exact JSON, decimals as texts), and what "copy settings from the
last session" copies and which fields then differ."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from clinic_desk.domain.guardrails import AreaSettings, area_field
from clinic_desk.domain.numbing import numbing_minutes
from clinic_desk.domain.quantities import exact, format_quantity

MAX_PAIN_SCORE = 10
RECORD_FORMAT = 1


class Endpoint(StrEnum):
    """What the practitioner saw when the needling had gone far enough."""

    ERYTHEMA = "erythema"
    PINPOINT_BLEEDING = "pinpoint_bleeding"
    OEDEMA = "oedema"


ENDPOINT_LABELS = {
    Endpoint.ERYTHEMA: "Erythema (even redness)",
    Endpoint.PINPOINT_BLEEDING: "Pinpoint bleeding",
    Endpoint.OEDEMA: "Swelling (oedema)",
}


@dataclass(frozen=True, slots=True)
class TestSpot:
    """A small patch treated first with the planned RF settings, and how the skin took it."""

    __test__ = False  # not a pytest class

    area: str
    rf_energy: Decimal
    rf_pulse_duration_ms: Decimal
    rf_tip: str
    reaction: str
    tolerated: bool
    needle_depth_mm: Decimal | None = None

    def as_area(self) -> AreaSettings:
        """For the RF range check (the field ids are rewritten to test_spot.*)."""
        return AreaSettings(
            area=TEST_SPOT_AREA,
            indication="",
            needle_depth_mm=self.needle_depth_mm or Decimal(0),
            rf_energy=self.rf_energy,
            rf_pulse_duration_ms=self.rf_pulse_duration_ms,
            rf_tip=self.rf_tip,
        )


TEST_SPOT_AREA = "__test_spot__"


def test_spot_field(field: str) -> str:
    """ "areas.__test_spot__.rf_energy" → "test_spot.rf_energy"."""
    prefix = area_field(TEST_SPOT_AREA, "")
    return "test_spot." + field[len(prefix) :] if field.startswith(prefix) else field


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """Everything the session form holds; written once, at sign-off."""

    device_id: int
    areas: tuple[AreaSettings, ...]
    cartridge_key: str | None = None
    lot_id: int | None = None
    course_id: int | None = None
    # None: today at the clinic.
    session_date: date | None = None
    # When the form was opened (None: at sign-off).
    started_at: datetime | None = None
    numbing_product: str = ""
    numbing_applied_at: datetime | None = None
    numbing_removed_at: datetime | None = None
    serums: tuple[str, ...] = ()
    test_spot: TestSpot | None = None
    endpoints: tuple[Endpoint, ...] = ()
    pain_score: int | None = None
    immediate_reactions: str = ""
    notes: str = ""

    @property
    def uses_rf(self) -> bool:
        return any(a.uses_rf for a in self.areas)

    @property
    def numbing_minutes(self) -> int | None:
        """How long the numbing cream was on (None until both times are known)."""
        if self.numbing_applied_at is None or self.numbing_removed_at is None:
            return None
        return numbing_minutes(self.numbing_applied_at, self.numbing_removed_at)


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format_quantity(value)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else exact(str(value))


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _area_dict(a: AreaSettings) -> dict[str, Any]:
    return {
        "area": a.area,
        "indication": a.indication,
        "needle_depth_mm": _num(a.needle_depth_mm),
        "above_maximum_reason": a.above_maximum_reason,
        "passes": a.passes,
        "speed": a.speed,
        "rf_energy": _num(a.rf_energy),
        "rf_pulse_duration_ms": _num(a.rf_pulse_duration_ms),
        "rf_tip": a.rf_tip,
    }


def _area(d: dict[str, Any]) -> AreaSettings:
    depth = _dec(d["needle_depth_mm"])
    assert depth is not None
    return AreaSettings(
        area=d["area"],
        indication=d["indication"],
        needle_depth_mm=depth,
        above_maximum_reason=d.get("above_maximum_reason", ""),
        passes=d.get("passes"),
        speed=d.get("speed"),
        rf_energy=_dec(d.get("rf_energy")),
        rf_pulse_duration_ms=_dec(d.get("rf_pulse_duration_ms")),
        rf_tip=d.get("rf_tip"),
    )


def record_to_json(draft: SessionDraft) -> str:
    """The parts of a draft kept in treatment_session.record_json (the ids, dates, device
    and lot have columns of their own)."""
    spot = draft.test_spot
    body = {
        "format": RECORD_FORMAT,
        "areas": [_area_dict(a) for a in draft.areas],
        "numbing": {
            "product": draft.numbing_product,
            "applied_at": _time(draft.numbing_applied_at),
            "removed_at": _time(draft.numbing_removed_at),
        },
        "serums": list(draft.serums),
        "test_spot": None
        if spot is None
        else {
            "area": spot.area,
            "needle_depth_mm": _num(spot.needle_depth_mm),
            "rf_energy": _num(spot.rf_energy),
            "rf_pulse_duration_ms": _num(spot.rf_pulse_duration_ms),
            "rf_tip": spot.rf_tip,
            "reaction": spot.reaction,
            "tolerated": spot.tolerated,
        },
        "endpoints": [e.value for e in draft.endpoints],
        "pain_score": draft.pain_score,
        "immediate_reactions": draft.immediate_reactions,
        "notes": draft.notes,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_from_json(
    text: str,
    *,
    device_id: int,
    cartridge_key: str | None,
    lot_id: int | None,
    course_id: int | None,
    session_date: date,
    started_at: datetime,
) -> SessionDraft:
    body = json.loads(text)
    numbing = body["numbing"]
    spot = body.get("test_spot")
    return SessionDraft(
        device_id=device_id,
        areas=tuple(_area(a) for a in body["areas"]),
        cartridge_key=cartridge_key,
        lot_id=lot_id,
        course_id=course_id,
        session_date=session_date,
        started_at=started_at,
        numbing_product=numbing["product"],
        numbing_applied_at=_parse_time(numbing["applied_at"]),
        numbing_removed_at=_parse_time(numbing["removed_at"]),
        serums=tuple(body["serums"]),
        test_spot=None
        if spot is None
        else TestSpot(
            area=spot["area"],
            rf_energy=_dec(spot["rf_energy"]) or Decimal(0),
            rf_pulse_duration_ms=_dec(spot["rf_pulse_duration_ms"]) or Decimal(0),
            rf_tip=spot["rf_tip"],
            reaction=spot["reaction"],
            tolerated=bool(spot["tolerated"]),
            needle_depth_mm=_dec(spot.get("needle_depth_mm")),
        ),
        endpoints=tuple(Endpoint(e) for e in body["endpoints"]),
        pain_score=body["pain_score"],
        immediate_reactions=body["immediate_reactions"],
        notes=body["notes"],
    )


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def copy_settings(last: SessionDraft) -> SessionDraft:
    """A new draft with the last session's settings: device, cartridge, lot, areas (without
    the written reasons, which belong to that day), serums and numbing product. Times,
    test spot, endpoints, pain, reactions and notes start empty."""
    return SessionDraft(
        device_id=last.device_id,
        areas=tuple(replace(a, above_maximum_reason="") for a in last.areas),
        cartridge_key=last.cartridge_key,
        lot_id=last.lot_id,
        course_id=last.course_id,
        numbing_product=last.numbing_product,
        serums=last.serums,
    )


_AREA_FIELDS = (
    "indication",
    "needle_depth_mm",
    "passes",
    "speed",
    "rf_energy",
    "rf_pulse_duration_ms",
    "rf_tip",
)


def settings_differences(draft: SessionDraft, last: SessionDraft) -> frozenset[str]:
    """The form fields whose setting differs from the last session (to highlight them):
    "device", "cartridge", "lot", "serums", "numbing_product", and per area
    "areas.<area>.<name>" (every field of an area the last session did not treat)."""
    changed: set[str] = set()
    for name, now, then in (
        ("device", draft.device_id, last.device_id),
        ("cartridge", draft.cartridge_key, last.cartridge_key),
        ("lot", draft.lot_id, last.lot_id),
        ("serums", draft.serums, last.serums),
        ("numbing_product", draft.numbing_product, last.numbing_product),
    ):
        if now != then:
            changed.add(name)
    before = {a.area: a for a in last.areas}
    for area in draft.areas:
        old = before.get(area.area)
        for name in _AREA_FIELDS:
            if old is None or getattr(area, name) != getattr(old, name):
                changed.add(area_field(area.area, name))
    return frozenset(changed)
