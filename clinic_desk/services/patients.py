"""Registering, changing, archiving and finding patients."""

from __future__ import annotations

from datetime import date, datetime

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, NotFound
from clinic_desk.domain.patients import (
    PatientDetails,
    age_on,
    format_patient_number,
    validate_patient,
)
from clinic_desk.domain.phones import e164_of, search_forms, shown_phone
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.search_keys import (
    MAX_KEY_LENGTH,
    digits_of,
    patient_keys,
    query_terms,
    sort_key,
)
from clinic_desk.services.context import ServiceContext, clinic_today, today_at
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import (
    PatientListRow,
    PatientRecord,
    PatientRevisionView,
    SearchPage,
)
from clinic_desk.services.patient_records import (
    apply_details,
    clinic_country,
    details_from_json,
    details_of,
    details_to_json,
    list_row,
    split_birth_date,
    unsearchable_character,
)
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import Patient, PatientRevision
from clinic_desk.storage.patient_repository import Cursor, SearchHit
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork

SEARCH_HINT = "Type part of a name, a phone number, a birth date or a patient number."
MAX_SEARCH_TERMS = 6


class PossibleDuplicate(ClinicDeskError):
    """A patient with the same name and birth date, or the same phone, exists already."""

    def __init__(self, matches: list[PatientListRow]) -> None:
        super().__init__(
            "This patient may already be registered. Open the existing record, or save "
            "anyway if this is a different person."
        )
        self.matches = matches


class PatientService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # --- registering and changing -------------------------------------------------

    def register(
        self, actor: SignedInStaff, details: PatientDetails, *, confirm_duplicate: bool = False
    ) -> PatientRecord:
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.REGISTER_PATIENTS,
            action="patient.registered",
            entity_type="patient",
            write=True,
        ) as (uow, _):
            today = clinic_today(self._ctx, uow)
            clean = validate_patient(details, today)
            if not confirm_duplicate:
                self._refuse_duplicates(uow, clean, today, excluding=None)
            patient = Patient(created_at=now, updated_at=now, is_archived=False)
            apply_details(patient, clean, clinic_country(uow))
            uow.patients.add(patient)
            self._after_save(uow, patient, clean, actor, now, "patient.registered")
            uow.commit()
            return self._record(patient, today, clinic_country(uow))

    def update(
        self,
        actor: SignedInStaff,
        patient_id: int,
        details: PatientDetails,
        *,
        expected_version: int,
        confirm_duplicate: bool = False,
    ) -> PatientRecord:
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.REGISTER_PATIENTS,
            action="patient.changed",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            patient = self._load_for_edit(uow, patient_id, expected_version)
            today = clinic_today(self._ctx, uow)
            clean = validate_patient(details, today)
            if clean == details_of(patient):
                return self._record(patient, today, clinic_country(uow))
            if not confirm_duplicate:
                self._refuse_duplicates(uow, clean, today, excluding=patient.id)
            apply_details(patient, clean, clinic_country(uow))
            patient.updated_at = now
            uow.flush()
            self._after_save(uow, patient, clean, actor, now, "patient.changed")
            uow.commit()
            return self._record(patient, today, clinic_country(uow))

    def set_archived(
        self, actor: SignedInStaff, patient_id: int, *, expected_version: int, archived: bool
    ) -> PatientRecord:
        """Archive instead of delete: the record stays, it just leaves the search."""
        now = self._ctx.clock()
        action = "patient.archived" if archived else "patient.restored"
        with self._ctx.authorized(
            actor,
            Permission.REGISTER_PATIENTS,
            action=action,
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            patient = self._load_for_edit(uow, patient_id, expected_version)
            today = clinic_today(self._ctx, uow)
            if patient.is_archived != archived:
                patient.is_archived = archived
                patient.updated_at = now
                uow.flush()
                self._index(uow, patient)
                uow.audit.append(
                    AuditEvent(
                        action,
                        "patient",
                        patient.id,
                        staff_id=actor.staff_id,
                        patient_id=patient.id,
                    ),
                    at=now,
                )
            uow.commit()
            return self._record(patient, today, clinic_country(uow))

    def _after_save(
        self,
        uow: UnitOfWork,
        patient: Patient,
        clean: PatientDetails,
        actor: SignedInStaff,
        now: datetime,
        action: str,
    ) -> None:
        revision = PatientRevision(
            patient_id=patient.id,
            version=patient.version,
            details_json=details_to_json(clean),
            recorded_at=now,
            recorded_by=actor.staff_id,
        )
        uow.patients.add_record(revision)
        self._index(uow, patient)
        uow.audit.append(
            AuditEvent(
                action,
                "patient",
                patient.id,
                staff_id=actor.staff_id,
                patient_id=patient.id,
                detail=f"version {patient.version}",
            ),
            at=now,
            records=[revision],
        )

    def _index(self, uow: UnitOfWork, patient: Patient) -> None:
        keys = patient_keys(
            family_name=patient.family_name,
            given_name=patient.given_name,
            preferred_name=patient.preferred_name,
            phone=patient.phone,
            patient_number=format_patient_number(patient.id),
            phone_forms=search_forms(patient.phone_e164),
        )
        uow.patients.replace_search_keys(
            patient.id, patient.name_key, keys, archived=patient.is_archived
        )

    def _refuse_duplicates(
        self, uow: UnitOfWork, clean: PatientDetails, today: date, *, excluding: int | None
    ) -> None:
        assert clean.date_of_birth is not None
        country = clinic_country(uow)
        matches = uow.patients.likely_duplicates(
            name_key=sort_key(clean.family_name, clean.given_name),
            date_of_birth=clean.date_of_birth,
            phone_digits=digits_of(clean.phone),
            phone_e164=e164_of(clean.phone, country),
            excluding=excluding,
        )
        if matches:
            raise PossibleDuplicate([list_row(m, today, country) for m in matches])

    def _load_for_edit(self, uow: UnitOfWork, patient_id: int, expected_version: int) -> Patient:
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound("That patient record does not exist.")
        if patient.version != expected_version:
            raise ConcurrentEditError(STALE_MESSAGE)
        return patient

    def _record(self, p: Patient, today: date, country: str) -> PatientRecord:
        return PatientRecord(
            patient_id=p.id,
            patient_number=format_patient_number(p.id),
            details=details_of(p),
            age=age_on(p.date_of_birth, today),
            is_archived=p.is_archived,
            version=p.version,
            created_at=p.created_at,
            updated_at=p.updated_at,
            phone_shown=shown_phone(p.phone, p.phone_e164, country),
            emergency_contact_phone_shown=shown_phone(
                p.emergency_contact_phone, p.emergency_contact_phone_e164, country
            ),
        )

    # --- reading ----------------------------------------------------------------------

    def get(self, actor: SignedInStaff, patient_id: int) -> PatientRecord:
        with self._ctx.viewing(actor, action="patient.viewed", patient_id=patient_id) as uow:
            patient = uow.patients.get(patient_id)
            if patient is None:
                raise NotFound("That patient record does not exist.")
            return self._record(patient, clinic_today(self._ctx, uow), clinic_country(uow))

    def revisions(self, actor: SignedInStaff, patient_id: int) -> list[PatientRevisionView]:
        with self._ctx.viewing(actor, action="patient.viewed", patient_id=patient_id) as uow:
            names = {s.id: s.full_name for s in uow.staff.all()}
            return [
                PatientRevisionView(
                    r.version,
                    r.recorded_at,
                    names.get(r.recorded_by, "?"),
                    details_from_json(r.details_json),
                )
                for r in uow.patients.revisions(patient_id)
            ]

    def search(
        self,
        actor: SignedInStaff,
        text: str,
        *,
        after: Cursor | None = None,
        limit: int = 50,
        archived: bool = False,
    ) -> SearchPage:
        """Search as you type: words of the names in any order and without accents, phone
        digits in any format, a birth date in the clinic's format, the patient number.
        Nothing typed lists everyone alphabetically. `archived` searches the archived
        patients instead of the current ones."""
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="patient.searched", entity_type="patient"
        ) as (uow, _):
            profile = uow.clinic.get()
            fmt = profile.date_format if profile else "DD/MM/YYYY"
            country = profile.country if profile else ""
            today = today_at(self._ctx, profile)
            text = text[: MAX_KEY_LENGTH * MAX_SEARCH_TERMS]
            if not text.strip():
                hits = uow.patients.browse(after=after, limit=limit + 1, archived=archived)
                return self._page(hits, limit, today, country)
            stray = unsearchable_character(text)
            if stray is not None:
                return SearchPage((), None, f"No name, phone or patient number contains “{stray}”.")
            birth_date, rest = split_birth_date(text, fmt)
            terms = query_terms(rest)[:MAX_SEARCH_TERMS]
            if terms:
                hits = uow.patients.search(
                    terms, birth_date=birth_date, after=after, limit=limit + 1, archived=archived
                )
            elif birth_date is not None:
                hits = uow.patients.by_birth_date(
                    birth_date, after=after, limit=limit + 1, archived=archived
                )
            else:
                return SearchPage((), None, SEARCH_HINT)
            return self._page(hits, limit, today, country)

    def _page(
        self, hits: list[SearchHit], limit: int, today: date, country: str
    ) -> SearchPage:
        more = len(hits) > limit
        hits = hits[:limit]
        seen: set[int] = set()
        rows = []
        for hit in hits:
            if hit.patient_id in seen:  # two of one patient's keys match the prefix
                continue
            seen.add(hit.patient_id)
            rows.append(list_row(hit, today, country))
        return SearchPage(tuple(rows), hits[-1].cursor if more else None)

    def count(self, actor: SignedInStaff, *, archived: bool = False) -> int:
        with self._ctx.authorized(
            actor, Permission.VIEW_PATIENTS, action="patient.searched", entity_type="patient"
        ) as (uow, _):
            return uow.patients.count(archived=archived)
