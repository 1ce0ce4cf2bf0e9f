"""Treatment sessions through the services: sign-off, the lock, amendments, the copy of
the last session's settings, adverse events beside the next session (both engines)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.domain.errors import PermissionDenied, ValidationError
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.session_record import settings_differences
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.treatment_dto import SettingsRefused
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import D, TreatmentClinic, pen_draft, rf_draft, treatment_clinic


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_a_pen_session_is_signed_off_with_everything_recorded(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD
    )
    assert view.session_date == t.today
    assert not view.uses_rf
    assert view.practitioner == "Dr Łucja Wiśniewska"
    assert view.lot_number == "LOT-A1"
    assert view.cartridge_label == "12-needle cartridge"
    assert view.protocol_version == 1
    assert view.settings.areas[0].needle_depth_mm == D("1")
    assert view.settings.serums == ("Hyaluronic serum",)
    assert len(view.content_hash) == 64
    assert [s.session_id for s in t.sessions.sessions(t.clinic.reception, t.patient_id)] == [
        view.session_id
    ]


def test_an_rf_session_records_its_energy_and_the_test_spot(t: TreatmentClinic) -> None:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t), password=STAFF_PASSWORD
    )
    assert view.uses_rf and view.energy_unit == "level"
    assert view.settings.areas[0].rf_energy == D("4")
    assert view.settings.test_spot is not None and view.settings.test_spot.tolerated
    assert view.settings.numbing_minutes is None  # no numbing cream in this draft


def test_sign_off_needs_the_practitioners_own_password(t: TreatmentClinic) -> None:
    with pytest.raises(ValidationError) as refused:
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t), password="nope")
    assert refused.value.field == "password"
    assert t.sessions.sessions(t.clinic.practitioner, t.patient_id) == []


def test_reception_and_administrators_cannot_record_a_session(t: TreatmentClinic) -> None:
    for who in (t.clinic.reception, t.clinic.admin):
        with pytest.raises(PermissionDenied):
            t.sessions.sign_off(who, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)


def test_a_refused_sign_off_saves_nothing_and_names_every_field(t: TreatmentClinic) -> None:
    draft = pen_draft(t, areas=(AreaSettings("cheeks", "scars", D("2.6")),))
    with pytest.raises(SettingsRefused) as refused:
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, draft, password=STAFF_PASSWORD)
    assert refused.value.field == "areas.cheeks.needle_depth_mm"
    assert "above_device_maximum" in refused.value.check.codes
    assert t.sessions.sessions(t.clinic.practitioner, t.patient_id) == []


def test_signed_off_sessions_cannot_be_changed_or_deleted_in_the_database(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    for statement in (
        "UPDATE treatment_session SET record_json = '{}'",
        "DELETE FROM treatment_session",
    ):
        with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
            conn.execute(text(statement))


def test_audit_verify_names_a_changed_signed_off_session(
    core: ClinicDesk, t: TreatmentClinic, database_url: str
) -> None:
    from tests.helpers.tamper import without_guards

    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD
    )
    assert verify_audit_log(core.units).ok
    with without_guards(database_url) as conn:
        conn.execute(
            text("UPDATE treatment_session SET record_json = replace(record_json, '1', '2')")
        )
    report = verify_audit_log(core.units)
    assert not report.ok
    assert f"treatment_session row {view.session_id} was changed" in report.problems[0]


def test_an_amendment_is_kept_beside_the_unchanged_original(t: TreatmentClinic) -> None:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD
    )
    amended = t.sessions.amend(
        t.clinic.practitioner,
        view.session_id,
        correction="Passes on the cheeks were 2, not 3.",
        reason="Miscounted when writing it up",
    )
    assert amended.settings == view.settings
    assert [a.correction for a in amended.amendments] == ["Passes on the cheeks were 2, not 3."]
    with pytest.raises(ValidationError) as short:
        t.sessions.amend(t.clinic.practitioner, view.session_id, correction="x", reason="typo")
    assert short.value.field == "reason"


def test_copy_of_the_last_session_and_the_differences(t: TreatmentClinic, clock: FakeClock) -> None:
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    copy = t.sessions.last_settings(t.clinic.practitioner, t.patient_id)
    assert copy is not None
    assert copy.areas == pen_draft(t).areas and copy.notes == ""
    deeper = replace(copy, areas=(replace(copy.areas[0], needle_depth_mm=D("1.25")),))
    assert settings_differences(deeper, copy) == {"areas.cheeks.needle_depth_mm"}


def test_an_adverse_event_shows_until_closed_and_beside_the_next_session(
    t: TreatmentClinic, clock: FakeClock
) -> None:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t), password=STAFF_PASSWORD
    )
    clock.advance(timedelta(days=2))
    event = t.events.record(
        t.clinic.practitioner,
        view.session_id,
        AdverseEventDetails(
            AdverseEventKind.BLISTERING,
            t.today + timedelta(days=1),
            EventSeverity.MODERATE,
            "Two small blisters on the left cheek",
            "Cooled, non-adherent dressing, reviewed next day",
        ),
    )
    assert event.is_open and event.device_label.startswith("Example RF microneedling device")
    form = t.sessions.form_data(t.clinic.practitioner, t.patient_id)
    assert [e.event_id for e in form.open_adverse_events] == [event.event_id]
    assert form.open_adverse_events[0].settings.areas[0].rf_energy == D("4")
    # A blistered session is not "tolerated": the same energy needs a test spot again.
    assert form.tolerated_rf == (form.tolerated_rf[0],)  # the test spot only
    with pytest.raises(ValidationError) as no_outcome:
        t.events.follow_up(
            t.clinic.practitioner, event.event_id, FollowUpDetails("Healed", closes_event=True)
        )
    assert no_outcome.value.field == "outcome"
    closed = t.events.follow_up(
        t.clinic.practitioner,
        event.event_id,
        FollowUpDetails(
            "Healed",
            outcome="Healed without scarring",
            reported_to_manufacturer=True,
            closes_event=True,
        ),
    )
    assert not closed.is_open and closed.reported_to_manufacturer
    assert t.sessions.form_data(t.clinic.practitioner, t.patient_id).open_adverse_events == ()
