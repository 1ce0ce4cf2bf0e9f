"""Signed-off sessions read back, amended and listed, pinned exactly (both engines): the
amendment reason at its limit (one below, on, one above, whitespace collapsed), the
refusals' messages, the `session list` and `lot trace` lines field by field, and each
audit entry these write, refused or not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import AdverseEventDetails, AdverseEventKind, EventSeverity
from clinic_desk.domain.errors import NotFound, PermissionDenied, SessionLocked, ValidationError
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.session_records import MIN_AMENDMENT_REASON
from clinic_desk.services.treatment_dto import SessionSummary
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, clear_answers, pen_draft, rf_draft
from tests.helpers.sessions import treatment_clinic as make_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

CORRECTION = "Passes on the cheeks were 2, not 3."


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return make_clinic(core, clock)


def _sign(t: TreatmentClinic, patient_id: int | None = None, *, rf: bool = False) -> int:
    draft = rf_draft(t) if rf else pen_draft(t)
    who = t.patient_id if patient_id is None else patient_id
    view = t.sessions.sign_off(t.clinic.practitioner, who, draft, password=STAFF_PASSWORD)
    return view.session_id


def _second_patient(core: ClinicDesk, t: TreatmentClinic) -> int:
    details = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 300")
    patient_id = core.patients.register(t.clinic.reception, details).patient_id
    core.intake.record(t.clinic.reception, patient_id, clear_answers(core))
    t.consents.on_file[patient_id] = [ConsentOnFile(signed_on=t.today, covers_rf=True)]
    return patient_id


def test_the_amendment_limit_is_ten_characters() -> None:
    assert MIN_AMENDMENT_REASON == 10


def test_an_amendment_reason_one_below_the_limit_is_refused_and_nothing_is_written(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    session_id = _sign(t)
    before = entry_count(core)
    message = "Write why it is corrected (at least 10 characters)."
    for reason in ("123456789", "  a  b\tc\nd  e  "):  # nine; "a b c d e" is nine too
        with refused(ValidationError, message) as short:
            t.sessions.amend(
                t.clinic.practitioner, session_id, correction=CORRECTION, reason=reason
            )
        assert short.value.field == "reason"
    with refused(ValidationError, "Write the correction.") as empty:
        t.sessions.amend(t.clinic.practitioner, session_id, correction=" \n ", reason="1234567890")
    assert empty.value.field == "correction"
    assert entry_count(core) == before
    assert t.sessions.session(t.clinic.practitioner, session_id).amendments == ()


def test_an_amendment_reason_on_and_above_the_limit_is_kept_collapsed(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    session_id = _sign(t)
    clock.advance(timedelta(minutes=7))
    before = entry_count(core)
    on = t.sessions.amend(
        t.clinic.practitioner, session_id, correction=f"  {CORRECTION}\n", reason="1234567890"
    )
    above = t.sessions.amend(
        t.clinic.practitioner,
        session_id,
        correction="Serum was the vitamin C one.",
        reason=" Miscounted\n  when   writing it up ",
    )
    assert [(a.correction, a.reason) for a in above.amendments] == [
        (CORRECTION, "1234567890"),
        ("Serum was the vitamin C one.", "Miscounted when writing it up"),
    ]
    first = on.amendments[0]
    assert (first.session_id, first.amended_by, first.amended_at) == (
        session_id,
        "Dr Łucja Wiśniewska",
        clock(),
    )
    assert above.settings == on.settings
    entry = Entry(
        "session.amended",
        "treatment_session",
        str(session_id),
        t.clinic.practitioner.staff_id,
        t.patient_id,
        "success",
        "",
    )
    assert entries(core, after=before) == [entry, entry]


def test_amending_an_unknown_session_or_without_the_permission_is_refused(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    session_id = _sign(t)
    with refused(NotFound, "That session is not on record."):
        t.sessions.amend(
            t.clinic.practitioner, session_id + 1, correction=CORRECTION, reason="1234567890"
        )
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        t.sessions.amend(t.clinic.reception, session_id, correction=CORRECTION, reason="1234567890")
    assert entries(core, after=before) == [
        Entry(
            "session.amended",
            "treatment_session",
            str(session_id),
            t.clinic.reception.staff_id,
            None,
            "denied",
            "roles=reception",
        )
    ]


def test_one_session_read_back_is_the_one_signed_off(core: ClinicDesk, t: TreatmentClinic) -> None:
    signed = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t), password=STAFF_PASSWORD
    )
    assert t.sessions.session(t.clinic.reception, signed.session_id) == signed
    with refused(NotFound, "That session is not on record."):
        t.sessions.session(t.clinic.reception, signed.session_id + 1)
    assert entries(core)[-1] == Entry(
        "session.viewed",
        "patient",
        str(t.patient_id),
        t.clinic.reception.staff_id,
        t.patient_id,
        "success",
        "",
    )


def test_a_patients_sessions_and_the_last_settings(core: ClinicDesk, t: TreatmentClinic) -> None:
    assert t.sessions.last_settings(t.clinic.practitioner, t.patient_id) is None
    first, second = _sign(t), _sign(t, rf=True)
    listed = t.sessions.sessions(t.clinic.reception, t.patient_id)
    assert [s.session_id for s in listed] == [first, second]
    last = t.sessions.last_settings(t.clinic.practitioner, t.patient_id)
    assert last is not None and last.device_id == t.rf_id and last.uses_rf
    with refused(NotFound, "That patient record does not exist."):
        t.sessions.sessions(t.clinic.reception, t.patient_id + 100)


def _event(t: TreatmentClinic, session_id: int) -> None:
    t.events.record(
        t.clinic.practitioner,
        session_id,
        AdverseEventDetails(
            AdverseEventKind.BLISTERING,
            t.today,
            EventSeverity.MILD,
            "Two small blisters",
            "Cooled",
        ),
    )


def test_the_session_list_line_by_line_and_its_audit_entries(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    first, second = _sign(t), _sign(t, rf=True)
    other = _second_patient(core, t)
    third = _sign(t, other)
    t.sessions.amend(t.clinic.practitioner, first, correction=CORRECTION, reason="1234567890")
    t.sessions.amend(t.clinic.practitioner, first, correction="Again.", reason="1234567890")
    _event(t, second)
    pen, rf = (t.sessions.session(t.clinic.practitioner, s).device_label for s in (first, second))
    before = entry_count(core)
    mine = t.sessions.list_sessions(t.clinic.reception, patient_id=t.patient_id)
    common = {
        "patient_id": t.patient_id,
        "patient_number": f"P-{t.patient_id:06d}",
        "patient_name": "Ångström-Müller, Zoë",
        "session_date": t.today,
        "practitioner": "Dr Łucja Wiśniewska",
        "lot_number": "LOT-A1",
        "areas": ("cheeks",),
    }
    assert mine == [
        SessionSummary(
            session_id=first, device_label=pen, uses_rf=False, amendments=2, adverse_events=0,
            **common,  # type: ignore[arg-type]
        ),
        SessionSummary(
            session_id=second, device_label=rf, uses_rf=True, amendments=0, adverse_events=1,
            **common,  # type: ignore[arg-type]
        ),
    ]  # fmt: skip
    everyone = t.sessions.list_sessions(t.clinic.reception)
    assert [(s.session_id, s.patient_name) for s in everyone] == [
        (first, "Ångström-Müller, Zoë"),
        (second, "Ångström-Müller, Zoë"),
        (third, "Nowak, Agnieszka"),
    ]
    staff = t.clinic.reception.staff_id
    assert entries(core, after=before) == [
        Entry(
            "session.listed",
            "patient",
            str(t.patient_id),
            staff,
            t.patient_id,
            "success",
            "2 sessions",
        ),
        Entry("session.listed", "session", None, staff, None, "success", "3 sessions"),
    ]
    with refused(NotFound, "That patient record does not exist."):
        t.sessions.list_sessions(t.clinic.reception, patient_id=other + 1)


def test_a_lot_is_traced_to_every_session_and_patient(core: ClinicDesk, t: TreatmentClinic) -> None:
    first = _sign(t)
    other = _second_patient(core, t)
    second, third = _sign(t, other), _sign(t, other, rf=True)
    before = entry_count(core)
    found = t.sessions.lot_trace(t.clinic.reception, "  LOT-A1 ")
    assert [(s.session_id, s.patient_id) for s in found] == [
        (first, t.patient_id),
        (second, other),
        (third, other),
    ]
    assert entries(core, after=before) == [
        Entry(
            "lot.traced",
            "lot",
            "LOT-A1",
            t.clinic.reception.staff_id,
            None,
            "success",
            "3 sessions, 2 patients",
        )
    ]
    with refused(ValidationError, "Give the lot number to trace.") as blank:
        t.sessions.lot_trace(t.clinic.reception, "   ")
    assert blank.value.field == "lot_number"
    assert t.sessions.lot_trace(t.clinic.reception, "LOT-OLD") == []  # recorded, never used
    assert entries(core)[-1].detail == "0 sessions, 0 patients"
    with refused(NotFound, "No lot numbered LOT-ZZ is recorded."):
        t.sessions.lot_trace(t.clinic.reception, " LOT-ZZ ")


def test_a_refused_lot_trace_names_the_lot_number_cut_to_64_characters(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    core.auth.lock_session(t.clinic.reception)
    before = entry_count(core)
    number = "L" * 63 + "MN"
    with pytest.raises(SessionLocked):
        t.sessions.lot_trace(t.clinic.reception, f" {number} ")
    assert entries(core, after=before) == [
        Entry(
            "lot.traced",
            "lot",
            number[:64],
            t.clinic.reception.staff_id,
            None,
            "denied",
            "session locked",
        )
    ]
    with pytest.raises(SessionLocked):
        t.sessions.list_sessions(t.clinic.reception, patient_id=t.patient_id)
    assert entries(core)[-1] == Entry(
        "session.listed",
        "patient",
        str(t.patient_id),
        t.clinic.reception.staff_id,
        t.patient_id,
        "denied",
        "session locked",
    )
