"""The search box's limits at their edges, on both engines: six search terms are used and
the seventh ignored, the text is cut after 384 characters (six terms of 64), and the hint
for text with nothing to search by, word for word."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.patients import PatientDetails
from tests.helpers.clinic import SeededClinic, seed_clinic

HINT = "Type part of a name, a phone number, a birth date or a patient number."


@pytest.fixture
def clinic(core: ClinicDesk) -> SeededClinic:
    clinic = seed_clinic(core)
    core.patients.register(
        clinic.reception, PatientDetails("Nowak", "Anna", date(1985, 3, 12), "600 100 200")
    )
    return clinic


def found(core: ClinicDesk, clinic: SeededClinic, typed: str) -> list[str]:
    page = core.patients.search(clinic.reception, typed)
    assert page.hint is None
    return [r.display_name for r in page.rows]


def test_six_search_terms_are_used(core: ClinicDesk, clinic: SeededClinic) -> None:
    # Each of "n" … "nowak" is a prefix of the name: a sixth term that matches nothing
    # is still looked for.
    assert found(core, clinic, "n no now nowa nowak") == ["Nowak, Anna"]
    assert found(core, clinic, "n no now nowa nowak q") == []


def test_a_seventh_search_term_is_ignored(core: ClinicDesk, clinic: SeededClinic) -> None:
    assert found(core, clinic, "n no now nowa nowak a q") == ["Nowak, Anna"]


def test_what_is_typed_is_read_up_to_384_characters(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    on_the_edge = "nowak" + " " * 378 + "q"  # the q is the 384th character
    assert len(on_the_edge) == 384
    assert found(core, clinic, on_the_edge) == []
    one_past = "nowak" + " " * 379 + "q"  # the q is the 385th: cut off
    assert found(core, clinic, one_past) == ["Nowak, Anna"]


@pytest.mark.parametrize("typed", ["--//..", "-", "( )", "+"])
def test_text_with_nothing_to_search_by_gets_the_hint(
    core: ClinicDesk, clinic: SeededClinic, typed: str
) -> None:
    page = core.patients.search(clinic.reception, typed)
    assert (page.rows, page.next_cursor, page.hint) == ((), None, HINT)


def test_a_stray_character_is_named_in_the_hint(core: ClinicDesk, clinic: SeededClinic) -> None:
    page = core.patients.search(clinic.reception, "nowak %")
    assert (page.rows, page.next_cursor) == ((), None)
    assert page.hint == "No name, phone or patient number contains “%”."


def test_a_search_by_birth_date_alone_pages_on(core: ClinicDesk, clinic: SeededClinic) -> None:
    for number, family in enumerate(("Kowalska", "Lis", "Wójcik")):
        core.patients.register(
            clinic.reception,
            PatientDetails(family, "Ola", date(1985, 3, 12), f"600 200 30{number}"),
        )
    first = core.patients.search(clinic.reception, "1985-03-12", limit=2)
    assert [r.family_name for r in first.rows] == ["Kowalska", "Lis"]
    assert first.next_cursor is not None
    rest = core.patients.search(clinic.reception, "1985-03-12", limit=2,
                                after=first.next_cursor)
    assert ([r.family_name for r in rest.rows], rest.next_cursor) == (["Nowak", "Wójcik"], None)
