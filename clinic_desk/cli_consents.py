"""Command-line verbs for consents: `consent list`, `consent verify FILE.pdf` and
`print consent ID -o FILE.pdf`. Conventions as in `cli_maintenance`: one line on stderr
and exit 1 on failure (2 for a wrong command line), `--json` where a machine reads it,
nothing written when something fails."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from clinic_desk.cli_maintenance import EXIT_FAILED, EXIT_OK, open_core
from clinic_desk.config import Settings
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.consent_dto import ConsentSummary


def _consent_number(text: str) -> int:
    digits = text.strip().lstrip("#").removeprefix("no.").strip()
    if not digits.isascii() or not digits.isdigit() or not 0 < int(digits) < 2**31:
        raise argparse.ArgumentTypeError(f"“{text}” is not a consent number")
    return int(digits)


def add_consent_verbs(
    commands: argparse._SubParsersAction[Any], patient_id: Callable[[str], int]
) -> None:
    consent = commands.add_parser("consent", help="signed consents",
                                  description="Signed consent forms.")
    verbs = consent.add_subparsers(dest="consent_command", metavar="CONSENT_COMMAND",
                                   required=True)
    listing = verbs.add_parser(
        "list",
        help="list consents (all, or one patient's) with how each stands",
        description="Lists consent records, newest first: number, patient, form and "
        "version, how it stands now (signed, declined, withdrawn, withdrawal, superseded, "
        "re-consent needed), when it was signed, and its content hash. Recorded in the "
        "audit log.",
    )
    listing.add_argument("--patient", type=patient_id, metavar="ID",
                         help="only this patient (P-000123 or 123)")
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    listing.set_defaults(run=run_consent_list)
    verify = verbs.add_parser(
        "verify",
        help="check a consent PDF against this database",
        description="Checks the PDF's digital signature (PAdES) against the clinic's "
        "certificates and the consent number and content hash it carries against the "
        "record stored here. Exit status 0: it matches; 1: it does not (edited, from "
        "another clinic, not in this database, not a PDF). Changes nothing.",
    )
    verify.add_argument("file", type=Path, metavar="FILE.pdf")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(run=run_consent_verify)


def add_consent_print_verb(documents: argparse._SubParsersAction[Any]) -> None:
    """`clinic-desk print consent ID -o FILE.pdf`, beside the other documents."""
    one = documents.add_parser(
        "consent",
        help="a consent's PDF, signed by the clinic",
        description="Writes the consent's PDF, digitally signed with this workstation's "
        "key for the clinic (made on first use). Refuses to overwrite a file. Recorded in "
        "the audit log.",
    )
    one.add_argument("consent_id", type=_consent_number, metavar="ID")
    one.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", required=True)
    one.set_defaults(run=run_print_consent)


def _json_row(s: ConsentSummary) -> dict[str, Any]:
    return {
        "id": s.consent_id,
        "patient_id": s.patient_id,
        "patient_number": s.patient_number,
        "template": s.template_key,
        "version": s.template_version,
        "status": s.state.value,
        "recorded_as": s.status.value,
        "signed_at_utc": s.signed_at.isoformat(),
        "time_zone": s.time_zone,
        "valid_until": s.valid_until.isoformat() if s.valid_until else None,
        "link": None if s.link_kind is None else {"kind": s.link_kind.value,
                                                  "consent_id": s.linked_consent_id},
        "hash": s.content_hash,
        "intact": s.intact,
    }


def run_consent_list(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    core = open_core(settings, create=False)
    try:
        found = core.consents.list_for_command_line(args.patient)
    finally:
        core.close()
    if args.json:
        json.dump([_json_row(s) for s in found], out, ensure_ascii=False, indent=1)
        print(file=out)
        return EXIT_OK
    print(f"{len(found)} consent records, newest first.", file=out)
    for s in found:
        form = f"{s.template_key} v{s.template_version}"
        print(f"{s.consent_id:>6}  {s.patient_number}  {form:<22}  {s.state.value:<17}"
              f"  {s.signed_at:%Y-%m-%d %H:%M} UTC  {s.content_hash[:16]}…",
              file=out)
    return EXIT_OK


def run_consent_verify(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    data = Path(args.file).read_bytes()
    core = open_core(settings, create=False, read_only=True)
    try:
        check = core.consents.verify_pdf(data)
    finally:
        core.close()
    if args.json:
        print(json.dumps({"ok": check.ok, "message": check.message,
                          "consent_id": check.consent_id}, ensure_ascii=False), file=out)
        return EXIT_OK if check.ok else EXIT_FAILED
    if not check.ok:
        raise ClinicDeskError(f"{args.file}: {check.message}")
    print(check.message, file=out)
    return EXIT_OK


def run_print_consent(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    target: Path = args.output
    if target.exists():
        raise ClinicDeskError(f"{target} exists already; choose a new file name.")
    if not target.parent.is_dir():
        raise ClinicDeskError(f"There is no folder {target.parent}.")
    core = open_core(settings, create=False)
    try:
        made = core.consents.document_for_command_line(args.consent_id)
    finally:
        core.close()
    temporary = target.with_name(target.name + ".part")
    temporary.write_bytes(made.pdf)
    os.replace(temporary, target)
    print(f"Wrote consent no. {made.consent_id} to {target} ({len(made.pdf) // 1024} KiB, "
          f"content hash {made.content_hash[:16]}…).", file=out)
    return EXIT_OK
