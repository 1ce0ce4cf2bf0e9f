"""`clinic-desk print …`: documents for patients written to PDF files, each recorded in
the documents history exactly as the windows record a print or a save.

The file appears only once the hand-out is recorded: the PDF is written beside it under
a temporary name, the record committed, then the file renamed into place. Any failure
leaves neither a file nor a record.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from clinic_desk.cli_maintenance import EXIT_OK, open_core
from clinic_desk.config import Settings
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.documents import GeneratedDocument, HandedOutView, HandOut


def _record_id(text: str) -> int:
    digits = text.strip().upper().removeprefix("P-")
    if not digits.isdigit() or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"“{text}” is not a record number")
    return int(digits)


def add_print_verbs(printing: argparse._SubParsersAction[Any]) -> None:
    precare = printing.add_parser(
        "pre-care",
        help="the pre-care sheet for a patient, as a PDF file",
        description="Writes the pre-care sheet for a patient before their first session "
        "and records it in the patient's documents history.",
    )
    precare.add_argument("patient", type=_record_id, metavar="PATIENT_ID",
                         help="the patient number (P-000123) or its digits")
    precare.add_argument("--rf", action="store_true",
                         help="the session will use the radiofrequency (RF) add-on")
    _output_options(precare)
    precare.set_defaults(run=run_print_precare)
    aftercare = printing.add_parser(
        "aftercare",
        help="the aftercare sheet for a treatment session, as a PDF file",
        description="Writes the aftercare sheet for what was done in one signed-off "
        "session (its areas, with or without RF, the next session's window) and records "
        "it in the patient's documents history.",
    )
    aftercare.add_argument("session", type=_record_id, metavar="SESSION_ID",
                           help="the session's number (clinic-desk session list shows it)")
    _output_options(aftercare)
    aftercare.set_defaults(run=run_print_aftercare)


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf",
                        help="where to write the PDF")
    parser.add_argument("--json", action="store_true",
                        help="describe the document as one JSON document on stdout")


def run_print_precare(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    return _print_document(
        settings, args, out,
        lambda core: core.documents.precare_for_command_line(args.patient, uses_rf=args.rf),
    )


def run_print_aftercare(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    return _print_document(
        settings, args, out,
        lambda core: core.documents.aftercare_for_command_line(args.session),
    )


def _print_document(
    settings: Settings,
    args: argparse.Namespace,
    out: TextIO,
    make: Callable[[Any], GeneratedDocument],
) -> int:
    target: Path = args.output
    if target.suffix.lower() != ".pdf":
        raise ClinicDeskError(f"{target} must end in .pdf")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ClinicDeskError(f"There is no folder {folder} to write {target.name} into.")
    core = open_core(settings, create=False)
    try:
        document = make(core)
        handle, temporary = tempfile.mkstemp(prefix=".clinic-desk-", suffix=".pdf", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(document.pdf)
            view = core.documents.record_handout_from_command_line(document, how=HandOut.SAVED)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        core.close()
    _report(document, view, target, args.json, out)
    return EXIT_OK


def _report(
    document: GeneratedDocument, view: HandedOutView, target: Path, as_json: bool, out: TextIO
) -> None:
    if as_json:
        print(json.dumps({
            "document_id": view.document_id,
            "patient_id": view.patient_id,
            "kind": str(view.kind),
            "template": view.template_key,
            "template_version": view.template_version,
            "source_id": view.source_id,
            "sha256": view.content_sha256,
            "bytes": view.size_bytes,
            "file": str(target),
        }, ensure_ascii=False, indent=1), file=out)
        return
    print(f"Wrote {document.title} to {target} ({view.size_bytes:,} bytes); recorded as "
          f"document {view.document_id} in the patient's documents history.", file=out)
