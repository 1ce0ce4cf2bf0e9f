"""Search keys written out in full (a key lost or added fails here), and relative days at
the edges where their wording changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_desk.domain.dates import DateFormat, format_date, parse_date, relative_day
from clinic_desk.domain.search_keys import (
    DIGIT_MARK,
    MAX_KEY_LENGTH,
    MIN_DIGIT_RUN,
    KeyRank,
    digit_keys,
    digits_of,
    fold,
    name_keys,
    patient_keys,
    query_terms,
    sort_key,
    words,
)


def test_constants_are_pinned() -> None:
    assert (DIGIT_MARK, MIN_DIGIT_RUN, MAX_KEY_LENGTH) == ("#", 4, 64)
    ranks = (KeyRank.FAMILY_FIRST, KeyRank.FAMILY_OTHER, KeyRank.GIVEN, KeyRank.PREFERRED,
             KeyRank.NUMBER, KeyRank.PHONE)  # fmt: skip
    assert ranks == (0, 1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("letter", "spelled"),
    [("Ł", "l"), ("đ", "d"), ("ð", "d"), ("Ø", "o"), ("ħ", "h"), ("ı", "i"), ("ŀ", "l"),
     ("ŧ", "t"), ("Æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("Þ", "th"), ("ĳ", "ij"),
     ("é", "e"), ("ﬁ", "fi")],
)  # fmt: skip
def test_every_special_letter_is_spelled_out(letter: str, spelled: str) -> None:
    assert fold(letter) == spelled


def test_words_digits_and_sort_keys() -> None:
    assert words("Dubois-Laurent_x  O’Neil 42") == ["dubois", "laurent", "x", "o", "neil", "42"]
    assert words("a" * 70) == ["a" * 64]
    assert digits_of("+33 (6) ١٢ 12") == "33612"
    assert sort_key("Müller", "Zoë") == "muller\x1fzoe"
    assert sort_key("m" * 100, "z" * 100) == ("m" * 100 + "\x1f" + "z" * 100)[:128]


def test_name_keys_keep_the_german_spelling_too() -> None:
    assert name_keys("Bäcker-Müller", "Zoë") == {"backer", "baecker", "muller", "mueller", "zoe"}
    assert name_keys("Dubois") == {"dubois"}
    assert name_keys("Öz") == {"oz", "oez"}


def test_digit_keys_are_every_tail_of_four_or_more() -> None:
    assert digit_keys("012-345") == {"#012345", "#12345", "#2345"}
    assert digit_keys("1234") == {"#1234"}
    assert digit_keys("123") == {"#123"}
    assert digit_keys("no digits", "") == set()
    assert digit_keys("+33 612") == {"#33612", "#3612", "#03612", "#0612", "#012"}
    assert digit_keys(" 0044 2079") == {
        "#00442079", "#0442079", "#442079", "#42079", "#2079", "#042079", "#02079", "#0079",
    }  # fmt: skip
    long = digit_keys("1" * 40)
    assert max(len(k) for k in long) == 33 and len(long) == 29


def test_patient_keys_in_full() -> None:
    keys = patient_keys(
        family_name="Bäcker-Müller", given_name="Zoë", preferred_name="Zo",
        phone="06 1234", patient_number="P-000123", phone_forms=("+3361234",),
    )  # fmt: skip
    assert keys == {
        "backer": 0, "baecker": 0, "muller": 1, "mueller": 1, "zoe": 2, "zo": 3,
        "p000123": 4, "#000123": 4, "#00123": 4, "#0123": 4,
        "#061234": 5, "#61234": 5, "#1234": 5,
        "#3361234": 5, "#361234": 5, "#0361234": 5, "#01234": 5,
    }  # fmt: skip


def test_a_key_shared_keeps_its_best_rank() -> None:
    keys = patient_keys(family_name="Anna", given_name="Anna", preferred_name="",
                        phone="", patient_number="")  # fmt: skip
    assert keys == {"anna": KeyRank.FAMILY_FIRST}


@pytest.mark.parametrize(
    ("typed", "terms"),
    [("", []), ("   ", []), ("zoë 06 12 müller", ["zoe", "#0612", "muller"]),
     ("ab12", ["ab12"]), ("P000123", ["p000123"]), ("ABCD-12", ["abcd", "#12"]),
     ("12ab", ["12ab"]), ("42", ["#42"]), ("x" * 70, ["x" * 64]),
     ("+33 (6) 12", ["#33612"]), ("zoe-42", ["zoe42"]), ("zoe_42", ["zoe", "#42"])],
)  # fmt: skip
def test_query_terms(typed: str, terms: list[str]) -> None:
    assert query_terms(typed) == terms


@pytest.mark.parametrize(
    ("days", "words_"),
    [(0, "today"), (-1, "yesterday"), (1, "tomorrow"), (2, "in 2 days"), (-13, "13 days ago"),
     (14, "in 2 weeks"), (-59, "8 weeks ago"), (60, "in 2 months"), (-61, "2 months ago"),
     (729, "in 24 months"), (730, "in 2 years"), (-365 * 3, "3 years ago"),
     (7 * 3, "in 3 weeks"), (20, "in 2 weeks"), (45, "in 6 weeks"), (400, "in 13 months")],
)  # fmt: skip
def test_relative_day_wording_at_its_edges(days: int, words_: str) -> None:
    today = date(2026, 11, 23)
    assert relative_day(today + timedelta(days=days), today) == words_


def test_one_of_each_unit_is_singular() -> None:
    today = date(2026, 11, 23)
    assert relative_day(today - timedelta(days=7 * 1 + 7), today) == "2 weeks ago"
    assert relative_day(today + timedelta(days=31 + 29), today) == "in 2 months"
    assert relative_day(today - timedelta(days=365 * 2 + 200), today) == "2 years ago"


def test_date_formats_and_reading_back() -> None:
    assert [f.value for f in DateFormat] == ["DD/MM/YYYY", "DD.MM.YYYY", "MM/DD/YYYY",
                                             "YYYY-MM-DD"]  # fmt: skip
    day = date(987, 3, 5)
    assert format_date(day, "DD/MM/YYYY") == "05/03/0987"
    assert format_date(day, "DD.MM.YYYY") == "05.03.0987"
    assert format_date(day, "MM/DD/YYYY") == "03/05/0987"
    assert parse_date(" 5-3-1985 ", "MM/DD/YYYY") == date(1985, 5, 3)
    assert parse_date("5 3 1985", "DD.MM.YYYY") == date(1985, 3, 5)
    assert parse_date("1985.3.5", "DD/MM/YYYY") == date(1985, 3, 5)
    assert parse_date("05/03/985", "DD/MM/YYYY") is None
    assert parse_date("1985/13/05", "DD/MM/YYYY") is None
    assert parse_date("13/05/1985", "MM/DD/YYYY") is None
