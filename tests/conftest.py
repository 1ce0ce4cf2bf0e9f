"""Fixtures for every test package: isolated databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# Qt must never look for a screen in the tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg
import pytest

from clinic_desk.app import ClinicDesk, open_clinic_desk
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.storage.location import parse_location
from tests.helpers.clinic import FakeClock, fast_hashing

PG_ADMIN_URL = os.environ.get(
    "CLINIC_DESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_reachable_or_skip() -> None:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}".splitlines()[0]
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped after the test."""
    _pg_reachable_or_skip()
    name = f"clinic_desk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_URL)
    host = base.get("host", "127.0.0.1")
    port = base.get("port", "5432")
    user = base.get("user", "postgres")
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
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
