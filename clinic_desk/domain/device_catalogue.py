"""The example device profiles shipped in resources/devices/, read and checked.

They are starting points, never a maker's specification: each one's model says so, and
the catalogue's notice tells the administrator to edit every value before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinic_desk.domain.catalogue_data import CatalogueError, Reader, unique_keys
from clinic_desk.domain.devices import (
    Cartridge,
    DeviceKind,
    DeviceProfile,
    EnergyUnit,
    RfCapability,
    RfTip,
    SettingRange,
    device_problems,
)

EXAMPLE_MARK = "example"


@dataclass(frozen=True, slots=True)
class ExampleDevice:
    key: str
    profile: DeviceProfile


@dataclass(frozen=True, slots=True)
class DeviceCatalogue:
    version: int
    notice: str
    devices: tuple[ExampleDevice, ...]

    def device(self, key: str) -> ExampleDevice:
        for device in self.devices:
            if device.key == key:
                return device
        raise KeyError(key)


def parse_device_catalogue(raw: Any) -> DeviceCatalogue:
    top = Reader.top(raw, "")
    version = top.integer("version")
    notice = top.text("notice")
    devices = []
    for entry in top.children("devices"):
        key = entry.text("key")
        profile = parse_device_profile(entry)
        if EXAMPLE_MARK not in profile.model.casefold():
            raise entry.fail("model", "an example profile must say “example” in its model name")
        problems = device_problems(profile, require_serial=False)
        if problems:
            raise entry.fail(problems[0].field, problems[0].message)
        devices.append(ExampleDevice(key, profile))
    unique_keys([d.key for d in devices], "devices")
    if not devices:
        raise CatalogueError("devices", "the catalogue lists no device")
    return DeviceCatalogue(version, notice, tuple(devices))


def parse_device_profile(entry: Reader) -> DeviceProfile:
    """One device as written in the catalogue (types checked here, sense in `device_problems`)."""
    try:
        kind = DeviceKind(entry.text("kind"))
    except ValueError:
        kinds = ", ".join(k.value for k in DeviceKind)
        raise entry.fail("kind", f"must be one of {kinds}") from None
    return DeviceProfile(
        kind=kind,
        make=entry.text("make"),
        model=entry.text("model"),
        serial_number=str(entry.raw.get("serial_number") or ""),
        depth_mm=_range(entry.child("depth_mm")),
        speed_settings=entry.texts("speed_settings"),
        cartridges=tuple(
            Cartridge(
                key=c.text("key"),
                label=c.text("label"),
                needle_count=c.integer("needle_count") if c.has("needle_count") else None,
                nano=c.flag("nano", False),
            )
            for c in entry.children("cartridges", default_empty=True)
        ),
        roller_needle_count=(
            entry.integer("roller_needle_count") if entry.has("roller_needle_count") else None
        ),
        rf=_rf(entry.child("rf")) if entry.has("rf") else None,
        service_due_on=entry.day("service_due_on"),
        active=entry.flag("active", True),
        notes=str(entry.raw.get("notes") or ""),
    )


def _range(reader: Reader) -> SettingRange:
    if reader.has("fixed"):
        return SettingRange.fixed(reader.number("fixed"))
    return SettingRange(
        reader.number("min"),
        reader.number("max"),
        reader.number("step") if reader.has("step") else None,
    )


def _rf(reader: Reader) -> RfCapability:
    try:
        unit = EnergyUnit(reader.text("energy_unit"))
    except ValueError:
        units = ", ".join(u.value for u in EnergyUnit)
        raise reader.fail("energy_unit", f"must be one of {units}") from None
    return RfCapability(
        energy_unit=unit,
        energy=_range(reader.child("energy")),
        pulse_duration_ms=_range(reader.child("pulse_duration_ms")),
        tips=tuple(
            RfTip(
                key=t.text("key"),
                label=t.text("label"),
                insulated=t.flag("insulated"),
                needle_count=t.integer("needle_count") if t.has("needle_count") else None,
            )
            for t in reader.children("tips")
        ),
    )
