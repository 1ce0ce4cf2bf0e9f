"""The session record as stored (exact decimals, aware times), the copy of the last
session's settings, the differences to highlight, and the device profile as stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.device_json import profile_from_json, profile_to_json
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.session_record import (
    Endpoint,
    SessionDraft,
    TestSpot,
    copy_settings,
    record_from_json,
    record_to_json,
    settings_differences,
)

D = Decimal
PARIS = timezone(timedelta(hours=1))
DRAFT = SessionDraft(
    device_id=7,
    cartridge_key="rf-cart-25",
    lot_id=3,
    course_id=2,
    areas=(
        AreaSettings("cheeks", "scars", D("1.3"), "Deep boxcar scars, agreed", 2, None,
                     D("4.5"), D("150"), "tip-25-insulated"),
        AreaSettings("forehead", "fine_lines", D("0.25"), passes=3, speed="4"),
    ),
    numbing_product="Lidocaïne 5 % crème",
    numbing_applied_at=datetime(2026, 3, 29, 0, 40, tzinfo=PARIS),
    numbing_removed_at=datetime(2026, 3, 29, 1, 20, tzinfo=PARIS),
    serums=("Hyaluronic acid serum",),
    test_spot=TestSpot("cheeks", D("4.5"), D("150"), "tip-25-insulated", "Mild erythema", True),
    endpoints=(Endpoint.ERYTHEMA, Endpoint.PINPOINT_BLEEDING),
    pain_score=0,
    immediate_reactions="None",
    notes="Zoë tolerated it well.",
)


def _read(text: str) -> SessionDraft:
    return record_from_json(
        text, device_id=7, cartridge_key="rf-cart-25", lot_id=3, course_id=2,
        session_date=date(2026, 3, 29), started_at=datetime(2026, 3, 29, 8, tzinfo=UTC),
    )


def test_the_record_reads_back_exactly() -> None:
    text = record_to_json(DRAFT)
    assert '"needle_depth_mm":"1.3"' in text and '"rf_energy":"4.5"' in text
    back = _read(text)
    assert back.areas == DRAFT.areas
    assert back.test_spot == DRAFT.test_spot
    assert back.numbing_applied_at == DRAFT.numbing_applied_at
    assert back.endpoints == DRAFT.endpoints and back.notes == DRAFT.notes
    assert record_to_json(back) == text


def test_numbing_minutes() -> None:
    assert DRAFT.numbing_minutes == 40
    assert replace(DRAFT, numbing_removed_at=None).numbing_minutes is None


def test_copy_keeps_settings_and_drops_the_day_and_reasons() -> None:
    copy = copy_settings(DRAFT)
    assert copy.device_id == 7 and copy.lot_id == 3 and copy.serums == DRAFT.serums
    assert copy.areas[0].above_maximum_reason == ""
    assert copy.areas[0].needle_depth_mm == D("1.3")
    assert copy.test_spot is None and copy.notes == "" and copy.pain_score is None
    assert copy.numbing_applied_at is None and copy.numbing_product == DRAFT.numbing_product
    assert settings_differences(copy, DRAFT) == frozenset()


def test_differences_name_each_changed_field() -> None:
    copy = copy_settings(DRAFT)
    changed = replace(
        copy,
        lot_id=4,
        areas=(
            replace(copy.areas[0], rf_energy=D("5")),
            copy.areas[1],
            AreaSettings("neck", "fine_lines", D("0.5")),
        ),
    )
    found = settings_differences(changed, DRAFT)
    assert "lot" in found and "areas.cheeks.rf_energy" in found
    assert "areas.cheeks.needle_depth_mm" not in found
    assert {"areas.neck.needle_depth_mm", "areas.neck.indication"} <= found


def test_a_device_profile_reads_back_exactly() -> None:
    for example in example_devices().devices:
        profile = replace(example.profile, serial_number="SN-1", service_due_on=date(2027, 1, 31))
        assert profile_from_json(profile_to_json(profile)) == profile
