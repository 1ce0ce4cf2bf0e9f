"""Backups as the administrator finds them: the daily file's name, old daily files and their
anchors removed by the rotation, a failed daily copy written into the audit log, the
entries a backup and a restore leave, and each refusal word for word."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import head_revision, upgrade_to
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, clinic_with_history
from tests.services.audit_fields import Entry, entries


@pytest.fixture
def desk(sqlite_core: ClinicDesk) -> ClinicDesk:
    clinic_with_history(sqlite_core)
    return sqlite_core


def test_the_daily_backup_is_named_after_the_database_the_day_and_the_time(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    made = desk.backups.daily_if_due()
    assert made is not None
    assert made.path == tmp_path / "backups" / "clinic.daily.20261122T090000Z.sqlite3"
    assert made.anchor_path.is_file()
    assert entries(desk)[-1] == Entry("backup.created", "database", None, None, None,
                                      "success", f"daily backup holding entries up to "
                                      f"{made.head_seq}")


def test_a_manual_backup_says_so_in_its_name_and_entry(desk: ClinicDesk, tmp_path: Path) -> None:
    made = desk.backups.create()
    assert made.path == tmp_path / "backups" / "clinic.manual.20261122T090000Z.sqlite3"
    assert entries(desk)[-1].detail == f"manual backup holding entries up to {made.head_seq}"
    second = desk.backups.create()  # the same second: a free name next to it
    assert second.path.name == "clinic.manual.20261122T090000Z-2.sqlite3"


def test_the_rotation_removes_old_daily_files_with_their_anchors(
    desk: ClinicDesk, tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    old = []
    for back in range(1, 16):  # the fifteen days before today, in November 2026
        taken = clock.now - timedelta(days=back)
        path = folder / f"clinic.daily.{taken:%Y%m%dT%H%M%SZ}.sqlite3"
        path.write_bytes(b"")
        Path(f"{path}.anchor.json").write_text("{}", encoding="utf-8")
        old.append(path)
    unreadable = folder / "clinic.daily.not-a-time.sqlite3"
    unreadable.write_bytes(b"")
    made = desk.backups.daily_if_due()
    assert made is not None
    kept = sorted(p.name for p in folder.glob("*.daily.*.sqlite3"))
    # Today and the thirteen days before: fourteen; the 14th and 15th day back are gone
    # (November keeps its newest, today's), anchors with them; a name that is not a
    # daily backup's is left alone.
    assert kept == sorted([made.path.name, unreadable.name] + [p.name for p in old[:13]])
    assert not Path(f"{old[13]}.anchor.json").exists()
    assert not Path(f"{old[14]}.anchor.json").exists()
    assert Path(f"{old[12]}.anchor.json").exists()
    assert len(desk.backups.daily_backups()) == 14


def test_a_failed_daily_backup_is_written_into_the_audit_log(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    (tmp_path / "backups").write_bytes(b"")  # a file where the folder should be
    desk.backups.start_daily()
    desk.backups.wait_for_daily(60)
    last = entries(desk)[-1]
    assert (last.action, last.entity_type, last.outcome) == ("backup.created", "database",
                                                             "failed")
    assert last.detail.startswith("daily backup failed: ")
    assert len(last.detail) <= 300


def test_an_existing_file_is_never_overwritten(desk: ClinicDesk, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite3"
    target.write_bytes(b"keep me")
    count = len(entries(desk))
    with pytest.raises(ClinicDeskError) as refused:
        desk.backups.create(target)
    assert str(refused.value) == f"{target} exists already; choose a new file name."
    assert target.read_bytes() == b"keep me" and len(entries(desk)) == count


def test_a_restore_names_what_is_missing_or_in_the_way(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    with pytest.raises(ClinicDeskError) as refused:
        desk.backups.restore(missing, force=True)
    assert str(refused.value) == f"There is no backup file at {missing}."
    made = desk.backups.create()
    head = len(entries(desk))
    with pytest.raises(ClinicDeskError) as not_empty:
        desk.backups.restore(made.path, force=False)
    where = desk.settings.location.describe()
    assert str(not_empty.value) == (
        f"{where} is not empty ({head} audit entries). Restoring would replace everything "
        "in it; add --force to do so (a copy of it is kept first)."
    )


def test_a_restore_leaves_an_entry_with_both_heads(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(database_url, tmp_path, clock)
    try:
        clinic_with_history(core)
        made = core.backups.create()
        replaced = len(entries(core))
        done = core.backups.restore(made.path, force=True)
        assert done.replaced_copy is not None and done.replaced_copy.is_file()
        assert "before-restore" in done.replaced_copy.name
        assert entries(core)[-1] == Entry(
            "backup.restored", "database", None, None, None, "success",
            f"restored a backup holding entries up to {made.head_seq}; the database "
            f"replaced held {replaced}")
    finally:
        core.close()


def test_a_restore_without_its_anchor_says_so(desk: ClinicDesk) -> None:
    made = desk.backups.create()
    made.anchor_path.unlink()
    check = desk.backups.verify(made.path)
    assert check.ok and check.lines[-1] == "No anchor file beside this backup."
    done = desk.backups.restore(made.path, force=True)
    assert done.anchor_problem is None
    assert entries(desk)[-1].detail.startswith("restored a backup holding entries up to ?;")


def test_a_sound_backup_is_checked_line_by_line(desk: ClinicDesk) -> None:
    made = desk.backups.create()
    check = desk.backups.verify(made.path)
    assert check.ok and check.path == made.path
    assert check.lines[0].startswith("Integrity check passed; ")
    assert check.lines[1].startswith("Audit log intact: ")
    assert check.lines[2] == (
        f"Anchor {made.anchor_path.name}: entry {made.head_seq} holds."
    )


def test_a_restore_checks_the_anchor_beside_the_backup(
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
    made.anchor_path.write_bytes(foreign.anchor_path.read_bytes())
    core = open_core(sqlite_url, tmp_path / "one", clock)
    try:
        done = core.backups.restore(made.path, force=True)
        assert done.anchor_problem is not None
        assert done.anchor_problem.startswith("the anchor was made for another database")
        last = entries(core)[-1]
        assert (last.action, last.outcome) == ("backup.restored", "failed")
    finally:
        core.close()


def test_the_rotation_removes_an_old_daily_file_that_lost_its_anchor(
    desk: ClinicDesk, tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    for back in range(1, 16):
        taken = clock.now - timedelta(days=back)
        (folder / f"clinic.daily.{taken:%Y%m%dT%H%M%SZ}.sqlite3").write_bytes(b"")
    assert desk.backups.daily_if_due() is not None  # no anchors beside the old ones
    assert len(desk.backups.daily_backups()) == 14


def test_a_long_failure_is_cut_to_300_characters_in_the_log(
    tmp_path: Path, clock: FakeClock
) -> None:
    # The daily copy is taken of the default SQLite database only.
    deep = tmp_path / ("d" * 120) / ("e" * 120)  # the error names this folder
    deep.mkdir(parents=True)
    core = open_core(f"sqlite:///{deep / 'clinic.sqlite3'}", tmp_path, clock)
    try:
        clinic_with_history(core)
        (deep / "backups").write_bytes(b"")  # a file where the folder should be
        core.backups.start_daily()
        core.backups.wait_for_daily(60)
        last = entries(core)[-1]
        assert (last.action, last.outcome) == ("backup.created", "failed")
        assert len(last.detail) == 300 and last.detail.startswith("daily backup failed: ")
    finally:
        core.close()


@pytest.mark.postgresql
def test_a_postgresql_backup_is_checked_for_readability_and_says_what_waits(
    postgresql_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(postgresql_url, tmp_path, clock)
    try:
        clinic_with_history(core)
        made = core.backups.create()
        assert made.path.suffix == ".dump"
        check = core.backups.verify(made.path)
        assert check.ok and check.path == made.path
        assert re.fullmatch(r"PostgreSQL backup readable: \d+ tables of data\.", check.lines[0])
        assert check.lines[1:] == (
            "Its audit log is checked when it is restored (clinic-desk backup restore).",)
    finally:
        core.close()


def test_a_backup_of_an_older_schema_is_checked_and_says_what_waits(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    older = tmp_path / "older.sqlite3"
    engine = create_clinic_engine(parse_location(f"sqlite:///{older}"))
    try:
        upgrade_to(engine, "0009")
    finally:
        engine.dispose()
    check = desk.backups.verify(older)
    assert check.ok is True and check.path == older
    assert check.lines[0].startswith("Integrity check passed; ")
    assert check.lines[1:] == (
        f"Schema 0009 (this version: {head_revision()}): its audit log is checked when it "
        "is restored and upgraded.",
    )
