"""PostgreSQL with least privilege: the app runs as a workstation role that cannot side-step
the guards; the owner can, and what it does then is caught by the witnesses."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from clinic_desk.cli import main
from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.witnessing import check_anchor
from clinic_desk.storage.privileges import WORKSTATION_PRIVILEGES, workstation_roles
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, clinic_with_history
from tests.helpers.pg_roles import RoleUrls
from tests.helpers.tamper import cut_tail

pytestmark = pytest.mark.postgresql

REFUSED = [
    "ALTER TABLE audit_entry DISABLE TRIGGER USER",
    "ALTER TABLE patient_revision DISABLE TRIGGER ALL",
    "SET session_replication_role = replica",
    "TRUNCATE patient_revision CASCADE",
    "TRUNCATE audit_entry CASCADE",
    "UPDATE audit_entry SET detail = 'x'",
    "DELETE FROM audit_entry WHERE seq = 1",
    "DELETE FROM audit_record",
    "UPDATE audit_head SET last_seq = last_seq + 1",
    "UPDATE patient_revision SET details_json = '{}'",
    "DELETE FROM intake_record",
    "UPDATE screening_clearance SET reason = 'x'",
    "UPDATE database_identity SET database_id = 'x'",
    "DROP TABLE audit_entry CASCADE",
    "ALTER TABLE patient ADD COLUMN secret text",
    "CREATE TABLE shadow (a int)",
    "CREATE OR REPLACE FUNCTION clinic_desk_history_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
]


def test_the_app_works_as_the_workstation_role(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(least_privilege.workstation, tmp_path, clock)
    with core.engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == (
            least_privilege.workstation_role
        )
    clinic_with_history(core)
    verdict = verify_audit_log(core.units)
    assert verdict.ok, verdict.summary()
    assert verdict.records_checked == 4  # two revisions, the intake, the clearance
    core.close()


def test_demo_patients_load_as_the_workstation_role(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(least_privilege.workstation, tmp_path, clock)
    core.demo.load_clinic()
    assert core.demo.add_patients(core.demo.reception_account(), 40) == 40
    verdict = verify_audit_log(core.units)
    assert verdict.ok and verdict.patients_checked == 40, verdict.summary()
    core.close()


@pytest.mark.parametrize("statement", REFUSED)
def test_the_workstation_role_cannot_side_step_the_guards(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock, statement: str
) -> None:
    core = open_core(least_privilege.workstation, tmp_path, clock)
    clinic_with_history(core)
    with (
        pytest.raises((DBAPIError, DatabaseProblem), match=r"permission denied|must be owner|"
                      r"append-only"),
        core.engine.begin() as conn,
    ):
        conn.execute(text(statement))
    assert verify_audit_log(core.units).ok
    core.close()


def test_the_owner_disabling_triggers_is_caught_by_witness_and_anchor(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock
) -> None:
    """Attack 7: the schema's owner may disable triggers; rewriting is still caught."""
    core = open_core(least_privilege.workstation, tmp_path, clock)
    clinic_with_history(core)
    anchor = core.witness.anchor("Test clinic")
    core.close()
    owner = create_engine(least_privilege.owner)
    with owner.begin() as conn:
        for table in ("audit_entry", "audit_record", "audit_head"):
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        cut_tail(conn, anchor.head.seq - 2)
        for table in ("audit_entry", "audit_record", "audit_head"):
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
    owner.dispose()
    again = open_core(least_privilege.workstation, tmp_path, clock)
    assert any(f"no longer holds entry {anchor.head.seq}" in w for w in again.start_warnings)
    assert check_anchor(again.units, anchor) is not None
    again.close()


def test_db_grant_names_every_table_and_upgrade_finds_the_role(
    least_privilege: RoleUrls, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLINIC_DESK_DATA_DIR", str(tmp_path))
    assert main(["--database", least_privilege.owner, "db", "grant",
                 least_privilege.workstation_role]) == 0
    out = capsys.readouterr().out
    assert f"Role {least_privilege.workstation_role} has the workstation's rights" in out
    assert "note:" not in out  # every table is known to WORKSTATION_PRIVILEGES
    engine = create_engine(least_privilege.owner)
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
        assert tables == set(WORKSTATION_PRIVILEGES)
        assert workstation_roles(conn) == [least_privilege.workstation_role]
    engine.dispose()
    assert main(["--database", least_privilege.owner, "db", "grant",
                 least_privilege.owner_role]) == 1
    assert "owns the schema" in capsys.readouterr().err
