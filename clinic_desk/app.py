"""The composition root: builds settings, engine and services, and hands them out.

Nothing else in Clinic Desk constructs collaborators; everything receives them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from clinic_desk.catalogue import questionnaire, shipped_catalogues
from clinic_desk.config import Settings
from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.audit import AuditService
from clinic_desk.services.auth import AuthService
from clinic_desk.services.backups import BackupService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.consent_documents import WorkstationKey
from clinic_desk.services.consents import ConsentService
from clinic_desk.services.context import Clock, ServiceContext
from clinic_desk.services.core import CoreServices
from clinic_desk.services.courses import CourseService
from clinic_desk.services.demo import DemoService
from clinic_desk.services.devices import DeviceService
from clinic_desk.services.documents import DocumentService
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.services.patients import PatientService
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.staff import StaffService
from clinic_desk.services.witnessing import ChainWitness
from clinic_desk.storage.changes import ChangeWatcher
from clinic_desk.storage.connection_info import ConnectionSecurity, connection_security
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.private_files import (
    PRIVATE_FILE,
    private_folder,
    tighten_database_files,
)
from clinic_desk.storage.schema import UpgradeReport, read_schema_state, upgrade_schema
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory
from clinic_desk.storage.witness import WitnessBook

if TYPE_CHECKING:
    from clinic_desk.documents.signing_keys import KeyStore
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
    witness: ChainWitness
    backups: BackupService
    connection: ConnectionSecurity
    # What a person should know at start: files others can read, the witness disagreeing,
    # patient data crossing the network unencrypted.
    start_warnings: tuple[str, ...] = field(default=())

    def watch_changes(self) -> ChangeWatcher:
        """What other windows and workstations commit, for the UI to refresh."""
        return ChangeWatcher(self.engine)

    def start_daily_backup(self) -> bool:
        """On the default SQLite database: today's backup, if not yet taken, on a thread
        of its own. Returns whether one may be under way."""
        if not self.settings.database_is_default or self.settings.location.sqlite_path is None:
            return False
        self.backups.start_daily()
        return True

    def close(self) -> None:
        self.backups.wait_for_daily()
        self.units.after_audit_commit = None
        self.engine.dispose()


def _create_private_file(path: Path) -> None:
    """An empty database file only its owner can read (SQLite gives its -wal and -shm
    the database file's mode), whatever the umask."""
    if not path.parent.exists():
        private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)


def _prepare_files(settings: Settings, *, create: bool, read_only: bool) -> list[str]:
    """Check (and create, with `create`) the SQLite file; keep the data folder and the
    database private. Returns warnings for the person starting the app."""
    path = settings.location.sqlite_path
    warnings: list[str] = []
    if not read_only:
        private_folder(settings.data_dir)
    if path is None:
        return warnings
    if path.exists() and not path.is_file():
        raise DatabaseProblem(f"{path} is not a file.")
    if not path.exists():
        if not create:
            raise DatabaseProblem(f"There is no database at {path}.")
        _create_private_file(path)
    elif not read_only:
        warnings.extend(tighten_database_files(path))
    return warnings


def open_clinic_desk(
    settings: Settings,
    *,
    hashing: PasswordHashing,
    clock: Clock,
    lockout: LockoutPolicy,
    create: bool,
    read_only: bool = False,
) -> tuple[ClinicDesk, UpgradeReport | None]:
    """Open the database and build the services.

    With `create`, a missing SQLite file is created and an older schema upgraded (after a
    verified backup). Without it, nothing is written: a missing file or a schema that is
    not current is refused. `read_only` opens the database so that it cannot be written
    (`audit verify`); this workstation's witness is then checked by the caller.

    Otherwise this workstation's witness of the audit chain is checked and moved on;
    a disagreement is recorded in the audit log and listed in `start_warnings`.
    """
    location = settings.location
    warnings = _prepare_files(settings, create=create, read_only=read_only)
    engine = create_clinic_engine(location, read_only=read_only)
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
    witness = ChainWitness(
        units,
        WitnessBook(settings.data_dir),
        location.url.render_as_string(hide_password=True),
        clock,
    )
    if not read_only:
        warnings.extend(_observe_at_start(witness, engine))
        units.after_audit_commit = witness.advance_quietly
    ctx = ServiceContext(units=units, clock=clock)
    catalogues = shipped_catalogues()
    auth = AuthService(ctx, hashing, lockout)
    staff = StaffService(ctx, hashing)
    clinic = ClinicService(ctx)
    screening = ScreeningService(ctx, catalogues.rules, questionnaire, hashing)
    patients = PatientService(ctx)
    intake = IntakeService(ctx, catalogues.questionnaire, questionnaire)
    consents = ConsentService(
        ctx, screening, hashing, WorkstationKey(lambda: _key_store(settings))
    )
    protocols = ProtocolService(ctx)
    security = connection_security(engine, location)
    if security.needs_warning:
        warnings.append(UNENCRYPTED_WARNING.format(where=location.describe()))
    core = ClinicDesk(
        settings=settings,
        engine=engine,
        units=units,
        auth=auth,
        staff=staff,
        clinic=clinic,
        patients=patients,
        intake=intake,
        screening=screening,
        demo=DemoService(ctx, auth, clinic, staff, catalogues, patients=patients,
                         intake=intake, consents=consents),
        audit=AuditService(
            ctx, witness=lambda remember: witness.observe(remember=remember, quiet=True).disputes
        ),
        devices=DeviceService(ctx),
        protocols=protocols,
        sessions=SessionService(ctx, protocols, screening, hashing),
        adverse_events=AdverseEventService(ctx),
        courses=CourseService(ctx, protocols),
        consents=consents,
        documents=DocumentService(ctx, protocols),
        appointments=AppointmentService(ctx, screening, protocols),
        witness=witness,
        backups=BackupService(
            units,
            location,
            settings.backup_dir,
            witness,
            clock,
            lambda: _clinic_name(clinic),
        ),
        connection=security,
        start_warnings=tuple(warnings),
    )
    return core, report


def _key_store(settings: Settings) -> KeyStore:
    """Where this workstation keeps the clinic's private signing key: never the database
    nor its backups (documents/signing_keys.py; the README says why)."""
    from clinic_desk.documents.signing_keys import KeyStore, default_key_folder

    return KeyStore(settings.signing_key_dir or default_key_folder())


UNENCRYPTED_WARNING = (
    "The connection to {where} is not encrypted, so patient details cross the network "
    "readable by anyone on it. Ask whoever runs the database server to turn on TLS, and "
    "add ?sslmode=verify-full&sslrootcert=CA-FILE to the database URL (see the README)."
)


def _clinic_name(clinic: ClinicService) -> str:
    profile = clinic.profile()
    return profile.name if profile is not None else ""


WITNESS_WARNING = (
    "This workstation's record of the audit log disagrees with the database: {problems}. "
    "Records may have been removed or rewritten outside Clinic Desk, or an older copy of "
    "the database restored. This was written into the audit log. Tell the clinic's "
    "administrator, keep the backups and anchor files, and check with: clinic-desk audit "
    "verify. Once they have looked into it: clinic-desk audit acknowledge."
)


def _observe_at_start(witness: ChainWitness, engine: Engine) -> list[str]:
    try:
        report = witness.observe()
        if report.disputes:
            witness.record_disputes()
    except BaseException:
        engine.dispose()
        raise
    if not report.disputes:
        return []
    return [WITNESS_WARNING.format(problems="; ".join(report.disputes))]


def desk_services(core: ClinicDesk) -> DeskServices:
    """What the windows are given: the services, where the database is, and a way to
    watch for what others change; never the engine or a unit of work."""
    from clinic_desk.ui.context import DeskServices

    return DeskServices(
        **core.core_services(),
        database=core.settings.location.describe(),
        watch_changes=core.watch_changes,
        connection=core.connection.describe(),
        backup_folder=str(core.backups.folder),
    )


def start_gui(settings: Settings) -> int:
    """Runs the desktop application until the person quits; returns the exit code.

    PySide6 is imported only there (`desktop.start_desktop`), so that command-line use
    never pays for Qt; the database is opened behind the sign-in window.
    """
    from clinic_desk.desktop import Launch, start_desktop

    return start_desktop(Launch.from_settings(settings))
