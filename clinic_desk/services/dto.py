"""Plain values the services hand to the UI and CLI: never live ORM objects."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Permission, Role, roles_allow


class SessionState(Enum):
    OPEN = "open"
    LOCKED = "locked"
    ENDED = "ended"


class SignInSession:
    """One sign-in on one workstation, shared by every copy of its `SignedInStaff`.

    Only the auth service changes it: locked when the workstation is left idle, open
    again with the person's password, ended at sign-out. The permission check refuses
    every service call from a session that is not open, so a window that forgot to lock
    itself still cannot read or change anything.
    """

    __slots__ = ("_guard", "_state")

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._state = SessionState.OPEN

    @property
    def state(self) -> SessionState:
        with self._guard:
            return self._state

    def move_to(self, state: SessionState) -> SessionState:
        """Sets the state (an ended session stays ended); returns the one before."""
        with self._guard:
            before = self._state
            if before is not SessionState.ENDED:
                self._state = state
            return before


@dataclass(frozen=True, slots=True)
class SignedInStaff:
    """Who is using the workstation; passed to every service call. Made only by the
    auth service, which hands out the session with it."""

    staff_id: int
    username: str
    full_name: str
    roles: tuple[Role, ...]
    session: SignInSession = field(compare=False, repr=False)
    must_change_password: bool = False

    def may(self, permission: Permission) -> bool:
        """What the roles held at sign-in allow: for showing or hiding controls only.
        The services check the roles as stored at the time of each call."""
        return roles_allow(self.roles, permission)

    @property
    def is_locked(self) -> bool:
        return self.session.state is SessionState.LOCKED


@dataclass(frozen=True, slots=True)
class StaffSummary:
    staff_id: int
    username: str
    full_name: str
    roles: tuple[Role, ...]
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
    # A signed treatment consent is valid this many months (then re-consent is needed).
    consent_validity_months: int = 12
    print_aftercare_on_sign_off: bool = False


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
    consents_checked: int = 0

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
        if self.consents_checked:
            lines.append(
                f"Consents checked against their content hash and signatures: "
                f"{self.consents_checked}."
            )
        lines.extend(self.notes)
        return "\n".join(lines)
