"""The command line itself: version, help, usage errors and where the database is."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from clinic_desk import __version__
from tests.cli.support import CliRunner, installed_command


def test_version_prints_the_package_version(run_cli: CliRunner) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"clinic-desk {__version__}"


def test_help_lists_every_command(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("--database", "demo", "db", "audit", "CLINIC_DESK_DATABASE_URL"):
        assert word in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["db"], "required: DB_COMMAND"),
        (["db", "downgrade"], "invalid choice: 'downgrade'"),
        (["audit"], "required: AUDIT_COMMAND"),
        (["demo", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["--database"], "expected one argument"),
    ],
)
def test_usage_errors_give_one_line_and_exit_2(
    run_cli: CliRunner, args: list[str], complaint: str
) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert complaint in result.error_line
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://clinic@db/clinic", "not “mysql”"),
        ("postgresql+psycopg://clinic@db", "names no database"),
    ],
)
def test_a_bad_database_url_is_a_usage_error(
    run_cli: CliRunner, tmp_path: Path, url: str, complaint: str
) -> None:
    result = run_cli("--database", url, "audit", "verify")
    assert result.returncode == 2
    assert complaint in result.error_line
    assert not (tmp_path / "user-data").exists()


def test_a_bad_url_in_the_environment_is_reported_too(
    run_cli: CliRunner, cli_env: dict[str, str]
) -> None:
    env = cli_env | {"CLINIC_DESK_DATABASE_URL": "oracle://x/y"}
    result = run_cli("db", "upgrade", env=env)
    assert result.returncode == 2
    assert "not “oracle”" in result.error_line


def test_without_database_option_the_default_file_is_in_the_data_folder(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    result = run_cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "user-data" / "clinic-desk.sqlite3").is_file()


def test_the_environment_variable_chooses_the_database(
    run_cli: CliRunner, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = cli_env | {"CLINIC_DESK_DATABASE_URL": f"sqlite:///{tmp_path / 'from-env.sqlite3'}"}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    assert (tmp_path / "from-env.sqlite3").is_file()
    # The data folder holds this workstation's witness of the audit log, not the database.
    assert not (tmp_path / "user-data" / "clinic-desk.sqlite3").exists()


def test_the_database_option_wins_over_the_environment(
    run_cli: CliRunner, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = cli_env | {"CLINIC_DESK_DATABASE_URL": f"sqlite:///{tmp_path / 'from-env.sqlite3'}"}
    result = run_cli(
        "--database", f"sqlite:///{tmp_path / 'option.sqlite3'}", "db", "upgrade", env=env
    )
    assert result.returncode == 0
    assert (tmp_path / "option.sqlite3").is_file()
    assert not (tmp_path / "from-env.sqlite3").exists()


def test_commands_other_than_the_gui_never_load_qt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    probe = (
        "import sys\n"
        "from clinic_desk.cli import main\n"
        f"codes = [main(['--database', {url!r}, 'db', 'upgrade']),\n"
        f"         main(['--database', {url!r}, 'audit', 'verify'])]\n"
        "assert codes == [0, 0], codes\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_without_a_command_the_gui_starts_on_the_chosen_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import clinic_desk.app
    from clinic_desk.cli import main
    from clinic_desk.config import Settings

    started: list[Settings] = []

    def fake_start_gui(settings: Settings) -> int:
        started.append(settings)
        return 7

    monkeypatch.setattr(clinic_desk.app, "start_gui", fake_start_gui, raising=False)
    monkeypatch.setenv("CLINIC_DESK_DATA_DIR", str(tmp_path))
    path = tmp_path / "gui.sqlite3"
    assert main(["--database", f"sqlite:///{path}"]) == 7
    assert [s.location.sqlite_path for s in started] == [path]


def _run_with_stdout_closed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Runs the installed command with a stdout pipe whose reader has already left (as
    `clinic-desk … | head -1` once head has its line); returns (exit status, stderr)."""
    with subprocess.Popen(
        [installed_command(), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdout is not None
        child.stdout.close()  # nobody reads what it prints
        _, errors = child.communicate(timeout=120)
    return child.returncode, errors.decode()


def test_demo_piped_into_a_reader_that_leaves_is_silent_and_complete(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    database = tmp_path / "demo.sqlite3"
    code, errors = _run_with_stdout_closed(
        ["--database", f"sqlite:///{database}", "demo"], cli_env, tmp_path
    )
    assert (code, errors) == (0, "")
    # The demo is still complete: one account per role.
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT count(*) FROM staff_account").fetchone() == (3,)


@pytest.mark.parametrize(
    "verb",
    [
        ["--help"],
        ["--version"],
        ["demo", "--help"],
        ["demo"],
        ["db", "upgrade"],
        ["audit", "verify"],
        ["audit", "list", "--patient", "1"],
        ["audit", "list", "--patient", "1", "--json"],
        ["status"],
        ["backup", "--help"],
    ],
    ids=lambda verb: "-".join(verb),
)
def test_every_verb_is_silent_when_its_reader_leaves(
    run_cli: CliRunner, tmp_path: Path, cli_env: dict[str, str], verb: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert run_cli("--database", url, "demo", "--patients", "1").returncode == 0
    # Said in full to a reader that stays, so the verb does print something.
    assert run_cli("--database", url, *verb).stdout != ""
    assert _run_with_stdout_closed(["--database", url, *verb], cli_env, tmp_path) == (0, "")


def test_a_shell_pipe_into_head_gets_the_first_line_only(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    done = subprocess.run(
        ["sh", "-c", '"$0" --database "$1" demo --patients 20 | head -1; '
                     '"$0" --database "$1" audit list --patient 1 | head -1',
         installed_command(), url],
        cwd=tmp_path, env=cli_env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    first, second = done.stdout.splitlines()
    assert first.startswith("Created the Clinic Desk schema")
    assert second.startswith("Access to patient P-000001:")
