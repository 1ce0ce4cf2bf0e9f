"""The session record byte for byte: the exact JSON kept in a signed session (key names,
order, separators, accented text as written), every field read back, an older record
without the optional keys, what "copy settings" keeps field by field, each setting
difference on its own, and the test spot's RF check fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from clinic_desk.domain import session_record
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.session_record import (
    ENDPOINT_LABELS,
    MAX_PAIN_SCORE,
    RECORD_FORMAT,
    TEST_SPOT_AREA,
    Endpoint,
    SessionDraft,
    TestSpot,
    copy_settings,
    record_from_json,
    record_to_json,
    settings_differences,
)

# Imported through its module: pytest would collect a function named test_* as a test.
spot_field = session_record.test_spot_field

D = Decimal
PARIS = timezone(timedelta(hours=1))
SESSION_DAY = date(2026, 3, 29)
STARTED = datetime(2026, 3, 29, 8, 5, tzinfo=UTC)
CHEEKS = AreaSettings(
    "cheeks", "scars", D("1.30"), "Deep scars, agreed", 2, "3", D("4.5"), D("150"), "tip-25"
)
FOREHEAD = AreaSettings("forehead", "fine_lines", D("0.25"))
SPOT = TestSpot("jaw", D("4.50"), D("150"), "tip-25", "Mild erythema", True, D("1.0"))
DRAFT = SessionDraft(
    device_id=7,
    areas=(CHEEKS, FOREHEAD),
    cartridge_key="rf-cart-25",
    lot_id=3,
    course_id=2,
    session_date=SESSION_DAY,
    started_at=STARTED,
    numbing_product="Lidocaïne 5 %",
    numbing_applied_at=datetime(2026, 3, 29, 0, 40, tzinfo=PARIS),
    numbing_removed_at=datetime(2026, 3, 29, 1, 20, tzinfo=PARIS),
    serums=("HA serum", "Peptides"),
    test_spot=SPOT,
    endpoints=(Endpoint.PINPOINT_BLEEDING, Endpoint.OEDEMA),
    pain_score=3,
    immediate_reactions="Redness",
    notes="Zoë tolerated it well.",
)
DRAFT_JSON = (
    '{"areas":[{"above_maximum_reason":"Deep scars, agreed","area":"cheeks",'
    '"indication":"scars","needle_depth_mm":"1.3","passes":2,"rf_energy":"4.5",'
    '"rf_pulse_duration_ms":"150","rf_tip":"tip-25","speed":"3"},'
    '{"above_maximum_reason":"","area":"forehead","indication":"fine_lines",'
    '"needle_depth_mm":"0.25","passes":null,"rf_energy":null,"rf_pulse_duration_ms":null,'
    '"rf_tip":null,"speed":null}],'
    '"endpoints":["pinpoint_bleeding","oedema"],"format":1,'
    '"immediate_reactions":"Redness","notes":"Zoë tolerated it well.",'
    '"numbing":{"applied_at":"2026-03-29T00:40:00+01:00","product":"Lidocaïne 5 %",'
    '"removed_at":"2026-03-29T01:20:00+01:00"},"pain_score":3,'
    '"serums":["HA serum","Peptides"],'
    '"test_spot":{"area":"jaw","needle_depth_mm":"1","reaction":"Mild erythema",'
    '"rf_energy":"4.5","rf_pulse_duration_ms":"150","rf_tip":"tip-25","tolerated":true}}'
)


def read(text: str, **ids: object) -> SessionDraft:
    given: dict[str, object] = {
        "device_id": 7,
        "cartridge_key": "rf-cart-25",
        "lot_id": 3,
        "course_id": 2,
        "session_date": SESSION_DAY,
        "started_at": STARTED,
    }
    given.update(ids)
    return record_from_json(text, **given)  # type: ignore[arg-type]


def test_the_record_json_byte_for_byte() -> None:
    assert record_to_json(DRAFT) == DRAFT_JSON
    assert RECORD_FORMAT == 1


def test_a_record_without_times_spot_or_endpoints() -> None:
    bare = SessionDraft(device_id=1, areas=(FOREHEAD,))
    assert record_to_json(bare) == (
        '{"areas":[{"above_maximum_reason":"","area":"forehead","indication":"fine_lines",'
        '"needle_depth_mm":"0.25","passes":null,"rf_energy":null,'
        '"rf_pulse_duration_ms":null,"rf_tip":null,"speed":null}],"endpoints":[],'
        '"format":1,"immediate_reactions":"","notes":"",'
        '"numbing":{"applied_at":null,"product":"","removed_at":null},"pain_score":null,'
        '"serums":[],"test_spot":null}'
    )


def test_every_field_reads_back_with_the_columns_given() -> None:
    assert read(DRAFT_JSON) == replace(
        DRAFT,
        areas=(replace(CHEEKS, needle_depth_mm=D("1.3")), FOREHEAD),
        test_spot=replace(SPOT, needle_depth_mm=D("1")),
    )
    other = read(
        DRAFT_JSON,
        device_id=8,
        cartridge_key=None,
        lot_id=None,
        course_id=None,
        session_date=date(2026, 4, 1),
        started_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
    )
    assert (other.device_id, other.cartridge_key, other.lot_id, other.course_id) == (
        8,
        None,
        None,
        None,
    )
    assert other.session_date == date(2026, 4, 1)
    assert other.started_at == datetime(2026, 4, 1, 9, tzinfo=UTC)


def test_an_older_record_without_the_optional_keys_reads_with_defaults() -> None:
    text = (
        '{"areas":[{"area":"neck","indication":"laxity","needle_depth_mm":"0.5"}],'
        '"endpoints":["erythema"],"format":1,"immediate_reactions":"","notes":"",'
        '"numbing":{"applied_at":null,"product":"","removed_at":null},"pain_score":null,'
        '"serums":[],"test_spot":{"area":"neck","rf_energy":null,'
        '"rf_pulse_duration_ms":null,"rf_tip":"t","reaction":"none","tolerated":0}}'
    )
    back = read(text)
    assert back.areas == (AreaSettings("neck", "laxity", D("0.5"), "", None, None, None, None),)
    assert back.areas[0].rf_tip is None
    assert back.test_spot == TestSpot("neck", D(0), D(0), "t", "none", False, None)
    assert back.test_spot is not None and back.test_spot.tolerated is False
    assert back.numbing_applied_at is None and back.numbing_removed_at is None
    assert back.endpoints == (Endpoint.ERYTHEMA,)
    assert back.pain_score is None


def test_a_record_without_a_test_spot_reads_none() -> None:
    text = record_to_json(SessionDraft(device_id=1, areas=(FOREHEAD,)))
    assert read(text).test_spot is None


def test_copy_settings_keeps_exactly_the_settings() -> None:
    assert copy_settings(DRAFT) == SessionDraft(
        device_id=7,
        areas=(replace(CHEEKS, above_maximum_reason=""), FOREHEAD),
        cartridge_key="rf-cart-25",
        lot_id=3,
        course_id=2,
        numbing_product="Lidocaïne 5 %",
        serums=("HA serum", "Peptides"),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"device_id": 8}, "device"),
        ({"cartridge_key": "other"}, "cartridge"),
        ({"lot_id": 4}, "lot"),
        ({"serums": ("HA serum",)}, "serums"),
        ({"numbing_product": "EMLA"}, "numbing_product"),
    ],
)
def test_each_session_setting_differs_on_its_own(change: dict[str, object], field: str) -> None:
    assert settings_differences(replace(DRAFT, **change), DRAFT) == frozenset({field})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"indication": "pores"}, "indication"),
        ({"needle_depth_mm": D("1.5")}, "needle_depth_mm"),
        ({"passes": 3}, "passes"),
        ({"speed": "4"}, "speed"),
        ({"rf_energy": D("5")}, "rf_energy"),
        ({"rf_pulse_duration_ms": D("200")}, "rf_pulse_duration_ms"),
        ({"rf_tip": "tip-49"}, "rf_tip"),
    ],
)
def test_each_area_setting_differs_on_its_own(change: dict[str, object], name: str) -> None:
    draft = replace(DRAFT, areas=(replace(CHEEKS, **change), FOREHEAD))  # type: ignore[arg-type]
    assert settings_differences(draft, DRAFT) == frozenset({f"areas.cheeks.{name}"})


def test_the_written_reason_and_the_day_are_not_settings() -> None:
    draft = replace(
        DRAFT,
        areas=(replace(CHEEKS, above_maximum_reason="other"), FOREHEAD),
        notes="x",
        pain_score=9,
        course_id=5,
    )
    assert settings_differences(draft, DRAFT) == frozenset()


def test_an_area_the_last_session_did_not_treat_differs_in_every_field() -> None:
    draft = replace(DRAFT, areas=(CHEEKS, replace(FOREHEAD, area="chin")))
    assert settings_differences(draft, DRAFT) == frozenset(
        f"areas.chin.{name}"
        for name in (
            "indication",
            "needle_depth_mm",
            "passes",
            "speed",
            "rf_energy",
            "rf_pulse_duration_ms",
            "rf_tip",
        )
    )


def test_the_test_spot_is_checked_as_an_area_under_its_own_field_names() -> None:
    spot = TestSpot("jaw", D("4.5"), D("150"), "tip-25", "ok", True)
    assert spot.as_area() == AreaSettings(
        area="__test_spot__",
        indication="",
        needle_depth_mm=D(0),
        rf_energy=D("4.5"),
        rf_pulse_duration_ms=D("150"),
        rf_tip="tip-25",
    )
    assert replace(spot, needle_depth_mm=D("0.75")).as_area().needle_depth_mm == D("0.75")
    assert TEST_SPOT_AREA == "__test_spot__"
    assert spot_field("areas.__test_spot__.rf_energy") == "test_spot.rf_energy"
    assert spot_field("areas.__test_spot__.") == "test_spot."
    assert spot_field("areas.cheeks.rf_energy") == "areas.cheeks.rf_energy"
    assert spot_field("x.areas.__test_spot__.rf_tip") == "x.areas.__test_spot__.rf_tip"


def test_the_endpoints_and_the_pain_scale() -> None:
    assert [(e.value, ENDPOINT_LABELS[e]) for e in Endpoint] == [
        ("erythema", "Erythema (even redness)"),
        ("pinpoint_bleeding", "Pinpoint bleeding"),
        ("oedema", "Swelling (oedema)"),
    ]
    assert MAX_PAIN_SCORE == 10
    assert TestSpot.__test__ is False
