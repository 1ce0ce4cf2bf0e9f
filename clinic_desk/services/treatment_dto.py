"""Plain values for devices, lots, the protocol, sessions, adverse events and courses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from clinic_desk.domain.adverse_events import AdverseEventKind, EventSeverity
from clinic_desk.domain.course import CoursePlan, CourseProgress, Progression
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.guardrails import ToleratedRf
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.session_record import SessionDraft
from clinic_desk.domain.session_start import StartCheck
from clinic_desk.domain.setting_findings import SettingsCheck


@dataclass(frozen=True, slots=True)
class DeviceView:
    device_id: int
    version: int
    profile: DeviceProfile
    is_active: bool
    # Service or calibration due date passed (on the clinic's today).
    service_overdue: bool
    updated_at: datetime

    @property
    def label(self) -> str:
        return self.profile.label


@dataclass(frozen=True, slots=True)
class DeviceRevisionView:
    version: int
    profile: DeviceProfile
    is_active: bool
    recorded_at: datetime
    recorded_by: str


class LotKind:
    CARTRIDGE = "cartridge"
    NEEDLE = "needle"
    ROLLER = "roller"
    ALL = ("cartridge", "needle", "roller")


@dataclass(frozen=True, slots=True)
class LotDetails:
    kind: str
    product: str
    lot_number: str
    expiry_date: date


@dataclass(frozen=True, slots=True)
class LotView:
    lot_id: int
    version: int
    kind: str
    product: str
    lot_number: str
    expiry_date: date
    is_active: bool
    # On the clinic's today: past its expiry date (it cannot be chosen).
    is_expired: bool

    @property
    def usable(self) -> bool:
        return self.is_active and not self.is_expired

    @property
    def label(self) -> str:
        return f"{self.product}, lot {self.lot_number} (use by {self.expiry_date.isoformat()})"


@dataclass(frozen=True, slots=True)
class ProtocolVersionView:
    version: int
    based_on: int
    note: str
    recorded_at: datetime | None
    # "" for the shipped example version.
    recorded_by: str
    example_values: bool


@dataclass(frozen=True, slots=True)
class AmendmentView:
    amendment_id: int
    session_id: int
    correction: str
    reason: str
    amended_by: str
    amended_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUpView:
    follow_up_id: int
    note: str
    outcome: str
    reported_to_manufacturer: bool
    reported_to_authority: bool
    closes_event: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class AdverseEventView:
    event_id: int
    session_id: int
    patient_id: int
    session_date: date
    kind: AdverseEventKind
    kind_label: str
    severity: EventSeverity
    description: str
    onset_on: date
    action_taken: str
    recorded_by: str
    recorded_at: datetime
    follow_ups: tuple[FollowUpView, ...]
    # The settings used in that session, to show beside the next session's.
    device_label: str
    lot_number: str
    settings: SessionDraft

    @property
    def is_open(self) -> bool:
        return not any(f.closes_event for f in self.follow_ups)

    @property
    def reported_to_manufacturer(self) -> bool:
        return any(f.reported_to_manufacturer for f in self.follow_ups)

    @property
    def reported_to_authority(self) -> bool:
        return any(f.reported_to_authority for f in self.follow_ups)

    @property
    def outcome(self) -> str:
        return next((f.outcome for f in reversed(self.follow_ups) if f.outcome), "")


@dataclass(frozen=True, slots=True)
class SessionView:
    session_id: int
    patient_id: int
    course_id: int | None
    session_date: date
    started_at: datetime
    signed_off_at: datetime
    practitioner: str
    device_id: int
    device_version: int
    device_label: str
    cartridge_key: str
    cartridge_label: str
    lot_id: int | None
    lot_number: str
    lot_expiry: date | None
    protocol_version: int
    uses_rf: bool
    energy_unit: str
    # The settings as signed (areas, numbing, serums, test spot, endpoints, pain...).
    settings: SessionDraft
    amendments: tuple[AmendmentView, ...] = ()
    adverse_events: tuple[AdverseEventView, ...] = ()
    # "Session 2 of 4" when part of a course, else "".
    course_label: str = ""
    # SHA-256 of the signed record, as its sign-off audit entry vouches for it.
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One line of `clinic-desk session list` and the lot trace."""

    session_id: int
    patient_id: int
    patient_number: str
    patient_name: str
    session_date: date
    practitioner: str
    device_label: str
    lot_number: str
    uses_rf: bool
    areas: tuple[str, ...]
    amendments: int
    adverse_events: int


@dataclass(frozen=True, slots=True)
class CourseView:
    course_id: int
    version: int
    patient_id: int
    plan: CoursePlan
    indication_label: str
    started_on: date
    is_closed: bool
    closed_reason: str
    notes: str
    progress: CourseProgress
    timeline: Progression
    session_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DueEntry:
    """A patient due or overdue for their next session, or for the maintenance recall."""

    patient_id: int
    patient_number: str
    patient_name: str
    phone: str
    course_id: int
    indication_label: str
    progress: CourseProgress

    @property
    def due_from(self) -> date | None:
        window = self.progress.next_window
        return window.earliest if window else self.progress.recall_on


@dataclass(frozen=True, slots=True)
class SessionFormData:
    """What the session form needs to open, in one call."""

    patient_id: int
    today: date
    protocol: Protocol
    devices: tuple[DeviceView, ...]
    lots: tuple[LotView, ...]
    courses: tuple[CourseView, ...]
    last_session: SessionView | None
    # The last session's settings as a new draft ("Copy settings from the last session").
    copy_of_last: SessionDraft | None
    open_adverse_events: tuple[AdverseEventView, ...]
    tolerated_rf: tuple[ToleratedRf, ...]
    start_without_rf: StartCheck
    start_with_rf: StartCheck
    notices: tuple[str, ...] = field(default=())


class SessionNotStarted(ClinicDeskError):
    """The session may not start (or be signed off): no valid consent, or the screening
    blocks it. `check.blockers` says why, each with its field ("consent", "screening")."""

    def __init__(self, check: StartCheck) -> None:
        super().__init__(" ".join(b.message for b in check.blockers))
        self.check = check


class SettingsRefused(ValidationError):
    """The settings cannot be saved as they are: `check.findings` has every finding with
    its form field; `field` is the first blocking one's."""

    def __init__(self, check: SettingsCheck) -> None:
        blocking = [f for f in check.findings if f.blocks_saving]
        first = blocking[0] if blocking else None
        super().__init__(
            first.message if first else "The settings cannot be saved.",
            field=first.field if first else None,
        )
        self.check = check
