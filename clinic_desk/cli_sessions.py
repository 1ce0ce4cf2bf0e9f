"""`clinic-desk session list` and `clinic-desk lot trace`: treatment sessions and the
patients a consumable lot touched (a recall). Both looks are recorded in the audit log
(no staff account, this workstation's name), like `audit list`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from clinic_desk.config import Settings
from clinic_desk.services.treatment_dto import SessionSummary

if TYPE_CHECKING:
    from clinic_desk.app import ClinicDesk

EXIT_OK = 0


def add_session_verbs(commands: argparse._SubParsersAction[Any], patient_id: Any) -> None:
    session = commands.add_parser(
        "session", help="treatment sessions", description="Treatment sessions."
    )
    verbs = session.add_subparsers(dest="session_command", metavar="SESSION_COMMAND", required=True)
    listing = verbs.add_parser(
        "list",
        help="signed-off treatment sessions, oldest first",
        description="Lists signed-off treatment sessions, oldest first: date, patient, "
        "practitioner, device, lot, RF or not, areas, amendments and adverse events. "
        "Listing them is recorded in the audit log.",
    )
    listing.add_argument(
        "--patient",
        type=patient_id,
        metavar="ID",
        help="only this patient (P-000123 or its digits)",
    )
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    listing.set_defaults(run=run_session_list)

    lot = commands.add_parser("lot", help="consumable lots", description="Consumable lots.")
    lot_verbs = lot.add_subparsers(dest="lot_command", metavar="LOT_COMMAND", required=True)
    trace = lot_verbs.add_parser(
        "trace",
        help="every session and patient a lot was used on",
        description="Lists every treatment session a cartridge or needle lot with this "
        "number was used on, and so every patient it touched (for a recall). The trace is "
        "recorded in the audit log.",
    )
    trace.add_argument("lot_number", metavar="LOT", help="the lot number printed on the box")
    trace.add_argument("--json", action="store_true", help="one JSON document on stdout")
    trace.set_defaults(run=run_lot_trace)


def _summary_json(s: SessionSummary) -> dict[str, object]:
    return {
        "session_id": s.session_id,
        "patient_id": s.patient_id,
        "patient_number": s.patient_number,
        "patient_name": s.patient_name,
        "session_date": s.session_date.isoformat(),
        "practitioner": s.practitioner,
        "device": s.device_label,
        "lot_number": s.lot_number,
        "uses_rf": s.uses_rf,
        "areas": list(s.areas),
        "amendments": s.amendments,
        "adverse_events": s.adverse_events,
    }


def _print_lines(found: list[SessionSummary], out: TextIO) -> None:
    for s in found:
        rf = "RF" if s.uses_rf else "  "
        notes = []
        if s.amendments:
            notes.append(f"{s.amendments} amended")
        if s.adverse_events:
            notes.append(_count(s.adverse_events, "adverse event"))
        print(
            f"{s.session_date.isoformat()}  #{s.session_id:<5} {s.patient_number}  "
            f"{s.patient_name:<32}  {rf}  {s.device_label:<40}  lot {s.lot_number or '-':<12}  "
            f"{', '.join(s.areas)}" + (f"  ({'; '.join(notes)})" if notes else ""),
            file=out,
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _core(settings: Settings) -> ClinicDesk:
    from clinic_desk.cli import _open

    core, _ = _open(settings, create=False)
    return core


def run_session_list(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from clinic_desk.app import utc_now
    from clinic_desk.services.session_records import listed_event, session_summaries

    core = _core(settings)
    try:
        with core.units(write=True) as uow:
            found = session_summaries(uow, args.patient)
            uow.audit.append(listed_event(args.patient, len(found), None), at=utc_now())
            uow.commit()
    finally:
        core.close()
    if args.json:
        json.dump([_summary_json(s) for s in found], out, ensure_ascii=False, indent=2)
        print(file=out)
        return EXIT_OK
    who = f"patient P-{args.patient:06d}" if args.patient else "all patients"
    print(f"{_count(len(found), 'treatment session')} of {who}, oldest first.", file=out)
    _print_lines(found, out)
    return EXIT_OK


def run_lot_trace(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from clinic_desk.app import utc_now
    from clinic_desk.services.session_records import trace_lot, traced_event

    core = _core(settings)
    try:
        with core.units(write=True) as uow:
            found = trace_lot(uow, args.lot_number)
            uow.audit.append(traced_event(args.lot_number, found, None), at=utc_now())
            uow.commit()
    finally:
        core.close()
    patients = sorted({(s.patient_number, s.patient_name) for s in found})
    if args.json:
        json.dump(
            {
                "lot_number": args.lot_number.strip(),
                "sessions": [_summary_json(s) for s in found],
                "patients": [{"patient_number": n, "patient_name": p} for n, p in patients],
            },
            out,
            ensure_ascii=False,
            indent=2,
        )
        print(file=out)
        return EXIT_OK
    print(
        f"Lot {args.lot_number.strip()} was used in {_count(len(found), 'session')} on "
        f"{_count(len(patients), 'patient')}.",
        file=out,
    )
    _print_lines(found, out)
    if patients:
        print("Patients to contact:", file=out)
        for number, name in patients:
            print(f"  {number}  {name}", file=out)
    return EXIT_OK
