"""`demo` then `audit verify`, and what verify finds after an intruder edits the log."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg
import pytest

from clinic_desk.app import open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.storage.location import parse_location
from tests.cli.support import CliRunner, demo_passwords, sqlite_cli, sqlite_value
from tests.helpers.clinic import fast_hashing, seed_clinic

DROP_GUARDS = """
DROP TRIGGER audit_entry_no_update;
DROP TRIGGER audit_entry_no_delete;
DROP TRIGGER audit_head_no_delete;
DROP TRIGGER audit_head_forward_only;
"""


def _signs_in(url: str, tmp_path: Path, username: str, password: str) -> bool:
    settings = Settings(parse_location(url), data_dir=tmp_path, workstation="check")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=utc_now,
                               lockout=LockoutPolicy(), create=False)
    try:
        return core.auth.sign_in(username, password).username == username
    finally:
        core.close()


@pytest.fixture
def demo_db(run_cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    result = run_cli("--database", f"sqlite:///{path}", "demo")
    assert result.returncode == 0, result.stderr
    return path


def test_demo_prints_the_clinic_the_accounts_and_how_to_start(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = run_cli("--database", url, "demo")
    assert result.returncode == 0, result.stderr
    assert "Lumière Skin & Microneedling Clinic" in result.stdout
    for username, role in (("admin", "Administrator"), ("practitioner", "Practitioner"),
                           ("reception", "Reception")):
        assert any(username in line and role in line and "password: demo-" in line
                   for line in result.stdout.splitlines()), result.stdout
    assert f"clinic-desk --database '{url}'" in result.stdout
    passwords = demo_passwords(result.stdout)
    assert set(passwords) == {"admin", "practitioner", "reception"}
    assert _signs_in(url, tmp_path, "practitioner", passwords["practitioner"])


def test_demo_again_gives_the_accounts_new_passwords(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{demo_db}"
    second = run_cli("--database", url, "demo")
    assert second.returncode == 0, second.stderr
    assert _signs_in(url, tmp_path, "admin", demo_passwords(second.stdout)["admin"])


def test_demo_refuses_a_database_holding_a_real_clinic(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    settings = Settings(parse_location(url), data_dir=tmp_path, workstation="setup")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=utc_now,
                               lockout=LockoutPolicy(), create=True)
    seed_clinic(core)
    core.close()
    result = run_cli("--database", url, "demo")
    assert result.returncode == 1
    assert "not the demo" in result.error_line
    assert sqlite_value(tmp_path / "real.sqlite3", "SELECT count(*) FROM staff_account") == 3


def test_verify_after_demo_is_intact(run_cli: CliRunner, demo_db: Path) -> None:
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 0, result.stderr
    entries = sqlite_value(demo_db, "SELECT count(*) FROM audit_entry")
    lines = result.stdout.splitlines()
    assert lines[0] == f"Audit log intact: {entries} entries checked."
    assert lines[-1] == (
        f"This workstation's witness: the log holds what it saw (now at entry {entries})."
    )


def test_the_guards_refuse_an_edit_until_dropped(demo_db: Path) -> None:
    done = subprocess.run(["sqlite3", str(demo_db), "UPDATE audit_entry SET detail = 'x';"],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "append-only" in done.stderr


def test_verify_names_an_altered_row(run_cli: CliRunner, demo_db: Path) -> None:
    sqlite_cli(demo_db, DROP_GUARDS + "UPDATE audit_entry SET detail = 'role=reception' "
                                      "WHERE id = 3;")
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 1
    assert "row id 3 " in result.stdout
    assert "altered" in result.stdout


def test_verify_notices_a_deleted_row(run_cli: CliRunner, demo_db: Path) -> None:
    sqlite_cli(demo_db, DROP_GUARDS + "DELETE FROM audit_entry WHERE id = 2;")
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 1
    # The gap shows at the row after the deleted one.
    assert "row id 3 " in result.stdout
    assert "deleted" in result.stdout


def test_verify_notices_a_row_cut_off_the_end(run_cli: CliRunner, demo_db: Path) -> None:
    sqlite_cli(demo_db, DROP_GUARDS + "DELETE FROM audit_entry WHERE id = "
                                      "(SELECT max(id) FROM audit_entry);")
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 1
    assert "removed from the end" in result.stdout


def test_verify_notices_two_swapped_rows(run_cli: CliRunner, demo_db: Path) -> None:
    sqlite_cli(demo_db, DROP_GUARDS + "UPDATE audit_entry SET id = -1 WHERE id = 3;"
                                      "UPDATE audit_entry SET id = 3 WHERE id = 2;"
                                      "UPDATE audit_entry SET id = 2 WHERE id = -1;")
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 1
    assert "row id 2 " in result.stdout
    assert "reordered" in result.stdout


def test_verify_changes_nothing(run_cli: CliRunner, demo_db: Path) -> None:
    before = demo_db.read_bytes()
    siblings = sorted(p.name for p in demo_db.parent.iterdir())
    assert run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify").returncode == 0
    assert demo_db.read_bytes() == before
    assert sorted(p.name for p in demo_db.parent.iterdir()) == siblings


@pytest.mark.postgresql
def test_demo_and_verify_on_postgresql(
    run_cli: CliRunner, postgresql_url: str, tmp_path: Path
) -> None:
    demo = run_cli("--database", postgresql_url, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "PostgreSQL" in demo.stdout
    assert _signs_in(postgresql_url, tmp_path, "reception",
                     demo_passwords(demo.stdout)["reception"])
    verify = run_cli("--database", postgresql_url, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("Audit log intact: ")

    with psycopg.connect(postgresql_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        conn.execute("UPDATE audit_entry SET workstation = 'elsewhere' WHERE id = 2")
    tampered = run_cli("--database", postgresql_url, "audit", "verify")
    assert tampered.returncode == 1
    assert "row id 2 " in tampered.stdout


def test_audit_list_accounts_for_one_patients_record(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert run_cli("--database", url, "demo", "--patients", "2").returncode == 0
    settings = Settings(parse_location(url), data_dir=tmp_path, workstation="room-2")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=utc_now,
                               lockout=LockoutPolicy(), create=False)
    try:
        core.patients.get(core.demo.reception_account(), 2)
    finally:
        core.close()
    listed = run_cli("--database", url, "audit", "list", "--patient", "P-000002", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [(e["staff"], e["workstation"], e["action"]) for e in entries][:1] == [
        ("Jonas Müller", "room-2", "patient.viewed")]
    assert {e["patient"] for e in entries} == {"P-000002"}
    # The listing itself is on the record, then shown in words
    again = run_cli("--database", url, "audit", "list", "--patient", "2")
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].startswith("Access to patient P-000002: ")
    assert "audit.listed" in lines[1] and "patient.viewed" in lines[2]
    # A patient who does not exist, or no number at all: one line, nothing changed
    missing = run_cli("--database", url, "audit", "list", "--patient", "P-009999")
    assert (missing.returncode, missing.stderr.strip()) == (
        1, "clinic-desk: error: There is no patient P-009999.")
    wrong = run_cli("--database", url, "audit", "list", "--patient", "Anna")
    assert wrong.returncode == 2 and wrong.stderr.startswith("clinic-desk: error: argument")
    assert run_cli("--database", url, "audit", "verify").returncode == 0
