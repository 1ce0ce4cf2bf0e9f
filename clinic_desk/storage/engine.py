"""Engine set-up: the SQLite pragmas on every connection, PostgreSQL timeouts."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.location import DatabaseLocation, refuse_network_share

SQLITE_BUSY_TIMEOUT_MS = 5000
# Execution option a unit of work sets when it will write: on SQLite it takes the write
# lock at BEGIN, so a read-then-write transaction never fails half-way on a stale snapshot.
WRITE_INTENT = "clinic_desk_write"


def create_clinic_engine(
    location: DatabaseLocation, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    if location.is_sqlite:
        path = location.sqlite_path
        if path is not None:
            refuse_network_share(path)
        engine = create_engine(location.url, connect_args={"timeout": busy_timeout_ms / 1000})
        _install_sqlite_hooks(engine, busy_timeout_ms)
        return engine
    return create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "clinic-desk"},
    )


def _install_sqlite_hooks(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # We issue BEGIN ourselves (below), so pysqlite must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
            # WAL is written into the file's header: only switch a file that is empty or
            # ours, so that a file we then refuse is left byte-identical.
            ours = cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()[0]
            empty = cursor.execute("PRAGMA page_count").fetchone()[0] == 0
            if ours or empty:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_INTENT):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def describe_database_error(exc: BaseException, location: DatabaseLocation) -> DatabaseProblem:
    """One plain sentence for a driver error, for the CLI's stderr line and the UI."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = (
        str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    )
    where = location.describe()
    lowered = text.lower()
    if location.is_sqlite:
        if "database is locked" in lowered or "database is busy" in lowered:
            return DatabaseProblem(
                f"The database ({where}) is locked by another program; close it and try again."
            )
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return DatabaseProblem(
                f"{where} is not a Clinic Desk database or is damaged ({text}). "
                "Nothing was changed; restore it from a backup."
            )
        if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
            return DatabaseProblem(f"Cannot open {where} for writing ({text}).")
    elif isinstance(exc, OperationalError):
        return DatabaseProblem(f"Cannot reach {where}: {text}")
    return DatabaseProblem(f"Database error on {where}: {text}")
