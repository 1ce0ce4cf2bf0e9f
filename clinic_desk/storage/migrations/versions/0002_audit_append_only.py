"""The database itself refuses UPDATE and DELETE on audit entries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_MESSAGE = "the audit log is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
        op.execute(
            "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
            "WHEN NEW.last_seq <> OLD.last_seq + 1 "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        return
    op.execute(
        f"""
        CREATE FUNCTION clinic_desk_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            -- Nested: PL/pgSQL does not promise to short-circuit AND.
            IF TG_TABLE_NAME = 'audit_head' AND TG_OP = 'UPDATE' THEN
                IF NEW.last_seq = OLD.last_seq + 1 THEN
                    RETURN NEW;
                END IF;
            END IF;
            RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
        "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_audit_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "audit_entry_no_update",
            "audit_entry_no_delete",
            "audit_head_no_delete",
            "audit_head_forward_only",
        ):
            op.execute(f"DROP TRIGGER {name}")
        return
    for trigger, table in (
        ("audit_entry_append_only", "audit_entry"),
        ("audit_entry_no_truncate", "audit_entry"),
        ("audit_head_forward_only", "audit_head"),
        ("audit_head_no_truncate", "audit_head"),
    ):
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    op.execute("DROP FUNCTION clinic_desk_audit_append_only()")
