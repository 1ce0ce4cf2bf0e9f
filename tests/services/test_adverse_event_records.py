"""Adverse events and their follow-ups pinned exactly (both engines): every field of the
view, the text kept stripped, each audit entry (recorded, followed up, refused), the
refusals' messages, the onset date at the session's day and today (one before, on, one
after), the chart header's open-only list, and a closed event refusing more."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.treatment_dto import AdverseEventView, FollowUpView
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, rf_draft
from tests.helpers.sessions import treatment_clinic as make_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

PRACTITIONER = "Dr Łucja Wiśniewska"


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return make_clinic(core, clock)


def _session(t: TreatmentClinic) -> int:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t), password=STAFF_PASSWORD
    )
    return view.session_id


def _details(t: TreatmentClinic, **changes: object) -> AdverseEventDetails:
    fields: dict[str, object] = {
        "kind": AdverseEventKind.NERVE_SYMPTOMS,
        "onset_on": t.today,
        "severity": EventSeverity.SEVERE,
        "description": "  Tingling along the jaw line \n",
        "action_taken": "\tReferred to the GP  ",
    }
    return AdverseEventDetails(**(fields | changes))  # type: ignore[arg-type]


def test_an_event_is_recorded_field_by_field_and_audited(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    session_id = _session(t)
    signed = t.sessions.session(t.clinic.practitioner, session_id)
    clock.advance(timedelta(minutes=30))
    events: AdverseEventService = t.events
    before = entry_count(core)
    view = events.record(t.clinic.practitioner, session_id, _details(t))
    assert view == AdverseEventView(
        event_id=view.event_id,
        session_id=session_id,
        patient_id=t.patient_id,
        session_date=t.today,
        kind=AdverseEventKind.NERVE_SYMPTOMS,
        kind_label="Nerve symptoms (numbness, tingling, weakness)",
        severity=EventSeverity.SEVERE,
        description="Tingling along the jaw line",
        onset_on=t.today,
        action_taken="Referred to the GP",
        recorded_by=PRACTITIONER,
        recorded_at=clock(),
        follow_ups=(),
        device_label=signed.device_label,
        lot_number="LOT-A1",
        settings=signed.settings,
    )
    assert view.is_open and view.outcome == ""
    assert not view.reported_to_manufacturer and not view.reported_to_authority
    assert entries(core, after=before) == [
        Entry(
            "adverse_event.recorded",
            "adverse_event",
            str(view.event_id),
            t.clinic.practitioner.staff_id,
            t.patient_id,
            "success",
            "nerve_symptoms, severe",
        )
    ]
    assert t.events.for_patient(t.clinic.reception, t.patient_id) == [view]


def test_the_onset_date_from_the_session_day_to_today(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    session_id = _session(t)
    clock.advance(timedelta(days=2))
    today = t.today + timedelta(days=2)
    day_before = t.today - timedelta(days=1)
    before = entry_count(core)
    with refused(
        ValidationError,
        f"The reaction began before the session ({t.today.isoformat()}): check the date.",
    ) as early:
        t.events.record(t.clinic.practitioner, session_id, _details(t, onset_on=day_before))
    assert early.value.field == "onset_on"
    with refused(ValidationError, "The onset date is in the future."):
        t.events.record(
            t.clinic.practitioner, session_id, _details(t, onset_on=today + timedelta(days=1))
        )
    with refused(ValidationError, "Describe what was seen.") as blank:
        t.events.record(t.clinic.practitioner, session_id, _details(t, description=" "))
    assert blank.value.field == "description"
    assert entry_count(core) == before
    for onset in (t.today, today):
        assert t.events.record(
            t.clinic.practitioner, session_id, _details(t, onset_on=onset)
        ).onset_on == onset  # fmt: skip


def test_events_on_unknown_sessions_or_by_reception_are_refused(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    session_id = _session(t)
    with refused(NotFound, "That session is not on record."):
        t.events.record(t.clinic.practitioner, session_id + 1, _details(t))
    with refused(
        ValidationError,
        "The action taken contains a null character, which cannot be stored. "
        "Remove it and type the text again.",
    ) as bad:
        t.events.record(t.clinic.practitioner, session_id, _details(t, action_taken="a\x00b"))
    assert bad.value.field == "action_taken"
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        t.events.record(t.clinic.reception, session_id, _details(t))
    with pytest.raises(PermissionDenied):
        t.events.follow_up(t.clinic.reception, 99, FollowUpDetails("Called her"))
    staff = t.clinic.reception.staff_id
    assert entries(core, after=before) == [
        Entry("adverse_event.recorded", "treatment_session", str(session_id), staff, None,
              "denied", "roles=reception"),
        Entry("adverse_event.followed_up", "adverse_event", "99", staff, None,
              "denied", "roles=reception"),
    ]  # fmt: skip
    with refused(NotFound, "That adverse event is not on record."):
        t.events.follow_up(t.clinic.practitioner, 99, FollowUpDetails("Called her"))


def test_follow_ups_are_kept_in_order_and_the_closing_one_closes_it(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    session_id = _session(t)
    event = t.events.record(t.clinic.practitioner, session_id, _details(t))
    clock.advance(timedelta(days=1))
    first_at = clock()
    before = entry_count(core)
    called = t.events.follow_up(
        t.clinic.practitioner,
        event.event_id,
        FollowUpDetails(" Called her \n", outcome=" Improving ", reported_to_authority=True),
    )
    assert called.is_open and called.reported_to_authority
    assert not called.reported_to_manufacturer and called.outcome == "Improving"
    clock.advance(timedelta(days=6))
    closed = t.events.follow_up(
        t.clinic.practitioner,
        event.event_id,
        FollowUpDetails(
            "Reviewed in clinic", outcome="Resolved", reported_to_manufacturer=True,
            closes_event=True,
        ),
    )  # fmt: skip
    first, last = closed.follow_ups
    assert first == FollowUpView(
        first.follow_up_id, "Called her", "Improving", False, True, False, PRACTITIONER, first_at
    )
    assert last == FollowUpView(
        last.follow_up_id, "Reviewed in clinic", "Resolved", True, False, True, PRACTITIONER,
        clock(),
    )  # fmt: skip
    assert not closed.is_open and closed.outcome == "Resolved"
    staff, patient = t.clinic.practitioner.staff_id, t.patient_id
    assert entries(core, after=before) == [
        Entry("adverse_event.followed_up", "adverse_event", str(event.event_id), staff, patient,
              "success", ""),
        Entry("adverse_event.followed_up", "adverse_event", str(event.event_id), staff, patient,
              "success", "closed"),
    ]  # fmt: skip
    after_close = entry_count(core)
    with refused(ValidationError, "This adverse event is closed already.") as again:
        t.events.follow_up(t.clinic.practitioner, event.event_id, FollowUpDetails("More"))
    assert again.value.field == "note"
    with refused(ValidationError, "Write the follow-up.") as empty:
        t.events.follow_up(t.clinic.practitioner, event.event_id, FollowUpDetails("  "))
    assert empty.value.field == "note"
    assert entry_count(core) == after_close


def test_the_chart_header_lists_only_the_open_events(t: TreatmentClinic) -> None:
    session_id = _session(t)
    first = t.events.record(t.clinic.practitioner, session_id, _details(t))
    second = t.events.record(
        t.clinic.practitioner, session_id, _details(t, kind=AdverseEventKind.BURN)
    )
    t.events.follow_up(
        t.clinic.practitioner,
        first.event_id,
        FollowUpDetails("Healed", outcome="Healed", closes_event=True),
    )
    every = t.events.for_patient(t.clinic.reception, t.patient_id)
    assert [(e.event_id, e.is_open) for e in every] == [
        (first.event_id, False),
        (second.event_id, True),
    ]
    open_only = t.events.for_patient(t.clinic.reception, t.patient_id, open_only=True)
    assert [e.event_id for e in open_only] == [second.event_id]
    assert open_only[0].kind_label == "Burn"
