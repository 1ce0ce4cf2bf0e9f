"""Backups: create, verify, restore, and the daily automatic copy with its retention.

Every backup carries the audit anchor of the state it holds (FILE.anchor.json beside
it), so a restore can prove the chain it brings back is the one that was backed up, and
every backup and restore is an entry in the audit log.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.context import Clock
from clinic_desk.services.dto import AuditVerification
from clinic_desk.services.witnessing import ChainWitness, check_anchor
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.backup import (
    DUMP_SUFFIX,
    SQLITE_SUFFIX,
    anchor_path_for,
    backup_sqlite,
    check_sqlite_file,
    copy_sqlite,
    dump_postgresql,
    free_name,
    list_postgresql_dump,
    restore_postgresql,
    restore_sqlite,
    stamp,
)
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import DatabaseLocation, parse_location
from clinic_desk.storage.schema import read_schema_state, upgrade_schema
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory
from clinic_desk.storage.witness import Anchor, read_anchor, write_anchor

DAILY_LABEL = "daily"
KEEP_DAILY = 14
KEEP_MONTHLY = 12


@dataclass(frozen=True, slots=True)
class BackupMade:
    path: Path
    anchor_path: Path
    head_seq: int


@dataclass(frozen=True, slots=True)
class BackupCheck:
    path: Path
    ok: bool
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RestoreDone:
    replaced_copy: Path | None
    verification: AuditVerification
    anchor_problem: str | None


def keep_after_rotation(days: Iterable[tuple[date, Path]]) -> set[Path]:
    """Which daily backups to keep: the newest of each of the last KEEP_DAILY days that
    have one, and the newest of each of the last KEEP_MONTHLY months."""
    ordered = sorted(days, key=lambda item: (item[0], item[1].name), reverse=True)
    keep: set[Path] = set()
    days_seen: list[date] = []
    months_seen: list[tuple[int, int]] = []
    for day, path in ordered:
        if day not in days_seen:
            days_seen.append(day)
            if len(days_seen) <= KEEP_DAILY:
                keep.add(path)
        month = (day.year, day.month)
        if month not in months_seen:
            months_seen.append(month)
            if len(months_seen) <= KEEP_MONTHLY:
                keep.add(path)
    return keep


class BackupService:
    """Run by the command line (any time) and by the app at start (the daily copy)."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        location: DatabaseLocation,
        folder: Path,
        witness: ChainWitness,
        clock: Clock,
        clinic_name: Callable[[], str],
    ) -> None:
        self._units = units
        self._location = location
        self.folder = folder
        self._witness = witness
        self._clock = clock
        self._clinic_name = clinic_name
        self._daily: threading.Thread | None = None

    # --- create -------------------------------------------------------------------

    def _name(self, label: str) -> Path:
        path = self._location.sqlite_path
        stem = path.stem if path else (self._location.url.database or "clinic")
        suffix = SQLITE_SUFFIX if self._location.is_sqlite else DUMP_SUFFIX
        return free_name(self.folder, f"{stem}.{label}.{stamp(self._clock())}", suffix)

    def create(self, target: Path | None = None, *, label: str = "manual") -> BackupMade:
        """A verified backup at `target` (default: a new file in the backup folder), its
        anchor beside it, and an audit entry saying so."""
        target = target if target is not None else self._name(label)
        if target.exists():
            raise ClinicDeskError(f"{target} exists already; choose a new file name.")
        anchor = self._witness.anchor(self._clinic_name())
        source = self._location.sqlite_path
        if source is not None:
            copy_sqlite(source, target)
        elif self._location.is_sqlite:
            raise ClinicDeskError("A database in memory cannot be backed up.")
        else:
            dump_postgresql(self._location.url, target)
        anchor_path = anchor_path_for(target)
        write_anchor(anchor_path, anchor)
        self._record("backup.created", f"{label} backup holding entries up to {anchor.head.seq}")
        return BackupMade(target, anchor_path, anchor.head.seq)

    def _record(self, action: str, detail: str, outcome: str = "success") -> None:
        with self._units(write=True) as uow:
            uow.audit.append(
                AuditEvent(action, "database", outcome=outcome, detail=detail), at=self._clock()
            )
            uow.commit()

    # --- verify -------------------------------------------------------------------

    def verify(self, path: Path) -> BackupCheck:
        """Is the file a sound backup, and does its audit log hold (with its anchor)?"""
        anchor = self._anchor_beside(path)
        if path.suffix == DUMP_SUFFIX or not self._looks_like_sqlite(path):
            entries = list_postgresql_dump(path)
            return BackupCheck(
                path,
                True,
                (
                    f"PostgreSQL backup readable: {len(entries)} tables of data.",
                    "Its audit log is checked when it is restored (clinic-desk backup restore).",
                ),
            )
        counts = check_sqlite_file(path)
        lines = [f"Integrity check passed; {sum(counts.values())} rows in {len(counts)} tables."]
        location = parse_location(f"sqlite:///{path}")
        engine = create_clinic_engine(location, read_only=True)
        try:
            state = read_schema_state(engine, location)
            if not state.up_to_date:
                lines.append(
                    f"Schema {state.current} (this version: {state.head}): its audit log is "
                    "checked when it is restored and upgraded."
                )
                return BackupCheck(path, True, tuple(lines))
            units = UnitOfWorkFactory(engine, location, workstation=self._units.workstation)
            verification = verify_audit_log(units)
            lines.append(verification.summary())
            anchor_problem = None
            if anchor is not None:
                anchor_problem = check_anchor(units, anchor)
                lines.append(
                    f"Anchor {anchor_path_for(path).name}: "
                    + (anchor_problem or f"entry {anchor.head.seq} holds.")
                )
            else:
                lines.append("No anchor file beside this backup.")
        finally:
            engine.dispose()
        return BackupCheck(path, verification.ok and anchor_problem is None, tuple(lines))

    @staticmethod
    def _looks_like_sqlite(path: Path) -> bool:
        try:
            with path.open("rb") as f:
                return f.read(16) == b"SQLite format 3\x00"
        except OSError:
            return False

    @staticmethod
    def _anchor_beside(path: Path) -> Anchor | None:
        anchor_path = anchor_path_for(path)
        return read_anchor(anchor_path) if anchor_path.exists() else None

    # --- restore ------------------------------------------------------------------

    def restore(self, path: Path, *, force: bool) -> RestoreDone:
        """Replace the database with the backup. Refuses a database that holds anything
        unless `force`; keeps a copy of what it replaces; checks the chain after."""
        if not path.is_file():
            raise ClinicDeskError(f"There is no backup file at {path}.")
        anchor = self._anchor_beside(path)
        if self._location.is_sqlite:
            check_sqlite_file(path)
        else:
            list_postgresql_dump(path)
        with self._units() as uow:
            replaced_head = uow.audit.head_seq()
        if replaced_head > 0 and not force:
            raise ClinicDeskError(
                f"{self._location.describe()} is not empty ({replaced_head} audit entries). "
                "Restoring would replace everything in it; add --force to do so (a copy of "
                "it is kept first)."
            )
        replaced_copy = None
        engine = self._units.engine
        source = self._location.sqlite_path
        if replaced_head > 0:
            if source is not None:
                replaced_copy = backup_sqlite(source, self.folder, label="before-restore")
            else:
                replaced_copy = self._name("before-restore")
                dump_postgresql(self._location.url, replaced_copy)
        engine.dispose()
        if source is not None:
            restore_sqlite(path, source)
        else:
            restore_postgresql(self._location.url, path)
        engine.dispose()
        upgrade_schema(engine, self._location, backup_dir=self.folder)
        # Done on purpose here: this workstation's witness now expects the restored log
        # (before anything is appended to it, which would otherwise raise a dispute).
        self._witness.reset_after_restore()
        anchor_problem = (
            check_anchor(self._units, anchor) if anchor is not None else None
        )
        verification = verify_audit_log(self._units)
        self._record(
            "backup.restored",
            f"restored a backup holding entries up to {anchor.head.seq if anchor else '?'}; "
            f"the database replaced held {replaced_head}",
            outcome="success" if verification.ok and anchor_problem is None else "failed",
        )
        return RestoreDone(replaced_copy, verification, anchor_problem)

    # --- the daily copy -------------------------------------------------------------

    def daily_backups(self) -> list[tuple[date, Path]]:
        found: list[tuple[date, Path]] = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob(f"*.{DAILY_LABEL}.*{SQLITE_SUFFIX}"):
            try:
                taken = datetime.strptime(path.name.split(".")[-2][:16], "%Y%m%dT%H%M%SZ")
            except ValueError:
                continue
            found.append((taken.replace(tzinfo=UTC).date(), path))
        return found

    def daily_if_due(self) -> BackupMade | None:
        """Today's automatic backup if there is none yet, then the rotation."""
        today = self._clock().astimezone(UTC).date()
        if any(day == today for day, _ in self.daily_backups()):
            return None
        made = self.create(label=DAILY_LABEL)
        keep = keep_after_rotation(self.daily_backups())
        for _, path in self.daily_backups():
            if path not in keep:
                path.unlink(missing_ok=True)
                anchor_path_for(path).unlink(missing_ok=True)
        return made

    def start_daily(self) -> None:
        """The daily backup on a thread of its own (never the UI thread); a failure is
        recorded in the audit log, where the administrator sees it."""

        def run() -> None:
            try:
                self.daily_if_due()
            except (ClinicDeskError, OSError) as exc:
                with contextlib.suppress(ClinicDeskError, SQLAlchemyError):
                    self._record("backup.created", f"daily backup failed: {exc}"[:300], "failed")

        self._daily = threading.Thread(target=run, name="clinic-desk-daily-backup")
        self._daily.start()

    def wait_for_daily(self, timeout: float | None = None) -> None:
        if self._daily is not None:
            self._daily.join(timeout)


__all__ = ["BackupService", "keep_after_rotation"]
