"""The validation table at every boundary, through the services on both engines: the
settings check (device range and step, area maximum with and without a reason, RF on a
non-RF device and outside its ranges, expired and withdrawn lots, the test-spot rule)
and the start gate (no consent, consent without RF, expired consent, blocked screening,
uncleared finding), each refusal also stopping sign-off."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.screening import add_months
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.treatment_dto import SessionNotStarted, SettingsRefused
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import (
    D,
    TreatmentClinic,
    clear_answers,
    pen_draft,
    rf_draft,
    treatment_clinic,
)

# Example pen: 0.25 to 2.5 mm in steps of 0.25. Protocol v1, cheeks for scars: max 2 mm.
PEN_DEPTHS = [
    ("0.25", None),  # the device's shallowest
    ("0.2", "below_device_minimum"),
    ("1.1", "depth_off_step"),
    ("2", None),  # the area's maximum itself
    ("2.25", "above_area_maximum"),  # above the area's maximum, no reason
    ("2.5", "above_area_maximum"),  # the device's deepest, still above the area's
    ("2.75", "above_device_maximum"),
]
REASON = "Deep boxcar scars, agreed at consultation"

# Example RF device: level 1 to 10 in steps of 1; pulse 50 to 400 ms in steps of 10.
RF_VALUES: list[tuple[dict[str, object], str | None]] = [
    ({"rf_energy": D("1")}, None),
    ({"rf_energy": D("10")}, None),
    ({"rf_energy": D("11")}, "rf_energy_out_of_range"),
    ({"rf_energy": D("0.5")}, "rf_energy_out_of_range"),
    ({"rf_energy": D("4.5")}, "rf_energy_off_step"),
    ({"rf_pulse_duration_ms": D("50")}, None),
    ({"rf_pulse_duration_ms": D("400")}, None),
    ({"rf_pulse_duration_ms": D("40")}, "rf_pulse_duration_ms_out_of_range"),
    ({"rf_pulse_duration_ms": D("410")}, "rf_pulse_duration_ms_out_of_range"),
    ({"rf_pulse_duration_ms": D("155")}, "rf_pulse_duration_ms_off_step"),
    ({"rf_tip": "no-such-tip"}, "rf_tip_unknown"),
]


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def _blocking(t: TreatmentClinic, draft: object) -> set[str]:
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, draft)  # type: ignore[arg-type]
    return {f.code for f in check.findings if f.blocks_saving}


def test_needle_depth_at_every_boundary(t: TreatmentClinic) -> None:
    for depth, expected in PEN_DEPTHS:
        draft = pen_draft(t, areas=(AreaSettings("cheeks", "scars", D(depth)),))
        assert _blocking(t, draft) == ({expected} if expected else set()), depth


def test_above_the_area_maximum_needs_a_reason_but_never_above_the_device(
    t: TreatmentClinic,
) -> None:
    with_reason = pen_draft(
        t, areas=(AreaSettings("cheeks", "scars", D("2.5"), above_maximum_reason=REASON),)
    )
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, with_reason)
    assert check.can_save and "above_area_maximum_with_reason" in check.codes
    too_short = pen_draft(
        t, areas=(AreaSettings("cheeks", "scars", D("2.5"), above_maximum_reason="deep"),)
    )
    assert _blocking(t, too_short) == {"above_area_maximum"}
    beyond = pen_draft(
        t, areas=(AreaSettings("cheeks", "scars", D("2.75"), above_maximum_reason=REASON),)
    )
    assert _blocking(t, beyond) == {"above_device_maximum"}
    with pytest.raises(SettingsRefused) as refused:
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, beyond, password=STAFF_PASSWORD)
    assert refused.value.field == "areas.cheeks.needle_depth_mm"


def test_rf_settings_at_every_boundary(t: TreatmentClinic) -> None:
    for change, expected in RF_VALUES:
        draft = rf_draft(t)
        area = replace(draft.areas[0], **change)  # type: ignore[arg-type]
        spot = draft.test_spot
        assert spot is not None
        if "rf_energy" in change and expected is None:
            spot = replace(spot, rf_energy=area.rf_energy or D(0))
        draft = replace(draft, areas=(area,), test_spot=spot)
        assert _blocking(t, draft) == ({expected} if expected else set()), change


def test_rf_on_a_device_without_rf_is_refused(t: TreatmentClinic) -> None:
    area = AreaSettings("cheeks", "scars", D("1"), rf_energy=D("4"),
                        rf_pulse_duration_ms=D("150"), rf_tip="tip-25-insulated")
    draft = pen_draft(t, areas=(area,))
    assert _blocking(t, draft) == {"rf_on_non_rf_device"}


def test_an_expired_or_withdrawn_lot_cannot_be_used(core: ClinicDesk, t: TreatmentClinic) -> None:
    assert _blocking(t, pen_draft(t, lot_id=t.expired_lot_id)) == {"lot_expired"}
    lots = {lot.lot_id: lot for lot in core.devices.lots(t.clinic.practitioner)}
    assert lots[t.expired_lot_id].is_expired and not lots[t.expired_lot_id].usable
    assert lots[t.lot_id].usable
    core.devices.set_lot_active(
        t.clinic.practitioner, t.lot_id, False, expected_version=lots[t.lot_id].version
    )
    assert _blocking(t, pen_draft(t)) == {"lot_withdrawn"}


def test_the_test_spot_rule_for_the_first_rf_and_for_higher_energy(t: TreatmentClinic) -> None:
    first = replace(rf_draft(t), test_spot=None)
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, first)
    assert _blocking(t, first) == {"test_spot_needed"}
    assert "first RF treatment" in check.for_field("test_spot")[0].message
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t, "4"),
                        password=STAFF_PASSWORD)
    assert _blocking(t, replace(rf_draft(t, "4"), test_spot=None)) == set()
    higher = replace(rf_draft(t, "5"), test_spot=None)
    check = t.sessions.check(t.clinic.practitioner, t.patient_id, higher)
    assert {f.code for f in check.findings if f.blocks_saving} == {"test_spot_needed"}
    assert "above the highest energy this patient has tolerated before (level 4)" in (
        check.for_field("test_spot")[0].message
    )
    assert _blocking(t, rf_draft(t, "5")) == set()  # with a tolerated spot at level 5
    untolerated = rf_draft(t, "5")
    assert untolerated.test_spot is not None
    untolerated = replace(untolerated, test_spot=replace(untolerated.test_spot, tolerated=False))
    assert _blocking(t, untolerated) == {"test_spot_needed", "test_spot_not_tolerated"}


def _blockers(t: TreatmentClinic, *, uses_rf: bool) -> set[str]:
    check = t.sessions.start_check(t.clinic.practitioner, t.patient_id, uses_rf=uses_rf)
    return {b.code for b in check.blockers}


def test_the_start_gate_on_consent(t: TreatmentClinic) -> None:
    assert _blockers(t, uses_rf=True) == set()
    t.consents.on_file[t.patient_id] = []
    assert _blockers(t, uses_rf=False) == {"consent_missing"}
    with pytest.raises(SessionNotStarted) as refused:
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                            password=STAFF_PASSWORD)
    assert [b.code for b in refused.value.check.blockers] == ["consent_missing"]
    t.consents.on_file[t.patient_id] = [ConsentOnFile(signed_on=t.today, covers_rf=False)]
    assert _blockers(t, uses_rf=False) == set()
    assert _blockers(t, uses_rf=True) == {"consent_without_rf"}
    with pytest.raises(SessionNotStarted):
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                            password=STAFF_PASSWORD)
    last_day_signed = add_months(t.today, -12) + timedelta(days=1)
    t.consents.on_file[t.patient_id] = [ConsentOnFile(signed_on=last_day_signed, covers_rf=True)]
    assert _blockers(t, uses_rf=True) == set()  # its last valid day is today
    expired = add_months(t.today, -12)
    t.consents.on_file[t.patient_id] = [ConsentOnFile(signed_on=expired, covers_rf=True)]
    assert _blockers(t, uses_rf=True) == {"consent_expired"}
    assert t.sessions.sessions(t.clinic.practitioner, t.patient_id) == []


def test_the_start_gate_on_the_screening(core: ClinicDesk, t: TreatmentClinic) -> None:
    core.intake.record(t.clinic.reception, t.patient_id, clear_answers(core) | {"eczema": True})
    assert _blockers(t, uses_rf=False) == {"not_cleared:eczema"}
    with pytest.raises(SessionNotStarted):
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                            password=STAFF_PASSWORD)
    core.screening.clear_finding(t.clinic.practitioner, t.patient_id, "eczema",
                                 reason="Eczema only on the hands; face clear.",
                                 password=STAFF_PASSWORD)
    assert _blockers(t, uses_rf=False) == set()
    core.intake.record(t.clinic.reception, t.patient_id,
                       clear_answers(core) | {"open_wound": True})
    assert "screening_do_not_treat" in _blockers(t, uses_rf=False)
    with pytest.raises(SessionNotStarted):
        t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                            password=STAFF_PASSWORD)
    assert t.sessions.sessions(t.clinic.practitioner, t.patient_id) == []
