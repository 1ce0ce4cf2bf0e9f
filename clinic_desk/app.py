"""The composition root: builds settings, engine and services, and hands them out.

Nothing else in Clinic Desk constructs collaborators; everything receives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from clinic_desk.catalogue import questionnaire, shipped_catalogues
from clinic_desk.config import Settings
from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.audit import AuditService
from clinic_desk.services.auth import AuthService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.context import Clock, ServiceContext
from clinic_desk.services.core import CoreServices
from clinic_desk.services.demo import DemoService
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.services.patients import PatientService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.services.staff import StaffService
from clinic_desk.storage.changes import ChangeWatcher
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.schema import UpgradeReport, read_schema_state, upgrade_schema
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory

if TYPE_CHECKING:
    from clinic_desk.ui.context import DeskServices


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ClinicDesk(CoreServices):
    """The application core that the GUI and the command line drive: the services, and
    the database they share."""

    settings: Settings
    engine: Engine
    units: UnitOfWorkFactory

    def watch_changes(self) -> ChangeWatcher:
        """What other windows and workstations commit, for the UI to refresh."""
        return ChangeWatcher(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def open_clinic_desk(
    settings: Settings,
    *,
    hashing: PasswordHashing,
    clock: Clock,
    lockout: LockoutPolicy,
    create: bool,
) -> tuple[ClinicDesk, UpgradeReport | None]:
    """Open the database and build the services.

    With `create`, a missing SQLite file is created and an older schema upgraded (after a
    verified backup). Without it, nothing is written: a missing file or a schema that is
    not current is refused.
    """
    location = settings.location
    path = location.sqlite_path
    if path is not None:
        if path.exists() and not path.is_file():
            raise DatabaseProblem(f"{path} is not a file.")
        if not path.exists():
            if not create:
                raise DatabaseProblem(f"There is no database at {path}.")
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_clinic_engine(location)
    try:
        report: UpgradeReport | None = None
        if create:
            report = upgrade_schema(engine, location, backup_dir=settings.backup_dir)
        else:
            state = read_schema_state(engine, location)
            if not state.up_to_date:
                raise DatabaseProblem(
                    f"{location.describe()} is not a current Clinic Desk database "
                    f"(schema {state.current or 'none'}, expected {state.head}). "
                    "Run: clinic-desk db upgrade"
                )
    except BaseException:
        engine.dispose()
        raise
    units = UnitOfWorkFactory(engine, location, workstation=settings.workstation)
    ctx = ServiceContext(units=units, clock=clock)
    catalogues = shipped_catalogues()
    auth = AuthService(ctx, hashing, lockout)
    staff = StaffService(ctx, hashing)
    clinic = ClinicService(ctx)
    core = ClinicDesk(
        settings=settings,
        engine=engine,
        units=units,
        auth=auth,
        staff=staff,
        clinic=clinic,
        patients=PatientService(ctx),
        intake=IntakeService(ctx, catalogues.questionnaire, questionnaire),
        screening=ScreeningService(ctx, catalogues.rules, questionnaire, hashing),
        demo=DemoService(ctx, auth, clinic, staff, catalogues),
        audit=AuditService(ctx),
    )
    return core, report


def desk_services(core: ClinicDesk) -> DeskServices:
    """What the windows are given: the services, where the database is, and a way to
    watch for what others change; never the engine or a unit of work."""
    from clinic_desk.ui.context import DeskServices

    return DeskServices(
        **core.core_services(),
        database=core.settings.location.describe(),
        watch_changes=core.watch_changes,
    )


def start_gui(settings: Settings) -> int:
    """Runs the desktop application until the person quits; returns the exit code.

    PySide6 is imported here only, so that command-line use never pays for Qt.
    """
    import sys

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from clinic_desk import __version__
    from clinic_desk.services.passwords import production_hasher
    from clinic_desk.ui.dialogs import QtDialogService
    from clinic_desk.ui.i18n import tr
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
    dialogs = QtDialogService()
    try:
        core, _report = open_clinic_desk(
            settings, hashing=production_hasher(), clock=utc_now, lockout=LockoutPolicy(),
            create=True,
        )
    except DatabaseProblem as exc:
        dialogs.error(None, tr("Clinic Desk cannot open its database"), str(exc))
        return 1
    try:
        session = GuiSession(desk_services(core), dialogs, QSettings())
        session.finished.connect(app.exit)
        session.start()
        return app.exec()
    finally:
        core.close()
