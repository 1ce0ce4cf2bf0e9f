"""A clinic with a patient ready to sign consents, for the consent service, CLI and
storage tests: screening clear for today, ink drawn as a person would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.consent_dto import ConsentDraft, ConsentSummary, DrawnSignature
from tests.helpers.clinic import STAFF_PASSWORD, SeededClinic, seed_clinic
from tests.helpers.consent import png_of, scribble

LONG_GIVEN = "Zoë"
LONG_FAMILY = "Ångström-Müller Ferreira de la Fuente"


@dataclass(frozen=True)
class ConsentClinic:
    clinic: SeededClinic
    patient_id: int


def clear_answers(core: ClinicDesk, **yes: bool) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    plain: dict[QuestionKind, Answer] = {
        QuestionKind.YES_NO: False,
        QuestionKind.CHOICE: "never",
        QuestionKind.TEXT: "",
    }
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = plain.get(q.kind)
    return answers | yes


def consent_clinic(
    core: ClinicDesk, *, given: str = LONG_GIVEN, family: str = LONG_FAMILY, **yes: bool
) -> ConsentClinic:
    clinic = seed_clinic(core)
    details = PatientDetails(family, given, date(1987, 3, 14), "+48 600 100 200")
    patient_id = core.patients.register(clinic.reception, details).patient_id
    core.intake.record(clinic.reception, patient_id, clear_answers(core, **yes))
    return ConsentClinic(clinic, patient_id)


def drawn(seed: int = 1, **kwargs: str) -> DrawnSignature:
    ink = scribble(seed=seed)
    return DrawnSignature(ink=ink, image_png=png_of(ink), **kwargs)


def sign(
    core: ClinicDesk, setup: ConsentClinic, form: str = "microneedling", **kwargs: object
) -> ConsentSummary:
    draft: ConsentDraft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, form)
    return core.consents.sign(
        setup.clinic.practitioner,
        draft,
        acknowledged=draft.acknowledgement_keys,
        patient_signature=drawn(),
        password=STAFF_PASSWORD,
        **kwargs,  # type: ignore[arg-type]
    )
