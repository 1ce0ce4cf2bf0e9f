"""A device profile as stored: the example catalogue's JSON shape, quantities as exact
decimal texts ("0.25"), so that what is read back is exactly what was saved."""

from __future__ import annotations

import json
from typing import Any

from clinic_desk.domain.catalogue_data import Reader
from clinic_desk.domain.device_catalogue import parse_device_profile
from clinic_desk.domain.devices import DeviceProfile, SettingRange
from clinic_desk.domain.quantities import format_quantity


def _range(values: SettingRange) -> dict[str, str]:
    if values.is_fixed and values.step is None:
        return {"fixed": format_quantity(values.minimum)}
    out = {"min": format_quantity(values.minimum), "max": format_quantity(values.maximum)}
    if values.step is not None:
        out["step"] = format_quantity(values.step)
    return out


def profile_to_dict(profile: DeviceProfile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": profile.kind.value,
        "make": profile.make,
        "model": profile.model,
        "serial_number": profile.serial_number,
        "depth_mm": _range(profile.depth_mm),
        "speed_settings": list(profile.speed_settings),
        "cartridges": [
            {"key": c.key, "label": c.label}
            | ({"needle_count": c.needle_count} if c.needle_count is not None else {})
            | ({"nano": True} if c.nano else {})
            for c in profile.cartridges
        ],
        "service_due_on": profile.service_due_on.isoformat() if profile.service_due_on else None,
        "active": profile.active,
        "notes": profile.notes,
    }
    if profile.roller_needle_count is not None:
        out["roller_needle_count"] = profile.roller_needle_count
    if profile.rf is not None:
        rf = profile.rf
        out["rf"] = {
            "energy_unit": rf.energy_unit.value,
            "energy": _range(rf.energy),
            "pulse_duration_ms": _range(rf.pulse_duration_ms),
            "tips": [
                {"key": t.key, "label": t.label, "insulated": t.insulated}
                | ({"needle_count": t.needle_count} if t.needle_count is not None else {})
                for t in rf.tips
            ],
        }
    return out


def profile_to_json(profile: DeviceProfile) -> str:
    return json.dumps(profile_to_dict(profile), ensure_ascii=False, sort_keys=True)


def profile_from_json(text: str) -> DeviceProfile:
    return parse_device_profile(Reader.top(json.loads(text), "device"))
