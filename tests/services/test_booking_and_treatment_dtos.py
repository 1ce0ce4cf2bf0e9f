"""The small rules inside the appointment and treatment DTOs, pinned without a database:
which kinds are treatments and which use RF, which statuses take time, the words of the
refusals the windows show (every blocker, every warning), a lot's usability and label,
an adverse event's state from its follow-ups, a day's rows, a proposal's explanation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from clinic_desk.domain.adverse_events import AdverseEventKind, EventSeverity
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.course import DateWindow
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.session_record import SessionDraft
from clinic_desk.domain.session_start import StartBlocker, StartCheck
from clinic_desk.domain.setting_findings import FindingSeverity, SettingFinding, SettingsCheck
from clinic_desk.services.appointment_dto import (
    TREATMENT_KINDS,
    AppointmentView,
    CourseProposal,
    DayBook,
    DueRow,
    OutsideWorkingHours,
    uses_rf,
)
from clinic_desk.services.treatment_dto import (
    AdverseEventView,
    FollowUpView,
    LotView,
    SessionNotStarted,
    SettingsRefused,
)

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_treatment_kinds_and_rf() -> None:
    assert {
        AppointmentKind.MICRONEEDLING,
        AppointmentKind.RF_SESSION,
        AppointmentKind.MAINTENANCE,
    } == TREATMENT_KINDS
    assert [k for k in AppointmentKind if uses_rf(k)] == [AppointmentKind.RF_SESSION]


def _row(start: datetime, status: AppointmentStatus = AppointmentStatus.BOOKED) -> AppointmentView:
    return AppointmentView(
        appointment_id=1, version=1, patient_id=1, patient_number="P-000001",
        patient_name="Berg, Anna", practitioner_id=2, practitioner_name="Dr Łucja",
        room_id=1, room_name="Room 1", start=start, end=start + timedelta(minutes=30),
        length_minutes=30, kind=AppointmentKind.CONSULTATION, kind_label="Consultation",
        status=status, status_label=status.value, cancel_reason="", note="", course_id=None,
        course_label="", ready_for_room_id=None, ready_for_room_name="", punctuality=None,
        punctuality_label="", uses_rf=False,
    )  # fmt: skip


def test_only_no_shows_and_cancellations_free_their_time() -> None:
    takes = {s: _row(NOW, s).takes_time for s in AppointmentStatus}
    assert {s for s, t in takes.items() if not t} == {
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
    }


def test_a_day_of_the_book_and_the_nothing_booked_filter() -> None:
    rows = (_row(NOW), _row(NOW + timedelta(days=1)), _row(NOW + timedelta(hours=3)))
    book = DayBook(DAY, DAY + timedelta(days=6), "UTC", (), (), rows)
    assert book.on(DAY) == (rows[0], rows[2])
    assert book.on(DAY + timedelta(days=1)) == (rows[1],)
    assert book.on(DAY - timedelta(days=1)) == ()
    entry = object()
    assert DueRow(entry, None).nothing_booked  # type: ignore[arg-type]
    assert not DueRow(entry, NOW).nothing_booked  # type: ignore[arg-type]


def test_a_proposal_explains_days_outside_its_window_only() -> None:
    window = DateWindow(DAY, DAY + timedelta(days=14))
    proposal = CourseProposal(1, 1, "Session 2 of 6", window, ())
    assert proposal.explain(DAY) is None
    assert proposal.explain(DAY + timedelta(days=14)) is None
    assert proposal.explain(DAY - timedelta(days=1)) == window.explain(DAY - timedelta(days=1))
    assert proposal.explain(DAY - timedelta(days=1))
    assert CourseProposal(1, 1, "Session 1 of 6", None, ()).explain(DAY) is None


def test_refusals_put_every_reason_in_their_words() -> None:
    warned = OutsideWorkingHours(("It starts before working hours.", "It is outside the window."))
    assert str(warned) == "It starts before working hours. It is outside the window."
    assert warned.warnings == ("It starts before working hours.", "It is outside the window.")
    check = StartCheck(
        (StartBlocker("a", "consent", "No consent."), StartBlocker("b", "screening", "Screen.")),
        None,
    )
    stopped = SessionNotStarted(check)
    assert str(stopped) == "No consent. Screen." and stopped.check is check


def test_a_settings_refusal_names_the_first_blocking_finding() -> None:
    warn = SettingFinding("w", "areas.x", FindingSeverity.WARNING, "Careful.")
    first = SettingFinding("r1", "lot", FindingSeverity.REFUSE, "Choose another lot.")
    second = SettingFinding("r2", "cartridge", FindingSeverity.REFUSE, "Choose a cartridge.")
    refused = SettingsRefused(SettingsCheck((warn, first, second)))
    assert (str(refused), refused.field) == ("Choose another lot.", "lot")
    nothing = SettingsRefused(SettingsCheck((warn,)))
    assert (str(nothing), nothing.field) == ("The settings cannot be saved.", None)


def test_a_lot_is_usable_only_active_and_unexpired() -> None:
    lot = LotView(1, 1, "needle", "Needles 36G", "N-1", DAY, True, False)
    assert lot.usable
    assert not replace(lot, is_active=False).usable
    assert not replace(lot, is_expired=True).usable
    assert lot.label == "Needles 36G, lot N-1 (use by 2026-11-23)"


def _follow(outcome: str = "", *, maker: bool = False, authority: bool = False,
            closes: bool = False) -> FollowUpView:  # fmt: skip
    return FollowUpView(1, "note", outcome, maker, authority, closes, "Dr", NOW)


def test_an_adverse_event_is_open_until_a_follow_up_closes_it() -> None:
    settings = SessionDraft(device_id=1, areas=(AreaSettings("cheeks", "scars", Decimal("1")),))
    event = AdverseEventView(
        1, 1, 1, DAY, AdverseEventKind.BURN, "Burn", EventSeverity.MILD, "d", DAY, "a", "Dr",
        NOW, (), "Pen", "L-1", settings,
    )  # fmt: skip
    assert event.is_open and event.outcome == ""
    assert not event.reported_to_manufacturer and not event.reported_to_authority
    ups = (_follow("Better", maker=True), _follow(), _follow("Healed", authority=True))
    later = replace(event, follow_ups=ups)
    assert later.is_open and later.outcome == "Healed"  # the newest outcome given
    assert later.reported_to_manufacturer and later.reported_to_authority
    assert replace(event, follow_ups=(_follow("Better"), _follow())).outcome == "Better"
    closed = replace(event, follow_ups=(*ups, _follow(closes=True)))
    assert not closed.is_open
