"""Runs the real `clinic-desk` command in a child process, isolated in tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.support import CliResult, CliRunner, installed_command


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINIC_DESK_")}
    env["CLINIC_DESK_DATA_DIR"] = str(tmp_path / "user-data")
    env["CLINIC_DESK_WORKSTATION"] = "cli-test"
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture
def run_cli(tmp_path: Path, cli_env: dict[str, str]) -> CliRunner:
    """`run_cli("--database", url, "demo")`: the installed `clinic-desk` command, run in
    tmp_path so that the installed package is imported, never the source tree."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> CliResult:
        done = subprocess.run(
            [installed_command(), *args],
            cwd=tmp_path,
            env=cli_env if env is None else env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run
