"""Consent forms: preparing a form for a patient, signing, declining and withdrawing it.
Listing, the session-start question and the signed PDF are in `ConsentListing`
(services/consent_listing.py), the base of `ConsentService`.

Signing, declining and withdrawing are for practitioners (Permission.SIGN_CONSENT),
confirmed by re-entering their password; every record is frozen (services/
consent_writing.py) and its audit entry carries its content hash. Template and
certificate administration is in `ConsentAdministration` (services/consent_admin.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from clinic_desk.catalogue import consent_wording
from clinic_desk.domain.consent_fill import ConsentValues
from clinic_desk.domain.consent_record import (
    ConsentLink,
    ConsentRecord,
    ConsentStatus,
    LinkKind,
    PatientIdentity,
    record_from_canonical,
)
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError, NotFound, ValidationError
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.screening import ScreeningResult, ScreeningStatus, Severity
from clinic_desk.domain.signature import SignatureMeaning
from clinic_desk.services import consent_writing as writing
from clinic_desk.services.consent_documents import WorkstationKey
from clinic_desk.services.consent_dto import ConsentDraft, ConsentSummary, DrawnSignature
from clinic_desk.services.consent_forms import FormShelf, form_shelf, is_treatment_form, register
from clinic_desk.services.consent_listing import (
    ConsentListing,
    clinic_profile,
    consent_validity_months,
    consents_on_file,
    standing_in,
)
from clinic_desk.services.consent_states import links_to, standing_consent
from clinic_desk.services.context import ServiceContext, clinic_today, record_view
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.services.screening import ScreeningService
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import StaffAccount
from clinic_desk.storage.unit_of_work import UnitOfWork

__all__ = [
    "ConsentService",
    "consent_validity_months",
    "consents_on_file",
    "screening_blockers",
    "standing_in",
]

DEFAULT_TREATMENT_NAMES = {
    True: "Microneedling with radiofrequency (RF)",
    False: "Microneedling",
}


def screening_blockers(result: ScreeningResult) -> tuple[str, ...]:
    """Why the screening stops a consent to treatment being signed today."""
    open_findings = [f for f in result.findings if not f.is_cleared]
    blockers = []
    if result.status is ScreeningStatus.DO_NOT_TREAT:
        blockers += [
            f"Do not treat: {f.title} — {f.reason}"
            for f in open_findings if f.severity is Severity.DO_NOT_TREAT
        ]
    blockers += [
        f"“{f.title}” needs a practitioner's recorded clearance first."
        for f in open_findings if f.severity is Severity.NEEDS_CLEARANCE
    ]
    return tuple(blockers)


class ConsentService(ConsentListing):
    def __init__(
        self,
        ctx: ServiceContext,
        screening: ScreeningService,
        hashing: PasswordHashing,
        key: WorkstationKey,
    ) -> None:
        super().__init__(ctx, key)
        self._screening = screening
        self._hashing = hashing

    def today(self) -> date:
        with self._ctx.units() as uow:
            return clinic_today(self._ctx, uow)

    # --- preparing and signing ------------------------------------------------------

    def prepare(
        self,
        actor: SignedInStaff,
        patient_id: int,
        template_key: str,
        *,
        treatment_name: str | None = None,
    ) -> ConsentDraft:
        """The current version of the form filled for this patient today, with the
        screening (for a treatment form) and what blocks signing."""
        with self._ctx.authorized(
            actor, Permission.SIGN_CONSENT, action="consent.viewed", entity_type="patient",
            entity_id=patient_id, write=True,
        ) as (uow, account):
            draft = self._draft(uow, account, patient_id, template_key, treatment_name)
            record_view(self._ctx, uow, actor, action="consent.viewed", patient_id=patient_id)
            uow.commit()
            return draft

    def _draft(
        self,
        uow: UnitOfWork,
        account: StaffAccount,
        patient_id: int,
        template_key: str,
        treatment_name: str | None,
        shelf: FormShelf | None = None,
    ) -> ConsentDraft:
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound("That patient record does not exist.")
        profile = clinic_profile(uow)
        shelf = shelf or form_shelf(uow)
        found = shelf.current(template_key)
        if found is None:
            raise NotFound(f"The consent form “{template_key}” has no published version.")
        template = found.template
        today = clinic_today(self._ctx, uow)
        for_treatment = is_treatment_form(found.source)
        name = " ".join((treatment_name or "").split()) or (
            DEFAULT_TREATMENT_NAMES[template.radiofrequency] if for_treatment else template.title
        )
        full_name = f"{patient.given_name} {patient.family_name}"
        values = ConsentValues(
            patient_full_name=full_name,
            patient_date_of_birth=patient.date_of_birth,
            patient_number=format_patient_number(patient.id),
            clinic_name=profile.name,
            clinic_address=profile.address,
            clinic_phone=profile.phone,
            practitioner_name=account.full_name,
            treatment_name=name,
            consent_date=today,
            date_format=DateFormat(profile.date_format),
        )
        text = template.render(values, rules=self._screening.rules, wording=consent_wording())
        screening = None
        blockers: tuple[str, ...] = ()
        if for_treatment:
            screening = self._screening.screening_in(
                uow, patient_id, session_date=today, uses_rf=template.radiofrequency
            )
            blockers = screening_blockers(screening)
        standing = standing_consent(uow.consents.records_for_patient(patient_id), template.key)
        return ConsentDraft(
            patient_id=patient_id,
            patient_name=full_name,
            patient_number=format_patient_number(patient.id),
            template_key=template.key,
            template_version=template.version,
            title=text.title,
            for_treatment=for_treatment,
            covers_rf=template.radiofrequency,
            treatment_name=name,
            practitioner_name=account.full_name,
            consent_date=today,
            text=text,
            acknowledgement_keys=tuple(a.key for a in text.acknowledgements),
            screening=screening,
            blockers=blockers,
            supersedes=None if standing is None else standing.id,
        )

    def _check_password(
        self, uow: UnitOfWork, account: StaffAccount, password: str, action: str,
        patient_id: int,
    ) -> None:
        if self._hashing.verify(account.password_hash, password):
            return
        uow.audit.append(
            AuditEvent(action, "patient", patient_id, staff_id=account.id,
                       patient_id=patient_id, outcome="failed", detail="wrong password"),
            at=self._ctx.clock(),
        )
        uow.commit()
        raise ValidationError(
            "That is not your password. Enter it again to countersign.", field="password"
        )

    def _fresh(self, uow: UnitOfWork, account: StaffAccount, draft: ConsentDraft,
               shelf: FormShelf) -> ConsentDraft:
        """The draft rendered again now: refused if what the patient read has changed."""
        fresh = self._draft(uow, account, draft.patient_id, draft.template_key,
                            draft.treatment_name, shelf)
        if (fresh.template_version, fresh.text) != (draft.template_version, draft.text):
            raise ClinicDeskError(
                "The form changed since it was opened (a new version, the patient's "
                "details or the date): open it again and let the patient read it."
            )
        return fresh

    def sign(
        self,
        actor: SignedInStaff,
        draft: ConsentDraft,
        *,
        acknowledged: Sequence[str],
        patient_signature: DrawnSignature,
        password: str,
        witness: DrawnSignature | None = None,
    ) -> ConsentSummary:
        """The patient's consent, countersigned by the practitioner (password re-entered)
        and optionally witnessed; frozen, and superseding the patient's standing consent
        of the same form."""
        return self._record(actor, draft, ConsentStatus.SIGNED, acknowledged=acknowledged,
                            patient=patient_signature, password=password, witness=witness)

    def decline(
        self,
        actor: SignedInStaff,
        draft: ConsentDraft,
        *,
        reason: str,
        password: str,
        acknowledged: Sequence[str] = (),
        patient_signature: DrawnSignature | None = None,
    ) -> ConsentSummary:
        """The patient read the form and declined, for the reason given (their own
        signature of the refusal is optional)."""
        return self._record(actor, draft, ConsentStatus.DECLINED, acknowledged=acknowledged,
                            patient=patient_signature, password=password, reason=reason)

    def _record(
        self,
        actor: SignedInStaff,
        draft: ConsentDraft,
        status: ConsentStatus,
        *,
        acknowledged: Sequence[str],
        patient: DrawnSignature | None,
        password: str,
        witness: DrawnSignature | None = None,
        reason: str | None = None,
    ) -> ConsentSummary:
        signed = status is ConsentStatus.SIGNED
        action = "consent.signed" if signed else "consent.declined"
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.SIGN_CONSENT, action=action, entity_type="patient",
            entity_id=draft.patient_id, write=True,
        ) as (uow, account):
            written = None if signed else writing.written_reason(
                reason or "", what="the patient declines")
            if signed and set(acknowledged) != set(draft.acknowledgement_keys):
                raise ValidationError(
                    "The patient must tick every statement before signing.",
                    field="acknowledgements")
            if patient is not None:
                writing.check_drawn(patient, field="patient_signature")
            elif signed:
                raise ValidationError("The patient has not signed yet.",
                                      field="patient_signature")
            zone = clinic_profile(uow).time_zone
            witness_signature = (
                None if witness is None else writing.witness_of(witness, at=now, zone=zone))
            self._check_password(uow, account, password, action, draft.patient_id)
            shelf = form_shelf(uow)
            fresh = self._fresh(uow, account, draft, shelf)
            if signed and fresh.blockers:
                raise ClinicDeskError("The screening does not allow this consent to be "
                                      "signed today: " + " ".join(fresh.blockers))
            signatures = []
            if patient is not None:
                meaning = (SignatureMeaning.PATIENT_CONSENT if signed
                           else SignatureMeaning.PATIENT_DECLINE)
                signatures.append(writing.drawn_signature(
                    meaning, patient, name=fresh.patient_name, role=writing.PATIENT_ROLE,
                    at=now, zone=zone))
            signatures.append(writing.password_signature(account.full_name, at=now, zone=zone))
            if witness_signature is not None:
                signatures.append(witness_signature)
            patient_row = uow.patients.get(draft.patient_id)
            assert patient_row is not None
            links: tuple[ConsentLink, ...] = ()
            if signed and fresh.supersedes is not None:
                links = (ConsentLink(LinkKind.SUPERSEDES, fresh.supersedes),)
            template_row, new_template = register(
                uow, shelf.get(fresh.template_key, fresh.template_version),
                staff_id=account.id, at=now)
            record = ConsentRecord(
                consent_id=uow.consents.next_consent_id(),
                patient_id=draft.patient_id,
                patient=PatientIdentity(fresh.patient_name, patient_row.date_of_birth,
                                        fresh.patient_number),
                template_key=fresh.template_key,
                template_version=fresh.template_version,
                text=fresh.text,
                acknowledged=tuple(acknowledged),
                signatures=tuple(signatures),
                status=status,
                reason=written,
                links=links,
            )
            return self._freeze(uow, account, record, action, template_row.id,
                                fresh.for_treatment, fresh.covers_rf,
                                extra=[template_row] if new_template else [])

    def _freeze(
        self, uow: UnitOfWork, account: StaffAccount, record: ConsentRecord, action: str,
        template_id: int, for_treatment: bool, covers_rf: bool, *, extra: list[object],
    ) -> ConsentSummary:
        now = self._ctx.clock()
        row, signature_rows = writing.store(
            uow, record, template_id=template_id, for_treatment=for_treatment,
            covers_rf=covers_rf, signed_on=clinic_today(self._ctx, uow),
            recorded_by=account.id,
            staff_ids={SignatureMeaning.PRACTITIONER: account.id},
        )
        uow.audit.append(
            AuditEvent(action, "consent_record", row.id, staff_id=account.id,
                       patient_id=record.patient_id, detail=f"sha256 {row.content_hash}"),
            at=now,
            records=[row, *signature_rows, *extra],
        )
        summary = self._summaries(uow, record.patient_id, only=row.id)[0]
        uow.commit()
        return summary

    def withdraw(
        self,
        actor: SignedInStaff,
        consent_id: int,
        *,
        reason: str,
        password: str,
        patient_signature: DrawnSignature | None = None,
    ) -> ConsentSummary:
        """The patient withdraws a signed consent: a new record naming it (the consent
        itself stays byte for byte as signed). Returns the withdrawal's summary."""
        with self._ctx.authorized(
            actor, Permission.SIGN_CONSENT, action="consent.withdrawn",
            entity_type="consent_record", entity_id=consent_id, write=True,
        ) as (uow, account):
            original = uow.consents.record(consent_id)
            if original is None:
                raise NotFound(f"There is no consent no. {consent_id}.")
            rows = uow.consents.records_for_patient(original.patient_id)
            if (original.status != ConsentStatus.SIGNED.value or original.link_kind
                    == LinkKind.WITHDRAWS.value):
                raise ClinicDeskError("Only a signed consent can be withdrawn.")
            if original.id in links_to(rows):
                raise ClinicDeskError(
                    f"Consent no. {consent_id} was already withdrawn or replaced.")
            written = writing.written_reason(reason, what="the consent is withdrawn")
            if patient_signature is not None:
                writing.check_drawn(patient_signature, field="patient_signature")
            self._check_password(uow, account, password, "consent.withdrawn",
                                 original.patient_id)
            now = self._ctx.clock()
            zone = clinic_profile(uow).time_zone
            frozen = record_from_canonical(original.canonical_json.encode("utf-8"))
            signatures = []
            if patient_signature is not None:
                signatures.append(writing.drawn_signature(
                    SignatureMeaning.PATIENT_DECLINE, patient_signature,
                    name=frozen.patient.full_name, role=writing.PATIENT_ROLE, at=now,
                    zone=zone))
            signatures.append(writing.password_signature(account.full_name, at=now, zone=zone))
            record = ConsentRecord(
                consent_id=uow.consents.next_consent_id(),
                patient_id=original.patient_id,
                patient=frozen.patient,
                template_key=frozen.template_key,
                template_version=frozen.template_version,
                text=frozen.text,
                acknowledged=(),
                signatures=tuple(signatures),
                status=ConsentStatus.DECLINED,
                reason=written,
                links=(ConsentLink(LinkKind.WITHDRAWS, original.id),),
            )
            return self._freeze(uow, account, record, "consent.withdrawn",
                                original.template_id, original.for_treatment,
                                original.covers_rf, extra=[])
