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
from clinic_desk.domain.signature import SignatureInk
from clinic_desk.services.dto import SignedInStaff


class ConsentStanding(StrEnum):
    """Where a consent stands today: what the lists show, in a word and an icon."""

    SIGNED = "signed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
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
        return self.standing is not ConsentStanding.SUPERSEDED


@dataclass(frozen=True, slots=True)
class FormChoice:
    """A form that can be signed today (the newest published version of it)."""

    template_key: str
    template_version: int
    title: str
    radiofrequency: bool


@dataclass(frozen=True, slots=True)
class SigningGate:
    """Today's screening before signing: `blocked` with the reasons in plain words."""

    status_word: str
    blocked: bool
    reasons: tuple[str, ...] = ()
    needs_clearance: bool = False


@dataclass(frozen=True, slots=True)
class SigningForm:
    """The exact text the patient reads and signs, filled in for them."""

    patient_id: int
    patient_name: str
    template_key: str
    template_version: int
    radiofrequency: bool
    text: ConsentText


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
    consents_signed: int = 0


class ConsentDesk(Protocol):
    # --- consents ---------------------------------------------------------------------
    def consents(self, actor: SignedInStaff, patient_id: int) -> list[ConsentRow]: ...

    def recent(self, actor: SignedInStaff) -> list[ConsentRow]: ...

    def reconsent_needed(self, actor: SignedInStaff, patient_ids: Iterable[int]) -> set[int]: ...

    def forms(self, actor: SignedInStaff) -> list[FormChoice]: ...

    def gate(self, actor: SignedInStaff, patient_id: int, form: FormChoice) -> SigningGate: ...

    def prepare(self, actor: SignedInStaff, patient_id: int, form: FormChoice) -> SigningForm: ...

    def sign(self, actor: SignedInStaff, form: SigningForm, patient: PatientSignature,
             countersignature: Countersignature, *, replaces: int | None = None
             ) -> ConsentRow: ...

    def decline(self, actor: SignedInStaff, form: SigningForm, acknowledged: tuple[str, ...],
                reason: str) -> ConsentRow: ...

    def withdraw(self, actor: SignedInStaff, consent_id: int, reason: str) -> ConsentRow: ...

    def pdf(self, actor: SignedInStaff, consent_id: int) -> bytes:
        """Rendered and signed by the clinic: slow, so called off the UI thread."""
        ...

    def record_printed(self, actor: SignedInStaff, consent_id: int, *, printer: str,
                       copies: int) -> None: ...

    def record_saved(self, actor: SignedInStaff, consent_id: int, *, file_name: str) -> None: ...

    # --- templates (administrators) -------------------------------------------------------
    def templates(self, actor: SignedInStaff) -> list[TemplateRow]: ...

    def template_source(self, actor: SignedInStaff, key: str, version: int) -> str: ...

    def preview(self, actor: SignedInStaff, source: str) -> ConsentText:
        """The template filled with sample details; raises InvalidTemplate if it is not one."""
        ...

    def import_template(self, actor: SignedInStaff, source: str) -> TemplateRow: ...

    def retire(self, actor: SignedInStaff, key: str, version: int) -> TemplateRow: ...
