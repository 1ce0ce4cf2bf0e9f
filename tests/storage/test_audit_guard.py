"""The database itself refuses to change or remove audit entries."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import DatabaseProblem
from tests.helpers.clinic import seed_clinic

TAMPERING = [
    "UPDATE audit_entry SET outcome = 'success' WHERE seq = 1",
    "DELETE FROM audit_entry WHERE seq = 2",
    "DELETE FROM audit_entry",
    "DELETE FROM audit_head",
    "UPDATE audit_head SET last_seq = 1",
    "UPDATE audit_head SET last_seq = last_seq + 5",
]


@pytest.mark.parametrize("statement", TAMPERING)
def test_audit_rows_cannot_be_changed_or_removed(core: ClinicDesk, statement: str) -> None:
    seed_clinic(core)
    with core.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*), max(entry_hash) FROM audit_entry")).one()
    with (
        pytest.raises((DBAPIError, DatabaseProblem), match="append-only"),
        core.engine.begin() as conn,
    ):
        conn.execute(text(statement))
    with core.engine.connect() as conn:
        after = conn.execute(text("SELECT count(*), max(entry_hash) FROM audit_entry")).one()
    assert after == before


@pytest.mark.postgresql
def test_truncate_is_refused_on_postgresql(postgresql_url: str, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import open_core

    core = open_core(postgresql_url, tmp_path, clock)
    seed_clinic(core)
    with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_entry CASCADE"))
    core.close()
