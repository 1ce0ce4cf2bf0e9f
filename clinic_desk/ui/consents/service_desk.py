"""The consent service as the consent windows use it (`ConsentDesk`): its summaries and
drafts turned into the rows and forms the windows show, and back."""

from __future__ import annotations

from collections.abc import Iterable

from clinic_desk.domain.consent_template import TemplateStatus
from clinic_desk.domain.screening import STATUS_LABELS, ScreeningStatus, Severity
from clinic_desk.services.consent_dto import (
    ConsentDraft,
    ConsentState,
    ConsentSummary,
    DrawnSignature,
    TemplateView,
)
from clinic_desk.services.consents import ConsentService
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.port import (
    ConsentRow,
    ConsentStanding,
    Countersignature,
    FormChoice,
    PatientSignature,
    SigningForm,
    TemplateCheck,
    TemplateRow,
)
from clinic_desk.ui.i18n import tr

STANDINGS = {
    ConsentState.SIGNED: ConsentStanding.SIGNED,
    ConsentState.DECLINED: ConsentStanding.DECLINED,
    ConsentState.WITHDRAWN: ConsentStanding.WITHDRAWN,
    ConsentState.WITHDRAWAL: ConsentStanding.WITHDRAWAL,
    ConsentState.SUPERSEDED: ConsentStanding.SUPERSEDED,
    ConsentState.RECONSENT_NEEDED: ConsentStanding.RECONSENT_NEEDED,
}


def consent_row(summary: ConsentSummary) -> ConsentRow:
    return ConsentRow(
        consent_id=summary.consent_id,
        patient_id=summary.patient_id,
        patient_name=summary.patient_name,
        title=summary.title,
        template_key=summary.template_key,
        template_version=summary.template_version,
        radiofrequency=summary.covers_rf,
        standing=STANDINGS[summary.state],
        signed_at_utc=summary.signed_at,
        time_zone=summary.time_zone,
        reason=summary.reason or "",
        content_hash=summary.content_hash,
        why_standing="; ".join(summary.state_reasons),
    )


def template_row(view: TemplateView) -> TemplateRow:
    return TemplateRow(view.template_key, view.version, view.title, view.status,
                       view.radiofrequency, view.published, view.origin, view.is_current,
                       view.source, view.consents_recorded)


def signing_form(draft: ConsentDraft) -> SigningForm:
    screening = draft.screening
    word = tr(STATUS_LABELS[screening.status]) if screening is not None else ""
    clearable = () if screening is None or screening.status is ScreeningStatus.DO_NOT_TREAT \
        else tuple(f for f in screening.findings
                   if not f.is_cleared and f.severity is Severity.NEEDS_CLEARANCE)
    return SigningForm(draft.patient_id, draft.patient_name, draft.template_key,
                       draft.template_version, draft.covers_rf, draft.text, draft.blockers,
                       word, draft.supersedes, draft, clearable)


def _draft(form: SigningForm) -> ConsentDraft:
    assert isinstance(form.draft, ConsentDraft), "a form prepared by this desk"
    return form.draft


class ServiceConsentDesk:
    def __init__(self, service: ConsentService) -> None:
        self._service = service

    def consents(self, actor: SignedInStaff, patient_id: int) -> list[ConsentRow]:
        return [consent_row(s) for s in self._service.consents_for_patient(actor, patient_id)]

    def recent(self, actor: SignedInStaff) -> list[ConsentRow]:
        return [consent_row(s) for s in self._service.all_consents(actor, limit=500)]

    def reconsent_needed(self, actor: SignedInStaff, patient_ids: Iterable[int]
                         ) -> dict[int, tuple[str, ...]]:
        flags = self._service.reconsent_flags(actor, list(patient_ids))
        return {pid: flag.reasons for pid, flag in flags.items() if flag.needed}

    def forms(self, actor: SignedInStaff) -> list[FormChoice]:
        return [FormChoice(v.template_key, v.version, v.title, v.radiofrequency)
                for v in self._service.templates(actor)
                if v.is_current and v.status is TemplateStatus.PUBLISHED]

    def prepare(self, actor: SignedInStaff, patient_id: int, form_key: str) -> SigningForm:
        return signing_form(self._service.prepare(actor, patient_id, form_key))

    def sign(self, actor: SignedInStaff, form: SigningForm, patient: PatientSignature,
             countersignature: Countersignature) -> ConsentRow:
        witness = None
        if countersignature.witness_ink is not None and countersignature.witness_png:
            witness = DrawnSignature(countersignature.witness_ink, countersignature.witness_png,
                                     countersignature.witness_name, tr("Witness"))
        return consent_row(self._service.sign(
            actor, _draft(form), acknowledged=patient.acknowledged,
            patient_signature=DrawnSignature(patient.ink, patient.png),
            password=countersignature.practitioner_password, witness=witness))

    def decline(self, actor: SignedInStaff, form: SigningForm, acknowledged: tuple[str, ...],
                reason: str, password: str) -> ConsentRow:
        return consent_row(self._service.decline(actor, _draft(form), reason=reason,
                                                 password=password, acknowledged=acknowledged))

    def withdraw(self, actor: SignedInStaff, consent_id: int, reason: str,
                 password: str) -> ConsentRow:
        return consent_row(self._service.withdraw(actor, consent_id, reason=reason,
                                                  password=password))

    def pdf(self, actor: SignedInStaff, consent_id: int) -> bytes:
        return self._service.document(actor, consent_id).pdf

    def record_printed(self, actor: SignedInStaff, consent_id: int, *, printer: str,
                       copies: int, pdf: bytes = b"") -> None:
        self._service.record_output(actor, consent_id, how="printed",
                                    detail=f"{copies} × {printer}", pdf=pdf or None)

    def record_saved(self, actor: SignedInStaff, consent_id: int, *, file_name: str,
                     pdf: bytes = b"") -> None:
        self._service.record_output(actor, consent_id, how="saved", detail=file_name,
                                    pdf=pdf or None)

    def templates(self, actor: SignedInStaff) -> list[TemplateRow]:
        return [template_row(v) for v in self._service.templates(actor)]

    def check_template(self, actor: SignedInStaff, source: str) -> TemplateCheck:
        preview = self._service.preview_template(actor, source)
        return TemplateCheck(tuple(str(p) for p in preview.problems), preview.filled)

    def import_template(self, actor: SignedInStaff, source: str) -> TemplateRow:
        return template_row(self._service.import_template(actor, source))

    def retire(self, actor: SignedInStaff, key: str, version: int) -> TemplateRow:
        return template_row(self._service.retire_template(actor, key, version))
