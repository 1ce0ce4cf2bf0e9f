"""Migration 0007 on an existing clinic: the consent validity is 12 months, the consent
tables arrive empty and guarded; it goes down to 0006 and up again cleanly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import (
    _alembic_config,
    head_revision,
    upgrade_schema,
    upgrade_to,
)

TABLES = {"consent_template", "consent_template_status", "consent_record",
          "consent_signature", "signing_certificate"}


def test_an_existing_clinic_gets_twelve_months_and_empty_guarded_tables(
    database_url: str, tmp_path: Path
) -> None:
    from alembic import command

    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    try:
        upgrade_to(engine, "0006")
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO clinic_profile (id, name, address, phone, time_zone, "
                     "paper_size, is_demo, created_at, date_format, intake_max_age_days, "
                     "country, version) VALUES (1, 'Lumière', 'Paris', '+33 1 23 45 67 89', "
                     "'Europe/Paris', 'A4', :demo, :now, 'DD/MM/YYYY', 90, 'FR', 1)"),
                {"demo": False, "now": datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)},
            )
        report = upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
        assert (report.from_revision, report.to_revision) == ("0006", head_revision())
        with engine.connect() as conn:
            assert conn.execute(
                text("SELECT consent_validity_months FROM clinic_profile")).scalar() == 12
            assert set(inspect(conn).get_table_names()) >= TABLES
        config = _alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")  # through 0008 (p11a) when it follows
        with engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())
        upgrade_to(engine, "0007")
        with engine.connect() as conn:
            assert conn.execute(
                text("SELECT consent_validity_months FROM clinic_profile")).scalar() == 12
    finally:
        engine.dispose()
