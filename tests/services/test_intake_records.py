"""What recording an intake stores and records, field by field; the clinic's own date;
and what editing the clinic profile stores and records."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.storage.models import IntakeRecord
from clinic_desk.storage.unit_of_work import STALE_MESSAGE
from tests.helpers.clinic import SAMPLE_CLINIC, FakeClock, SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def patient_id(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200")
    return core.patients.register(clinic.reception, details).patient_id


_BLANK: dict[QuestionKind, Answer] = {
    QuestionKind.YES_NO: False, QuestionKind.CHOICE: "never", QuestionKind.TEXT: ""}


def clear_answers(core: ClinicDesk) -> dict[str, Answer]:
    return {
        q.id: _BLANK.get(q.kind)
        for section in core.intake.current.sections
        for q in section.questions
    }


def _intakes(core: ClinicDesk, patient_id: int) -> list[IntakeRecord]:
    with core.units() as uow:
        return list(uow.patients.intakes(patient_id))


def test_an_intake_stores_every_column_and_records_its_entry(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    # 23:30 UTC is already the next day in Warsaw, where the clinic is.
    clock.now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    before = entry_count(core)
    answers = clear_answers(core) | {"eczema": True, "other_conditions": "Zoë: łagodny"}
    view = core.intake.record(clinic.reception, patient_id, answers)
    (row,) = _intakes(core, patient_id)
    assert (row.patient_id, row.sequence, row.questionnaire_version, row.recorded_on,
            row.recorded_at, row.signed_off_by, row.taken_by_patient) == (
        patient_id, 1, core.intake.current.version, date(2026, 11, 23), clock.now,
        clinic.reception.staff_id, False)
    stored = json.loads(row.answers_json)
    assert stored["eczema"] is True and set(stored) == set(answers)
    assert row.answers_json == json.dumps(stored, ensure_ascii=False, sort_keys=True)
    assert '"other_conditions": "Zoë: łagodny"' in row.answers_json  # kept as written
    assert (view.intake_id, view.sequence, view.questionnaire_version, view.recorded_on,
            view.recorded_at, view.signed_off_by, view.taken_by_patient,
            view.changes_from_previous) == (
        row.id, 1, core.intake.current.version, date(2026, 11, 23), clock.now,
        "Jonas Müller", False, ())
    assert view.answers["eczema"] is True
    assert entries(core, after=before) == [
        Entry("intake.recorded", "intake_record", str(row.id), clinic.reception.staff_id,
              patient_id, "success", "version 1")]


def test_the_next_version_counts_on_and_says_what_changed(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    core.intake.record(clinic.reception, patient_id, clear_answers(core))
    clock.advance(timedelta(days=3))
    before = entry_count(core)
    second = core.intake.record(clinic.practitioner, patient_id,
                                clear_answers(core) | {"eczema": True}, taken_by_patient=True)
    first_row, second_row = _intakes(core, patient_id)
    assert (second.sequence, second.signed_off_by, second.taken_by_patient) == (
        2, "Dr Łucja Wiśniewska", True)
    assert (second_row.sequence, second_row.taken_by_patient, second_row.recorded_on) == (
        2, True, date(2026, 11, 25))
    assert [c.question_id for c in second.changes_from_previous] == ["eczema"]
    assert entries(core, after=before) == [
        Entry("intake.recorded", "intake_record", str(second_row.id),
              clinic.practitioner.staff_id, patient_id, "success", "version 2")]
    history = core.intake.history(clinic.admin, patient_id)
    assert [(v.sequence, v.signed_off_by, v.taken_by_patient) for v in history] == [
        (1, "Jonas Müller", False), (2, "Dr Łucja Wiśniewska", True)]
    assert history[0].changes_from_previous == ()
    assert [c.question_id for c in history[1].changes_from_previous] == ["eczema"]
    assert history[0].intake_id == first_row.id
    # Reading the history is recorded as a view of the record.
    assert entries(core)[-1] == Entry("intake.viewed", "patient", str(patient_id),
                                      clinic.admin.staff_id, patient_id, "success", "")


def test_an_intake_for_a_missing_patient_or_with_bad_answers_writes_nothing(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    before = entry_count(core)
    with refused(NotFound, "That patient record does not exist."):
        core.intake.record(clinic.reception, 9999, clear_answers(core))
    with pytest.raises(ValidationError):
        core.intake.record(clinic.reception, patient_id, clear_answers(core) | {"eczema": None})
    assert entry_count(core) == before and _intakes(core, patient_id) == []
    assert core.intake.history(clinic.reception, patient_id) == []


def test_an_older_questionnaire_is_loaded_by_its_version(core: ClinicDesk) -> None:
    current = core.intake.current
    assert core.intake.questionnaire(current.version) == current


CHANGED = ClinicDetails(
    name="Klinika Kraków",
    address="Rynek Główny 1\n31-042 Kraków",
    phone="+48 12 345 67 89",
    time_zone="Europe/Berlin",
    paper_size=PaperSize.LETTER,
    date_format=DateFormat.ISO,
    intake_max_age_days=30,
)


def test_changing_the_profile_stores_every_field_and_records_it(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    first = core.clinic.profile()
    assert first is not None
    assert (first.name, first.address, first.phone, first.time_zone, first.paper_size,
            first.intake_max_age_days, first.is_demo, first.country) == (
        SAMPLE_CLINIC.name, SAMPLE_CLINIC.address, SAMPLE_CLINIC.phone, "Europe/Warsaw",
        PaperSize.A4, 90, False, "PL")
    before = entry_count(core)
    changed = core.clinic.update_profile(clinic.admin, CHANGED, expected_version=first.version)
    assert (changed.name, changed.address, changed.phone, changed.time_zone,
            changed.paper_size, changed.date_format, changed.intake_max_age_days,
            changed.is_demo, changed.country) == (
        "Klinika Kraków", "Rynek Główny 1\n31-042 Kraków", "+48 12 345 67 89",
        "Europe/Berlin", PaperSize.LETTER, DateFormat.ISO, 30, False, "DE")
    assert changed.version == first.version + 1
    assert core.clinic.profile() == changed
    with core.units() as uow:
        profile_id = uow.clinic.get().id  # type: ignore[union-attr]
    assert entries(core, after=before) == [
        Entry("clinic.changed", "clinic_profile", str(profile_id), clinic.admin.staff_id, None,
              "success", "")]


def test_a_stale_or_refused_profile_change_writes_no_change(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    first = core.clinic.profile()
    assert first is not None
    with refused(ConcurrentEditError, STALE_MESSAGE):
        core.clinic.update_profile(clinic.admin, CHANGED, expected_version=first.version + 1)
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.clinic.update_profile(clinic.practitioner, CHANGED, expected_version=first.version)
    assert entries(core, after=before) == [
        Entry("clinic.changed", "clinic_profile", None, clinic.practitioner.staff_id, None,
              "denied", "roles=practitioner")]
    assert core.clinic.profile() == first


def test_no_profile_before_first_start(core: ClinicDesk) -> None:
    assert core.clinic.profile() is None


def test_refused_intake_calls_are_recorded_about_the_patient(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    from clinic_desk.domain.errors import SessionLocked

    core.auth.lock_session(clinic.reception)
    before = entry_count(core)
    with pytest.raises(SessionLocked):
        core.intake.record(clinic.reception, patient_id, clear_answers(core))
    with pytest.raises(SessionLocked):
        core.intake.history(clinic.reception, patient_id)
    sid = clinic.reception.staff_id
    assert entries(core, after=before) == [
        Entry("intake.recorded", "patient", str(patient_id), sid, patient_id, "denied",
              "session locked"),
        Entry("intake.viewed", "patient", str(patient_id), sid, patient_id, "denied",
              "session locked"),
    ]
    assert _intakes(core, patient_id) == []
