"""The database, its -wal and -shm, the data folder, backups and witnesses are readable by
their owner only (0600 / 0700), whatever the umask; existing loose files are tightened."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_desk.config import Settings
from clinic_desk.storage import private_files
from clinic_desk.storage.location import parse_location
from tests.helpers.clinic import FakeClock, seed_clinic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _open(db: Path, data_dir: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    from clinic_desk.app import open_clinic_desk
    from clinic_desk.domain.staff_rules import LockoutPolicy
    from tests.helpers.clinic import fast_hashing

    settings = Settings(parse_location(f"sqlite:///{db}"), data_dir, "test", True)
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=clock,
                               lockout=LockoutPolicy(), create=True)
    return core


def test_new_files_and_folders_are_private_under_umask_022(
    umask_022: None, tmp_path: Path, clock: FakeClock
) -> None:
    data = tmp_path / "Clinic Desk"
    db = data / "clinic-desk.sqlite3"
    core = _open(db, data, clock)
    seed_clinic(core)  # writes: the -wal and -shm exist while open
    made = core.backups.create()
    wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
    assert wal.exists() and shm.exists()
    files = [db, wal, shm, made.path, made.anchor_path, *(data / "witnesses").iterdir()]
    folders = [data, data / "backups", data / "witnesses"]
    assert {str(p): _mode(p) for p in files} == {str(p): 0o600 for p in files}
    assert {str(p): _mode(p) for p in folders} == {str(p): 0o700 for p in folders}
    core.close()


def test_existing_loose_files_are_tightened_at_start(
    umask_022: None, tmp_path: Path, clock: FakeClock
) -> None:
    data = tmp_path / "data"
    db = data / "clinic-desk.sqlite3"
    core = _open(db, data, clock)
    seed_clinic(core)
    core.close()
    data.chmod(0o755)
    db.chmod(0o644)
    core = _open(db, data, clock)
    assert core.start_warnings == ()
    core.close()
    assert _mode(db) == 0o600 and _mode(data) == 0o700


def test_a_loose_file_of_someone_else_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loose = tmp_path / "clinic.sqlite3"
    loose.write_bytes(b"")
    loose.chmod(0o644)
    someone_else = os.geteuid() + 1
    monkeypatch.setattr(os, "geteuid", lambda: someone_else)  # private_files reads os.geteuid
    warning = private_files.tighten(loose)
    assert warning is not None and "can be read by other users" in warning
    assert _mode(loose) == 0o644


def test_witness_and_anchor_files_are_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "new" / "anchor.json"
    private_files.write_private(target, b"first")
    private_files.write_private(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["anchor.json"]
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
