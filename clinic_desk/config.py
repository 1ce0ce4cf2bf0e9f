"""Settings for one run of Clinic Desk: where the data is and who this workstation is."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from clinic_desk.storage.location import ENV_DATABASE_URL, DatabaseLocation, resolve_location

APP_NAME = "Clinic Desk"
APP_AUTHOR = "Clinic Desk"
ENV_WORKSTATION = "CLINIC_DESK_WORKSTATION"
ENV_DATA_DIR = "CLINIC_DESK_DATA_DIR"
# Where this workstation keeps the clinic's private signing key (documents/signing_keys.py).
ENV_SIGNING_KEY_DIR = "CLINIC_DESK_SIGNING_KEY_DIR"


@dataclass(frozen=True, slots=True)
class Settings:
    location: DatabaseLocation
    data_dir: Path
    workstation: str
    # True when neither --database nor the environment chose the database: the daily
    # automatic backup is for this default file.
    database_is_default: bool = False
    # The folder of this workstation's signing key; None: the user's configuration folder.
    signing_key_dir: Path | None = None

    @property
    def backup_dir(self) -> Path:
        path = self.location.sqlite_path
        return (path.parent if path else self.data_dir) / "backups"


def user_data_dir(environ: Mapping[str, str]) -> Path:
    """The per-user data folder platformdirs gives for Clinic Desk. On Linux it is the XDG
    rule, worked out here: importing platformdirs costs a noticeable part of start-up."""
    if sys.platform.startswith("linux"):
        base = environ.get("XDG_DATA_HOME", "").strip()
        return (Path(base) if base else Path.home() / ".local" / "share") / APP_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def load_settings(cli_database_url: str | None, environ: Mapping[str, str]) -> Settings:
    data_dir = Path(environ.get(ENV_DATA_DIR) or user_data_dir(environ))
    location = resolve_location(cli_database_url, environ, data_dir)
    workstation = (environ.get(ENV_WORKSTATION) or socket.gethostname() or "workstation")[:128]
    is_default = cli_database_url is None and not environ.get(ENV_DATABASE_URL)
    key_dir = environ.get(ENV_SIGNING_KEY_DIR)
    return Settings(
        location=location,
        data_dir=data_dir,
        workstation=workstation,
        database_is_default=is_default,
        signing_key_dir=Path(key_dir) if key_dir else None,
    )


def process_environment() -> Mapping[str, str]:
    return os.environ
