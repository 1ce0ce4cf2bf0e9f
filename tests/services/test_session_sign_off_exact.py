"""Sign-off and the settings check pinned exactly (both engines): what each refusal
writes to the audit log (and nothing else), the session date at today (on, one after),
the pain score at its ends, the course a session joins, the lot and device lookups, the
test spot's verdict, what the written row holds, and the demo-only history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, NotFound, PermissionDenied, ValidationError
from clinic_desk.domain.session_record import MAX_PAIN_SCORE
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.domain.setting_findings import FindingSeverity, SettingFinding
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.treatment_dto import SessionNotStarted, SettingsRefused
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import D, TreatmentClinic, pen_draft, rf_draft
from tests.helpers.sessions import treatment_clinic as make_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return make_clinic(core, clock)


def _failed(t: TreatmentClinic, detail: str) -> Entry:
    return Entry(
        "session.signed_off",
        "patient",
        str(t.patient_id),
        t.clinic.practitioner.staff_id,
        t.patient_id,
        "failed",
        detail,
    )


def _sign(t: TreatmentClinic, draft: object, password: str = STAFF_PASSWORD) -> int:
    service: SessionService = t.sessions
    view = service.sign_off(
        t.clinic.practitioner,
        t.patient_id,
        draft,  # type: ignore[arg-type]
        password=password,
    )
    return view.session_id


def test_a_signed_off_session_is_audited_with_or_without_rf(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    before = entry_count(core)
    pen = _sign(t, pen_draft(t))
    rf = _sign(t, rf_draft(t))
    staff = t.clinic.practitioner.staff_id
    written = [e for e in entries(core, after=before) if e.action == "session.signed_off"]
    assert written == [
        Entry("session.signed_off", "treatment_session", str(pen), staff, t.patient_id,
              "success", "without RF"),
        Entry("session.signed_off", "treatment_session", str(rf), staff, t.patient_id,
              "success", "with RF"),
    ]  # fmt: skip


def test_each_refused_sign_off_writes_one_failed_entry_and_no_session(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    before = entry_count(core)
    with refused(
        ValidationError, "That is not your password. Enter it again to sign the session off."
    ) as wrong:
        _sign(t, pen_draft(t), password="not-the-password")
    assert wrong.value.field == "password"
    deep = pen_draft(t, areas=(replace(pen_draft(t).areas[0], needle_depth_mm=D("2.75")),))
    with pytest.raises(SettingsRefused):
        _sign(t, deep)
    t.consents.on_file[t.patient_id] = []
    with pytest.raises(SessionNotStarted):
        _sign(t, pen_draft(t))
    assert entries(core, after=before) == [
        _failed(t, "wrong password"),
        _failed(t, "refused: above_device_maximum"),
        _failed(t, "not started: consent_missing"),
    ]
    assert t.sessions.sessions(t.clinic.practitioner, t.patient_id) == []


def test_a_not_started_refusal_names_every_blocker(core: ClinicDesk, t: TreatmentClinic) -> None:
    from tests.helpers.sessions import clear_answers

    core.intake.record(t.clinic.reception, t.patient_id, clear_answers(core) | {"eczema": True})
    t.consents.on_file[t.patient_id] = []
    before = entry_count(core)
    with pytest.raises(SessionNotStarted) as stopped:
        _sign(t, pen_draft(t))
    codes = [b.code for b in stopped.value.check.blockers]
    assert codes == ["consent_missing", "not_cleared:eczema"]
    assert entries(core, after=before) == [
        _failed(t, "not started: consent_missing,not_cleared:eczema")
    ]


def test_a_settings_refusal_names_only_the_blocking_codes(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    area = replace(pen_draft(t).areas[0], needle_depth_mm=D("2.75"))
    before = entry_count(core)
    with pytest.raises(SettingsRefused) as stopped:
        _sign(t, pen_draft(t, areas=(area,), pain_score=MAX_PAIN_SCORE + 1))
    blocking = [f.code for f in stopped.value.check.findings if f.blocks_saving]
    assert blocking == ["above_device_maximum", "pain_out_of_range"]
    assert entries(core, after=before) == [
        _failed(t, "refused: above_device_maximum,pain_out_of_range")
    ]


def test_a_session_may_be_dated_today_or_before_never_after(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    before = entry_count(core)
    with refused(ValidationError, "A session cannot be dated in the future.") as future:
        _sign(t, pen_draft(t, session_date=t.today + timedelta(days=1)))
    assert future.value.field == "session_date"
    assert entry_count(core) == before  # nothing recorded: the form says so before
    today = _sign(t, pen_draft(t, session_date=t.today))
    assert t.sessions.session(t.clinic.practitioner, today).session_date == t.today


def test_the_pain_score_at_both_ends(t: TreatmentClinic) -> None:
    pain = SettingFinding(
        "pain_out_of_range", "pain_score", FindingSeverity.REFUSE, "Pain is scored from 0 to 10."
    )
    for score, found in ((-1, True), (0, False), (10, False), (11, True), (None, False)):
        check = t.sessions.check(
            t.clinic.practitioner, t.patient_id, pen_draft(t, pain_score=score)
        )
        assert (pain in check.findings) is found, score
        assert check.can_save is not found, score


def test_unknown_devices_and_lots_are_refused_withdrawn_lots_named(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    practitioner = t.clinic.practitioner
    with refused(NotFound, "That device is not in the registry."):
        t.sessions.check(practitioner, t.patient_id, pen_draft(t, device_id=t.rf_id + 10))
    with refused(NotFound, "That lot is not recorded."):
        t.sessions.check(practitioner, t.patient_id, pen_draft(t, lot_id=t.lot_id + 10))
    with refused(NotFound, "That patient record does not exist."):
        t.sessions.check(practitioner, t.patient_id + 10, pen_draft(t))
    no_lot = t.sessions.check(practitioner, t.patient_id, pen_draft(t, lot_id=None))
    assert "lot_withdrawn" not in {f.code for f in no_lot.findings}
    fine = t.sessions.check(practitioner, t.patient_id, pen_draft(t))
    assert fine.findings == ()
    lot = next(x for x in core.devices.lots(practitioner) if x.lot_id == t.lot_id)
    core.devices.set_lot_active(practitioner, t.lot_id, False, expected_version=lot.version)
    check = t.sessions.check(practitioner, t.patient_id, pen_draft(t))
    assert check.findings == (
        SettingFinding(
            "lot_withdrawn",
            "lot",
            FindingSeverity.REFUSE,
            "Lot LOT-A1 was withdrawn: choose another lot.",
        ),
    )


def test_a_test_spot_not_tolerated_refuses_and_a_tolerated_one_counts(t: TreatmentClinic) -> None:
    draft = rf_draft(t)
    assert draft.test_spot is not None
    fine = t.sessions.check(t.clinic.practitioner, t.patient_id, draft)
    assert fine.findings == ()
    sore = replace(draft, test_spot=replace(draft.test_spot, tolerated=False))
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, sore)
    assert (
        SettingFinding(
            "test_spot_not_tolerated",
            "test_spot.tolerated",
            FindingSeverity.REFUSE,
            "The test spot was not tolerated: do not treat at these settings today.",
        )
        in check.findings
    )
    # and the energy it was tried at does not count as tolerated
    assert [f.code for f in check.findings] == ["test_spot_needed", "test_spot_not_tolerated"]
    without_spot = t.sessions.check(
        t.clinic.practitioner, t.patient_id, replace(draft, test_spot=None)
    )
    assert not without_spot.can_save  # a first RF energy needs the tolerated test spot


def test_a_test_spot_outside_the_device_names_the_test_spot_field(t: TreatmentClinic) -> None:
    draft = rf_draft(t)
    assert draft.test_spot is not None
    hot = replace(draft, test_spot=replace(draft.test_spot, rf_energy=D("11")))
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, hot)
    assert ("rf_energy_out_of_range", "test_spot.rf_energy") in {
        (f.code, f.field) for f in check.findings
    }
    assert not check.can_save


def test_a_session_joins_the_one_open_course_or_the_chosen_one(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    alone = _sign(t, pen_draft(t))
    assert t.sessions.session(t.clinic.practitioner, alone).course_id is None
    first = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    joined = _sign(t, pen_draft(t))
    assert t.sessions.session(t.clinic.practitioner, joined).course_id == first.course_id
    second = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    neither = _sign(t, pen_draft(t))
    assert t.sessions.session(t.clinic.practitioner, neither).course_id is None
    chosen = _sign(t, pen_draft(t, course_id=second.course_id))
    view = t.sessions.session(t.clinic.practitioner, chosen)
    assert view.course_id == second.course_id and view.course_label == "Session 1 of 6"
    core.courses.close(
        t.clinic.practitioner, first.course_id, reason="Stopped", expected_version=first.version
    )
    after_close = _sign(t, pen_draft(t))
    assert t.sessions.session(t.clinic.practitioner, after_close).course_id == second.course_id


def test_only_an_open_course_of_this_patient_can_be_chosen(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    unknown = SettingFinding(
        "course_unknown",
        "course",
        FindingSeverity.REFUSE,
        "Choose one of this patient's open courses.",
    )
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)

    def findings(course_id: int) -> tuple[SettingFinding, ...]:
        draft = pen_draft(t, course_id=course_id)
        return t.sessions.check(t.clinic.practitioner, t.patient_id, draft).findings

    assert findings(course.course_id) == ()
    assert findings(course.course_id + 1) == (unknown,)
    from datetime import date as _date

    from clinic_desk.domain.patients import PatientDetails

    other = core.patients.register(
        t.clinic.reception, PatientDetails("Nowak", "Ewa", _date(1990, 1, 2), "+48 600 100 301")
    ).patient_id
    theirs = core.courses.plan(t.clinic.practitioner, other, plan)
    assert findings(theirs.course_id) == (unknown,)
    core.courses.close(
        t.clinic.practitioner, course.course_id, reason="Stopped", expected_version=course.version
    )
    assert findings(course.course_id) == (unknown,)


def test_the_written_row_keeps_the_start_the_lot_and_the_highest_rf_energy(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    opened = clock() - timedelta(minutes=40)
    pen = t.sessions.sign_off(
        t.clinic.practitioner,
        t.patient_id,
        pen_draft(t, started_at=opened),
        password=STAFF_PASSWORD,
    )
    assert (pen.started_at, pen.signed_off_at) == (opened, clock())
    assert (pen.lot_id, pen.lot_number, pen.lot_expiry) == (t.lot_id, "LOT-A1", date(2027, 6, 30))
    assert pen.cartridge_key == "pen-12" and pen.energy_unit == "" and not pen.uses_rf
    assert pen.device_id == t.pen_id and pen.device_version == 1
    clock.advance(timedelta(minutes=5))
    bare = t.sessions.sign_off(
        t.clinic.practitioner,
        t.patient_id,
        pen_draft(t),
        password=STAFF_PASSWORD,
    )
    assert (bare.started_at, bare.signed_off_at) == (clock(), clock())
    base = rf_draft(t, "5")  # its test spot at level 5
    two = (replace(base.areas[0], rf_energy=D("3")), replace(base.areas[0], area="forehead"))
    rf = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, replace(base, areas=two), password=STAFF_PASSWORD
    )
    assert rf.uses_rf and rf.energy_unit == "level"
    form = t.sessions.form_data(t.clinic.practitioner, t.patient_id)
    # the session's highest energy (not its lowest), then its test spot's
    assert [(x.energy_unit, x.energy) for x in form.tolerated_rf] == [
        ("level", D("5")),
        ("level", D("5")),
    ]


def test_demo_sessions_are_refused_on_a_real_clinic(core: ClinicDesk, t: TreatmentClinic) -> None:
    before = entry_count(core)
    with refused(ClinicDeskError, "Demo sessions can only be added to the demo clinic."):
        t.sessions.record_demo_session(t.clinic.practitioner, t.patient_id, pen_draft(t))
    assert entry_count(core) == before
    with pytest.raises(PermissionDenied):
        t.sessions.record_demo_session(t.clinic.reception, t.patient_id, pen_draft(t))
    assert entries(core, after=before) == [
        Entry(
            "session.signed_off",
            "patient",
            str(t.patient_id),
            t.clinic.reception.staff_id,
            t.patient_id,
            "denied",
            "roles=reception",
        )
    ]


def test_checking_settings_is_for_practitioners(core: ClinicDesk, t: TreatmentClinic) -> None:
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        t.sessions.check(t.clinic.reception, t.patient_id, pen_draft(t))
    assert entries(core, after=before) == [
        Entry(
            "session.checked",
            "patient",
            str(t.patient_id),
            t.clinic.reception.staff_id,
            t.patient_id,
            "denied",
            "roles=reception",
        )
    ]


def test_the_start_check_for_a_day_other_than_today(t: TreatmentClinic) -> None:
    consent = ConsentOnFile(signed_on=t.today, covers_rf=False, record_id=7)
    t.consents.on_file[t.patient_id] = [consent]
    yesterday = t.today - timedelta(days=1)
    check = t.sessions.start_check(
        t.clinic.practitioner, t.patient_id, uses_rf=False, session_date=yesterday
    )
    assert check.blockers[0].code == "consent_missing"  # signed today
    now = t.sessions.start_check(t.clinic.practitioner, t.patient_id, uses_rf=False)
    assert now.can_start and now.consent == consent
    rf = t.sessions.start_check(t.clinic.practitioner, t.patient_id, uses_rf=True)
    assert [b.code for b in rf.blockers] == ["consent_without_rf"]
    with refused(NotFound, "That patient record does not exist."):
        t.sessions.start_check(t.clinic.practitioner, t.patient_id + 10, uses_rf=False)
