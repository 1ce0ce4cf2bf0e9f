"""The audit chain vouches for the clinical records; guards nobody's connection side-steps.

- audit_entry gains `hash_format` (1 for every entry written before, 2 from now on) and
  `records_digest`; audit_record holds, per clinical row, the entry and the row's hash.
- database_identity: a random id by which workstations and anchors know this database.
- The database checks that a new audit entry follows the head and moves the head itself,
  so workstations never need to update audit_head.
- Every history table refuses UPDATE, DELETE, TRUNCATE (PostgreSQL) and, on SQLite, an
  INSERT that would replace a row (REPLACE), whatever the connection's settings.
- Rows written before this revision are sealed: one audit entry, "records.sealed",
  vouches for each with its hash. It cannot vouch for what happened to them before the
  upgrade; from here on, any change is named.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from clinic_desk.domain.record_hashes import RECORD_TYPES
from clinic_desk.storage.audit_log import AuditEvent, append_entry, utc_stamp
from clinic_desk.storage.record_store import links_for_all

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_AUDIT = "the audit log is append-only"
_HISTORY = "clinical history is append-only"
# The history tables this revision seals, each in the record format of this revision.
_SEALED = (
    ("patient_revision", 1),
    ("intake_record", 1),
    ("screening_clearance", 1),
    ("clearance_revocation", 1),
)
# Tables whose rows never change: unique keys an INSERT OR REPLACE could collide with.
_UNIQUE_KEYS = {
    "audit_entry": (("id",), ("seq",)),
    "audit_record": (("id",), ("record_type", "record_id")),
    "database_identity": (("id",),),
    "patient_revision": (("id",), ("patient_id", "version")),
    "intake_record": (("id",), ("patient_id", "sequence")),
    "screening_clearance": (("id",),),
    "clearance_revocation": (("id",), ("clearance_id",)),
}
_HISTORY_TABLES = (
    "patient_revision",
    "intake_record",
    "screening_clearance",
    "clearance_revocation",
)
_NEW_APPEND_ONLY = ("audit_record", "database_identity")


def upgrade() -> None:
    op.add_column(
        "audit_entry", sa.Column("hash_format", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column(
        "audit_entry",
        sa.Column("records_digest", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "audit_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "seq",
            sa.Integer(),
            sa.ForeignKey("audit_entry.seq", name="fk_audit_record_seq_audit_entry"),
            nullable=False,
        ),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_format", sa.Integer(), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("record_type", "record_id", name="uq_audit_record_record_type"),
    )
    op.create_index("ix_audit_record_seq", "audit_record", ["seq"])
    op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("database_id", sa.String(36), nullable=False),
        sa.Column("created_at_utc", sa.String(32), nullable=False),
    )
    op.get_bind().execute(
        sa.text(
            "INSERT INTO database_identity (id, database_id, created_at_utc) "
            "VALUES (1, :database_id, :created)"
        ),
        {"database_id": str(uuid.uuid4()), "created": utc_stamp(datetime.now(UTC))},
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_guards()
    else:
        _postgresql_guards()
    _seal_existing_records()


def _sqlite_guards() -> None:
    for name in _NEW_APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, '{_AUDIT}'); END"
            )
    # BEFORE INSERT runs before SQLite resolves a conflict, so these refuse INSERT OR
    # REPLACE even on a connection that has recursive_triggers off.
    for name, keys in _UNIQUE_KEYS.items():
        message = _HISTORY if name in _HISTORY_TABLES else _AUDIT
        clash = " OR ".join(
            "(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys
        )
        op.execute(
            f"CREATE TRIGGER {name}_no_replace BEFORE INSERT ON {name} "
            f"WHEN EXISTS (SELECT 1 FROM {name} WHERE {clash}) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    op.execute(
        "CREATE TRIGGER audit_entry_follows_head BEFORE INSERT ON audit_entry "
        "WHEN NEW.seq IS NOT (SELECT last_seq + 1 FROM audit_head WHERE id = 1) "
        "OR NEW.prev_hash IS NOT (SELECT last_hash FROM audit_head WHERE id = 1) "
        f"BEGIN SELECT RAISE(ABORT, '{_AUDIT}: a new entry must follow the last one'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_entry_moves_head AFTER INSERT ON audit_entry BEGIN "
        "UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.entry_hash WHERE id = 1; "
        "END"
    )
    op.execute("DROP TRIGGER audit_head_forward_only")
    op.execute(
        "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
        "WHEN NEW.id IS NOT OLD.id OR NEW.last_seq IS NOT OLD.last_seq + 1 "
        "OR NOT EXISTS (SELECT 1 FROM audit_entry "
        "WHERE seq = NEW.last_seq AND entry_hash = NEW.last_hash) "
        f"BEGIN SELECT RAISE(ABORT, '{_AUDIT}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_head_single_row BEFORE INSERT ON audit_head "
        f"WHEN EXISTS (SELECT 1 FROM audit_head) BEGIN SELECT RAISE(ABORT, '{_AUDIT}'); END"
    )


def _postgresql_guards() -> None:
    # Head moves only from the entry trigger (trigger depth > 1), one step, to a real entry.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION clinic_desk_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'audit_head' AND TG_OP = 'UPDATE' THEN
                IF pg_trigger_depth() > 1 AND NEW.id = OLD.id
                   AND NEW.last_seq = OLD.last_seq + 1 THEN
                    RETURN NEW;
                END IF;
            END IF;
            RAISE EXCEPTION '{_AUDIT}' USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    # SECURITY DEFINER: runs with the schema owner's rights, so a workstation role that
    # may only INSERT into audit_entry still moves the head, and nothing else can.
    op.execute(
        f"""
        CREATE FUNCTION clinic_desk_audit_follows_head() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            head audit_head%ROWTYPE;
        BEGIN
            SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
            IF TG_WHEN = 'BEFORE' THEN
                IF NEW.seq IS DISTINCT FROM head.last_seq + 1
                   OR NEW.prev_hash IS DISTINCT FROM head.last_hash THEN
                    RAISE EXCEPTION '{_AUDIT}: a new entry must follow the last one'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END IF;
            UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.entry_hash WHERE id = 1;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION clinic_desk_audit_follows_head() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER audit_entry_follows_head BEFORE INSERT ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_follows_head()"
    )
    op.execute(
        "CREATE TRIGGER audit_entry_moves_head AFTER INSERT ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_follows_head()"
    )
    op.execute(
        "CREATE TRIGGER audit_head_single_row BEFORE INSERT ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_append_only()"
    )
    for name in _NEW_APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_audit_append_only()"
        )
    for name in _HISTORY_TABLES:
        op.execute(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_history_append_only()"
        )


def _seal_existing_records() -> None:
    conn = op.get_bind()
    links = [
        link
        for name, record_format in _SEALED
        for link in links_for_all(conn, RECORD_TYPES.format_of(name, record_format))
    ]
    if not links:
        return
    append_entry(
        conn,
        AuditEvent(
            "records.sealed",
            "database",
            detail=f"{len(links)} records written before schema 0005 sealed with their hashes",
        ),
        at=datetime.now(UTC),
        workstation="clinic-desk db upgrade",
        links=links,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("audit_entry_follows_head", "audit_entry_moves_head",
                     "audit_head_single_row", "audit_head_forward_only"):
            op.execute(f"DROP TRIGGER {name}")
        for name in _UNIQUE_KEYS:
            op.execute(f"DROP TRIGGER {name}_no_replace")
        op.execute(
            "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
            "WHEN NEW.last_seq <> OLD.last_seq + 1 "
            f"BEGIN SELECT RAISE(ABORT, '{_AUDIT}'); END"
        )
    else:
        for name in _HISTORY_TABLES:
            op.execute(f"DROP TRIGGER {name}_no_truncate ON {name}")
        op.execute("DROP TRIGGER audit_entry_follows_head ON audit_entry")
        op.execute("DROP TRIGGER audit_entry_moves_head ON audit_entry")
        op.execute("DROP TRIGGER audit_head_single_row ON audit_head")
        op.execute("DROP FUNCTION clinic_desk_audit_follows_head()")
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION clinic_desk_audit_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_TABLE_NAME = 'audit_head' AND TG_OP = 'UPDATE' THEN
                    IF NEW.last_seq = OLD.last_seq + 1 THEN
                        RETURN NEW;
                    END IF;
                END IF;
                RAISE EXCEPTION '{_AUDIT}' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
    op.drop_table("database_identity")
    op.drop_index("ix_audit_record_seq", "audit_record")
    op.drop_table("audit_record")
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy of audit_entry would lose its triggers.
    op.drop_column("audit_entry", "records_digest")
    op.drop_column("audit_entry", "hash_format")
