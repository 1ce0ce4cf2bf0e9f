"""A moment shown in the clinic's time zone and date format, with or without seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from clinic_desk.domain.dates import DateFormat, format_moment

PARIS_WINTER = timezone(timedelta(hours=1))
MOMENT = datetime(2026, 11, 22, 23, 30, 5, tzinfo=UTC)  # already the 23rd in Paris


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        (DateFormat.DAY_MONTH_YEAR_SLASH, "23/11/2026, 00:30"),
        (DateFormat.DAY_MONTH_YEAR_DOT, "23.11.2026, 00:30"),
        (DateFormat.MONTH_DAY_YEAR, "11/23/2026, 00:30"),
        ("YYYY-MM-DD", "2026-11-23, 00:30"),
    ],
)
def test_a_moment_in_the_clinic_zone_and_format(fmt: DateFormat | str, shown: str) -> None:
    assert format_moment(MOMENT, PARIS_WINTER, fmt) == shown


def test_seconds_are_shown_only_when_asked() -> None:
    assert format_moment(MOMENT, PARIS_WINTER, DateFormat.ISO, seconds=True) == (
        "2026-11-23, 00:30:05"
    )
    assert format_moment(MOMENT, UTC, DateFormat.ISO, seconds=False) == "2026-11-22, 23:30"
    assert format_moment(MOMENT, UTC, DateFormat.ISO) == "2026-11-22, 23:30"
