"""Device profiles: every validation rule at its boundary, and the service due date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from clinic_desk.domain.devices import (
    KIND_LABELS,
    MAX_DEVICE_DEPTH_MM,
    MAX_NEEDLES_PER_CARTRIDGE,
    MAX_PULSE_DURATION_MS,
    MAX_ROLLER_NEEDLES,
    Cartridge,
    DeviceKind,
    DeviceProfile,
    EnergyUnit,
    RfCapability,
    RfTip,
    SettingRange,
    device_problems,
)

PEN = DeviceProfile(
    kind=DeviceKind.MICRONEEDLING_PEN,
    make="Acme",
    model="P1",
    serial_number="SN-1",
    depth_mm=SettingRange(D("0.25"), D("2.5"), D("0.25")),
    speed_settings=("1", "2", "3"),
    cartridges=(Cartridge("c12", "12 needles", 12), Cartridge("nano", "Nano", nano=True)),
)
RF = RfCapability(
    EnergyUnit.LEVEL,
    SettingRange(D(1), D(10), D(1)),
    SettingRange(D(50), D(400), D(10)),
    (RfTip("t25", "25 pin", insulated=True, needle_count=25),),
)
RF_DEVICE = replace(
    PEN, kind=DeviceKind.RF_MICRONEEDLING_DEVICE, speed_settings=(), rf=RF,
    depth_mm=SettingRange(D("0.5"), D("3.5"), D("0.1")),
)
ROLLER = DeviceProfile(
    kind=DeviceKind.DERMA_ROLLER,
    make="Acme",
    model="R05",
    serial_number="R-1",
    depth_mm=SettingRange.fixed(D("0.5")),
    roller_needle_count=540,
)


def fields(profile: DeviceProfile, **kw: bool) -> list[str]:
    return [p.field for p in device_problems(profile, **kw)]


@pytest.mark.parametrize("profile", [PEN, RF_DEVICE, ROLLER])
def test_sound_profiles_have_no_problems(profile: DeviceProfile) -> None:
    assert device_problems(profile) == []


def test_automated_device_needs_no_speeds() -> None:
    automated = replace(PEN, kind=DeviceKind.AUTOMATED_DEVICE, speed_settings=())
    assert device_problems(automated) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"make": " "}, "make"),
        ({"model": ""}, "model"),
        ({"serial_number": "  "}, "serial_number"),
    ],
)
def test_names_and_serial_are_required(change: dict[str, str], field: str) -> None:
    assert fields(replace(PEN, **change)) == [field]  # type: ignore[arg-type]


def test_serial_may_be_left_out_of_an_example_profile() -> None:
    assert fields(replace(PEN, serial_number=""), require_serial=False) == []


@pytest.mark.parametrize(
    ("depth", "field"),
    [
        (SettingRange(D(0), D("2.5"), D("0.25")), "depth_mm.minimum"),
        (SettingRange(D("-0.25"), D("2.5"), D("0.25")), "depth_mm.minimum"),
        (SettingRange(D("0.25"), MAX_DEVICE_DEPTH_MM + D("0.25"), D("0.25")), "depth_mm.maximum"),
        (SettingRange(D("2.5"), D("0.25"), D("0.25")), "depth_mm.maximum"),
        (SettingRange(D("0.25"), D("2.4"), D("0.25")), "depth_mm.step"),
        (SettingRange(D("0.25"), D("2.5"), None), "depth_mm.step"),
        (SettingRange(D("0.25"), D("2.5"), D(0)), "depth_mm.step"),
        (SettingRange(D("0.25"), D("2.5"), D("-0.25")), "depth_mm.step"),
        (SettingRange.fixed(D(1)), "depth_mm.maximum"),
    ],
)
def test_pen_depth_range_boundaries(depth: SettingRange, field: str) -> None:
    assert fields(replace(PEN, depth_mm=depth)) == [field]


@pytest.mark.parametrize(
    "depth",
    [
        SettingRange(D("0.001"), D("2.501"), D("0.25")),
        SettingRange(D("0.25"), MAX_DEVICE_DEPTH_MM, D("0.25")),
        SettingRange(D("0.2"), D("3.0"), D("0.1")),
    ],
)
def test_pen_depth_ranges_that_hold(depth: SettingRange) -> None:
    assert fields(replace(PEN, depth_mm=depth)) == []


def test_the_depth_ceiling_is_five_mm() -> None:
    assert D(5) == MAX_DEVICE_DEPTH_MM


@pytest.mark.parametrize(
    "depth",
    [SettingRange(D("0.5"), D("1"), D("0.5")), SettingRange(D("0.5"), D("0.5"), D("0.5"))],
)
def test_a_roller_has_one_fixed_length(depth: SettingRange) -> None:
    assert fields(replace(ROLLER, depth_mm=depth)) == ["depth_mm"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"speed_settings": ("1",)}, "speed_settings"),
        ({"cartridges": PEN.cartridges}, "cartridges"),
        ({"roller_needle_count": None}, "roller_needle_count"),
        ({"roller_needle_count": 0}, "roller_needle_count"),
        ({"roller_needle_count": MAX_ROLLER_NEEDLES + 1}, "roller_needle_count"),
        ({"rf": RF}, "rf"),
    ],
)
def test_roller_rules(change: dict[str, object], field: str) -> None:
    assert fields(replace(ROLLER, **change)) == [field]  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [1, MAX_ROLLER_NEEDLES])
def test_roller_needle_count_ends(count: int) -> None:
    assert fields(replace(ROLLER, roller_needle_count=count)) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"speed_settings": ()}, "speed_settings"),
        ({"speed_settings": ("1", " ")}, "speed_settings"),
        ({"speed_settings": ("1", "1")}, "speed_settings"),
        ({"cartridges": ()}, "cartridges"),
        ({"roller_needle_count": 192}, "roller_needle_count"),
        ({"cartridges": (Cartridge("a", "A", 12), Cartridge("a", "B", 16))}, "cartridges"),
        ({"cartridges": (Cartridge("a", "A"),)}, "cartridges[0]"),
        ({"cartridges": (Cartridge("a", "A", 12, nano=True),)}, "cartridges[0]"),
        ({"cartridges": (Cartridge("a", "A", 0),)}, "cartridges[0].needle_count"),
        (
            {"cartridges": (Cartridge("a", "A", MAX_NEEDLES_PER_CARTRIDGE + 1),)},
            "cartridges[0].needle_count",
        ),
        ({"rf": RF}, "rf"),
    ],
)
def test_pen_rules(change: dict[str, object], field: str) -> None:
    assert fields(replace(PEN, **change)) == [field]  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [1, 9, 42, MAX_NEEDLES_PER_CARTRIDGE])
def test_cartridge_needle_count_ends(count: int) -> None:
    assert fields(replace(PEN, cartridges=(Cartridge("a", "A", count),))) == []


def test_rf_fields_only_for_rf_capable_kinds() -> None:
    for kind in DeviceKind:
        profile = replace(PEN, kind=kind, rf=RF)
        expected = [] if kind is DeviceKind.RF_MICRONEEDLING_DEVICE else ["rf"]
        if kind is DeviceKind.DERMA_ROLLER:
            continue  # covered with the roller's own profile
        assert fields(profile) == expected, kind
    assert "automated microneedling device has no radiofrequency" in (
        device_problems(replace(PEN, kind=DeviceKind.AUTOMATED_DEVICE, rf=RF))[0].message
    )


def test_an_rf_device_needs_its_rf_ranges() -> None:
    assert fields(replace(RF_DEVICE, rf=None)) == ["rf"]


def rf_with(**change: object) -> DeviceProfile:
    return replace(RF_DEVICE, rf=replace(RF, **change))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"energy": SettingRange(D(0), D(10), D(1))}, "rf.energy.minimum"),
        ({"energy": SettingRange(D(5), D(4), D(1))}, "rf.energy.maximum"),
        ({"energy": SettingRange(D(1), D("10.5"), D(1))}, "rf.energy.step"),
        ({"energy": SettingRange(D(1), D(10), D(0))}, "rf.energy.step"),
        ({"energy": SettingRange(D(5), D(5), D(0))}, "rf.energy.step"),
        ({"pulse_duration_ms": SettingRange(D(0), D(400))}, "rf.pulse_duration_ms.minimum"),
        (
            {"pulse_duration_ms": SettingRange(D(10), MAX_PULSE_DURATION_MS + 1)},
            "rf.pulse_duration_ms.maximum",
        ),
        ({"tips": ()}, "rf.tips"),
        ({"tips": (RfTip("a", "A", True), RfTip("a", "B", False))}, "rf.tips"),
    ],
)
def test_rf_range_boundaries(change: dict[str, object], field: str) -> None:
    assert fields(rf_with(**change)) == [field]


@pytest.mark.parametrize(
    "change",
    [
        {"energy": SettingRange(D(1), D(10))},  # no step: any value in range
        {"energy": SettingRange.fixed(D(5))},
        {"energy": SettingRange(D(5), D(5), D(1))},
        {"pulse_duration_ms": SettingRange(D(10), MAX_PULSE_DURATION_MS)},
        {"energy_unit": EnergyUnit.PERCENT, "energy": SettingRange(D(1), D(100), D(1))},
    ],
)
def test_rf_ranges_that_hold(change: dict[str, object]) -> None:
    assert fields(rf_with(**change)) == []


def test_a_percentage_goes_up_to_100() -> None:
    over = rf_with(energy_unit=EnergyUnit.PERCENT, energy=SettingRange(D(1), D(101), D(1)))
    assert fields(over) == ["rf.energy.maximum"]
    watts = rf_with(energy_unit=EnergyUnit.WATT, energy=SettingRange(D(1), D(101), D(1)))
    assert fields(watts) == []


def test_setting_range_checks() -> None:
    r = SettingRange(D("0.25"), D("2.5"), D("0.25"))
    assert r.allows(D("0.25")) and r.allows(D("2.5")) and r.allows(D("1.0"))
    assert not r.allows(D("0.2")) and not r.allows(D("2.75")) and not r.allows(D("1.1"))
    assert r.settings()[0] == D("0.25") and r.settings()[-1] == D("2.5")
    assert len(r.settings()) == 10
    assert SettingRange.fixed(D("0.5")).settings() == (D("0.5"),)
    assert SettingRange(D(1), D(2)).settings() == ()
    assert SettingRange(D(1), D(2)).is_on_step(D("1.234"))
    assert r.describe("mm") == "0.25 to 2.5 mm in steps of 0.25"
    assert SettingRange(D(1), D(2)).describe("W") == "1 to 2 W"
    assert SettingRange.fixed(D("0.5")).describe("mm") == "0.5 mm"


def test_service_is_overdue_from_the_day_after_it_was_due() -> None:
    due = replace(PEN, service_due_on=date(2026, 6, 30))
    assert not due.is_service_overdue(date(2026, 6, 29))
    assert not due.is_service_overdue(date(2026, 6, 30))
    assert due.is_service_overdue(date(2026, 7, 1))
    assert due.days_until_service(date(2026, 6, 29)) == 1
    assert due.days_until_service(date(2026, 7, 1)) == -1
    assert not PEN.is_service_overdue(date(2099, 1, 1))
    assert PEN.days_until_service(date(2026, 1, 1)) is None


def test_profile_helpers() -> None:
    assert PEN.label == "Acme P1 (serial SN-1)"
    assert replace(PEN, serial_number="").label == "Acme P1"
    assert replace(PEN, make=" ACME ", model="P1 ").model_key == "acme p1"
    assert PEN.cartridge("c12") == Cartridge("c12", "12 needles", 12)
    assert PEN.cartridge("c99") is None
    assert RF.tip("t25") is not None and RF.tip("nope") is None
    assert RF_DEVICE.is_rf_capable and not PEN.is_rf_capable
    assert KIND_LABELS[DeviceKind.AUTOMATED_DEVICE] == "Automated microneedling device"
    assert len(KIND_LABELS) == len(DeviceKind)


# ---- every problem, whole: field and words ------------------------------------

BROKEN_PROFILES = [
    (replace(PEN, make=' '),
     ('make', "Enter the maker's name.")),
    (replace(PEN, model=''),
     ('model', "Enter the model.")),
    (replace(PEN, serial_number=''),
     ('serial_number', "Enter the serial number from the device's label.")),
    (replace(PEN, depth_mm=SettingRange(D(0), D('2.5'), D('0.25'))),
     ('depth_mm.minimum', "A needle depth must be more than 0 mm.")),
    (replace(PEN, depth_mm=SettingRange(D('0.25'), D('5.25'), D('0.25'))),
     ('depth_mm.maximum',
      "5.25 mm is deeper than any microneedling device goes (at most 5 mm): check it.")),
    (replace(PEN, depth_mm=SettingRange(D('2.5'), D('0.25'), D('0.25'))),
     ('depth_mm.maximum', "The deepest setting is below the shallowest.")),
    (replace(PEN, depth_mm=SettingRange(D('0.25'), D('2.4'), D('0.25'))),
     ('depth_mm.step', "Steps of 0.25 mm from 0.25 do not reach 2.4 mm.")),
    (replace(PEN, depth_mm=SettingRange(D('0.25'), D('2.5'), None)),
     ('depth_mm.step', "Enter the step between settings.")),
    (replace(PEN, depth_mm=SettingRange(D('0.25'), D('2.5'), D(0))),
     ('depth_mm.step', "The step must be more than 0.")),
    (replace(PEN, depth_mm=SettingRange.fixed(D(1))),
     ('depth_mm.maximum', "Enter the shallowest and deepest settings.")),
    (replace(ROLLER, depth_mm=SettingRange(D('0.5'), D(1), D('0.5'))),
     ('depth_mm', "A roller has one fixed needle length: enter just that length.")),
    (replace(ROLLER, speed_settings=('1',)),
     ('speed_settings', "A roller has no speed settings.")),
    (replace(ROLLER, cartridges=PEN.cartridges),
     ('cartridges', "A roller takes no cartridges.")),
    (replace(ROLLER, roller_needle_count=None),
     ('roller_needle_count', "Enter the roller's needle count (1 to 2000).")),
    (replace(ROLLER, rf=RF),
     ('rf', "A derma roller has no radiofrequency settings.")),
    (replace(PEN, speed_settings=()),
     ('speed_settings', "List the pen's speed settings.")),
    (replace(PEN, speed_settings=('1', ' ')),
     ('speed_settings', "A speed setting cannot be blank.")),
    (replace(PEN, speed_settings=('1', '1')),
     ('speed_settings', "Each speed setting may appear once.")),
    (replace(PEN, cartridges=()),
     ('cartridges', "List the cartridges the device takes.")),
    (replace(PEN, roller_needle_count=192),
     ('roller_needle_count', "Only a roller has a roller needle count.")),
    (replace(PEN, cartridges=(Cartridge('a',"A",12), Cartridge('a',"B",16))),
     ('cartridges', "Each cartridge may appear once.")),
    (replace(PEN, cartridges=(Cartridge('a',"A"),)),
     ('cartridges[0]', "A cartridge has a needle count or is nano, one of the two.")),
    (replace(PEN, cartridges=(Cartridge('a',"A",0),)),
     ('cartridges[0].needle_count', "A cartridge has 1 to 200 needles.")),
    (replace(PEN, rf=RF),
     ('rf', "A microneedling pen has no radiofrequency settings.")),
    (replace(RF_DEVICE, rf=None),
     ('rf', "Enter the RF ranges of this RF device.")),
    (rf_with(energy=SettingRange(D(0), D(10), D(1))),
     ('rf.energy.minimum', "The lowest setting must be more than 0.")),
    (rf_with(energy=SettingRange(D(5), D(4), D(1))),
     ('rf.energy.maximum', "The highest setting is below the lowest.")),
    (rf_with(energy=SettingRange(D(1), D('10.5'), D(1))),
     ('rf.energy.step', "Steps of 1 level from 1 do not reach 10.5 level.")),
    (rf_with(energy=SettingRange(D(5), D(5), D(0))),
     ('rf.energy.step', "The step must be more than 0.")),
    (rf_with(energy_unit=EnergyUnit.PERCENT, energy=SettingRange(D(1), D(101), D(1))),
     ('rf.energy.maximum', "A percentage goes up to 100.")),
    (rf_with(pulse_duration_ms=SettingRange(D(10), D(2001))),
     ('rf.pulse_duration_ms.maximum',
      "2001 ms is longer than any RF pulse (at most 2000 ms): check it.")),
    (rf_with(pulse_duration_ms=SettingRange(D(10), D(25), D(10))),
     ('rf.pulse_duration_ms.step', "Steps of 10 ms from 10 do not reach 25 ms.")),
    (rf_with(tips=()),
     ('rf.tips', "List the RF tips the device takes.")),
    (rf_with(tips=(RfTip('a',"A",True), RfTip('a',"B",False))),
     ('rf.tips', "Each tip may appear once.")),
]


@pytest.mark.parametrize(("profile", "expected"), BROKEN_PROFILES)
def test_each_problem_in_full(profile: DeviceProfile, expected: tuple[str, str]) -> None:
    assert [(p.field, p.message) for p in device_problems(profile)] == [expected]


def test_a_device_is_named_with_its_make_said_once() -> None:
    from dataclasses import replace as changed

    from clinic_desk.catalogue_treatment import example_devices

    example = next(d.profile for d in example_devices().devices if d.key == "example-pen")
    assert example.make == "Example" and example.model.startswith("Example pen")
    assert example.name == example.model
    assert changed(example, make="Dermapen", model="4").name == "Dermapen 4"
    # a model that only begins with the same letters keeps the make
    assert changed(example, make="Derma", model="Dermapen 4").name == "Derma Dermapen 4"
    assert changed(example, serial_number="SN-1").label == f"{example.model} (serial SN-1)"
