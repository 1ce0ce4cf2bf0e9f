"""A throwaway PostgreSQL cluster for one test session.

When `CLINIC_DESK_TEST_PG` names no server, the tests start their own: `initdb` into a
temporary folder, a server that listens only on a Unix socket in that folder (no TCP
port, so two sessions on one machine never collide), stopped and deleted at the end.
The cluster's superuser is `postgres` with trust authentication on that socket, which
only processes of this machine that can enter the folder can reach.

PostgreSQL refuses to run as root (CI runs as root): then `initdb` and the server run
as the `postgres` user (or `nobody`) through `runuser`, in a folder that user owns.

A fixture of our own rather than pytest-postgresql: that plugin starts `pg_ctl` as the
current user (so it cannot work as root), listens on TCP, and would be one more
dependency for about a hundred lines.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_TEST_PG = "CLINIC_DESK_TEST_PG"
ENV_PG_BIN = "CLINIC_DESK_TEST_PG_BIN"
START_TIMEOUT_S = 60
DEBIAN_ROOT = Path("/usr/lib/postgresql")  # one folder per major version: 15/bin, 16/bin
# The number in the socket's name (.s.PGSQL.<port>): said explicitly in the URL too, so
# that no default decides it. Debian's pg_wrapper (pg_dump in `backup create`) otherwise
# sets PGPORT to the system cluster's port, which may be 5433 or anything.
SOCKET_PORT = 5432


class NoPostgreSQL(Exception):
    """No PostgreSQL server programs on this machine; the message says what to install."""


def find_bin_dir() -> Path:
    """The folder holding `initdb`, `pg_ctl` and `postgres`: $CLINIC_DESK_TEST_PG_BIN,
    else the newest `/usr/lib/postgresql/N/bin` (Debian, Ubuntu), else `initdb` on PATH."""
    candidates: list[Path] = []
    if os.environ.get(ENV_PG_BIN):
        candidates.append(Path(os.environ[ENV_PG_BIN]))
    if DEBIAN_ROOT.is_dir():
        versions = [p for p in DEBIAN_ROOT.iterdir() if re.fullmatch(r"\d+(\.\d+)?", p.name)]
        versions.sort(key=lambda p: float(p.name), reverse=True)
        candidates += [p / "bin" for p in versions]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise NoPostgreSQL(
        "no PostgreSQL server programs (initdb, pg_ctl) found: install the `postgresql` "
        f"package, set {ENV_PG_BIN} to their folder, or set {ENV_TEST_PG} to a server's "
        "superuser URL"
    )


def _server_user() -> str | None:
    """Who runs the server: None for the current user, else a user that is not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise NoPostgreSQL("running as root and no `postgres` or `nobody` user to run PostgreSQL")


def _runuser() -> str:
    """util-linux's runuser, also when /usr/sbin is not on PATH."""
    found = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).is_file()), None
    )
    if found is None:
        raise NoPostgreSQL("running as root and no `runuser` (util-linux) to run PostgreSQL")
    return found


@dataclass
class ThrowawayCluster:
    """`start()` it, use `admin_url`, `stop()` it (which also deletes its folder)."""

    bin_dir: Path
    root: Path | None = None
    user: str | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None, "the cluster is not started"
        return self.root

    @property
    def admin_url(self) -> str:
        """libpq URL of the superuser's `postgres` database, over the Unix socket."""
        return f"postgresql://postgres@/postgres?host={self.socket_dir}&port={SOCKET_PORT}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = [_runuser(), "-u", self.user, "--"] if self.user else []
        return subprocess.run(
            [*prefix, *command],
            capture_output=True,
            text=True,
            check=False,
            timeout=START_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            # `runuser` keeps the environment; the server must not inherit a stray PGDATA.
            env={k: v for k, v in os.environ.items() if not k.startswith("PG")}
            | {"LC_ALL": "C"},
        )

    def start(self) -> None:
        self.user = _server_user()
        # /tmp rather than $TMPDIR: a server user must be able to reach the folder, and a
        # socket path must stay under ~100 characters.
        parent = "/tmp" if Path("/tmp").is_dir() else None
        self.root = Path(tempfile.mkdtemp(prefix="clinic-desk-pg-", dir=parent))
        if self.user is not None:
            shutil.chown(self.root, user=self.user)
        data, log = self.root / "data", self.root / "server.log"
        done = self._run(
            str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        )
        if done.returncode != 0:
            self._remove()
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        # No TCP at all; durability is not needed for tests (fsync off makes them faster).
        options = (
            f"-c listen_addresses='' -k {self.root} -p {SOCKET_PORT} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        done = self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
            "-w", "-t", str(START_TIMEOUT_S), "start",
        )
        if done.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()}\n{server_log}")

    def stop(self) -> None:
        if self.root is None:
            return
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                      "-w", "stop")
        self._remove()

    def _remove(self) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
