"""Patients between the database rows and the plain values the services hand out."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict
from datetime import date
from typing import Any

from clinic_desk.domain.dates import parse_date
from clinic_desk.domain.patients import (
    FitzpatrickType,
    PatientDetails,
    Sex,
    age_on,
    format_patient_number,
)
from clinic_desk.domain.phones import e164_of, shown_phone
from clinic_desk.domain.search_keys import digits_of, sort_key
from clinic_desk.services.patient_dto import PatientListRow
from clinic_desk.storage.models import Patient
from clinic_desk.storage.patient_repository import SearchHit
from clinic_desk.storage.unit_of_work import UnitOfWork


def clinic_country(uow: UnitOfWork) -> str:
    """The clinic's country: how its patients' phone numbers are read and shown."""
    profile = uow.clinic.get()
    return profile.country if profile else ""


def details_of(p: Patient) -> PatientDetails:
    return PatientDetails(
        family_name=p.family_name,
        given_name=p.given_name,
        preferred_name=p.preferred_name,
        date_of_birth=p.date_of_birth,
        sex=Sex(p.sex) if p.sex else None,
        phone=p.phone,
        email=p.email,
        address=p.address,
        emergency_contact_name=p.emergency_contact_name,
        emergency_contact_phone=p.emergency_contact_phone,
        referring_physician=p.referring_physician,
        fitzpatrick_type=FitzpatrickType(p.fitzpatrick_type) if p.fitzpatrick_type else None,
        notes=p.notes,
    )


def details_to_json(details: PatientDetails) -> str:
    raw: dict[str, Any] = asdict(details)
    raw["date_of_birth"] = details.date_of_birth.isoformat() if details.date_of_birth else None
    return json.dumps(raw, ensure_ascii=False, sort_keys=True)


def details_from_json(text: str) -> PatientDetails:
    raw = json.loads(text)
    raw["date_of_birth"] = date.fromisoformat(raw["date_of_birth"])
    raw["sex"] = Sex(raw["sex"]) if raw.get("sex") else None
    raw["fitzpatrick_type"] = (
        FitzpatrickType(raw["fitzpatrick_type"]) if raw.get("fitzpatrick_type") else None
    )
    return PatientDetails(**raw)


def list_row(p: Patient | SearchHit, today: date, country: str) -> PatientListRow:
    patient_id = p.id if isinstance(p, Patient) else p.patient_id
    return PatientListRow(
        patient_id=patient_id,
        patient_number=format_patient_number(patient_id),
        family_name=p.family_name,
        given_name=p.given_name,
        preferred_name=p.preferred_name,
        date_of_birth=p.date_of_birth,
        age=age_on(p.date_of_birth, today),
        phone=shown_phone(p.phone, p.phone_e164, country),
    )


def apply_details(p: Patient, d: PatientDetails, country: str) -> None:
    assert d.date_of_birth is not None
    p.family_name = d.family_name
    p.given_name = d.given_name
    p.preferred_name = d.preferred_name
    p.date_of_birth = d.date_of_birth
    p.sex = d.sex.value if d.sex else None
    p.phone = d.phone
    p.email = d.email
    p.address = d.address
    p.emergency_contact_name = d.emergency_contact_name
    p.emergency_contact_phone = d.emergency_contact_phone
    p.referring_physician = d.referring_physician
    p.fitzpatrick_type = d.fitzpatrick_type.value if d.fitzpatrick_type else None
    p.notes = d.notes
    p.name_key = sort_key(d.family_name, d.given_name)
    p.phone_digits = digits_of(d.phone)
    p.phone_e164 = e164_of(d.phone, country)
    p.emergency_contact_phone_e164 = e164_of(d.emergency_contact_phone, country)


def unsearchable_character(text: str) -> str | None:
    """A character that no name, phone number, date or patient number can hold.

    Such text could only ever match literally, and nothing holds it: say so, rather than
    quietly dropping the character (so "%" and "_" are never wildcards)."""
    for ch in text:
        if ch.isspace() or ch in "-'’.,/()+:" or unicodedata.category(ch)[0] in "LMN":
            continue
        return ch
    return None


def split_birth_date(text: str, fmt: str) -> tuple[date | None, str]:
    """A date anywhere in what was typed ("müller 12.03.1985") filters by birth date."""
    whole = parse_date(text, fmt)
    if whole is not None:
        return whole, ""
    kept, found = [], None
    for token in text.split():
        day = parse_date(token, fmt) if found is None else None
        if day is not None:
            found = day
        else:
            kept.append(token)
    return found, " ".join(kept)
