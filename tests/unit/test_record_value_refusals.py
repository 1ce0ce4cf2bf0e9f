"""A value that does not fit its record type's kind is refused naming the column, the
type given and the kind expected (the words an `audit verify` report shows)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic_desk.domain.record_hashes import (
    FieldKind,
    HashedRecordType,
    RecordCanonicalError,
    canonical_record,
)

THING = HashedRecordType(
    "thing",
    1,
    (
        ("id", FieldKind.INTEGER),
        ("name", FieldKind.TEXT),
        ("on", FieldKind.DATE),
        ("at", FieldKind.UTC_TIME),
        ("ok", FieldKind.BOOLEAN),
    ),
)
FINE: dict[str, object] = {"id": 1, "name": "a", "on": None, "at": None, "ok": None}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("id", True, "thing.id: bool is not a integer"),
        ("id", 1.0, "thing.id: float is not a integer"),
        ("name", 3, "thing.name: int is not a text"),
        ("on", datetime(2026, 1, 1, tzinfo=UTC), "thing.on: datetime is not a date"),
        ("at", datetime(2026, 1, 1), "thing.at: datetime is not a utc_time"),
        ("at", date(2026, 1, 1), "thing.at: date is not a utc_time"),
        ("ok", 1, "thing.ok: int is not a boolean"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_in_words(
    column: str, value: object, message: str
) -> None:
    with pytest.raises(RecordCanonicalError) as caught:
        canonical_record(THING, {**FINE, column: value})
    assert str(caught.value) == message


def test_the_fine_values_are_taken() -> None:
    assert (
        canonical_record(THING, FINE) == b'["clinic-desk-record","thing",1,[1,"a",null,null,null]]'
    )
