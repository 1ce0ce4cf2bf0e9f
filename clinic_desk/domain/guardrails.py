"""Guardrails for a session's settings: checked against the device, the protocol and
the patient's RF history before anything is saved.

`check_session_settings` returns every finding, each with the form field it belongs to
(for an inline message), a severity and plain words. Only "warning" findings let a
session be saved as it is; "needs reason" goes away when the reason is written, "needs
test spot" when a tolerated test spot at that energy is on record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clinic_desk.domain.devices import DeviceKind, DeviceProfile, RfCapability, with_unit
from clinic_desk.domain.numbing import numbing_findings
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.quantities import format_mm
from clinic_desk.domain.setting_findings import (
    FindingSeverity,
    SettingFinding,
    SettingsCheck,
    refuse,
)

MIN_WRITTEN_REASON = 10
MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class AreaSettings:
    area: str
    indication: str
    needle_depth_mm: Decimal
    above_maximum_reason: str = ""
    passes: int | None = None
    speed: str | None = None
    rf_energy: Decimal | None = None
    rf_pulse_duration_ms: Decimal | None = None
    rf_tip: str | None = None

    @property
    def uses_rf(self) -> bool:
        return any(
            v is not None for v in (self.rf_energy, self.rf_pulse_duration_ms, self.rf_tip)
        )


@dataclass(frozen=True, slots=True)
class Lot:
    """A cartridge or needle lot; usable up to and including its printed expiry date."""

    product: str
    lot_number: str
    expiry_date: date

    def is_expired(self, on: date) -> bool:
        return on > self.expiry_date


@dataclass(frozen=True, slots=True)
class ToleratedRf:
    """RF energy a patient tolerated before: a session without adverse event, or a test
    spot with an acceptable reaction. Compared only on the same model (same scale)."""

    device_model_key: str
    energy_unit: str
    energy: Decimal


@dataclass(frozen=True, slots=True)
class SessionSettings:
    session_date: date
    areas: tuple[AreaSettings, ...]
    cartridge: str | None = None
    lot: Lot | None = None
    numbing_applied_at: datetime | None = None
    numbing_removed_at: datetime | None = None

    @property
    def uses_rf(self) -> bool:
        return any(a.uses_rf for a in self.areas)

    @property
    def highest_rf_energy(self) -> Decimal | None:
        energies = [a.rf_energy for a in self.areas if a.rf_energy is not None]
        return max(energies) if energies else None


def area_field(area: str, name: str) -> str:
    return f"areas.{area}.{name}"


def check_session_settings(
    settings: SessionSettings,
    device: DeviceProfile,
    protocol: Protocol,
    tolerated_rf: Sequence[ToleratedRf] = (),
) -> SettingsCheck:
    found: list[SettingFinding] = []
    found += _device_findings(settings, device)
    if not settings.areas:
        found.append(refuse("no_area", "areas", "Add at least one treated area."))
    seen: set[str] = set()
    for area in settings.areas:
        if area.area in seen:
            found.append(
                refuse(
                    "area_twice",
                    area_field(area.area, "area"),
                    "This area is listed twice: record it once.",
                )
            )
            continue
        seen.add(area.area)
        found += _area_findings(area, device, protocol)
    found += _test_spot_findings(settings, device, tolerated_rf)
    found += numbing_findings(
        settings.numbing_applied_at, settings.numbing_removed_at, protocol.numbing
    )
    return SettingsCheck(tuple(found))


def _device_findings(settings: SessionSettings, device: DeviceProfile) -> list[SettingFinding]:
    found = []
    if not device.active:
        found.append(refuse("device_inactive", "device", "This device has been taken out of use."))
    if device.is_service_overdue(settings.session_date):
        assert device.service_due_on is not None
        found.append(
            SettingFinding(
                "device_service_overdue",
                "device",
                FindingSeverity.WARNING,
                f"This device was due for service or calibration on "
                f"{device.service_due_on.isoformat()}: arrange it soon.",
            )
        )
    if device.kind is DeviceKind.DERMA_ROLLER:
        if settings.cartridge is not None:
            found.append(
                refuse("cartridge_on_roller", "cartridge", "A roller takes no cartridge.")
            )
    elif settings.cartridge is None:
        found.append(refuse("cartridge_missing", "cartridge", "Choose the cartridge used."))
    elif device.cartridge(settings.cartridge) is None:
        found.append(
            refuse("cartridge_unknown", "cartridge", "This device does not take that cartridge.")
        )
    lot = settings.lot
    if lot is None:
        found.append(refuse("lot_missing", "lot", "Record the lot of the needles used."))
    elif lot.is_expired(settings.session_date):
        found.append(
            refuse(
                "lot_expired",
                "lot",
                f"Lot {lot.lot_number} expired on {lot.expiry_date.isoformat()}: "
                "choose another lot.",
            )
        )
    return found


def _area_findings(
    area: AreaSettings, device: DeviceProfile, protocol: Protocol
) -> list[SettingFinding]:
    found = []
    depth_field = area_field(area.area, "needle_depth_mm")
    try:
        limit = protocol.limit(area.area, area.indication)
    except KeyError:
        return [
            refuse("unknown_area", depth_field, "Choose an area and indication from the list.")
        ]
    if limit is None:
        label = protocol.indication(area.indication).label.lower()
        return [
            refuse(
                "not_offered",
                depth_field,
                f"The protocol does not offer {label} on the "
                f"{protocol.area(area.area).label.lower()}.",
            )
        ]
    depth, reach = area.needle_depth_mm, device.depth_mm
    if device.kind is DeviceKind.DERMA_ROLLER and depth != reach.minimum:
        found.append(
            refuse(
                "roller_length",
                depth_field,
                f"This roller's needles are {format_mm(reach.minimum)} long: record that depth.",
            )
        )
    elif depth > reach.maximum:
        found.append(
            refuse(
                "above_device_maximum",
                depth_field,
                f"{format_mm(depth)} is deeper than this device goes "
                f"({format_mm(reach.maximum)}); that is never allowed.",
            )
        )
    elif depth < reach.minimum:
        found.append(
            refuse(
                "below_device_minimum",
                depth_field,
                f"{format_mm(depth)} is shallower than this device's shallowest setting "
                f"({format_mm(reach.minimum)}).",
            )
        )
    elif not reach.is_on_step(depth):
        found.append(
            refuse(
                "depth_off_step",
                depth_field,
                f"This device sets depth in steps of {format_mm(reach.step or Decimal(0))} "
                f"from {format_mm(reach.minimum)}: {format_mm(depth)} is not one of them.",
            )
        )
    if depth > limit.maximum_mm and not any(f.code == "above_device_maximum" for f in found):
        found.append(_above_area_maximum(area, limit.maximum_mm))
    found += _pen_findings(area, device)
    found += rf_findings(area, device.rf)
    return found


def _above_area_maximum(area: AreaSettings, maximum: Decimal) -> SettingFinding:
    field = area_field(area.area, "above_maximum_reason")
    if len(" ".join(area.above_maximum_reason.split())) >= MIN_WRITTEN_REASON:
        return SettingFinding(
            "above_area_maximum_with_reason",
            field,
            FindingSeverity.WARNING,
            f"Deeper than the protocol's maximum for this area ({format_mm(maximum)}); "
            "the reason is recorded.",
        )
    return SettingFinding(
        "above_area_maximum",
        field,
        FindingSeverity.NEEDS_REASON,
        f"{format_mm(area.needle_depth_mm)} is deeper than the protocol's maximum for this area "
        f"({format_mm(maximum)}): write why (at least {MIN_WRITTEN_REASON} characters).",
    )


def _pen_findings(area: AreaSettings, device: DeviceProfile) -> list[SettingFinding]:
    found = []
    if area.passes is not None and not 1 <= area.passes <= MAX_PASSES:
        found.append(
            refuse("passes_out_of_range", area_field(area.area, "passes"),
                    f"Passes are counted from 1 to {MAX_PASSES}.")
        )
    if area.speed is not None and area.speed not in device.speed_settings:
        message = (
            "This device has no speed settings."
            if not device.speed_settings
            else f"Choose one of this device's speed settings: {', '.join(device.speed_settings)}."
        )
        found.append(refuse("speed_unknown", area_field(area.area, "speed"), message))
    return found


def rf_findings(area: AreaSettings, rf: RfCapability | None) -> list[SettingFinding]:
    """RF values of one area (or a test spot) against the device's RF ranges."""
    if not area.uses_rf:
        return []
    if rf is None:
        return [
            refuse(
                "rf_on_non_rf_device",
                area_field(area.area, "rf_energy"),
                "This device has no radiofrequency: clear the RF settings or choose an RF device.",
            )
        ]
    found = []
    unit = str(rf.energy_unit)
    checks = (
        ("rf_energy", area.rf_energy, rf.energy, unit, "energy"),
        ("rf_pulse_duration_ms", area.rf_pulse_duration_ms, rf.pulse_duration_ms, "ms",
         "pulse duration"),
    )
    for name, value, allowed, value_unit, words in checks:
        field = area_field(area.area, name)
        if value is None:
            found.append(refuse(f"{name}_missing", field, f"Enter the RF {words}."))
        elif not allowed.contains(value):
            found.append(
                refuse(
                    f"{name}_out_of_range",
                    field,
                    f"{with_unit(value, value_unit)} is outside this device's RF "
                    f"{words} ({allowed.describe(value_unit)}).",
                )
            )
        elif not allowed.is_on_step(value):
            found.append(
                refuse(
                    f"{name}_off_step",
                    field,
                    f"{with_unit(value, value_unit)} is not one of this device's "
                    f"settings ({allowed.describe(value_unit)}).",
                )
            )
    tip_field = area_field(area.area, "rf_tip")
    if area.rf_tip is None:
        found.append(refuse("rf_tip_missing", tip_field, "Choose the RF tip used."))
    elif rf.tip(area.rf_tip) is None:
        found.append(refuse("rf_tip_unknown", tip_field, "This device does not take that tip."))
    return found


def _test_spot_findings(
    settings: SessionSettings, device: DeviceProfile, tolerated: Sequence[ToleratedRf]
) -> list[SettingFinding]:
    if device.rf is None:
        return []
    # An energy the device cannot deliver is refused on its own field already.
    energies = [
        a.rf_energy
        for a in settings.areas
        if a.rf_energy is not None and device.rf.energy.allows(a.rf_energy)
    ]
    if not energies:
        return []
    planned = max(energies)
    unit = str(device.rf.energy_unit)
    before = [
        t.energy
        for t in tolerated
        if t.device_model_key == device.model_key and t.energy_unit == unit
    ]
    if not before:
        reason = (
            "This is the patient's first RF treatment on this device"
            if not tolerated
            else "The patient has not had RF on this device before, and other devices' "
            "energy settings do not compare"
        )
    elif planned > max(before):
        reason = (
            f"{with_unit(planned, unit)} is above the highest energy this patient has "
            f"tolerated before ({with_unit(max(before), unit)})"
        )
    else:
        return []
    return [
        SettingFinding(
            "test_spot_needed",
            "test_spot",
            FindingSeverity.NEEDS_TEST_SPOT,
            f"{reason}: record a test spot first (area, settings and the skin's reaction), "
            "so a burn or blister shows on a small patch rather than the whole area.",
        )
    ]
