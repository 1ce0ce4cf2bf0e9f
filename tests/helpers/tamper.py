"""What a hostile tester with full database access does: drop the guards, cut the log,
forge entries with correct hashes, rewrite the chain, edit rows behind the app's back.

Works on both engines through a plain SQLAlchemy engine of its own (PostgreSQL: as the
superuser the tests connect as, which may disable triggers like the schema's owner).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, text

from clinic_desk.domain.audit_chain import AuditFields, entry_hash
from clinic_desk.storage.audit_log import stored_entry


def intruder_engine(url: str) -> Engine:
    """A connection like an intruder's shell: none of the app's settings (SQLite: no
    recursive_triggers, no foreign keys)."""
    return create_engine(url)


@contextmanager
def without_guards(url: str) -> Iterator[Connection]:
    """A transaction in which no guard trigger runs (dropped on SQLite, disabled on
    PostgreSQL), put back at the end as a careful intruder would."""
    engine = intruder_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                triggers = conn.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                ).all()
                for name, _ in triggers:
                    conn.execute(text(f'DROP TRIGGER "{name}"'))
                yield conn
                for _, sql in triggers:
                    conn.execute(text(sql))
            else:
                tables = _tables(conn)
                for table in tables:
                    conn.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
                yield conn
                for table in tables:
                    conn.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
    finally:
        engine.dispose()


def _tables(conn: Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    ]


def entries(conn: Connection) -> list[AuditFields]:
    rows = conn.execute(text("SELECT * FROM audit_entry ORDER BY seq")).all()
    return [stored_entry(r).fields for r in rows]


def set_head(conn: Connection, seq: int, digest: str) -> None:
    conn.execute(
        text("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1"),
        {"s": seq, "h": digest},
    )


def cut_tail(conn: Connection, keep: int) -> None:
    """Delete every entry after `keep` (and what they vouch for) and rewind the head."""
    conn.execute(text("DELETE FROM audit_record WHERE seq > :k"), {"k": keep})
    conn.execute(text("DELETE FROM audit_entry WHERE seq > :k"), {"k": keep})
    last = conn.execute(text("SELECT entry_hash FROM audit_entry WHERE seq = :k"), {"k": keep})
    set_head(conn, keep, last.scalar_one())


def insert_entry(conn: Connection, fields: AuditFields) -> str:
    digest = entry_hash(fields)
    values = dataclasses.asdict(fields) | {"entry_hash": digest}
    columns = ", ".join(values)
    conn.execute(
        text(f"INSERT INTO audit_entry ({columns}) VALUES ({', '.join(':' + c for c in values)})"),
        values,
    )
    return digest


def forge_next(conn: Connection, **changes: object) -> AuditFields:
    """An entry after the last one with a correct hash, as the published scheme says."""
    last = entries(conn)[-1]
    defaults: dict[str, object] = {
        "seq": last.seq + 1,
        "prev_hash": conn.execute(text("SELECT last_hash FROM audit_head")).scalar_one(),
        "records_digest": "",
    }
    return dataclasses.replace(last, **(defaults | changes))  # type: ignore[arg-type]


def rewrite_from(conn: Connection, seq: int, **changes: object) -> None:
    """Change entry `seq` and recompute every hash from there on, head included: a chain
    that verifies on its own."""
    chain = entries(conn)
    prev = chain[seq - 2].prev_hash if seq > 1 else "0" * 64
    prev = entry_hash(chain[seq - 2]) if seq > 1 else prev
    for fields in chain[seq - 1 :]:
        if fields.seq == seq:
            fields = dataclasses.replace(fields, **changes)  # type: ignore[arg-type]
        fields = dataclasses.replace(fields, prev_hash=prev)
        digest = entry_hash(fields)
        conn.execute(
            text(
                "UPDATE audit_entry SET detail = :d, workstation = :w, prev_hash = :p, "
                "entry_hash = :h WHERE seq = :s"
            ),
            {"d": fields.detail, "w": fields.workstation, "p": prev, "h": digest,
             "s": fields.seq},
        )
        prev = digest
    set_head(conn, chain[-1].seq, prev)
