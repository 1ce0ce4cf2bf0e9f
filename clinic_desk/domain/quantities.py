"""Exact quantities for device settings: needle depth in mm, RF energy, pulse duration.

Why `Decimal` and not float or integer micrometres: the clinic reads, types and prints
"0.25 mm", so the values keep that unit and that spelling; `Decimal` makes the step
check exact (0.3 is on a 0.1 step, which floats get wrong), and a float never gets in
(it is refused here, and the catalogues are read with `parse_float=Decimal`).
Every quantity has at most `PLACES` decimal places, so storage can keep it exactly as
an integer count of thousandths (micrometres for mm) on both engines: SQLite has no
exact decimal type and keeps NUMERIC values as binary floats.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PLACES = 3
THOUSANDTHS = 1000
_QUANTUM = Decimal(1).scaleb(-PLACES)


class QuantityError(ValueError):
    """A value that is not an exact, finite number with at most three decimal places."""


def exact(value: object) -> Decimal:
    """A finite Decimal from an int, a Decimal or the text a person typed ("0,5" too).

    Floats are refused: their binary value is not the number that was written.
    """
    if isinstance(value, (bool, float)):
        raise QuantityError(f"{value!r} is not an exact number: write it as text, e.g. '0.5'")
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise QuantityError(f"“{value}” is not a number") from None
    else:
        raise QuantityError(f"{value!r} is not a number")
    if not result.is_finite():
        raise QuantityError(f"{value!r} is not a finite number")
    if result != result.quantize(_QUANTUM):
        raise QuantityError(f"{value} has more than {PLACES} decimal places")
    return result


def is_on_step(value: Decimal, start: Decimal, step: Decimal) -> bool:
    """True when `value` is `start` plus a whole number of `step`s (exact)."""
    return (value - start) % step == 0


def steps(start: Decimal, stop: Decimal, step: Decimal) -> tuple[Decimal, ...]:
    """Every value from `start` to `stop` (both included) on `step`."""
    count = int((stop - start) / step)
    return tuple(start + step * i for i in range(count + 1))


def to_thousandths(value: Decimal) -> int:
    """For storage: 0.25 mm becomes 250 (micrometres)."""
    return int(exact(value) * THOUSANDTHS)


def from_thousandths(count: int) -> Decimal:
    return Decimal(count).scaleb(-PLACES)


def format_quantity(value: Decimal) -> str:
    """As a person writes it: 0.5, 1, 1.25 (never 5E-1 or 1.000)."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def format_mm(value: Decimal) -> str:
    return f"{format_quantity(value)} mm"
