"""Input Clinic Desk must refuse: one line on stderr, a non-zero exit, nothing changed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from clinic_desk.app import open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.demo import load_demo_clinic
from clinic_desk.storage.location import parse_location
from tests.cli.support import CliRunner, file_digest, folder_listing, sqlite_cli
from tests.helpers.clinic import fast_hashing

COMMANDS = [["demo"], ["db", "upgrade"], ["audit", "verify"]]
COMMAND_IDS = ["demo", "db-upgrade", "audit-verify"]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """The demo clinic, built in this process (faster than the command) with fast hashing."""
    path = tmp_path / "clinic" / "demo.sqlite3"
    settings = Settings(parse_location(f"sqlite:///{path}"), data_dir=tmp_path,
                        workstation="setup")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=utc_now,
                               lockout=LockoutPolicy(), create=True)
    try:
        load_demo_clinic(core.auth, core.clinic, core.staff)
    finally:
        core.close()
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_a_text_file_is_refused_and_left_byte_identical(
    run_cli: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    text = folder / "patients.txt"
    text.write_text("Appointments for Monday\n" * 200, encoding="utf-8")
    before, listing = file_digest(text), folder_listing(folder)
    result = run_cli("--database", f"sqlite:///{text}", *command)
    assert result.returncode == 1
    assert "is not a Clinic Desk database or is damaged" in result.error_line
    assert file_digest(text) == before
    assert folder_listing(folder) == listing


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_a_damaged_database_is_refused_unchanged(
    run_cli: CliRunner, demo_db: Path, command: list[str]
) -> None:
    data = bytearray(demo_db.read_bytes())
    # Keep SQLite's 100-byte header, wreck the schema that follows it on page 1.
    data[100:1100] = b"\xde\xad\xbe\xef" * 250
    demo_db.write_bytes(bytes(data))
    before, listing = file_digest(demo_db), folder_listing(demo_db.parent)
    result = run_cli("--database", f"sqlite:///{demo_db}", *command)
    assert result.returncode == 1
    assert "damaged" in result.error_line
    assert file_digest(demo_db) == before
    assert folder_listing(demo_db.parent) == listing


def test_verify_never_creates_a_missing_database(run_cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "clinic.sqlite3"
    result = run_cli("--database", f"sqlite:///{missing}", "audit", "verify")
    assert result.returncode == 1
    assert f"There is no database at {missing}" in result.error_line
    assert not missing.parent.exists()


def test_verify_with_the_default_database_missing_creates_no_folder(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    result = run_cli("audit", "verify")
    assert result.returncode == 1
    assert "There is no database" in result.error_line
    assert not (tmp_path / "user-data").exists()


def test_a_folder_is_not_a_database(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("--database", f"sqlite:///{tmp_path}", "demo")
    assert result.returncode == 1
    assert "is not a file" in result.error_line


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_a_database_from_a_newer_version_is_refused_unchanged(
    run_cli: CliRunner, demo_db: Path, command: list[str]
) -> None:
    sqlite_cli(demo_db, "UPDATE alembic_version SET version_num = '9999';")
    before, listing = file_digest(demo_db), folder_listing(demo_db.parent)
    result = run_cli("--database", f"sqlite:///{demo_db}", *command)
    assert result.returncode == 1
    assert "newer version of Clinic Desk (schema 9999)" in result.error_line
    assert file_digest(demo_db) == before
    assert folder_listing(demo_db.parent) == listing


@pytest.fixture
def locked(demo_db: Path) -> Iterator[Path]:
    """Another program holds the database's exclusive lock until the test ends."""
    script = (
        "import sqlite3, sys\n"
        f"conn = sqlite3.connect({str(demo_db)!r}, isolation_level=None)\n"
        "conn.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
        "conn.execute('BEGIN EXCLUSIVE')\n"
        "conn.execute('SELECT count(*) FROM audit_entry').fetchone()\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        try:
            yield demo_db
        finally:
            holder.stdin.close()
            holder.wait(timeout=10)


@pytest.mark.parametrize("command", [["demo"], ["audit", "verify"]], ids=["demo", "verify"])
def test_a_locked_database_is_reported(
    run_cli: CliRunner, locked: Path, command: list[str]
) -> None:
    result = run_cli("--database", f"sqlite:///{locked}", *command)
    assert result.returncode == 1
    assert "is locked by another program" in result.error_line


def test_an_unreachable_postgresql_server_is_reported(run_cli: CliRunner) -> None:
    # Port 1 on the loopback: nothing listens there, so the refusal is immediate.
    result = run_cli("--database", "postgresql+psycopg://clinic@127.0.0.1:1/clinic", "demo")
    assert result.returncode == 1
    assert "Cannot reach PostgreSQL clinic on 127.0.0.1:1" in result.error_line


@pytest.mark.postgresql
def test_a_missing_postgresql_database_is_reported(
    run_cli: CliRunner, postgresql_url: str
) -> None:
    # The same server (its host may be a socket folder in the query), another database.
    url = make_url(postgresql_url).set(database="clinic_desk_no_such_database")
    url_text = url.render_as_string(hide_password=False)
    result = run_cli("--database", url_text, "audit", "verify")
    assert result.returncode == 1
    assert "does not exist" in result.error_line
