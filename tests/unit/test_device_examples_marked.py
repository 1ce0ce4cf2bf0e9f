"""Every shipped device profile must say it is an example in its model name (any case):
one that does not is refused in words naming the entry."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.device_catalogue import EXAMPLE_MARK, parse_device_catalogue
from clinic_desk.shipped import read_resource_text

RAW: dict[str, Any] = json.loads(
    read_resource_text("devices", "example-devices.json"), parse_float=str
)


def test_the_mark_and_any_case_of_it() -> None:
    assert EXAMPLE_MARK == "example"
    raw = copy.deepcopy(RAW)
    raw["devices"][0]["model"] = "EXAMPLE pen"
    assert parse_device_catalogue(raw).devices[0].profile.model == "EXAMPLE pen"


def test_a_profile_that_does_not_say_example_is_refused() -> None:
    raw = copy.deepcopy(RAW)
    raw["devices"][0]["model"] = "Pen 3000"
    with pytest.raises(CatalogueError) as caught:
        parse_device_catalogue(raw)
    assert str(caught.value) == (
        "devices[0].model: an example profile must say “example” in its model name"
    )


def test_a_device_is_active_unless_the_catalogue_says_otherwise() -> None:
    raw = copy.deepcopy(RAW)
    raw["devices"][0].pop("active", None)
    raw["devices"][1]["active"] = False
    catalogue = parse_device_catalogue(raw)
    assert catalogue.devices[0].profile.active is True
    assert catalogue.devices[1].profile.active is False
    assert catalogue.version == RAW["version"] and catalogue.notice == RAW["notice"]


def test_an_empty_catalogue_is_refused_in_words() -> None:
    raw = copy.deepcopy(RAW)
    raw["devices"] = []
    with pytest.raises(CatalogueError) as caught:
        parse_device_catalogue(raw)
    assert str(caught.value) == "devices: the catalogue lists no device"
