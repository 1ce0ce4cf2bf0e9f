"""The Today list reads a whole day's readiness at once (one query per kind of input);
it must say exactly what reading each patient on their own says: on the demo clinic and
on the edge cases (no medical history, a clearance on an older history, a withdrawn
clearance, do not treat, a consent without RF, renewal due, many days), both engines."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.demo_appointments import load_demo_appointments
from clinic_desk.services.demo_treatment import load_demo_treatment
from clinic_desk.services.readiness import (
    ReadinessKey,
    readiness_of_many,
    readiness_of_one,
)
from clinic_desk.storage.models import Patient
from tests.helpers.appointments import at, book_clinic
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.consent_service import ConsentClinic, clear_answers, sign

REASON = "Eczema only on the hands; the face is clear."


def keys_for(patient_ids: list[int], first: date) -> list[ReadinessKey]:
    # Today, tomorrow, around a month (renewal notice), past a year (consent run out).
    days = [first + timedelta(days=n) for n in (0, 1, 29, 31, 200, 340, 400)]
    return [(p, d, rf) for p in patient_ids for d in days for rf in (False, True)]


def assert_same_both_ways(core: ClinicDesk, keys: list[ReadinessKey]) -> set[str]:
    """Batch and one-by-one agree on every key (screening results field by field, and
    what is missing); returns every word of what is missing, to show what was covered."""
    screening = core.screening
    words: set[str] = set()
    with core.units() as uow:
        many = screening.screen_many_in(uow, keys)
        ready = readiness_of_many(uow, screening, keys)
        assert set(many) == set(keys) and set(ready) == set(keys)
        for key in keys:
            patient_id, day, rf = key
            one = screening.screening_in(uow, patient_id, session_date=day, uses_rf=rf)
            assert many[key] == one, key
            assert ready[key] == readiness_of_one(uow, screening, patient_id, day, rf), key
            words.update(m.split(":")[0].split(" by ")[0] for m in ready[key][1])
    return words


def test_the_demo_clinic_reads_the_same_in_one_batch_as_patient_by_patient(
    core: ClinicDesk,
) -> None:
    accounts = core.demo.load_clinic()
    core.demo.add_patients(core.demo.reception_account(), 40)
    core.demo.add_consents(accounts)
    treatment = load_demo_treatment(core, accounts)
    load_demo_appointments(core, treatment.patients if treatment else ())
    with core.units() as uow:
        patients = list(uow.session.scalars(select(Patient.id).order_by(Patient.id)))
    today = core.screening.today()
    keys = keys_for(patients, today)
    words = assert_same_both_ways(core, keys)
    # Not a comparison of empty answers: the demo has every kind of gap.
    assert {"Medical history needed", "Consent renewal due", "Finding to clear"} <= words
    assert any(w.startswith("No signed consent") for w in words), words
    with core.units() as uow:
        statuses = {r.status for r in core.screening.screen_many_in(uow, keys).values()}
    assert len(statuses) >= 3, statuses


def test_the_edge_cases_read_the_same_in_one_batch_as_patient_by_patient(
    core: ClinicDesk, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)
    clinic = b.clinic
    desk, doctor = clinic.reception, clinic.practitioner

    def register(family: str) -> int:
        born = date(1980, 1, 2 + len(family))  # not one person registered twice
        details = PatientDetails(family, "Ewa", born, f"+48 600 100 {len(family):03d}")
        return core.patients.register(desk, details).patient_id

    # b.zoe: no medical history at all.
    # b.anna: eczema cleared on her first history, then a new history: not cleared now.
    core.intake.record(desk, b.anna, clear_answers(core, eczema=True))
    core.screening.clear_finding(doctor, b.anna, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    core.intake.record(desk, b.anna, clear_answers(core, eczema=True))
    # A clearance that stands, on the latest history.
    cleared = register("Cleared")
    core.intake.record(desk, cleared, clear_answers(core, eczema=True))
    core.screening.clear_finding(doctor, cleared, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    # A clearance withdrawn.
    withdrawn = register("Withdrawn")
    core.intake.record(desk, withdrawn, clear_answers(core, eczema=True))
    core.screening.clear_finding(doctor, withdrawn, "eczema", reason=REASON,
                                 password=STAFF_PASSWORD)
    clearance = core.screening.clearances(doctor, withdrawn)[0].clearance_id
    core.screening.revoke_clearance(doctor, withdrawn, clearance,
                                    reason="Seen again: the eczema has spread to the face.")
    # Do not treat.
    wound = register("Wound")
    core.intake.record(desk, wound, clear_answers(core, open_wound=True))
    # Clear, with a microneedling consent (no RF) signed today.
    consenting = register("Consenting")
    core.intake.record(desk, consenting, clear_answers(core))
    sign(core, ConsentClinic(clinic, consenting))
    patients = [b.anna, b.zoe, cleared, withdrawn, wound, consenting]
    today = core.screening.today()
    words = assert_same_both_ways(core, keys_for(patients, today))
    assert {"Medical history needed", "Finding to clear", "Do not treat",
            "Consent renewal due"} <= words
    # Only the patients asked about, and a patient asked about twice on one day.
    one_day = [(withdrawn, today, False), (withdrawn, today, True), (zoe := b.zoe, today, True)]
    assert_same_both_ways(core, one_day)
    with core.units() as uow:
        assert readiness_of_many(uow, core.screening, []) == {}
        assert core.screening.screen_many_in(uow, []) == {}
        found = readiness_of_many(uow, core.screening, one_day)
    assert found[(zoe, today, True)][0] is ScreeningStatus.HISTORY_NEEDED
    assert found[(withdrawn, today, False)][1][0] == "Finding to clear: Eczema"
    with core.units() as uow:
        plain = readiness_of_many(uow, core.screening,
                                  [(b.anna, today, False), (cleared, today, False)])
    assert "Finding to clear: Eczema" in plain[(b.anna, today, False)][1]  # an older history
    assert "Finding to clear: Eczema" not in plain[(cleared, today, False)][1]


def test_the_day_listing_shows_what_each_patient_read_alone_shows(
    core: ClinicDesk, clock: FakeClock
) -> None:
    b = book_clinic(core, clock)
    desk = b.clinic.reception
    core.intake.record(desk, b.anna, clear_answers(core, eczema=True))
    book = core.appointments.book
    book(desk, b.request(at(10), 30, kind=AppointmentKind.MICRONEEDLING))
    book(desk, b.request(at(11), 30, kind=AppointmentKind.RF_SESSION))
    book(desk, b.request(at(12), 30, patient=b.zoe, kind=AppointmentKind.MAINTENANCE))
    book(desk, b.request(at(13), 30, patient=b.zoe))  # a consultation: no readiness
    day = core.appointments.day(desk).appointments
    assert len(day) == 4
    with core.units() as uow:
        for view in day[:3]:
            alone = readiness_of_one(uow, core.screening, view.patient_id, view.start.date(),
                                     view.uses_rf)
            assert (view.screening_status, view.missing) == alone
    assert day[3].screening_status is None and day[3].missing == ()
    assert day[0].missing != day[2].missing
