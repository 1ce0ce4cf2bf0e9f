"""The clinic's name as this workstation last saw it, so that the sign-in window can show
it before the database is open (start-up time).

One small JSON file in the data folder (beside the witnesses), private like the rest of
it, written whenever the clinic's profile is read at start. It holds one entry per
database, keyed by a hash of the database as it was named on the command line or in the
environment (never the URL itself: it may hold a password). The name is only a first
guess: the sign-in window corrects it once the database is open. Imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from clinic_desk.storage.private_files import private_folder, write_private

FILE_NAME = "last-seen-clinic.json"
# The default database of the data folder (no --database, no environment variable).
DEFAULT_DATABASE_KEY = "default"


@dataclass(frozen=True, slots=True)
class LastSeenClinic:
    name: str
    is_demo: bool = False


def database_key(named_as: str | None) -> str:
    """The key of a database named as `named_as` (None: the data folder's default)."""
    if named_as is None:
        return DEFAULT_DATABASE_KEY
    return hashlib.sha256(named_as.strip().encode()).hexdigest()[:32]


def read_last_seen(data_dir: Path, key: str) -> LastSeenClinic | None:
    """What was written for `key`; None when nothing (readable) was."""
    try:
        entries = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
        entry = entries[key]
        name, is_demo = entry["name"], entry.get("is_demo", False)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(name, str) or not isinstance(is_demo, bool):
        return None
    return LastSeenClinic(name[:200], is_demo)


def write_last_seen(data_dir: Path, key: str, clinic: LastSeenClinic | None) -> None:
    """Records (or, with None, forgets) the clinic seen for `key`. A cache: a file that
    cannot be written costs the next start its first guess, nothing else."""
    path = data_dir / FILE_NAME
    entries: dict[str, object] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            entries = loaded
    if clinic is None:
        if entries.pop(key, None) is None:
            return
    else:
        entry = {"name": clinic.name, "is_demo": clinic.is_demo}
        if entries.get(key) == entry:
            return
        entries[key] = entry
    with contextlib.suppress(OSError):
        private_folder(data_dir)
        write_private(path, json.dumps(entries, ensure_ascii=False, indent=1).encode(),
                      durable=False)
