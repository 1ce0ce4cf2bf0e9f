"""`clinic-desk print pre-care`: a PDF file, recorded in the documents history like a
save from the windows; every failure one line, with neither a file nor a record left."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli.support import CliRunner, folder_listing, sqlite_value


@pytest.fixture
def demo_db(run_cli: CliRunner, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    result = run_cli("--database", f"sqlite:///{path}", "demo", "--patients", "3")
    assert result.returncode == 0, result.stderr
    return path


def handed_out(db: Path) -> object:
    """Hand-outs beyond the demo clinic's own (it comes with a few printed sheets)."""
    return sqlite_value(db, "SELECT count(*) FROM handed_out_document WHERE handed_by IS NULL")


def test_print_pre_care_writes_the_pdf_and_records_it(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "pre-care.pdf"
    target.parent.mkdir()
    url = f"sqlite:///{demo_db}"
    result = run_cli("--database", url, "print", "pre-care", "P-000001", "--rf",
                     "-o", str(target), "--json")
    assert result.returncode == 0, result.stderr
    described = json.loads(result.stdout)
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert described["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert described["kind"] == "precare" and described["patient_id"] == 1
    assert described["bytes"] == len(pdf)
    # Only the PDF itself is left in the folder, no temporary file.
    assert folder_listing(target.parent) == ["pre-care.pdf"]
    assert handed_out(demo_db) == 1
    assert sqlite_value(
        demo_db, "SELECT how FROM handed_out_document WHERE handed_by IS NULL") == "saved"
    assert sqlite_value(
        demo_db, "SELECT detail FROM audit_entry WHERE action = 'document.handed_out' "
        "ORDER BY seq DESC LIMIT 1"
    ) == "precare saved via command line"
    verify = run_cli("--database", url, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_print_pre_care_in_words(run_cli: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    result = run_cli("--database", f"sqlite:///{demo_db}", "print", "pre-care", "2",
                     "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote Pre-care sheet for ")
    assert f"to {target}" in result.stdout
    assert "recorded as document " in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("print", "pre-care", "999", "-o", "x.pdf"), 1, "There is no such patient."),
        (("print", "pre-care", "1", "-o", "missing/x.pdf"), 1, "There is no folder missing"),
        (("print", "pre-care", "1", "-o", "x.txt"), 1, "x.txt must end in .pdf"),
        (("print", "pre-care", "abc", "-o", "x.pdf"), 2, "“abc” is not a record number"),
        (("print", "pre-care", "1"), 2, "the following arguments are required: -o/--output"),
        (("print",), 2, "the following arguments are required: DOCUMENT"),
    ],
)
def test_a_refused_print_is_one_line_and_leaves_nothing(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path, args: tuple[str, ...], code: int,
    words: str,
) -> None:
    before = folder_listing(tmp_path)
    result = run_cli("--database", f"sqlite:///{demo_db}", *args)
    assert result.returncode == code
    assert words in result.error_line
    assert folder_listing(tmp_path) == before
    assert handed_out(demo_db) == 0


def test_print_aftercare_for_a_demo_session(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    session_id = sqlite_value(demo_db, "SELECT min(id) FROM treatment_session")
    assert isinstance(session_id, int)
    target = tmp_path / "aftercare.pdf"
    result = run_cli("--database", f"sqlite:///{demo_db}", "print", "aftercare",
                     str(session_id), "-o", str(target), "--json")
    assert result.returncode == 0, result.stderr
    described = json.loads(result.stdout)
    assert described["kind"] == "aftercare" and described["source_id"] == session_id
    assert described["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert sqlite_value(
        demo_db, "SELECT source_id FROM handed_out_document WHERE handed_by IS NULL"
    ) == session_id


def test_print_aftercare_for_no_such_session_is_one_line(
    run_cli: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    result = run_cli("--database", f"sqlite:///{demo_db}", "print", "aftercare", "9999",
                     "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert "There is no such treatment session." in result.error_line
    assert not (tmp_path / "x.pdf").exists()
    assert handed_out(demo_db) == 0


def test_the_demo_clinic_comes_with_handed_out_sheets(demo_db: Path) -> None:
    kinds = sqlite_value(
        demo_db, "SELECT group_concat(kind || ':' || how, ' ') FROM "
        "(SELECT kind, how FROM handed_out_document ORDER BY id)")
    assert kinds == "precare:printed aftercare:printed precare:printed aftercare:printed"
