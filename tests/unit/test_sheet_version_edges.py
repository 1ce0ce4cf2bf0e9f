"""A care sheet template's version: 1 is the first allowed, 0, a negative number, a text
or true are refused in words."""

from __future__ import annotations

import pytest

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.sheet_template import parse_sheet_template

SHEET = """+++
kind = "aftercare"
version = VERSION
title = "T"
phases = [{ key = "day", label = "Day" }]

[sections.a]
phase = "day"
source = "[000]"
+++

## First {#a}

One line.
"""


@pytest.mark.parametrize("version", [1, 2])
def test_version_one_and_up_are_taken(version: int) -> None:
    assert parse_sheet_template(SHEET.replace("VERSION", str(version))).version == version


@pytest.mark.parametrize("written", ["0", "-1", '"1"', "true", "1.0"])
def test_other_versions_are_refused(written: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_sheet_template(SHEET.replace("VERSION", written))
    assert str(caught.value) == "version: must be a whole number from 1"
