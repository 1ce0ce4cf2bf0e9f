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
    ok: bool
    entries_checked: int
    first_bad_row_id: int | None
    first_bad_seq: int | None
    problem: str

    def summary(self) -> str:
        if self.ok:
            return f"Audit log intact: {self.entries_checked} entries checked."
        where = (
            f"row id {self.first_bad_row_id} (entry {self.first_bad_seq})"
            if self.first_bad_row_id is not None
            else f"entry {self.first_bad_seq}"
        )
        return f"Audit log broken at {where}: {self.problem}."
