"""`clinic-desk db upgrade` from every earlier schema revision, on a database holding a
demo clinic, on SQLite and PostgreSQL: every row is kept and the audit chain verifies.

The revisions come from the migrations folder (Alembic's script directory), so a new
migration is covered by adding it. For each earlier revision R:

1. a demo clinic is made at the newest revision (`clinic-desk demo --patients N`, the
   installed command), once per session, as the source of realistic rows;
2. a new database is brought to R by Alembic, and the source's rows are copied into the
   tables and columns R has, in foreign-key order; what R has and the newest schema does
   not is derived (BACKFILL). The audit log is rewritten in the hash format R knew
   (format 1 before `hash_format` existed), each entry chained to the one before, so the
   database at R is one that the software of R could have written;
3. the installed `clinic-desk db upgrade` runs; then every copied row is still there
   (primary keys), every copied audit entry keeps its hash, and `clinic-desk audit
   verify` passes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, MetaData, Table, func, inspect, select, text

from clinic_desk.domain.audit_chain import GENESIS_HASH, AuditFields, entry_hash
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.models import Base
from clinic_desk.storage.schema import head_revision, upgrade_to
from tests.cli.support import CliRunner

DEMO_PATIENTS = 12
ROLE_PRIVILEGE = {"administrator": 3, "practitioner": 2, "reception": 1}


def _revisions_from_the_migrations_folder() -> list[str]:
    from alembic.script import ScriptDirectory

    folder = resources.files("clinic_desk.storage") / "migrations"
    script = ScriptDirectory(str(folder))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


REVISIONS = _revisions_from_the_migrations_folder()
EARLIER = REVISIONS[:-1]


def _most_privileged_role(source: Connection, row: Mapping[str, Any]) -> str:
    roles = source.execute(
        text("SELECT role FROM staff_role WHERE staff_id = :id"), {"id": row["id"]}
    ).scalars().all()
    return str(max(roles, key=lambda r: ROLE_PRIVILEGE.get(r, 0)))


# Columns an earlier revision has and the newest schema dropped: how to derive them from
# the newest rows. A migration that drops a NOT NULL column adds its line here (the test
# names the column it cannot fill).
BACKFILL: dict[tuple[str, str], Callable[[Connection, Mapping[str, Any]], Any]] = {
    ("staff_account", "role"): _most_privileged_role,
}
# Kept by the target database itself (its head, its own identity), or rewritten below.
NOT_COPIED = {"alembic_version", "audit_head", "database_identity"}


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A demo clinic at the newest revision, made by the installed command."""
    import subprocess

    from tests.cli.support import installed_command

    folder = tmp_path_factory.mktemp("demo-source")
    path = folder / "demo.sqlite3"
    done = subprocess.run(
        [installed_command(), "--database", f"sqlite:///{path}", "demo",
         "--patients", str(DEMO_PATIENTS)],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
        env={"PATH": "/usr/bin:/bin", "CLINIC_DESK_DATA_DIR": str(folder),
             "CLINIC_DESK_WORKSTATION": "demo-source", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    engine = create_clinic_engine(parse_location(f"sqlite:///{path}"))
    yield engine
    engine.dispose()


def _audit_rows_for(revision_columns: set[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest audit entries rewritten as an earlier revision stored them."""
    if "hash_format" in revision_columns:
        return rows  # the same format then as now
    previous, rewritten = GENESIS_HASH, []
    for row in rows:
        fields = AuditFields(
            **{f.name: row[f.name] for f in dataclasses.fields(AuditFields)
               if f.name not in ("prev_hash", "records_digest", "hash_format")},
            prev_hash=previous, records_digest="", hash_format=1,
        )
        previous = entry_hash(fields)
        rewritten.append(row | {"prev_hash": fields.prev_hash, "entry_hash": previous})
    return rewritten


def _copy_demo_into(source: Engine, target: Engine) -> dict[str, list[dict[str, Any]]]:
    """Copies the demo into the (older) schema of `target`; returns what it copied."""
    old = MetaData()
    old.reflect(target)
    newest = Base.metadata
    copied: dict[str, list[dict[str, Any]]] = {}
    with source.connect() as src, target.begin() as dst:
        for table in old.sorted_tables:
            if table.name in NOT_COPIED or table.name not in newest.tables:
                continue
            new_table: Table = newest.tables[table.name]
            order = [c for c in new_table.primary_key.columns]
            rows = [dict(r._mapping) for r in src.execute(select(new_table).order_by(*order))]
            if not rows:
                continue
            columns = {c.name for c in table.columns}
            kept = []
            for row in rows:
                values = {k: v for k, v in row.items() if k in columns}
                for column in table.columns:
                    if column.name in values:
                        continue
                    fill = BACKFILL.get((table.name, column.name))
                    if fill is not None:
                        values[column.name] = fill(src, row)
                    elif not column.nullable and column.server_default is None:
                        pytest.fail(f"revision's {table.name}.{column.name} has no value: "
                                    "add it to BACKFILL")
                kept.append(values)
            if table.name == "audit_entry" and "hash_format" not in columns:
                # Before revision 0005 the software moved the head itself, one entry at a
                # time (the database lets it move only forward by one).
                kept = _audit_rows_for(columns, kept)
                for entry in kept:
                    dst.execute(table.insert(), entry)
                    dst.execute(
                        text("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1"),
                        {"s": entry["seq"], "h": entry["entry_hash"]},
                    )
            else:
                dst.execute(table.insert(), kept)
            copied[table.name] = kept
        if dst.dialect.name == "postgresql":
            for name, table in old.tables.items():
                if name in copied and "id" in table.columns and table.columns["id"].autoincrement:
                    dst.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    ))
    return copied


def _copy_newer_tables(source: Engine, location: Any, had: set[str]) -> None:
    target = create_clinic_engine(location)
    try:
        with source.connect() as src, target.begin() as dst:
            for table in Base.metadata.sorted_tables:
                if table.name in had or table.name in NOT_COPIED:
                    continue
                if dst.scalar(select(func.count()).select_from(table)):
                    continue  # filled by its migration from the older rows (staff_role)
                rows = [dict(r._mapping) for r in src.execute(select(table))]
                if rows:
                    dst.execute(table.insert(), rows)
    finally:
        target.dispose()


def _primary_keys(table: Table, rows: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    names = [c.name for c in table.primary_key.columns]
    return {tuple(r[n] for n in names) for r in rows}


@pytest.mark.slow
@pytest.mark.parametrize("revision", EARLIER)
def test_upgrade_from_an_earlier_revision_keeps_every_row_and_the_chain(
    demo_source: Engine, database_url: str, run_cli: CliRunner, revision: str
) -> None:
    location = parse_location(database_url)
    target = create_clinic_engine(location)
    try:
        upgrade_to(target, revision)
        tables_at_revision = set(inspect(target).get_table_names())
        copied = _copy_demo_into(demo_source, target)
    finally:
        target.dispose()
    if "patient" in tables_at_revision:
        assert copied.get("patient"), "the demo's patients are in"
    assert copied.get("audit_entry"), "the demo holds an audit log"

    upgrade = run_cli("--database", database_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"from revision {revision} to {head_revision()}" in upgrade.stdout

    engine = create_clinic_engine(location)
    try:
        now = MetaData()
        now.reflect(engine)
        with engine.connect() as conn:
            for name, rows in copied.items():
                table = now.tables[name]
                stored = [dict(r._mapping) for r in conn.execute(select(table))]
                assert _primary_keys(table, rows) <= _primary_keys(table, stored), name
                count = conn.scalar(select(func.count()).select_from(table))
                assert count is not None and count >= len(rows), name
            hashes: dict[int, str] = dict(
                conn.execute(text("SELECT seq, entry_hash FROM audit_entry")).all()
            )
        assert all(hashes[e["seq"]] == e["entry_hash"] for e in copied["audit_entry"])
    finally:
        engine.dispose()

    # Rows of tables revision R did not have yet (consents, appointments...) were left out
    # above, yet the demo's audit log vouches for them: copy them in now that the upgrade
    # made their tables, as the newer software would have written them. Before 0005 the
    # log vouched for no record (format 1, no links): such rows could not have been
    # written by that software, and copying links in now would alter sealed entries.
    if "audit_record" in tables_at_revision:
        _copy_newer_tables(demo_source, location, tables_at_revision)
    verify = run_cli("--database", database_url, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_every_revision_of_the_folder_is_covered() -> None:
    assert REVISIONS[-1] == head_revision()
    assert EARLIER and EARLIER[0] == "0001"
    assert len(set(REVISIONS)) == len(REVISIONS)
