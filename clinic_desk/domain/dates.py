"""Dates as the clinic writes them (its chosen format), and reading them back."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from enum import StrEnum


class DateFormat(StrEnum):
    DAY_MONTH_YEAR_SLASH = "DD/MM/YYYY"
    DAY_MONTH_YEAR_DOT = "DD.MM.YYYY"
    MONTH_DAY_YEAR = "MM/DD/YYYY"
    ISO = "YYYY-MM-DD"


_PATTERN = re.compile(r"^\s*(\d{1,4})[./\-\s](\d{1,2})[./\-\s](\d{1,4})\s*$")


def format_date(day: date, fmt: DateFormat | str) -> str:
    match DateFormat(fmt):
        case DateFormat.DAY_MONTH_YEAR_SLASH:
            return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
        case DateFormat.DAY_MONTH_YEAR_DOT:
            return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
        case DateFormat.MONTH_DAY_YEAR:
            return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
        case DateFormat.ISO:
            return day.isoformat()


def format_moment(
    moment: datetime, zone: tzinfo, fmt: DateFormat | str, *, seconds: bool = False
) -> str:
    """A moment in the clinic's time, its date in the clinic's format: "22/11/2026, 10:00"."""
    local = moment.astimezone(zone)
    return f"{format_date(local.date(), fmt)}, {local:%H:%M:%S}" if seconds else (
        f"{format_date(local.date(), fmt)}, {local:%H:%M}")


def parse_date(text: str, fmt: DateFormat | str) -> date | None:
    """A full date typed in the clinic's order (any of / . - or space between), or in
    ISO order (year first); None when the text is not a real date."""
    found = _PATTERN.match(text)
    if not found:
        return None
    a, b, c = found.groups()
    try:
        if len(a) == 4:
            return date(int(a), int(b), int(c))
        if len(c) != 4:
            return None
        if DateFormat(fmt) is DateFormat.MONTH_DAY_YEAR:
            return date(int(c), int(a), int(b))
        return date(int(c), int(b), int(a))
    except ValueError:
        return None


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def relative_day(day: date, today: date) -> str:
    """How far a day is from today in words: "today", "yesterday", "in 3 days",
    "3 weeks ago", "2 months ago", "in 1 year"."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == -1:
        return "yesterday"
    if days == 1:
        return "tomorrow"
    span = abs(days)
    if span < 14:
        amount = _count(span, "day")
    elif span < 60:
        amount = _count(span // 7, "week")
    elif span < 730:
        amount = _count(round(span / 30.44), "month")
    else:
        amount = _count(span // 365, "year")
    return f"in {amount}" if days > 0 else f"{amount} ago"

