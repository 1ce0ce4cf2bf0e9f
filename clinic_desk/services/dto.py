"""Plain values the services hand to the UI and CLI: never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Role


@dataclass(frozen=True, slots=True)
class SignedInStaff:
    """Who is using the workstation; passed to every service call."""

    staff_id: int
    username: str
    full_name: str
    role: Role
    must_change_password: bool = False


@dataclass(frozen=True, slots=True)
class StaffSummary:
    staff_id: int
    username: str
    full_name: str
    role: Role
    is_active: bool
    is_locked: bool
    last_sign_in_at: datetime | None
    version: int


@dataclass(frozen=True, slots=True)
class ClinicProfileView:
    name: str
    address: str
    phone: str
    time_zone: str
    paper_size: PaperSize
    date_format: DateFormat
    intake_max_age_days: int
    is_demo: bool
    version: int
    # ISO 3166 code of the clinic's country ("" when none): how phone numbers are read.
    country: str = ""


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """What a check of the whole audit log found.

    `ok` only if the chain is unbroken AND every other check passed: the records it
    vouches for, the current patient rows, the file (SQLite), and any witnesses.
    """

    ok: bool
    entries_checked: int
    first_bad_row_id: int | None
    first_bad_seq: int | None
    problem: str
    problems: tuple[str, ...] = ()
    records_checked: int = 0
    patients_checked: int = 0
    notes: tuple[str, ...] = ()

    @property
    def chain_ok(self) -> bool:
        return not self.problem

    def summary(self) -> str:
        lines: list[str] = []
        if self.ok:
            lines.append(f"Audit log intact: {self.entries_checked} entries checked.")
        elif self.problem:
            where = (
                f"row id {self.first_bad_row_id} (entry {self.first_bad_seq})"
                if self.first_bad_row_id is not None
                else f"entry {self.first_bad_seq}"
            )
            lines.append(f"Audit log broken at {where}: {self.problem}.")
        else:
            lines.append(
                f"Audit log chain unbroken ({self.entries_checked} entries), but NOT intact:"
            )
        lines.extend(f"  - {p}" for p in self.problems)
        if self.records_checked or self.patients_checked:
            lines.append(
                f"Records checked against their audit entries: {self.records_checked}; "
                f"patient rows against their latest revision: {self.patients_checked}."
            )
        lines.extend(self.notes)
        return "\n".join(lines)
