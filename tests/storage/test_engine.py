"""Every SQLite connection is opened the safe way; writers never fork the audit chain."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from tests.helpers.clinic import FakeClock


def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_timeout(tmp_path: Path) -> None:
    engine = create_clinic_engine(parse_location(f"sqlite:///{tmp_path / 'c.db'}"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_concurrent_appends_keep_one_unbroken_chain(core: ClinicDesk, clock: FakeClock) -> None:
    """Several workstations appending at once: each entry links to exactly one before it."""
    errors: list[BaseException] = []

    def workstation(n: int) -> None:
        try:
            for i in range(15):
                with core.units(write=True) as uow:
                    uow.audit.append(AuditEvent("test.append", "thread", f"{n}-{i}"), at=clock())
                    uow.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=workstation, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    verdict = verify_audit_log(core.units)
    assert verdict.ok, verdict.summary()
    assert verdict.entries_checked == 60
