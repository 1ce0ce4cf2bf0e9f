"""`clinic-desk day [DATE] [--json]`: the day's appointments with their statuses, as
reception's Today list shows them. Listing them is recorded in the audit log (no staff
account, this workstation's name), like `session list`."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from clinic_desk.config import Settings
from clinic_desk.domain.dates import DateFormat, format_date, parse_date
from clinic_desk.domain.errors import ClinicDeskError

if TYPE_CHECKING:
    from clinic_desk.app import ClinicDesk
    from clinic_desk.services.appointment_dto import AppointmentView, DayBook

EXIT_OK = 0


def _day_text(text: str) -> str:
    """A date in ISO order or the clinic's (checked again once the clinic's order is known)."""
    if all(parse_date(text, f) is None for f in (DateFormat.ISO, DateFormat.DAY_MONTH_YEAR_SLASH,
                                                 DateFormat.MONTH_DAY_YEAR)):
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a date (write it as YYYY-MM-DD or in the clinic's order)"
        )
    return text


def add_day_verb(commands: argparse._SubParsersAction[Any]) -> None:
    day = commands.add_parser(
        "day",
        help="the day's appointments with their statuses",
        description="Lists one day's appointments in time order: time, patient, treatment, "
        "practitioner, room, status (late and no-show marked) and what is missing before "
        "treatment. DATE is YYYY-MM-DD or in the clinic's date order; the default is today "
        "where the clinic is. The listing is recorded in the audit log.",
    )
    day.add_argument("date", nargs="?", type=_day_text, metavar="DATE",
                     help="the day (default: today at the clinic)")
    day.add_argument("--json", action="store_true", help="one JSON document on stdout")
    day.set_defaults(run=run_day)


def _view_json(a: AppointmentView) -> dict[str, object]:
    return {
        "appointment_id": a.appointment_id,
        "start": a.start.isoformat(timespec="minutes"),
        "end": a.end.isoformat(timespec="minutes"),
        "length_minutes": a.length_minutes,
        "patient_id": a.patient_id,
        "patient_number": a.patient_number,
        "patient_name": a.patient_name,
        "practitioner": a.practitioner_name,
        "room": a.room_name,
        "kind": a.kind.value,
        "status": a.status.value,
        "status_label": a.status_label,
        "punctuality": a.punctuality.value if a.punctuality else None,
        "ready_for_room": a.ready_for_room_name or None,
        "course_session": a.course_label or None,
        "cancel_reason": a.cancel_reason or None,
        "screening": a.screening_status.value if a.screening_status else None,
        "missing": list(a.missing),
    }


def _line(a: AppointmentView) -> str:
    status = a.status_label
    if a.punctuality_label and a.punctuality is not None and a.punctuality.value != "expected":
        status += f" ({a.punctuality_label})"
    if a.ready_for_room_name:
        status += f", ready for {a.ready_for_room_name}"
    if a.cancel_reason:
        status += f": {a.cancel_reason}"
    what = a.kind_label + (f", {a.course_label}" if a.course_label else "")
    line = (f"{a.start:%H:%M}–{a.end:%H:%M}  {a.patient_number}  {a.patient_name:<28}  "
            f"{what:<36}  {a.practitioner_name:<24}  {a.room_name:<10}  {status}")
    if a.missing:
        line += "\n" + " " * 13 + "missing: " + "; ".join(a.missing)
    return line


def _core(settings: Settings) -> ClinicDesk:
    from clinic_desk.cli import _open

    core, _ = _open(settings, create=False)
    return core


def run_day(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from clinic_desk.app import utc_now
    from clinic_desk.storage.audit_log import AuditEvent

    core = _core(settings)
    try:
        with core.units(write=True) as uow:
            profile = uow.clinic.get()
            if profile is None:
                raise ClinicDeskError("This database holds no clinic yet.")
            fmt = profile.date_format
            on = _chosen_day(args.date, fmt, core)
            book = core.appointments.day_in(uow, on)
            uow.audit.append(
                AuditEvent("appointment.listed", "appointment", None,
                           detail=f"day {on.isoformat()}: {len(book.appointments)}"),
                at=utc_now(),
            )
            uow.commit()
    finally:
        core.close()
    if args.json:
        json.dump(
            {"date": on.isoformat(), "time_zone": book.time_zone,
             "appointments": [_view_json(a) for a in book.appointments]},
            out, ensure_ascii=False, indent=2,
        )
        print(file=out)
        return EXIT_OK
    _print_day(book, on, fmt, out)
    return EXIT_OK


def _chosen_day(text: str | None, fmt: str, core: ClinicDesk) -> date:
    if text is None:
        return core.screening.today()
    found = parse_date(text, fmt)
    if found is None:
        raise ClinicDeskError(f"“{text}” is not a date in the clinic's order ({fmt}).")
    return found


def _print_day(book: DayBook, on: date, fmt: str, out: TextIO) -> None:
    count = len(book.appointments)
    what = "1 appointment" if count == 1 else f"{count} appointments"
    print(f"{on:%A} {format_date(on, fmt)}: {what} ({book.time_zone}).", file=out)
    for a in book.appointments:
        print(_line(a), file=out)
