"""What the session form opens with, pinned exactly (both engines): active devices and
lots only (the expired lot listed as expired), open courses only, the last session and
its settings as a new draft, both start gates for the chosen day, the RF energies
tolerated (each RF session with no adverse event, each tolerated test spot, never a
blistered session's energy), and the cartridge's label as the device then named it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import AdverseEventDetails, AdverseEventKind, EventSeverity
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.session_views import tolerated_rf
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import D, TreatmentClinic, pen_draft, rf_draft, treatment_clinic
from tests.services.exact import refused


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def test_an_empty_history_opens_a_blank_form(core: ClinicDesk, t: TreatmentClinic) -> None:
    assert tolerated_rf([], []) == []
    form = t.sessions.form_data(t.clinic.practitioner, t.patient_id)
    assert (form.patient_id, form.today, form.protocol.version) == (t.patient_id, t.today, 1)
    assert sorted(d.device_id for d in form.devices) == [t.pen_id, t.rf_id]
    assert {lot.lot_id: lot.is_expired for lot in form.lots} == {
        t.lot_id: False,
        t.expired_lot_id: True,
    }
    assert (form.last_session, form.copy_of_last) == (None, None)
    assert form.courses == () and form.open_adverse_events == () and form.tolerated_rf == ()
    assert form.start_without_rf.can_start and form.start_with_rf.can_start
    with refused(NotFound, "That patient record does not exist."):
        t.sessions.form_data(t.clinic.practitioner, t.patient_id + 10)


def test_withdrawn_lots_retired_devices_and_closed_courses_are_left_out(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    who = t.clinic.practitioner
    lot = next(x for x in core.devices.lots(who) if x.lot_id == t.lot_id)
    core.devices.set_lot_active(who, t.lot_id, False, expected_version=lot.version)
    core.devices.set_device_active(who, t.pen_id, False, expected_version=1)
    plan = core.courses.defaults(who, "scars")
    closed = core.courses.plan(who, t.patient_id, plan)
    core.courses.close(who, closed.course_id, reason="Stopped", expected_version=1)
    open_course = core.courses.plan(who, t.patient_id, plan)
    form = t.sessions.form_data(who, t.patient_id)
    assert [d.device_id for d in form.devices] == [t.rf_id]
    assert [lot.lot_id for lot in form.lots] == [t.expired_lot_id]
    assert [c.course_id for c in form.courses] == [open_course.course_id]


def test_the_last_session_its_copy_and_the_gates_for_another_day(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    who = t.clinic.practitioner
    t.sessions.sign_off(who, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    last = t.sessions.sign_off(who, t.patient_id, rf_draft(t), password=STAFF_PASSWORD)
    form = t.sessions.form_data(who, t.patient_id)
    assert form.last_session == last
    assert form.copy_of_last is not None and form.copy_of_last.device_id == t.rf_id
    assert form.copy_of_last.notes == "" and form.copy_of_last.areas == last.settings.areas
    # the cartridge named as the device's profile then named it, not by its key
    assert last.cartridge_key == "rf-cart-25"
    assert last.cartridge_label not in {"", "rf-cart-25"}
    t.consents.on_file[t.patient_id] = [ConsentOnFile(signed_on=t.today, covers_rf=False)]
    yesterday = t.sessions.form_data(who, t.patient_id, session_date=t.today - timedelta(days=1))
    assert yesterday.today == t.today
    assert yesterday.start_without_rf.blockers[0].code == "consent_missing"
    now = t.sessions.form_data(who, t.patient_id)
    assert now.start_without_rf.can_start
    assert [b.code for b in now.start_with_rf.blockers] == ["consent_without_rf"]


def test_tolerated_energies_leave_out_a_session_with_an_adverse_event(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    who = t.clinic.practitioner
    four = t.sessions.sign_off(who, t.patient_id, rf_draft(t, "4"), password=STAFF_PASSWORD)
    no_spot = replace(rf_draft(t, "4"), test_spot=None)
    second = t.sessions.sign_off(who, t.patient_id, no_spot, password=STAFF_PASSWORD)
    energies = [x.energy for x in t.sessions.form_data(who, t.patient_id).tolerated_rf]
    assert energies == [D("4"), D("4"), D("4")]  # session, its test spot, the second session
    t.events.record(
        who,
        second.session_id,
        AdverseEventDetails(
            AdverseEventKind.BLISTERING, t.today, EventSeverity.MILD, "Blisters", "Cooled"
        ),
    )
    form = t.sessions.form_data(who, t.patient_id)
    assert [x.energy for x in form.tolerated_rf] == [D("4"), D("4")]  # the first only
    assert {x.energy_unit for x in form.tolerated_rf} == {"level"}
    assert [e.session_id for e in form.open_adverse_events] == [second.session_id]
    assert four.session_id != second.session_id
    pen = t.sessions.sign_off(who, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    assert not pen.uses_rf
    after_pen = t.sessions.form_data(who, t.patient_id).tolerated_rf
    assert [x.energy for x in after_pen] == [D("4"), D("4")]  # a pen session adds nothing
