"""The way to the sign-in window on SQLite loads neither psycopg nor Alembic (when the
schema is current) nor ReportLab: checked in a fresh interpreter. And `clinic-desk`
shows its sign-in window before SQLAlchemy, the models or the services are even loaded
(the database is opened behind it)."""

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


# What `clinic-desk` (desktop.main) must not have loaded when its sign-in window first
# shows: the database is opened behind that window.
NOT_BEFORE_SIGN_IN = ("sqlalchemy", "psycopg", "alembic", "reportlab", "phonenumbers",
                      "argon2", "clinic_desk.storage.models", "clinic_desk.services",
                      "clinic_desk.app", "clinic_desk.cli")

FIRST_SHOW_CHILD = """
import json, sys
from clinic_desk.desktop import main  # what the `clinic-desk` script imports
from clinic_desk.ui import sign_in
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

shown = sign_in.SignInDialog.showEvent
def first_show(self, event):
    shown(self, event)
    if getattr(sign_in, "seen", False):
        return
    sign_in.seen = True
    watched = sys.argv[2].split(",")
    loaded = sorted(w for w in watched
                    if any(m == w or m.startswith(w + ".") for m in sys.modules))
    print(json.dumps({"loaded": loaded, "clinic": self.clinic_label.text()}), flush=True)
    QTimer.singleShot(0, QApplication.instance().quit)
sign_in.SignInDialog.showEvent = first_show
sys.exit(main(["--database", sys.argv[1]]))
"""


def test_clinic_desk_shows_sign_in_before_sqlalchemy_is_loaded(tmp_path: Path) -> None:
    from clinic_desk.storage.last_seen import LastSeenClinic, database_key, write_last_seen

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    core = open_core(url, tmp_path, FakeClock())
    seed_clinic(core)
    core.close()
    write_last_seen(tmp_path, database_key(url), LastSeenClinic("Klinika seen last time"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLINIC_DESK_DATA_DIR=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SHOW_CHILD, url, ",".join(NOT_BEFORE_SIGN_IN)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    first_show = json.loads(done.stdout.strip().splitlines()[0])
    assert first_show == {"loaded": [], "clinic": "Klinika seen last time"}
