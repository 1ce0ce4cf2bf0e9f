"""Exact quantities: floats refused, three decimal places, exact steps, storage form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_desk.domain.quantities import (
    PLACES,
    QuantityError,
    exact,
    format_mm,
    format_quantity,
    from_thousandths,
    is_on_step,
    steps,
    to_thousandths,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0.5", Decimal("0.5")),
        (" 0,25 ", Decimal("0.25")),
        (2, Decimal(2)),
        (Decimal("1.125"), Decimal("1.125")),
        ("0.001", Decimal("0.001")),
        ("-1", Decimal(-1)),
    ],
)
def test_exact_reads_ints_decimals_and_typed_text(given: object, expected: Decimal) -> None:
    assert exact(given) == expected


@pytest.mark.parametrize(
    "given", [0.5, True, None, "abc", "", "NaN", "Infinity", "0.0005", Decimal("1.2345"), [1]]
)
def test_exact_refuses_floats_non_numbers_and_more_than_three_places(given: object) -> None:
    with pytest.raises(QuantityError):
        exact(given)


def test_the_float_refusal_says_to_write_text() -> None:
    with pytest.raises(QuantityError, match="write it as text"):
        exact(0.1)


def test_three_places_is_the_storage_resolution() -> None:
    assert PLACES == 3
    assert to_thousandths(Decimal("0.25")) == 250
    assert to_thousandths(Decimal("2.5")) == 2500
    assert to_thousandths(Decimal("0.001")) == 1
    assert from_thousandths(250) == Decimal("0.25")
    assert from_thousandths(3000) == Decimal(3)
    assert from_thousandths(1) == Decimal("0.001")


@pytest.mark.parametrize(
    ("value", "start", "step", "on"),
    [
        ("0.3", "0", "0.1", True),  # 0.1 + 0.2 != 0.3 in floats; exact here
        ("0.35", "0", "0.1", False),
        ("2.5", "0.25", "0.25", True),
        ("2.4", "0.25", "0.25", False),
        ("0.25", "0.25", "0.25", True),
        ("0.26", "0.25", "0.25", False),
        ("1.1", "0.2", "0.1", True),
    ],
)
def test_is_on_step_is_exact(value: str, start: str, step: str, on: bool) -> None:
    assert is_on_step(Decimal(value), Decimal(start), Decimal(step)) is on


def test_steps_lists_both_ends() -> None:
    assert steps(Decimal("0.25"), Decimal("1"), Decimal("0.25")) == (
        Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal("1"),
    )
    assert steps(Decimal("0.2"), Decimal("3.0"), Decimal("0.1"))[-1] == Decimal("3.0")
    assert len(steps(Decimal("0.2"), Decimal("3.0"), Decimal("0.1"))) == 29


@pytest.mark.parametrize(
    ("value", "text"),
    [("0.50", "0.5"), ("1.000", "1"), ("100", "100"), ("0.25", "0.25"), ("0", "0"), ("-0", "0")],
)
def test_format_writes_numbers_as_people_do(value: str, text: str) -> None:
    assert format_quantity(Decimal(value)) == text


def test_format_mm_adds_the_unit() -> None:
    assert format_mm(Decimal("1.50")) == "1.5 mm"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("abc", "“abc” is not a number"),
        ([1], "[1] is not a number"),
        ("NaN", "'NaN' is not a finite number"),
        ("0.0005", "0.0005 has more than 3 decimal places"),
    ],
)
def test_refusals_say_why(given: object, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        exact(given)
    assert str(caught.value) == message
