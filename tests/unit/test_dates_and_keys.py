"""Dates in the clinic's format, and the search keys that make accents and order not matter."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.dates import DateFormat, format_date, parse_date
from clinic_desk.domain.search_keys import KeyRank, fold, patient_keys, query_terms


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        (DateFormat.DAY_MONTH_YEAR_SLASH, "05/03/1985"),
        (DateFormat.DAY_MONTH_YEAR_DOT, "05.03.1985"),
        (DateFormat.MONTH_DAY_YEAR, "03/05/1985"),
        (DateFormat.ISO, "1985-03-05"),
    ],
)
def test_dates_round_trip_in_every_format(fmt: DateFormat, shown: str) -> None:
    day = date(1985, 3, 5)
    assert format_date(day, fmt) == shown
    assert parse_date(shown, fmt) == day
    assert parse_date("1985-03-05", fmt) == day  # ISO is always understood


@pytest.mark.parametrize("text", ["31/02/1985", "1985", "12/03", "12/03/85", "ab/cd/efgh", ""])
def test_impossible_or_partial_dates_are_not_dates(text: str) -> None:
    assert parse_date(text, DateFormat.DAY_MONTH_YEAR_SLASH) is None


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Müller", "muller"),
        ("Zoë", "zoe"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Weiß", "weiss"),
        ("Nguyễn", "nguyen"),
        ("Ærin", "aerin"),
        ("İrem", "irem"),
    ],
)
def test_folding_removes_accents_and_spells_out_special_letters(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_keys_rank_the_first_family_name_first() -> None:
    keys = patient_keys(
        family_name="Bäcker-Müller",
        given_name="Zoë",
        preferred_name="Zo",
        phone="+33 6 12 34 56 78",
        patient_number="P-000123",
    )
    assert keys["backer"] == KeyRank.FAMILY_FIRST
    assert keys["baecker"] == KeyRank.FAMILY_FIRST
    assert keys["muller"] == keys["mueller"] == KeyRank.FAMILY_OTHER
    assert keys["zoe"] == KeyRank.GIVEN and keys["zo"] == KeyRank.PREFERRED
    assert keys["p000123"] == KeyRank.NUMBER
    # the national form of an international number, and any run of four digits
    assert keys["#0612345678"] == KeyRank.PHONE and keys["#5678"] == KeyRank.PHONE


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("  Müller   zoë ", ["muller", "zoe"]),
        ("06 12-34", ["#061234"]),
        ("(020) 7946 0018", ["#02079460018"]),
        ("P-000123", ["p000123"]),
        ("O'Brien", ["o", "brien"]),
        ("muller muller", ["muller"]),
    ],
)
def test_what_is_typed_becomes_prefix_terms(typed: str, terms: list[str]) -> None:
    assert query_terms(typed) == terms
