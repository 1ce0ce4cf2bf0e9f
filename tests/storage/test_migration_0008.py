"""Migration 0008 on an existing clinic with consents' schema: the treatment tables arrive
empty and guarded; it goes down to 0007 and up again cleanly, on both engines."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import _alembic_config, head_revision, upgrade_schema, upgrade_to

TABLES = {
    "device", "device_revision", "consumable_lot", "protocol_version", "course",
    "treatment_session", "session_amendment", "adverse_event", "adverse_event_followup",
}

GUARDED = {
    "device_revision", "protocol_version", "treatment_session", "session_amendment",
    "adverse_event", "adverse_event_followup",
}


def _guards(conn: Connection) -> set[str]:
    """The tables that have a guard trigger refusing UPDATE and DELETE."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_update'"
        ))
    else:
        rows = conn.execute(text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE '%_append_only'"
        ))
    return {str(r[0]) for r in rows}


def test_0008_arrives_guarded_and_goes_down_and_up_again(
    database_url: str, tmp_path: Path
) -> None:
    from alembic import command

    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    try:
        upgrade_to(engine, "0007")
        report = upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
        # From 0007 to the newest: 0008 and every migration after it (their downgrades
        # run below on the way back to 0007).
        assert (report.from_revision, report.to_revision) == ("0007", head_revision())
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= TABLES
            assert conn.execute(text("SELECT count(*) FROM treatment_session")).scalar() == 0
            assert _guards(conn) >= GUARDED
        config = _alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
        with engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())
            assert not _guards(conn) & GUARDED
        upgrade_to(engine, "0008")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= TABLES
            assert _guards(conn) >= GUARDED
    finally:
        engine.dispose()
