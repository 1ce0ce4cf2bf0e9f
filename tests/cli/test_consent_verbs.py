"""`consent list`, `print consent` and `consent verify`: a saved PDF matches, an edited
copy, another clinic's PDF, a consent not in this database and a file that is not a PDF
each get one clear line and a non-zero exit."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from clinic_desk.app import ClinicDesk
from tests.cli.support import CliRunner
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock
from tests.helpers.consent_service import consent_clinic, sign


def _clinic(folder: Path, clock: FakeClock, consents: int) -> str:
    """A SQLite clinic in `folder` with `consents` signed consents; its key is kept in
    folder/signing-key (tests/conftest.settings_for)."""
    folder.mkdir(exist_ok=True)
    url = f"sqlite:///{folder / 'clinic.sqlite3'}"
    core: ClinicDesk = open_core(url, folder, clock)
    try:
        setup = consent_clinic(core)
        for _ in range(consents):
            sign(core, setup)
            clock.advance(timedelta(minutes=5))
    finally:
        core.close()
    return url


@pytest.fixture
def clinic_url(tmp_path: Path, clock: FakeClock) -> str:
    return _clinic(tmp_path / "ours", clock, consents=2)


def _env(cli_env: dict[str, str], folder: Path) -> dict[str, str]:
    return cli_env | {"CLINIC_DESK_SIGNING_KEY_DIR": str(folder / "signing-key")}


def test_list_as_json_and_as_text(
    run_cli: CliRunner, clinic_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = _env(cli_env, tmp_path / "ours")
    result = run_cli("--database", clinic_url, "consent", "list", "--json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["id"], r["status"]) for r in rows] == [(2, "signed"), (1, "superseded")]
    assert rows[0]["template"] == "microneedling" and rows[0]["version"] == 1
    assert rows[0]["patient_id"] == 1 and len(rows[0]["hash"]) == 64
    text = run_cli("--database", clinic_url, "consent", "list", "--patient", "P-000001", env=env)
    assert text.returncode == 0 and "2 consent records" in text.stdout
    missing = run_cli("--database", clinic_url, "consent", "list", "--patient", "77", env=env)
    assert missing.returncode == 1 and "P-000077" in missing.error_line


def test_print_then_verify_and_an_edited_copy(
    run_cli: CliRunner, clinic_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = _env(cli_env, tmp_path / "ours")
    pdf = tmp_path / "consent-2.pdf"
    printed = run_cli("--database", clinic_url, "print", "consent", "2", "-o", str(pdf), env=env)
    assert printed.returncode == 0, printed.stderr
    again = run_cli("--database", clinic_url, "print", "consent", "2", "-o", str(pdf), env=env)
    assert again.returncode == 1 and "exists already" in again.error_line
    ok = run_cli("--database", clinic_url, "consent", "verify", str(pdf), env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Matches consent no. 2 signed on 2026-11-22 at 10:05 "
                                "Europe/Warsaw time")
    edited = tmp_path / "edited.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x20
    edited.write_bytes(bytes(data))
    bad = run_cli("--database", clinic_url, "consent", "verify", str(edited), env=env)
    assert bad.returncode == 1
    assert "edited after it was signed" in bad.error_line or "altered" in bad.error_line
    as_json = run_cli("--database", clinic_url, "consent", "verify", "--json", str(edited),
                      env=env)
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["ok"] is False


def test_another_clinic_a_missing_consent_and_not_a_pdf(
    run_cli: CliRunner, clinic_url: str, cli_env: dict[str, str], tmp_path: Path,
    clock: FakeClock,
) -> None:
    ours = _env(cli_env, tmp_path / "ours")
    other_url = _clinic(tmp_path / "other", clock, consents=1)
    theirs = tmp_path / "theirs.pdf"
    assert run_cli("--database", other_url, "print", "consent", "1", "-o", str(theirs),
                   env=_env(cli_env, tmp_path / "other")).returncode == 0
    other = run_cli("--database", clinic_url, "consent", "verify", str(theirs), env=ours)
    assert other.returncode == 1 and "not with this clinic's certificate" in other.error_line
    # the same workstation's key for a second database: signed by "us", unknown number
    third_url = _clinic(tmp_path / "third", clock, consents=3)
    third = tmp_path / "third.pdf"
    assert run_cli("--database", third_url, "print", "consent", "3", "-o", str(third),
                   env=ours).returncode == 0
    run_cli("--database", clinic_url, "print", "consent", "1", "-o", str(tmp_path / "x.pdf"),
            env=ours)
    unknown = run_cli("--database", clinic_url, "consent", "verify", str(third), env=ours)
    assert unknown.returncode == 1
    assert "Consent no. 3 is not in this database." in unknown.error_line
    text = tmp_path / "notes.txt"
    text.write_text("not a PDF at all", encoding="utf-8")
    junk = run_cli("--database", clinic_url, "consent", "verify", str(text), env=ours)
    assert junk.returncode == 1 and junk.error_line.endswith("The file is not a PDF.")


def test_usage_errors_exit_2(run_cli: CliRunner, clinic_url: str) -> None:
    result = run_cli("--database", clinic_url, "print", "consent", "abc", "-o", "x.pdf")
    assert result.returncode == 2 and "not a consent number" in result.error_line


def test_the_demo_clinic_has_consents_in_every_state(run_cli: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    demo = run_cli("--database", url, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Added 7 demo consent records" in demo.stdout
    listed = run_cli("--database", url, "consent", "list", "--json")
    states = sorted(r["status"] for r in json.loads(listed.stdout))
    # The consents' own demo, and today's consents of the two treatment-demo patients.
    assert states == ["declined", "signed", "signed", "signed", "signed", "signed",
                      "superseded", "withdrawal", "withdrawn"]
    again = run_cli("--database", url, "demo")
    assert again.returncode == 0 and "demo consent" not in again.stdout
    assert run_cli("--database", url, "audit", "verify").returncode == 0
