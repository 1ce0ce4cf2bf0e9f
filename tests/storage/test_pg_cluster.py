"""The tests' own PostgreSQL: where its programs are found, what happens without them,
and that the throwaway cluster listens on no TCP port and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

import tests.helpers.pg_cluster as pg_cluster
from tests.conftest import _no_postgresql
from tests.helpers.pg_cluster import NoPostgreSQL, ThrowawayCluster, find_bin_dir

TOOLS = ("initdb", "pg_ctl", "postgres")


def _fake_bin(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for tool in TOOLS:
        (folder / tool).write_text("#!/bin/sh\n")
    return folder


def test_the_environment_names_the_programs_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = _fake_bin(tmp_path / "chosen")
    monkeypatch.setenv(pg_cluster.ENV_PG_BIN, str(chosen))
    assert find_bin_dir() == chosen


def test_the_newest_debian_version_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for version in ("9.6", "15", "16"):
        _fake_bin(tmp_path / version / "bin")
    (tmp_path / "17" / "bin").mkdir(parents=True)  # a client-only install: no initdb
    monkeypatch.delenv(pg_cluster.ENV_PG_BIN, raising=False)
    monkeypatch.setattr(pg_cluster, "DEBIAN_ROOT", tmp_path)
    assert find_bin_dir() == tmp_path / "16" / "bin"


def test_without_programs_the_message_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(pg_cluster.ENV_PG_BIN, raising=False)
    monkeypatch.setattr(pg_cluster, "DEBIAN_ROOT", tmp_path / "none")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NoPostgreSQL, match="install the `postgresql` package"):
        find_bin_dir()


def test_no_postgresql_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        _no_postgresql("no server")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: PostgreSQL tests must run"):
        _no_postgresql("no server")


@pytest.mark.postgresql
def test_the_throwaway_cluster_is_socket_only_and_leaves_nothing() -> None:
    try:
        cluster = ThrowawayCluster(find_bin_dir())
    except NoPostgreSQL as exc:
        _no_postgresql(str(exc))
    cluster.start()
    try:
        root = cluster.socket_dir
        assert (root / f".s.PGSQL.{pg_cluster.SOCKET_PORT}").exists()
        with psycopg.connect(cluster.admin_url) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone() == ("",)
            assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                                ).fetchone() == (True,)
    finally:
        cluster.stop()
    assert not root.exists()
