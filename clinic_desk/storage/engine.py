"""Engine set-up: the SQLite pragmas on every connection, PostgreSQL timeouts.

psycopg is never imported here: SQLAlchemy loads it only for a PostgreSQL URL, so a
workstation on SQLite does not pay for it at start-up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.location import DatabaseLocation, refuse_network_share

SQLITE_BUSY_TIMEOUT_MS = 5000
# A stuck lock on PostgreSQL becomes a clear message within seconds instead of a hang;
# a runaway statement is stopped after two minutes (bulk work runs in chunks).
POSTGRESQL_LOCK_TIMEOUT_MS = 5000
POSTGRESQL_STATEMENT_TIMEOUT_MS = 120_000
# Execution option a unit of work sets when it will write: on SQLite it takes the write
# lock at BEGIN, so a read-then-write transaction never fails half-way on a stale snapshot.
WRITE_INTENT = "clinic_desk_write"


def create_clinic_engine(
    location: DatabaseLocation,
    *,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    read_only: bool = False,
    lock_timeout_ms: int = POSTGRESQL_LOCK_TIMEOUT_MS,
) -> Engine:
    """The engine for the clinic's database; `read_only` opens a SQLite file so that
    nothing, not even an empty file's header, can be written (for `audit verify`)."""
    if location.is_sqlite:
        path = location.sqlite_path
        if path is not None:
            refuse_network_share(path)
        url = location.url
        if read_only and path is not None:
            url = url.set(database=path.as_uri(), query=_read_only_query(path))
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _install_sqlite_hooks(engine, busy_timeout_ms, read_only=read_only)
        return engine
    options = (
        f"-c lock_timeout={int(lock_timeout_ms)} "
        f"-c statement_timeout={POSTGRESQL_STATEMENT_TIMEOUT_MS}"
    )
    if read_only:
        options += " -c default_transaction_read_only=on"
    return create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 5,
            "application_name": "clinic-desk",
            "options": options,
        },
    )


def _read_only_query(path: Path) -> dict[str, str]:
    """SQLite URI parameters that can never write, not even an empty file's header.

    mode=ro alone still creates -wal and -shm beside a WAL database that nobody has open
    (and cannot remove them after). When there is no -wal, nobody is writing: the file
    is opened as immutable, which creates nothing. When there is one, the database is in
    use and its -shm exists; mode=ro then reads it consistently with the writer.
    """
    query = {"mode": "ro", "uri": "true"}
    if not path.with_name(path.name + "-wal").exists():
        query["immutable"] = "1"
    return query


def _install_sqlite_hooks(engine: Engine, busy_timeout_ms: int, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # We issue BEGIN ourselves (below), so pysqlite must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # REPLACE deletes the row it replaces: with this on, that delete fires the
            # history tables' delete guards.
            cursor.execute("PRAGMA recursive_triggers = ON")
            if read_only:
                return
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
    elif "lock timeout" in lowered or "lock_timeout" in lowered:
        return DatabaseProblem(
            f"Another workstation is holding a lock on the same records in {where}; "
            "nothing was changed. Try again in a moment."
        )
    elif "statement timeout" in lowered:
        return DatabaseProblem(f"{where} took too long to answer; nothing was changed.")
    elif "read-only transaction" in lowered:
        return DatabaseProblem(f"{where} was opened read-only; nothing was changed ({text}).")
    elif isinstance(exc, OperationalError):
        return DatabaseProblem(f"Cannot reach {where}: {text}")
    return DatabaseProblem(f"Database error on {where}: {text}")
