"""Consents as they stand: lists, re-consent flags, the session-start question, the
signed PDF and its check, and the command line's access (no one signed in). The base of
`ConsentService` (services/consents.py), which adds preparing, signing, declining and
withdrawing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from clinic_desk.domain.consent_record import record_from_canonical
from clinic_desk.domain.errors import ClinicDeskError, NotFound
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.session_start import (
    ConsentOnFile,
    check_session_start,
    consent_last_valid_day,
)
from clinic_desk.services.consent_admin import ConsentAdministration
from clinic_desk.services.consent_documents import (
    CREATED,
    certificate_row,
    check_pdf,
    file_name,
    render_pdf,
    sign_consent_pdf,
)
from clinic_desk.services.consent_dto import (
    ConsentDocument,
    ConsentStanding,
    ConsentSummary,
    PdfCheck,
    ReconsentFlag,
)
from clinic_desk.services.consent_forms import form_shelf
from clinic_desk.services.consent_states import (
    consents_on_file_of,
    links_to,
    reconsent_flag,
    summary_of,
)
from clinic_desk.services.context import clinic_today, record_view
from clinic_desk.services.documents import (
    DocumentKind,
    GeneratedDocument,
    HandOut,
    store_handout,
)
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile
from clinic_desk.storage.models_consents import ConsentRecordRow
from clinic_desk.storage.unit_of_work import UnitOfWork

COMMAND_LINE = "command line"


def consent_validity_months(uow: UnitOfWork) -> int:
    profile = uow.clinic.get()
    return profile.consent_validity_months if profile is not None else 12


def consents_on_file(uow: UnitOfWork, patient_id: int) -> list[ConsentOnFile]:
    """For another service's unit of work (the session-start gate): the patient's signed
    treatment consents as `check_session_start` weighs them."""
    return consents_on_file_of(uow.consents.records_for_patient(patient_id))


def clinic_profile(uow: UnitOfWork) -> ClinicProfile:
    profile = uow.clinic.get()
    if profile is None:
        raise NotFound("This database has no clinic profile.")
    return profile



class ConsentListing(ConsentAdministration):
    # --- listing and standing ---------------------------------------------------------

    def _summaries(
        self, uow: UnitOfWork, patient_id: int, *, only: int | None = None,
        on_date: date | None = None,
    ) -> list[ConsentSummary]:
        rows = uow.consents.records_for_patient(patient_id)
        return self._summaries_of(uow, rows, only=only, on_date=on_date)

    def _summaries_of(
        self, uow: UnitOfWork, rows: Sequence[object], *, only: int | None = None,
        on_date: date | None = None,
    ) -> list[ConsentSummary]:
        records = [r for r in rows if isinstance(r, ConsentRecordRow)]
        shelf = form_shelf(uow)
        today = on_date or clinic_today(self._ctx, uow)
        months = consent_validity_months(uow)
        names = {s.id: s.full_name for s in uow.staff.all()}
        later = links_to(records)
        return [
            summary_of(r, later.get(r.id, ()), shelf, today, months, names,
                       uow.consents.signatures(r.id) if only is not None else ())
            for r in reversed(records)
            if only is None or r.id == only
        ]

    def consents_for_patient(
        self, actor: SignedInStaff, patient_id: int, *, on_date: date | None = None
    ) -> list[ConsentSummary]:
        """Every consent record of the patient, newest first, with how each stands."""
        with self._ctx.viewing(actor, action="consent.viewed", patient_id=patient_id) as uow:
            return self._summaries(uow, patient_id, on_date=on_date)

    def consent(self, actor: SignedInStaff, consent_id: int) -> ConsentSummary:
        """One consent with its signatures."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="consent.viewed",
            entity_type="consent_record", entity_id=consent_id, write=True,
        ) as (uow, _):
            row = uow.consents.record(consent_id)
            if row is None:
                raise NotFound(f"There is no consent no. {consent_id}.")
            summary = self._summaries(uow, row.patient_id, only=consent_id)[0]
            record_view(self._ctx, uow, actor, action="consent.viewed",
                        patient_id=row.patient_id)
            uow.commit()
            return summary

    def all_consents(self, actor: SignedInStaff, *, limit: int = 1000) -> list[ConsentSummary]:
        """The clinic's consents, newest first (the Consent forms area)."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="consent.listed", entity_type="consent_record"
        ) as (uow, _):
            return self._listing(uow, None, limit)

    def _listing(self, uow: UnitOfWork, patient_id: int | None, limit: int
                 ) -> list[ConsentSummary]:
        rows = (uow.consents.records_for_patient(patient_id) if patient_id is not None
                else uow.consents.all_records(limit=limit))
        # Links reach across the page only within one patient's records.
        by_patient = uow.consents.records_for_patients(sorted({r.patient_id for r in rows}))
        wanted = {r.id for r in rows}
        summaries = self._summaries_of(uow, by_patient)
        return [s for s in summaries if s.consent_id in wanted]

    def reconsent_flags(
        self, actor: SignedInStaff, patient_ids: Sequence[int], *, on_date: date | None = None
    ) -> dict[int, ReconsentFlag]:
        """For the patient list and the chart header: who must sign again, and why."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="consent.listed", entity_type="consent_record"
        ) as (uow, _):
            shelf = form_shelf(uow)
            today = on_date or clinic_today(self._ctx, uow)
            months = consent_validity_months(uow)
            grouped: dict[int, list[object]] = {pid: [] for pid in patient_ids}
            for row in uow.consents.records_for_patients(patient_ids):
                grouped[row.patient_id].append(row)
            return {
                pid: reconsent_flag(pid, rows, shelf, today, months)  # type: ignore[arg-type]
                for pid, rows in grouped.items()
            }

    def consent_standing(
        self, actor: SignedInStaff, patient_id: int, *, uses_rf: bool, on_date: date
    ) -> ConsentStanding:
        """Whether a session (with or without RF) on that day has a valid consent."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="consent.viewed", entity_type="patient",
            entity_id=patient_id,
        ) as (uow, _):
            return standing_in(uow, patient_id, uses_rf=uses_rf, on_date=on_date)

    # --- the PDF ------------------------------------------------------------------------

    def document(self, actor: SignedInStaff, consent_id: int) -> ConsentDocument:
        """The consent's PDF, signed by the clinic (run it off the UI thread)."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="consent.viewed",
            entity_type="consent_record", entity_id=consent_id, write=True,
        ) as (uow, account):
            made = self._document(uow, consent_id, staff_id=account.id)
            record_view(self._ctx, uow, actor, action="consent.viewed",
                        patient_id=made[1])
            uow.commit()
            return made[0]

    def _document(self, uow: UnitOfWork, consent_id: int, *, staff_id: int | None
                  ) -> tuple[ConsentDocument, int]:
        row = uow.consents.record(consent_id)
        if row is None:
            raise NotFound(f"There is no consent no. {consent_id}.")
        if hashlib.sha256(row.canonical_json.encode("utf-8")).hexdigest() != row.content_hash:
            raise ClinicDeskError(
                f"Consent no. {consent_id} fails its integrity check: its PDF is not made. "
                "Tell the administrator (clinic-desk audit verify).")
        profile = clinic_profile(uow)
        record = record_from_canonical(row.canonical_json.encode("utf-8"))
        now = self._ctx.clock()
        identity, _ = self._key.get(profile.name, now=now)
        cert_row, new = certificate_row(uow, identity, origin=CREATED,
                                        workstation=self._ctx.units.workstation, staff_id=staff_id,
                                        at=now)
        if new:
            uow.audit.append(
                AuditEvent("signing.certificate_registered", "signing_certificate",
                           cert_row.id, staff_id=staff_id, detail=cert_row.fingerprint),
                at=now, records=[cert_row])
        pdf = sign_consent_pdf(render_pdf(record, profile), identity, record, profile.name)
        return ConsentDocument(row.id, file_name(row), pdf, row.content_hash), row.patient_id

    def record_output(
        self, actor: SignedInStaff, consent_id: int, *, how: str, detail: str = "",
        pdf: bytes | None = None,
    ) -> None:
        """Record that a consent's PDF was printed or saved ("printed" / "saved"); with
        `pdf`, those very bytes go into the patient's documents history too."""
        if how not in ("printed", "saved"):
            raise ValueError("how is 'printed' or 'saved'")
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action=f"consent.{how}",
            entity_type="consent_record", entity_id=consent_id, write=True,
        ) as (uow, _):
            row = uow.consents.record(consent_id)
            if row is None:
                raise NotFound(f"There is no consent no. {consent_id}.")
            now = self._ctx.clock()
            handed = [] if pdf is None else [
                store_handout(uow, consent_copy(row, pdf), HandOut(how),
                              staff_id=actor.staff_id, at=now)]
            uow.audit.append(
                AuditEvent(f"consent.{how}", "consent_record", consent_id,
                           staff_id=actor.staff_id, patient_id=row.patient_id,
                           detail=detail[:500]),
                at=now, records=handed)
            uow.commit()

    def verify_pdf(self, pdf: bytes) -> PdfCheck:
        """Is this PDF a consent signed by this clinic, matching the stored record?"""
        with self._ctx.units() as uow:
            return check_pdf(uow, pdf)

    # --- the command line (no one signed in: recorded as the command line) -----------

    def list_for_command_line(self, patient_id: int | None, *, limit: int = 100_000
                              ) -> list[ConsentSummary]:
        with self._ctx.units(write=True) as uow:
            if patient_id is not None and uow.patients.get(patient_id) is None:
                raise NotFound(f"There is no patient {format_patient_number(patient_id)}.")
            found = self._listing(uow, patient_id, limit)
            uow.audit.append(
                AuditEvent("consent.listed", "patient" if patient_id else "consent_record",
                           patient_id, patient_id=patient_id, detail=COMMAND_LINE),
                at=self._ctx.clock())
            uow.commit()
            return found

    def document_for_command_line(self, consent_id: int) -> ConsentDocument:
        """The signed PDF for `clinic-desk print consent`, kept in the patient's documents
        history as saved from the command line."""
        with self._ctx.units(write=True) as uow:
            made, _patient_id = self._document(uow, consent_id, staff_id=None)
            row = uow.consents.record(consent_id)
            assert row is not None  # _document found it
            now = self._ctx.clock()
            handed = store_handout(uow, consent_copy(row, made.pdf), HandOut.SAVED,
                                   staff_id=None, at=now)
            uow.audit.append(
                AuditEvent("consent.saved", "consent_record", consent_id,
                           patient_id=row.patient_id, detail=COMMAND_LINE),
                at=now, records=[handed])
            uow.commit()
            return made


def consent_copy(row: ConsentRecordRow, pdf: bytes) -> GeneratedDocument:
    """A consent's signed PDF as a document handed to the patient."""
    return GeneratedDocument(
        kind=DocumentKind.CONSENT, patient_id=row.patient_id, template_key=row.template_key,
        template_version=row.template_version, source_id=row.id, pdf=pdf,
        title=f"Consent no. {row.id}", file_name=file_name(row))


def standing_in(uow: UnitOfWork, patient_id: int, *, uses_rf: bool, on_date: date
                ) -> ConsentStanding:
    """`consent_standing` inside a caller's unit of work (sessions, Today)."""
    return standing_from(consents_on_file(uow, patient_id), uses_rf=uses_rf, on_date=on_date,
                         months=consent_validity_months(uow))


def standing_from(on_file: list[ConsentOnFile], *, uses_rf: bool, on_date: date, months: int
                  ) -> ConsentStanding:
    """`standing_in` from the consents already read (the Today list reads a whole day's
    patients' consents in one query)."""
    check = check_session_start(session_date=on_date, uses_rf=uses_rf, consents=on_file,
                                screening=None, consent_validity_months=months)
    blocker = next((b for b in check.blockers if b.field == "consent"), None)
    chosen = check.consent if blocker is None else None
    return ConsentStanding(
        ok=blocker is None,
        consent_id=None if chosen is None else chosen.record_id,
        valid_until=None if chosen is None else consent_last_valid_day(chosen.signed_on, months),
        blocker=blocker,
        validity_months=months,
        consents_on_file=tuple(on_file),
    )
