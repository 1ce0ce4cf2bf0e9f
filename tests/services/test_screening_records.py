"""What clearing and withdrawing a screening finding store and record, field by field;
the reason's length at its edges; which findings can be cleared at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, NotFound, ValidationError
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningResult, ScreeningStatus
from clinic_desk.storage.models import ScreeningClearance, ScreeningClearanceRevocation
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

REASON = "Eczema only on the hands; face is clear."
OPEN_WOUND = "Open wound in the area"



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


def _with(core: ClinicDesk, clinic: SeededClinic, patient_id: int, **yes: Answer) -> int:
    return core.intake.record(clinic.reception, patient_id, clear_answers(core) | yes).intake_id


def _clearances(core: ClinicDesk) -> list[ScreeningClearance]:
    with core.units() as uow:
        return list(uow.session.query(ScreeningClearance).order_by(ScreeningClearance.id))


def test_a_clearance_stores_every_column_and_records_its_entry(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    intake_id = _with(core, clinic, patient_id, eczema=True)
    sid = clinic.practitioner.staff_id
    clock.advance(timedelta(minutes=10))
    before = entry_count(core)
    cleared = core.screening.clear_finding(
        clinic.practitioner, patient_id, "eczema",
        reason="  Eczema only on the hands;\n  face is clear.  ", password=STAFF_PASSWORD)
    assert cleared.status is ScreeningStatus.CLEAR
    (row,) = _clearances(core)
    assert (row.patient_id, row.intake_record_id, row.rule_id, row.reason, row.cleared_by,
            row.cleared_at) == (patient_id, intake_id, "eczema", REASON, sid, clock.now)
    (finding,) = cleared.findings
    assert (finding.rule_id, finding.is_cleared, finding.cleared_by,
            finding.clearance_reason) == ("eczema", True, "Dr Łucja Wiśniewska", REASON)
    assert entries(core, after=before) == [
        Entry("screening.cleared", "screening_clearance", str(row.id), sid, patient_id,
              "success", "")]
    # Clearing it again changes nothing and records nothing.
    again = core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                         reason=REASON, password=STAFF_PASSWORD)
    assert again.status is ScreeningStatus.CLEAR and len(_clearances(core)) == 1
    assert entry_count(core) == before + 1


def test_a_wrong_password_is_recorded_and_clears_nothing(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    _with(core, clinic, patient_id, eczema=True)
    before = entry_count(core)
    with refused(ValidationError, "That is not your password. Enter it again to confirm the "
                 "clearance.") as caught:
        core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                     reason=REASON, password="admin-password-1")
    assert caught.value.field == "password"
    assert _clearances(core) == []
    assert entries(core, after=before) == [
        Entry("screening.cleared", "patient", str(patient_id), clinic.practitioner.staff_id,
              patient_id, "failed", "wrong password")]


@pytest.mark.parametrize(("reason", "accepted"), [
    ("x" * 9, False), ("x" * 10, True), ("xxxxx   xxxx", True), ("xxxx     xxx", False),
    ("x" * 2000, True), ("x" * 2001, False),
])
def test_the_clearance_reason_at_its_edges(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, reason: str, accepted: bool
) -> None:
    _with(core, clinic, patient_id, eczema=True)
    def clear() -> ScreeningResult:
        return core.screening.clear_finding(
            clinic.practitioner, patient_id, "eczema", reason=reason, password=STAFF_PASSWORD)
    if accepted:
        assert clear().status is ScreeningStatus.CLEAR
        assert _clearances(core)[0].reason == " ".join(reason.split())
    else:
        with pytest.raises(ValidationError) as caught:
            clear()
        assert caught.value.field == "reason"
        assert str(caught.value) in (
            "Write why it is safe to treat (at least 10 characters).",
            "Keep the reason under 2000 characters.",
        ) and ("2000" in str(caught.value)) == (len(reason) > 2000)
        assert _clearances(core) == []


def test_only_a_finding_that_needs_clearance_can_be_cleared(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    _with(core, clinic, patient_id, topical_retinoids=True, open_wound=True)
    before = entry_count(core)
    with pytest.raises(ClinicDeskError) as advice:
        core.screening.clear_finding(clinic.practitioner, patient_id, "topical_retinoids",
                                     reason=REASON, password=STAFF_PASSWORD)
    assert str(advice.value) == "Advice for the patient does not need clearing."
    with refused(ClinicDeskError, f"“{OPEN_WOUND}” means do not treat: it cannot be cleared."):
        core.screening.clear_finding(clinic.practitioner, patient_id, "open_wound",
                                     reason=REASON, password=STAFF_PASSWORD)
    with refused(NotFound, "That finding is not part of this patient's screening now."):
        core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                     reason=REASON, password=STAFF_PASSWORD)
    with refused(NotFound, "That patient record does not exist."):
        core.screening.clear_finding(clinic.practitioner, 9999, "eczema",
                                     reason=REASON, password=STAFF_PASSWORD)
    assert _clearances(core) == [] and entry_count(core) == before


def test_clearances_are_listed_newest_first_with_their_withdrawal(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    _with(core, clinic, patient_id, eczema=True, rosacea=True)
    core.screening.clear_finding(clinic.practitioner, patient_id, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    first_at = clock.now
    clock.advance(timedelta(minutes=1))
    core.screening.clear_finding(clinic.practitioner, patient_id, "rosacea",
                                 reason="Mild rosacea, calm today.", password=STAFF_PASSWORD)
    eczema_id, rosacea_id = (c.id for c in _clearances(core))
    views = core.screening.clearances(clinic.reception, patient_id)
    assert [(v.clearance_id, v.rule_id, v.cleared_by, v.intake_sequence, v.on_latest_intake,
             v.revoked_by, v.revoked_at, v.revocation_reason) for v in views] == [
        (rosacea_id, "rosacea", "Dr Łucja Wiśniewska", 1, True, None, None, None),
        (eczema_id, "eczema", "Dr Łucja Wiśniewska", 1, True, None, None, None),
    ]
    assert (views[1].title, views[1].reason, views[1].cleared_at) == (
        core.screening.rules.rules[[r.id for r in core.screening.rules.rules].index(
            "eczema")].title, REASON, first_at)
    clock.advance(timedelta(minutes=1))
    before = entry_count(core)
    after = core.screening.revoke_clearance(
        clinic.practitioner, patient_id, eczema_id,
        reason="  Flare-up on the\ncheek this morning. ")
    withdrawn = next(v for v in after if v.clearance_id == eczema_id)
    assert (withdrawn.revoked_by, withdrawn.revoked_at, withdrawn.revocation_reason) == (
        "Dr Łucja Wiśniewska", clock.now, "Flare-up on the cheek this morning.")
    with core.units() as uow:
        (stored,) = uow.session.query(ScreeningClearanceRevocation).all()
        assert (stored.clearance_id, stored.patient_id, stored.reason, stored.revoked_by,
                stored.revoked_at) == (eczema_id, patient_id,
                                       "Flare-up on the cheek this morning.",
                                       clinic.practitioner.staff_id, clock.now)
    assert entries(core, after=before) == [
        Entry("screening.clearance_revoked", "screening_clearance", str(eczema_id),
              clinic.practitioner.staff_id, patient_id, "success", "")]
    status = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert status.status is ScreeningStatus.NEEDS_CLEARANCE
    assert [f.rule_id for f in status.findings if not f.is_cleared] == ["eczema"]
    # A new intake: the old clearances are no longer on the latest one.
    _with(core, clinic, patient_id, eczema=True, rosacea=True)
    views = core.screening.clearances(clinic.reception, patient_id)
    assert [(v.intake_sequence, v.on_latest_intake) for v in views] == [(1, False), (1, False)]


def test_a_withdrawal_needs_a_reason_a_clearance_on_record_and_happens_once(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    _with(core, clinic, patient_id, eczema=True)
    core.screening.clear_finding(clinic.practitioner, patient_id, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    (clearance,) = _clearances(core)
    before = entry_count(core)
    with pytest.raises(ValidationError) as short:
        core.screening.revoke_clearance(clinic.practitioner, patient_id, clearance.id,
                                        reason="x" * 9)
    assert str(short.value) == "Write why the clearance is withdrawn (at least 10 characters)."
    with refused(NotFound, "That clearance is not on this patient's record."):
        core.screening.revoke_clearance(clinic.practitioner, patient_id, clearance.id + 1,
                                        reason=REASON)
    with refused(NotFound, "That clearance is not on this patient's record."):
        core.screening.revoke_clearance(clinic.practitioner, patient_id + 1, clearance.id,
                                        reason=REASON)
    assert entry_count(core) == before
    core.screening.revoke_clearance(clinic.practitioner, patient_id, clearance.id,
                                    reason="x" * 10)
    with refused(ClinicDeskError, "That clearance was already withdrawn."):
        core.screening.revoke_clearance(clinic.practitioner, patient_id, clearance.id,
                                        reason=REASON)
    assert entry_count(core) == before + 1


def test_screening_uses_the_clinic_date_and_records_the_view(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # 23 November in Warsaw
    assert core.screening.today() == date(2026, 11, 23)
    _with(core, clinic, patient_id)
    before = entry_count(core)
    result = core.screening.screen_patient(clinic.practitioner, patient_id)
    assert result.status is ScreeningStatus.CLEAR
    assert entries(core, after=before) == [
        Entry("screening.viewed", "patient", str(patient_id), clinic.practitioner.staff_id,
              patient_id, "success", "")]
    # The clinic keeps a medical history for 90 days: on day 90 it holds, on day 91 not.
    on_day = core.screening.screen_patient(clinic.practitioner, patient_id,
                                           session_date=date(2026, 11, 23) + timedelta(90))
    late = core.screening.screen_patient(clinic.practitioner, patient_id,
                                         session_date=date(2026, 11, 23) + timedelta(91))
    assert on_day.status is ScreeningStatus.CLEAR
    assert late.status is ScreeningStatus.DO_NOT_TREAT
    assert [f.rule_id for f in late.findings] == ["intake_out_of_date"]


def test_refused_screening_calls_are_recorded_about_the_patient(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    from clinic_desk.domain.errors import PermissionDenied, SessionLocked

    _with(core, clinic, patient_id, eczema=True)
    core.screening.clear_finding(clinic.practitioner, patient_id, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    (clearance,) = _clearances(core)
    sid = clinic.reception.staff_id
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.screening.clear_finding(clinic.reception, patient_id, "eczema", reason=REASON,
                                     password=STAFF_PASSWORD)
    with pytest.raises(PermissionDenied):
        core.screening.revoke_clearance(clinic.reception, patient_id, clearance.id,
                                        reason=REASON)
    core.auth.lock_session(clinic.reception)
    with pytest.raises(SessionLocked):
        core.screening.screen_patient(clinic.reception, patient_id)
    with pytest.raises(SessionLocked):
        core.screening.clearances(clinic.reception, patient_id)
    denied = "roles=reception"
    refusals = [e for e in entries(core, after=before) if e.outcome == "denied"]
    assert refusals == [
        Entry("screening.cleared", "patient", str(patient_id), sid, patient_id, "denied",
              denied),
        Entry("screening.clearance_revoked", "screening_clearance", str(clearance.id), sid,
              None, "denied", denied),
        Entry("screening.viewed", "patient", str(patient_id), sid, patient_id, "denied",
              "session locked"),
        Entry("screening.viewed", "patient", str(patient_id), sid, patient_id, "denied",
              "session locked"),
    ]
    assert len(_clearances(core)) == 1
