"""`db upgrade`: creates the schema, upgrades an older one after a verified backup."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import head_revision, upgrade_to
from tests.cli.support import CliRunner, sqlite_value


def _database_at(path: Path, revision: str) -> None:
    engine = create_clinic_engine(parse_location(f"sqlite:///{path}"))
    try:
        upgrade_to(engine, revision)
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_in_a_new_file(run_cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "new" / "clinic.sqlite3"
    result = run_cli("--database", f"sqlite:///{path}", "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"Created the Clinic Desk schema (revision {head_revision()})" in result.stdout
    assert sqlite_value(path, "SELECT version_num FROM alembic_version") == head_revision()
    assert not (path.parent / "backups").exists()


def test_upgrade_of_a_current_database_says_so(run_cli: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    assert run_cli("--database", url, "db", "upgrade").returncode == 0
    again = run_cli("--database", url, "db", "upgrade")
    assert again.returncode == 0
    assert "already current" in again.stdout
    assert not (tmp_path / "backups").exists()


def test_upgrade_from_an_older_schema_makes_a_verified_backup_first(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _database_at(path, "0001")
    result = run_cli("--database", f"sqlite:///{path}", "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"Upgraded the schema from revision 0001 to {head_revision()}" in result.stdout
    found = re.search(r"Verified backup made before the upgrade: (.+)$", result.stdout,
                      flags=re.MULTILINE)
    assert found, result.stdout
    backup = Path(found.group(1))
    assert backup.is_file()
    assert backup.parent == tmp_path / "backups"
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert sqlite_value(path, "SELECT version_num FROM alembic_version") == head_revision()
    # The upgraded schema has the append-only guards that 0001 lacked.
    assert sqlite_value(
        path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
        "('audit_entry_no_update', 'audit_entry_no_delete', 'audit_head_no_delete', "
        "'audit_head_forward_only')"
    ) == 4


def test_verify_refuses_an_older_schema_and_says_what_to_run(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _database_at(path, "0001")
    before = path.read_bytes()
    result = run_cli("--database", f"sqlite:///{path}", "audit", "verify")
    assert result.returncode == 1
    assert "Run: clinic-desk db upgrade" in result.error_line
    assert path.read_bytes() == before


@pytest.mark.postgresql
def test_upgrade_on_an_empty_postgresql_database(run_cli: CliRunner, postgresql_url: str) -> None:
    result = run_cli("--database", postgresql_url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "Created the Clinic Desk schema" in result.stdout
    again = run_cli("--database", postgresql_url, "db", "upgrade")
    assert "already current" in again.stdout
