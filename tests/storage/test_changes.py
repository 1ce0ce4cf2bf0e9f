"""Other windows and workstations learn what changed, from the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import PermissionDenied
from clinic_desk.domain.patients import PatientDetails
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, seed_clinic


def test_a_second_workstation_sees_what_the_first_committed(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    reception_desk = open_core(database_url, tmp_path, clock, workstation="reception-1")
    clinic = seed_clinic(reception_desk)
    treatment_room = open_core(database_url, tmp_path, clock, workstation="room-2")
    watcher = treatment_room.watch_changes()
    try:
        assert watcher.poll() == []
        record = reception_desk.patients.register(
            clinic.reception, PatientDetails("Kowalska", "Zofia", date(1979, 4, 1), "600 100 200")
        )
        changes = watcher.poll()
        assert [(c.action, c.patient_id, c.workstation) for c in changes] == [
            ("patient.registered", record.patient_id, "reception-1")
        ]
        assert watcher.poll() == []  # each change is reported once
    finally:
        watcher.close()
        treatment_room.close()
        reception_desk.close()


def test_refusals_and_rolled_back_work_are_not_changes(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    watcher = core.watch_changes()
    try:
        with pytest.raises(PermissionDenied):  # refused and audited, changes nothing
            core.staff.list_staff(clinic.reception)
        with core.units(write=True) as uow:  # begun, never committed
            uow.staff.by_username("admin")
        assert watcher.poll() == []
    finally:
        watcher.close()
