"""Alembic alone creates and changes the schema; older databases upgrade, newer are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.models import Base
from clinic_desk.storage.schema import head_revision, read_schema_state, upgrade_schema, upgrade_to


def test_fresh_database_is_created_at_head(database_url: str, tmp_path: Path) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    report = upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
    assert report.from_revision is None and report.to_revision == head_revision()
    assert report.backup is None
    assert read_schema_state(engine, location).up_to_date
    engine.dispose()


def test_migrations_match_the_models(database_url: str, tmp_path: Path) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    upgrade_schema(engine, location, backup_dir=tmp_path)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_second_upgrade_changes_nothing(database_url: str, tmp_path: Path) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    upgrade_schema(engine, location, backup_dir=tmp_path / "b")
    again = upgrade_schema(engine, location, backup_dir=tmp_path / "b")
    engine.dispose()
    assert not again.changed and again.backup is None
    assert not (tmp_path / "b").exists()


def test_older_sqlite_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    location = parse_location(f"sqlite:///{db}")
    engine = create_clinic_engine(location)
    upgrade_to(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET last_seq = 0"))
    report = upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
    engine.dispose()
    assert report.from_revision == "0001" and report.to_revision == head_revision()
    assert report.backup is not None and report.backup.parent == tmp_path / "backups"
    with sqlite3.connect(report.backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with sqlite3.connect(db) as upgraded:
        triggers = {
            r[0] for r in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert "audit_entry_no_update" in triggers


@pytest.mark.postgresql
def test_older_postgresql_database_is_upgraded(postgresql_url: str, tmp_path: Path) -> None:
    location = parse_location(postgresql_url)
    engine = create_clinic_engine(location)
    upgrade_to(engine, "0001")
    report = upgrade_schema(engine, location, backup_dir=tmp_path)
    engine.dispose()
    assert report.from_revision == "0001" and report.to_revision == head_revision()


def test_newer_database_is_refused_unchanged(database_url: str, tmp_path: Path) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    upgrade_schema(engine, location, backup_dir=tmp_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseProblem, match="newer version of Clinic Desk"):
        upgrade_schema(engine, location, backup_dir=tmp_path / "b")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()
    assert not (tmp_path / "b").exists()


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = db.read_bytes()
    location = parse_location(f"sqlite:///{db}")
    engine = create_clinic_engine(location)
    with pytest.raises(DatabaseProblem, match="not Clinic Desk's"):
        upgrade_schema(engine, location, backup_dir=tmp_path / "b")
    engine.dispose()
    assert set(inspect(create_engine(f"sqlite:///{db}")).get_table_names()) == {"invoices"}
    assert db.read_bytes() == before


def test_text_file_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("Shopping list: gloves, serum, cartridges\n" * 50)
    before = notes.read_bytes()
    location = parse_location(f"sqlite:///{notes}")
    engine = create_clinic_engine(location)
    with pytest.raises(DatabaseProblem, match="not a Clinic Desk database or is damaged"):
        upgrade_schema(engine, location, backup_dir=tmp_path / "b")
    engine.dispose()
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]
