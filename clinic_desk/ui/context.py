"""What the windows are given: the services they call, never the database itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clinic_desk.services.audit import AuditService
from clinic_desk.services.auth import AuthService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.demo import DemoAccount, DemoService
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.patients import PatientService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.services.staff import StaffService
from clinic_desk.storage.changes import ChangeWatcher

if TYPE_CHECKING:
    from clinic_desk.app import ClinicDesk

# Enough demo patients that search, scrolling and screening can be tried for real.
DEMO_PATIENTS = 300


@dataclass(frozen=True, slots=True)
class DeskServices:
    auth: AuthService
    clinic: ClinicService
    staff: StaffService
    patients: PatientService
    intake: IntakeService
    screening: ScreeningService
    demo: DemoService
    audit: AuditService
    database: str
    # Opens a watcher of what other windows and workstations commit.
    watch_changes: Callable[[], ChangeWatcher]
    # Shown read-only in Settings: whether the connection is encrypted, where backups go.
    connection: str = ""
    backup_folder: str = ""

    def load_demo(self) -> list[DemoAccount]:
        """The demo clinic with its accounts and, the first time, its demo patients."""
        accounts = self.demo.load_clinic()
        reception = self.demo.reception_account()
        if self.patients.count(reception) == 0:
            self.demo.add_patients(reception, DEMO_PATIENTS)
        return accounts


def desk_services(core: ClinicDesk) -> DeskServices:
    return DeskServices(
        auth=core.auth,
        clinic=core.clinic,
        staff=core.staff,
        patients=core.patients,
        intake=core.intake,
        screening=core.screening,
        demo=core.demo,
        audit=core.audit,
        database=core.settings.location.describe(),
        watch_changes=core.watch_changes,
        connection=core.connection.describe(),
        backup_folder=str(core.backups.folder),
    )
