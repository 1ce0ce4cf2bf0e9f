"""A device profile as stored, byte for byte: sorted keys, accents as written, optional
counts left out when unknown, a fixed range with a step kept as a range, an inactive
device and no service date, and a stored profile that is broken named as "device"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.device_json import profile_from_json, profile_to_dict, profile_to_json
from clinic_desk.domain.devices import (
    Cartridge,
    DeviceKind,
    DeviceProfile,
    EnergyUnit,
    RfCapability,
    RfTip,
    SettingRange,
)

D = Decimal
RF_PEN = DeviceProfile(
    kind=DeviceKind.RF_MICRONEEDLING_DEVICE,
    make="Lumière",
    model="Example RF",
    serial_number="",
    depth_mm=SettingRange(D("0.5"), D("0.5"), D("0.5")),
    speed_settings=("1",),
    cartridges=(Cartridge("c12", "12 pin"), Cartridge("c36", "36 nano", 36, nano=True)),
    rf=RfCapability(
        EnergyUnit.LEVEL,
        SettingRange.fixed(D("3")),
        SettingRange(D("100"), D("200")),
        (RfTip("t1", "Tip", insulated=False), RfTip("t25", "25 pin", True, 25)),
    ),
    active=False,
    notes="Révision",
)
RF_PEN_JSON = (
    '{"active": false, "cartridges": [{"key": "c12", "label": "12 pin"}, '
    '{"key": "c36", "label": "36 nano", "nano": true, "needle_count": 36}], '
    '"depth_mm": {"max": "0.5", "min": "0.5", "step": "0.5"}, "kind": "rf_microneedling_device", '
    '"make": "Lumière", "model": "Example RF", "notes": "Révision", '
    '"rf": {"energy": {"fixed": "3"}, "energy_unit": "level", '
    '"pulse_duration_ms": {"max": "200", "min": "100"}, '
    '"tips": [{"insulated": false, "key": "t1", "label": "Tip"}, '
    '{"insulated": true, "key": "t25", "label": "25 pin", "needle_count": 25}]}, '
    '"serial_number": "", "service_due_on": null, "speed_settings": ["1"]}'
)


def test_the_stored_json_byte_for_byte() -> None:
    assert profile_to_json(RF_PEN) == RF_PEN_JSON


def test_it_reads_back_exactly() -> None:
    assert profile_from_json(RF_PEN_JSON) == RF_PEN
    dated = DeviceProfile(
        DeviceKind.DERMA_ROLLER, "M", "Example roller", "SN", SettingRange.fixed(D("1")),
        roller_needle_count=540, service_due_on=date(2027, 1, 31),
    )  # fmt: skip
    stored = profile_to_dict(dated)
    assert stored["service_due_on"] == "2027-01-31"
    assert stored["roller_needle_count"] == 540
    assert stored["depth_mm"] == {"fixed": "1"}
    assert "rf" not in stored
    assert profile_from_json(profile_to_json(dated)) == dated


def test_a_broken_stored_profile_is_named_device() -> None:
    with pytest.raises(CatalogueError) as caught:
        profile_from_json(RF_PEN_JSON.replace('"kind": "rf_microneedling_device"', '"kind": "x"'))
    assert str(caught.value).startswith("device.kind: must be one of derma_roller")
