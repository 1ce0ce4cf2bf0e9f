"""Helpers for the command-line tests: results, file fingerprints, an intruder's shell."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_line(self) -> str:
        """The one error line; fails the test if stderr holds anything else."""
        lines = self.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got: {self.stderr!r}"
        assert lines[0].startswith("clinic-desk: error: "), lines[0]
        return lines[0]


CliRunner = Callable[..., CliResult]


def installed_command() -> str:
    """The `clinic-desk` command that pip installed next to this interpreter (the venv's
    bin folder): what a user runs, with its entry point, not `python -m` on a checkout."""
    folder = Path(sys.executable).parent
    for name in ("clinic-desk", "clinic-desk.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    raise AssertionError(f"no clinic-desk command next to {sys.executable}: pip install first")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def sqlite_cli(path: Path, sql: str) -> str:
    """The `sqlite3` shell, as an intruder with file access would use it."""
    done = subprocess.run(
        ["sqlite3", str(path)], input=sql, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def sqlite_value(path: Path, sql: str) -> object:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchone()[0]


def demo_passwords(stdout: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+)\s+\S+\s+password: (\S+)", stdout, flags=re.MULTILINE))
