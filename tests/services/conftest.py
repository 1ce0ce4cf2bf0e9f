"""Service tests' own `core`: with CLINIC_DESK_TEST_SQLITE_TEMPLATE=1 (set for the mutation
runs, see the README's test section), each SQLite database is a copy of one migrated once
per set of migrations, not migrated afresh: 0.05 s instead of 0.9 s a test, the same empty
database. Without it (the default) nothing differs from `tests/conftest.py`."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.storage import migrations
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock

TEMPLATE_ENV = "CLINIC_DESK_TEST_SQLITE_TEMPLATE"


def _migrations_digest() -> str:
    folder = Path(migrations.__file__).parent / "versions"
    digest = hashlib.sha256()
    for script in sorted(folder.glob("*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return digest.hexdigest()[:16]


def _template() -> Path:
    """A migrated, empty database, made once per set of migrations and kept in the
    temporary folder."""
    name = f"clinic-desk-test-{_migrations_digest()}-{os.getuid()}.sqlite3"
    cached = Path(tempfile.gettempdir()) / name
    if not cached.exists():
        work = Path(tempfile.mkdtemp(dir=cached.parent))
        try:
            open_core(f"sqlite:///{work / 'empty.sqlite3'}", work, FakeClock()).close()
            os.replace(work / "empty.sqlite3", cached)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return cached


@pytest.fixture
def core(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDesk]:
    """Clinic Desk's services on a fresh database (SQLite, then PostgreSQL)."""
    prefix = "sqlite:///"
    if os.environ.get(TEMPLATE_ENV) == "1" and database_url.startswith(prefix):
        shutil.copyfile(_template(), database_url.removeprefix(prefix))
    desk = open_core(database_url, tmp_path, clock)
    yield desk
    desk.close()
