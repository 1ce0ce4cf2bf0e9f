"""Documents handed to patients: the pre-care and aftercare sheets made as PDFs, and the
documents history that keeps every handed-out PDF exactly as it left the clinic.

Making a PDF changes nothing; handing it out (printing it, or saving it to a file)
records which document, for whom, by whom, when and how, with the PDF's bytes kept once
per content hash, in one audited transaction. `reopen` gives back those very bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select

from clinic_desk.catalogue_treatment import aftercare_template, precare_template
from clinic_desk.domain.aftercare import Sheet, TreatmentDone, compose_aftercare, compose_precare
from clinic_desk.domain.booking import FREEING_STATUSES
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.dates import format_date
from clinic_desk.domain.errors import ClinicDeskError, NotFound
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.roles import Permission
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.courses import course_view
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.session_views import ViewBuilder
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile, Patient, StaffAccount
from clinic_desk.storage.models_appointments import AppointmentRow
from clinic_desk.storage.models_documents import DocumentContent, HandedOutDocument
from clinic_desk.storage.unit_of_work import UnitOfWork


class DocumentKind(StrEnum):
    CONSENT = "consent"
    AFTERCARE = "aftercare"
    PRECARE = "precare"


# How each kind's file is named when saved ("pre-care Nowak Anna 2026-11-30.pdf"), the
# same when it is made and when it is reopened from the history.
FILE_WORDS = {
    DocumentKind.CONSENT: "consent",
    DocumentKind.AFTERCARE: "aftercare",
    DocumentKind.PRECARE: "pre-care",
}


class HandOut(StrEnum):
    PRINTED = "printed"
    SAVED = "saved"


KIND_TITLES = {
    DocumentKind.CONSENT: "Consent copy",
    DocumentKind.AFTERCARE: "Aftercare sheet",
    DocumentKind.PRECARE: "Pre-care sheet",
}


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    """A PDF made for one patient, not yet handed out."""

    kind: DocumentKind
    patient_id: int
    template_key: str
    template_version: int
    # The consent or session it was made from; None for a pre-care sheet.
    source_id: int | None
    pdf: bytes
    # What the viewer's title bar and a saved file are called.
    title: str
    file_name: str

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True, slots=True)
class HandedOutView:
    document_id: int
    patient_id: int
    kind: DocumentKind
    template_key: str
    template_version: int
    source_id: int | None
    content_sha256: str
    size_bytes: int
    how: HandOut
    handed_by: str
    handed_at: datetime

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


class DocumentService:
    def __init__(self, ctx: ServiceContext, protocols: ProtocolService) -> None:
        self._ctx = ctx
        self._protocols = protocols

    # --- making documents --------------------------------------------------------------

    def precare(
        self,
        actor: SignedInStaff,
        patient_id: int,
        *,
        uses_rf: bool = False,
        areas: Sequence[str] = (),
        first_session: str = "",
    ) -> GeneratedDocument:
        """The pre-care sheet for a patient before their first session. `first_session`
        is the booked date and time in words, when there is one."""
        with self._ctx.authorized(
            actor, Permission.HAND_OUT_DOCUMENTS, action="document.made",
            entity_type="patient", entity_id=patient_id,
        ) as (uow, _):
            return self._precare(uow, patient_id, uses_rf, areas, first_session)

    def precare_for_command_line(
        self, patient_id: int, *, uses_rf: bool = False
    ) -> GeneratedDocument:
        """The same sheet for `clinic-desk print pre-care`, run by whoever holds the
        database (as every maintenance verb is)."""
        with self._ctx.units() as uow:
            return self._precare(uow, patient_id, uses_rf, (), "")

    def _precare(
        self, uow: UnitOfWork, patient_id: int, uses_rf: bool, areas: Sequence[str],
        first_session: str,
    ) -> GeneratedDocument:
        patient, profile = _patient_and_clinic(uow, patient_id)
        today = clinic_today(self._ctx, uow)
        sheet = compose_precare(precare_template(), self._protocols.current_in(uow),
                                uses_rf=uses_rf,
                                areas=tuple(areas), clinic_phone=profile.phone)
        name = _full_name(patient)
        facts = [("Given on", format_date(today, profile.date_format))]
        if first_session:
            facts.append(("First session", first_session))
        facts.append(("Treatment", _treatment_words(uses_rf)))
        return GeneratedDocument(
            kind=DocumentKind.PRECARE,
            patient_id=patient_id,
            template_key=sheet.template_kind,
            template_version=sheet.template_version,
            source_id=None,
            pdf=_render(sheet, profile, name, facts),
            title=f"Pre-care sheet for {name}",
            file_name=_file_name(FILE_WORDS[DocumentKind.PRECARE], patient, today),
        )

    def aftercare(self, actor: SignedInStaff, session_id: int) -> GeneratedDocument:
        """The aftercare sheet for what was done in one signed-off session: its areas,
        with or without RF, and the next appointment: the one booked after the session's
        day if there is one, else when the next session of the course is due."""
        with self._ctx.units() as uow:
            row = uow.treatment.session(session_id)
            patient_id = row.patient_id if row is not None else None
        if patient_id is None:
            raise NotFound("There is no such treatment session.")
        with self._ctx.authorized(
            actor, Permission.HAND_OUT_DOCUMENTS, action="document.made",
            entity_type="patient", entity_id=patient_id,
        ) as (uow, _):
            return self._aftercare(uow, session_id)

    def aftercare_for_command_line(self, session_id: int) -> GeneratedDocument:
        """The same sheet for `clinic-desk print aftercare`."""
        with self._ctx.units() as uow:
            return self._aftercare(uow, session_id)

    def _aftercare(self, uow: UnitOfWork, session_id: int) -> GeneratedDocument:
        row = uow.treatment.session(session_id)
        if row is None:
            raise NotFound("There is no such treatment session.")
        patient, profile = _patient_and_clinic(uow, row.patient_id)
        session = ViewBuilder(uow).sessions([row])[0]
        # The session was checked against this version; its areas' regions pick the
        # body and scalp additions.
        used = self._protocols.version_in(uow, session.protocol_version)
        areas = tuple(dict.fromkeys(a.area for a in session.settings.areas))
        today = clinic_today(self._ctx, uow)
        booked = _booked_after(uow, row.patient_id, session.session_date, profile)
        sheet = compose_aftercare(
            aftercare_template(), TreatmentDone(areas, session.uses_rf), used,
            clinic_phone=profile.phone,
            next_appointment=booked or _next_appointment(uow, row.course_id, used, today,
                                                         profile.date_format),
        )
        name = _full_name(patient)
        facts = [
            ("Treated on", format_date(session.session_date, profile.date_format)),
            ("Treatment", _treatment_words(session.uses_rf)),
            ("Areas", ", ".join(used.area(a).label for a in areas)),
            ("Practitioner", session.practitioner),
        ]
        return GeneratedDocument(
            kind=DocumentKind.AFTERCARE,
            patient_id=row.patient_id,
            template_key=sheet.template_kind,
            template_version=sheet.template_version,
            source_id=session_id,
            pdf=_render(sheet, profile, name, facts),
            title=f"Aftercare sheet for {name}",
            file_name=_file_name(FILE_WORDS[DocumentKind.AFTERCARE], patient, session.session_date),
        )

    # --- the documents history ---------------------------------------------------------

    def record_handout(
        self, actor: SignedInStaff, document: GeneratedDocument, *, how: HandOut
    ) -> HandedOutView:
        """Record that `document` was printed or saved: its bytes are kept (once per
        content hash) and the hand-out is an audited, append-only row."""
        with self._ctx.authorized(
            actor, Permission.HAND_OUT_DOCUMENTS, action="document.handed_out",
            entity_type="patient", entity_id=document.patient_id, write=True,
        ) as (uow, account):
            view = self._record(uow, document, how, actor.staff_id, account.full_name)
            uow.commit()
            return view

    def record_handout_from_command_line(
        self, document: GeneratedDocument, *, how: HandOut
    ) -> HandedOutView:
        """A document the command line wrote to a file: in the history like any other,
        handed out by no staff account (the audit entry says "command line")."""
        with self._ctx.units(write=True) as uow:
            view = self._record(uow, document, how, None, "command line")
            uow.commit()
            return view

    def _record(
        self, uow: UnitOfWork, document: GeneratedDocument, how: HandOut,
        staff_id: int | None, staff_name: str,
    ) -> HandedOutView:
        now = self._ctx.clock()
        row = store_handout(uow, document, how, staff_id=staff_id, at=now)
        uow.audit.append(
            AuditEvent("document.handed_out", "handed_out_document", row.id,
                       staff_id=staff_id, patient_id=document.patient_id,
                       detail=f"{document.kind} {how}" + ("" if staff_id else " via command line")),
            at=now,
            records=[row],
        )
        return _view(row, len(document.pdf), staff_name)

    def history(self, actor: SignedInStaff, patient_id: int) -> list[HandedOutView]:
        """Every document handed to the patient, newest first."""
        with self._ctx.viewing(actor, action="documents.viewed", patient_id=patient_id) as uow:
            d, c = HandedOutDocument, DocumentContent
            rows = uow.session.execute(
                select(d, c.size_bytes)
                .join(c, c.content_sha256 == d.content_sha256)
                .where(d.patient_id == patient_id)
                .order_by(d.handed_at.desc(), d.id.desc())
            ).all()
            names = {s.id: s.full_name for s in uow.staff.all()}
            return [
                _view(row[0], row[1], "command line" if row[0].handed_by is None
                      else names.get(row[0].handed_by, "?"))
                for row in rows
            ]

    def reopen(self, actor: SignedInStaff, document_id: int) -> GeneratedDocument:
        """A handed-out document again, byte for byte as it was handed out."""
        with self._ctx.units() as uow:
            row = uow.session.get(HandedOutDocument, document_id)
            patient_id = row.patient_id if row is not None else None
        if row is None or patient_id is None:
            raise NotFound("There is no such document in the history.")
        with self._ctx.viewing(actor, action="documents.viewed", patient_id=patient_id) as uow:
            content = uow.session.get(DocumentContent, row.content_sha256)
            patient = uow.session.get(Patient, patient_id)
            if content is None or patient is None:
                raise NotFound("The document's content is missing from the database.")
            kind = DocumentKind(row.kind)
            return GeneratedDocument(
                kind=kind,
                patient_id=patient_id,
                template_key=row.template_key,
                template_version=row.template_version,
                source_id=row.source_id,
                pdf=bytes(content.pdf),
                title=f"{KIND_TITLES[kind]} for {_full_name(patient)}",
                file_name=_file_name(FILE_WORDS[kind], patient, row.handed_at.date()),
            )


def store_handout(
    uow: UnitOfWork, document: GeneratedDocument, how: HandOut, *, staff_id: int | None,
    at: datetime,
) -> HandedOutDocument:
    """The hand-out row and (once per content hash) the PDF's bytes, in the caller's unit
    of work; the caller's audit entry must vouch for the returned row (`records=[row]`)."""
    if uow.session.get(Patient, document.patient_id) is None:
        raise NotFound("There is no such patient.")
    if not document.pdf.startswith(b"%PDF-"):
        raise ClinicDeskError("Only a PDF can be recorded as handed out.")
    sha = document.content_sha256
    if uow.session.get(DocumentContent, sha) is None:
        uow.session.add(DocumentContent(content_sha256=sha, pdf=document.pdf,
                                        size_bytes=len(document.pdf)))
        # The content row first: the hand-out row refers to it.
        uow.session.flush()
    row = HandedOutDocument(
        patient_id=document.patient_id,
        kind=str(document.kind),
        template_key=document.template_key,
        template_version=document.template_version,
        source_id=document.source_id,
        content_sha256=sha,
        how=str(how),
        handed_by=staff_id,
        handed_at=at,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def _patient_and_clinic(uow: UnitOfWork, patient_id: int) -> tuple[Patient, ClinicProfile]:
    patient = uow.patients.get(patient_id)
    if patient is None:
        raise NotFound("There is no such patient.")
    profile = uow.clinic.get()
    if profile is None:
        raise ClinicDeskError("Set up the clinic's profile first.")
    return patient, profile


def _full_name(patient: Patient) -> str:
    return f"{patient.given_name} {patient.family_name}"


def _next_appointment(
    uow: UnitOfWork, course_id: int | None, used: Protocol, today: date,
    date_format: str,
) -> str:
    """The window for the next session of the course, in words; or who to ask."""
    course = uow.treatment.course(course_id) if course_id is not None else None
    if course is None or course.is_closed:
        return "as agreed with your practitioner; call us to book it"
    sessions = uow.treatment.sessions_by_course([course.id])[course.id]
    view = course_view(course, sessions, used, today)
    window, label = view.progress.next_window, view.progress.next_label
    if window is None or label is None:
        recall = view.progress.recall_on
        if recall is None:
            return "as agreed with your practitioner; call us to book it"
        return (f"your course is complete; a maintenance session is advised from "
                f"{format_date(recall, date_format)}")
    return (f"{label.lower()}, between {format_date(window.earliest, date_format)} and "
            f"{format_date(window.latest, date_format)}; call us to book it")


def _booked_after(
    uow: UnitOfWork, patient_id: int, session_date: date, profile: ClinicProfile
) -> str:
    """The patient's first appointment after the session's day that still takes place
    (not cancelled, not a no-show), as "Monday 14/12/2026 at 10:30 with Dr Lee"; "" when
    nothing is booked (the sheet then gives the course's window)."""
    zone = ZoneInfo(profile.time_zone)
    after = datetime.combine(session_date + timedelta(days=1), time(0), tzinfo=zone)
    found = uow.session.execute(
        select(AppointmentRow.starts_at, StaffAccount.full_name)
        .join(StaffAccount, StaffAccount.id == AppointmentRow.practitioner_id)
        .where(
            AppointmentRow.patient_id == patient_id,
            AppointmentRow.starts_at >= after.astimezone(UTC),
            AppointmentRow.status.not_in([s.value for s in FREEING_STATUSES]),
        )
        .order_by(AppointmentRow.starts_at, AppointmentRow.id)
        .limit(1)
    ).first()
    if found is None:
        return ""
    start = found.starts_at.astimezone(zone)
    return (f"{start:%A} {format_date(start.date(), profile.date_format)} at "
            f"{start:%H:%M} with {found.full_name}")


def _treatment_words(uses_rf: bool) -> str:
    return "Microneedling with radiofrequency (RF)" if uses_rf else "Microneedling"


def _file_name(what: str, patient: Patient, day: date) -> str:
    return f"{what} {patient.family_name} {patient.given_name} {day.isoformat()}.pdf"


def _render(
    sheet: Sheet, profile: ClinicProfile, patient_name: str, facts: list[tuple[str, str]]
) -> bytes:
    # ReportLab is loaded when the first sheet is made, never at start-up.
    from clinic_desk.documents.pdf_base import Letterhead
    from clinic_desk.documents.sheet_pdf import SheetFact, SheetPdfInput, sheet_pdf

    return sheet_pdf(SheetPdfInput(
        sheet=sheet,
        letterhead=Letterhead(profile.name, profile.address, profile.phone),
        patient_name=patient_name,
        facts=tuple(SheetFact(label, value) for label, value in facts),
        paper_size=PaperSize(profile.paper_size),
    ))


def _view(row: HandedOutDocument, size: int, handed_by: str) -> HandedOutView:
    return HandedOutView(
        document_id=row.id,
        patient_id=row.patient_id,
        kind=DocumentKind(row.kind),
        template_key=row.template_key,
        template_version=row.template_version,
        source_id=row.source_id,
        content_sha256=row.content_sha256,
        size_bytes=size,
        how=HandOut(row.how),
        handed_by=handed_by,
        handed_at=row.handed_at,
    )
