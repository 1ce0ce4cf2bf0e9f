"""Each way of reading a patient's treatment record writes who looked (both engines): the
session list, one session, the last settings, the start gate, the session form, the
courses and the adverse events each leave one "session.viewed" entry naming the patient,
once per five-minute stretch of looking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import AdverseEventDetails, AdverseEventKind, EventSeverity
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.session_records import SessionRecords
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic
from tests.services.audit_fields import Entry, entries, entry_count


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_every_read_of_the_treatment_record_is_recorded(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    who = t.clinic.reception
    practitioner = t.clinic.practitioner
    signed = t.sessions.sign_off(practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    events: AdverseEventService = t.events
    events.record(
        practitioner,
        signed.session_id,
        AdverseEventDetails(AdverseEventKind.BURN, t.today, EventSeverity.MILD, "Burn", "Cooled"),
    )
    records: SessionRecords = t.sessions
    reads: dict[str, Callable[[], object]] = {
        "sessions": lambda: records.sessions(who, t.patient_id),
        "session": lambda: records.session(who, signed.session_id),
        "last_settings": lambda: records.last_settings(who, t.patient_id),
        "start_check": lambda: t.sessions.start_check(who, t.patient_id, uses_rf=False),
        "form_data": lambda: t.sessions.form_data(who, t.patient_id),
        "courses": lambda: core.courses.courses(who, t.patient_id),
        "adverse events": lambda: events.for_patient(who, t.patient_id),
    }
    viewed = Entry(
        "session.viewed", "patient", str(t.patient_id), who.staff_id, t.patient_id, "success", ""
    )
    for name, read in reads.items():
        clock.advance(timedelta(minutes=6))
        before = entry_count(core)
        read()
        assert entries(core, after=before) == [viewed], name
        read()  # within five minutes: the same stretch of looking
        assert entry_count(core) == before + 1, name
