"""What other workstations (and other windows) changed, read from the audit log.

Every business write appends an audit entry in its own transaction, naming the entity
and patient concerned, so the log already says what changed and in which order. A
watcher remembers the last sequence number it has seen and, when told that something
was committed, reads the entries after it:

- PostgreSQL: the writer's transaction sends NOTIFY on commit; the watcher LISTENs on a
  connection of its own.
- SQLite (one machine, several windows or processes): `PRAGMA data_version` on the
  watcher's own connection changes when any other connection commits.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from clinic_desk.storage.audit_log import CHANNEL, LOOK_ACTIONS
from clinic_desk.storage.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    action: str
    entity_type: str
    entity_id: str | None
    patient_id: int | None
    workstation: str


class ChangeWatcher:
    """Polled from the UI's timer; `poll()` is cheap when nothing changed."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._last_seq = self._head_seq()
        self._postgresql = engine.dialect.name == "postgresql"
        # A connection of its own, outside the pool: it LISTENs, or reads data_version.
        self._listener: psycopg.Connection[Any] | None = None
        # The driver's own errors; psycopg is imported only for a PostgreSQL database.
        self._driver_errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        self._sqlite: sqlite3.Connection | None = None
        self._data_version = -1
        # After a lost connection, read the log once whatever the signal says: what was
        # committed meanwhile was never announced to us.
        self._catch_up = False
        self._connect()

    def _connect(self) -> None:
        if self._postgresql:
            import psycopg

            self._driver_errors = (psycopg.Error, sqlite3.Error)
            url = self._engine.url.set(drivername="postgresql")
            self._listener = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
            )
            self._listener.execute(f"LISTEN {CHANNEL}")
        else:
            self._sqlite = sqlite3.connect(self._engine.url.database or ":memory:")
            self._data_version = self._sqlite_data_version()

    def _has_news(self) -> bool:
        if self._listener is None and self._sqlite is None:
            self._connect()
            self._catch_up = True
        if self._listener is not None:
            return any(True for _ in self._listener.notifies(timeout=0, stop_after=1000))
        version = self._sqlite_data_version()
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _head_seq(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.scalar(select(AuditHead.last_seq).where(AuditHead.id == 1)) or 0)

    def _sqlite_data_version(self) -> int:
        assert self._sqlite is not None
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> list[Change]:
        """The successful changes committed since the last poll, oldest first.

        While the database cannot be reached this returns nothing (the window goes on
        showing what it has) and tries again at the next poll.
        """
        try:
            return self._read_changes()
        except (DBAPIError, sqlite3.Error, Exception) as exc:
            if not isinstance(exc, (DBAPIError, *self._driver_errors)):
                raise
            self._disconnect()
            self._catch_up = True
            return []

    def _read_changes(self) -> list[Change]:
        news = self._has_news()
        if not (news or self._catch_up):
            return []
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(
                    AuditEntry.seq,
                    AuditEntry.action,
                    AuditEntry.entity_type,
                    AuditEntry.entity_id,
                    AuditEntry.patient_id,
                    AuditEntry.workstation,
                    AuditEntry.outcome,
                )
                .where(AuditEntry.seq > self._last_seq)
                .order_by(AuditEntry.seq)
            ).all()
        self._catch_up = False
        if rows:
            self._last_seq = rows[-1][0]
        return [
            Change(*row[:6]) for row in rows if row[6] == "success" and row[1] not in LOOK_ACTIONS
        ]

    def _disconnect(self) -> None:
        """Drops the watcher's own connection; the next poll opens a new one."""
        if self._listener is not None:
            with contextlib.suppress(*self._driver_errors):
                self._listener.close()
            self._listener = None
        if self._sqlite is not None:
            with contextlib.suppress(sqlite3.Error):
                self._sqlite.close()
            self._sqlite = None

    def close(self) -> None:
        self._disconnect()
