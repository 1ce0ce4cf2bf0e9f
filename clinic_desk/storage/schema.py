"""Alembic is the only thing that creates or changes the schema; this module runs it."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.backup import backup_sqlite
from clinic_desk.storage.engine import describe_database_error
from clinic_desk.storage.location import DatabaseLocation


def _alembic_config() -> Config:
    config = Config()
    location = resources.files("clinic_desk.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None
    head: str
    has_foreign_tables: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def read_schema_state(engine: Engine, location: DatabaseLocation) -> SchemaState:
    script = ScriptDirectory.from_config(_alembic_config())
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = set(inspect(conn).get_table_names())
    except DBAPIError as exc:
        raise describe_database_error(exc, location) from None
    head = script.get_current_head()
    assert head is not None
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseProblem(
                f"{location.describe()} was written by a newer version of Clinic Desk "
                f"(schema {current}). Update Clinic Desk on this workstation; nothing was "
                "changed."
            ) from None
    foreign = bool(tables - {"alembic_version"}) and current is None
    return SchemaState(current=current, head=head, has_foreign_tables=foreign)


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade_schema(
    engine: Engine, location: DatabaseLocation, *, backup_dir: Path | None = None
) -> UpgradeReport:
    """Bring the database to this version's schema.

    An empty database is created; an older SQLite database is first copied and the copy
    verified; a newer or foreign database is refused without changing anything.
    """
    state = read_schema_state(engine, location)
    if state.has_foreign_tables:
        raise DatabaseProblem(
            f"{location.describe()} holds tables that are not Clinic Desk's. Choose an empty "
            "database or a Clinic Desk one; nothing was changed."
        )
    if state.up_to_date:
        return UpgradeReport(state.current, state.head, None)
    backup: Path | None = None
    db_path = location.sqlite_path
    if state.current is not None and db_path is not None:
        engine.dispose()
        backup = backup_sqlite(
            db_path,
            backup_dir or db_path.parent / "backups",
            label=f"before-upgrade-from-{state.current}",
        )
    config = _alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as exc:
        raise describe_database_error(exc, location) from None
    return UpgradeReport(state.current, state.head, backup)


def upgrade_to(engine: Engine, revision: str) -> None:
    """Move the schema to one given revision (used to build older databases in tests)."""
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
