"""What a record starts with when a field is not given: a new appointment has no note and
no cancel reason, a device profile no notes, a question is required unless said, a
chain that verifies names no problem."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from clinic_desk.domain.audit_chain import verify_chain
from clinic_desk.domain.booking import Appointment, AppointmentKind, AppointmentStatus
from clinic_desk.domain.devices import DeviceKind, DeviceProfile, SettingRange
from clinic_desk.domain.intake import Question, QuestionKind


def test_a_new_appointment_is_booked_without_note_or_reason() -> None:
    appointment = Appointment(
        1, 2, 3, datetime(2026, 12, 1, 9, tzinfo=UTC), 30, AppointmentKind.CONSULTATION
    )
    assert appointment.status is AppointmentStatus.BOOKED
    assert appointment.note == ""
    assert appointment.cancel_reason == ""
    assert appointment.id is None


def test_a_device_profile_without_notes_is_active() -> None:
    profile = DeviceProfile(
        DeviceKind.DERMA_ROLLER, "M", "Example", "", SettingRange.fixed(Decimal(1))
    )
    assert profile.notes == ""
    assert profile.active is True


def test_a_question_is_required_unless_said() -> None:
    question = Question("pregnant", QuestionKind.YES_NO, "Are you pregnant?")
    assert question.optional is False
    assert question.required is True


def test_an_empty_chain_verifies_and_names_no_problem() -> None:
    verdict = verify_chain([])
    assert verdict.ok is True
    assert verdict.problem == ""
    assert (verdict.entries_checked, verdict.first_bad_row_id, verdict.first_bad_seq) == (
        0,
        None,
        None,
    )
