"""What the windows are given: the services they call, never the database itself.

The composition root (`clinic_desk.app.desk_services`) builds it; nothing here looks
upward at the root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clinic_desk.services.core import CoreServices
from clinic_desk.services.demo import DemoAccount
from clinic_desk.services.demo_appointments import load_demo_appointments
from clinic_desk.services.demo_documents import load_demo_documents
from clinic_desk.services.demo_treatment import load_demo_treatment
from clinic_desk.storage.changes import ChangeWatcher

# Enough demo patients that search, scrolling and screening can be tried for real.
DEMO_PATIENTS = 300


@dataclass(frozen=True, slots=True)
class DeskServices(CoreServices):
    # How the status bar names the database ("SQLite file …", "PostgreSQL …").
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
        self.demo.add_consents(accounts)
        treatment = load_demo_treatment(self, accounts)
        if treatment is not None:
            load_demo_documents(self, treatment)
            load_demo_appointments(self, treatment.patients)
        return accounts
