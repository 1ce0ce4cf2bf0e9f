"""The demo clinic's treatment room and documents history, loaded as `clinic-desk demo`
loads them (services/demo_treatment.py, services/demo_documents.py): what a new user finds
there, dated from the clinic's today, and a second load that adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import AdverseEventKind, EventSeverity
from clinic_desk.domain.consent_record import ConsentStatus
from clinic_desk.domain.session_record import Endpoint
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.consent_dto import ConsentState
from clinic_desk.services.demo import DemoAccount
from clinic_desk.services.demo_documents import load_demo_documents
from clinic_desk.services.demo_treatment import (
    EXPIRED_LOT,
    PEN_LOT,
    RF_LOT,
    DemoTreatment,
    load_demo_treatment,
)
from clinic_desk.services.documents import DocumentKind, HandOut
from clinic_desk.services.dto import SignedInStaff
from tests.helpers.clinic import FakeClock

# A Tuesday, 10:30 in Paris (the demo clinic's zone).
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


@dataclass(frozen=True)
class Demo:
    accounts: list[DemoAccount]
    treatment: DemoTreatment
    admin: SignedInStaff
    practitioner: SignedInStaff
    reception: SignedInStaff


@pytest.fixture
def demo(core: ClinicDesk, clock: FakeClock) -> Demo:
    clock.now = NOW
    accounts = core.demo.load_clinic()
    treatment = load_demo_treatment(core, accounts)
    assert treatment is not None
    return Demo(accounts, treatment, core.auth.demo_account("admin"),
                core.auth.demo_account("practitioner"), core.auth.demo_account("reception"))


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_the_demo_room_has_three_devices_three_lots_and_two_course_patients(
    core: ClinicDesk, demo: Demo
) -> None:
    rf_patient, pen_patient = demo.treatment.patients
    assert demo.treatment == DemoTreatment(3, 3, 4, (rf_patient, pen_patient))
    devices = {d.profile.serial_number: d for d in core.devices.devices(demo.admin)}
    assert sorted(devices) == ["DEMO-PEN-0001", "DEMO-RF-0001", "DEMO-ROLL-0001"]
    assert devices["DEMO-RF-0001"].profile.is_rf_capable
    assert not devices["DEMO-PEN-0001"].profile.is_rf_capable
    assert not devices["DEMO-ROLL-0001"].profile.is_rf_capable
    assert devices["DEMO-PEN-0001"].profile.service_due_on == TODAY + timedelta(days=120)
    assert devices["DEMO-RF-0001"].profile.service_due_on == TODAY + timedelta(days=45)
    assert devices["DEMO-ROLL-0001"].profile.service_due_on is None
    assert all(d.is_active and not d.service_overdue for d in devices.values())
    lots = {lot.lot_number: lot for lot in core.devices.lots(demo.admin)}
    assert {n: (lot.kind, lot.product, lot.expiry_date, lot.is_expired)
            for n, lot in lots.items()} == {
        PEN_LOT: ("cartridge", "Sterile 12-needle pen cartridge",
                  TODAY + timedelta(days=300), False),
        RF_LOT: ("cartridge", "Sterile 25-pin RF cartridge", TODAY + timedelta(days=200), False),
        EXPIRED_LOT: ("cartridge", "Sterile 16-needle pen cartridge",
                      TODAY - timedelta(days=40), True),
    }
    names = {p: core.patients.get(demo.reception, p).details for p in demo.treatment.patients}
    assert (names[rf_patient].family_name, names[rf_patient].given_name) == (
        "Oyelaran-Villanueva", "Søren Ðorđe")
    assert names[rf_patient].date_of_birth == date(1984, 7, 2)
    assert (names[pen_patient].family_name, names[pen_patient].given_name) == (
        "García-Núñez", "Mateo")
    assert names[pen_patient].date_of_birth == date(1991, 11, 23)


def test_both_course_patients_have_a_clear_intake_and_a_signed_consent_on_the_right_form(
    core: ClinicDesk, demo: Demo
) -> None:
    rf_patient, pen_patient = demo.treatment.patients
    for patient, uses_rf in ((rf_patient, True), (pen_patient, False)):
        result = core.screening.screen_patient(demo.reception, patient, uses_rf=uses_rf)
        assert result.findings == (), result
    expected = {
        rf_patient: ("microneedling-rf", True, "Microneedling with RF of the cheeks"),
        pen_patient: ("microneedling", False, "Microneedling of the forehead and eyes"),
    }
    for patient, (form, covers_rf, treatment) in expected.items():
        [consent] = core.consents.consents_for_patient(demo.practitioner, patient)
        assert (consent.template_key, consent.covers_rf, consent.status, consent.state) == (
            form, covers_rf, ConsentStatus.SIGNED, ConsentState.SIGNED)
        assert consent.signed_on == TODAY and consent.for_treatment
        assert consent.recorded_by == "Dr Łucja Wiśniewska"
        document = core.consents.consent(demo.practitioner, consent.consent_id)
        assert [s.meaning for s in document.signatures] == ["patient_consent", "practitioner"]
        assert document.signatures[0].drawn
        with core.units() as uow:
            row = uow.consents.record(consent.consent_id)
            assert row is not None and treatment in row.canonical_json


def test_the_rf_course_has_two_sessions_an_amendment_and_an_adverse_event(
    core: ClinicDesk, demo: Demo
) -> None:
    rf_patient, _ = demo.treatment.patients
    [course] = core.courses.courses(demo.practitioner, rf_patient)
    assert (course.plan.indication, course.started_on, course.is_closed) == (
        "scars", _days_ago(70), False)
    assert course.notes == "Rolling acne scars on both cheeks."
    first, second = core.sessions.sessions(demo.practitioner, rf_patient)
    for session, days, energy, depth in ((first, 70, "4", "1.5"), (second, 35, "5", "1.8")):
        day = _days_ago(days)
        assert (session.session_date, session.uses_rf, session.lot_number) == (day, True, RF_LOT)
        assert session.course_id == course.course_id
        settings = session.settings
        assert settings.cartridge_key == "rf-cart-25"
        assert settings.started_at == datetime.combine(day, time(9, 30), tzinfo=UTC)
        assert settings.numbing_applied_at == datetime.combine(day, time(9, 0), tzinfo=UTC)
        assert settings.numbing_removed_at == datetime.combine(day, time(9, 40), tzinfo=UTC)
        assert settings.numbing_product == "Lidocaine 5% cream"
        assert settings.serums == ("Hyaluronic acid serum",)
        assert settings.endpoints == (Endpoint.ERYTHEMA,) and settings.pain_score == 4
        [area] = settings.areas
        assert (area.area, area.indication, area.needle_depth_mm, area.passes) == (
            "cheeks", "scars", Decimal(depth), 2)
        assert (area.rf_energy, area.rf_pulse_duration_ms, area.rf_tip) == (
            Decimal(energy), Decimal("150"), "tip-25-insulated")
        spot = settings.test_spot
        assert spot is not None and spot.area == "cheeks"
        assert (spot.rf_energy, spot.rf_pulse_duration_ms, spot.rf_tip) == (
            Decimal(energy), Decimal("150"), "tip-25-insulated")
    [amendment] = first.amendments
    assert amendment.correction == "Numbing cream was removed at 09:35, not 09:40."
    assert amendment.reason == "Time read from the wrong line of the room sheet."
    assert second.amendments == () and first.adverse_events == ()
    [event] = core.adverse_events.for_patient(demo.practitioner, rf_patient)
    assert (event.session_id, event.kind, event.severity, event.onset_on) == (
        second.session_id, AdverseEventKind.BLISTERING, EventSeverity.MILD,
        second.session_date + timedelta(days=1))
    assert event.description == "Three pinhead blisters on the left cheek the next morning."
    assert event.action_taken == (
        "Reviewed in clinic; cool compresses and a bland emollient; photographs taken.")
    [follow_up] = event.follow_ups
    assert follow_up.note == "Blisters drying at the 3-day review."
    assert follow_up.reported_to_manufacturer and not follow_up.reported_to_authority
    assert not follow_up.closes_event and event.is_open


def test_the_pen_course_has_two_sessions_deeper_on_the_forehead_the_second_time(
    core: ClinicDesk, demo: Demo
) -> None:
    _, pen_patient = demo.treatment.patients
    [course] = core.courses.courses(demo.practitioner, pen_patient)
    assert (course.plan.indication, course.started_on) == ("fine_lines", _days_ago(95))
    assert course.notes == "Fine lines around the eyes and forehead."
    sessions = core.sessions.sessions(demo.practitioner, pen_patient)
    assert [(s.session_date, s.uses_rf, s.lot_number) for s in sessions] == [
        (_days_ago(95), False, PEN_LOT), (_days_ago(63), False, PEN_LOT)]
    for session, forehead in zip(sessions, ("0.5", "0.75"), strict=True):
        settings = session.settings
        day = session.session_date
        assert settings.cartridge_key == "pen-12" and settings.test_spot is None
        assert settings.started_at == datetime.combine(day, time(14), tzinfo=UTC)
        assert settings.numbing_applied_at == datetime.combine(day, time(13, 25), tzinfo=UTC)
        assert settings.numbing_removed_at == datetime.combine(day, time(13, 55), tzinfo=UTC)
        assert [(a.area, a.needle_depth_mm, a.passes, a.speed) for a in settings.areas] == [
            ("around_eyes", Decimal("0.25"), 2, "3"), ("forehead", Decimal(forehead), 3, "4")]
        assert settings.serums == ("Hyaluronic acid serum", "Peptide serum")
        assert settings.pain_score == 2 and settings.endpoints == (Endpoint.ERYTHEMA,)
        assert session.course_id == course.course_id and session.amendments == ()


def test_loading_the_treatment_demo_again_adds_nothing(core: ClinicDesk, demo: Demo) -> None:
    assert load_demo_treatment(core, demo.accounts) is None
    assert len(core.devices.devices(demo.admin)) == 3
    assert len(core.devices.lots(demo.admin)) == 3
    assert core.patients.count(demo.reception) == 2
    assert verify_audit_log(core.units).ok


def test_the_documents_history_holds_a_pre_care_and_the_latest_aftercare_of_each_patient(
    core: ClinicDesk, demo: Demo
) -> None:
    assert load_demo_documents(core, demo.treatment) == 4
    for patient in demo.treatment.patients:
        sessions = core.sessions.sessions(demo.practitioner, patient)
        aftercare, precare = core.documents.history(demo.practitioner, patient)
        assert (aftercare.kind, aftercare.source_id, aftercare.how, aftercare.handed_by) == (
            DocumentKind.AFTERCARE, sessions[-1].session_id, HandOut.PRINTED,
            "Dr Łucja Wiśniewska")
        assert (precare.kind, precare.how, precare.handed_by) == (
            DocumentKind.PRECARE, HandOut.PRINTED, "Jonas Müller")
    assert verify_audit_log(core.units).ok


def test_a_patient_without_sessions_gets_no_documents(core: ClinicDesk, demo: Demo) -> None:
    """Only the course patients' sessions give documents; a patient with none is passed."""
    rf_patient, _ = demo.treatment.patients
    other = core.demo.add_consents(demo.accounts)
    assert other > 0
    newcomer = core.patients.search(demo.reception, "Nørgaard").rows[0].patient_id
    with_newcomer = DemoTreatment(3, 3, 4, (newcomer, rf_patient))
    assert load_demo_documents(core, with_newcomer) == 2
    assert core.documents.history(demo.practitioner, newcomer) == []
    assert len(core.documents.history(demo.practitioner, rf_patient)) == 2
