"""Files only their owner may read: the database, its -wal and -shm, the data folder,
backups, witnesses and anchors (0600 files, 0700 folders on POSIX, whatever the umask).

On Windows the user's profile folders are private already and modes mean little, so
these functions only create what is missing there.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_POSIX = sys.platform != "win32"


def private_folder(path: Path) -> Path:
    """Create `path` (and missing parents) readable by the owner only; tighten it if it
    exists and is ours. Returns the path."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_FOLDER)
        _chmod(folder, PRIVATE_FOLDER)
    if path not in missing:
        tighten(path, PRIVATE_FOLDER)
    return path


def tighten(path: Path, mode: int = PRIVATE_FILE) -> str | None:
    """Take group and other permissions off `path` if it is ours; returns a sentence for
    the user when it was readable by others and could not be tightened, else None."""
    if not _POSIX:
        return None
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return None
    if info.st_uid == os.geteuid():
        try:
            path.chmod(stat.S_IMODE(info.st_mode) & ~(stat.S_IRWXG | stat.S_IRWXO) | mode & 0o700)
            return None
        except OSError:
            pass
    return (
        f"{path} can be read by other users of this computer; only its owner should "
        f"(run: chmod {mode:o} '{path}')."
    )


def tighten_database_files(path: Path) -> list[str]:
    """The SQLite file, its -wal, -shm and -journal: owner only. Returns warnings."""
    warnings = []
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        warning = tighten(candidate)
        if warning:
            warnings.append(warning)
    return warnings


def write_private(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` atomically (a temporary file renamed over it), mode 0600;
    `durable` also waits until it is on the disk."""
    private_folder(path.parent)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        _chmod(Path(temp), PRIVATE_FILE)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """While inside, new files are created 0600 and folders 0700 (the process umask is
    process-wide: used around SQLite opening its -wal and -shm files)."""
    if not _POSIX:
        yield
        return
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _chmod(path: Path, mode: int) -> None:
    if _POSIX:
        with contextlib.suppress(OSError):
            path.chmod(mode)
