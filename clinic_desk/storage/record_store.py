"""Reading hashed clinical records as plain values, the same way when writing and checking.

The columns come from the record type's declaration in `domain.record_hashes`, not from
the ORM models, so that a migration can seal rows with the formats of its own time and
a later column does not change what an old hash covered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Integer,
    TableClause,
    Text,
    column,
    insert,
    select,
    table,
)
from sqlalchemy.types import TypeEngine

from clinic_desk.domain.record_hashes import (
    FieldKind,
    HashedRecordType,
    RecordLink,
    RecordTypes,
    record_hash,
)
from clinic_desk.storage.models import UtcDateTime

RecordRef = tuple[str, int]
CHUNK = 500

_TYPES: dict[FieldKind, TypeEngine[Any]] = {
    FieldKind.INTEGER: Integer(),
    FieldKind.TEXT: Text(),
    FieldKind.BOOLEAN: Boolean(),
    FieldKind.DATE: Date(),
    FieldKind.UTC_TIME: UtcDateTime(),
}


def record_table(record_type: HashedRecordType) -> TableClause:
    return table(
        record_type.name, *(column(name, _TYPES[kind]) for name, kind in record_type.fields)
    )


def read_records(
    conn: Connection, record_type: HashedRecordType, ids: Sequence[int]
) -> dict[int, dict[str, object]]:
    """The rows with these ids, as {column: value}; missing ids are absent."""
    t = record_table(record_type)
    found: dict[int, dict[str, object]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        for row in conn.execute(select(t).where(t.c.id.in_(chunk))).mappings():
            found[int(row["id"])] = dict(row)
    return found


def stream_records(
    conn: Connection, record_type: HashedRecordType, *, batch: int = 2000
) -> Iterator[dict[str, object]]:
    """Every row of the type's table in id order, in batches."""
    t = record_table(record_type)
    last = 0
    while True:
        rows = conn.execute(select(t).where(t.c.id > last).order_by(t.c.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield dict(row._mapping)
        last = int(rows[-1]._mapping["id"])


def hash_records(
    conn: Connection, types: RecordTypes, refs: Sequence[RecordRef]
) -> list[RecordLink]:
    """Each named row's current hash; a name that is not a registered type, or a row that
    does not exist, is a programming error (the caller has just written it)."""
    by_type: dict[str, list[int]] = {}
    for name, record_id in refs:
        by_type.setdefault(name, []).append(record_id)
    links: list[RecordLink] = []
    for name, ids in by_type.items():
        record_type = types.current(name)
        rows = read_records(conn, record_type, ids)
        missing = sorted(set(ids) - rows.keys())
        if missing:
            raise LookupError(f"{name} rows {missing[:5]} do not exist")
        links.extend(
            RecordLink(name, record_id, record_type.format, record_hash(record_type, values))
            for record_id, values in rows.items()
        )
    return sorted(links)


def links_for_all(conn: Connection, record_type: HashedRecordType) -> Iterator[RecordLink]:
    """A link for every row of the type's table (sealing rows written before hashing)."""
    for values in stream_records(conn, record_type):
        yield RecordLink(
            record_type.name,
            int(values["id"]),  # type: ignore[call-overload]
            record_type.format,
            record_hash(record_type, values),
        )


_AUDIT_RECORD = table(
    "audit_record",
    column("seq", Integer()),
    column("record_type", Text()),
    column("record_id", Integer()),
    column("record_format", Integer()),
    column("record_hash", Text()),
)


def store_links(conn: Connection, seq: int, links: Sequence[RecordLink]) -> None:
    rows = [
        {
            "seq": seq,
            "record_type": link.record_type,
            "record_id": link.record_id,
            "record_format": link.record_format,
            "record_hash": link.record_hash,
        }
        for link in links
    ]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(_AUDIT_RECORD), rows[start : start + 5000])
