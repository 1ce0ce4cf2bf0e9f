"""Builders for the patient GUI tests and the screenshots: patients and their histories."""

from __future__ import annotations

from datetime import date

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import FitzpatrickType, PatientDetails, Sex
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import PatientRecord

LONG_NAME = PatientDetails(
    family_name="Ångström-Müller Ferreira de la Fuente",
    given_name="Zoë",
    preferred_name="Zozo",
    date_of_birth=date(1984, 3, 12),
    sex=Sex.FEMALE,
    phone="+33 6 12 34 56 78",
    email="zoe.angstrom@example.org",
    address="14 Rue de la Roquette\n75011 Paris",
    emergency_contact_name="Mathéo Ferreira",
    emergency_contact_phone="+33 6 98 76 54 32",
    referring_physician="Dr Hélène Marchetti",
    fitzpatrick_type=FitzpatrickType.III,
    notes="Prefers morning appointments. Nervous about needles: explain each step.",
)


def person(family: str, given: str, born: date, phone: str) -> PatientDetails:
    return PatientDetails(family_name=family, given_name=given, date_of_birth=born,
                          phone=phone)


def register(core: ClinicDesk, actor: SignedInStaff, details: PatientDetails) -> PatientRecord:
    return core.patients.register(actor, details, confirm_duplicate=True)


def clear_answers(core: ClinicDesk, **changes: Answer) -> dict[str, Answer]:
    """Every top-level question answered "no" (or the first choice), then `changes`."""
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for question in section.questions:
            if question.kind is QuestionKind.YES_NO:
                answers[question.id] = False
            elif question.kind is QuestionKind.CHOICE:
                answers[question.id] = question.choices[0].value
            elif question.kind is QuestionKind.TEXT:
                answers[question.id] = ""
    answers.update(changes)
    return answers
