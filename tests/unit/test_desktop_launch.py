"""What `clinic-desk` knows before SQLAlchemy is loaded: which command lines start the
desktop, the clinic's name last seen, whether a first start is expected; and how the
database work behind the sign-in window fails (one line, the command line's exit codes)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from clinic_desk.desktop import EXIT_FAILED, EXIT_USAGE, Launch, Opening, StartProblem, desktop_only
from clinic_desk.storage.last_seen import (
    DEFAULT_DATABASE_KEY,
    FILE_NAME,
    LastSeenClinic,
    database_key,
    read_last_seen,
    write_last_seen,
)
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, seed_clinic


@pytest.mark.parametrize(("args", "database"), [
    ([], ""),
    (["--database", "sqlite:///a.db"], "sqlite:///a.db"),
    (["--database=sqlite:///a.db"], "sqlite:///a.db"),
    (["--database", "sqlite:///a.db", "demo"], None),
    (["--database", "  "], None),  # the command line's one-line usage error
    (["--database="], None),
    (["--help"], None),
    (["--version"], None),
    (["status"], None),
])
def test_only_a_bare_command_line_starts_the_desktop_directly(
    args: list[str], database: str | None
) -> None:
    assert desktop_only(args) == database


def test_the_clinic_last_seen_round_trips_privately_without_the_url(tmp_path: Path) -> None:
    url = "postgresql://desk:s3cret-pass@db.example/clinic"
    key = database_key(url)
    assert read_last_seen(tmp_path, key) is None
    write_last_seen(tmp_path, key, LastSeenClinic("Zoë Ångström-Müller Clinic", is_demo=True))
    write_last_seen(tmp_path, DEFAULT_DATABASE_KEY, LastSeenClinic("Other"))
    assert read_last_seen(tmp_path, key) == LastSeenClinic("Zoë Ångström-Müller Clinic", True)
    assert read_last_seen(tmp_path, DEFAULT_DATABASE_KEY) == LastSeenClinic("Other", False)
    path = tmp_path / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "s3cret" not in path.read_text(encoding="utf-8")
    write_last_seen(tmp_path, key, None)  # the clinic is gone: forgotten
    assert read_last_seen(tmp_path, key) is None


@pytest.mark.parametrize("text", ["", "{", "[]", '{"default": 3}', '{"default": {"name": 1}}'])
def test_a_damaged_last_seen_file_is_no_guess(tmp_path: Path, text: str) -> None:
    (tmp_path / FILE_NAME).write_text(text, encoding="utf-8")
    assert read_last_seen(tmp_path, DEFAULT_DATABASE_KEY) is None
    write_last_seen(tmp_path, DEFAULT_DATABASE_KEY, LastSeenClinic("Mended"))
    assert read_last_seen(tmp_path, DEFAULT_DATABASE_KEY) == LastSeenClinic("Mended")


def test_a_first_start_is_expected_where_the_sqlite_file_is_missing(tmp_path: Path) -> None:
    env = {"CLINIC_DESK_DATA_DIR": str(tmp_path)}
    default = Launch.from_environment(None, env)
    assert default.cache_key == DEFAULT_DATABASE_KEY
    assert default.expects_first_start
    (tmp_path / "clinic-desk.sqlite3").touch()
    assert not Launch.from_environment(None, env).expects_first_start
    named = Launch.from_environment(f"sqlite:///{tmp_path / 'new.db'}?mode=rw", env)
    assert named.expects_first_start
    assert named.cache_key == database_key(f"sqlite:///{tmp_path / 'new.db'}?mode=rw")
    from_env = Launch.from_environment(None, env | {"CLINIC_DESK_DATABASE_URL": "postgresql://h/c"})
    assert not from_env.expects_first_start  # not known before connecting: sign-in first
    assert from_env.cache_key == database_key("postgresql://h/c")


def test_a_wrong_url_fails_as_a_usage_error(tmp_path: Path) -> None:
    env = {"CLINIC_DESK_DATA_DIR": str(tmp_path)}
    opening = Opening(Launch.from_environment("mysql://h/c", env))
    with pytest.raises(StartProblem) as failed:
        opening.open()
    assert failed.value.code == EXIT_USAGE
    assert "SQLite or PostgreSQL" in str(failed.value)
    opening.close()  # nothing was opened, nothing waits


def test_a_database_that_is_not_a_file_fails_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "folder.db").mkdir()
    launch = Launch.from_environment(f"sqlite:///{tmp_path / 'folder.db'}",
                                     {"CLINIC_DESK_DATA_DIR": str(tmp_path)})
    with pytest.raises(StartProblem) as failed:
        Opening(launch).started().open()
    assert failed.value.code == EXIT_FAILED
    assert str(failed.value) == f"{tmp_path / 'folder.db'} is not a file."


def test_opening_remembers_the_clinic_for_the_next_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    core = open_core(url, tmp_path, FakeClock())
    seed_clinic(core)
    core.close()
    launch = Launch.from_environment(url, {"CLINIC_DESK_DATA_DIR": str(tmp_path)})
    assert launch.last_seen() is None
    opening = Opening(launch).started()
    opened = opening.open()
    assert opened.clinic.profile() is not None
    opening.close()
    assert launch.last_seen() == LastSeenClinic("Klinika Łódź — Skóra & Zdrowie", False)
