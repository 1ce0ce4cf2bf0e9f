"""Backups a clinic can trust: verified copies of a SQLite database (SQLite's online
backup API) and custom-format dumps of a PostgreSQL one (`pg_dump`), restored the same
way. Every file is created readable by its owner only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL

from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage.private_files import PRIVATE_FILE, private_folder

SQLITE_SUFFIX = ".sqlite3"
DUMP_SUFFIX = ".dump"
ANCHOR_SUFFIX = ".anchor.json"


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    target = folder / f"{stem}{suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{stem}-{counter}{suffix}"
    return target


def _new_private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)


def anchor_path_for(backup: Path) -> Path:
    return backup.with_name(backup.name + ANCHOR_SUFFIX)


@dataclass(frozen=True, slots=True)
class SqliteCopy:
    path: Path
    table_counts: dict[str, int]


def copy_sqlite(source: Path, target: Path) -> SqliteCopy:
    """Copy `source` to the new file `target` while the database may be in use, then
    prove the copy sound: `PRAGMA integrity_check` and the same row count in every
    table. On any doubt the copy is removed and DatabaseProblem raised."""
    private_folder(target.parent)
    _new_private_file(target)
    try:
        with (
            closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            # One read transaction on the source: the counts are of the state copied.
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            src.backup(dst)
            dst.commit()
            # The copy stands alone: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchall()
            counts = _table_counts(dst)
            same = _table_counts(src) == counts
            src.rollback()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise DatabaseProblem(f"Could not copy {source}: {exc}.") from None
    if check != [("ok",)] or not same:
        target.unlink(missing_ok=True)
        raise DatabaseProblem(
            f"The copy of {source} could not be verified (integrity check or row counts), "
            "so it was removed. Free some disk space or check the disk, then try again."
        )
    return SqliteCopy(target, counts)


def backup_sqlite(source: Path, target_dir: Path, *, label: str) -> Path:
    """A verified copy of `source` in `target_dir`, named after it, the label and the time."""
    private_folder(target_dir)
    target = free_name(target_dir, f"{source.stem}.{label}.{stamp()}", SQLITE_SUFFIX)
    try:
        return copy_sqlite(source, target).path
    except DatabaseProblem:
        raise DatabaseProblem(
            f"The safety copy of {source} could not be verified, so the database was not "
            "changed. Free some disk space or check the disk, then start again."
        ) from None


def check_sqlite_file(path: Path) -> dict[str, int]:
    """Open a backup read-only, run the integrity check; its tables' row counts."""
    if not path.is_file():
        raise DatabaseProblem(f"There is no backup file at {path}.")
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            counts = _table_counts(conn)
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"{path} is not a readable SQLite backup ({exc}).") from None
    if check != [("ok",)]:
        problems = "; ".join(str(r[0]) for r in check[:3])
        raise DatabaseProblem(f"{path} is damaged: {problems}.")
    return counts


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database at `target` by the backup's content (SQLite's backup API in
    the other direction: it takes the write lock and keeps -wal and -shm consistent)."""
    if not target.exists():
        private_folder(target.parent)
        _new_private_file(target)
    try:
        with (
            closing(sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(target, timeout=5)) as dst,
        ):
            src.backup(dst)
            dst.commit()
            check = dst.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"Could not restore into {target}: {exc}.") from None
    if check != [("ok",)]:
        raise DatabaseProblem(f"{target} did not pass the integrity check after the restore.")


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseProblem(
            f"PostgreSQL's {name} is not installed on this computer, so Clinic Desk cannot "
            f"back up or restore a PostgreSQL database here. Install the PostgreSQL client "
            f"tools (Debian/Ubuntu: apt-get install postgresql-client) or run it on the "
            "database server."
        )
    return found


def _pg_env(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, which goes in PGPASSWORD."""
    plain = url.set(drivername="postgresql")
    env = dict(os.environ)
    if plain.password:
        env["PGPASSWORD"] = str(plain.password)
        plain = plain.set(password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=3600, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DatabaseProblem(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        raise DatabaseProblem(f"{what} failed: {lines[0] if lines else done.returncode}")


def dump_postgresql(url: URL, target: Path) -> None:
    """`pg_dump --format=custom` of the database into the new private file `target`."""
    tool = _pg_tool("pg_dump")
    private_folder(target.parent)
    _new_private_file(target)
    conninfo, env = _pg_env(url)
    try:
        _run([tool, "--format=custom", "--no-owner", "--file", str(target), conninfo], env,
             "pg_dump")
        list_postgresql_dump(target)
    except DatabaseProblem:
        target.unlink(missing_ok=True)
        raise


def list_postgresql_dump(path: Path) -> list[str]:
    """The table-data entries of a custom-format dump (`pg_restore --list`); proves the
    archive is complete and readable."""
    tool = _pg_tool("pg_restore")
    if not path.is_file():
        raise DatabaseProblem(f"There is no backup file at {path}.")
    done = subprocess.run(
        [tool, "--list", str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise DatabaseProblem(f"{path} is not a readable PostgreSQL backup.")
    return [ln for ln in done.stdout.splitlines() if " TABLE DATA " in ln]


def restore_postgresql(url: URL, backup: Path) -> None:
    """Replace the schema and data by the dump's, in one transaction (run as the owner)."""
    tool = _pg_tool("pg_restore")
    conninfo, env = _pg_env(url)
    _run(
        [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--exit-on-error", "--dbname", conninfo, str(backup)],
        env,
        "pg_restore",
    )
