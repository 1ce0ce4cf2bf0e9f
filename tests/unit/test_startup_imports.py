"""The way to the sign-in window on SQLite loads neither psycopg nor Alembic (when the
schema is current) nor ReportLab: checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_desk.storage.schema import HEAD_REVISION, head_revision
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, seed_clinic

HEAVY = ("psycopg", "alembic", "reportlab", "mako")

CHILD = """
import json, sys
from pathlib import Path
from clinic_desk.cli import main  # what `clinic-desk` imports first
from PySide6.QtWidgets import QApplication
from clinic_desk.app import open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.passwords import production_hasher
from clinic_desk.storage.location import parse_location
from clinic_desk.app import desk_services
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog

app = QApplication([])
settings = Settings(parse_location(sys.argv[1]), Path(sys.argv[2]), "startup-test")
core, _ = open_clinic_desk(settings, hashing=production_hasher(), clock=utc_now,
                           lockout=LockoutPolicy(), create=True)
dialog = SignInDialog(desk_services(core))
dialog.show()
app.processEvents()
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(",")))
print(json.dumps(loaded))
core.close()
"""


def test_the_schema_head_known_without_alembic_is_alembics() -> None:
    assert head_revision() == HEAD_REVISION


def test_sign_in_on_sqlite_imports_no_heavy_library(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    core = open_core(url, tmp_path, FakeClock())  # the schema made current here, with Alembic
    seed_clinic(core)
    core.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(tmp_path), ",".join(HEAVY)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_data_folder_is_platformdirs_own(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    import platformdirs

    from clinic_desk.config import APP_AUTHOR, APP_NAME, user_data_dir

    for xdg in (None, str(tmp_path / "xdg")):
        if xdg is None:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_DATA_HOME", xdg)
        expected = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
        assert user_data_dir(dict(os.environ)) == expected
