"""What the windows are given: the services they call, never the database itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clinic_desk.services.auth import AuthService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.demo import DemoAccount, load_demo_clinic
from clinic_desk.services.staff import StaffService

if TYPE_CHECKING:
    from clinic_desk.app import ClinicDesk


@dataclass(frozen=True, slots=True)
class DeskServices:
    auth: AuthService
    clinic: ClinicService
    staff: StaffService
    database: str

    def load_demo(self) -> list[DemoAccount]:
        return load_demo_clinic(self.auth, self.clinic, self.staff)


def desk_services(core: ClinicDesk) -> DeskServices:
    return DeskServices(
        auth=core.auth,
        clinic=core.clinic,
        staff=core.staff,
        database=core.settings.location.describe(),
    )
