"""An in-memory consent desk for the consent window tests: the real shipped templates,
rule book and PDF layout, the permission and password checks the service makes, and a
record of every call. (The service itself is tested on both databases elsewhere.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from clinic_desk.catalogue import consent_templates, consent_wording, rule_book
from clinic_desk.domain.consent_fill import ConsentValues
from clinic_desk.domain.consent_record import (
    ConsentRecord,
    ConsentSignature,
    ConsentStatus,
    PatientIdentity,
)
from clinic_desk.domain.consent_shelf import check_imported_template, shelf_of
from clinic_desk.domain.consent_template import (
    ConsentTemplate,
    InvalidTemplate,
    TemplateStatus,
    parse_template,
)
from clinic_desk.domain.consent_text import ConsentText
from clinic_desk.domain.errors import AuthenticationFailed, NotFound, PermissionDenied
from clinic_desk.domain.roles import Permission, Role
from clinic_desk.domain.signature import SignatureMeaning, trivial_mark_reason
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

PASSWORD = "correct horse battery"
ZONE = "Europe/Paris"
START = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


@dataclass
class FakeConsentDesk:
    patients: dict[int, str] = field(default_factory=dict)
    blocked: dict[int, tuple[str, ...]] = field(default_factory=dict)
    rows: list[ConsentRow] = field(default_factory=list)
    records: dict[int, ConsentRecord] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    # The PDF bytes each print or save handed on for the documents history.
    handed_out: list[bytes] = field(default_factory=list)
    imported: list[ConsentTemplate] = field(default_factory=list)
    retired: set[tuple[str, int]] = field(default_factory=set)
    reconsent: set[int] = field(default_factory=set)
    sources: dict[tuple[str, int], str] = field(default_factory=dict)
    next_id: int = 1001

    def _shelf_templates(self) -> list[ConsentTemplate]:
        shipped = list(consent_templates().templates) + self.imported
        return [replace(t, status=TemplateStatus.RETIRED) if (t.key, t.version) in self.retired
                else t for t in shipped]

    def _now(self) -> datetime:
        return START + timedelta(minutes=len(self.calls))

    @staticmethod
    def _require(actor: SignedInStaff, permission: Permission) -> None:
        if not actor.may(permission):
            raise PermissionDenied("Only a practitioner can sign consent forms.")

    @staticmethod
    def _admin(actor: SignedInStaff) -> None:
        if Role.ADMINISTRATOR not in actor.roles:
            raise PermissionDenied("Only an administrator can manage consent templates.")

    # --- consents ----------------------------------------------------------------------

    def consents(self, actor: SignedInStaff, patient_id: int) -> list[ConsentRow]:
        return [self._shown(r) for r in reversed(self.rows) if r.patient_id == patient_id]

    def recent(self, actor: SignedInStaff) -> list[ConsentRow]:
        return [self._shown(r) for r in reversed(self.rows)]

    def _shown(self, row: ConsentRow) -> ConsentRow:
        if row.consent_id in self.reconsent and row.standing is ConsentStanding.SIGNED:
            return replace(row, standing=ConsentStanding.RECONSENT_NEEDED,
                           why_standing="a new version of the form was published")
        return row

    def reconsent_needed(self, actor: SignedInStaff, patient_ids: Iterable[int]
                         ) -> dict[int, tuple[str, ...]]:
        wanted = set(patient_ids)
        return {r.patient_id: ("a new version of the form was published",) for r in self.rows
                if r.consent_id in self.reconsent and r.patient_id in wanted
                and r.standing is ConsentStanding.SIGNED}

    def forms(self, actor: SignedInStaff) -> list[FormChoice]:
        shelf = shelf_of(self._shelf_templates())
        found = [shelf.current(key) for key in shelf.form_keys()]
        return [FormChoice(t.key, t.version, t.title, t.radiofrequency)
                for t in found if t is not None]

    def prepare(self, actor: SignedInStaff, patient_id: int, form_key: str) -> SigningForm:
        self._require(actor, Permission.SIGN_CONSENT)
        template = shelf_of(self._shelf_templates()).current(form_key)
        if template is None:
            raise NotFound("That form has no published version.")
        name = self.patients[patient_id]
        text = template.render(self._values(name, actor.full_name), rules=rule_book(),
                               wording=consent_wording())
        blockers = self.blocked.get(patient_id, ())
        standing = next((r.consent_id for r in reversed(self.rows)
                         if r.patient_id == patient_id and r.template_key == form_key
                         and r.standing is ConsentStanding.SIGNED), None)
        return SigningForm(patient_id, name, template.key, template.version,
                           template.radiofrequency, text, blockers,
                           "Do not treat" if blockers else "Clear", standing)

    @staticmethod
    def _values(name: str, practitioner: str) -> ConsentValues:
        return ConsentValues(
            patient_full_name=name, patient_date_of_birth=date(1987, 3, 14),
            patient_number="P-000417", clinic_name="Clinique Lumière & Peau",
            clinic_address="12 Rue de l'Élysée\n75008 Paris", clinic_phone="+33 1 42 65 00 00",
            practitioner_name=practitioner, treatment_name="Microneedling",
            consent_date=date(2026, 11, 30))

    def sign(self, actor: SignedInStaff, form: SigningForm, patient: PatientSignature,
             countersignature: Countersignature) -> ConsentRow:
        self._require(actor, Permission.SIGN_CONSENT)
        problem = trivial_mark_reason(patient.ink)
        if problem is not None:
            raise PermissionDenied(problem)
        self._password(countersignature.practitioner_password)
        replaces = form.supersedes
        self.calls.append(("sign", (form, patient, countersignature, replaces)))
        if replaces is not None:
            self.rows = [replace(r, standing=ConsentStanding.SUPERSEDED)
                         if r.consent_id == replaces else r for r in self.rows]
            self.reconsent.discard(replaces)
        now = self._now()
        signatures = [
            ConsentSignature(SignatureMeaning.PATIENT_CONSENT, form.patient_name, "Patient",
                             now, ZONE, patient.ink, image_png=patient.png),
            ConsentSignature(SignatureMeaning.PRACTITIONER, actor.full_name, "Practitioner",
                             now, ZONE, None),
        ]
        if countersignature.witness_name:
            signatures.append(ConsentSignature(
                SignatureMeaning.WITNESS, countersignature.witness_name, "Witness", now, ZONE,
                countersignature.witness_ink, image_png=countersignature.witness_png))
        return self._add(form, ConsentStanding.SIGNED, now, "", patient.acknowledged,
                         tuple(signatures))

    @staticmethod
    def _password(password: str) -> None:
        if password != PASSWORD:
            raise AuthenticationFailed("That is not your password. Enter it again.")

    def decline(self, actor: SignedInStaff, form: SigningForm, acknowledged: tuple[str, ...],
                reason: str, password: str) -> ConsentRow:
        self._require(actor, Permission.SIGN_CONSENT)
        self._password(password)
        self.calls.append(("decline", (form, acknowledged, reason)))
        now = self._now()
        practitioner = ConsentSignature(SignatureMeaning.PRACTITIONER, actor.full_name,
                                        "Practitioner", now, ZONE, None)
        return self._add(form, ConsentStanding.DECLINED, now, reason, acknowledged,
                         (practitioner,))

    def _add(self, form: SigningForm, standing: ConsentStanding, now: datetime, reason: str,
             acknowledged: tuple[str, ...], signatures: tuple[ConsentSignature, ...]
             ) -> ConsentRow:
        consent_id = self.next_id
        self.next_id += 1
        record = ConsentRecord(
            consent_id=consent_id, patient_id=form.patient_id,
            patient=PatientIdentity(form.patient_name, date(1987, 3, 14), "P-000417"),
            template_key=form.template_key, template_version=form.template_version,
            text=form.text, acknowledged=acknowledged, signatures=signatures,
            status=ConsentStatus.DECLINED if standing is ConsentStanding.DECLINED
            else ConsentStatus.SIGNED, reason=reason or None)
        self.records[consent_id] = record
        row = ConsentRow(consent_id, form.patient_id, form.patient_name, form.text.title,
                         form.template_key, form.template_version, form.radiofrequency,
                         standing, now, ZONE, reason, record.content_hash())
        self.rows.append(row)
        return row

    def withdraw(self, actor: SignedInStaff, consent_id: int, reason: str,
                 password: str) -> ConsentRow:
        self._require(actor, Permission.SIGN_CONSENT)
        self._password(password)
        self.calls.append(("withdraw", (consent_id, reason)))
        found = next((r for r in self.rows if r.consent_id == consent_id), None)
        if found is None:
            raise NotFound("That consent does not exist.")
        self.rows = [replace(r, standing=ConsentStanding.WITHDRAWN, reason=reason)
                     if r.consent_id == consent_id else r for r in self.rows]
        withdrawal = replace(found, consent_id=self.next_id, standing=ConsentStanding.WITHDRAWAL,
                             reason=reason)
        self.next_id += 1
        self.rows.append(withdrawal)
        return withdrawal

    def pdf(self, actor: SignedInStaff, consent_id: int) -> bytes:
        from clinic_desk.documents.consent_pdf import ConsentPdfInput, consent_pdf
        from clinic_desk.documents.pdf_base import Letterhead
        from clinic_desk.domain.clinic_profile import PaperSize
        from clinic_desk.domain.dates import DateFormat

        self.calls.append(("pdf", consent_id))
        record = self.records[consent_id]
        letterhead = Letterhead("Clinique Lumière & Peau", "12 Rue de l'Élysée\n75008 Paris",
                                "+33 1 42 65 00 00")
        return consent_pdf(ConsentPdfInput(record, letterhead, PaperSize.A4,
                                           DateFormat.DAY_MONTH_YEAR_SLASH))

    def record_printed(self, actor: SignedInStaff, consent_id: int, *, printer: str,
                       copies: int, pdf: bytes = b"") -> None:
        self.calls.append(("printed", (consent_id, printer, copies)))
        self.handed_out.append(pdf)

    def record_saved(self, actor: SignedInStaff, consent_id: int, *, file_name: str,
                     pdf: bytes = b"") -> None:
        self.calls.append(("saved", (consent_id, file_name)))
        self.handed_out.append(pdf)

    # --- templates ---------------------------------------------------------------------------

    def templates(self, actor: SignedInStaff) -> list[TemplateRow]:
        shelf = shelf_of(self._shelf_templates())
        current = {(t.key, t.version) for t in (shelf.current(k) for k in shelf.form_keys())
                   if t is not None}
        return [TemplateRow(t.key, t.version, t.title, t.status, t.radiofrequency, t.published,
                            "imported" if t in self.imported else "shipped",
                            (t.key, t.version) in current, self._source(t.key, t.version),
                            sum(1 for r in self.rows if (r.template_key, r.template_version)
                                == (t.key, t.version)))
                for t in shelf.templates]

    def _source(self, key: str, version: int) -> str:
        from clinic_desk.domain.consent_shelf import template_file_name
        from clinic_desk.shipped import reports_root

        if (key, version) in self.sources:
            return self.sources[(key, version)]
        return reports_root().joinpath("consent", template_file_name(key, version)).read_text(
            "utf-8")

    def check_template(self, actor: SignedInStaff, source: str) -> TemplateCheck:
        self._admin(actor)
        try:
            check_imported_template(source, shelf_of(self._shelf_templates()))
            return TemplateCheck((), self._sample(actor, source))
        except InvalidTemplate as invalid:
            return TemplateCheck(tuple(str(p) for p in invalid.problems), None)

    def _sample(self, actor: SignedInStaff, source: str) -> ConsentText:
        return parse_template(source).render(
            self._values("Zoë Ångström-Müller Ferreira de la Fuente", actor.full_name),
            rules=rule_book(), wording=consent_wording())

    def import_template(self, actor: SignedInStaff, source: str) -> TemplateRow:
        self._admin(actor)
        template = check_imported_template(source, shelf_of(self._shelf_templates()))
        self.imported.append(template)
        self.sources[(template.key, template.version)] = source
        self.calls.append(("import", (template.key, template.version)))
        return next(r for r in self.templates(actor)
                    if (r.template_key, r.template_version) == (template.key, template.version))

    def retire(self, actor: SignedInStaff, key: str, version: int) -> TemplateRow:
        self._admin(actor)
        self.retired.add((key, version))
        self.calls.append(("retire", (key, version)))
        return next(r for r in self.templates(actor)
                    if (r.template_key, r.template_version) == (key, version))
