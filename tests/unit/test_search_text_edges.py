"""What a typed search is split into and what it carries to a new registration, at the
edges: six digits make a phone number and five do not, a family name with its comma and no
given name, a bad family name before a good given name, words after a patient number and
digit runs after words."""

from __future__ import annotations

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.search_carry import CarriedSearch, carried_search
from clinic_desk.domain.search_keys import query_terms

SLASH = DateFormat.DAY_MONTH_YEAR_SLASH


def test_six_digits_make_a_phone_number_five_do_not() -> None:
    assert carried_search("12 34 56", SLASH) == CarriedSearch(phone="12 34 56")
    assert carried_search("12 34 567", SLASH) == CarriedSearch(phone="12 34 567")
    assert carried_search("12 34 5", SLASH) == CarriedSearch()
    assert carried_search("+33 6 12", SLASH) == CarriedSearch()


def test_a_family_name_with_its_comma_and_no_given_name() -> None:
    assert carried_search("Ferreira,", SLASH) == CarriedSearch(family_name="Ferreira")
    assert carried_search("Ferreira, Ana", SLASH) == CarriedSearch(
        family_name="Ferreira", given_name="Ana"
    )


def test_a_family_name_that_is_not_a_name_carries_nothing_even_with_a_good_given_name() -> None:
    assert carried_search("X1, Ana", SLASH) == CarriedSearch()
    assert carried_search("Ferreira, Ana, Zoë", SLASH) == CarriedSearch()


def test_words_after_a_patient_number_and_digits_after_words_are_kept() -> None:
    assert query_terms("P-000123 Ana") == ["p000123", "ana"]
    assert query_terms("0612 Ana 3456") == ["#0612", "ana", "#3456"]
    assert query_terms("06 12-34 Müller 78") == ["#061234", "muller", "#78"]
    assert query_terms("   ") == []
