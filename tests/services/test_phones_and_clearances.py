"""Phone numbers read with the clinic's country, and withdrawing a screening clearance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, PermissionDenied, ValidationError
from clinic_desk.domain.intake import Answer
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.record_hashes import CLEARANCE_REVOCATION, record_hash
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.patients import PossibleDuplicate
from tests.helpers.clinic import (
    STAFF_PASSWORD,
    FakeClock,
    SeededClinic,
    blank_answer,
    seed_clinic,
)


@pytest.fixture
def clinic(core: ClinicDesk) -> SeededClinic:
    # The sample clinic is in Łódź (Europe/Warsaw): its country is Poland.
    return seed_clinic(core)


def polish(phone: str, family: str = "Nowak", given: str = "Ewa") -> PatientDetails:
    return PatientDetails(family, given, date(1990, 1, 1), phone)


def test_the_clinic_country_comes_from_its_time_zone(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    profile = core.clinic.profile()
    assert profile is not None and profile.country == "PL"


def test_one_number_written_two_ways_is_a_likely_duplicate(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    first = core.patients.register(clinic.reception, polish("600 100 200"))
    with pytest.raises(PossibleDuplicate) as found:
        core.patients.register(
            clinic.reception, polish("+48 600-100-200", family="Kowalska", given="Anna")
        )
    assert [m.patient_id for m in found.value.matches] == [first.patient_id]
    # shown as the clinic writes its own country's numbers
    assert found.value.matches[0].phone == "600 100 200"


def test_numbers_are_stored_in_e164_and_shown_in_the_national_format(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(
        clinic.reception,
        PatientDetails("Nowak", "Ewa", date(1990, 1, 1), "+48600100200",
                       emergency_contact_phone="+33 6 12 34 56 78"),
    )
    # as typed in the details (history keeps what was typed), E.164 beside it
    assert record.details.phone == "+48600100200"
    assert record.phone_shown == "600 100 200"
    assert record.emergency_contact_phone_shown == "+33 6 12 34 56 78"
    with core.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT phone_e164, emergency_contact_phone_e164 FROM patient")
        ).one()
    assert tuple(stored) == ("+48600100200", "+33612345678")
    row = core.patients.search(clinic.reception, "Nowak").rows[0]
    assert row.phone == "600 100 200"


def test_a_number_that_cannot_be_read_is_kept_as_typed(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(clinic.reception, polish("123 456"))
    assert record.details.phone == "123 456" and record.phone_shown == "123 456"
    with core.engine.connect() as conn:
        assert conn.execute(text("SELECT phone_e164 FROM patient")).scalar_one() == ""
    # the same digits typed again are still a likely duplicate
    with pytest.raises(PossibleDuplicate):
        core.patients.register(clinic.reception, polish("123-456", family="Zielińska"))


@pytest.mark.parametrize("typed", ["600100200", "600 100", "48600100", "+48 600 100 200"])
def test_search_by_phone_digits_finds_both_spellings(
    core: ClinicDesk, clinic: SeededClinic, typed: str
) -> None:
    national = core.patients.register(clinic.reception, polish("600 100 200"))
    found = core.patients.search(clinic.reception, typed)
    assert national.patient_id in {r.patient_id for r in found.rows}


def test_a_french_number_is_found_by_its_national_form(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    record = core.patients.register(clinic.reception, polish("+33 6 12 34 56 78"))
    for typed in ("06 12 34 56 78", "0612", "33 6 12 34", "+33612345678"):
        found = core.patients.search(clinic.reception, typed)
        assert record.patient_id in {r.patient_id for r in found.rows}, typed


# --- clearances: who cleared what and when, and withdrawing one ---------------------


def clear_answers(core: ClinicDesk, **changes: Answer) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = blank_answer(q.kind)
    return answers | changes


@pytest.fixture
def cleared(core: ClinicDesk, clinic: SeededClinic) -> tuple[int, int]:
    patient_id = core.patients.register(clinic.reception, polish("600 100 200")).patient_id
    core.intake.record(clinic.reception, patient_id, clear_answers(core, allergy_metal=True))
    result = core.screening.clear_finding(
        clinic.practitioner, patient_id, "allergy_metal",
        reason="Titanium cartridge chosen; patient agrees.", password=STAFF_PASSWORD)
    assert result.status is ScreeningStatus.CLEAR
    clearance_id = result.findings[0].clearance_id
    assert clearance_id is not None
    return patient_id, clearance_id


def test_a_clearance_says_who_cleared_what_and_when(
    core: ClinicDesk, clinic: SeededClinic, cleared: tuple[int, int], clock: FakeClock
) -> None:
    patient_id, clearance_id = cleared
    finding = core.screening.screen_patient(clinic.reception, patient_id).findings[0]
    assert finding.cleared_by == "Dr Łucja Wiśniewska" and finding.cleared_at == clock.now
    [view] = core.screening.clearances(clinic.reception, patient_id)
    assert view.clearance_id == clearance_id
    assert view.title == "Allergy to metals such as nickel"
    assert view.cleared_by == "Dr Łucja Wiśniewska" and view.cleared_at == clock.now
    assert view.on_latest_intake and not view.is_revoked


def test_a_practitioner_revokes_a_clearance_and_the_history_stays(
    core: ClinicDesk, clinic: SeededClinic, cleared: tuple[int, int], clock: FakeClock
) -> None:
    patient_id, clearance_id = cleared
    clock.advance(timedelta(days=2))
    views = core.screening.revoke_clearance(
        clinic.practitioner, patient_id, clearance_id,
        reason="  The cartridge in stock contains   nickel after all. ")
    [view] = views
    assert view.is_revoked and view.revoked_by == "Dr Łucja Wiśniewska"
    assert view.revoked_at == clock.now
    assert view.revocation_reason == "The cartridge in stock contains nickel after all."
    # the clearance itself is unchanged, and no longer counts
    assert view.reason == "Titanium cartridge chosen; patient agrees."
    result = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert result.status is ScreeningStatus.NEEDS_CLEARANCE
    assert not result.findings[0].is_cleared
    with pytest.raises(ClinicDeskError, match="already withdrawn"):
        core.screening.revoke_clearance(
            clinic.practitioner, patient_id, clearance_id, reason="Once more, to be sure.")
    # append-only, and its audit entry vouches for the row's hash
    with core.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT id, clearance_id, patient_id, reason, revoked_by, revoked_at "
            "FROM clearance_revocation")).one()
        entry_seq, linked_hash = conn.execute(text(
            "SELECT e.seq, r.record_hash FROM audit_entry e "
            "JOIN audit_record r ON r.seq = e.seq "
            "WHERE e.action = 'screening.clearance_revoked' AND e.outcome = 'success' "
            "AND r.record_type = 'clearance_revocation' AND r.record_id = :id"),
            {"id": row.id}).one()
        detail = conn.execute(text(
            "SELECT detail FROM audit_entry WHERE seq = :seq"), {"seq": entry_seq}).scalar_one()
    values = row._asdict()
    values["revoked_at"] = clock.now
    assert linked_hash == record_hash(CLEARANCE_REVOCATION, values)
    assert "allergy_metal" not in detail  # ids only, never the finding
    for statement in ("UPDATE clearance_revocation SET reason = 'x'",
                      "DELETE FROM clearance_revocation"):
        with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
            conn.execute(text(statement))
    assert verify_audit_log(core.units).ok
    # clearing again is a new clearance: the withdrawn one stays on record
    core.screening.clear_finding(
        clinic.practitioner, patient_id, "allergy_metal",
        reason="Gold-plated cartridge ordered and checked.", password=STAFF_PASSWORD)
    assert [v.is_revoked for v in core.screening.clearances(clinic.reception, patient_id)] == [
        False, True]


@pytest.mark.parametrize("who", ["reception", "admin"])
def test_only_a_practitioner_may_revoke_and_a_refusal_is_audited(
    core: ClinicDesk, clinic: SeededClinic, cleared: tuple[int, int], who: str
) -> None:
    patient_id, clearance_id = cleared
    with pytest.raises(PermissionDenied):
        core.screening.revoke_clearance(
            getattr(clinic, who), patient_id, clearance_id, reason="I think it is wrong.")
    assert not core.screening.clearances(clinic.reception, patient_id)[0].is_revoked
    with core.engine.connect() as conn:
        outcome = conn.execute(text(
            "SELECT outcome FROM audit_entry WHERE action = 'screening.clearance_revoked'"
        )).scalar_one()
    assert outcome == "denied"


def test_a_revocation_needs_a_reason(
    core: ClinicDesk, clinic: SeededClinic, cleared: tuple[int, int]
) -> None:
    patient_id, clearance_id = cleared
    with pytest.raises(ValidationError) as short:
        core.screening.revoke_clearance(clinic.practitioner, patient_id, clearance_id,
                                        reason="no")
    assert short.value.field == "reason"
    assert not core.screening.clearances(clinic.reception, patient_id)[0].is_revoked


def test_the_free_text_answer_reaches_the_screening_to_review(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    patient_id = core.patients.register(clinic.reception, polish("600 100 200")).patient_id
    core.intake.record(clinic.reception, patient_id,
                       clear_answers(core, other_conditions="Allergic to penicillin."))
    result = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert result.status is ScreeningStatus.NEEDS_CLEARANCE
    [finding] = result.findings
    assert finding.to_review and "“Allergic to penicillin.”" in finding.reason
    assert finding.source == "clinic policy"
