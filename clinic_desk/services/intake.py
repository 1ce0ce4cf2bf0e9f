"""The intake questionnaire: every submission is a new dated version, signed off by staff."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.intake import (
    Answers,
    Questionnaire,
    answers_from_json,
    answers_to_json,
    changes_between,
    validate_answers,
)
from clinic_desk.domain.roles import Permission
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import IntakeVersionView
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import IntakeRecord

QuestionnaireLoader = Callable[[int], Questionnaire]


class IntakeService:
    def __init__(
        self, ctx: ServiceContext, current: Questionnaire, load_version: QuestionnaireLoader
    ) -> None:
        self._ctx = ctx
        self.current = current
        self._load_version = load_version

    def questionnaire(self, version: int) -> Questionnaire:
        """The questionnaire an intake was taken with, to read it as it was asked."""
        return self._load_version(version)

    def record(
        self,
        actor: SignedInStaff,
        patient_id: int,
        answers: Answers,
        *,
        taken_by_patient: bool = False,
    ) -> IntakeVersionView:
        """Store the answers as the patient's next intake version; the actor signs it off."""
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.TAKE_INTAKE,
            action="intake.recorded",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            patient = uow.patients.get(patient_id)
            if patient is None:
                raise NotFound("That patient record does not exist.")
            today = clinic_today(self._ctx, uow)
            kept = validate_answers(self.current, answers, today)
            previous = uow.patients.latest_intake(patient_id)
            record = IntakeRecord(
                patient_id=patient_id,
                sequence=(previous.sequence + 1) if previous else 1,
                questionnaire_version=self.current.version,
                answers_json=json.dumps(answers_to_json(kept), ensure_ascii=False, sort_keys=True),
                recorded_on=today,
                recorded_at=now,
                signed_off_by=actor.staff_id,
                taken_by_patient=taken_by_patient,
            )
            uow.patients.add_record(record)
            uow.audit.append(
                AuditEvent(
                    "intake.recorded",
                    "intake_record",
                    record.id,
                    staff_id=actor.staff_id,
                    patient_id=patient_id,
                    detail=f"version {record.sequence}",
                ),
                at=now,
                records=[record],
            )
            uow.commit()
            names = {actor.staff_id: actor.full_name}
            return self._views([previous, record] if previous else [record], names)[-1]

    def history(self, actor: SignedInStaff, patient_id: int) -> list[IntakeVersionView]:
        """Every version, oldest first, each with what changed since the one before."""
        with self._ctx.viewing(actor, action="intake.viewed", patient_id=patient_id) as uow:
            names = {s.id: s.full_name for s in uow.staff.all()}
            return self._views(uow.patients.intakes(patient_id), names)

    def _views(
        self, records: Sequence[IntakeRecord], names: dict[int, str]
    ) -> list[IntakeVersionView]:
        views: list[IntakeVersionView] = []
        previous_answers: Answers = {}
        for record in records:
            questionnaire = self._load_version(record.questionnaire_version)
            answers = answers_from_json(questionnaire, json.loads(record.answers_json))
            changes = (
                tuple(changes_between(questionnaire, previous_answers, answers)) if views else ()
            )
            views.append(
                IntakeVersionView(
                    intake_id=record.id,
                    sequence=record.sequence,
                    questionnaire_version=record.questionnaire_version,
                    recorded_on=record.recorded_on,
                    recorded_at=record.recorded_at,
                    signed_off_by=names.get(record.signed_off_by, "?"),
                    taken_by_patient=record.taken_by_patient,
                    answers=answers,
                    changes_from_previous=changes,
                )
            )
            previous_answers = answers
        return views
