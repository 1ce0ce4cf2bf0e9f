"""Intake versions and screening through the services, with clearance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, PermissionDenied, ValidationError
from clinic_desk.domain.intake import Answer
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.audit import verify_audit_log
from tests.helpers.clinic import (
    STAFF_PASSWORD,
    FakeClock,
    SeededClinic,
    blank_answer,
)


@pytest.fixture
def patient_id(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200")
    return core.patients.register(clinic.reception, details).patient_id


def clear_answers(core: ClinicDesk) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = blank_answer(q.kind)
    return answers


def test_without_intake_the_medical_history_is_needed_first(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    result = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert result.status is ScreeningStatus.HISTORY_NEEDED
    assert result.findings[0].title == "No medical history yet"


def test_each_submission_is_a_new_version_with_what_changed(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    first = core.intake.record(clinic.reception, patient_id, clear_answers(core))
    assert first.sequence == 1 and first.changes_from_previous == ()
    clock.advance(timedelta(days=30))
    answers = clear_answers(core) | {"eczema": True, "cold_sores": "recurrent"}
    second = core.intake.record(clinic.reception, patient_id, answers, taken_by_patient=True)
    assert second.sequence == 2 and second.taken_by_patient
    assert {c.question_id for c in second.changes_from_previous} == {"eczema", "cold_sores"}
    change = next(c for c in second.changes_from_previous if c.question_id == "cold_sores")
    assert (change.before("DD/MM/YYYY"), change.after("DD/MM/YYYY")) == (
        "No", "Yes, from time to time, but none now")
    history = core.intake.history(clinic.practitioner, patient_id)
    assert [v.sequence for v in history] == [1, 2]
    assert history[0].answers["eczema"] is False  # the older version stays readable
    assert history[1].signed_off_by == "Jonas Müller"
    assert history[1].recorded_on == date(2026, 12, 22)


def test_intake_versions_cannot_be_overwritten_in_the_database(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    core.intake.record(clinic.reception, patient_id, clear_answers(core))
    for statement in (
        "UPDATE intake_record SET answers_json = '{}'",
        "DELETE FROM intake_record",
        "DELETE FROM patient_revision",
    ):
        with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
            conn.execute(text(statement))


def test_unanswered_question_is_named(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    answers = clear_answers(core)
    del answers["pregnant"]
    with pytest.raises(ValidationError) as caught:
        core.intake.record(clinic.reception, patient_id, answers)
    assert caught.value.field == "pregnant"
    assert core.intake.history(clinic.reception, patient_id) == []


def test_isotretinoin_gives_the_first_possible_date(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    answers = clear_answers(core) | {
        "isotretinoin": True,
        "isotretinoin_last_dose": date(2026, 10, 2),
    }
    core.intake.record(clinic.reception, patient_id, answers)
    result = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert result.status is ScreeningStatus.DO_NOT_TREAT
    assert result.first_possible_date == date(2027, 4, 2)
    later = core.screening.screen_patient(
        clinic.practitioner, patient_id, session_date=date(2027, 3, 1)
    )
    # by then the intake itself is too old
    assert {f.rule_id for f in later.findings} == {"isotretinoin", "intake_out_of_date"}


def test_practitioner_clears_a_finding_with_reason_and_password(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    core.intake.record(clinic.reception, patient_id, clear_answers(core) | {"eczema": True})
    assert (
        core.screening.screen_patient(clinic.practitioner, patient_id).status
        is ScreeningStatus.NEEDS_CLEARANCE
    )
    with pytest.raises(ValidationError) as no_password:
        core.screening.clear_finding(
            clinic.practitioner,
            patient_id,
            "eczema",
            reason="Eczema only on the hands; face is clear.",
            password="",
        )
    assert no_password.value.field == "password"
    with pytest.raises(ValidationError) as short:
        core.screening.clear_finding(
            clinic.practitioner, patient_id, "eczema", reason="ok", password=STAFF_PASSWORD
        )
    assert short.value.field == "reason"
    cleared = core.screening.clear_finding(
        clinic.practitioner,
        patient_id,
        "eczema",
        reason="Eczema only on the hands; face is clear.",
        password=STAFF_PASSWORD,
    )
    assert cleared.status is ScreeningStatus.CLEAR
    finding = cleared.findings[0]
    assert finding.cleared_by == "Dr Łucja Wiśniewska"
    assert finding.clearance_reason == "Eczema only on the hands; face is clear."
    with core.engine.connect() as conn:
        actions = conn.execute(
            text(
                "SELECT action, outcome FROM audit_entry WHERE action = 'screening.cleared' "
                "ORDER BY seq"
            )
        ).all()
    assert [tuple(a) for a in actions] == [
        ("screening.cleared", "failed"),
        ("screening.cleared", "success"),
    ]
    assert verify_audit_log(core.units).ok


def test_a_new_intake_needs_a_new_clearance(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    answers = clear_answers(core) | {"eczema": True}
    core.intake.record(clinic.reception, patient_id, answers)
    core.screening.clear_finding(
        clinic.practitioner,
        patient_id,
        "eczema",
        reason="Reviewed: mild and away from the face.",
        password=STAFF_PASSWORD,
    )
    core.intake.record(clinic.reception, patient_id, answers)
    assert (
        core.screening.screen_patient(clinic.practitioner, patient_id).status
        is ScreeningStatus.NEEDS_CLEARANCE
    )


def test_do_not_treat_cannot_be_cleared(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    core.intake.record(clinic.reception, patient_id, clear_answers(core) | {"open_wound": True})
    with pytest.raises(ClinicDeskError, match="cannot be cleared"):
        core.screening.clear_finding(
            clinic.practitioner,
            patient_id,
            "open_wound",
            reason="Small graze, patient insists.",
            password=STAFF_PASSWORD,
        )
    assert (
        core.screening.screen_patient(clinic.practitioner, patient_id).status
        is ScreeningStatus.DO_NOT_TREAT
    )


@pytest.mark.parametrize("who", ["reception", "admin"])
def test_only_practitioners_clear(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, who: str
) -> None:
    core.intake.record(clinic.reception, patient_id, clear_answers(core) | {"rosacea": True})
    with pytest.raises(PermissionDenied):
        core.screening.clear_finding(
            getattr(clinic, who),
            patient_id,
            "rosacea",
            reason="Looks fine to me, go ahead.",
            password="x",
        )


def test_rf_rules_follow_the_planned_treatment(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    core.intake.record(
        clinic.reception, patient_id, clear_answers(core) | {"implanted_device": True}
    )
    assert (
        core.screening.screen_patient(clinic.practitioner, patient_id, uses_rf=False).status
        is ScreeningStatus.CLEAR
    )
    assert (
        core.screening.screen_patient(clinic.practitioner, patient_id, uses_rf=True).status
        is ScreeningStatus.DO_NOT_TREAT
    )


def test_minor_is_blocked_until_the_eighteenth_birthday(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    teen = core.patients.register(
        clinic.reception, PatientDetails("Silva", "Inês", date(2009, 1, 15), "912 345 678")
    )
    core.intake.record(clinic.reception, teen.patient_id, clear_answers(core))
    result = core.screening.screen_patient(clinic.practitioner, teen.patient_id)
    assert result.status is ScreeningStatus.DO_NOT_TREAT
    assert result.first_possible_date == date(2027, 1, 15)
