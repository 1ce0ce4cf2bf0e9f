"""Choosing the database and refusing SQLite on a network share."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.location import (
    ENV_DATABASE_URL,
    network_file_system_of,
    parse_location,
    refuse_network_share,
    resolve_location,
)

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/clinic nfs4 rw,relatime 0 0
//nas/share /mnt/nas cifs rw 0 0
tmpfs /mnt/clinic/local tmpfs rw 0 0
/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0
"""


def test_command_line_wins_over_environment(tmp_path: Path) -> None:
    env = {ENV_DATABASE_URL: "postgresql+psycopg://u@db/env"}
    loc = resolve_location("sqlite:///" + str(tmp_path / "a.db"), env, tmp_path)
    assert loc.is_sqlite


def test_environment_wins_over_default(tmp_path: Path) -> None:
    loc = resolve_location(None, {ENV_DATABASE_URL: "postgresql://u@db:5433/clinic"}, tmp_path)
    assert not loc.is_sqlite
    assert loc.url.drivername == "postgresql+psycopg"
    assert loc.describe() == "PostgreSQL clinic on db:5433"


def test_default_is_a_file_in_the_data_folder(tmp_path: Path) -> None:
    loc = resolve_location(None, {}, tmp_path)
    assert loc.sqlite_path == tmp_path / "clinic-desk.sqlite3"


def test_description_never_shows_a_password() -> None:
    loc = parse_location("postgresql+psycopg://anna:s3cret@db.local/clinic")
    assert "s3cret" not in loc.describe()


@pytest.mark.parametrize(
    "raw", ["not a url", "mysql://u@h/db", "postgresql://u@h", "sqlite://", "http://x"]
)
def test_unusable_urls_get_a_plain_message(raw: str) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        parse_location(raw)
    assert "Traceback" not in str(caught.value)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("path", "fs"),
    [
        ("/mnt/clinic/db.sqlite3", "nfs4"),
        ("/mnt/nas/sub/db.sqlite3", "cifs"),
        ("/mnt/clinic/local/db.sqlite3", None),
        ("/mnt/clinicother/db.sqlite3", None),
        ("/home/anna/db.sqlite3", None),
        ("/mnt/my disk/db.sqlite3", None),
    ],
)
def test_network_file_systems_are_recognised(path: str, fs: str | None) -> None:
    assert network_file_system_of(Path(path), mounts_text=MOUNTS) == fs


def test_windows_style_share_is_refused() -> None:
    with pytest.raises(DatabaseProblem, match="PostgreSQL"):
        refuse_network_share(Path("//nas/clinic/db.sqlite3"), mounts_text="")


def test_database_on_network_share_is_refused_with_advice() -> None:
    with pytest.raises(DatabaseProblem) as caught:
        refuse_network_share(Path("/mnt/clinic/db.sqlite3"), mounts_text=MOUNTS)
    assert "network file system" in str(caught.value)
    assert "PostgreSQL" in str(caught.value)
