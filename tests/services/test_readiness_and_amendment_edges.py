"""Edges found by the mutation run (both engines): a clinic-wide change (the consent
validity) reaches the Today row's readiness at once, not after the cache's next patient
write; an amendment's bad text is refused naming its field; the last settings are the
patient's own, never another patient's newer session."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.services.appointment_views import ReadinessCache
from clinic_desk.services.session_records import SessionRecords
from tests.helpers.clinic import SAMPLE_CLINIC, STAFF_PASSWORD, FakeClock
from tests.helpers.consent_service import consent_clinic, sign
from tests.helpers.sessions import TreatmentClinic, clear_answers, pen_draft, treatment_clinic
from tests.services.exact import refused

WARSAW = ZoneInfo("Europe/Warsaw")


def test_a_clinic_wide_change_reaches_the_row_at_once(core: ClinicDesk, clock: FakeClock) -> None:
    setup = consent_clinic(core)
    sign(core, setup)  # 22 November 2026: valid 12 months, through 21 November 2027
    clinic = setup.clinic
    room = core.appointments.add_room(clinic.admin, "Room 1").room_id
    day = date(2027, 9, 1)  # 81 days before it runs out: no notice
    request = BookingRequest(
        setup.patient_id, clinic.practitioner.staff_id, room,
        datetime.combine(day, time(10), tzinfo=WARSAW), 30, AppointmentKind.MICRONEEDLING,
    )  # fmt: skip
    core.appointments.book(clinic.reception, request, accept_warnings=True)
    [row] = core.appointments.day(clinic.reception, day).appointments
    assert not any(m.startswith("Consent renewal") for m in row.missing)
    profile = core.clinic.profile()
    assert profile is not None
    core.clinic.update_profile(
        clinic.admin,
        dataclasses.replace(SAMPLE_CLINIC, consent_validity_months=10),
        expected_version=profile.version,
    )  # now valid through 21 September 2027: 20 days after the appointment
    [again] = core.appointments.day(clinic.reception, day).appointments
    assert "Consent renewal due by 2027-09-21" in again.missing


def test_the_readiness_cache_keys_on_the_newest_entries(core: ClinicDesk) -> None:
    cache = ReadinessCache()
    with core.units() as uow:
        assert cache.stamps(uow, []) == {}
        assert cache.stamps(uow, [5]) == {5: (0, 0)}  # an empty log


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_an_amendments_bad_text_is_refused_by_its_field(t: TreatmentClinic) -> None:
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD
    )
    records: SessionRecords = t.sessions
    for field, correction, reason in (
        ("correction", "Two\x00 passes", "Miscounted then"),
        ("reason", "Two passes", "Miscounted\x00 then"),
    ):
        with refused(
            ValidationError,
            f"The {field} contains a null character, which cannot be stored. "
            "Remove it and type the text again.",
        ) as bad:
            records.amend(
                t.clinic.practitioner, view.session_id, correction=correction, reason=reason
            )
        assert bad.value.field == field


def test_the_last_settings_are_the_patients_own(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    details = PatientDetails("Nowak", "Ewa", date(1990, 1, 2), "+48 600 100 301")
    other = core.patients.register(t.clinic.reception, details).patient_id
    core.intake.record(t.clinic.reception, other, clear_answers(core))
    t.consents.on_file[other] = [ConsentOnFile(signed_on=t.today, covers_rf=True)]
    mine = pen_draft(t, notes="Mine")
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, mine, password=STAFF_PASSWORD)
    clock.advance(timedelta(minutes=30))
    deeper = pen_draft(
        t, areas=(dataclasses.replace(mine.areas[0], needle_depth_mm=mine.areas[0].needle_depth_mm
                                      + 1),)
    )  # fmt: skip
    t.sessions.sign_off(t.clinic.practitioner, other, deeper, password=STAFF_PASSWORD)
    last = t.sessions.last_settings(t.clinic.practitioner, t.patient_id)
    assert last is not None and last.areas == mine.areas
