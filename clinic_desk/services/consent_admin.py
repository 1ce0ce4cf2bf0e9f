"""Administering consent forms and the clinic's signing identity: template versions
listed, previewed, imported, published and retired; the signing certificate created on
first use or imported from a PKCS#12 file. Every change is audited."""

from __future__ import annotations

from datetime import date

from clinic_desk.catalogue import consent_wording, rule_book
from clinic_desk.domain.consent_fill import ConsentFillError, ConsentValues
from clinic_desk.domain.consent_shelf import check_imported_template, shelf_of
from clinic_desk.domain.consent_template import (
    InvalidTemplate,
    TemplateProblem,
    TemplateStatus,
)
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.services.consent_documents import (
    CREATED,
    IMPORTED,
    WorkstationKey,
    certificate_row,
    certificate_view,
)
from clinic_desk.services.consent_dto import CertificateView, TemplatePreview, TemplateView
from clinic_desk.services.consent_forms import (
    IMPORTED as IMPORTED_FORM,
)
from clinic_desk.services.consent_forms import (
    FormShelf,
    FormVersion,
    form_shelf,
    register,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_consents import ConsentTemplateStatusRow
from clinic_desk.storage.unit_of_work import UnitOfWork

MAX_TEMPLATE_CHARS = 200_000
SAMPLE_VALUES = ConsentValues(
    patient_full_name="Zoë Ångström-Müller Ferreira de la Fuente",
    patient_date_of_birth=date(1987, 3, 14),
    patient_number="P-000417",
    clinic_name="(your clinic)",
    clinic_address="(the clinic's address)",
    clinic_phone="(the clinic's phone)",
    practitioner_name="(the practitioner)",
    treatment_name="Microneedling of the full face",
    consent_date=date(2026, 11, 30),
    date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
)


class ConsentAdministration:
    def __init__(self, ctx: ServiceContext, key: WorkstationKey) -> None:
        self._ctx = ctx
        self._key = key

    # --- templates ------------------------------------------------------------------

    def templates(self, actor: SignedInStaff) -> list[TemplateView]:
        """Every version of every form (retired ones too: they stay readable)."""
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="consent.templates_viewed",
            entity_type="consent_template",
        ) as (uow, _):
            shelf = form_shelf(uow)
            return [shelf.view(v) for v in shelf.versions]

    def template(self, actor: SignedInStaff, template_key: str, version: int) -> TemplateView:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="consent.templates_viewed",
            entity_type="consent_template",
        ) as (uow, _):
            shelf = form_shelf(uow)
            return shelf.view(shelf.get(template_key, version))

    def preview_template(self, actor: SignedInStaff, source: str) -> TemplatePreview:
        """Check a template an administrator is about to import, and fill it with sample
        values as a patient would read it; nothing is stored."""
        with self._ctx.authorized(
            actor, Permission.MANAGE_CONSENT_FORMS, action="consent.template_imported",
            entity_type="consent_template",
        ) as (uow, _):
            shelf = form_shelf(uow)
            try:
                found = self._checked(source, shelf)
            except InvalidTemplate as invalid:
                return TemplatePreview(invalid.problems, None, None)
            try:
                filled = found.template.render(SAMPLE_VALUES, rules=rule_book(),
                                               wording=consent_wording())
            except ConsentFillError as problem:
                return TemplatePreview((TemplateProblem(None, str(problem)),), None, None)
            with_it = FormShelf(tuple(sorted((*shelf.versions, found), key=lambda v: v.key)))
            return TemplatePreview((), with_it.view(found), filled)

    def _checked(self, source: str, shelf: FormShelf) -> FormVersion:
        if len(source) > MAX_TEMPLATE_CHARS:
            raise InvalidTemplate([TemplateProblem(None, "the file is too long for a form")])
        template = check_imported_template(source, shelf_of(shelf.templates()))
        return FormVersion(template, source, IMPORTED_FORM, template.status, None)

    def import_template(self, actor: SignedInStaff, source: str) -> TemplateView:
        """A new version of a form (or a new form), as draft or published. Raises
        `InvalidTemplate` listing every problem with its line."""
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.MANAGE_CONSENT_FORMS, action="consent.template_imported",
            entity_type="consent_template", write=True,
        ) as (uow, _):
            found = self._checked(source, form_shelf(uow))
            try:
                found.template.render(SAMPLE_VALUES, rules=rule_book(),
                                      wording=consent_wording())
            except ConsentFillError as problem:
                raise ValidationError(str(problem), field="source") from None
            row, _ = register(uow, found, staff_id=actor.staff_id, at=now)
            uow.audit.append(
                AuditEvent("consent.template_imported", "consent_template",
                           f"{row.form_key} v{row.version}", staff_id=actor.staff_id,
                           detail=f"sha256 {row.source_sha256}"),
                at=now, records=[row])
            shelf = form_shelf(uow)
            view = shelf.view(shelf.get(row.form_key, row.version))
            uow.commit()
            return view

    def retire_template(self, actor: SignedInStaff, template_key: str, version: int
                        ) -> TemplateView:
        """No new consent is signed on this version; it stays readable, and the consents
        signed on it keep pointing at it."""
        return self._set_status(actor, template_key, version, TemplateStatus.RETIRED)

    def publish_template(self, actor: SignedInStaff, template_key: str, version: int
                         ) -> TemplateView:
        """A draft (or a retired version) becomes the one new consents are signed on, if
        it is the newest published version of its form."""
        return self._set_status(actor, template_key, version, TemplateStatus.PUBLISHED)

    def _set_status(self, actor: SignedInStaff, template_key: str, version: int,
                    status: TemplateStatus) -> TemplateView:
        action = ("consent.template_retired" if status is TemplateStatus.RETIRED
                  else "consent.template_published")
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.MANAGE_CONSENT_FORMS, action=action,
            entity_type="consent_template", entity_id=f"{template_key} v{version}", write=True,
        ) as (uow, _):
            shelf = form_shelf(uow)
            found = shelf.get(template_key, version)
            if found.status is status:
                return shelf.view(found)
            template_row, new = register(uow, found, staff_id=actor.staff_id, at=now)
            change = ConsentTemplateStatusRow(template_id=template_row.id, status=status.value,
                                              changed_at=now, changed_by=actor.staff_id)
            uow.consents.add(change)
            uow.audit.append(
                AuditEvent(action, "consent_template", f"{template_key} v{version}",
                           staff_id=actor.staff_id),
                at=now, records=[change, *([template_row] if new else [])])
            shelf = form_shelf(uow)
            view = shelf.view(shelf.get(template_key, version))
            uow.commit()
            return view

    # --- the clinic's signing identity ------------------------------------------------

    def certificates(self, actor: SignedInStaff) -> list[CertificateView]:
        """Every certificate the clinic's PDFs were signed with (all are trusted when a
        PDF is checked); `kept_here` marks the one this workstation signs with."""
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="signing.viewed",
            entity_type="signing_certificate",
        ) as (uow, _):
            here = self._key.fingerprint_here()
            return [certificate_view(r, here) for r in uow.consents.certificates()]

    def ensure_signing_identity(self, actor: SignedInStaff) -> CertificateView:
        """This workstation's signing identity, made now if it has none (at clinic set-up
        or the first time consents are used on an existing clinic)."""
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="signing.certificate_registered",
            entity_type="signing_certificate", write=True,
        ) as (uow, _):
            profile = uow.clinic.get()
            if profile is None:
                raise NotFound("This database has no clinic profile.")
            identity, _ = self._key.get(profile.name, now=now)
            return self._register(uow, identity, CREATED, actor.staff_id)

    def import_signing_identity(
        self, actor: SignedInStaff, pkcs12: bytes, password: str
    ) -> CertificateView:
        """An administrator replaces this workstation's signing identity by a PKCS#12
        file (for instance one a certificate authority issued). Older certificates stay
        trusted for the PDFs they signed."""
        from clinic_desk.documents.signing import SigningIdentityError

        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.MANAGE_CONSENT_FORMS, action="signing.certificate_registered",
            entity_type="signing_certificate", write=True,
        ) as (uow, _):
            try:
                identity = self._key.replace(pkcs12, password.encode("utf-8"), now=now)
            except SigningIdentityError as problem:
                raise ValidationError(str(problem), field="pkcs12") from None
            return self._register(uow, identity, IMPORTED, actor.staff_id)

    def _register(self, uow: UnitOfWork, identity: object, origin: str, staff_id: int
                  ) -> CertificateView:
        from clinic_desk.documents.signing import SigningIdentity

        assert isinstance(identity, SigningIdentity)
        now = self._ctx.clock()
        row, new = certificate_row(uow, identity, origin=origin,
                                   workstation=self._ctx.units.workstation,
                                   staff_id=staff_id, at=now)
        if new:
            uow.audit.append(
                AuditEvent("signing.certificate_registered", "signing_certificate", row.id,
                           staff_id=staff_id, detail=row.fingerprint),
                at=now, records=[row])
        view = certificate_view(row, identity.fingerprint)
        uow.commit()
        return view

