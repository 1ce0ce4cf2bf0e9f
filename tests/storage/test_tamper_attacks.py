"""The hostile tester's attacks on the audit log and the clinical history (issue 9, item
1), each on both engines where it applies: refused by the database, or named by
`audit verify`, or caught by this workstation's witness and by an anchor file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.witnessing import check_anchor
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.witness import Anchor
from tests.conftest import open_core
from tests.helpers.clinic import ClinicalHistory, FakeClock, clinic_with_history
from tests.helpers.tamper import (
    cut_tail,
    entries,
    forge_next,
    insert_entry,
    rewrite_from,
    set_head,
    without_guards,
)


def _history(url: str, tmp_path: Path, clock: FakeClock) -> tuple[ClinicalHistory, Anchor]:
    core = open_core(url, tmp_path, clock)
    history = clinic_with_history(core)
    anchor = core.witness.anchor("Test clinic")
    core.close()
    return history, anchor


def _disagreements(core: ClinicDesk) -> list[str]:
    with core.engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT detail FROM audit_entry WHERE action = 'audit.witness_disagreed'")
            ).scalars()
        )


def _caught_by_witness_and_anchor(
    url: str, tmp_path: Path, clock: FakeClock, anchor: Anchor, words: str
) -> ClinicDesk:
    core = open_core(url, tmp_path, clock)
    assert any(words in w for w in core.start_warnings), core.start_warnings
    assert len(_disagreements(core)) == 1  # written into the log itself
    problem = check_anchor(core.units, anchor)
    assert problem is not None and words in problem
    # ... and it is not forgotten: the next start says it again, without a second entry.
    core.close()
    again = open_core(url, tmp_path, clock)
    assert any(words in w for w in again.start_warnings)
    assert len(_disagreements(again)) == 1
    return again


# 1. Guards dropped: the last entries deleted and the head rewound.
def test_cut_tail_with_head_rewound(database_url: str, tmp_path: Path, clock: FakeClock) -> None:
    _, anchor = _history(database_url, tmp_path, clock)
    with without_guards(database_url) as conn:
        cut_tail(conn, anchor.head.seq - 2)
    core = open_core(database_url, tmp_path / "elsewhere", clock)  # no witness there
    assert verify_audit_log(core.units).ok  # the chain alone cannot tell
    core.close()
    core = _caught_by_witness_and_anchor(
        database_url, tmp_path, clock, anchor, f"no longer holds entry {anchor.head.seq}"
    )
    core.close()


# 2. Guards dropped: the tail replaced by a forged entry with a correct hash.
def test_tail_replaced_by_a_forged_entry(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    _, anchor = _history(database_url, tmp_path, clock)
    with without_guards(database_url) as conn:
        cut_tail(conn, anchor.head.seq - 1)
        forged = forge_next(conn, detail="nothing to see", workstation="reception-1")
        set_head(conn, forged.seq, insert_entry(conn, forged))
    core = _caught_by_witness_and_anchor(
        database_url, tmp_path, clock, anchor, "the log was rewritten"
    )
    core.close()


# 3. Guards dropped: the chain rewritten from an early entry, every hash recomputed.
def test_chain_rewritten_from_an_early_entry(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    _, anchor = _history(database_url, tmp_path, clock)
    with without_guards(database_url) as conn:
        rewrite_from(conn, 3, detail="role=reception", workstation="nobody")
    core = open_core(database_url, tmp_path / "elsewhere", clock)
    assert verify_audit_log(core.units).ok  # internally consistent again
    core.close()
    core = _caught_by_witness_and_anchor(
        database_url, tmp_path, clock, anchor, "the log was rewritten"
    )
    core.close()


# 4. Guards in place: a forged entry appended, the head advanced by one.
def test_forged_append_with_the_guards_in_place(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    history, _ = _history(database_url, tmp_path, clock)
    core = open_core(database_url, tmp_path, clock)
    # The head moves only with a real entry that follows it.
    for statement in ("UPDATE audit_head SET last_seq = last_seq + 1",
                      "UPDATE audit_head SET last_seq = last_seq + 1, last_hash = 'x'"):
        with (
            pytest.raises((DBAPIError, DatabaseProblem), match="append-only"),
            core.engine.begin() as conn,
        ):
            conn.execute(text(statement))
    with core.engine.begin() as conn:
        stale = forge_next(conn, seq=entries(conn)[-1].seq + 2)
    with (
        pytest.raises((DBAPIError, DatabaseProblem), match="append-only"),
        core.engine.begin() as conn,
    ):
        insert_entry(conn, stale)
    # One that does follow the head is accepted, as the app's own would be; claiming a
    # clinical write, it must vouch for the record written, and does not.
    with core.engine.begin() as conn:
        insert_entry(conn, forge_next(conn, action="patient.changed", entity_type="patient",
                                      entity_id=str(history.patient_id),
                                      patient_id=history.patient_id, outcome="success"))
    verdict = verify_audit_log(core.units)
    assert verdict.chain_ok and not verdict.ok
    assert any("vouches for no record" in p for p in verdict.problems), verdict.problems
    core.close()


# 5. SQLite: INSERT OR REPLACE rewrites rows without firing a delete trigger.
REPLACES = {
    "audit_entry": "INSERT OR REPLACE INTO audit_entry SELECT * FROM audit_entry WHERE seq = 3",
    "audit_record": "INSERT OR REPLACE INTO audit_record SELECT * FROM audit_record LIMIT 1",
    "patient_revision": "INSERT OR REPLACE INTO patient_revision "
    "SELECT id, patient_id, version, '{}', recorded_at, recorded_by FROM patient_revision",
    "intake_record": "INSERT OR REPLACE INTO intake_record SELECT id, patient_id, sequence, "
    "questionnaire_version, '{}', recorded_on, recorded_at, signed_off_by, taken_by_patient "
    "FROM intake_record",
    "screening_clearance": "INSERT OR REPLACE INTO screening_clearance SELECT id, patient_id, "
    "intake_record_id, rule_id, 'fine', cleared_by, cleared_at FROM screening_clearance",
    "audit_head": "INSERT OR REPLACE INTO audit_head VALUES (1, 0, '" + "0" * 64 + "')",
    "database_identity": "INSERT OR REPLACE INTO database_identity VALUES (1, 'x', 'y')",
}


@pytest.mark.parametrize("table", sorted(REPLACES))
def test_replace_is_refused_on_sqlite(
    sqlite_url: str, tmp_path: Path, clock: FakeClock, table: str
) -> None:
    _history(sqlite_url, tmp_path, clock)
    core = open_core(sqlite_url, tmp_path, clock)
    with core.engine.connect() as conn:
        assert conn.execute(text("PRAGMA recursive_triggers")).scalar() == 1
    before = _fingerprint(core, table)
    # The app's own connection...
    with (
        pytest.raises((DBAPIError, DatabaseProblem), match="append-only"),
        core.engine.begin() as conn,
    ):
        conn.execute(text(REPLACES[table]))
    # ... and an intruder's shell without recursive_triggers.
    path = parse_location(sqlite_url).sqlite_path
    assert path is not None
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute(REPLACES[table])
    raw.close()
    assert _fingerprint(core, table) == before
    core.close()


def test_replace_fires_the_delete_guard_through_recursive_triggers(
    sqlite_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    """Even without the no-replace triggers, the app's connection refuses REPLACE."""
    _history(sqlite_url, tmp_path, clock)
    core = open_core(sqlite_url, tmp_path, clock)
    with core.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER patient_revision_no_replace"))
    with (
        pytest.raises((DBAPIError, DatabaseProblem), match="append-only"),
        core.engine.begin() as conn,
    ):
        conn.execute(text(REPLACES["patient_revision"]))
    core.close()


def _fingerprint(core: ClinicDesk, table: str) -> list[tuple[object, ...]]:
    with core.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]


# 6. PostgreSQL: TRUNCATE empties the history tables.
@pytest.mark.postgresql
@pytest.mark.parametrize(
    "table",
    ["patient_revision", "intake_record", "screening_clearance", "audit_record",
     "audit_entry", "audit_head", "database_identity"],
)
def test_truncate_is_refused_on_postgresql(
    postgresql_url: str, tmp_path: Path, clock: FakeClock, table: str
) -> None:
    _history(postgresql_url, tmp_path, clock)
    core = open_core(postgresql_url, tmp_path, clock)
    with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {table} CASCADE"))
    assert verify_audit_log(core.units).ok
    core.close()


# 7 (the owner disabling triggers) is in test_least_privilege.py.


# 8. The current patient row changed directly: no revision, no audit entry.
def test_patient_row_changed_behind_the_apps_back(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    history, _ = _history(database_url, tmp_path, clock)
    core = open_core(database_url, tmp_path, clock)
    with core.engine.begin() as conn:
        conn.execute(text("UPDATE patient SET notes = 'allergic to nothing' WHERE id = :i"),
                     {"i": history.patient_id})
    verdict = verify_audit_log(core.units)
    assert not verdict.ok and verdict.chain_ok
    assert verdict.problems == (
        f"patient row {history.patient_id} differs from its latest revision (version 2): "
        "it was changed without a revision",
    )
    core.close()


# History rows changed, deleted, replaced or added behind the app's back are named.
@pytest.mark.parametrize(
    ("table", "statement", "words"),
    [
        ("intake_record", "UPDATE intake_record SET answers_json = '{}' WHERE id = :intake",
         "intake_record row {intake} was changed after audit entry"),
        ("screening_clearance", "DELETE FROM screening_clearance WHERE id = :clearance",
         "screening_clearance row {clearance}, recorded by audit entry"),
        ("patient_revision", "UPDATE patient_revision SET recorded_by = 2 WHERE version = 1",
         "patient_revision row 1 was changed after audit entry"),
        ("patient_revision", "INSERT INTO patient_revision (id, patient_id, version, "
         "details_json, recorded_at, recorded_by) SELECT 99, patient_id, 3, details_json, "
         "recorded_at, recorded_by FROM patient_revision WHERE version = 2",
         "patient_revision row 99 was added without an audit entry"),
    ],
)
def test_history_rows_altered_are_named(
    database_url: str, tmp_path: Path, clock: FakeClock, table: str, statement: str,
    words: str,
) -> None:
    history, _ = _history(database_url, tmp_path, clock)
    with without_guards(database_url) as conn:
        conn.execute(text(statement), {"intake": history.intake_id,
                                       "clearance": history.clearance_id}
                     if ":" in statement else {})
    core = open_core(database_url, tmp_path, clock)
    verdict = verify_audit_log(core.units)
    expected = words.format(intake=history.intake_id, clearance=history.clearance_id)
    assert not verdict.ok and verdict.chain_ok, verdict.summary()
    assert any(expected in p for p in verdict.problems), verdict.problems
    core.close()


def test_links_removed_with_the_rows_break_the_entry(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    """Deleting the clearance and its link too still leaves the entry's digest."""
    history, _ = _history(database_url, tmp_path, clock)
    with without_guards(database_url) as conn:
        conn.execute(text("DELETE FROM audit_record WHERE record_type = 'screening_clearance'"))
        conn.execute(text("DELETE FROM screening_clearance WHERE id = :i"),
                     {"i": history.clearance_id})
    core = open_core(database_url, tmp_path, clock)
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert any("were removed" in p for p in verdict.problems), verdict.problems
    core.close()
