"""Other windows and workstations learn what changed, from the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import PermissionDenied
from clinic_desk.domain.patients import PatientDetails
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, seed_clinic
from tests.helpers.waiting import collect_until

# How long another connection's commit may take to reach the watcher (PostgreSQL's
# NOTIFY travels over the network; SQLite's data_version is immediate).
DEADLINE_S = 10.0


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
        changes = collect_until(watcher.poll, bool, DEADLINE_S, "the registration")
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
        # A real change after them: once it is seen, anything before it would have been.
        record = core.patients.register(
            clinic.reception, PatientDetails("Nowak", "Ewa", date(1990, 1, 1), "600 000 001")
        )
        seen = collect_until(
            watcher.poll,
            lambda got: any(c.action == "patient.registered" for c in got),
            DEADLINE_S,
            "the registration after the refusal",
        )
        assert [(c.action, c.patient_id) for c in seen] == [
            ("patient.registered", record.patient_id)
        ]
    finally:
        watcher.close()


def test_a_lost_connection_is_reopened_and_nothing_is_missed(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    desk = open_core(database_url, tmp_path, clock)
    clinic = seed_clinic(desk)
    watcher = desk.watch_changes()
    try:
        # Given the watcher's own connection dies (server restart, network cut)
        listener = watcher._listener
        if listener is not None:
            superuser = make_url(database_url).set(drivername="postgresql")
            with psycopg.connect(
                superuser.render_as_string(hide_password=False), autocommit=True
            ) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (listener.info.backend_pid,))
        else:
            assert watcher._sqlite is not None
            watcher._sqlite.close()
        # When a patient is registered meanwhile
        record = desk.patients.register(
            clinic.reception, PatientDetails("Nowak", "Ewa", date(1990, 1, 1), "600 000 001")
        )
        # Then polling never raises, and soon (PostgreSQL notices the dead connection on
        # a later read, then reconnects and catches up) the change is reported, once
        seen = collect_until(watcher.poll, bool, DEADLINE_S, "the registration")
        assert [(c.action, c.patient_id) for c in seen] == [
            ("patient.registered", record.patient_id)
        ]
        assert watcher.poll() == []
    finally:
        watcher.close()
        desk.close()
