"""What the consent windows ask of the consent service, in the shape the windows use.

The windows talk to a `ConsentDesk`; `consent_desk.py` adapts the real `ConsentService`
to it, and the GUI tests may give a small in-memory one. Rows are plain data: the
windows never see a unit of work or a database row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from clinic_desk.domain.consent_template import TemplateStatus
from clinic_desk.domain.consent_text import ConsentText
from clinic_desk.domain.screening import Finding
from clinic_desk.domain.signature import SignatureInk
from clinic_desk.services.dto import SignedInStaff


class ConsentStanding(StrEnum):
    """Where a consent stands today: what the lists show, in a word and an icon."""

    SIGNED = "signed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    WITHDRAWAL = "withdrawal"  # the record of a withdrawal, naming the consent withdrawn
    SUPERSEDED = "superseded"
    RECONSENT_NEEDED = "reconsent_needed"


@dataclass(frozen=True, slots=True)
class ConsentRow:
    consent_id: int
    patient_id: int
    patient_name: str
    title: str
    template_key: str
    template_version: int
    radiofrequency: bool
    standing: ConsentStanding
    signed_at_utc: datetime | None
    time_zone: str
    reason: str = ""
    content_hash: str = ""
    why_standing: str = ""  # e.g. "a new version of the form" / "more than 12 months ago"

    @property
    def may_withdraw(self) -> bool:
        return self.standing in (ConsentStanding.SIGNED, ConsentStanding.RECONSENT_NEEDED)

    @property
    def may_reconsent(self) -> bool:
        """Sign the same form again (the new consent supersedes a standing one)."""
        return self.standing is not ConsentStanding.WITHDRAWAL


@dataclass(frozen=True, slots=True)
class FormChoice:
    """A form that can be signed today (the newest published version of it)."""

    template_key: str
    template_version: int
    title: str
    radiofrequency: bool


@dataclass(frozen=True, slots=True)
class SigningForm:
    """The exact text the patient reads and signs, filled in for them, and today's
    screening: `blockers` says in plain words why it cannot be signed now."""

    patient_id: int
    patient_name: str
    template_key: str
    template_version: int
    radiofrequency: bool
    text: ConsentText
    blockers: tuple[str, ...] = ()
    screening_word: str = ""  # today's screening status, for the blocked page
    supersedes: int | None = None  # the standing consent the new one replaces
    draft: object = None  # the service's own draft, handed back as it was
    clearable: tuple[Finding, ...] = ()  # findings a recorded clearance would lift

    @property
    def can_sign(self) -> bool:
        return not self.blockers


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """A template about to be imported: its problems, or the form as a patient reads it."""

    problems: tuple[str, ...]
    text: ConsentText | None


@dataclass(frozen=True, slots=True)
class Countersignature:
    """The practitioner's password, and the witness if there is one."""

    practitioner_password: str
    witness_name: str = ""
    witness_ink: SignatureInk | None = None
    witness_png: bytes | None = None


@dataclass(frozen=True, slots=True)
class PatientSignature:
    acknowledged: tuple[str, ...]
    ink: SignatureInk
    png: bytes


@dataclass(frozen=True, slots=True)
class TemplateRow:
    template_key: str
    template_version: int
    title: str
    status: TemplateStatus
    radiofrequency: bool
    published: date | None
    origin: str = "shipped"
    is_current: bool = False
    source: str = ""
    consents_recorded: int = 0  # consents made on this version


class ConsentDesk(Protocol):
    # --- consents ---------------------------------------------------------------------
    def consents(self, actor: SignedInStaff, patient_id: int) -> list[ConsentRow]: ...

    def recent(self, actor: SignedInStaff) -> list[ConsentRow]: ...

    def reconsent_needed(self, actor: SignedInStaff, patient_ids: Iterable[int]
                         ) -> dict[int, tuple[str, ...]]:
        """The patients among these who must sign again, with why."""
        ...

    def forms(self, actor: SignedInStaff) -> list[FormChoice]: ...

    def prepare(self, actor: SignedInStaff, patient_id: int, form_key: str) -> SigningForm: ...

    def sign(self, actor: SignedInStaff, form: SigningForm, patient: PatientSignature,
             countersignature: Countersignature) -> ConsentRow: ...

    def decline(self, actor: SignedInStaff, form: SigningForm, acknowledged: tuple[str, ...],
                reason: str, password: str) -> ConsentRow: ...

    def withdraw(self, actor: SignedInStaff, consent_id: int, reason: str,
                 password: str) -> ConsentRow: ...

    def pdf(self, actor: SignedInStaff, consent_id: int) -> bytes:
        """Rendered and signed by the clinic: slow, so called off the UI thread."""
        ...

    def record_printed(self, actor: SignedInStaff, consent_id: int, *, printer: str,
                       copies: int, pdf: bytes = b"") -> None:
        """`pdf`: the bytes printed, kept in the patient's documents history."""
        ...

    def record_saved(self, actor: SignedInStaff, consent_id: int, *, file_name: str,
                     pdf: bytes = b"") -> None: ...

    # --- templates (administrators) -------------------------------------------------------
    def templates(self, actor: SignedInStaff) -> list[TemplateRow]: ...

    def check_template(self, actor: SignedInStaff, source: str) -> TemplateCheck:
        """The template filled with sample details, or its problems; nothing is stored."""
        ...

    def import_template(self, actor: SignedInStaff, source: str) -> TemplateRow: ...

    def retire(self, actor: SignedInStaff, key: str, version: int) -> TemplateRow: ...
