"""What the Devices area needs from the services, as small structural types.

The screens depend on these shapes, not on one service class: the device service
answers them in the application, and a fake in memory does in the widget tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.device_catalogue import DeviceCatalogue
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.protocol import DepthLimit
from clinic_desk.domain.protocol import Protocol as TreatmentProtocol
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import LotDetails


class RegisteredDevice(Protocol):
    @property
    def device_id(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def profile(self) -> DeviceProfile: ...


class RegisteredLot(Protocol):
    @property
    def lot_id(self) -> int: ...
    @property
    def product(self) -> str: ...
    @property
    def lot_number(self) -> str: ...
    @property
    def expiry_date(self) -> date: ...
    @property
    def kind(self) -> str: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_expired(self) -> bool: ...
    @property
    def version(self) -> int: ...


class DeviceRevision(Protocol):
    @property
    def version(self) -> int: ...
    @property
    def profile(self) -> DeviceProfile: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def recorded_by(self) -> str: ...


class DeviceRegistry(Protocol):
    """Named as the device service names them."""

    def devices(self, actor: SignedInStaff, *,
                include_inactive: bool = True) -> Sequence[RegisteredDevice]: ...

    def add_device(self, actor: SignedInStaff, profile: DeviceProfile) -> RegisteredDevice: ...

    def update_device(self, actor: SignedInStaff, device_id: int, profile: DeviceProfile, *,
                      expected_version: int) -> RegisteredDevice: ...

    def set_device_active(self, actor: SignedInStaff, device_id: int, active: bool, *,
                          expected_version: int) -> RegisteredDevice: ...

    def example_devices(self) -> DeviceCatalogue: ...

    def history(self, actor: SignedInStaff, device_id: int) -> Sequence[DeviceRevision]: ...

    def lots(self, actor: SignedInStaff) -> Sequence[RegisteredLot]: ...

    def add_lot(self, actor: SignedInStaff, details: LotDetails) -> RegisteredLot: ...

    def set_lot_active(self, actor: SignedInStaff, lot_id: int, active: bool, *,
                       expected_version: int) -> RegisteredLot: ...


class ProtocolVersion(Protocol):
    @property
    def version(self) -> int: ...
    @property
    def based_on(self) -> int: ...
    @property
    def note(self) -> str: ...
    @property
    def recorded_at(self) -> datetime | None: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def example_values(self) -> bool: ...


class ProtocolBook(Protocol):
    """The protocol service, as the Devices area uses it."""

    def current(self, actor: SignedInStaff) -> TreatmentProtocol: ...

    def versions(self, actor: SignedInStaff) -> Sequence[ProtocolVersion]: ...

    def save(self, actor: SignedInStaff, *, based_on: int,
             limits: Mapping[tuple[str, str], DepthLimit | None], note: str,
             reviewed: bool = False, courses: Mapping[str, CourseDefaults] | None = None,
             maintenance_after_months: int | None = None) -> object: ...
