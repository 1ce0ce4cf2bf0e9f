"""Settings for one run of Clinic Desk: where the data is and who this workstation is."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from clinic_desk.storage.location import ENV_DATABASE_URL, DatabaseLocation, resolve_location

APP_NAME = "Clinic Desk"
APP_AUTHOR = "Clinic Desk"
ENV_WORKSTATION = "CLINIC_DESK_WORKSTATION"
ENV_DATA_DIR = "CLINIC_DESK_DATA_DIR"


@dataclass(frozen=True, slots=True)
class Settings:
    location: DatabaseLocation
    data_dir: Path
    workstation: str
    # True when neither --database nor the environment chose the database: the daily
    # automatic backup is for this default file.
    database_is_default: bool = False

    @property
    def backup_dir(self) -> Path:
        path = self.location.sqlite_path
        return (path.parent if path else self.data_dir) / "backups"


def load_settings(cli_database_url: str | None, environ: Mapping[str, str]) -> Settings:
    data_dir = Path(environ.get(ENV_DATA_DIR) or platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    location = resolve_location(cli_database_url, environ, data_dir)
    workstation = (environ.get(ENV_WORKSTATION) or socket.gethostname() or "workstation")[:128]
    is_default = cli_database_url is None and not environ.get(ENV_DATABASE_URL)
    return Settings(
        location=location,
        data_dir=data_dir,
        workstation=workstation,
        database_is_default=is_default,
    )


def process_environment() -> Mapping[str, str]:
    return os.environ
