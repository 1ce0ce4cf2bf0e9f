"""`session list` and `lot trace` on the demo clinic's treatment history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_desk.services.demo_treatment import EXPIRED_LOT, PEN_LOT, RF_LOT
from tests.cli.support import CliRunner, file_digest, sqlite_value


@pytest.fixture
def demo_db(run_cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    result = run_cli("--database", f"sqlite:///{path}", "demo")
    assert result.returncode == 0, result.stderr
    assert "4 signed-off sessions" in result.stdout
    return path


def test_session_list_as_json_with_and_without_rf(run_cli: CliRunner, demo_db: Path) -> None:
    result = run_cli("--database", f"sqlite:///{demo_db}", "session", "list", "--json")
    assert result.returncode == 0, result.stderr
    sessions = json.loads(result.stdout)
    assert len(sessions) == 4
    assert [s["session_date"] for s in sessions] == sorted(s["session_date"] for s in sessions)
    assert {s["uses_rf"] for s in sessions} == {True, False}
    assert sum(s["amendments"] for s in sessions) == 1
    assert sum(s["adverse_events"] for s in sessions) == 1
    rf = next(s for s in sessions if s["uses_rf"])
    assert rf["patient_name"] == "Oyelaran-Villanueva, Søren Ðorđe"
    assert rf["lot_number"] == RF_LOT and rf["areas"] == ["cheeks"]


def _number(run_cli: CliRunner, demo_db: Path, name: str) -> str:
    result = run_cli("--database", f"sqlite:///{demo_db}", "session", "list", "--json")
    return next(
        str(s["patient_number"]) for s in json.loads(result.stdout) if s["patient_name"] == name
    )


def test_session_list_for_one_patient(run_cli: CliRunner, demo_db: Path) -> None:
    url = f"sqlite:///{demo_db}"
    number = _number(run_cli, demo_db, "García-Núñez, Mateo")
    result = run_cli("--database", url, "session", "list", "--patient", number)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == f"2 treatment sessions of patient {number}, oldest first."
    assert all("García-Núñez, Mateo" in line for line in result.stdout.splitlines()[1:])
    missing = run_cli("--database", url, "session", "list", "--patient", "P-009999")
    assert missing.returncode == 1
    assert missing.error_line == "clinic-desk: error: That patient record does not exist."
    wrong = run_cli("--database", url, "session", "list", "--patient", "Zoë")
    assert wrong.returncode == 2 and "not a patient number" in wrong.error_line


def test_lot_trace_names_every_session_and_patient(run_cli: CliRunner, demo_db: Path) -> None:
    url = f"sqlite:///{demo_db}"
    result = run_cli("--database", url, "lot", "trace", RF_LOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Lot {RF_LOT} was used in 2 sessions on 1 patient."
    number = _number(run_cli, demo_db, "Oyelaran-Villanueva, Søren Ðorđe")
    assert lines[-2:] == [
        "Patients to contact:",
        f"  {number}  Oyelaran-Villanueva, Søren Ðorđe",
    ]
    traced = json.loads(run_cli("--database", url, "lot", "trace", PEN_LOT, "--json").stdout)
    assert traced["lot_number"] == PEN_LOT
    assert [p["patient_name"] for p in traced["patients"]] == ["García-Núñez, Mateo"]
    assert len(traced["sessions"]) == 2
    unused = run_cli("--database", url, "lot", "trace", EXPIRED_LOT)
    assert unused.stdout.startswith(f"Lot {EXPIRED_LOT} was used in 0 sessions on 0 patients.")
    traces = "SELECT count(*) FROM audit_entry WHERE action = 'lot.traced'"
    assert sqlite_value(demo_db, traces) == 3


def test_an_unknown_lot_is_one_line_and_changes_nothing(
    run_cli: CliRunner, demo_db: Path
) -> None:
    before = file_digest(demo_db)
    result = run_cli("--database", f"sqlite:///{demo_db}", "lot", "trace", "NO-SUCH-LOT")
    assert result.returncode == 1
    assert result.error_line == "clinic-desk: error: No lot numbered NO-SUCH-LOT is recorded."
    assert file_digest(demo_db) == before
