"""Command-line verbs that look after the data: audit verify / anchor / acknowledge,
backup create / verify / restore, status, db grant.

Each verb registers its parser with `set_defaults(run=...)`; `clinic_desk.cli` only
dispatches, so a new verb is one `add_parser` and one function.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from clinic_desk import __version__
from clinic_desk.app import ClinicDesk, open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.passwords import production_hasher
from clinic_desk.storage.privileges import grant_workstation_role
from clinic_desk.storage.schema import HEAD_REVISION
from clinic_desk.storage.witness import read_anchor, write_anchor

EXIT_OK = 0
EXIT_FAILED = 1
Runner = Callable[[Settings, argparse.Namespace, TextIO], int]


def open_core(settings: Settings, *, create: bool, read_only: bool = False) -> ClinicDesk:
    """The core, with what a person should know at start printed on stderr."""
    core, _ = open_clinic_desk(
        settings,
        hashing=production_hasher(),
        clock=utc_now,
        lockout=LockoutPolicy(),
        create=create,
        read_only=read_only,
    )
    print_warnings(core)
    return core


def print_warnings(core: ClinicDesk) -> None:
    for warning in core.start_warnings:
        print(f"clinic-desk: warning: {' '.join(warning.split())}", file=sys.stderr)


def _print_json(data: dict[str, Any], out: TextIO) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1), file=out)


# --- audit ----------------------------------------------------------------------------


def add_audit_verbs(audit: argparse._SubParsersAction[Any]) -> None:
    verify = audit.add_parser(
        "verify",
        help="check the audit log, the records it vouches for and the file; changes nothing",
        description="Checks the audit log's hash chain, recomputes the hash of every "
        "clinical record it vouches for, checks each patient row against its latest "
        "revision, runs SQLite's quick_check, and compares with this workstation's "
        "witness and any --anchor. Opens the database read-only. "
        "Exit status 0: intact; 1: broken or not checkable.",
    )
    verify.add_argument("--anchor", type=Path, metavar="FILE", help="an anchor file to check")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(run=run_audit_verify)
    anchor = audit.add_parser(
        "anchor",
        help="write the audit log's current head to a file kept away from the database",
        description="Writes the newest audit entry's number and hash, with the time and "
        "the clinic, to FILE. Keep it somewhere the database's administrator cannot "
        "change it; `audit verify --anchor FILE` then proves the log was not cut or "
        "rewritten before that entry.",
    )
    anchor.add_argument("-o", "--output", type=Path, metavar="FILE", required=True)
    anchor.set_defaults(run=run_audit_anchor)
    acknowledge = audit.add_parser(
        "acknowledge",
        help="clear this workstation's witness disagreements after looking into them",
        description="Clears the disagreements this workstation's witness keeps reporting, "
        "once an administrator has looked into them; records that in the audit log.",
    )
    acknowledge.set_defaults(run=run_audit_acknowledge)


def run_audit_verify(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False, read_only=True)
    try:
        verdict = verify_audit_log(core.units)
        witness = core.witness.observe(remember=verdict.ok)
        anchor_problem = None
        anchor = read_anchor(args.anchor) if args.anchor is not None else None
        if anchor is not None:
            anchor_problem = core.witness.check_anchor(anchor)
    finally:
        core.close()
    ok = verdict.ok and witness.ok and anchor_problem is None
    if args.json:
        _print_json(
            {
                "ok": ok,
                "entries_checked": verdict.entries_checked,
                "records_checked": verdict.records_checked,
                "patients_checked": verdict.patients_checked,
                "chain_problem": verdict.problem or None,
                "first_bad_seq": verdict.first_bad_seq,
                "problems": list(verdict.problems),
                "witness_disputes": list(witness.disputes),
                "anchor_problem": anchor_problem,
                "head_seq": witness.head.seq if witness.head else None,
            },
            out,
        )
        return EXIT_OK if ok else EXIT_FAILED
    summary = verdict.summary()
    if verdict.ok and not ok:
        # The chain agrees with itself, but a witness or anchor saw more, or other, entries:
        # never open with "intact" then.
        _, _, rest = summary.partition("\n")
        summary = (
            f"Audit log chain unbroken ({verdict.entries_checked} entries), but NOT intact: "
            "entries this workstation or the anchor saw are gone or different (below)."
            + (f"\n{rest}" if rest else "")
        )
    print(summary, file=out)
    if witness.disputes:
        print("This workstation's witness disagrees with the database:", file=out)
        for dispute in witness.disputes:
            print(f"  - {dispute}", file=out)
    elif witness.head is not None:
        print(f"This workstation's witness: the log holds what it saw (now at entry "
              f"{witness.head.seq}).", file=out)
    if anchor is not None:
        print(
            f"Anchor {args.anchor}: "
            + (anchor_problem or f"entry {anchor.head.seq} of {anchor.anchored_at_utc} holds."),
            file=out,
        )
    return EXIT_OK if ok else EXIT_FAILED


def run_audit_anchor(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    target: Path = args.output
    if target.exists():
        raise ClinicDeskError(f"{target} exists already; choose a new file name.")
    core = open_core(settings, create=False, read_only=True)
    try:
        profile = core.clinic.profile()
        anchor = core.witness.anchor(profile.name if profile else "")
    finally:
        core.close()
    write_anchor(target, anchor)
    print(f"Anchored audit entry {anchor.head.seq} ({anchor.head.entry_hash[:16]}…) "
          f"in {target}. Keep it away from the database.", file=out)
    return EXIT_OK


def run_audit_acknowledge(settings: Settings, _args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False)
    try:
        cleared = core.witness.acknowledge()
    finally:
        core.close()
    print(f"{cleared} disagreement(s) acknowledged on this workstation." if cleared
          else "This workstation's witness has nothing to acknowledge.", file=out)
    return EXIT_OK


# --- backup ---------------------------------------------------------------------------


def add_backup_verbs(backup: argparse._SubParsersAction[Any]) -> None:
    create = backup.add_parser(
        "create",
        help="make a verified backup (and its audit anchor)",
        description="SQLite: a copy made with SQLite's online backup API, then checked "
        "(integrity check, same row counts). PostgreSQL: pg_dump in custom format. The "
        "audit anchor of what it holds is written beside it (FILE.anchor.json).",
    )
    create.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write it (default: a new file in the backup folder)")
    create.set_defaults(run=run_backup_create)
    verify = backup.add_parser(
        "verify", help="check a backup file", description="Checks a backup file and, for "
        "SQLite, its audit log against the anchor beside it. Changes nothing.")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.set_defaults(run=run_backup_verify)
    restore = backup.add_parser(
        "restore",
        help="replace the database by a backup",
        description="Replaces the database by the backup. Refuses a database that holds "
        "anything unless --force; a copy of what is replaced is kept in the backup "
        "folder; the audit log is checked afterwards. Close Clinic Desk on every "
        "workstation first. On PostgreSQL, run it as the schema's owner.",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--force", action="store_true",
                         help="replace a database that is not empty")
    restore.set_defaults(run=run_backup_restore)


def run_backup_create(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False)
    try:
        made = core.backups.create(args.output)
    finally:
        core.close()
    print(f"Backup written and verified: {made.path}", file=out)
    print(f"Its audit anchor (entry {made.head_seq}): {made.anchor_path}", file=out)
    return EXIT_OK


def run_backup_verify(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False, read_only=True)
    try:
        check = core.backups.verify(args.file)
    finally:
        core.close()
    for line in check.lines:
        print(line, file=out)
    return EXIT_OK if check.ok else EXIT_FAILED


def run_backup_restore(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=True)
    try:
        done = core.backups.restore(args.file, force=args.force)
    finally:
        core.close()
    if done.replaced_copy is not None:
        print(f"The database replaced was kept as {done.replaced_copy}", file=out)
    print(f"Restored {args.file}.", file=out)
    print(done.verification.summary(), file=out)
    if done.anchor_problem:
        print(f"Its anchor does not hold: {done.anchor_problem}", file=out)
    ok = done.verification.ok and done.anchor_problem is None
    return EXIT_OK if ok else EXIT_FAILED


# --- status and roles -------------------------------------------------------------------


def add_status_verb(commands: argparse._SubParsersAction[Any]) -> None:
    status = commands.add_parser(
        "status",
        help="which database, whether the connection is encrypted, the audit head",
        description="Says which database this workstation uses, whether the connection "
        "to it is encrypted, its schema and audit head, and where backups go.",
    )
    status.add_argument("--json", action="store_true", help="print it as JSON")
    status.set_defaults(run=run_status)


def run_status(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False, read_only=True)
    try:
        witness = core.witness.observe(remember=False)
        security = core.connection
    finally:
        core.close()
    data = {
        "version": __version__,
        "database": settings.location.describe(),
        "schema": HEAD_REVISION,
        "encrypted": security.encrypted,
        "connection": security.describe(),
        "audit_head": witness.head.seq if witness.head else None,
        "witness_disputes": list(witness.disputes),
        "backup_folder": str(core.backups.folder),
    }
    if args.json:
        _print_json(data, out)
        return EXIT_OK
    print(f"Clinic Desk {__version__}", file=out)
    print(f"Database: {data['database']} (schema {HEAD_REVISION})", file=out)
    print(f"Connection: {security.describe()}", file=out)
    print(f"Audit log: {data['audit_head']} entries", file=out)
    if witness.disputes:
        print(f"Witness disagreements on this workstation: {len(witness.disputes)} "
              "(clinic-desk audit verify)", file=out)
    print(f"Backups: {data['backup_folder']}", file=out)
    return EXIT_OK


def add_grant_verb(db_commands: argparse._SubParsersAction[Any]) -> None:
    grant = db_commands.add_parser(
        "grant",
        help="give a PostgreSQL role the workstation's rights, and no more",
        description="Run as the role that owns the schema (the one that ran db upgrade). "
        "ROLE may then read and write what the app writes, append to the audit log and "
        "the clinical history, and nothing else: no ALTER, no TRUNCATE, no disabling "
        "triggers, no UPDATE or DELETE of history or audit entries.",
    )
    grant.add_argument("role", metavar="ROLE")
    grant.set_defaults(run=run_db_grant)


def run_db_grant(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False)
    try:
        with core.engine.begin() as conn:
            notes = grant_workstation_role(conn, args.role)
    finally:
        core.close()
    print(f"Role {args.role} has the workstation's rights on "
          f"{settings.location.describe()}.", file=out)
    for note in notes:
        print(f"  note: {note}", file=out)
    return EXIT_OK
