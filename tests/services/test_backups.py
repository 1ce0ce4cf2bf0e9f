"""Backups: create, verify and restore round trips on both engines with the chain intact,
refusals, damaged files, the daily copy and its retention."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, DatabaseProblem
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.backups import KEEP_DAILY, KEEP_MONTHLY, keep_after_rotation
from clinic_desk.storage.location import parse_location
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, clinic_with_history


def _actions(core: ClinicDesk) -> list[str]:
    with core.engine.connect() as conn:
        return list(conn.execute(text("SELECT action FROM audit_entry ORDER BY seq")).scalars())


def _patients(core: ClinicDesk) -> int:
    with core.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM patient")).scalar_one())


def test_round_trip_keeps_the_chain_and_the_anchor(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(database_url, tmp_path, clock)
    history = clinic_with_history(core)
    made = core.backups.create()
    assert made.path.parent == tmp_path / "backups"
    assert made.anchor_path.name == made.path.name + ".anchor.json"
    assert _actions(core)[-1] == "backup.created"
    check = core.backups.verify(made.path)
    assert check.ok, check.lines
    # Work goes on after the backup...
    core.patients.register(history.clinic.reception,
                           PatientDetails("Later", "Patient", date(1990, 1, 1),
                                          "+33 6 00 00 00 01"))
    assert _patients(core) == 2
    # ... so restoring is refused without --force, and changes nothing.
    with pytest.raises(ClinicDeskError, match="not empty"):
        core.backups.restore(made.path, force=False)
    assert _patients(core) == 2
    done = core.backups.restore(made.path, force=True)
    assert done.verification.ok, done.verification.summary()
    assert done.anchor_problem is None
    assert done.replaced_copy is not None and done.replaced_copy.is_file()
    assert _patients(core) == 1
    assert _actions(core)[-1] == "backup.restored"
    assert done.verification.records_checked == 4
    core.close()
    # This workstation restored on purpose: its witness expects the restored log.
    again = open_core(database_url, tmp_path, clock)
    assert again.start_warnings == ()
    again.close()


def test_restore_into_an_empty_database_needs_no_force(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    source = open_core(database_url, tmp_path, clock)
    clinic_with_history(source)
    suffix = ".sqlite3" if database_url.startswith("sqlite") else ".dump"
    made = source.backups.create(tmp_path / "handover" / f"clinic{suffix}")
    source.close()
    _empty(database_url)  # the server or disk was replaced: a new, empty database
    target = open_core(database_url, tmp_path / "new-workstation", clock)
    done = target.backups.restore(made.path, force=False)
    assert done.replaced_copy is None
    assert done.verification.ok and done.anchor_problem is None, done.verification.summary()
    assert _patients(target) == 1
    target.close()


def _empty(url: str) -> None:
    location = parse_location(url)
    if location.sqlite_path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{location.sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_a_damaged_sqlite_backup_is_named(sqlite_core: ClinicDesk, tmp_path: Path) -> None:
    clinic_with_history(sqlite_core)
    made = sqlite_core.backups.create()
    data = bytearray(made.path.read_bytes())
    for page in range(1, len(data) // 4096):  # every b-tree page header after the first
        data[page * 4096] = 0x7F
    made.path.write_bytes(bytes(data))
    with pytest.raises(DatabaseProblem, match=r"damaged|not a readable"):
        sqlite_core.backups.verify(made.path)
    with pytest.raises(DatabaseProblem):
        sqlite_core.backups.restore(made.path, force=True)
    assert verify_audit_log(sqlite_core.units).ok  # the live database is untouched


def test_an_anchor_of_another_database_does_not_pass(
    sqlite_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    first = open_core(sqlite_url, tmp_path / "one", clock)
    clinic_with_history(first)
    made = first.backups.create()
    first.close()
    other = open_core(f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "two", clock)
    clinic_with_history(other)
    foreign = other.backups.create()
    other.close()
    shutil.copyfile(foreign.anchor_path, made.anchor_path)
    core = open_core(sqlite_url, tmp_path / "one", clock)
    check = core.backups.verify(made.path)
    assert not check.ok
    assert any("another database" in line for line in check.lines)
    core.close()


@pytest.mark.postgresql
def test_without_pg_dump_the_message_says_what_to_install(
    postgresql_url: str, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = open_core(postgresql_url, tmp_path, clock)
    monkeypatch.setattr(shutil, "which", lambda _name: None)  # as the backup module sees it
    with pytest.raises(DatabaseProblem, match=r"pg_dump is not installed.*postgresql-client"):
        core.backups.create()
    core.close()


def test_the_daily_backup_once_a_day_on_its_own_thread(
    sqlite_core: ClinicDesk, clock: FakeClock
) -> None:
    clinic_with_history(sqlite_core)
    sqlite_core.backups.start_daily()
    sqlite_core.backups.wait_for_daily(30)
    assert len(sqlite_core.backups.daily_backups()) == 1
    assert sqlite_core.backups.daily_if_due() is None  # not twice the same day
    clock.advance(timedelta(days=1))
    assert sqlite_core.backups.daily_if_due() is not None
    assert len(sqlite_core.backups.daily_backups()) == 2
    assert _actions(sqlite_core).count("backup.created") == 2


def test_rotation_keeps_fourteen_days_and_twelve_months() -> None:
    start = date(2025, 1, 1)
    backups = [(start + timedelta(days=i), Path(f"b{i:03d}")) for i in range(500)]
    backups.append((start + timedelta(days=499), Path("b499-second")))  # twice on one day
    keep = keep_after_rotation(backups)
    newest_days = {start + timedelta(days=i) for i in range(500 - KEEP_DAILY, 500)}
    assert {d for d, p in backups if p in keep} >= newest_days
    assert Path("b499-second") in keep and Path("b499") not in keep
    months = {(d.year, d.month) for d, p in backups if p in keep}
    assert len(months) == KEEP_MONTHLY
    assert len(keep) < KEEP_DAILY + KEEP_MONTHLY
