"""Session settings guardrails: a boundary table for depth, RF, test spot, lot, device
and numbing times. The protocol here is built in the test so the limits are known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from clinic_desk.domain.course import CourseDefaults, CourseRules
from clinic_desk.domain.devices import (
    Cartridge,
    DeviceKind,
    DeviceProfile,
    EnergyUnit,
    RfCapability,
    RfTip,
    SettingRange,
)
from clinic_desk.domain.guardrails import (
    MAX_PASSES,
    MIN_WRITTEN_REASON,
    AreaSettings,
    Lot,
    SessionSettings,
    ToleratedRf,
    check_session_settings,
)
from clinic_desk.domain.numbing import numbing_minutes
from clinic_desk.domain.protocol import (
    Area,
    DepthLimit,
    Indication,
    NumbingGuide,
    Protocol,
    Region,
)
from clinic_desk.domain.setting_findings import SEVERITY_LABELS, FindingSeverity, SettingsCheck

DAY = date(2026, 11, 23)
LONDON = ZoneInfo("Europe/London")
NEEDS_REASON = FindingSeverity.NEEDS_REASON
REFUSE = FindingSeverity.REFUSE
WARNING = FindingSeverity.WARNING
TEST_SPOT = FindingSeverity.NEEDS_TEST_SPOT

PROTOCOL = Protocol(
    version=1,
    example_values=True,
    notice="test",
    areas=(
        Area("cheeks", "Cheeks", Region.FACE),
        Area("around_eyes", "Around the eyes", Region.FACE),
        Area("scalp", "Scalp", Region.SCALP),
    ),
    indications=(
        Indication("scars", "Acne and other scars", "[000]"),
        Indication("fine_lines", "Fine lines and wrinkles", "[000]"),
        Indication("hair_loss", "Hair loss", "[000]"),
    ),
    limits={
        ("cheeks", "scars"): DepthLimit(D("1.5"), D("2.0")),
        ("cheeks", "fine_lines"): DepthLimit(D("0.5"), D("1.0")),
        ("cheeks", "hair_loss"): None,
        ("around_eyes", "scars"): DepthLimit(D("0.5"), D("0.75")),
        ("around_eyes", "fine_lines"): DepthLimit(D("0.25"), D("0.5")),
        ("around_eyes", "hair_loss"): None,
        ("scalp", "scars"): None,
        ("scalp", "fine_lines"): None,
        ("scalp", "hair_loss"): DepthLimit(D("0.5"), D("1.0")),
    },
    numbing=NumbingGuide(30, 10, 45, 180),
    courses=CourseRules(CourseDefaults(4, 3, 6, 28, 42), {}, 12),
)
PEN = DeviceProfile(
    kind=DeviceKind.MICRONEEDLING_PEN,
    make="Acme",
    model="P1",
    serial_number="SN-1",
    depth_mm=SettingRange(D("0.25"), D("2.5"), D("0.25")),
    speed_settings=("1", "2", "3"),
    cartridges=(Cartridge("c12", "12 needles", 12),),
)
RF_DEVICE = DeviceProfile(
    kind=DeviceKind.RF_MICRONEEDLING_DEVICE,
    make="Acme",
    model="RF9",
    serial_number="RF-1",
    depth_mm=SettingRange(D("0.5"), D("3.5"), D("0.1")),
    cartridges=(Cartridge("rf25", "25 pins", 25),),
    rf=RfCapability(
        EnergyUnit.LEVEL,
        SettingRange(D(1), D(10), D(1)),
        SettingRange(D(50), D(400), D(10)),
        (RfTip("t25", "25-pin insulated", insulated=True),),
    ),
)
ROLLER = DeviceProfile(
    kind=DeviceKind.DERMA_ROLLER,
    make="Acme",
    model="R05",
    serial_number="R-1",
    depth_mm=SettingRange.fixed(D("0.5")),
    roller_needle_count=540,
)
LOT = Lot("12-needle cartridge", "L-2026-07", date(2026, 12, 31))
CHEEKS = AreaSettings("cheeks", "scars", D("1.5"))
RF_CHEEKS = AreaSettings(
    "cheeks", "scars", D("1.5"), rf_energy=D(5), rf_pulse_duration_ms=D(100), rf_tip="t25"
)
SEEN_RF = (ToleratedRf(RF_DEVICE.model_key, "level", D(5)),)


def check(
    *areas: AreaSettings,
    device: DeviceProfile = PEN,
    cartridge: str | None = "c12",
    lot: Lot | None = LOT,
    tolerated: tuple[ToleratedRf, ...] = (),
    on: date = DAY,
) -> SettingsCheck:
    settings = SessionSettings(on, areas or (CHEEKS,), cartridge=cartridge, lot=lot)
    return check_session_settings(settings, device, PROTOCOL, tolerated)


def found(result: SettingsCheck) -> list[tuple[str, str, FindingSeverity]]:
    return [(f.code, f.field, f.severity) for f in result.findings]


def test_sound_settings_can_be_saved() -> None:
    result = check()
    assert result.findings == () and result.can_save


DEPTH = "areas.cheeks.needle_depth_mm"
REASON = "areas.cheeks.above_maximum_reason"
WRITTEN = "Deep boxcar scars; agreed with patient."


@pytest.mark.parametrize(
    ("depth", "reason", "expected"),
    [
        ("0.25", "", []),  # the device's shallowest setting
        ("0.2", "", [("below_device_minimum", DEPTH, REFUSE)]),
        ("0", "", [("below_device_minimum", DEPTH, REFUSE)]),
        ("0.5", "", []),
        ("0.6", "", [("depth_off_step", DEPTH, REFUSE)]),
        ("1.26", "", [("depth_off_step", DEPTH, REFUSE)]),
        ("2.0", "", []),  # exactly the area's maximum
        ("2.25", "", [("above_area_maximum", REASON, NEEDS_REASON)]),
        ("2.25", WRITTEN, [("above_area_maximum_with_reason", REASON, WARNING)]),
        ("2.25", "x" * (MIN_WRITTEN_REASON - 1), [("above_area_maximum", REASON, NEEDS_REASON)]),
        ("2.25", "x" * MIN_WRITTEN_REASON, [("above_area_maximum_with_reason", REASON, WARNING)]),
        ("2.25", "   too   short  ", [("above_area_maximum", REASON, NEEDS_REASON)]),
        ("2.5", WRITTEN, [("above_area_maximum_with_reason", REASON, WARNING)]),  # device max
        ("2.75", WRITTEN, [("above_device_maximum", DEPTH, REFUSE)]),
        ("2.75", "", [("above_device_maximum", DEPTH, REFUSE)]),
        (
            "2.3",
            "",
            [("depth_off_step", DEPTH, REFUSE), ("above_area_maximum", REASON, NEEDS_REASON)],
        ),
    ],
)
def test_depth_boundary_table(
    depth: str, reason: str, expected: list[tuple[str, str, FindingSeverity]]
) -> None:
    result = check(replace(CHEEKS, needle_depth_mm=D(depth), above_maximum_reason=reason))
    assert found(result) == expected
    assert result.can_save is all(severity is WARNING for _, _, severity in expected)


def test_depth_messages_say_the_numbers() -> None:
    above = check(replace(CHEEKS, needle_depth_mm=D("2.25"))).findings[0].message
    assert "2.25 mm" in above and "(2 mm)" in above and f"at least {MIN_WRITTEN_REASON}" in above
    device = check(replace(CHEEKS, needle_depth_mm=D("2.75"))).findings[0].message
    assert "2.75 mm" in device and "2.5 mm" in device and "never" in device
    step = check(replace(CHEEKS, needle_depth_mm=D("0.6"))).findings[0].message
    assert "steps of 0.25 mm from 0.25 mm: 0.6 mm" in step
    shallow = check(replace(CHEEKS, needle_depth_mm=D("0.2"))).findings[0].message
    assert "0.25 mm" in shallow


def test_exact_steps_on_a_tenth_of_a_millimetre() -> None:
    """0.3 and 0.7 are on a 0.1 step from 0.5 only when the arithmetic is exact."""
    for depth in ("0.6", "0.7", "1.3", "2.0"):
        area = replace(RF_CHEEKS, needle_depth_mm=D(depth))
        assert check(area, device=RF_DEVICE, cartridge="rf25", tolerated=SEEN_RF).can_save


def test_the_reason_field_must_be_set_on_the_finding() -> None:
    result = check(replace(CHEEKS, needle_depth_mm=D("2.25")))
    assert result.for_field(REASON)[0].code == "above_area_maximum"
    assert result.for_field(DEPTH) == ()
    assert result.codes == ("above_area_maximum",)


def test_roller_records_its_needle_length() -> None:
    eyes = AreaSettings("around_eyes", "fine_lines", D("0.5"))
    assert check(eyes, device=ROLLER, cartridge=None).findings == ()
    wrong = check(replace(eyes, needle_depth_mm=D("0.25")), device=ROLLER, cartridge=None)
    assert found(wrong) == [("roller_length", "areas.around_eyes.needle_depth_mm", REFUSE)]
    assert "0.5 mm long" in wrong.findings[0].message


def test_pair_not_offered_and_unknown_area_are_refused() -> None:
    scalp = check(AreaSettings("scalp", "scars", D("1")))
    assert found(scalp) == [("not_offered", "areas.scalp.needle_depth_mm", REFUSE)]
    assert scalp.findings[0].message == (
        "The protocol does not offer acne and other scars on the scalp."
    )
    unknown = check(AreaSettings("elbow", "scars", D("1")))
    assert found(unknown) == [("unknown_area", "areas.elbow.needle_depth_mm", REFUSE)]


def test_areas_listed_twice_or_none() -> None:
    twice = check(CHEEKS, CHEEKS)
    assert found(twice) == [("area_twice", "areas.cheeks.area", REFUSE)]
    settings = SessionSettings(DAY, (), cartridge="c12", lot=LOT)
    assert check_session_settings(settings, PEN, PROTOCOL).codes == ("no_area",)


@pytest.mark.parametrize(
    ("passes", "ok"), [(0, False), (1, True), (MAX_PASSES, True), (MAX_PASSES + 1, False)]
)
def test_passes_bounds(passes: int, ok: bool) -> None:
    result = check(replace(CHEEKS, passes=passes))
    assert result.can_save is ok
    assert MAX_PASSES == 10
    if not ok:
        assert found(result) == [("passes_out_of_range", "areas.cheeks.passes", REFUSE)]


def test_speed_must_be_one_of_the_devices() -> None:
    assert check(replace(CHEEKS, speed="3")).can_save
    wrong = check(replace(CHEEKS, speed="9"))
    assert found(wrong) == [("speed_unknown", "areas.cheeks.speed", REFUSE)]
    assert wrong.findings[0].message.endswith("1, 2, 3.")
    none = check(replace(RF_CHEEKS, speed="1"), device=RF_DEVICE, cartridge="rf25",
                 tolerated=SEEN_RF)
    assert none.findings[0].message == "This device has no speed settings."


# ---- RF ----------------------------------------------------------------------------

ENERGY = "areas.cheeks.rf_energy"
PULSE = "areas.cheeks.rf_pulse_duration_ms"
TIP = "areas.cheeks.rf_tip"


def rf(**change: object) -> SettingsCheck:
    return check(
        replace(RF_CHEEKS, **change),  # type: ignore[arg-type]
        device=RF_DEVICE, cartridge="rf25", tolerated=(ToleratedRf(RF_DEVICE.model_key,
                                                                     "level", D(10)),),
    )


def test_rf_on_a_non_rf_device_is_refused() -> None:
    for area in (
        RF_CHEEKS,
        replace(CHEEKS, rf_energy=D(5)),
        replace(CHEEKS, rf_pulse_duration_ms=D(100)),
        replace(CHEEKS, rf_tip="t25"),
    ):
        result = check(area)
        assert found(result) == [("rf_on_non_rf_device", ENERGY, REFUSE)]
    assert "no radiofrequency" in check(RF_CHEEKS).findings[0].message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rf_energy": D(1)}, []),
        ({"rf_energy": D(10)}, []),
        ({"rf_energy": D(0)}, [("rf_energy_out_of_range", ENERGY, REFUSE)]),
        ({"rf_energy": D(11)}, [("rf_energy_out_of_range", ENERGY, REFUSE)]),
        ({"rf_energy": D("2.5")}, [("rf_energy_off_step", ENERGY, REFUSE)]),
        ({"rf_energy": None}, [("rf_energy_missing", ENERGY, REFUSE)]),
        ({"rf_pulse_duration_ms": D(50)}, []),
        ({"rf_pulse_duration_ms": D(400)}, []),
        ({"rf_pulse_duration_ms": D(40)}, [("rf_pulse_duration_ms_out_of_range", PULSE, REFUSE)]),
        ({"rf_pulse_duration_ms": D(410)}, [("rf_pulse_duration_ms_out_of_range", PULSE, REFUSE)]),
        ({"rf_pulse_duration_ms": D(55)}, [("rf_pulse_duration_ms_off_step", PULSE, REFUSE)]),
        ({"rf_pulse_duration_ms": None}, [("rf_pulse_duration_ms_missing", PULSE, REFUSE)]),
        ({"rf_tip": None}, [("rf_tip_missing", TIP, REFUSE)]),
        ({"rf_tip": "t49"}, [("rf_tip_unknown", TIP, REFUSE)]),
    ],
)
def test_rf_boundary_table(
    change: dict[str, object], expected: list[tuple[str, str, FindingSeverity]]
) -> None:
    assert found(rf(**change)) == expected


def test_rf_messages_give_the_devices_range() -> None:
    assert rf(rf_energy=D(11)).findings[0].message == (
        "level 11 is outside this device's RF energy (level 1 to 10 in steps of 1)."
    )
    assert "55 ms is not one of this device's settings (50 to 400 ms in steps of 10)" in (
        rf(rf_pulse_duration_ms=D(55)).findings[0].message
    )


def test_first_rf_session_needs_a_test_spot() -> None:
    result = check(RF_CHEEKS, device=RF_DEVICE, cartridge="rf25")
    assert found(result) == [("test_spot_needed", "test_spot", TEST_SPOT)]
    assert not result.can_save
    message = result.findings[0].message
    assert message.startswith("This is the patient's first RF treatment on this device")
    assert "record a test spot first (area, settings and the skin's reaction)" in message


@pytest.mark.parametrize(
    ("planned", "needs_spot"), [(D(4), False), (D(5), False), (D(6), True)]
)
def test_rf_energy_against_the_highest_tolerated(planned: D, needs_spot: bool) -> None:
    history = (
        ToleratedRf(RF_DEVICE.model_key, "level", D(3)),
        ToleratedRf(RF_DEVICE.model_key, "level", D(5)),
    )
    result = check(replace(RF_CHEEKS, rf_energy=planned), device=RF_DEVICE, cartridge="rf25",
                   tolerated=history)
    assert ("test_spot_needed" in result.codes) is needs_spot
    if needs_spot:
        assert result.findings[0].message.startswith(
            "level 6 is above the highest energy this patient has tolerated before (level 5)"
        )


def test_the_highest_energy_of_all_areas_counts() -> None:
    eyes = AreaSettings("around_eyes", "scars", D("0.5"), rf_energy=D(7),
                        rf_pulse_duration_ms=D(100), rf_tip="t25")
    result = check(RF_CHEEKS, eyes, device=RF_DEVICE, cartridge="rf25", tolerated=SEEN_RF)
    assert result.codes == ("test_spot_needed",)


def test_rf_history_on_another_model_or_unit_does_not_count() -> None:
    other_model = (ToleratedRf("other rf", "level", D(10)),)
    result = check(RF_CHEEKS, device=RF_DEVICE, cartridge="rf25", tolerated=other_model)
    assert result.codes == ("test_spot_needed",)
    assert "has not had RF on this device before" in result.findings[0].message
    other_unit = (ToleratedRf(RF_DEVICE.model_key, "W", D(10)),)
    assert check(RF_CHEEKS, device=RF_DEVICE, cartridge="rf25",
                 tolerated=other_unit).codes == ("test_spot_needed",)


def test_no_test_spot_without_rf() -> None:
    no_rf = replace(RF_CHEEKS, rf_energy=None, rf_pulse_duration_ms=None, rf_tip=None)
    assert check(no_rf, device=RF_DEVICE, cartridge="rf25").findings == ()


# ---- device, cartridge, lot --------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expired"),
    [(date(2026, 12, 30), False), (date(2026, 12, 31), False), (date(2027, 1, 1), True)],
)
def test_lot_is_usable_through_its_expiry_date(on: date, expired: bool) -> None:
    result = check(on=on)
    assert ("lot_expired" in result.codes) is expired
    assert LOT.is_expired(on) is expired
    if expired:
        assert found(result) == [("lot_expired", "lot", REFUSE)]
        assert result.findings[0].message == (
            "Lot L-2026-07 expired on 2026-12-31: choose another lot."
        )


def test_lot_and_cartridge_are_required() -> None:
    assert found(check(lot=None)) == [("lot_missing", "lot", REFUSE)]
    assert found(check(cartridge=None)) == [("cartridge_missing", "cartridge", REFUSE)]
    assert found(check(cartridge="c99")) == [("cartridge_unknown", "cartridge", REFUSE)]
    eyes = AreaSettings("around_eyes", "fine_lines", D("0.5"))
    assert found(check(eyes, device=ROLLER, cartridge="c12")) == [
        ("cartridge_on_roller", "cartridge", REFUSE)
    ]


@pytest.mark.parametrize(
    ("due", "overdue"),
    [(date(2026, 11, 24), False), (date(2026, 11, 23), False), (date(2026, 11, 22), True)],
)
def test_device_overdue_for_service_warns(due: date, overdue: bool) -> None:
    result = check(device=replace(PEN, service_due_on=due))
    if overdue:
        assert found(result) == [("device_service_overdue", "device", WARNING)]
        assert result.can_save
        assert "due for service or calibration on 2026-11-22" in result.findings[0].message
    else:
        assert result.findings == ()


def test_a_deactivated_device_is_refused() -> None:
    assert found(check(device=replace(PEN, active=False))) == [
        ("device_inactive", "device", REFUSE)
    ]


# ---- numbing -----------------------------------------------------------------------


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)


def numbing(applied: datetime | None, removed: datetime | None) -> SettingsCheck:
    settings = SessionSettings(DAY, (CHEEKS,), cartridge="c12", lot=LOT,
                               numbing_applied_at=applied, numbing_removed_at=removed)
    return check_session_settings(settings, PEN, PROTOCOL)


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        (at(9, 59), ("numbing_order", REFUSE)),
        (at(10, 0), ("numbing_order", REFUSE)),
        (at(10, 9), ("numbing_unusual", WARNING)),
        (at(10, 10), None),
        (at(10, 30), None),
        (at(10, 45), None),
        (at(10, 46), ("numbing_unusual", WARNING)),
        (at(13, 0), ("numbing_unusual", WARNING)),
        (at(13, 1), ("numbing_implausible", REFUSE)),
    ],
)
def test_numbing_minutes_boundaries(
    removed: datetime, expected: tuple[str, FindingSeverity] | None
) -> None:
    result = numbing(at(10, 0), removed)
    if expected is None:
        assert result.findings == ()
    else:
        assert [(f.code, f.severity) for f in result.findings] == [expected]
        assert result.findings[0].field == "numbing_removed_at"


def test_numbing_messages() -> None:
    assert numbing(at(10, 0), at(10, 9)).findings[0].message == (
        "The cream was on for 9 minutes; usually 10 to 45."
    )
    assert numbing(at(10, 0), at(13, 1)).findings[0].message.startswith("181 minutes")


def test_numbing_still_on_or_removed_without_applied() -> None:
    assert numbing(at(10, 0), None).findings == ()
    assert numbing(None, None).findings == ()
    assert [(f.code, f.field) for f in numbing(None, at(10, 0)).findings] == [
        ("numbing_not_applied", "numbing_applied_at")
    ]


def test_numbing_times_need_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        numbing(datetime(2026, 11, 23, 10, 0), at(10, 30))
    with pytest.raises(ValueError, match="time zone"):
        numbing(at(10, 0), datetime(2026, 11, 23, 10, 30))


def test_numbing_minutes_across_the_clock_change_are_real_minutes() -> None:
    # 29 March 2026: at 01:00 GMT the clocks in London go forward to 02:00 BST.
    applied = datetime(2026, 3, 29, 0, 50, tzinfo=LONDON)
    removed = datetime(2026, 3, 29, 2, 20, tzinfo=LONDON)
    assert numbing_minutes(applied, removed) == 30
    # 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
    applied = datetime(2026, 10, 25, 1, 50, tzinfo=LONDON)  # BST (first 01:50)
    removed = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)  # GMT
    assert numbing_minutes(applied, removed) == 30
    settings = SessionSettings(date(2026, 10, 25), (CHEEKS,), cartridge="c12", lot=LOT,
                               numbing_applied_at=applied, numbing_removed_at=removed)
    assert check_session_settings(settings, PEN, PROTOCOL).findings == ()


def test_session_helpers_and_labels() -> None:
    settings = SessionSettings(DAY, (CHEEKS, replace(RF_CHEEKS, area="around_eyes",
                                                     rf_energy=D(7))))
    assert settings.uses_rf and settings.highest_rf_energy == D(7)
    assert not SessionSettings(DAY, (CHEEKS,)).uses_rf
    assert SessionSettings(DAY, (CHEEKS,)).highest_rf_energy is None
    assert SEVERITY_LABELS[FindingSeverity.NEEDS_TEST_SPOT] == "Needs a test spot first"
    assert len(SEVERITY_LABELS) == len(FindingSeverity)



# ---- every finding, whole: code, field, severity and words ----------------------

OTHER_MODEL = (ToleratedRf("other rf", "level", D(10)),)
EYES_ROLLER = AreaSettings("around_eyes", "fine_lines", D("0.5"))

FULL_FINDINGS = [
    (lambda: check(replace(CHEEKS, needle_depth_mm=D("0.2"))),
     ('below_device_minimum', 'areas.cheeks.needle_depth_mm', REFUSE,
      "0.2 mm is shallower than this device's shallowest setting (0.25 mm).")),
    (lambda: check(replace(CHEEKS, needle_depth_mm=D("0.6"))),
     ('depth_off_step', 'areas.cheeks.needle_depth_mm', REFUSE,
      "This device sets depth in steps of 0.25 mm from 0.25 mm: 0.6 mm is not one of "
      "them.")),
    (lambda: check(replace(CHEEKS, needle_depth_mm=D("2.25"))),
     ('above_area_maximum', 'areas.cheeks.above_maximum_reason', NEEDS_REASON,
      "2.25 mm is deeper than the protocol's maximum for this area (2 mm): write why "
      "(at least 10 characters).")),
    (lambda: check(replace(CHEEKS, needle_depth_mm=D("2.25"), above_maximum_reason=WRITTEN)),
     ('above_area_maximum_with_reason', 'areas.cheeks.above_maximum_reason', WARNING,
      "Deeper than the protocol's maximum for this area (2 mm); the reason is recorded.")),
    (lambda: check(replace(CHEEKS, needle_depth_mm=D("2.75"))),
     ('above_device_maximum', 'areas.cheeks.needle_depth_mm', REFUSE,
      "2.75 mm is deeper than this device goes (2.5 mm); that is never allowed.")),
    (lambda: check(
        AreaSettings("around_eyes", "fine_lines", D("0.25")), device=ROLLER, cartridge=None),
     ('roller_length', 'areas.around_eyes.needle_depth_mm', REFUSE,
      "This roller's needles are 0.5 mm long: record that depth.")),
    (lambda: check(AreaSettings("scalp", "scars", D("1"))),
     ('not_offered', 'areas.scalp.needle_depth_mm', REFUSE,
      "The protocol does not offer acne and other scars on the scalp.")),
    (lambda: check(AreaSettings("elbow", "scars", D("1"))),
     ('unknown_area', 'areas.elbow.needle_depth_mm', REFUSE,
      "Choose an area and indication from the list.")),
    (lambda: check(CHEEKS, CHEEKS),
     ('area_twice', 'areas.cheeks.area', REFUSE,
      "This area is listed twice: record it once.")),
    (lambda: check_session_settings(
        SessionSettings(DAY, (), cartridge="c12", lot=LOT), PEN, PROTOCOL),
     ('no_area', 'areas', REFUSE,
      "Add at least one treated area.")),
    (lambda: check(replace(CHEEKS, passes=0)),
     ('passes_out_of_range', 'areas.cheeks.passes', REFUSE,
      "Passes are counted from 1 to 10.")),
    (lambda: check(replace(CHEEKS, speed="9")),
     ('speed_unknown', 'areas.cheeks.speed', REFUSE,
      "Choose one of this device's speed settings: 1, 2, 3.")),
    (lambda: check(RF_CHEEKS),
     ('rf_on_non_rf_device', 'areas.cheeks.rf_energy', REFUSE,
      "This device has no radiofrequency: clear the RF settings or choose an RF device.")),
    (lambda: rf(rf_energy=D(11)),
     ('rf_energy_out_of_range', 'areas.cheeks.rf_energy', REFUSE,
      "level 11 is outside this device's RF energy (level 1 to 10 in steps of 1).")),
    (lambda: rf(rf_energy=D("2.5")),
     ('rf_energy_off_step', 'areas.cheeks.rf_energy', REFUSE,
      "level 2.5 is not one of this device's settings (level 1 to 10 in steps of 1).")),
    (lambda: rf(rf_energy=None),
     ('rf_energy_missing', 'areas.cheeks.rf_energy', REFUSE,
      "Enter the RF energy.")),
    (lambda: rf(rf_pulse_duration_ms=D(40)),
     ('rf_pulse_duration_ms_out_of_range', 'areas.cheeks.rf_pulse_duration_ms', REFUSE,
      "40 ms is outside this device's RF pulse duration (50 to 400 ms in steps of 10).")),
    (lambda: rf(rf_pulse_duration_ms=D(55)),
     ('rf_pulse_duration_ms_off_step', 'areas.cheeks.rf_pulse_duration_ms', REFUSE,
      "55 ms is not one of this device's settings (50 to 400 ms in steps of 10).")),
    (lambda: rf(rf_pulse_duration_ms=None),
     ('rf_pulse_duration_ms_missing', 'areas.cheeks.rf_pulse_duration_ms', REFUSE,
      "Enter the RF pulse duration.")),
    (lambda: rf(rf_tip=None),
     ('rf_tip_missing', 'areas.cheeks.rf_tip', REFUSE,
      "Choose the RF tip used.")),
    (lambda: rf(rf_tip="t49"),
     ('rf_tip_unknown', 'areas.cheeks.rf_tip', REFUSE,
      "This device does not take that tip.")),
    (lambda: check(RF_CHEEKS, device=RF_DEVICE, cartridge="rf25"),
     ('test_spot_needed', 'test_spot', TEST_SPOT,
      "This is the patient's first RF treatment on this device: record a test spot "
      "first (area, settings and the skin's reaction), so a burn or blister shows on a "
      "small patch rather than the whole area.")),
    (lambda: check(RF_CHEEKS, device=RF_DEVICE, cartridge="rf25", tolerated=OTHER_MODEL),
     ('test_spot_needed', 'test_spot', TEST_SPOT,
      "The patient has not had RF on this device before, and other devices' energy "
      "settings do not compare: record a test spot first (area, settings and the skin's"
      " reaction), so a burn or blister shows on a small patch rather than the whole "
      "area.")),
    (lambda: check(
        replace(RF_CHEEKS, rf_energy=D(6)), device=RF_DEVICE, cartridge="rf25", tolerated=SEEN_RF),
     ('test_spot_needed', 'test_spot', TEST_SPOT,
      "level 6 is above the highest energy this patient has tolerated before (level 5):"
      " record a test spot first (area, settings and the skin's reaction), so a burn or"
      " blister shows on a small patch rather than the whole area.")),
    (lambda: check(on=date(2027, 1, 1)),
     ('lot_expired', 'lot', REFUSE,
      "Lot L-2026-07 expired on 2026-12-31: choose another lot.")),
    (lambda: check(lot=None),
     ('lot_missing', 'lot', REFUSE,
      "Record the lot of the needles used.")),
    (lambda: check(cartridge=None),
     ('cartridge_missing', 'cartridge', REFUSE,
      "Choose the cartridge used.")),
    (lambda: check(cartridge="c99"),
     ('cartridge_unknown', 'cartridge', REFUSE,
      "This device does not take that cartridge.")),
    (lambda: check(EYES_ROLLER, device=ROLLER, cartridge="c12"),
     ('cartridge_on_roller', 'cartridge', REFUSE,
      "A roller takes no cartridge.")),
    (lambda: check(device=replace(PEN, service_due_on=date(2026, 11, 22))),
     ('device_service_overdue', 'device', WARNING,
      "This device was due for service or calibration on 2026-11-22: arrange it soon.")),
    (lambda: check(device=replace(PEN, active=False)),
     ('device_inactive', 'device', REFUSE,
      "This device has been taken out of use.")),
    (lambda: numbing(at(10, 0), at(9, 59)),
     ('numbing_order', 'numbing_removed_at', REFUSE,
      "The cream was removed before it was applied: check the times.")),
    (lambda: numbing(at(10, 0), at(10, 50)),
     ('numbing_unusual', 'numbing_removed_at', WARNING,
      "The cream was on for 50 minutes; usually 10 to 45.")),
    (lambda: numbing(at(10, 0), at(13, 1)),
     ('numbing_implausible', 'numbing_removed_at', REFUSE,
      "181 minutes of numbing: check the times.")),
    (lambda: numbing(None, at(10, 0)),
     ('numbing_not_applied', 'numbing_applied_at', REFUSE,
      "Enter when the numbing cream was applied.")),
]


@pytest.mark.parametrize(("run", "expected"), FULL_FINDINGS)
def test_each_finding_in_full(
    run: Callable[[], SettingsCheck], expected: tuple[str, str, FindingSeverity, str]
) -> None:
    assert [(f.code, f.field, f.severity, f.message) for f in run().findings] == [expected]


def test_areas_after_a_duplicate_are_still_checked() -> None:
    eyes = AreaSettings("around_eyes", "fine_lines", D("0.6"))
    result = check(CHEEKS, CHEEKS, eyes)
    assert result.codes == ("area_twice", "depth_off_step", "above_area_maximum")
