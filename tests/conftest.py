"""Fixtures for every test package: isolated databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

# Qt must never look for a screen in the tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg
import pytest
from sqlalchemy.engine import make_url

from clinic_desk.app import ClinicDesk, open_clinic_desk
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.storage.location import parse_location
from tests.helpers.clinic import FakeClock, fast_hashing
from tests.helpers.pg_cluster import ENV_TEST_PG, NoPostgreSQL, ThrowawayCluster, find_bin_dir


def _no_postgresql(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: PostgreSQL tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser's URL: $CLINIC_DESK_TEST_PG if set, else a throwaway cluster started
    for this session (tests/helpers/pg_cluster.py) and removed at its end."""
    given = os.environ.get(ENV_TEST_PG)
    if given:
        try:
            with psycopg.connect(given, connect_timeout=3):
                pass
        except psycopg.OperationalError as exc:
            _no_postgresql(f"PostgreSQL not reachable at {given}: {exc}".splitlines()[0])
        yield given
        return
    try:
        cluster = ThrowawayCluster(find_bin_dir())
    except NoPostgreSQL as exc:
        _no_postgresql(str(exc))
    cluster.start()
    try:
        yield cluster.admin_url
    finally:
        cluster.stop()


@pytest.fixture
def postgresql_url(pg_admin_url: str) -> Iterator[str]:
    """A throwaway PostgreSQL database (superuser's URL), dropped after the test."""
    name = f"clinic_desk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_admin_url).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'clinic.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgresql_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings_for(url: str, tmp_path: Path, workstation: str = "test-workstation") -> Settings:
    return Settings(location=parse_location(url), data_dir=tmp_path, workstation=workstation,
                    signing_key_dir=tmp_path / "signing-key")


def open_core(url: str, tmp_path: Path, clock: FakeClock, **kwargs: object) -> ClinicDesk:
    core, _ = open_clinic_desk(
        settings_for(url, tmp_path, **kwargs),  # type: ignore[arg-type]
        hashing=fast_hashing(),
        clock=clock,
        lockout=LockoutPolicy(),
        create=True,
    )
    return core


@pytest.fixture
def core(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDesk]:
    """Clinic Desk's services on a fresh database (SQLite, then PostgreSQL)."""
    desk = open_core(database_url, tmp_path, clock)
    yield desk
    desk.close()


@pytest.fixture
def sqlite_core(sqlite_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDesk]:
    desk = open_core(sqlite_url, tmp_path, clock)
    yield desk
    desk.close()
