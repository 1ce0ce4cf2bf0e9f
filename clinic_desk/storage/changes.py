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

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Engine, select

from clinic_desk.storage.audit_log import CHANNEL
from clinic_desk.storage.models import AuditEntry, AuditHead


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
        # A connection of its own, outside the pool: it LISTENs, or reads data_version.
        if engine.dialect.name == "postgresql":
            url = engine.url.set(drivername="postgresql")
            self._listener: psycopg.Connection[Any] | None = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True
            )
            self._listener.execute(f"LISTEN {CHANNEL}")
            self._has_news: Callable[[], bool] = self._notified
        else:
            self._listener = None
            self._sqlite = sqlite3.connect(engine.url.database or ":memory:")
            self._data_version = self._sqlite_data_version()
            self._has_news = self._sqlite_changed

    def _head_seq(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.scalar(select(AuditHead.last_seq).where(AuditHead.id == 1)) or 0)

    def _sqlite_data_version(self) -> int:
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def _sqlite_changed(self) -> bool:
        version = self._sqlite_data_version()
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _notified(self) -> bool:
        assert self._listener is not None
        return any(True for _ in self._listener.notifies(timeout=0, stop_after=1000))

    def poll(self) -> list[Change]:
        """The successful changes committed since the last poll, oldest first."""
        if not self._has_news():
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
        if rows:
            self._last_seq = rows[-1][0]
        return [Change(*row[:6]) for row in rows if row[6] == "success"]

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        else:
            self._sqlite.close()
