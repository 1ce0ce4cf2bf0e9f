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
