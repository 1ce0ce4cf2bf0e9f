"""`clinic-desk` itself: the desktop application comes up first, the database behind it.

`clinic-desk` with no command (or only `--database URL`) shows the sign-in window from Qt
alone, with the clinic's name as this workstation last saw it, before SQLAlchemy, the
models, the services or the database are loaded. The database is opened (schema check or
upgrade, witness check, services) off the UI thread through `ui/background.py` while the
person types; the session then enables Sign in, corrects the name, switches to the first
start, or says in the window why the database cannot be opened. Every other command goes
to the command line (`cli.main`), which this module imports only then.

Like `app.start_gui`, this is composition: the one other top-level module that reaches
Qt and the composition root, and only inside functions.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk.config import ENV_DATA_DIR, user_data_dir
from clinic_desk.storage.last_seen import (
    DEFAULT_DATABASE_KEY,
    LastSeenClinic,
    database_key,
    read_last_seen,
    write_last_seen,
)
from clinic_desk.storage.location import DEFAULT_FILE_NAME, ENV_DATABASE_URL

if TYPE_CHECKING:
    from clinic_desk.app import ClinicDesk
    from clinic_desk.config import Settings

PROG = "clinic-desk"
EXIT_FAILED = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """The `clinic-desk` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    database = desktop_only(args)
    if database is None:
        from clinic_desk.cli import main as command_line

        return command_line(args)
    named = database or None
    return start_desktop(Launch.from_environment(named, os.environ))


def desktop_only(args: Sequence[str]) -> str | None:
    """For a command line that only starts the desktop application, the database it names
    ("" for none); None for anything else (a command, --help, a blank --database ...)."""
    if not args:
        return ""
    if len(args) == 2 and args[0] == "--database" and args[1].strip():
        return args[1]
    if len(args) == 1 and args[0].startswith("--database=") and args[0][11:].strip():
        return args[0][11:]
    return None


@dataclass(frozen=True, slots=True)
class Launch:
    """What is known before SQLAlchemy is loaded: the data folder, the database as named,
    whether a first start is expected, and the key of the clinic's name last seen."""

    data_dir: Path
    cache_key: str | None
    sqlite_file: Path | None
    database_arg: str | None = None
    environ: Mapping[str, str] | None = None
    settings: Settings | None = None  # already read (the command line's way in)

    @classmethod
    def from_environment(cls, database_arg: str | None, environ: Mapping[str, str]) -> Launch:
        data_dir = Path(environ.get(ENV_DATA_DIR) or user_data_dir(environ))
        named = database_arg if database_arg is not None else environ.get(ENV_DATABASE_URL)
        named = named or None
        if named is None:
            sqlite_file: Path | None = data_dir / DEFAULT_FILE_NAME
        elif named.strip().startswith("sqlite:///"):
            rest = named.strip()[len("sqlite:///"):].split("?")[0]
            sqlite_file = Path(rest).expanduser() if rest and rest != ":memory:" else None
        else:
            sqlite_file = None
        return cls(data_dir, database_key(named), sqlite_file, database_arg, environ)

    @classmethod
    def from_settings(cls, settings: Settings) -> Launch:
        key = DEFAULT_DATABASE_KEY if settings.database_is_default else None
        return cls(settings.data_dir, key, settings.location.sqlite_path, settings=settings)

    @property
    def expects_first_start(self) -> bool:
        """A SQLite file that does not exist yet: there is no clinic to sign in to."""
        return self.sqlite_file is not None and not self.sqlite_file.exists()

    def last_seen(self) -> LastSeenClinic | None:
        return None if self.cache_key is None else read_last_seen(self.data_dir, self.cache_key)


class StartProblem(Exception):
    """Why the database cannot be opened, in one line, and the exit status it leads to."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(" ".join(message.split()) or "unknown error")
        self.code = code


class Opening:
    """The database work of start-up, run on a pool thread; keeps what it opened so that
    it is closed even when the application ends before the result is delivered."""

    def __init__(self, launch: Launch) -> None:
        self._launch = launch
        self._done = threading.Event()
        self._started = False
        self.core: ClinicDesk | None = None

    def started(self) -> Opening:
        self._started = True
        return self

    def open(self) -> ClinicDesk:
        try:
            settings = self._settings()
            self.core = _open_core(settings)
            _remember_clinic(self._launch, self.core)
            return self.core
        finally:
            self._done.set()

    def _settings(self) -> Settings:
        from clinic_desk.config import load_settings
        from clinic_desk.domain.errors import ClinicDeskError

        launch = self._launch
        if launch.settings is not None:
            return launch.settings
        try:
            return load_settings(launch.database_arg, launch.environ or {})
        except ClinicDeskError as exc:
            raise StartProblem(str(exc), EXIT_USAGE) from None

    def close(self) -> None:
        """Waits for an opening under way, then closes what it opened."""
        if self._started and self._done.wait() and self.core is not None:
            self.core.close()
            self.core = None


def _open_core(settings: Settings) -> ClinicDesk:
    """`app.open_clinic_desk` as the GUI opens it; any failure is one line."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from clinic_desk.app import open_clinic_desk, utc_now
    from clinic_desk.domain.errors import ClinicDeskError
    from clinic_desk.domain.staff_rules import LockoutPolicy
    from clinic_desk.services.passwords import production_hasher
    from clinic_desk.storage.engine import describe_database_error

    where = settings.location.describe()
    try:
        core, _report = open_clinic_desk(
            settings, hashing=production_hasher(), clock=utc_now, lockout=LockoutPolicy(),
            create=True,
        )
    except ClinicDeskError as exc:
        raise StartProblem(str(exc), EXIT_FAILED) from None
    except DBAPIError as exc:
        raise StartProblem(str(describe_database_error(exc, settings.location)),
                           EXIT_FAILED) from None
    except SQLAlchemyError as exc:
        raise StartProblem(f"Database error on {where}: {exc}", EXIT_FAILED) from None
    except OSError as exc:
        raise StartProblem(f"{exc.strerror or exc} ({exc.filename or where})",
                           EXIT_FAILED) from None
    return core


def _remember_clinic(launch: Launch, core: ClinicDesk) -> None:
    """The clinic's name for the next start's sign-in window."""
    from clinic_desk.domain.errors import ClinicDeskError

    if launch.cache_key is None:
        return
    try:
        profile = core.clinic.profile()
    except ClinicDeskError:
        return
    seen = LastSeenClinic(profile.name, profile.is_demo) if profile is not None else None
    write_last_seen(launch.data_dir, launch.cache_key, seen)


def failure_of(exc: BaseException) -> StartProblem:
    if isinstance(exc, StartProblem):
        return exc
    return StartProblem(f"unexpected {type(exc).__name__}: {exc}", EXIT_FAILED)


def start_desktop(launch: Launch) -> int:
    """Runs the desktop application until the person quits; returns the exit code."""
    from PySide6.QtCore import QSettings, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_desk import __version__
    from clinic_desk.ui.background import run_in_background
    from clinic_desk.ui.dialogs import QtDialogService
    from clinic_desk.ui.process_signals import announce_windows, quit_on_sigterm
    from clinic_desk.ui.session import GuiSession
    from clinic_desk.ui.shell import install_shell_behaviour
    from clinic_desk.ui.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Clinic Desk")
    app.setOrganizationName("Clinic Desk")
    app.setApplicationVersion(__version__)
    # Windows come and go between sign-in and the main window: the session decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    install_shell_behaviour(app)
    session = GuiSession(None, QtDialogService(), QSettings())
    session.finished.connect(app.exit)
    announce_windows(session, os.environ)
    opening = Opening(launch)

    def ready(core: ClinicDesk) -> None:
        from clinic_desk.app import desk_services

        session.services_ready(desk_services(core), core.start_warnings)
        core.start_daily_backup()

    def failed(exc: BaseException) -> None:
        problem = failure_of(exc)
        print(f"{PROG}: error: {problem}", file=sys.stderr, flush=True)
        session.start_failed(str(problem), problem.code)

    # SIGTERM ends the session as Quit does (the sign-out recorded once signed in), from
    # before the first window shows: a signal landing while it is being shown is kept.
    try:
        with quit_on_sigterm(app, session):
            if not launch.expects_first_start:
                seen = launch.last_seen()
                session.start_waiting(seen.name if seen else "",
                                      is_demo=bool(seen and seen.is_demo))
            # Once the window is up: the database work then runs while the person types.
            QTimer.singleShot(0, lambda: run_in_background(
                opening.started().open, on_success=ready, on_failure=failed, parent=session))
            return app.exec()
    finally:
        # The opening may still be under way (the person quit at once): its thread ends
        # before Qt is torn down, and what it opened is closed.
        QThreadPool.globalInstance().waitForDone()
        opening.close()
