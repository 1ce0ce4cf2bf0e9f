"""Administrators read the latest audit entries and check the chain from the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import PermissionDenied
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.audit import verify_audit_log
from tests.conftest import open_core
from tests.helpers.clinic import ADMIN_PASSWORD, FakeClock, clinic_with_history, seed_clinic
from tests.helpers.tamper import cut_tail, without_guards


def test_latest_entries_name_people_and_records_but_hold_no_patient_details(
    core: ClinicDesk,
) -> None:
    clinic = seed_clinic(core)
    record = core.patients.register(
        clinic.reception, PatientDetails("Wiśniewska", "Łucja", date(1990, 5, 5), "600 700 800")
    )
    entries = core.audit.recent(clinic.admin, limit=3)
    newest = entries[0]
    assert (newest.action, newest.staff_name, newest.patient_number) == (
        "patient.registered",
        "Jonas Müller",
        record.patient_number,
    )
    assert newest.workstation == "test-workstation" and newest.outcome == "success"
    assert all("Wiśniewska" not in (e.detail + e.entity) for e in entries)
    assert [e.seq for e in entries] == sorted((e.seq for e in entries), reverse=True)


def test_verification_is_recorded_with_who_checked(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    result = core.audit.verify(clinic.admin)
    assert result.ok
    newest = core.audit.recent(clinic.admin, limit=1)[0]
    assert (newest.action, newest.staff_name) == ("audit.verified", "Zoë Ångström-Müller")
    assert newest.detail == f"{result.entries_checked} entries checked"


def test_verification_reports_a_tampered_row(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    dialect = core.engine.dialect.name
    with core.engine.begin() as conn:  # an intruder with direct database access
        if dialect == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        conn.execute(text("UPDATE audit_entry SET detail = 'role=reception' WHERE seq = 2"))
    result = core.audit.verify(clinic.admin)
    assert not result.ok and result.first_bad_seq == 2


@pytest.mark.parametrize("who", ["reception", "practitioner"])
def test_only_administrators_read_or_verify_the_log(core: ClinicDesk, who: str) -> None:
    clinic = seed_clinic(core)
    with pytest.raises(PermissionDenied):
        core.audit.recent(getattr(clinic, who))
    with pytest.raises(PermissionDenied):
        core.audit.verify(getattr(clinic, who))


def test_the_administrators_check_counts_this_workstations_witness(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    """The chain alone cannot see a tail cut with the head rewound; the check run from
    the Audit log tab must not call that log intact while the witness disputes it."""
    core = open_core(database_url, tmp_path, clock)
    clinic_with_history(core)
    head = core.witness.anchor("Test clinic").head.seq
    core.close()
    with without_guards(database_url) as conn:
        cut_tail(conn, head - 2)  # two sign-ins: entries that vouch for no record
    core = open_core(database_url, tmp_path, clock)
    try:
        admin = core.auth.sign_in("admin", ADMIN_PASSWORD)
        assert verify_audit_log(core.units).ok  # the chain alone is fooled
        result = core.audit.verify(admin)
        assert not result.ok
        summary = result.summary()
        assert summary.startswith("Audit log chain unbroken (") and "NOT intact" in summary
        assert f"no longer holds entry {head}" in summary
    finally:
        core.close()
