"""A care sheet's phases refused in exact words, naming the entry: an item that is not a
table, a phase without its key, a key given twice."""

from __future__ import annotations

import pytest

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.sheet_template import parse_sheet_template

SHEET = """+++
kind = "aftercare"
version = 1
title = "T"
PHASES

[sections.a]
phase = "day"
source = "[000]"
+++

## First {#a}

One line.
"""


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (
            'phases = [{ key = "day", label = "Day" }, "week"]',
            "phases[1]: must be a table with key and label",
        ),
        ('phases = [{ label = "Day" }]', "phases[0].key: must be a non-empty text"),
        ('phases = [{ key = "day", label = " " }]', "phases[0].label: must be a non-empty text"),
        (
            'phases = [{ key = "day", label = "Day" }, { key = "day", label = "Again" }]',
            "phases: each phase key may appear once",
        ),
        ("phases = []", "phases: must list the timeline's phases in order"),
    ],
)
def test_a_bad_phase_is_refused_naming_it(phases: str, message: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_sheet_template(SHEET.replace("PHASES", phases))
    assert str(caught.value) == message
    assert caught.value.where == message.split(": ")[0]
