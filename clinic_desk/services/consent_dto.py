"""Plain values the consent service hands out and takes in (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from clinic_desk.domain.consent_record import ConsentStatus, LinkKind
from clinic_desk.domain.consent_template import TemplateProblem, TemplateStatus
from clinic_desk.domain.consent_text import ConsentText
from clinic_desk.domain.screening import ScreeningResult
from clinic_desk.domain.session_start import ConsentOnFile, StartBlocker
from clinic_desk.domain.signature import SignatureInk

# The shipped forms, by key: the treatment chosen picks one of the first two.
MICRONEEDLING_FORM = "microneedling"
MICRONEEDLING_RF_FORM = "microneedling-rf"
PHOTOGRAPHY_FORM = "photography"


class ConsentState(StrEnum):
    """How a consent stands now, as the lists show it (words and icon in the UI)."""

    SIGNED = "signed"  # signed and standing
    DECLINED = "declined"  # the patient read the form and declined
    WITHDRAWN = "withdrawn"  # signed, then withdrawn by a later record
    WITHDRAWAL = "withdrawal"  # the record of a withdrawal (names the consent withdrawn)
    SUPERSEDED = "superseded"  # replaced by a later consent (re-consent or correction)
    RECONSENT_NEEDED = "reconsent_needed"  # standing, but a new form version or expired


@dataclass(frozen=True, slots=True)
class TemplateView:
    """One version of one consent form."""

    template_key: str
    version: int
    title: str
    status: TemplateStatus  # as it stands now (a retirement in the database counts)
    published: date | None
    radiofrequency: bool
    for_treatment: bool  # lists contraindications: screening gates it; sessions need it
    origin: str  # "shipped" (reports/consent/) or "imported" (by an administrator)
    is_current: bool  # the version a new consent of this form is signed on
    source: str  # the file's text, exactly as written
    text: ConsentText  # parsed, placeholders not yet filled
    consents_recorded: int = 0  # consent records (any status) made on this version


@dataclass(frozen=True, slots=True)
class TemplatePreview:
    """A template an administrator is about to import: its problems (each with its
    line), or the form filled with sample values as a patient would read it."""

    problems: tuple[TemplateProblem, ...]
    template: TemplateView | None
    filled: ConsentText | None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ConsentDraft:
    """A form prepared for one patient today: the exact text they will read and sign.

    `blockers` says why it cannot be signed now (screening: do not treat, a finding not
    cleared); the patient may still decline. Hand the draft back to `sign`/`decline`:
    the service renders it again and refuses if anything changed meanwhile."""

    patient_id: int
    patient_name: str
    patient_number: str
    template_key: str
    template_version: int
    title: str
    for_treatment: bool
    covers_rf: bool
    treatment_name: str
    practitioner_name: str
    consent_date: date
    text: ConsentText
    acknowledgement_keys: tuple[str, ...]
    screening: ScreeningResult | None  # None for a form that is not for treatment
    blockers: tuple[str, ...]
    supersedes: int | None  # the standing consent of this form the new one replaces

    @property
    def can_sign(self) -> bool:
        return not self.blockers


@dataclass(frozen=True, slots=True)
class DrawnSignature:
    """A signature drawn on the pad: the strokes and the picture the pad rendered.
    The patient's name and role are filled in by the service; a witness gives theirs."""

    ink: SignatureInk
    image_png: bytes
    signer_name: str = ""
    signer_role: str = ""


@dataclass(frozen=True, slots=True)
class SignatureView:
    meaning: str  # SignatureMeaning value
    signer_name: str
    signer_role: str
    signed_at: datetime
    time_zone: str
    drawn: bool


@dataclass(frozen=True, slots=True)
class ConsentSummary:
    """One consent record as the lists show it."""

    consent_id: int
    patient_id: int
    patient_number: str
    patient_name: str  # as on the form when signed
    template_key: str
    template_version: int
    title: str
    status: ConsentStatus  # as frozen: signed or declined
    state: ConsentState  # as it stands now
    state_reasons: tuple[str, ...]  # why withdrawn / superseded / re-consent needed
    signed_at: datetime  # UTC
    signed_on: date  # the clinic's date
    time_zone: str
    valid_until: date | None  # last valid day of a signed treatment consent
    for_treatment: bool
    covers_rf: bool
    link_kind: LinkKind | None  # how this record relates to an earlier one
    linked_consent_id: int | None
    linked_by: tuple[tuple[LinkKind, int], ...]  # later records that name this one
    reason: str | None  # declined / withdrawn / corrected: why
    content_hash: str
    recorded_by: str  # the practitioner who recorded it
    intact: bool  # the stored bytes still match the content hash
    signatures: tuple[SignatureView, ...] = ()


@dataclass(frozen=True, slots=True)
class ReconsentFlag:
    """Whether a patient must sign again (patient list, chart header)."""

    patient_id: int
    needed: bool
    reasons: tuple[str, ...]
    consent_ids: tuple[int, ...]  # the standing consents concerned


@dataclass(frozen=True, slots=True)
class ConsentStanding:
    """May a session with (or without) RF go ahead on this day, as far as consent goes?
    `blocker` uses the session-start wording (domain/session_start.py)."""

    ok: bool
    consent_id: int | None
    valid_until: date | None
    blocker: StartBlocker | None
    validity_months: int
    consents_on_file: tuple[ConsentOnFile, ...]


@dataclass(frozen=True, slots=True)
class ConsentDocument:
    """A consent's PDF, rendered and signed by the clinic (PAdES)."""

    consent_id: int
    file_name: str
    pdf: bytes
    content_hash: str


@dataclass(frozen=True, slots=True)
class CertificateView:
    subject: str
    fingerprint: str
    not_before: datetime
    not_after: datetime
    origin: str  # "created" or "imported"
    workstation: str
    kept_here: bool  # this workstation holds its private key


@dataclass(frozen=True, slots=True)
class PdfCheck:
    """`consent verify`: one line either way."""

    ok: bool
    message: str
    consent_id: int | None = None
