"""Where the database lives: URL resolution and the network-share check for SQLite.

SQLAlchemy is imported when a URL is parsed, not with this module: the sign-in window
reads the data folder's settings before SQLAlchemy is loaded (start-up time).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk.domain.errors import DatabaseProblem

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV_DATABASE_URL = "CLINIC_DESK_DATABASE_URL"
DEFAULT_FILE_NAME = "clinic-desk.sqlite3"

# File systems on which SQLite's locking cannot be trusted.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.cephfs",
        "fuse.rclone",
        "fuse.s3fs",
        "davfs",
        "fuse.davfs2",
        "lustre",
        "gpfs",
        "ocfs2",
        "beegfs",
    }
)


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        """For the status bar and messages; never shows a password."""
        if self.is_sqlite:
            path = self.sqlite_path
            return f"SQLite file {path}" if path else "SQLite in memory"
        host = self.url.host or "local socket"
        port = f":{self.url.port}" if self.url.port else ""
        return f"PostgreSQL {self.url.database or ''} on {host}{port}"


def default_sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DEFAULT_FILE_NAME}"


def resolve_location(
    cli_url: str | None, environ: Mapping[str, str], data_dir: Path
) -> DatabaseLocation:
    """`--database` wins over CLINIC_DESK_DATABASE_URL, which wins over the default file.

    An empty `--database ''` is a mistake (a variable that was not set), never a request
    for the default file; an empty environment variable counts as not set.
    """
    if cli_url is not None:
        if not cli_url.strip():
            raise DatabaseProblem(
                "--database was given an empty URL. Use sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/DATABASE, or leave --database out."
            )
        return parse_location(cli_url)
    return parse_location(environ.get(ENV_DATABASE_URL) or default_sqlite_url(data_dir))


def parse_location(raw: str) -> DatabaseLocation:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise DatabaseProblem(
            f"“{raw}” is not a database URL. Use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DATABASE."
        ) from None
    except ValueError as exc:  # a port that is not a number, and the like
        raise DatabaseProblem(
            f"“{_without_password(raw)}” is not a valid database URL ({exc})."
        ) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise DatabaseProblem("The PostgreSQL URL names no database: add /DATABASE at its end.")
    elif backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            url = url.set(drivername="sqlite")
        if not url.database:
            raise DatabaseProblem("The SQLite URL names no file: use sqlite:///PATH.")
        if url.database != ":memory:":
            url = url.set(database=str(Path(url.database).expanduser().absolute()))
    else:
        raise DatabaseProblem(f"Clinic Desk works with SQLite or PostgreSQL, not “{backend}”.")
    return DatabaseLocation(url)


def _without_password(raw: str) -> str:
    """The URL as typed, with any password between "user:" and "@" masked."""
    head, sep, rest = raw.partition("://")
    if not sep or "@" not in rest:
        return raw
    credentials, _, tail = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{head}://{user}{':***' if colon else ''}@{tail}"


def _mount_for(path: Path, mounts_text: str) -> tuple[str, str] | None:
    """The (mount point, file system type) that holds `path`, from /proc/mounts text."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        fs_type = parts[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > len(best[0])):
            best = (mount_point, fs_type)
    return best


def network_file_system_of(path: Path, *, mounts_text: str | None = None) -> str | None:
    """The network file system's type if `path` is on one, else None."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "network share"
    if sys.platform == "win32" and mounts_text is None:
        return _windows_remote_drive(path)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    resolved = path.resolve() if path.exists() else path.parent.resolve() / path.name
    found = _mount_for(resolved, mounts_text)
    if found and (found[1] in NETWORK_FILE_SYSTEMS or found[1].startswith("nfs")):
        return found[1]
    return None


def _windows_remote_drive(path: Path) -> str | None:  # pragma: no cover - Windows only
    import ctypes

    drive = path.resolve().drive
    if not drive:
        return None
    drive_remote = 4
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if kernel32.GetDriveTypeW(drive + "\\") == drive_remote:
        return "network drive"
    return None


def refuse_network_share(path: Path, *, mounts_text: str | None = None) -> None:
    fs = network_file_system_of(path, mounts_text=mounts_text)
    if fs:
        raise DatabaseProblem(
            f"The database file {path} is on a network file system ({fs}). SQLite cannot "
            "lock files reliably there and records could be lost. For several "
            "workstations, use a PostgreSQL server: --database postgresql+psycopg://…"
        )
