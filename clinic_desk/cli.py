"""The `clinic-desk` command: starts the app, loads the demo clinic, upgrades the schema;
the verbs that look after the data (audit, backup, status, db grant) are in
`cli_maintenance`. Each verb's parser names its runner (`set_defaults(run=...)`).

Every failure a person can cause (a wrong URL, a locked or damaged file, an unreachable
server, a database from a newer version) ends in one line on stderr and a non-zero exit
status, never a traceback: 2 for a wrong command line or database URL, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from clinic_desk import __version__
from clinic_desk.app import ClinicDesk, open_clinic_desk, utc_now
from clinic_desk.cli_consents import add_consent_print_verb, add_consent_verbs
from clinic_desk.cli_day import add_day_verb
from clinic_desk.cli_documents import add_print_verbs
from clinic_desk.cli_maintenance import (
    add_audit_verbs,
    add_backup_verbs,
    add_grant_verb,
    add_status_verb,
    print_warnings,
)
from clinic_desk.cli_sessions import add_session_verbs
from clinic_desk.config import Settings, load_settings, process_environment
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import ROLE_TITLES
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.demo_appointments import load_demo_appointments
from clinic_desk.services.demo_documents import load_demo_documents
from clinic_desk.services.demo_treatment import load_demo_treatment
from clinic_desk.services.passwords import production_hasher
from clinic_desk.storage.engine import describe_database_error
from clinic_desk.storage.location import ENV_DATABASE_URL

PROG = "clinic-desk"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
MAX_DEMO_PATIENTS = 1_000_000


class UsageError(Exception):
    """The command line cannot be understood; argparse's message says why."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and lets `main` decide the exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _patient_count(text: str) -> int:
    try:
        count = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if not 0 <= count <= MAX_DEMO_PATIENTS:
        raise argparse.ArgumentTypeError(f"choose from 0 to {MAX_DEMO_PATIENTS:,}")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Clinic Desk: patients, consent, treatment records and aftercare for a "
            "microneedling practice. Without a command, starts the application."
        ),
        epilog=(
            f"The database is --database URL, else ${ENV_DATABASE_URL}, else a SQLite file "
            "in your user data folder. URLs: sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DATABASE."
        ),
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"the clinic's database (default: ${ENV_DATABASE_URL} or the SQLite file in "
        "your data folder)",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    demo = commands.add_parser(
        "demo",
        help="fill the database with a demo clinic and print its sign-in accounts",
        description="Creates the demo clinic (or gives its accounts new passwords) and "
        "prints one account per role. Refuses a database that holds a real clinic.",
    )
    demo.add_argument(
        "--patients",
        type=_patient_count,
        default=0,
        metavar="N",
        help="also add N demo patients with varied medical histories (up to 1,000,000)",
    )
    demo.set_defaults(run=run_demo)

    db = commands.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_commands.add_parser(
        "upgrade",
        help="create the schema or bring it up to this version",
        description="Creates the schema in an empty database or upgrades an older one. "
        "A SQLite file is first copied and the copy verified.",
    )
    upgrade.set_defaults(run=run_db_upgrade)
    add_grant_verb(db_commands)

    audit = commands.add_parser("audit", help="audit trail", description="The audit trail.")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="AUDIT_COMMAND",
                                          required=True)
    add_audit_verbs(audit_commands)
    _add_audit_list(audit_commands)

    backup = commands.add_parser("backup", help="backups", description="Backups.")
    backup_commands = backup.add_subparsers(dest="backup_command", metavar="BACKUP_COMMAND",
                                            required=True)
    add_backup_verbs(backup_commands)
    add_status_verb(commands)
    add_session_verbs(commands, _patient_id)
    add_day_verb(commands)
    add_consent_verbs(commands, _patient_id)

    printing = commands.add_parser("print", help="documents for patients, as PDF files",
                                   description="Documents for patients, as PDF files.")
    print_commands = printing.add_subparsers(dest="print_command", metavar="DOCUMENT",
                                             required=True)
    add_consent_print_verb(print_commands)
    add_print_verbs(print_commands)
    return parser


# --- audit list --patient: an accounting of access to one patient's record -------------


def _patient_id(text: str) -> int:
    """A patient number as printed (P-000123) or as a plain number (123)."""
    digits = text.strip().upper().removeprefix("P-").removeprefix("P")
    if not digits.isascii() or not digits.isdigit() or not 0 < int(digits) < 2**31:
        raise argparse.ArgumentTypeError(f"“{text}” is not a patient number (P-000123 or 123)")
    return int(digits)


def _add_audit_list(audit_commands: argparse._SubParsersAction[_Parser]) -> None:
    listing = audit_commands.add_parser(
        "list",
        help="everyone who viewed or changed one patient's record",
        description="Lists, newest first, every audit entry about one patient: who opened "
        "their chart, medical history or screening, who changed what, and what was "
        "refused. Listing it is itself recorded in the audit log.",
    )
    listing.add_argument("--patient", type=_patient_id, required=True, metavar="ID",
                         help="the patient number (P-000123) or its digits")
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    listing.set_defaults(run=run_audit_list)


def run_audit_list(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    import json
    from zoneinfo import ZoneInfo

    from clinic_desk.services.audit import patient_access_history

    core, _ = _open(settings, create=False)
    try:
        profile = core.clinic.profile()
        with core.units(write=True) as uow:
            entries = patient_access_history(
                uow, args.patient, staff_id=None, at=utc_now(), via="command line"
            )
            uow.commit()
    finally:
        core.close()
    if args.json:
        json.dump(
            [
                {
                    "seq": e.seq, "occurred_at_utc": e.occurred_at.isoformat(),
                    "staff": e.staff_name, "workstation": e.workstation, "action": e.action,
                    "record": e.entity, "patient": e.patient_number, "outcome": e.outcome,
                    "detail": e.detail,
                }
                for e in entries
            ],
            out, ensure_ascii=False, indent=2,
        )
        print(file=out)
        return EXIT_OK
    zone = ZoneInfo(profile.time_zone if profile else "UTC")
    number = f"P-{args.patient:06d}"
    print(f"Access to patient {number}: {len(entries)} entries, newest first "
          f"(times in {zone.key}).", file=out)
    for e in entries:
        when = e.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}  {e.staff_name:<28}  {e.workstation:<20}  {e.action:<22}  "
              f"{e.outcome}", file=out)
    return EXIT_OK


def _open(settings: Settings, *, create: bool) -> tuple[ClinicDesk, str | None]:
    """The core on the settings' database, and a line about any schema change made."""
    core, report = open_clinic_desk(
        settings,
        hashing=production_hasher(),
        clock=utc_now,
        lockout=LockoutPolicy(),
        create=create,
    )
    print_warnings(core)
    note = None
    if report is not None and report.changed:
        if report.from_revision is None:
            note = f"Created the Clinic Desk schema (revision {report.to_revision})."
        else:
            note = (
                f"Upgraded the schema from revision {report.from_revision} "
                f"to {report.to_revision}."
            )
        if report.backup is not None:
            note += f"\nVerified backup made before the upgrade: {report.backup}"
    return core, note


def _start_command(settings: Settings, database_option: str | None) -> str:
    if database_option is None:
        return PROG
    shown = settings.location.url.render_as_string(hide_password=True)
    return f"{PROG} --database '{shown}'"


def run_demo(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core, note = _open(settings, create=True)
    try:
        accounts = core.demo.load_clinic()
        profile = core.clinic.profile()
        started = time.perf_counter()
        added = core.demo.add_patients(core.demo.reception_account(), args.patients)
        took = time.perf_counter() - started
        consents = core.demo.add_consents(accounts)
        treatment = load_demo_treatment(core, accounts)
        documents = load_demo_documents(core, treatment) if treatment is not None else 0
        week = load_demo_appointments(core, treatment.patients if treatment else ())
    finally:
        core.close()
    if note:
        print(note, file=out)
    if added:
        print(f"Added {added:,} demo patients in {took:.1f} s.", file=out)
    if treatment is not None:
        print(f"Added {treatment.devices} devices, {treatment.lots} lots (one expired), "
              f"{treatment.sessions} signed-off sessions with courses of treatment and "
              f"{documents} handed-out documents.", file=out)
    if week is not None:
        print(f"Booked a demo week: {week.appointments} appointments in {week.rooms} rooms "
              f"({week.arrived} arrived today, {week.no_shows} no-show, {week.cancelled} "
              "cancelled).", file=out)
    if consents:
        print(f"Added {consents} demo consent records (signed, declined, withdrawn, "
              "superseded).", file=out)
    clinic_name = profile.name if profile is not None else "the demo clinic"
    print(f"Demo clinic “{clinic_name}” is ready in {settings.location.describe()}.", file=out)
    print("Sign in with one of these accounts (the passwords are shown only now):", file=out)
    width = max(len(a.username) for a in accounts)
    for account in accounts:
        print(
            f"  {account.username:<{width}}  {ROLE_TITLES[account.role]:<13}  "
            f"password: {account.password}   ({account.full_name})",
            file=out,
        )
    print(f"Start the app with: {_start_command(settings, args.database)}", file=out)
    return EXIT_OK


def run_db_upgrade(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    core, note = _open(settings, create=True)
    core.close()
    if note is None:
        print(f"{settings.location.describe()} is already current.", file=out)
    else:
        print(note, file=out)
    return EXIT_OK


def run_gui(settings: Settings, _args: argparse.Namespace, _out: TextIO) -> int:
    # Imported here so that the other commands never load Qt.
    from clinic_desk.app import start_gui

    return start_gui(settings)


Command = Callable[[Settings, argparse.Namespace, TextIO], int]


def _command_for(args: argparse.Namespace) -> Command:
    run: Command = getattr(args, "run", run_gui)
    return run


def _fail(message: str, code: int, err: TextIO) -> int:
    first_line = " ".join(message.split()) or "unknown error"
    print(f"{PROG}: error: {first_line}", file=err)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; a reader that leaves early (`clinic-desk demo | head -1`) gets
    silence and exit status 0, since the work itself is done."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
    except BrokenPipeError:
        # Python's advice (library/signal, "Note on SIGPIPE"): point stdout at devnull so
        # that the interpreter's own flush at exit is silent too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    return code


def _main(argv: Sequence[str] | None) -> int:
    out, err = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(f"{exc} (see {PROG} --help)", EXIT_USAGE, err)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        settings = load_settings(args.database, process_environment())
    except ClinicDeskError as exc:
        return _fail(str(exc), EXIT_USAGE, err)
    try:
        return _command_for(args)(settings, args, out)
    except ClinicDeskError as exc:
        return _fail(str(exc), EXIT_FAILED, err)
    except DBAPIError as exc:
        return _fail(str(describe_database_error(exc, settings.location)), EXIT_FAILED, err)
    except SQLAlchemyError as exc:
        return _fail(f"Database error on {settings.location.describe()}: {exc}", EXIT_FAILED, err)
    except BrokenPipeError:
        raise  # the reader went away: `main` handles it, whatever the command was
    except OSError as exc:
        return _fail(f"{exc.strerror or exc} ({exc.filename or settings.location.describe()})",
                     EXIT_FAILED, err)
    except KeyboardInterrupt:
        return _fail("interrupted", 130, err)
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):  # the driver, outside SQLAlchemy
            return _fail(f"Database error on {settings.location.describe()}: {exc}",
                         EXIT_FAILED, err)
        # a bug of ours: still one line, and say what it was
        return _fail(f"unexpected {type(exc).__name__}: {exc}", EXIT_FAILED, err)


if __name__ == "__main__":
    raise SystemExit(main())
