"""Alembic is the only thing that creates or changes the schema; this module runs it.

Alembic is imported only to upgrade (or when the schema is not the known head): a start
on a current database reads alembic_version with one plain query.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.backup import backup_sqlite
from clinic_desk.storage.engine import describe_database_error
from clinic_desk.storage.location import DatabaseLocation
from clinic_desk.storage.privileges import grant_workstation_role, workstation_roles

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration's revision id; a test checks it against Alembic's own head.
HEAD_REVISION = "0010"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("clinic_desk.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """Alembic's head, from the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _current_revision(conn: Connection) -> tuple[str | None, set[str]]:
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        return None, tables
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise DatabaseProblem("The database names several schema versions; nothing was changed.")
    return (str(rows[0]) if rows else None), tables


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None
    head: str
    has_foreign_tables: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def read_schema_state(engine: Engine, location: DatabaseLocation) -> SchemaState:
    try:
        with engine.connect() as conn:
            current, tables = _current_revision(conn)
    except DBAPIError as exc:
        raise describe_database_error(exc, location) from None
    if current == HEAD_REVISION:
        return SchemaState(current=current, head=HEAD_REVISION, has_foreign_tables=False)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
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
    from alembic import command

    config = _alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            # Workstation roles get their rights on any table this upgrade added.
            for role in workstation_roles(conn):
                grant_workstation_role(conn, role)
    except DBAPIError as exc:
        raise describe_database_error(exc, location) from None
    return UpgradeReport(state.current, state.head, backup)


def upgrade_to(engine: Engine, revision: str) -> None:
    """Move the schema to one given revision (used to build older databases in tests)."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
