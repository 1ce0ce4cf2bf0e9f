"""The command line for the data's safety: bad URLs, read-only verify, quick_check,
anchors and witnesses, backups, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import CliRunner, folder_listing, sqlite_cli, sqlite_value

CUT_TAIL = """
PRAGMA foreign_keys = OFF;
DROP TRIGGER audit_entry_no_delete;
DROP TRIGGER audit_head_forward_only;
DELETE FROM audit_entry WHERE seq > (SELECT max(seq) - 2 FROM audit_entry);
UPDATE audit_head SET last_seq = (SELECT max(seq) FROM audit_entry),
  last_hash = (SELECT entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1);
"""


@pytest.fixture
def demo_db(run_cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    result = run_cli("--database", f"sqlite:///{path}", "demo", "--patients", "5")
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql+psycopg://u@host:notaport/db", "not a valid database URL"),
        ("postgresql+psycopg://u:secret@host:notaport/db", "u:***@host:notaport"),
        ("", "--database was given an empty URL"),
        ("   ", "--database was given an empty URL"),
    ],
)
def test_a_bad_database_url_is_one_line(
    run_cli: CliRunner, tmp_path: Path, url: str, words: str
) -> None:
    result = run_cli("--database", url, "audit", "verify")
    assert result.returncode == 2
    assert words in result.error_line
    assert "secret" not in result.stderr
    assert not (tmp_path / "user-data" / "clinic-desk.sqlite3").exists()


def test_verify_opens_an_empty_file_read_only_and_leaves_it_so(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    empty = tmp_path / "folder" / "empty.sqlite3"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    result = run_cli("--database", f"sqlite:///{empty}", "audit", "verify")
    assert result.returncode == 1
    assert "not a current Clinic Desk database" in result.error_line
    assert empty.read_bytes() == b""
    assert folder_listing(empty.parent) == ["empty.sqlite3"]


def test_verify_reports_a_damaged_file(run_cli: CliRunner, demo_db: Path) -> None:
    """Damage only SQLite's own check sees: the search index, which verify never reads."""
    root = sqlite_value(demo_db, "SELECT rootpage FROM sqlite_master "
                                 "WHERE name = 'patient_search_key'")
    assert isinstance(root, int) and root > 1
    data = bytearray(demo_db.read_bytes())
    data[(root - 1) * 4096] = 0x7F  # not a valid b-tree page type
    demo_db.write_bytes(bytes(data))
    result = run_cli("--database", f"sqlite:///{demo_db}", "audit", "verify")
    assert result.returncode == 1
    assert "the database file is damaged" in result.stdout


def test_a_cut_the_chain_alone_cannot_see_never_reads_intact(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    """The last entry (a backup, which vouches for no record) cut and the head rewound:
    the chain agrees with itself, the witness does not, and the first line says so."""
    url = f"sqlite:///{demo_db}"
    made = run_cli("--database", url, "backup", "create", "-o", str(tmp_path / "b.sqlite3"))
    assert made.returncode == 0, made.stderr
    sqlite_cli(demo_db, CUT_TAIL.replace("max(seq) - 2", "max(seq) - 1"))
    caught = run_cli("--database", url, "audit", "verify")
    assert caught.returncode == 1
    first = caught.stdout.splitlines()[0]
    assert first.startswith("Audit log chain unbroken (") and "NOT intact" in first, first
    assert "Audit log intact" not in caught.stdout
    assert "witness disagrees" in caught.stdout


def test_anchor_and_witness_catch_a_cut_tail(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{demo_db}"
    anchor = tmp_path / "kept-elsewhere" / "anchor.json"
    made = run_cli("--database", url, "audit", "anchor", "-o", str(anchor))
    assert made.returncode == 0, made.stderr
    head = sqlite_value(demo_db, "SELECT last_seq FROM audit_head")
    saved = json.loads(anchor.read_text(encoding="utf-8"))
    assert saved["seq"] == head and saved["clinic"] == "Lumière Skin & Microneedling Clinic"
    ok = run_cli("--database", url, "audit", "verify", "--anchor", str(anchor))
    assert ok.returncode == 0, ok.stdout
    assert f"entry {head} of " in ok.stdout and "holds." in ok.stdout

    sqlite_cli(demo_db, CUT_TAIL)
    caught = run_cli("--database", url, "audit", "verify", "--anchor", str(anchor), "--json")
    assert caught.returncode == 1
    report = json.loads(caught.stdout)
    assert report["chain_problem"] is None  # the chain alone is fooled
    assert f"no longer holds entry {head}" in report["anchor_problem"]
    assert any(f"no longer holds entry {head}" in d for d in report["witness_disputes"])

    # The dispute stays until acknowledged; acknowledging is itself audited.
    again = run_cli("--database", url, "audit", "verify")
    assert again.returncode == 1 and "witness disagrees" in again.stdout
    ack = run_cli("--database", url, "audit", "acknowledge")
    assert ack.returncode == 0 and "1 disagreement(s) acknowledged" in ack.stdout
    assert "disagrees with the database" in ack.stderr  # the start itself warned first
    after = run_cli("--database", url, "audit", "verify")
    assert "witness: the log holds what it saw" in after.stdout
    # The cut left the demo load's record links without their entry: still named.
    assert after.returncode == 1 and "were altered" in after.stdout
    actions = sqlite_cli(demo_db, "SELECT action FROM audit_entry ORDER BY seq;").split()
    assert actions[-2:] == ["audit.witness_disagreed", "audit.witness_acknowledged"]


def test_backup_create_verify_restore(run_cli: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{demo_db}"
    target = tmp_path / "usb" / "clinic-backup.sqlite3"
    made = run_cli("--database", url, "backup", "create", "-o", str(target))
    assert made.returncode == 0, made.stderr
    assert target.is_file() and Path(f"{target}.anchor.json").is_file()
    check = run_cli("--database", url, "backup", "verify", str(target))
    assert check.returncode == 0, check.stdout
    assert "Integrity check passed" in check.stdout and "Audit log intact" in check.stdout
    refused = run_cli("--database", url, "backup", "restore", str(target))
    assert refused.returncode == 1 and "--force" in refused.error_line
    restored = run_cli("--database", url, "backup", "restore", str(target), "--force")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "The database replaced was kept as " in restored.stdout
    assert "Audit log intact" in restored.stdout
    kept = [p for p in (tmp_path / "backups").iterdir() if ".before-restore." in p.name]
    assert len(kept) == 1
    assert sqlite_value(demo_db, "SELECT action FROM audit_entry ORDER BY seq DESC LIMIT 1") == (
        "backup.restored"
    )


def test_status_says_where_and_how(run_cli: CliRunner, demo_db: Path) -> None:
    result = run_cli("--database", f"sqlite:///{demo_db}", "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["encrypted"] is False and "on this computer" in status["connection"]
    assert status["audit_head"] == sqlite_value(demo_db, "SELECT last_seq FROM audit_head")
    assert status["backup_folder"].endswith("backups")
