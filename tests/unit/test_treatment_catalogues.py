"""The shipped device examples and protocol load, say they are examples, and a broken
file is refused with a message naming the file and the entry."""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D
from typing import Any

import pytest

from clinic_desk.catalogue_treatment import (
    example_devices,
    load_device_catalogue,
    load_protocol,
    protocol,
    read_exact_json,
)
from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.devices import DeviceKind, EnergyUnit
from clinic_desk.domain.protocol import ABSOLUTE_MAX_DEPTH_MM, ABSOLUTE_MIN_DEPTH_MM, Region
from clinic_desk.shipped import read_resource_text

DEVICES_TEXT = read_resource_text("devices", "example-devices.json")
PROTOCOL_TEXT = read_resource_text("protocol", "protocol-v1.json")

BRIEF_AREAS = {
    "forehead", "around_eyes", "nose", "cheeks", "around_mouth", "chin_jawline", "full_face",
    "neck", "decollete", "hands", "abdomen", "thighs", "scalp",
}
INDICATIONS = {
    "fine_lines", "scars", "pigmentation", "large_pores", "stretch_marks", "uneven_texture",
    "loose_skin", "hair_loss",
}


def devices_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DEVICES_TEXT)
    return raw


def protocol_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(PROTOCOL_TEXT)
    return raw


def load_devices(raw: dict[str, Any]) -> None:
    load_device_catalogue(json.dumps(raw), "example-devices.json")


def load_prot(raw: dict[str, Any]) -> None:
    load_protocol(json.dumps(raw), "protocol-v1.json")


# ---- example devices -------------------------------------------------------------


def test_example_devices_cover_rf_non_rf_and_a_roller() -> None:
    catalogue = example_devices()
    kinds = [d.profile.kind for d in catalogue.devices]
    assert DeviceKind.DERMA_ROLLER in kinds
    assert DeviceKind.MICRONEEDLING_PEN in kinds
    assert DeviceKind.AUTOMATED_DEVICE in kinds
    assert sum(d.profile.is_rf_capable for d in catalogue.devices) >= 2
    assert {d.profile.rf.energy_unit for d in catalogue.devices if d.profile.rf} == {
        EnergyUnit.LEVEL, EnergyUnit.WATT,
    }
    assert catalogue.version == 1


def test_every_example_says_it_is_an_example_and_to_edit_it() -> None:
    catalogue = example_devices()
    assert catalogue.notice.startswith("EXAMPLE PROFILES ONLY")
    assert "not the specification of any real device" in catalogue.notice
    for device in catalogue.devices:
        assert "example" in device.profile.model.casefold()
        assert "edit to match" in device.profile.model
        assert device.profile.serial_number == ""


def test_example_values_are_exact() -> None:
    pen = example_devices().device("example-pen").profile
    assert pen.depth_mm.step == D("0.25")
    assert pen.depth_mm.allows(D("0.75"))
    automated = example_devices().device("example-automated").profile
    assert automated.depth_mm.allows(D("0.3"))  # 0.2 + 0.1: exact, not a float
    assert any(c.nano for c in pen.cartridges)
    roller = example_devices().device("example-roller").profile
    assert roller.depth_mm.is_fixed and roller.roller_needle_count == 540
    with pytest.raises(KeyError):
        example_devices().device("nope")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["devices"][0].update(kind="laser"), "devices[0].kind"),
        (lambda r: r["devices"][0].update(model="Pen 3000"), "devices[0].model"),
        (lambda r: r["devices"][0]["depth_mm"].update(step=0.3), "devices[0].depth_mm.step"),
        (lambda r: r["devices"][0]["depth_mm"].update(min="a"), "devices[0].depth_mm.min"),
        (lambda r: r["devices"][1].update(key="example-pen"), "devices"),
        (lambda r: r["devices"][2]["rf"].update(energy_unit="J"), "devices[2].rf.energy_unit"),
        (lambda r: r["devices"][2]["rf"]["tips"][0].pop("insulated"),
         "devices[2].rf.tips[0].insulated"),
        (lambda r: r["devices"][4].update(rf=r["devices"][2]["rf"]), "devices[4].rf"),
        (lambda r: r["devices"][0].update(service_due_on="30/06/2026"),
         "devices[0].service_due_on"),
        (lambda r: r.update(devices=[]), "devices"),
        (lambda r: r.pop("notice"), "notice"),
        (lambda r: r["devices"][0]["cartridges"][0].update(needle_count="12"),
         "devices[0].cartridges[0].needle_count"),
    ],
)
def test_broken_device_catalogue_names_file_and_entry(change: Any, where: str) -> None:
    raw = copy.deepcopy(devices_raw())
    change(raw)
    with pytest.raises(CatalogueError) as caught:
        load_devices(raw)
    assert caught.value.where == f"example-devices.json: {where}"
    assert str(caught.value).startswith(f"example-devices.json: {where}: ")


def test_invalid_json_is_named() -> None:
    with pytest.raises(CatalogueError, match=r"^x.json: not valid JSON \(line 1"):
        read_exact_json("{", "x.json")
    with pytest.raises(CatalogueError, match=r"^x\.json: the file must hold one JSON object"):
        load_device_catalogue("[]", "x.json")


def test_exact_json_keeps_decimals() -> None:
    assert read_exact_json('{"a": 0.1}', "x") == {"a": D("0.1")}


# ---- protocol ----------------------------------------------------------------------


def test_protocol_has_the_briefs_areas_and_every_indication() -> None:
    p = protocol()
    keys = {a.key for a in p.areas}
    assert keys >= BRIEF_AREAS
    assert len(keys) > len(BRIEF_AREAS)  # and more (upper arms, back...)
    assert {i.key for i in p.indications} == INDICATIONS
    assert all(i.source.startswith("[") for i in p.indications)
    assert p.version == 1


def test_protocol_is_marked_as_example_values() -> None:
    p = protocol()
    assert p.example_values is True
    assert p.notice.startswith("EXAMPLE VALUES FOR REVIEW")
    for row in protocol_raw()["limits"].values():
        assert row["source"].startswith("EXAMPLE")


def test_every_pair_has_limits_or_is_not_offered_and_within_bounds() -> None:
    p = protocol()
    for area in p.areas:
        for indication in p.indications:
            limit = p.limit(area.key, indication.key)
            if limit is not None:
                assert ABSOLUTE_MIN_DEPTH_MM <= limit.default_mm <= limit.maximum_mm
                assert limit.maximum_mm <= ABSOLUTE_MAX_DEPTH_MM
    assert len(p.limits) == len(p.areas) * len(p.indications)


def test_fine_lines_are_shallower_than_scars_wherever_both_are_offered() -> None:
    p = protocol()
    for area in p.areas:
        fine, scars = p.limit(area.key, "fine_lines"), p.limit(area.key, "scars")
        if fine and scars:
            assert fine.default_mm < scars.default_mm, area.key


def test_protocol_lookups() -> None:
    p = protocol()
    assert p.limit("around_eyes", "fine_lines") is not None
    assert p.limit("scalp", "scars") is None
    assert [i.key for i in p.indications_for("scalp")] == ["hair_loss"]
    assert [a.key for a in p.areas_for("hair_loss")] == ["scalp"]
    assert p.area("scalp").region is Region.SCALP
    assert p.area("abdomen").region is Region.BODY
    assert p.area("around_eyes").region is Region.FACE
    assert p.indication("scars").label == "Acne and other scars"
    with pytest.raises(KeyError):
        p.limit("elbow", "scars")
    with pytest.raises(KeyError):
        p.area("elbow")
    with pytest.raises(KeyError):
        p.indication("tattoos")


def test_absolute_bounds() -> None:
    assert D("0.1") == ABSOLUTE_MIN_DEPTH_MM
    assert D(3) == ABSOLUTE_MAX_DEPTH_MM


def test_numbing_and_course_defaults_with_their_sources() -> None:
    p = protocol()
    assert (p.numbing.default_minutes, p.numbing.typical_min_minutes,
            p.numbing.typical_max_minutes, p.numbing.implausible_after_minutes) == (30, 10, 45, 180)
    assert set(protocol_raw()["numbing"]["sources"]) == {"[000]", "[003]", "[004]"}
    d = p.courses.default
    assert (d.planned_sessions, d.min_sessions, d.max_sessions) == (4, 3, 6)
    assert (d.interval_min_days, d.interval_max_days) == (28, 42)
    assert p.courses.maintenance_after_months == 12
    assert p.courses.for_indication("fine_lines").planned_sessions == 3
    assert p.courses.for_indication("scars").planned_sessions == 6
    assert p.courses.for_indication("hair_loss") == d
    assert set(protocol_raw()["courses"]["sources"]) == {"[000]", "[002]", "[003]", "[004]"}


def _cell(area: str, indication: str, default: object, maximum: object) -> Any:
    return lambda r: r["limits"][area].update({indication: {"default_mm": default,
                                                             "max_mm": maximum}})


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (_cell("cheeks", "scars", 1.5, 1.0), "limits.cheeks.scars.max_mm", "below the default"),
        (_cell("cheeks", "scars", 0.05, 1.0), "limits.cheeks.scars.default_mm", "outside"),
        (_cell("cheeks", "scars", 1.0, 3.5), "limits.cheeks.scars.max_mm", "outside"),
        (_cell("cheeks", "scars", "x", 3), "limits.cheeks.scars.default_mm", "not a number"),
        (lambda r: r["limits"]["cheeks"].pop("scars"), "limits.cheeks.scars", "is missing"),
        (lambda r: r["limits"]["cheeks"].update(scars="maybe"), "limits.cheeks.scars",
         "not offered"),
        (lambda r: r["limits"]["cheeks"].update(tattoos="not offered"), "limits.cheeks.tattoos",
         "not one of the indications"),
        (lambda r: r["limits"].update(elbow={}), "limits.elbow", "not one of the areas"),
        (lambda r: r["limits"].update(scalp={"hair_loss": "not offered"} | {
            k: "not offered" for k in INDICATIONS}), "limits.scalp", "offers no indication"),
        (lambda r: [row.update(hair_loss="not offered", scars={"default_mm": 1, "max_mm": 1})
                    for row in r["limits"].values()],
         "limits", "no area offers “hair_loss”"),
        (lambda r: r["areas"].append(r["areas"][0]), "areas", "appears twice"),
        (lambda r: r["areas"][0].update(region="arm"), "areas[0].region", "must be one of"),
        (lambda r: r["indications"][0].pop("source"), "indications[0].source", "is missing"),
        (lambda r: r.update(version=0), "version", "must be 1 or more"),
        (lambda r: r["numbing"].update(default_minutes=50), "numbing", "typical_min_minutes"),
        (lambda r: r["numbing"].update(typical_min_minutes=0), "numbing", "0 <"),
        (lambda r: r["numbing"].update(implausible_after_minutes=45), "numbing", "<"),
        (lambda r: r["courses"]["sessions"].update(planned=7), "courses.sessions", "planned"),
        (lambda r: r["courses"]["sessions"].update(min=0, planned=1), "courses.sessions", "1 <="),
        (lambda r: r["courses"]["sessions"].update(max=13), "courses.sessions", "<= 12"),
        (lambda r: r["courses"]["interval_weeks"].update(min=0), "courses.interval_weeks", "<="),
        (lambda r: r["courses"]["interval_weeks"].update(max=27), "courses.interval_weeks", "26"),
        (lambda r: r["courses"]["interval_weeks"].update(min=7), "courses.interval_weeks", "<="),
        (lambda r: r["courses"].update(maintenance_after_months=0),
         "courses.maintenance_after_months", "1 to 36"),
        (lambda r: r["courses"].update(maintenance_after_months=37),
         "courses.maintenance_after_months", "1 to 36"),
        (lambda r: r["courses"]["by_indication"].update(tattoos={}),
         "courses.by_indication.tattoos", "not one of the indications"),
        (lambda r: r["courses"]["by_indication"]["scars"]["sessions"].update(planned=8),
         "courses.by_indication.scars.sessions", "planned"),
    ],
)
def test_broken_protocol_names_file_and_entry(change: Any, where: str, problem: str) -> None:
    raw = copy.deepcopy(protocol_raw())
    change(raw)
    with pytest.raises(CatalogueError) as caught:
        load_prot(raw)
    assert caught.value.where == f"protocol-v1.json: {where}"
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    "change",
    [
        _cell("cheeks", "scars", 0.1, 0.1),
        _cell("cheeks", "scars", 3, 3),
        _cell("cheeks", "scars", 1.5, 1.5),
        lambda r: r["courses"]["interval_weeks"].update(min=1, max=26),
        lambda r: r["courses"]["sessions"].update(min=1, planned=1, max=12),
        lambda r: r["courses"].update(maintenance_after_months=36),
        lambda r: r["courses"].update(maintenance_after_months=1),
        lambda r: r["courses"].pop("by_indication"),
        lambda r: r["numbing"].update(typical_min_minutes=30, typical_max_minutes=30,
                                      implausible_after_minutes=31),
    ],
)
def test_protocol_edges_that_hold(change: Any) -> None:
    raw = copy.deepcopy(protocol_raw())
    change(raw)
    load_prot(raw)


def test_parsed_examples_keep_every_field() -> None:
    from clinic_desk.domain.devices import (
        Cartridge,
        DeviceProfile,
        RfCapability,
        RfTip,
        SettingRange,
    )

    catalogue = example_devices()
    assert catalogue.notice == devices_raw()["notice"]
    assert [d.key for d in catalogue.devices] == [
        "example-pen", "example-automated", "example-rf", "example-rf-watts", "example-roller",
    ]
    assert catalogue.device("example-rf-watts").profile == DeviceProfile(
        kind=DeviceKind.RF_MICRONEEDLING_DEVICE,
        make="Example",
        model="Example RF device set in watts (edit to match your device)",
        serial_number="",
        depth_mm=SettingRange(D("0.5"), D("3.0"), D("0.25")),
        speed_settings=("single pulse", "repeat"),
        cartridges=(Cartridge("rfw-cart-36", "36-pin RF cartridge", 36),),
        rf=RfCapability(
            EnergyUnit.WATT,
            SettingRange(D(5), D(40), D("0.5")),
            SettingRange(D(20), D(300)),
            (RfTip("tipw-36-insulated", "36-pin insulated tip", True, 36),),
        ),
        notes="Example values: replace them with your device's own.",
    )
    pen = catalogue.device("example-pen").profile
    assert pen.cartridges[-1] == Cartridge("pen-nano", "Nano cartridge", None, nano=True)
    assert pen.active is True and pen.service_due_on is None


def test_optional_device_fields_are_read() -> None:
    raw = copy.deepcopy(devices_raw())
    raw["devices"][0].update(serial_number="SN 7", active=False, service_due_on="2026-06-30")
    raw["devices"][2]["rf"]["tips"][0].pop("needle_count")
    raw["devices"][4].pop("notes")
    catalogue = load_device_catalogue(json.dumps(raw), "x.json")
    pen = catalogue.devices[0].profile
    assert (pen.serial_number, pen.active) == ("SN 7", False)
    assert pen.service_due_on is not None and pen.service_due_on.isoformat() == "2026-06-30"
    rf = catalogue.devices[2].profile.rf
    assert rf is not None and rf.tips[0].needle_count is None
    assert catalogue.devices[4].profile.notes == ""


def test_an_example_with_a_problem_is_refused_in_words() -> None:
    raw = copy.deepcopy(devices_raw())
    raw["devices"][0]["speed_settings"] = []
    with pytest.raises(CatalogueError) as caught:
        load_devices(raw)
    assert str(caught.value) == (
        "example-devices.json: devices[0].speed_settings: List the pen's speed settings."
    )
    raw = copy.deepcopy(devices_raw())
    raw["devices"][0]["kind"] = "laser"
    with pytest.raises(CatalogueError, match="must be one of derma_roller, microneedling_pen"):
        load_devices(raw)
    raw = copy.deepcopy(devices_raw())
    raw["devices"][2]["rf"]["energy_unit"] = "J"
    with pytest.raises(CatalogueError, match=r"must be one of level, W, mJ, %$"):
        load_devices(raw)


def test_parsed_protocol_keeps_every_field() -> None:
    from clinic_desk.domain.protocol import Area, DepthLimit, Indication

    p = protocol()
    assert p.notice == protocol_raw()["notice"]
    assert p.areas[0] == Area("forehead", "Forehead", Region.FACE)
    assert p.indications[-1] == Indication("hair_loss", "Hair loss (thinning hair)",
                                           "[000] [001] [003]")
    assert p.limit("cheeks", "scars") == DepthLimit(D("1.5"), D("2.0"))
    assert p.courses.by_indication["scars"].interval_min_days == 28
    with pytest.raises(KeyError, match="elbow"):
        p.area("elbow")
    with pytest.raises(KeyError, match="tattoos"):
        p.indication("tattoos")
    with pytest.raises(KeyError, match="nope"):
        example_devices().device("nope")
    raw = copy.deepcopy(protocol_raw())
    raw["areas"][0]["region"] = "arm"
    with pytest.raises(CatalogueError, match=r"must be one of face, body, scalp$"):
        load_prot(raw)


def test_indication_overrides_replace_only_the_blocks_they_give() -> None:
    raw = copy.deepcopy(protocol_raw())
    raw["courses"]["by_indication"]["hair_loss"] = {"interval_weeks": {"min": 4, "max": 4}}
    loaded = load_protocol(json.dumps(raw), "p.json")
    hair = loaded.courses.for_indication("hair_loss")
    assert (hair.interval_min_days, hair.interval_max_days) == (28, 28)
    assert (hair.planned_sessions, hair.min_sessions, hair.max_sessions) == (4, 3, 6)
    scars = loaded.courses.for_indication("scars")
    assert (scars.planned_sessions, scars.interval_max_days) == (6, 42)


def test_numbing_minimum_of_one_minute_holds() -> None:
    raw = copy.deepcopy(protocol_raw())
    raw["numbing"].update(typical_min_minutes=1)
    assert load_protocol(json.dumps(raw), "p.json").numbing.typical_min_minutes == 1
