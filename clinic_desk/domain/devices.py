"""Device profiles: what a roller, pen or RF device can do, as plain value objects.

Depths are in mm and RF values in the device's own unit, all exact `Decimal`s (see
`quantities`). A profile is checked by `device_problems`, which lists every problem
with the form field it belongs to; the registry and the example catalogue both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from clinic_desk.domain.catalogue_data import FieldProblem
from clinic_desk.domain.quantities import format_quantity, is_on_step, steps

# Sanity ceilings that catch a typing slip (25 for 2.5), not clinical limits.
MAX_DEVICE_DEPTH_MM = Decimal("5")
MAX_PULSE_DURATION_MS = Decimal("2000")
MAX_NEEDLES_PER_CARTRIDGE = 200
MAX_ROLLER_NEEDLES = 2000
MAX_PERCENT = Decimal("100")


class DeviceKind(StrEnum):
    DERMA_ROLLER = "derma_roller"
    MICRONEEDLING_PEN = "microneedling_pen"
    AUTOMATED_DEVICE = "automated_device"
    RF_MICRONEEDLING_DEVICE = "rf_microneedling_device"


KIND_LABELS = {
    DeviceKind.DERMA_ROLLER: "Derma roller",
    DeviceKind.MICRONEEDLING_PEN: "Microneedling pen",
    DeviceKind.AUTOMATED_DEVICE: "Automated microneedling device",
    DeviceKind.RF_MICRONEEDLING_DEVICE: "RF microneedling device",
}

RF_CAPABLE_KINDS = frozenset({DeviceKind.RF_MICRONEEDLING_DEVICE})


LEVEL = "level"


def with_unit(value: Decimal, unit: str) -> str:
    """"1.5 W", "150 ms", but "level 5"."""
    number = format_quantity(value)
    return f"level {number}" if unit == LEVEL else f"{number} {unit}"


class EnergyUnit(StrEnum):
    LEVEL = LEVEL
    WATT = "W"
    MILLIJOULE = "mJ"
    PERCENT = "%"


ENERGY_UNIT_LABELS = {
    EnergyUnit.LEVEL: "level",
    EnergyUnit.WATT: "W",
    EnergyUnit.MILLIJOULE: "mJ",
    EnergyUnit.PERCENT: "%",
}


@dataclass(frozen=True, slots=True)
class SettingRange:
    """From `minimum` to `maximum`, both allowed; on `step` when there is one."""

    minimum: Decimal
    maximum: Decimal
    step: Decimal | None = None

    @staticmethod
    def fixed(value: Decimal) -> SettingRange:
        return SettingRange(value, value, None)

    @property
    def is_fixed(self) -> bool:
        return self.minimum == self.maximum

    def contains(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum

    def is_on_step(self, value: Decimal) -> bool:
        if self.step is None:
            return True
        return is_on_step(value, self.minimum, self.step)

    def allows(self, value: Decimal) -> bool:
        return self.contains(value) and self.is_on_step(value)

    def settings(self) -> tuple[Decimal, ...]:
        """Every value a stepper offers (just the one for a fixed range)."""
        if self.step is None or self.is_fixed:
            return (self.minimum,) if self.is_fixed else ()
        return steps(self.minimum, self.maximum, self.step)

    def describe(self, unit: str) -> str:
        """"0.25 to 2.5 mm in steps of 0.25"; "level 1 to 10" for a unit of levels."""
        if self.is_fixed:
            return with_unit(self.minimum, unit)
        low, high = format_quantity(self.minimum), format_quantity(self.maximum)
        text = f"level {low} to {high}" if unit == LEVEL else f"{low} to {high} {unit}"
        if self.step is not None:
            text += f" in steps of {format_quantity(self.step)}"
        return text


@dataclass(frozen=True, slots=True)
class Cartridge:
    """A needle cartridge the device takes: a needle count, or nano (no needle count)."""

    key: str
    label: str
    needle_count: int | None = None
    nano: bool = False


@dataclass(frozen=True, slots=True)
class RfTip:
    key: str
    label: str
    insulated: bool
    needle_count: int | None = None


@dataclass(frozen=True, slots=True)
class RfCapability:
    energy_unit: EnergyUnit
    energy: SettingRange
    pulse_duration_ms: SettingRange
    tips: tuple[RfTip, ...]

    def tip(self, key: str) -> RfTip | None:
        return next((t for t in self.tips if t.key == key), None)


@dataclass(frozen=True, slots=True)
class DeviceProfile:
    kind: DeviceKind
    make: str
    model: str
    serial_number: str
    # A roller's range is fixed: its one needle length.
    depth_mm: SettingRange
    speed_settings: tuple[str, ...] = ()
    cartridges: tuple[Cartridge, ...] = ()
    roller_needle_count: int | None = None
    rf: RfCapability | None = None
    service_due_on: date | None = None
    active: bool = True
    notes: str = ""

    @property
    def is_rf_capable(self) -> bool:
        return self.rf is not None

    @property
    def model_key(self) -> str:
        """Two units of one model share an energy scale; used for RF tolerance history."""
        return " ".join(f"{self.make} {self.model}".casefold().split())

    @property
    def name(self) -> str:
        """Make and model, the make said once when the model already starts with it
        ("Example" and "Example pen …" read "Example pen …")."""
        if self.model.casefold().startswith(self.make.casefold() + " "):
            return self.model.strip()
        return f"{self.make} {self.model}".strip()

    @property
    def label(self) -> str:
        name = self.name
        return f"{name} (serial {self.serial_number})" if self.serial_number else name

    def cartridge(self, key: str) -> Cartridge | None:
        return next((c for c in self.cartridges if c.key == key), None)

    def is_service_overdue(self, on: date) -> bool:
        """Overdue from the day after the due date; a device with no date is not overdue."""
        return self.service_due_on is not None and on > self.service_due_on

    def days_until_service(self, on: date) -> int | None:
        return None if self.service_due_on is None else (self.service_due_on - on).days


def device_problems(profile: DeviceProfile, *, require_serial: bool = True) -> list[FieldProblem]:
    """Every problem with a profile, each beside its field; empty when it can be saved."""
    problems: list[FieldProblem] = []
    add = problems.append
    if not profile.make.strip():
        add(FieldProblem("make", "Enter the maker's name."))
    if not profile.model.strip():
        add(FieldProblem("model", "Enter the model."))
    if require_serial and not profile.serial_number.strip():
        add(FieldProblem("serial_number", "Enter the serial number from the device's label."))
    problems += _depth_problems(profile)
    problems += _speed_problems(profile)
    problems += _needle_problems(profile)
    problems += _rf_problems(profile)
    return problems


def _depth_problems(profile: DeviceProfile) -> list[FieldProblem]:
    depth = profile.depth_mm
    if depth.minimum <= 0:
        return [FieldProblem("depth_mm.minimum", "A needle depth must be more than 0 mm.")]
    if depth.maximum > MAX_DEVICE_DEPTH_MM:
        return [
            FieldProblem(
                "depth_mm.maximum",
                f"{format_quantity(depth.maximum)} mm is deeper than any microneedling "
                f"device goes (at most {format_quantity(MAX_DEVICE_DEPTH_MM)} mm): check it.",
            )
        ]
    if depth.maximum < depth.minimum:
        return [FieldProblem("depth_mm.maximum", "The deepest setting is below the shallowest.")]
    if profile.kind is DeviceKind.DERMA_ROLLER:
        if not depth.is_fixed or depth.step is not None:
            return [
                FieldProblem(
                    "depth_mm", "A roller has one fixed needle length: enter just that length."
                )
            ]
        return []
    if depth.is_fixed:
        return [FieldProblem("depth_mm.maximum", "Enter the shallowest and deepest settings.")]
    return _step_problems(depth, "depth_mm", "mm")


def _step_problems(values: SettingRange, field: str, unit: str) -> list[FieldProblem]:
    if values.step is None:
        return [FieldProblem(f"{field}.step", "Enter the step between settings.")]
    if values.step <= 0:
        return [FieldProblem(f"{field}.step", "The step must be more than 0.")]
    if not values.is_on_step(values.maximum):
        return [
            FieldProblem(
                f"{field}.step",
                f"Steps of {format_quantity(values.step)} {unit} from "
                f"{format_quantity(values.minimum)} do not reach "
                f"{format_quantity(values.maximum)} {unit}.",
            )
        ]
    return []


def _speed_problems(profile: DeviceProfile) -> list[FieldProblem]:
    speeds = profile.speed_settings
    if profile.kind is DeviceKind.DERMA_ROLLER and speeds:
        return [FieldProblem("speed_settings", "A roller has no speed settings.")]
    if profile.kind is DeviceKind.MICRONEEDLING_PEN and not speeds:
        return [FieldProblem("speed_settings", "List the pen's speed settings.")]
    if any(not s.strip() for s in speeds):
        return [FieldProblem("speed_settings", "A speed setting cannot be blank.")]
    if len(set(speeds)) != len(speeds):
        return [FieldProblem("speed_settings", "Each speed setting may appear once.")]
    return []


def _needle_problems(profile: DeviceProfile) -> list[FieldProblem]:
    if profile.kind is DeviceKind.DERMA_ROLLER:
        problems = []
        if profile.cartridges:
            problems.append(FieldProblem("cartridges", "A roller takes no cartridges."))
        count = profile.roller_needle_count
        if count is None or not 1 <= count <= MAX_ROLLER_NEEDLES:
            problems.append(
                FieldProblem(
                    "roller_needle_count",
                    f"Enter the roller's needle count (1 to {MAX_ROLLER_NEEDLES}).",
                )
            )
        return problems
    if profile.roller_needle_count is not None:
        return [FieldProblem("roller_needle_count", "Only a roller has a roller needle count.")]
    if not profile.cartridges:
        return [FieldProblem("cartridges", "List the cartridges the device takes.")]
    keys = [c.key for c in profile.cartridges]
    if len(set(keys)) != len(keys):
        return [FieldProblem("cartridges", "Each cartridge may appear once.")]
    for index, cartridge in enumerate(profile.cartridges):
        count = cartridge.needle_count
        if cartridge.nano == (count is not None):
            return [
                FieldProblem(
                    f"cartridges[{index}]",
                    "A cartridge has a needle count or is nano, one of the two.",
                )
            ]
        if count is not None and not 1 <= count <= MAX_NEEDLES_PER_CARTRIDGE:
            return [
                FieldProblem(
                    f"cartridges[{index}].needle_count",
                    f"A cartridge has 1 to {MAX_NEEDLES_PER_CARTRIDGE} needles.",
                )
            ]
    return []


def _rf_problems(profile: DeviceProfile) -> list[FieldProblem]:
    rf = profile.rf
    kind_label = KIND_LABELS[profile.kind].lower()
    if profile.kind not in RF_CAPABLE_KINDS:
        if rf is not None:
            return [FieldProblem("rf", f"A {kind_label} has no radiofrequency settings.")]
        return []
    if rf is None:
        return [FieldProblem("rf", "Enter the RF ranges of this RF device.")]
    problems = _positive_range(rf.energy, "rf.energy", str(rf.energy_unit))
    if not problems and rf.energy_unit is EnergyUnit.PERCENT and rf.energy.maximum > MAX_PERCENT:
        problems = [FieldProblem("rf.energy.maximum", "A percentage goes up to 100.")]
    problems += _positive_range(rf.pulse_duration_ms, "rf.pulse_duration_ms", "ms")
    if not problems and rf.pulse_duration_ms.maximum > MAX_PULSE_DURATION_MS:
        problems.append(
            FieldProblem(
                "rf.pulse_duration_ms.maximum",
                f"{format_quantity(rf.pulse_duration_ms.maximum)} ms is longer than any RF pulse "
                f"(at most {format_quantity(MAX_PULSE_DURATION_MS)} ms): check it.",
            )
        )
    keys = [t.key for t in rf.tips]
    if not rf.tips:
        problems.append(FieldProblem("rf.tips", "List the RF tips the device takes."))
    elif len(set(keys)) != len(keys):
        problems.append(FieldProblem("rf.tips", "Each tip may appear once."))
    return problems


def _positive_range(values: SettingRange, field: str, unit: str) -> list[FieldProblem]:
    if values.minimum <= 0:
        return [FieldProblem(f"{field}.minimum", "The lowest setting must be more than 0.")]
    if values.maximum < values.minimum:
        return [FieldProblem(f"{field}.maximum", "The highest setting is below the lowest.")]
    if values.step is not None and not values.is_fixed:
        return _step_problems(values, field, unit)
    if values.step is not None and values.step <= 0:
        return [FieldProblem(f"{field}.step", "The step must be more than 0.")]
    return []
