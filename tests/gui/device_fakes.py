"""An in-memory device registry and protocol book for the Devices and session screens,
shaped like the device and protocol services (versions, stale writes, never deletes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from clinic_desk.catalogue_treatment import example_devices, protocol
from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.device_catalogue import DeviceCatalogue
from clinic_desk.domain.devices import DeviceProfile, device_problems
from clinic_desk.domain.errors import ConcurrentEditError, ValidationError
from clinic_desk.domain.protocol import DepthLimit, Protocol
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import (
    DeviceRevisionView,
    LotDetails,
    ProtocolVersionView,
)

TODAY = date(2026, 11, 30)
LONG_NAME_MAKE = "Zoë Ångström-Müller Ferreira de la Fuente Instruments"


def shipped_examples() -> DeviceCatalogue:
    return example_devices()


def shipped_protocol() -> Protocol:
    return protocol()


@dataclass(frozen=True)
class FakeDevice:
    device_id: int
    version: int
    profile: DeviceProfile

    @property
    def label(self) -> str:
        return self.profile.label


@dataclass(frozen=True)
class FakeLot:
    lot_id: int
    product: str
    lot_number: str
    expiry_date: date
    kind: str = "cartridge"
    is_active: bool = True
    version: int = 1

    @property
    def is_expired(self) -> bool:
        return self.expiry_date < TODAY

    @property
    def usable(self) -> bool:
        return self.is_active and not self.is_expired

    @property
    def label(self) -> str:
        return f"{self.product}, lot {self.lot_number} (use by {self.expiry_date.isoformat()})"


@dataclass
class FakeRegistry:
    stored: dict[int, FakeDevice] = field(default_factory=dict)
    stored_lots: list[FakeLot] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def seed(self, profile: DeviceProfile) -> FakeDevice:
        device = FakeDevice(len(self.stored) + 1, 1, profile)
        self.stored[device.device_id] = device
        return device

    def devices(self, actor: SignedInStaff, *, include_inactive: bool = True) -> list[FakeDevice]:
        return list(self.stored.values())

    def add_device(self, actor: SignedInStaff, profile: DeviceProfile) -> FakeDevice:
        self.calls.append("add")
        problems = device_problems(profile)
        if problems:
            raise ValidationError(problems[0].message, field=problems[0].field)
        return self.seed(profile)

    def update_device(self, actor: SignedInStaff, device_id: int, profile: DeviceProfile, *,
                      expected_version: int) -> FakeDevice:
        self.calls.append("update")
        current = self.stored[device_id]
        if current.version != expected_version:
            raise ConcurrentEditError("changed elsewhere")
        saved = FakeDevice(device_id, current.version + 1, profile)
        self.stored[device_id] = saved
        return saved

    def set_device_active(self, actor: SignedInStaff, device_id: int, active: bool, *,
                          expected_version: int) -> FakeDevice:
        current = self.stored[device_id]
        return self.update_device(actor, device_id, replace(current.profile, active=active),
                                  expected_version=expected_version)

    def example_devices(self) -> DeviceCatalogue:
        return shipped_examples()

    def history(self, actor: SignedInStaff, device_id: int) -> list[DeviceRevisionView]:
        device = self.stored[device_id]
        return [DeviceRevisionView(device.version, device.profile, device.profile.active,
                                   datetime(2026, 11, 30, 9, tzinfo=UTC), "Someone")]

    def lots(self, actor: SignedInStaff) -> list[FakeLot]:
        return list(self.stored_lots)

    def add_lot(self, actor: SignedInStaff, details: LotDetails) -> FakeLot:
        lot = FakeLot(len(self.stored_lots) + 1, details.product, details.lot_number,
                      details.expiry_date, details.kind)
        self.stored_lots.append(lot)
        return lot

    def set_lot_active(self, actor: SignedInStaff, lot_id: int, active: bool, *,
                       expected_version: int) -> FakeLot:
        index = next(i for i, lot in enumerate(self.stored_lots) if lot.lot_id == lot_id)
        lot = replace(self.stored_lots[index], is_active=active, version=expected_version + 1)
        self.stored_lots[index] = lot
        return lot


@dataclass
class FakeProtocols:
    protocol: Protocol = dataclasses.field(default_factory=shipped_protocol)

    saved: list[tuple[int, dict[tuple[str, str], DepthLimit | None], str]] = \
        dataclasses.field(default_factory=list)

    def current(self, actor: SignedInStaff) -> Protocol:
        return self.protocol

    def versions(self, actor: SignedInStaff) -> list[ProtocolVersionView]:
        return [ProtocolVersionView(self.protocol.version, 0, "Shipped example values", None,
                                    "", self.protocol.example_values)]

    def save(self, actor: SignedInStaff, *, based_on: int,
             limits: Mapping[tuple[str, str], DepthLimit | None], note: str,
             reviewed: bool = False, courses: Mapping[str, CourseDefaults] | None = None,
             maintenance_after_months: int | None = None) -> object:
        self.saved.append((based_on, dict(limits), note))
        return None


def example(key: str) -> DeviceProfile:
    return shipped_examples().device(key).profile


def registry_with_devices() -> FakeRegistry:
    registry = FakeRegistry()
    registry.seed(replace(example("example-pen"), make=LONG_NAME_MAKE, model="Pen 3",
                          serial_number="PEN-0001", service_due_on=date(2027, 3, 1)))
    registry.seed(replace(example("example-rf"), make="Example", model="RF 1",
                          serial_number="RF-0001", service_due_on=date(2026, 10, 1)))
    registry.seed(replace(example("example-roller"), make="Example", model="Roller",
                          serial_number="ROL-1", active=False))
    registry.stored_lots += [
        FakeLot(1, "Sterile 12-needle cartridge", "L-2026-118", date(2027, 6, 30)),
        FakeLot(2, "Sterile RF 25-pin cartridge", "RF-0912", date(2027, 2, 28)),
        FakeLot(3, "Sterile 12-needle cartridge", "L-2025-007", date(2026, 8, 31)),
    ]
    return registry
