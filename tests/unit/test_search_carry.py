"""What a search that found nobody carries into the registration form."""

from __future__ import annotations

import pytest

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.search_carry import CarriedSearch, carried_search

SLASH = DateFormat.DAY_MONTH_YEAR_SLASH


@pytest.mark.parametrize(("typed", "expected"), [
    ("Ferreira", CarriedSearch(family_name="Ferreira")),
    ("  ferreira  ", CarriedSearch(family_name="ferreira")),
    ("Ana Ferreira", CarriedSearch(given_name="Ana", family_name="Ferreira")),
    ("Maria de la Fuente", CarriedSearch(given_name="Maria", family_name="de la Fuente")),
    ("Ferreira, Ana", CarriedSearch(family_name="Ferreira", given_name="Ana")),
    ("Zoë Ångström-Müller", CarriedSearch(given_name="Zoë", family_name="Ångström-Müller")),
    ("O'Brien", CarriedSearch(family_name="O'Brien")),
    ("+351 912 345 678", CarriedSearch(phone="+351 912 345 678")),
    ("(020) 7946-0018", CarriedSearch(phone="(020) 7946-0018")),
    ("19/08/1977", CarriedSearch(date_of_birth="19/08/1977")),
    ("19.8.1977", CarriedSearch(date_of_birth="19/08/1977")),
    ("1977-08-19", CarriedSearch(date_of_birth="19/08/1977")),
    # not carried: a patient number, a few digits, a mix, nothing
    ("P-000123", CarriedSearch()),
    ("123", CarriedSearch()),
    ("Ferreira 2", CarriedSearch()),
    ("31/02/1977", CarriedSearch()),
    ("", CarriedSearch()),
    ("   ", CarriedSearch()),
])
def test_a_search_text_goes_to_the_field_it_reads_as(typed: str, expected: CarriedSearch) -> None:
    assert carried_search(typed, SLASH) == expected


def test_a_date_is_written_in_the_clinic_order() -> None:
    carried = carried_search("08/19/1977", DateFormat.MONTH_DAY_YEAR)
    assert carried.date_of_birth == "08/19/1977"
    assert carried_search("1977-08-19", DateFormat.ISO).date_of_birth == "1977-08-19"
    assert not carried.is_empty() and CarriedSearch().is_empty()
